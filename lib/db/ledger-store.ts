import type { Checkpoint, ChainRecord } from '../ledger/chain';
import { expandBlock, type StoredLedger } from '../ledger/blocks';
import type { CandorDB } from './index';
import type { LedgerBlockRecord, LedgerRecord } from '../model';

/**
 * Reading the stored consent ledger: sealed blocks (`ledgerBlocks`) followed by the newest
 * entries, one record each (`ledger`). lib/ledger/blocks.ts says why and how; writes are the
 * background's (lib/background/ledger.ts seals, lib/background/retention.ts purges).
 */

/** meta key of the retention checkpoint: the last purged entry's {seq, hash}. */
export const LEDGER_CHECKPOINT_KEY = 'ledgerCheckpoint';
/** Blocks per read: ~700 KB each, so a batch stays around 20 MB. */
const BLOCKS_PER_READ = 24;

export async function ledgerCheckpoint(db: CandorDB): Promise<Checkpoint | null> {
  return ((await db.meta.get(LEDGER_CHECKPOINT_KEY))?.value as Checkpoint | undefined) ?? null;
}

export function storedLedger(db: CandorDB, checkpoint: Checkpoint | null): StoredLedger {
  return {
    checkpoint,
    async *blocks() {
      let after = -Infinity;
      for (;;) {
        const batch = await db.ledgerBlocks.where('first').above(after).limit(BLOCKS_PER_READ).toArray();
        if (batch.length === 0) return;
        yield batch;
        after = batch[batch.length - 1]!.first;
      }
    },
    tail: () => db.ledger.orderBy('seq').toArray(),
  };
}

/** An expanded block entry as a stored record (its event time from the entry's `at`). */
function toLedgerRecord(r: ChainRecord<unknown>): LedgerRecord {
  const at = Date.parse(String((r.entry as { at?: unknown } | null)?.at));
  return { seq: r.seq, at: Number.isFinite(at) ? at : 0, prevHash: r.prevHash, hash: r.hash, entry: r.entry as Record<string, unknown> };
}

export async function blockRecords(block: LedgerBlockRecord): Promise<LedgerRecord[]> {
  return (await expandBlock(block)).map(toLedgerRecord);
}

/** Every stored entry as one record each, in seq order (exports and backups). */
export async function allLedgerRecords(db: CandorDB): Promise<LedgerRecord[]> {
  const ledger = storedLedger(db, null);
  const out: LedgerRecord[] = [];
  for await (const batch of ledger.blocks()) for (const block of batch) for (const r of await blockRecords(block)) out.push(r);
  for (const r of await db.ledger.orderBy('seq').toArray()) out.push(r);
  return out;
}

/** Which blocks and unsealed records are stored (keys only): equal shapes hold the same entries. */
export async function ledgerShape(db: CandorDB): Promise<string> {
  const [blocks, tail] = await Promise.all([db.ledgerBlocks.toCollection().primaryKeys(), db.ledger.toCollection().primaryKeys()]);
  return JSON.stringify([blocks, tail]);
}
