import type { LedgerEntry } from '../../lib/ledger/entry';
import { seedMeetingHash, seedUuid } from './seed-page';

/**
 * The ledger entries the bench verifies (bench/ledger-verify.ts in Node, row 6 in the browser):
 * realistic (~560 bytes of canonical JSON, every field filled as the extension fills it), varied so
 * no two hash inputs share much, and deterministic, so a seeded ledger can be kept between runs.
 */
const types = ['asked', 'agreed', 'declined', 'recording-stopped', 'late-joiner-agreed'] as const;
const NOTICE_HASH = 'a'.repeat(64);

/** Entry `i` (0-based) of a bench ledger, at `at` (epoch ms); four entries per call. */
export function benchLedgerEntry(i: number, at: number): LedgerEntry {
  const callNo = Math.floor(i / 4);
  const type = types[i % types.length]!;
  return {
    v: 1,
    type,
    at: new Date(at).toISOString(),
    eventId: seedUuid(3, i),
    callId: seedUuid(1, callNo),
    platform: 'meet',
    meetingRef: seedMeetingHash(callNo),
    rep: 'rep-7f3a9c',
    asked: { scope: 'all-present', audience: 'external' },
    notice: { textHash: NOTICE_HASH, language: 'en', version: '2025-01' },
    purposes: ['recording', 'transcript'],
    method: 'read-aloud-attested',
    outcome: type === 'agreed' ? 'agreed' : null,
    reason: null,
    category: null,
    rule: null,
    policyVersion: 'policy-2025-01-15',
    extensionVersion: '0.1.0',
    details: { sources: 'platform-banner', durationMs: i * 7 },
  };
}
