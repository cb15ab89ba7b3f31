import { AUDIT_SOURCE_FIELDS, DAY_MS, type AuditSourceRecord, type AuditSourceTable } from '../../audit';

/**
 * Dirty marks: which cached days are stale (docs/architecture.md, "Audit cache").
 *
 *   'd:<day>'     the UTC day's partial is stale (an event of that day, or a call of it, changed)
 *   'c:<callId>'  the call's facts changed: its own day and every day with one of its events are stale
 *   'all'         anything may be stale (a table was cleared, a bulk write of over BULK_ROWS rows,
 *                 the replaced rows could not be read; the v4 upgrade puts it too)
 *
 * What a row stands for is read from the fields lib/audit declares (AUDIT_SOURCE_FIELDS), the same
 * ones the report reads: the source tables are its keys, and a write that changes none of a
 * table's fields marks nothing.
 */
export const ALL_MARK = 'all';
export const dayMark = (day: number) => `d:${day}`;
export const callMark = (callId: string) => `c:${callId}`;

/** UTC day number of a time (epoch ms); null for anything that is not a finite number. */
export function utcDay(t: unknown): number | null {
  return typeof t === 'number' && Number.isFinite(t) ? Math.floor(t / DAY_MS) : null;
}

let lastVersion = 0;
/** A fresh, strictly increasing mark version (µs-scale clock, so it also grows across worker restarts). */
export function nextMarkVersion(): number {
  lastVersion = Math.max(lastVersion + 1, Date.now() * 1000);
  return lastVersion;
}

/** The tables the per-day partials are computed from. */
export const SOURCE_TABLES: readonly string[] = Object.keys(AUDIT_SOURCE_FIELDS);

/** A source table's row as stored, or anything (a row read back may be of an older shape). */
type StoredRow<T extends AuditSourceTable> = Partial<AuditSourceRecord<T>>;

/** The marks a row of a source table stands for (the day and call it belongs to). */
export function addMarks(table: string, row: unknown, out: Set<string>): void {
  if (typeof row !== 'object' || row === null) return;
  if (table === 'calls') {
    const c = row as StoredRow<'calls'>;
    const day = utcDay(c.admittedAt ?? c.detectedAt); // lib/audit's callTime, of a row that may lack both
    if (day !== null) out.add(dayMark(day));
    if (typeof c.id === 'string') out.add(callMark(c.id));
  } else if (table === 'events') {
    const e = row as StoredRow<'events'>;
    const day = utcDay(e.at);
    if (day !== null) out.add(dayMark(day));
    if (typeof e.callId === 'string') out.add(callMark(e.callId));
  } else {
    const cl = row as StoredRow<'checklists'>;
    if (typeof cl.callId === 'string') out.add(callMark(cl.callId));
  }
}

/** The day a call keeps whatever an update changes: its detection day (its old day when never admitted). */
export function detectionDay(row: unknown): number | null {
  return utcDay((row as StoredRow<'calls'> | undefined)?.detectedAt);
}

const watchedFields = (table: string): readonly string[] => AUDIT_SOURCE_FIELDS[table as AuditSourceTable] ?? [];

/** Whether an update of these fields (keypaths, e.g. 'data.outcome') can change what the audit reads. */
export function changesAuditFields(table: string, fields: readonly string[]): boolean {
  const watched = watchedFields(table);
  return fields.some((f) => watched.includes(f.split('.')[0]!));
}

/** A row as the audit sees it (an absent field and a null one differ). */
export function auditView(table: string, row: unknown): string {
  const r = (typeof row === 'object' && row !== null ? row : {}) as Record<string, unknown>;
  return JSON.stringify(watchedFields(table).map((field) => (r[field] === undefined ? [] : [r[field]])));
}
