
import type { PlatformId } from '../model';

/**
 * Detection health beyond the calls themselves, kept in the `meta` table:
 * - the audible net (lib/background/audible.ts): per platform, how often a call-platform tab played
 *   sound with no call detected;
 * - interference (lib/background/prompt.ts): per platform, how often a call page hid, covered,
 *   shrank or removed the consent prompt.
 */
export const NUDGES_KEY = 'detection-nudges';
export type NudgeCounts = Partial<Record<PlatformId, { nudges: number; lastAt: number }>>;

export const INTERFERENCE_KEY = 'prompt-interference';
export type InterferenceCounts = Partial<Record<PlatformId | 'unknown', { times: number; lastAt: number; last: string }>>;
