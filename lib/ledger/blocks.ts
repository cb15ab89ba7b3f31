import { bytesToHex } from '@noble/hashes/utils.js';
import { canonicalize } from './canonical';
import { GENESIS_HASH, REASONS, verifyChain, type BrokenAt, type ChainRecord, type Checkpoint, type VerifyResult } from './chain';
import type { LedgerBlockRecord } from '../model';

/**
 * Sealed blocks: how the ledger is *stored*, not what it is. The chain (seq, prevHash, hash per
 * entry; chain.ts) and the export format are unchanged; a block is a run of consecutive entries
 * kept as one IndexedDB record, because Chromium's IndexedDB costs ~28 µs per record read and a
 * 500,000-entry ledger read record by record takes ~14 s before anything is verified.
 *
 * Body: one line per entry, `<hash> <canonical entry JSON>` (canonical JSON never contains a raw
 * newline), UTF-8, compressed with deflate-raw (entries repeat most of their text: ~10x smaller).
 * Seal: SHA-256 of the header text followed by the stored (compressed) body bytes, where the header
 * is written from the block's own fields:
 *
 *     candor-ledger-block/1
 *     first 1001
 *     last 2000
 *     firstAt 1732780800000
 *     lastAt 1732867200000
 *     prevHash <64 hex: prevHash of entry 1001>
 *     lastHash <64 hex: hash of entry 2000>
 *     <blank line>
 *
 * A block is sealed only after every entry in it was verified against the chain, so checking a
 * seal (one WebCrypto digest over ~70 KB, which runs off the main thread) vouches for every stored
 * byte of 1,000 entries and for the block's fields at once. What the seal check does not re-prove
 * is each entry hash from scratch: someone who rewrites an entry *and* recomputes that block's
 * seal keeps the head hash unchanged, which a full re-hash (`deep`) exposes. docs/ledger.md,
 * "Storage", states both guarantees.
 */

/** One sealed block as stored (IndexedDB table `ledgerBlocks`, keyed by `first`). */
export type LedgerBlock = LedgerBlockRecord;

export const LEDGER_BLOCK_FORMAT = 'candor-ledger-block/1';
/** Entries per sealed block. The newest entries (fewer than this) stay one record each. */
export const LEDGER_BLOCK_SIZE = 1_000;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A seal's SHA-256, with WebCrypto rather than the synchronous helper every other hash uses
 * (lib/util/hash.ts), kept for speed: a routine check hashes every block (~60 KB each, 500 blocks
 * for 500,000 entries), and WebCrypto runs those digests concurrently off the calling thread.
 * Measured in headless Chromium 156 on the 2-core bench machine, 500 × 60 KB: WebCrypto 21 ms
 * (50 at a time), @noble/hashes 405 ms on the worker's own thread (Node 20: 32 ms against 208 ms).
 * The digest is the same either way; only where and how fast it runs differs.
 */
async function sealHash(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
}

export type BlockHeader = Pick<LedgerBlock, 'first' | 'last' | 'firstAt' | 'lastAt' | 'prevHash' | 'lastHash'>;

function headerText(h: BlockHeader): string {
  return `${LEDGER_BLOCK_FORMAT}\nfirst ${h.first}\nlast ${h.last}\nfirstAt ${h.firstAt}\nlastAt ${h.lastAt}\nprevHash ${h.prevHash}\nlastHash ${h.lastHash}\n\n`;
}

/** What the seal covers: the header written from the block's fields, then the stored body. */
function sealInput(h: BlockHeader, body: ArrayBuffer): Uint8Array<ArrayBuffer> {
  const header = encoder.encode(headerText(h));
  const out = new Uint8Array(header.length + body.byteLength);
  out.set(header);
  out.set(new Uint8Array(body), header.length);
  return out;
}

async function pipe(bytes: Uint8Array<ArrayBuffer>, transform: CompressionStream | DecompressionStream): Promise<ArrayBuffer> {
  return new Response(new Blob([bytes]).stream().pipeThrough(transform)).arrayBuffer();
}

/**
 * Seals consecutive records (in seq order) into a block. They are verified first, from `prev`
 * (the previous block's last entry, the checkpoint, or null at genesis): a seal must never vouch
 * for a broken entry. `atOf` gives each record's event time (epoch ms) for retention.
 */
export async function sealBlock(records: readonly ChainRecord<unknown>[], prev: Checkpoint | null, atOf: (record: ChainRecord<unknown>, index: number) => number): Promise<LedgerBlock> {
  if (records.length === 0) throw new Error('sealBlock: no records');
  const verified = await verifyChain(records, prev);
  if (!verified.intact) throw new Error(`sealBlock: entry ${verified.brokenAt.seq ?? '?'} does not verify (${verified.brokenAt.reason}); not sealed`);
  const first = records[0]!;
  const last = records[records.length - 1]!;
  const header: BlockHeader = {
    first: first.seq,
    last: last.seq,
    firstAt: atOf(first, 0),
    lastAt: atOf(last, records.length - 1),
    prevHash: first.prevHash,
    lastHash: last.hash,
  };
  const lines = records.map((r) => `${r.hash} ${canonicalize(r.entry)}`);
  const body = await pipe(encoder.encode(lines.join('\n')), new CompressionStream('deflate-raw'));
  return { ...header, seal: await sealHash(sealInput(header, body)), body };
}

/** Why a block's stored bytes are not what was sealed (null: intact). Does not look at its neighbours. */
export async function blockProblem(block: LedgerBlock): Promise<string | null> {
  if (!(block.body instanceof ArrayBuffer) || typeof block.seal !== 'string') return 'block is not a sealed block';
  if ((await sealHash(sealInput(block, block.body))) !== block.seal) return `block seal does not match its contents (entries ${block.first}–${block.last} or the block's fields were changed)`;
  return null;
}

/** The block's entries as chain records (seq, prevHash, hash, parsed entry), in order. */
export async function expandBlock(block: LedgerBlock): Promise<ChainRecord<unknown>[]> {
  const text = decoder.decode(await pipe(new Uint8Array(block.body), new DecompressionStream('deflate-raw')));
  const records: ChainRecord<unknown>[] = [];
  let prevHash = block.prevHash;
  let seq = block.first;
  for (const line of text.split('\n')) {
    const hash = line.slice(0, 64);
    let entry: unknown;
    try {
      entry = JSON.parse(line.slice(65));
    } catch {
      entry = line.slice(65); // verification reports it as not a valid entry
    }
    records.push({ seq, prevHash, hash, entry });
    prevHash = hash;
    seq++;
  }
  return records;
}

/** Reads the stored ledger in order: sealed blocks in batches, then the unsealed records. */
export interface StoredLedger {
  checkpoint: Checkpoint | null;
  /** Blocks in seq order, a batch at a time (keeps memory flat on long ledgers). */
  blocks(): AsyncIterable<LedgerBlock[]>;
  /** The records after the last block, in seq order. */
  tail(): Promise<ChainRecord<unknown>[]>;
}

export interface StoredVerifyOptions {
  /** Re-hash every entry (expanding the blocks) instead of checking the blocks' seals. */
  deep?: boolean;
}

/**
 * Verifies the stored ledger. Routine (default): each block's seal and header, each block's link
 * to the one before (first = previous last + 1, prevHash = previous lastHash, from the checkpoint
 * or genesis), then every unsealed record fully (chain.ts). Deep: every entry re-hashed. Both give
 * chain.ts's result: the entry count, the head, or the first problem with its entry's position.
 */
export async function verifyStoredLedger(ledger: StoredLedger, options: StoredVerifyOptions = {}): Promise<VerifyResult> {
  let prev: Checkpoint = ledger.checkpoint ?? { seq: 0, hash: GENESIS_HASH };
  let count = 0;
  const broken = (index: number, seq: number | null, reason: string, total = count): VerifyResult => ({ intact: false, count: total, brokenAt: { index, seq, reason } satisfies BrokenAt });

  for await (const batch of ledger.blocks()) {
    if (options.deep) {
      for (const block of batch) {
        const records = await expandBlock(block);
        const result = await verifyChain(records, prev);
        if (!result.intact) return broken(count + result.brokenAt.index, result.brokenAt.seq, result.brokenAt.reason);
        const problem = await blockProblem(block);
        if (problem) return broken(count, block.first, problem);
        count += records.length;
        prev = { seq: result.lastSeq, hash: result.lastHash };
      }
      continue;
    }
    // All seals of the batch are checked at once: the digests run in parallel off this thread.
    const problems = await Promise.all(batch.map(blockProblem));
    for (let i = 0; i < batch.length; i++) {
      const block = batch[i]!;
      if (block.prevHash !== prev.hash) return broken(count, block.first, REASONS.link);
      if (block.first !== prev.seq + 1) return broken(count, block.first, REASONS.seq);
      if (problems[i]) return broken(count, block.first, problems[i]!);
      count += block.last - block.first + 1;
      prev = { seq: block.last, hash: block.lastHash };
    }
  }
  const tail = await ledger.tail();
  const result = await verifyChain(tail, prev);
  if (!result.intact) return broken(count + result.brokenAt.index, result.brokenAt.seq, result.brokenAt.reason, count + tail.length);
  return { intact: true, count: count + result.count, lastHash: result.lastHash, lastSeq: result.lastSeq };
}
