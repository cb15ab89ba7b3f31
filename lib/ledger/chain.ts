import { sha256Hex } from '../util/hash';
import { canonicalize } from './canonical';
import { describeIssues, parseChainEntry, type ChainEntry, type LedgerEntry } from './entry';

/**
 * The hash chain. Record n stores the hash of record n−1 (`prevHash`) and its own hash
 * `SHA-256(prevHash + "\n" + canonicalize(entry))`, so changing, inserting, deleting or reordering
 * any record breaks a link that anyone can recompute. What a chain alone cannot show is that
 * records were cut off its *end* (or that the whole chain was rewritten): for that, compare the
 * result's `count`/`lastHash` with an anchor kept elsewhere (`expected`). See docs/ledger.md.
 */

/** prevHash of the first record ever written. */
export const GENESIS_HASH = '0'.repeat(64);

/** One stored record. `E` is `unknown` where records come from storage or a file, unchecked. */
export interface ChainRecord<E = LedgerEntry> {
  seq: number;
  prevHash: string;
  hash: string;
  entry: E;
}

/** The last record removed by a retention purge: the remaining records continue from it. */
export interface Checkpoint {
  seq: number;
  hash: string;
}

export interface BrokenAt {
  /** Position in the list given (0-based), or −1 when the problem is not at any one record. */
  index: number;
  /** The stored seq of that record when it is a number, else null. */
  seq: number | null;
  reason: string;
}

export type VerifyResult =
  /** `count`, `lastHash`, `lastSeq`: the chain's head, to compare with (or store as) an anchor. */
  | { intact: true; count: number; lastHash: string; lastSeq: number }
  /** `count` is the number of records given. */
  | { intact: false; count: number; brokenAt: BrokenAt };

export interface VerifyOptions {
  /**
   * An anchor kept outside the ledger (a previous verification, a purge receipt, a printed hash).
   * Without it, records removed from the end of the chain cannot be detected: the shorter chain
   * is itself a valid chain.
   */
  expected?: { count?: number; lastHash?: string };
}

/** The plain-words reasons a record fails verification. */
export const REASONS = {
  hash: 'hash does not match the entry (entry changed)',
  link: 'prevHash does not link to the previous entry (entry inserted, deleted or reordered)',
  seq: 'sequence number out of order',
  invalid: 'entry is not valid: ',
} as const;

const NOT_A_RECORD = `${REASONS.invalid}record is not an object with seq, prevHash, hash and entry`;
const HEX64 = /^[0-9a-f]{64}$/;

/** The exact text that is hashed: the previous hash, a newline, the canonical entry. */
export function hashInput(prevHash: string, entry: unknown): string {
  return prevHash + '\n' + canonicalize(entry);
}

/** Lowercase hex SHA-256 of the UTF-8 bytes of `prevHash + "\n" + canonicalize(entry)`. */
export function entryHash(prevHash: string, entry: unknown): string {
  return sha256Hex(hashInput(prevHash, entry));
}

function checkpointProblem(checkpoint: Checkpoint): string | null {
  if (!Number.isSafeInteger(checkpoint.seq) || checkpoint.seq < 0) return 'seq must be a non-negative integer';
  if (typeof checkpoint.hash !== 'string' || !HEX64.test(checkpoint.hash)) return 'hash must be 64 lowercase hex characters';
  return null;
}

/**
 * The record that follows `prev` (the last record, or a checkpoint after a purge; null for an
 * empty ledger). The entry is validated first, since an invalid entry would make the chain fail
 * verification forever; the stored entry is the validated copy, so later changes to the caller's
 * object cannot silently diverge from what was hashed.
 */
export async function appendRecord<E extends ChainEntry>(prev: Checkpoint | null, entry: E): Promise<ChainRecord<E>> {
  if (prev) {
    const problem = checkpointProblem(prev);
    if (problem) throw new Error(`appendRecord: previous record is not valid: ${problem}`);
  }
  const parsed = parseChainEntry(entry);
  if (!parsed.success) throw new Error(`appendRecord: ${REASONS.invalid}${describeIssues(parsed.error)}`);
  const prevHash = prev ? prev.hash : GENESIS_HASH;
  return { seq: prev ? prev.seq + 1 : 1, prevHash, hash: entryHash(prevHash, parsed.data), entry: parsed.data as E };
}

/** One record, validated: the exact text to hash, or why it cannot be verified. */
type Checked = { ok: true; input: string } | { ok: false; reason: string };

function checkRecord(record: ChainRecord<unknown> | null | undefined): Checked {
  if (typeof record !== 'object' || record === null) return { ok: false, reason: NOT_A_RECORD };
  const parsed = parseChainEntry(record.entry);
  if (!parsed.success) return { ok: false, reason: REASONS.invalid + describeIssues(parsed.error) };
  try {
    // The stored object is hashed, not zod's copy: the hash must cover exactly what is stored.
    return { ok: true, input: record.prevHash + '\n' + canonicalize(record.entry) };
  } catch (error) {
    // Valid by the schema yet not canonical JSON, e.g. an object that is not plain.
    return { ok: false, reason: REASONS.invalid + (error as Error).message };
  }
}

// Long verifications hand the thread back now and then, so an extension page stays responsive
// and a service worker can still answer messages. scheduler.yield (Chromium ≥ 129) is not
// clamped like nested setTimeout (4 ms), so it is preferred where it exists.
const YIELD_EVERY_MS = 50;

function yieldToEventLoop(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Verifies `records` (in stored order) as a chain starting after `checkpoint` (or at genesis).
 * Each record must: link to the previous stored hash (the checkpoint's / GENESIS_HASH for the
 * first), carry seq = previous seq + 1 (checkpoint.seq + 1 / 1 for the first), hold a valid
 * entry, and store the hash of its prevHash and entry. The first failure in list order is
 * reported, then `expected` (if given) is compared with the chain's end.
 *
 * Each record is validated (zod), canonicalised and hashed, then dropped before the next:
 * holding batches of hash inputs made them outlive young-generation garbage collections and
 * doubled the time on 500,000 entries.
 */
export async function verifyChain(
  records: readonly ChainRecord<unknown>[],
  checkpoint: Checkpoint | null = null,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const count = records.length;
  const broken = (index: number, seq: unknown, reason: string): VerifyResult => ({
    intact: false,
    count,
    brokenAt: { index, seq: typeof seq === 'number' ? seq : null, reason },
  });

  if (checkpoint) {
    const problem = checkpointProblem(checkpoint);
    if (problem) return broken(-1, null, `checkpoint is not valid: ${problem}`);
  }

  let prevHash = checkpoint ? checkpoint.hash : GENESIS_HASH;
  let prevSeq = checkpoint ? checkpoint.seq : 0;

  /** Record i in the single pass over the chain: its problem, or null after moving the head on. */
  const step = (i: number, check: Checked, hash: string | null): VerifyResult | null => {
    const record = records[i];
    if (typeof record !== 'object' || record === null) return broken(i, null, NOT_A_RECORD);
    // Link, then seq, then content: a deleted or moved record shows as a broken link, which
    // says more than a seq gap; a record with only its seq edited still links and is caught next.
    if (record.prevHash !== prevHash) return broken(i, record.seq, REASONS.link);
    if (record.seq !== prevSeq + 1) return broken(i, record.seq, REASONS.seq);
    if (!check.ok) return broken(i, record.seq, check.reason);
    if (record.hash !== hash) return broken(i, record.seq, REASONS.hash);
    prevHash = record.hash;
    prevSeq = record.seq;
    return null;
  };

  let lastYield = Date.now();
  const pause = async () => {
    if (Date.now() - lastYield < YIELD_EVERY_MS) return;
    await yieldToEventLoop();
    lastYield = Date.now();
  };

  for (let i = 0; i < count; i++) {
    const check = checkRecord(records[i]);
    const failure = step(i, check, check.ok ? sha256Hex(check.input) : null);
    if (failure) return failure;
    if ((i & 1023) === 1023) await pause();
  }

  const expected = options.expected;
  if (expected?.count !== undefined && expected.count !== count) {
    const more = count > expected.count;
    return broken(
      Math.min(count, expected.count),
      more ? records[expected.count]?.seq : null,
      more
        ? `chain has ${count} entries but ${expected.count} were expected (entries added at the end)`
        : `chain has ${count} entries but ${expected.count} were expected (entries removed from the end)`,
    );
  }
  if (expected?.lastHash !== undefined && expected.lastHash !== prevHash) {
    return broken(count, null, `last hash ${prevHash} is not the expected ${expected.lastHash} (entries removed from or added at the end, or the chain was rewritten)`);
  }
  return { intact: true, count, lastHash: prevHash, lastSeq: prevSeq };
}
