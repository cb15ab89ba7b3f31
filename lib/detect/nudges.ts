import type { PlatformId } from '../platforms/types';

/**
 * Detection health's record of the audible net (lib/background/audible.ts): per platform, how often
 * a call-platform tab played sound with no call detected. Kept in the `meta` table under this key.
 */
export const NUDGES_KEY = 'detection-nudges';
export type NudgeCounts = Partial<Record<PlatformId, { nudges: number; lastAt: number }>>;
