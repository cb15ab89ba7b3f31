import type { Table } from 'dexie';
import type { CandorDB, OutboxKind, PurgeReceiptRecord, RetentionKind } from '../db';
import type { Policy } from '../policy/schema';
import { outboxRow, syncEnabled } from '../sync/payload';
import type { Services } from './services';

export const RETENTION_ALARM = 'retention-purge';
const DAY_MS = 24 * 3_600_000;
/**
 * Rows deleted per transaction: small enough that a message waiting for the same table is never
 * held up for long (bench row 7). Between chunks the purge yields to pending events.
 */
export const PURGE_CHUNK = 25;
export const LEDGER_CHECKPOINT_KEY = 'ledgerCheckpoint';

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
  let count = 0;
  let oldest: number | null = null;
  let newest: number | null = null;
  for (;;) {
    const batch = await db.transaction('rw', table, async () => {
      // Keys only (index value + primary key): reading whole rows would cost more than deleting them.
      const times: number[] = [];
      const keys: unknown[] = [];
      await table.where(target.index).below(cutoff).limit(PURGE_CHUNK).eachKey((time, cursor) => {
        times.push(time as number);
        keys.push(cursor.primaryKey);
      });
      await table.bulkDelete(keys);
      return times;
    });
    if (batch.length === 0) break;
    count += batch.length;
    oldest = Math.min(oldest ?? Infinity, ...batch);
    newest = Math.max(newest ?? -Infinity, ...batch);
    await yieldToEvents();
  }
  return { count, oldest, newest };
}

/**
 * Ledger records are purged as a prefix only (oldest first, stopping at the first one still within
 * retention), and the last purged record's {seq, hash} is kept as a checkpoint so the rest verifies.
 */
async function purgeLedger(db: CandorDB, cutoff: number) {
  let count = 0;
  let oldest: number | null = null;
  let newest: number | null = null;
  for (;;) {
    const batch = await db.transaction('rw', db.ledger, db.meta, async () => {
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
    count += batch.length;
    oldest = Math.min(oldest ?? Infinity, ...batch);
    newest = Math.max(newest ?? -Infinity, ...batch);
    await yieldToEvents();
  }
  return { count, oldest, newest };
}

/**
 * Org-sync copies waiting in the outbox follow the retention of what they copy (purge receipts, which
 * are never purged locally, keep the consent limit): an unreachable endpoint must not keep data alive.
 */
const outboxRetention: Record<OutboxKind, RetentionKind> = { consent: 'consent', 'purge-receipt': 'consent', 'access-log': 'accessLog', concern: 'concerns' };

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
