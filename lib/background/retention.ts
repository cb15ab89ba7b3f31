import type { Table } from 'dexie';
import type { CandorDB } from '../db';
import { blockRecords, LEDGER_CHECKPOINT_KEY } from '../db/ledger-store';
import { blockProblem, sealBlock } from '../ledger/blocks';
import type { Policy } from '../policy/schema';
import { outboxRow, syncEnabled } from '../sync/payload';
import { deleteRowsRead } from './audit-cache/middleware';
import type { Services } from './services';
import type { OutboxKind, PurgeReceiptRecord, RetentionKind } from '../model';

export const RETENTION_ALARM = 'retention-purge';
const DAY_MS = 24 * 3_600_000;
/**
 * Rows deleted per transaction: small enough that a message waiting for the same table is never
 * held up for long (bench row 7). Between chunks the purge yields to pending events.
 */
export const PURGE_CHUNK = 25;

interface Target {
  kind: RetentionKind;
  table: (db: CandorDB) => Table<Record<string, unknown>, unknown>;
  /** Indexed timestamp the retention clock runs from. */
  index: string;
}

/** What each retention kind covers. Consent records (events + ledger) are the proof: kept longest. */
export const retentionTargets: readonly Target[] = [
  { kind: 'consent', table: (db) => db.events as never, index: 'at' },
  { kind: 'calls', table: (db) => db.calls as never, index: 'detectedAt' },
  { kind: 'notes', table: (db) => db.notes as never, index: 'updatedAt' },
  { kind: 'tags', table: (db) => db.tags as never, index: 'at' },
  { kind: 'checklists', table: (db) => db.checklists as never, index: 'pendingSince' },
  { kind: 'aiDrafts', table: (db) => db.aiDrafts as never, index: 'updatedAt' },
  { kind: 'concerns', table: (db) => db.concerns as never, index: 'createdAt' },
  { kind: 'accessLog', table: (db) => db.accessLog as never, index: 'at' },
];

const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Deletes rows older than the cutoff in small transactions; returns count and purged date range. */
async function purgeTable(db: CandorDB, target: Target, cutoff: number) {
  const table = target.table(db);
  const expired = () => table.where(target.index).below(cutoff);
  // The purged range, from the index alone (one cursor step each): no row is read.
  const [[oldest], [newest]] = (await Promise.all([expired().limit(1).keys(), expired().reverse().limit(1).keys()])) as [number[], number[]];
  let count = 0;
  for (;;) {
    // One ranged read of the chunk's rows (one request, not a cursor step per row), deleted with
    // the rows attached: the audit cache takes their days and calls from them, reading none again.
    const deleted = await db.transaction('rw', table, async (tx) => {
      const rows = await expired().limit(PURGE_CHUNK).toArray();
      await deleteRowsRead(tx, table, rows);
      return rows.length;
    });
    if (deleted === 0) break;
    count += deleted;
    await yieldToEvents();
  }
  return { count, oldest: count ? (oldest ?? null) : null, newest: count ? (newest ?? null) : null };
}

/**
 * Ledger entries are purged as a prefix only (oldest first, stopping at the first one still within
 * retention), and the last purged entry's {seq, hash} is kept as a checkpoint so the rest verifies.
 * Sealed blocks go first, a block per transaction: a fully expired block is deleted; a block
 * expired only in part is re-sealed with the entries that remain. A block whose seal does not
 * match is left alone (purging it would launder the damage): the purge stops and verification
 * keeps reporting it. Then the unsealed records, PURGE_CHUNK at a time.
 */
async function purgeLedger(db: CandorDB, cutoff: number) {
  const purged: number[] = [];
  const done = await purgeLedgerBlocks(db, cutoff, purged);
  while (!done) {
    const batch = await db.transaction('rw', db.ledger, db.ledgerBlocks, db.meta, async () => {
      if ((await db.ledgerBlocks.count()) > 0) return []; // a block was sealed meanwhile: it comes first
      const rows = await db.ledger.orderBy('seq').limit(PURGE_CHUNK).toArray();
      const expired = [];
      for (const r of rows) {
        if (r.at >= cutoff) break;
        expired.push(r);
      }
      if (expired.length === 0) return [];
      const last = expired[expired.length - 1]!;
      await db.ledger.bulkDelete(expired.map((r) => r.seq));
      await db.meta.put({ key: LEDGER_CHECKPOINT_KEY, value: { seq: last.seq, hash: last.hash } });
      return expired.map((r) => r.at);
    });
    if (batch.length === 0) break;
    purged.push(...batch);
    await yieldToEvents();
  }
  return { count: purged.length, oldest: purged.length ? Math.min(...purged) : null, newest: purged.length ? Math.max(...purged) : null };
}

/** Purges expired sealed blocks into `purged` (their entries' times); true when the prefix ended inside the blocks. */
async function purgeLedgerBlocks(db: CandorDB, cutoff: number, purged: number[]): Promise<boolean> {
  for (;;) {
    const block = await db.ledgerBlocks.orderBy('first').first();
    if (!block) return false;
    if (block.firstAt >= cutoff) return true;
    const records = await blockRecords(block);
    let k = 0;
    while (k < records.length && records[k]!.at < cutoff) k++;
    if (k === 0) return true;
    if (await blockProblem(block)) return true;
    const lastPurged = records[k - 1]!;
    // The seal covers the remaining entries again; their times come from the entries (as for the block).
    const rest = records.slice(k);
    const replacement = rest.length ? await sealBlock(rest, { seq: lastPurged.seq, hash: lastPurged.hash }, (_, i) => rest[i]!.at) : null;
    await db.transaction('rw', db.ledgerBlocks, db.meta, async () => {
      const current = await db.ledgerBlocks.get(block.first);
      if (current?.seal !== block.seal) throw new Error('a ledger block changed during the purge; it is retried on the next run');
      await db.ledgerBlocks.delete(block.first);
      if (replacement) await db.ledgerBlocks.add(replacement);
      await db.meta.put({ key: LEDGER_CHECKPOINT_KEY, value: { seq: lastPurged.seq, hash: lastPurged.hash } });
    });
    for (let i = 0; i < k; i++) purged.push(records[i]!.at);
    if (replacement) return true;
    await yieldToEvents();
  }
}

/**
 * Org-sync copies waiting in the outbox follow the retention of what they copy (purge receipts, which
 * are never purged locally, keep the consent limit): an unreachable endpoint must not keep data alive.
 */
const outboxRetention: Record<OutboxKind, RetentionKind> = { consent: 'consent', 'purge-receipt': 'consent', 'access-log': 'accessLog', concern: 'concerns', 'call-summary': 'calls' };

async function purgeOutbox(db: CandorDB, policy: Policy, now: number): Promise<number> {
  const shortest = Math.min(...Object.values(outboxRetention).map((k) => policy.retentionDays[k]));
  const expired = (row: { kind: OutboxKind; createdAt: number }) => row.createdAt < now - policy.retentionDays[outboxRetention[row.kind]] * DAY_MS;
  return db.outbox.where('createdAt').below(now - shortest * DAY_MS).filter(expired).delete();
}

/** Purges everything past its retention and writes one receipt per kind purged (no content). */
export async function runRetention(s: Services): Promise<PurgeReceiptRecord[]> {
  const { policy } = await s.policy();
  const now = s.now();
  const receipts: PurgeReceiptRecord[] = [];
  for (const target of retentionTargets) {
    const cutoff = now - policy.retentionDays[target.kind] * DAY_MS;
    const result = await purgeTable(s.db, target, cutoff);
    if (target.kind === 'consent') {
      const ledger = await purgeLedger(s.db, cutoff);
      result.count += ledger.count;
      result.oldest = ledger.oldest === null ? result.oldest : Math.min(result.oldest ?? Infinity, ledger.oldest);
      result.newest = ledger.newest === null ? result.newest : Math.max(result.newest ?? -Infinity, ledger.newest);
    }
    if (result.count > 0) receipts.push({ id: crypto.randomUUID(), at: now, kind: target.kind, ...result });
  }
  await purgeOutbox(s.db, policy, now);
  if (receipts.length) {
    const { db } = s;
    await db.transaction('rw', db.purgeReceipts, db.outbox, async () => {
      await db.purgeReceipts.bulkAdd(receipts);
      // Org sync: receipts are queued with their write (docs/sync.md).
      if (syncEnabled(policy)) await db.outbox.bulkAdd(receipts.map((r) => outboxRow('purge-receipt', r, now)));
    });
  }
  return receipts;
}
