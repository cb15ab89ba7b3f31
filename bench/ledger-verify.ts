/**
 * How long verifyChain takes over a long ledger (budget: 500,000 entries in < 2 s).
 *   npx tsx bench/ledger-verify.ts [n=500000] [--webcrypto]
 * Prints one JSON line: { name, n, digest, medianMs, runsMs, buildMs }. bench/cases/06-audit-ledger.ts
 * imports benchLedgerVerify() (the pure verification in Node, next to the in-browser measurement).
 *
 * The chain is built with the synchronous SHA-256 (appending is inherently sequential, and
 * 500,000 sequential WebCrypto round trips would take longer than the thing measured); the
 * first records are checked against WebCrypto's entryHash so the bench never times a chain that
 * WebCrypto would not accept.
 */
import { entryHash, GENESIS_HASH, hashInput, verifyChain, type ChainRecord } from '../lib/ledger/chain';
import type { LedgerEntry } from '../lib/ledger/entry';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256HexSync } from '../lib/ledger/sha256';


const types = ['asked', 'agreed', 'declined', 'recording-stopped', 'late-joiner-agreed'] as const;
const hex = (i: number) => sha256HexSync(`bench-${i}`);

/** A realistic entry (~560 bytes canonical), varied so no two hash inputs share much. */
function entry(i: number): LedgerEntry {
  const callNo = Math.floor(i / 4);
  return {
    v: 1,
    type: types[i % types.length] ?? 'asked',
    at: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
    eventId: crypto.randomUUID(),
    callId: `00000000-0000-4000-8000-${callNo.toString(16).padStart(12, '0')}`,
    platform: 'meet',
    meetingRef: hex(callNo),
    rep: 'rep-7f3a9c',
    asked: { scope: 'all-present', audience: 'external' },
    notice: { textHash: hex(-1), language: 'en', version: '2025-01' },
    purposes: ['recording', 'transcript'],
    method: 'read-aloud-attested',
    outcome: i % 5 === 1 ? 'agreed' : null,
    reason: null,
    category: null,
    rule: null,
    policyVersion: 'policy-2025-01-15',
    extensionVersion: '0.1.0',
    details: { sources: 'platform-banner', durationMs: i * 7 },
  };
}

export interface LedgerVerifyResult {
  name: 'ledger-verify';
  n: number;
  digest: 'js' | 'webcrypto';
  /** Median of 3 verifications of the whole chain (ms). */
  medianMs: number;
  runsMs: number[];
  buildMs: number;
}

/** Builds an n-entry chain in memory and times verifyChain over it, 3 times (Node, no storage). */
export async function benchLedgerVerify(n: number, digest: 'js' | 'webcrypto' = 'js'): Promise<LedgerVerifyResult> {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`benchLedgerVerify: n must be a positive integer, got ${n}`);
  const buildStart = performance.now();
  const records: ChainRecord[] = [];
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const e = entry(i);
    const hash = sha256HexSync(hashInput(prevHash, e));
    records.push({ seq: i + 1, prevHash, hash, entry: e });
    prevHash = hash;
  }
  const buildMs = Math.round(performance.now() - buildStart);
  for (const r of records.slice(0, 50)) {
    if ((await entryHash(r.prevHash, r.entry)) !== r.hash) throw new Error(`bench chain disagrees with WebCrypto at seq ${r.seq}`);
  }

  const runsMs: number[] = [];
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    const result = await verifyChain(records, null, { digest });
    runsMs.push(Math.round(performance.now() - start));
    if (!result.intact || result.count !== n) throw new Error(`verification failed: ${JSON.stringify(result)}`);
  }
  const medianMs = [...runsMs].sort((a, b) => a - b)[1] as number;
  return { name: 'ledger-verify', n, digest, medianMs, runsMs, buildMs };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const n = Number(args.find((a) => !a.startsWith('--')) ?? 500_000);
  if (!Number.isSafeInteger(n) || n < 1) {
    console.error('usage: npx tsx bench/ledger-verify.ts [n=500000] [--webcrypto]');
    process.exit(2);
  }
  console.log(JSON.stringify(await benchLedgerVerify(n, args.includes('--webcrypto') ? 'webcrypto' : 'js')));
}
