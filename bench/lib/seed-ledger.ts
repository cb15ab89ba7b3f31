import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LEDGER_BLOCK_SIZE, sealBlock } from '../../lib/ledger/blocks';
import { appendRecord, GENESIS_HASH, type ChainRecord, type Checkpoint } from '../../lib/ledger/chain';
import type { LedgerEntry } from '../../lib/ledger/entry';
import { sha256Hex } from '../../lib/util/hash';
import { benchLedgerEntry } from './ledger-data';
import type { SeedLedgerBlock } from './seed-page';

/**
 * Row 6's consent ledger, built in Node with the extension's own code: each entry appended with
 * lib/ledger's appendRecord (schema check, canonical JSON, SHA-256) and every 1,000 sealed with
 * sealBlock (which verifies them first), exactly what the worker's ledger writer does. The blocks
 * go to the page as base64 (bench/lib/seed-page.ts stores them). Building 500,000 entries takes
 * about a minute here, so the blocks are kept in bench/.cache/ledger/ (git-ignored), keyed by the
 * ledger code and the sizes; the entries are dated over the `days` before the month the cache
 * was made in, which row 6 only needs to be recent.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const CACHE = join(ROOT, 'bench/.cache/ledger');
const KEY_FILES = ['lib/ledger/blocks.ts', 'lib/ledger/chain.ts', 'lib/ledger/canonical.ts', 'lib/ledger/entry.ts', 'lib/util/hash.ts', 'bench/lib/ledger-data.ts', 'bench/lib/seed-page.ts', 'bench/lib/seed-ledger.ts'];
const MONTH_MS = 30 * 24 * 3_600_000;

export interface SeedLedger {
  blocks: SeedLedgerBlock[];
  /** The chain's head: what ledger/verify must report. */
  lastHash: string;
  count: number;
  /** Time spent building it in this run (0 when read from the cache). */
  buildMs: number;
  cached: boolean;
}

/** `count` entries (a multiple of LEDGER_BLOCK_SIZE) as sealed blocks, chained from genesis, dated over the last `days` days. */
export async function seedLedgerBlocks(count: number, days: number): Promise<SeedLedger> {
  if (count % LEDGER_BLOCK_SIZE !== 0) throw new Error(`seedLedgerBlocks: ${count} is not a multiple of ${LEDGER_BLOCK_SIZE}`);
  const month = Math.floor(Date.now() / MONTH_MS);
  const key = sha256Hex(JSON.stringify({ count, days, month }) + KEY_FILES.map((f) => readFileSync(join(ROOT, f), 'utf8')).join('\n')).slice(0, 16);
  const file = join(CACHE, `ledger-${count}-${key}.json`);
  if (!process.env.CANDOR_BENCH_FRESH && existsSync(file)) {
    const kept = JSON.parse(readFileSync(file, 'utf8')) as Omit<SeedLedger, 'buildMs' | 'cached'>;
    return { ...kept, buildMs: 0, cached: true };
  }

  const start = performance.now();
  const now = month * MONTH_MS;
  const span = days * 24 * 3_600_000;
  const atOf = (i: number) => now - span + Math.floor(((i + 0.5) / count) * span);
  const blocks: SeedLedgerBlock[] = [];
  let prev: Checkpoint | null = null;
  let lastHash = GENESIS_HASH;
  for (let first = 0; first < count; first += LEDGER_BLOCK_SIZE) {
    const records: ChainRecord<LedgerEntry>[] = [];
    for (let i = first; i < first + LEDGER_BLOCK_SIZE; i++) {
      const record: ChainRecord<LedgerEntry> = await appendRecord(prev, benchLedgerEntry(i, atOf(i)));
      records.push(record);
      prev = { seq: record.seq, hash: record.hash };
    }
    const block = await sealBlock(records, first === 0 ? null : { seq: first, hash: records[0]!.prevHash }, (_, k) => atOf(first + k));
    blocks.push({ ...block, body: Buffer.from(block.body).toString('base64') });
    lastHash = block.lastHash;
  }
  const built = { blocks, lastHash, count };
  if (existsSync(CACHE)) for (const old of readdirSync(CACHE).filter((f) => f.startsWith(`ledger-${count}-`))) rmSync(join(CACHE, old), { force: true });
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(file, JSON.stringify(built));
  return { ...built, buildMs: performance.now() - start, cached: false };
}
