import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { pollPage } from './browser';

/**
 * Seeding shared by the cases: bench/lib/seed-page.js runs in an extension page and writes with raw
 * IndexedDB (records generated in the page, big transactions), after Dexie has created the database.
 */
const PAGE_SOURCE = readFileSync(join(import.meta.dirname, 'seed-page.js'), 'utf8');

type SeedFn = 'popupCalls' | 'auditData' | 'markAuditStale' | 'ledger' | 'expired' | 'counts' | 'isEmpty';

export interface Seeder {
  page: Page;
  run<T = void>(fn: SeedFn, arg: unknown): Promise<T>;
  counts(stores: string[]): Promise<Record<string, number>>;
}

/** Opens `url` (an extension page whose code opens the database), waits for Candor's schema, injects the seeder. */
export async function openSeeder(page: Page, url: string): Promise<Seeder> {
  await page.goto(url);
  await pollPage(page, () => indexedDB.databases().then((dbs) => dbs.some((d) => d.name === 'candor' && (d.version ?? 0) > 0)), (ok) => ok, 10_000, 50);
  // Dexie may still be upgrading: wait until every store the cases write exists.
  await pollPage(page, () => new Promise<boolean>((resolve) => {
    const req = indexedDB.open('candor');
    req.onsuccess = () => {
      const names = [...req.result.objectStoreNames];
      req.result.close();
      resolve(['calls', 'events', 'checklists', 'notes', 'tags', 'ledger', 'ledgerBlocks', 'auditDays', 'auditDirty', 'meta'].every((n) => names.includes(n)));
    };
    req.onerror = () => resolve(false);
  }), (ok) => ok, 10_000, 50);
  await page.evaluate(PAGE_SOURCE);
  const run = <T,>(fn: SeedFn, arg: unknown) =>
    page.evaluate(([name, a]) => (globalThis as unknown as { __candorSeed: Record<string, (x: unknown) => Promise<unknown>> }).__candorSeed[name as string]!(a), [fn, arg] as const) as Promise<T>;
  return { page, run, counts: (stores) => run<Record<string, number>>('counts', stores) };
}
