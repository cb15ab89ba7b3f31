/**
 * How long verifyChain takes over a long ledger in Node (no storage, no browser).
 *   npx tsx bench/ledger-verify.ts [n=500000]
 * Prints one JSON line: { name, n, medianMs, runsMs, buildMs }. bench/cases/06-audit-ledger.ts
 * imports benchLedgerVerify() and reports it per 100,000 entries next to the in-browser
 * measurement. This is the cost of re-hashing every entry (what the options page's deep check
 * does); the routine check of a stored ledger checks block seals instead (lib/ledger/blocks.ts).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appendRecord, verifyChain, type ChainRecord } from '../lib/ledger/chain';
import { benchLedgerEntry } from './lib/ledger-data';

export interface LedgerVerifyResult {
  name: 'ledger-verify';
  n: number;
  /** Median of 3 verifications of the whole chain (ms). */
  medianMs: number;
  runsMs: number[];
  buildMs: number;
}

/** Builds an n-entry chain in memory with appendRecord and times verifyChain over it, 3 times. */
export async function benchLedgerVerify(n: number): Promise<LedgerVerifyResult> {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`benchLedgerVerify: n must be a positive integer, got ${n}`);
  const buildStart = performance.now();
  const records: ChainRecord[] = [];
  let prev: ChainRecord | null = null;
  for (let i = 0; i < n; i++) {
    prev = await appendRecord(prev, benchLedgerEntry(i, Date.UTC(2025, 0, 1) + i * 1000));
    records.push(prev);
  }
  const buildMs = Math.round(performance.now() - buildStart);

  const runsMs: number[] = [];
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    const result = await verifyChain(records);
    runsMs.push(Math.round(performance.now() - start));
    if (!result.intact || result.count !== n) throw new Error(`verification failed: ${JSON.stringify(result)}`);
  }
  const medianMs = [...runsMs].sort((a, b) => a - b)[1]!;
  return { name: 'ledger-verify', n, medianMs, runsMs, buildMs };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = process.argv[2];
  const n = Number(arg ?? 500_000);
  if (!Number.isSafeInteger(n) || n < 1 || process.argv.length > 3) {
    console.error('usage: npx tsx bench/ledger-verify.ts [n=500000]');
    process.exit(2);
  }
  console.log(JSON.stringify(await benchLedgerVerify(n)));
}
