/**
 * What the audit report is computed from. The three call tables (calls, events, checklists) are
 * seen through AUDIT_SOURCE_FIELDS: the report's record types are cut from that list, so the
 * compiler rejects a read of any other field, and the background's per-day cache
 * (lib/background/audit-cache) watches exactly the fields in it. Adding a field to what the
 * report reads is adding it here, which makes the cache watch it too.
 */
import type {
  AccessLogRecord, AiDraftRecord, CallEvent, CallRecord, ChecklistRecord, ConcernRecord, PurgeReceiptRecord, RetentionKind,
} from '../model';
import type { AuditLedger, AuditPeriod } from './types';

/** The stored record of each table the call-based sections are computed from (the table names are the database's). */
interface SourceRecords {
  calls: CallRecord;
  events: CallEvent;
  checklists: ChecklistRecord;
}
export type AuditSourceTable = keyof SourceRecords;

/**
 * The fields of each source table the call-based sections read (and the day a row belongs to is
 * computed from). A write that changes none of them cannot change any report: the cache leaves
 * its days as they are (updatedAt, tabIds, the ledger's `chain`, a reminder's remindedAt…).
 */
export const AUDIT_SOURCE_FIELDS = {
  calls: ['id', 'detectedAt', 'admittedAt', 'status', 'outcome', 'detectedBy', 'checklistNotRequired'],
  events: ['id', 'callId', 'type', 'at', 'data'],
  checklists: ['callId', 'status', 'pendingSince', 'completedAt', 'fields', 'dismissal'],
} as const satisfies { [T in AuditSourceTable]: readonly (keyof SourceRecords[T])[] };

/** A source table's record as the audit sees it: only the fields it watches. */
export type AuditSourceRecord<T extends AuditSourceTable> = Pick<SourceRecords[T], (typeof AUDIT_SOURCE_FIELDS)[T][number] & keyof SourceRecords[T]>;
export type AuditCall = AuditSourceRecord<'calls'>;
export type AuditEvent = AuditSourceRecord<'events'>;
export type AuditChecklist = AuditSourceRecord<'checklists'>;

/** The time a call is reported under: its admission, its detection when it was never admitted. */
export const callTime = (c: Pick<AuditCall, 'admittedAt' | 'detectedAt'>): number => c.admittedAt ?? c.detectedAt;

export interface AuditInput {
  period: AuditPeriod;
  /** The time the report is made (epoch ms): ages are measured from it. */
  now: number;
  calls: AuditCall[];
  events: AuditEvent[];
  checklists: AuditChecklist[];
  aiDrafts: AiDraftRecord[];
  concerns: ConcernRecord[];
  accessLog: AccessLogRecord[];
  purgeReceipts: PurgeReceiptRecord[];
  /** The policy's retention limit per kind, in days. */
  retentionDays: Record<RetentionKind, number>;
  /** The oldest stored row's timestamp per kind (null or absent: nothing stored). */
  oldest: Partial<Record<RetentionKind, number | null>>;
  ledger: AuditLedger;
}

/** What the report needs besides the call-based sections: the small tables, the clock, the policy. */
export type AuditTablesInput = Omit<AuditInput, 'calls' | 'events' | 'checklists' | 'ledger'>;
