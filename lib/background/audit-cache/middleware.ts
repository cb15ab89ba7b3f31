import Dexie, {
  type DBCore, type DBCoreDeleteRequest, type DBCoreMutateRequest, type DBCorePutRequest, type DBCoreTable, type DBCoreTransaction, type Middleware,
  type Table, type Transaction,
} from 'dexie';
import type { AuditDirtyRecord } from '../../model';
import { addMarks, ALL_MARK, auditView, changesAuditFields, dayMark, detectionDay, nextMarkVersion, SOURCE_TABLES } from './marks';

/**
 * The dirty marks are written by a Dexie DBCore middleware in the same transaction as every write
 * to the tables the cache is built from: a write and its mark commit or abort together, so the
 * cache can never miss a change.
 *
 * Every mutation marks the rows it touches: their own day at once (a deleted row's day cannot be
 * read later) and their call as a 'c:' mark, which the refresh resolves to days from what is stored
 * then. That is exact: a call or event deleted meanwhile marked its own day when it went. No write
 * reads another table, so a transaction holds only the stores it names plus auditDirty (a purge of
 * events does not wait for, or hold up, a write to calls; bench row 7).
 */

const DIRTY_TABLE = 'auditDirty';
/** DBCoreRangeType (a const enum, not importable at runtime): Any (table.clear()). */
const RANGE_ANY = 3;
/**
 * A mutation of more rows (a backup import) marks 'all' instead of reading the rows it replaces:
 * reading them would cost as much as the full rebuild that many marks lead to anyway.
 */
const BULK_ROWS = 1_000;

/**
 * Dexie's own promise: its callbacks run in the transaction's zone, which the layers below read
 * (a native `await` here would lose it).
 */
const inZone = <T>(p: PromiseLike<T>) => Dexie.Promise.resolve(p);

/** A delete that carries the rows it deletes, as read in its transaction (deleteRowsRead builds it). */
interface DeleteOfRowsRead extends DBCoreDeleteRequest {
  rowsRead: readonly object[];
}
const carriesRows = (req: DBCoreMutateRequest): req is DeleteOfRowsRead =>
  req.type === 'delete' && Array.isArray((req as Partial<DeleteOfRowsRead>).rowsRead);

/**
 * Deletes rows the caller has just read in `tx`, a readwrite transaction on `table` (the retention
 * purge reads each chunk with one ranged read). The delete request carries the rows: the
 * middleware takes their days and calls from them instead of reading each row again by key. On a
 * table the cache is not built from, a plain bulk delete.
 */
export function deleteRowsRead(tx: Transaction, table: Table, rows: readonly object[]): Promise<void> {
  const { keyPath } = table.schema.primKey;
  const keys = rows.map((row) => Dexie.getByKeyPath(row, keyPath as string) as unknown);
  // The DBCore transaction of a Dexie transaction is its idbtrans (what Table.bulkDelete passes).
  const req: DeleteOfRowsRead = { type: 'delete', trans: tx.idbtrans as unknown as DBCoreTransaction, keys, rowsRead: rows };
  return inZone(table.core.mutate(req)).then(({ numFailures, failures }) => {
    if (numFailures > 0) throw new Dexie.BulkError(`${table.name}: ${numFailures} of ${keys.length} deletes failed`, failures);
  });
}

/** The fields an update changes (keypaths), or null when the put is not an update. */
function changedFields(req: DBCorePutRequest): string[] | null {
  if (req.changeSpec) return Object.keys(req.changeSpec);
  if (req.updates) return [...new Set(req.updates.changeSpecs.flatMap((spec) => Object.keys(spec)))];
  return null;
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
    case 'delete':
      if (carriesRows(req)) return req.rowsRead;
      return table.getMany({ trans: req.trans, keys: req.keys });
    case 'deleteRange':
      // clear() (delete-all): reading every row would cost as much as rebuilding the cache.
      if (req.range.type === RANGE_ANY) return 'all';
      return (await table.query({ trans: req.trans, query: { index: table.schema.primaryKey, range: req.range }, values: true })).result;
  }
}

/** The marks of a mutation, from the rows it replaces or deletes (`previous`) and the rows it writes. */
function mutationMarks(table: string, req: DBCoreMutateRequest, previous: readonly unknown[] | 'all'): Set<string> {
  const keys = new Set<string>();
  if (previous === 'all') keys.add(ALL_MARK);
  else if (req.type === 'put') {
    // getMany answers key by key: previous[i] is the row values[i] replaces (undefined: none).
    req.values.forEach((row, i) => {
      const old = previous[i];
      if (old !== undefined && auditView(table, old) === auditView(table, row)) return;
      addMarks(table, old, keys);
      addMarks(table, row, keys);
    });
  } else {
    for (const row of previous) addMarks(table, row, keys);
    if (req.type === 'add') for (const row of req.values) addMarks(table, row, keys);
  }
  return keys;
}

/**
 * The marks of an update (Table.update, Collection.modify, bulkUpdate), which says which fields it
 * changes: no need to read the old rows (a read per write, on every decision's path). Untouched
 * audit fields: no mark. Otherwise the new rows say everything: an event's time and call never
 * change, and a call's old day is its detection day, which it keeps.
 */
function updateMarks(table: string, req: DBCorePutRequest, fields: readonly string[]): Set<string> {
  const keys = new Set<string>();
  if (!changesAuditFields(table, fields)) return keys;
  for (const row of req.values) {
    addMarks(table, row, keys);
    const detectedDay = table === 'calls' ? detectionDay(row) : null;
    if (detectedDay !== null) keys.add(dayMark(detectedDay));
  }
  return keys;
}

function markWrites(down: DBCore, table: DBCoreTable, onMarked: () => void): DBCoreTable {
  const putMarks = (trans: DBCoreTransaction, keys: Set<string>): PromiseLike<unknown> => {
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
  /** The write's result, once its marks (if any) are queued in its transaction. */
  const withMarks = <T>(trans: DBCoreTransaction, keys: Set<string>, result: T): T | PromiseLike<T> =>
    keys.size === 0 ? result : putMarks(trans, keys).then(() => result);
  return {
    ...table,
    mutate(req) {
      const fields = req.type === 'put' ? changedFields(req) : null;
      if (req.type === 'put' && fields !== null) {
        return inZone(table.mutate(req)).then((result) => withMarks(req.trans, updateMarks(table.name, req, fields), result));
      }
      return inZone(previousRows(table, req))
        .catch((): 'all' => 'all')
        .then((previous) => inZone(table.mutate(req)).then((result) => withMarks(req.trans, mutationMarks(table.name, req, previous), result)));
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
