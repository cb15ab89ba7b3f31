/** A recording indicator must be gone this long before it counts as stopped (dialogs re-render). */
export const RECORDING_GONE_MS = 1_500;
/**
 * An indicator that comes back within FLAP_WINDOW_MS of a stop is flapping: each time, the grace
 * before "stopped" doubles (up to MAX_GONE_MS), so a flickering indicator reads as one long recording.
 */
const FLAP_WINDOW_MS = 60_000;
const MAX_GONE_MS = 30_000;

/**
 * The platform's recording marks and participants named like notetakers, as the call page shows
 * them: `report` is called on each change, with a grace period before "stopped" (dialogs and tiles
 * re-render); `recheck` asks for another reading when the grace runs out. Split from
 * call-watcher.ts so that file stays readable; it holds no page access of its own.
 */
export function createRecordingTracker(report: (marks: string[], suspected: string[]) => void, recheck: (inMs: number) => void) {
  /** Sources last reported to the background ('' = none), and since when they are gone. */
  let reported = '';
  let goneSince: number | null = null;
  /** The grace before "stopped" now, and when recording was last reported stopped. */
  let graceMs = RECORDING_GONE_MS;
  let lastStopAt = -Infinity;
  return {
    /** A new call: `known` when the background already knows it as recording (the next reading reports what it sees, or its end). */
    reset(known = false) {
      reported = known ? '?' : '';
      goneSince = null;
    },
    track(marksSeen: readonly string[], suspectedSeen: readonly string[], now: number) {
      const suspected = [...new Set(suspectedSeen)].sort();
      const marks = [...new Set(marksSeen)].sort();
      if (marks.length + suspected.length > 0) {
        goneSince = null;
        const key = `${marks.join('|')}#${suspected.join('|')}`;
        if (key !== reported) {
          if (!reported) graceMs = now - lastStopAt < FLAP_WINDOW_MS ? Math.min(graceMs * 2, MAX_GONE_MS) : RECORDING_GONE_MS;
          reported = key;
          report(marks, suspected);
        }
      } else if (reported) {
        goneSince ??= now;
        const waited = now - goneSince;
        if (waited >= graceMs) {
          reported = '';
          goneSince = null;
          lastStopAt = now;
          report([], []);
        } else recheck(graceMs - waited);
      }
    },
  };
}
