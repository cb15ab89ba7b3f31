import { DB_NAME } from '../../lib/model';
import type { ExtensionBrowser } from './browser';

/**
 * Reading Candor's database from the outside, for the e2e tests and the bench (Chromium here; the
 * Firefox launcher in firefox.ts uses the same page-side reader).
 */

/**
 * Page-side: every record of one object store of database `dbName` ([] when the store does not
 * exist). Runs in an extension-origin page (passed to page.evaluate); plain callbacks only, since
 * the TypeScript runners name `const f = () => …` with a helper the page does not have.
 */
export function readAllInPage<T>([dbName, store]: readonly [string, string]): Promise<T[]> {
  return new Promise<T[]>((resolve, reject) => {
    const open = indexedDB.open(dbName);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains(store)) {
        db.close();
        resolve([]);
        return;
      }
      const req = db.transaction(store).objectStore(store).getAll();
      req.onsuccess = () => {
        resolve(req.result as T[]);
        db.close();
      };
      req.onerror = () => reject(req.error);
    };
  });
}

/** Reads one object store of the extension's database from an extension page (Chromium). */
export async function readStore<T = Record<string, unknown>>(b: ExtensionBrowser, store: string): Promise<T[]> {
  const page = await b.context.newPage();
  try {
    // The popup opens the database (Dexie creates it if the worker has not yet).
    await page.goto(`chrome-extension://${b.extensionId}/popup.html`);
    return (await page.evaluate(readAllInPage, [DB_NAME, store] as const)) as T[];
  } finally {
    await page.close();
  }
}

/** Polls `read` until `ok` (every `everyMs`), or throws with the last value after `timeoutMs`. */
export async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 5_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value)) {
    if (Date.now() > end) throw new Error(`Timed out after ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, everyMs));
    value = await read();
  }
  return value;
}
