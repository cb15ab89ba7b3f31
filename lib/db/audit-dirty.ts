import Dexie, { type DBCore, type DBCoreMutateRequest, type DBCorePutRequest, type DBCoreTable, type DBCoreTransaction, type Middleware } from 'dexie';
import { DAY_MS } from '../audit/stats';
import type { AuditDirtyRecord, CallEvent, CallRecord, ChecklistRecord } from '../model';

/**
 * Dirty marks for the audit report's per-day cache (lib/background/audit-days.ts), written by a
 * Dexie DBCore middleware in the same transaction as every write to the tables the cache is built
 * from: a write and its mark commit or abort together, so the cache can never miss a change.
 *
 *   'd:<day>'     the UTC day's partial is stale (an event of that day, or a call of it, changed)
 *   'c:<callId>'  the call's facts changed: its own day and every day with one of its events are stale
 *   'all'         anything may be stale (a table was cleared, a bulk write of over BULK_ROWS rows,
 *                 the replaced rows could not be read; the v4 upgrade puts it too)
 *
 * Every mutation marks the rows it touches: their own day at once (a deleted row's day cannot be
 * read later) and their call as a 'c:' mark, which the refresh resolves to days from what is stored
 * then. That is exact: a call or event deleted meanwhile marked its own day when it went. No write
 * reads another table, so a transaction holds only the stores it names plus auditDirty (a purge of
 * events does not wait for, or hold up, a write to calls; bench row 7).
 */
export const ALL_MARK = 'all';
export const dayMark = (day: number) => `d:${day}`;
export const callMark = (callId: string) => `c:${callId}`;

/** UTC day number of a time (epoch ms); null for anything that is not a finite number. */
export function utcDay(t: unknown): number | null {
  return typeof t === 'number' && Number.isFinite(t) ? Math.floor(t / DAY_MS) : null;
}

/** The time a call is reported under (lib/audit: its admission, its detection when never admitted). */
export const callTime = (c: Pick<CallRecord, 'admittedAt' | 'detectedAt'>): number => c.admittedAt ?? c.detectedAt;

const DIRTY_TABLE = 'auditDirty';
/** The tables the per-day partials are computed from. */
const SOURCE_TABLES = ['calls', 'events', 'checklists'];
/** DBCoreRangeType (a const enum, not importable at runtime): Any (table.clear()). */
const RANGE_ANY = 3;
/**
 * A mutation of more rows (a backup import) marks 'all' instead of reading the rows it replaces:
 * reading them would cost as much as the full rebuild that many marks lead to anyway.
 */
const BULK_ROWS = 1_000;

let lastVersion = 0;
/** A fresh, strictly increasing mark version (µs-scale clock, so it also grows across worker restarts). */
export function nextMarkVersion(): number {
  lastVersion = Math.max(lastVersion + 1, Date.now() * 1000);
  return lastVersion;
}

/** The marks a row of `table` stands for (the day and call it belongs to). */
function addMarks(table: string, row: unknown, out: Set<string>): void {
  if (typeof row !== 'object' || row === null) return;
  if (table === 'calls') {
    const c = row as Partial<CallRecord>;
    const day = utcDay(c.admittedAt ?? c.detectedAt);
    if (day !== null) out.add(dayMark(day));
    if (typeof c.id === 'string') out.add(callMark(c.id));
  } else if (table === 'events') {
    const e = row as Partial<CallEvent>;
    const day = utcDay(e.at);
    if (day !== null) out.add(dayMark(day));
    if (typeof e.callId === 'string') out.add(callMark(e.callId));
  } else {
    const cl = row as Partial<ChecklistRecord>;
    if (typeof cl.callId === 'string') out.add(callMark(cl.callId));
  }
}

/**
 * The fields the audit reads of each source table. A put that changes none of them (updatedAt,
 * tabIds, the ledger's `chain`, a reminder's remindedAt…) leaves every day as it was: no mark.
 */
const AUDIT_FIELDS: Record<string, readonly string[]> = {
  calls: ['id', 'detectedAt', 'admittedAt', 'status', 'outcome', 'detectedBy'],
  events: ['id', 'callId', 'type', 'at', 'data'],
  checklists: ['callId', 'status', 'pendingSince', 'completedAt', 'fields'],
};

/** A row as the audit sees it (an absent field and a null one differ). */
function auditView(table: string, row: unknown): string {
  const r = (typeof row === 'object' && row !== null ? row : {}) as Record<string, unknown>;
  return JSON.stringify((AUDIT_FIELDS[table] ?? []).map((field) => (r[field] === undefined ? [] : [r[field]])));
}

/** The fields an update changes (keypaths), or null when the put is not an update. */
function changedFields(req: DBCorePutRequest): string[] | null {
  if (req.changeSpec) return Object.keys(req.changeSpec);
  if (req.updates) return [...new Set(req.updates.changeSpecs.flatMap((spec) => Object.keys(spec)))];
  return null;
}

/**
 * Rows a caller read in the writing transaction just before deleting them, by table and primary
 * key (the retention purge reads each chunk with one ranged read): a delete of exactly those keys
 * takes its marks from them instead of reading every row again, one request per key.
 */
const rowsReadBeforeDelete = new WeakMap<object, Map<string, ReadonlyMap<unknown, unknown>>>();

/** Hands rows about to be deleted in `trans` (Dexie's `Transaction.idbtrans`) to the middleware. */
export function handOverRowsToDelete(trans: object, table: string, rowsByKey: ReadonlyMap<unknown, unknown>): void {
  const tables = rowsReadBeforeDelete.get(trans) ?? new Map<string, ReadonlyMap<unknown, unknown>>();
  tables.set(table, rowsByKey);
  rowsReadBeforeDelete.set(trans, tables);
}

/** The stored rows a mutation replaces or deletes (their day and call are stale too). */
async function previousRows(table: DBCoreTable, req: DBCoreMutateRequest): Promise<readonly unknown[] | 'all'> {
  const rows = req.type === 'delete' ? req.keys.length : req.type === 'deleteRange' ? 0 : req.values.length;
  if (rows > BULK_ROWS) return 'all';
  switch (req.type) {
    case 'add':
      return [];
    case 'put': {
      const keys = req.keys ?? req.values.map((v) => table.schema.primaryKey.extractKey!(v));
      return table.getMany({ trans: req.trans, keys });
    }
    case 'delete': {
      const handed = rowsReadBeforeDelete.get(req.trans)?.get(table.name);
      if (handed && req.keys.every((key) => handed.has(key))) return req.keys.map((key) => handed.get(key));
      return table.getMany({ trans: req.trans, keys: req.keys });
    }
    case 'deleteRange':
      // clear() (delete-all): reading every row would cost as much as rebuilding the cache.
      if (req.range.type === RANGE_ANY) return 'all';
      return (await table.query({ trans: req.trans, query: { index: table.schema.primaryKey, range: req.range }, values: true })).result;
  }
}

/**
 * Dexie's own promise: its callbacks run in the transaction's zone, which the layers below read
 * (a native `await` here would lose it).
 */
const inZone = <T>(p: PromiseLike<T>) => Dexie.Promise.resolve(p);

function markWrites(down: DBCore, table: DBCoreTable, onMarked: () => void): DBCoreTable {
  const putMarks = (trans: DBCoreTransaction, keys: Set<string>): PromiseLike<unknown> => {
    if (keys.size === 0) return inZone(Promise.resolve());
    const values: AuditDirtyRecord[] = [...keys].map((key) => ({ key, v: nextMarkVersion() }));
    // Best effort: the user's write never fails because of its mark (the worst case is a stale day).
    try {
      const put = down.table(DIRTY_TABLE).mutate({ type: 'put', trans, values });
      onMarked();
      return inZone(put).catch(() => undefined);
    } catch {
      return inZone(Promise.resolve());
    }
  };
  return {
    ...table,
    mutate(req) {
      // An update (Table.update, Collection.modify, bulkUpdate) says which fields it changes: no
      // need to read the old rows (a read per write, on every decision's path). Untouched audit
      // fields: no mark. Otherwise the new rows say everything: an event's time and call never
      // change, and a call's old day is its detection day, which it keeps.
      const fields = req.type === 'put' ? changedFields(req) : null;
      if (req.type === 'put' && fields !== null) {
        const relevant = fields.some((f) => (AUDIT_FIELDS[table.name] ?? []).includes(f.split('.')[0]!));
        return inZone(table.mutate(req)).then((result) => {
          if (!relevant) return result;
          const keys = new Set<string>();
          for (const row of req.values) {
            addMarks(table.name, row, keys);
            const detectedDay = table.name === 'calls' ? utcDay((row as Partial<CallRecord>).detectedAt) : null;
            if (detectedDay !== null) keys.add(dayMark(detectedDay));
          }
          return putMarks(req.trans, keys).then(() => result);
        });
      }
      return inZone(previousRows(table, req))
        .catch((): 'all' => 'all')
        .then((previous) =>
          inZone(table.mutate(req)).then((result) => {
            const keys = new Set<string>();
            if (previous === 'all') keys.add(ALL_MARK);
            else if (req.type === 'put') {
              // getMany answers key by key: previous[i] is the row values[i] replaces (undefined: none).
              req.values.forEach((row, i) => {
                const old = previous[i];
                if (old !== undefined && auditView(table.name, old) === auditView(table.name, row)) return;
                addMarks(table.name, old, keys);
                addMarks(table.name, row, keys);
              });
            } else {
              for (const row of previous) addMarks(table.name, row, keys);
              if (req.type === 'add') for (const row of req.values) addMarks(table.name, row, keys);
            }
            return putMarks(req.trans, keys).then(() => result);
          }));
    },
  };
}

/**
 * The middleware: readwrite transactions that include a source table also get the auditDirty
 * store, and every mutation of a source table puts its marks in that transaction. Only the
 * background's database uses it (only the background writes). `onMarked` runs after each mark is
 * queued (the background schedules a refresh: whatever path wrote, the cache follows).
 */
export function auditDirtyMiddleware(onMarked: () => void = () => undefined): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name: 'AuditDirty',
    create(down) {
      return {
        ...down,
        transaction(stores, mode, options) {
          const needsMarks = mode === 'readwrite' && stores.some((name) => SOURCE_TABLES.includes(name));
          return down.transaction(needsMarks ? [...new Set([...stores, DIRTY_TABLE])] : stores, mode, options);
        },
        table(name) {
          const table = down.table(name);
          return SOURCE_TABLES.includes(name) ? markWrites(down, table, onMarked) : table;
        },
      };
    },
  };
}
