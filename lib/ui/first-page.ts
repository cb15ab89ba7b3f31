
import type { CallRecord, ChecklistRecord } from '../model';

/**
 * The popup list's first screen read with plain IndexedDB, no Dexie, no React: it runs from
 * entrypoints/popup-first-page.ts, a tiny script popup.html loads next to the UI bundle, so the
 * database is opened and queried while that bundle is still being loaded and evaluated
 * (docs/performance.md, row 5). The same queries as components/popup/list-data.ts (Dexie):
 * pending checklists' calls (most recent first) and the newest `limit` admitted calls.
 * Resolves null on any problem; the list then simply waits for its live queries.
 */

/** lib/db's DB_NAME (a value import would pull Dexie into this script; a unit test keeps them equal). */
export const FIRST_PAGE_DB_NAME = 'candor';
export const FIRST_PAGE_KEY = '__candorFirstPage';

export interface FirstPage {
  pending: CallRecord[];
  recent: CallRecord[];
}

/** IndexedDB 3 (Chrome 141+): getAll with a direction; older engines walk a cursor. */
function newestByIndex(index: IDBIndex, limit: number, done: (rows: CallRecord[]) => void): void {
  if ('getAllRecords' in IDBObjectStore.prototype) {
    const req = (index.getAll as unknown as (o: { count: number; direction: IDBCursorDirection }) => IDBRequest<CallRecord[]>)({ count: limit, direction: 'prev' });
    req.onsuccess = () => done(req.result);
    return;
  }
  const rows: CallRecord[] = [];
  const req = index.openCursor(null, 'prev');
  req.onsuccess = () => {
    const cursor = req.result;
    if (!cursor || rows.length >= limit) return done(rows);
    rows.push(cursor.value as CallRecord);
    cursor.continue();
  };
}

export function readFirstPage(limit: number, idb: IDBFactory = indexedDB): Promise<FirstPage | null> {
  return new Promise((resolve) => {
    let open: IDBOpenDBRequest;
    try {
      open = idb.open(FIRST_PAGE_DB_NAME);
    } catch {
      return resolve(null);
    }
    // No database yet: do not create an empty one (Dexie creates it with its schema).
    open.onupgradeneeded = () => open.transaction?.abort();
    open.onerror = () => resolve(null);
    open.onblocked = () => resolve(null);
    open.onsuccess = () => {
      const db = open.result;
      db.onversionchange = () => db.close();
      let recent: CallRecord[] | null = null;
      const pending: CallRecord[] = [];
      try {
        const tx = db.transaction(['calls', 'checklists'], 'readonly');
        tx.oncomplete = () => {
          db.close();
          resolve(recent ? { pending: pending.reverse(), recent } : null);
        };
        tx.onabort = () => {
          db.close();
          resolve(null);
        };
        const calls = tx.objectStore('calls');
        newestByIndex(calls.index('admittedAt'), limit, (rows) => (recent = rows));
        const lists = tx.objectStore('checklists').index('status').getAll('pending');
        lists.onsuccess = () => {
          const ordered = (lists.result as ChecklistRecord[]).sort((a, b) => a.pendingSince - b.pendingSince);
          const found: (CallRecord | undefined)[] = new Array(ordered.length);
          ordered.forEach((list, i) => {
            const get = calls.get(list.callId);
            get.onsuccess = () => {
              found[i] = get.result as CallRecord | undefined;
              if (i === ordered.length - 1) pending.push(...found.filter((c): c is CallRecord => !!c));
            };
          });
        };
      } catch {
        db.close();
        resolve(null);
      }
    };
  });
}

let firstPage: Promise<FirstPage | null> | null = null;
let firstPageValue: FirstPage | null = null;

/**
 * The popup's first page, read once at start: the promise entrypoints/popup-first-page.js left
 * (started before the UI bundle was even evaluated), else a read started now. The list renders
 * this snapshot until its live queries (which keep it current) answer. Nothing calls it in unit
 * tests: the list then waits for the live queries.
 */
export function prefetchFirstPage(limit: number): Promise<FirstPage | null> {
  if (firstPage) return firstPage;
  const early = (globalThis as Record<string, unknown>)[FIRST_PAGE_KEY] as Promise<FirstPage | null> | undefined;
  firstPage = (early ?? readFirstPage(limit)).then((page) => (firstPageValue = page), () => null);
  return firstPage;
}

/** The prefetched first page: synchronously once it is read, else its promise (null if never started). */
export function prefetchedFirstPage(): FirstPage | Promise<FirstPage | null> | null {
  return firstPageValue ?? firstPage;
}
