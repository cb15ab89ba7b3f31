import { buildSync } from 'esbuild';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DB_NAME } from '../../lib/model';
import { waitFor } from '../../scripts/lib/extension-db';
import type { Seeder as PageSeeder } from './seed-page';

/**
 * Seeding shared by the cases, in Chromium and in Firefox: bench/lib/seed-page.ts, bundled here with
 * esbuild and evaluated in an extension page, writes with raw IndexedDB (records generated in the
 * page, big transactions) once Dexie has created the database. The database name is lib/model's
 * DB_NAME, passed to the page as an argument. Calls are typed by the page-side functions' own
 * signatures.
 */

/** The stores the cases write or count: the page waits until Dexie has created every one of them. */
const STORES = ['calls', 'events', 'checklists', 'notes', 'tags', 'ledgerBlocks', 'auditDays', 'auditDirty', 'meta', 'purgeReceipts'];

export type SeedFn = keyof PageSeeder;
export type SeedArg<K extends SeedFn> = Parameters<PageSeeder[K]>[0];
export type SeedResult<K extends SeedFn> = Awaited<ReturnType<PageSeeder[K]>>;

let bundled: string | null = null;

/** The page-side seeder as one script: the esbuild bundle, then the seeder bound to DB_NAME. */
export function seedPageScript(): string {
  bundled ??= buildSync({
    entryPoints: [join(import.meta.dirname, 'seed-page.ts')],
    bundle: true,
    format: 'iife',
    globalName: '__candorSeedPage',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  }).outputFiles[0]!.text;
  return `${bundled}\nglobalThis.__candorSeed = __candorSeedPage.createSeeder(${JSON.stringify(DB_NAME)});\nundefined;`;
}

export interface SeedClient {
  run<K extends SeedFn>(fn: K, arg: SeedArg<K>): Promise<SeedResult<K>>;
  counts(stores: string[]): Promise<Record<string, number>>;
  isEmpty(store: string): Promise<boolean>;
}

/**
 * Injects the seeder into an extension page already open (whose code opens the database) and
 * waits until Candor's schema is there. `evaluate` runs a script expression in that page and
 * resolves to its (awaited) value: Playwright's and puppeteer's `page.evaluate(string)` both do.
 */
export async function injectSeeder(evaluate: (expression: string) => Promise<unknown>): Promise<SeedClient> {
  await evaluate(seedPageScript());
  const run = <K extends SeedFn>(fn: K, arg: SeedArg<K>) =>
    evaluate(`globalThis.__candorSeed[${JSON.stringify(fn)}](${JSON.stringify(arg)})`) as Promise<SeedResult<K>>;
  // Dexie may still be creating or upgrading the database: wait until every store is there.
  await waitFor(() => run('hasStores', STORES), (ok) => ok, 15_000, 50);
  return { run, counts: (stores) => run('counts', stores), isEmpty: (store) => run('isEmpty', store) };
}

export interface Seeder extends SeedClient {
  page: Page;
}

/** Opens `url` (an extension page whose code opens the database) in `page` and injects the seeder (Chromium). */
export async function openSeeder(page: Page, url: string): Promise<Seeder> {
  await page.goto(url);
  return { page, ...(await injectSeeder((expression) => page.evaluate(expression))) };
}
