/**
 * Which participants look like notetaker bots, by the policy's list of the display names vendors'
 * bots really use (docs/platforms.md, "Notetaker names"). An entry is a whole display name
 * ("Fireflies.ai Notetaker") or a pattern where `*` stands for any text ("*'s Notetaker"). A name
 * must match an entry as a whole: "Wei Gong (Acme)" is a person, not Gong's recorder. Case, accents,
 * apostrophe styles and spacing do not matter, and a trailing qualifier the platform appends
 * ("(Guest)", "(External)", a company in brackets) is ignored.
 *
 * A match is only a *suspicion*: the rep confirms it or marks the participant "not a bot".
 */
/**
 * Cyrillic and Greek letters that look like Latin ones: some bots spell "notetaker" with them on
 * purpose to slip past keyword filters (attendee, teams_ui_methods.py).
 */
const LOOKALIKES: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w',
  α: 'a', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x',
};
const LOOKALIKE = new RegExp(`[${Object.keys(LOOKALIKES).join('')}]`, 'g');

const fold = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(LOOKALIKE, (c) => LOOKALIKES[c]!)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[‘’ʼ`´]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "Jane's Notetaker (Guest)" → "Jane's Notetaker": one trailing bracketed qualifier. */
const withoutQualifier = (name: string) => name.replace(/\s*[([][^()[\]]*[)\]]$/, '');

/** How a matched entry is shown to the rep: the entry itself, `*` as "…". */
export const notetakerLabel = (entry: string) => entry.trim().replace(/\*/g, '…');

export function notetakerMatcher(entries: readonly string[]): (participant: string) => string | null {
  const patterns = entries
    .map((entry) => entry.trim())
    .filter((entry) => entry.replace(/\*/g, '').trim().length > 0)
    .map((entry) => ({
      label: notetakerLabel(entry),
      re: new RegExp(`^${fold(entry).split('*').map(escape).join('.+')}$`, 'u'),
    }));
  return (participant) => {
    const full = fold(participant);
    const bare = fold(withoutQualifier(participant));
    return patterns.find((p) => p.re.test(full) || p.re.test(bare))?.label ?? null;
  };
}
