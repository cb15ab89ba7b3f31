/** Participants remembered per call (in memory): beyond this, newcomers are still counted, not stored. */
const MAX_KNOWN_PARTICIPANTS = 2_000;

/**
 * What the call page shows about the call, remembered while it lasts, in memory only: the people
 * seen (for the late-joiner nudge) and the meeting title last reported.
 */
export function createPageFacts() {
  let known: Set<string> | null = null;
  let title = '';
  return {
    /** A new call (or none): start over. */
    reset() {
      known = null;
      title = '';
    },
    /** The people not seen before in this call; the first reading only learns who is there. */
    newcomers(people: readonly string[]): string[] {
      if (!known) {
        known = new Set(people);
        return [];
      }
      const seen = known;
      const fresh = people.filter((name) => !seen.has(name));
      // A page inventing names cannot grow this without bound.
      for (const name of fresh) if (seen.size < MAX_KNOWN_PARTICIPANTS) seen.add(name);
      return fresh;
    },
    /** The title when the page shows a new one (a title that goes away is kept), else null. */
    newTitle(next: string): string | null {
      if (!next || next === title) return null;
      title = next;
      return next;
    },
  };
}
