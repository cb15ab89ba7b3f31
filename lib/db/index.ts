import Dexie, { type EntityTable } from 'dexie';
import {
  DB_NAME,
  type AccessLogRecord, type AiDraftRecord, type AuditDayRecord, type AuditDirtyRecord, type CallEvent, type CallRecord, type ChecklistRecord,
  type ConcernRecord, type LedgerBlockRecord, type LedgerRecord, type MetaRecord, type NoteRecord, type OrgEnrollmentRecord, type OutboxRecord,
  type PurgeReceiptRecord, type TagRecord, type WitnessCheckpointRecord,
} from '../model';

/**
 * Candor's IndexedDB database. Only the background writes it; the extension's pages read it. The
 * records are described once, in lib/model; this class says which tables and indexes hold them.
 */
export class CandorDB extends Dexie {
  calls!: EntityTable<CallRecord, 'id'>;
  events!: EntityTable<CallEvent, 'id'>;
  notes!: EntityTable<NoteRecord, 'callId'>;
  meta!: EntityTable<MetaRecord, 'key'>;
  tags!: EntityTable<TagRecord, 'id'>;
  checklists!: EntityTable<ChecklistRecord, 'callId'>;
  aiDrafts!: EntityTable<AiDraftRecord, 'callId'>;
  concerns!: EntityTable<ConcernRecord, 'id'>;
  accessLog!: EntityTable<AccessLogRecord, 'id'>;
  purgeReceipts!: EntityTable<PurgeReceiptRecord, 'id'>;
  ledger!: EntityTable<LedgerRecord, 'seq'>;
  outbox!: EntityTable<OutboxRecord, 'id'>;
  ledgerBlocks!: EntityTable<LedgerBlockRecord, 'first'>;
  auditDays!: EntityTable<AuditDayRecord, 'day'>;
  auditDirty!: EntityTable<AuditDirtyRecord, 'key'>;
  org!: EntityTable<OrgEnrollmentRecord, 'key'>;
  witnessCheckpoints!: EntityTable<WitnessCheckpointRecord, 'signature'>;

  constructor(name = DB_NAME) {
    super(name);
    this.version(1).stores({
      // admittedAt orders the popup's list (rows without it, lobby-only visits, are not indexed).
      calls: 'id, meetingHash, status, admittedAt, *tabIds',
      events: 'id, callId, type, at',
      notes: 'callId, updatedAt',
      meta: 'key',
    });
    // v2: the rep's side (tags, checklists, AI drafts), governance (concerns, access log, purge
    // receipts) and the consent ledger. New tables only: no upgrade function needed.
    this.version(2).stores({
      calls: 'id, meetingHash, status, admittedAt, detectedAt, *tabIds',
      events: 'id, callId, type, at, chain',
      tags: 'id, callId, at',
      checklists: 'callId, status, pendingSince, completedAt',
      aiDrafts: 'callId, updatedAt',
      concerns: 'id, category, status, createdAt',
      accessLog: 'id, at, purpose',
      purgeReceipts: 'id, at, kind',
      ledger: 'seq, at',
    });
    // v3: the org-sync outbox (new table only). nextAttemptAt finds due items, createdAt serves retention.
    this.version(3).stores({
      outbox: 'id, nextAttemptAt, createdAt',
    });
    // v4: the sealed ledger blocks (lastAt serves retention; existing entries are sealed by the
    // ledger writer on its next flush) and the audit report's per-day cache with its dirty marks
    // ('all' on upgrade: the cache is built from whatever is stored).
    this.version(4).stores({
      ledgerBlocks: 'first, lastAt',
      auditDays: 'day',
      auditDirty: 'key',
    }).upgrade((tx) => tx.table('auditDirty').put({ key: 'all', v: 1 }));
    // v5: a call's tags in order without reading them all (a restored call may hold thousands).
    this.version(5).stores({
      tags: 'id, callId, at, [callId+offsetMs]',
    });
    // v6: the organisation service (new tables only): this install's enrollment, and the witness's
    // signed checkpoints of the ledger (seq finds the latest and the ones a check covers).
    this.version(6).stores({
      org: 'key',
      witnessCheckpoints: 'signature, seq',
    });
  }
}
