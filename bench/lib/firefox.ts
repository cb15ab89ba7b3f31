import { execFileSync } from 'node:child_process';
import type { Page } from 'puppeteer-core';
import { findFirefox, launchFirefoxWithExtension, type FirefoxBrowser, type LaunchFirefoxOptions } from '../../scripts/lib/firefox';
import { injectSeeder, type SeedClient } from './seed';
import { sleep } from './stats';

/**
 * The Firefox side of the bench (bench/cases/firefox-*.ts): Firefox ESR with the built Firefox
 * extension (scripts/lib/firefox.ts), and the same page-side seeding as the Chromium cases
 * (bench/lib/seed.ts: bench/lib/seed-page.ts in an extension page, raw IndexedDB), through puppeteer.
 */

/**
 * Firefox coarsens performance.now() to 1 ms and jitters it (privacy.reduceTimerPrecision): the
 * bench profile turns that off, so page-side timings have Chromium's resolution. Nothing else in
 * the browser's behaviour changes.
 */
const BENCH_PREFS = { 'privacy.reduceTimerPrecision': false };

export async function withFirefoxBench<T>(fn: (ff: FirefoxBrowser) => Promise<T>, opts: LaunchFirefoxOptions = {}): Promise<T> {
  const ff = await launchFirefoxWithExtension({ ...opts, extraPrefs: { ...BENCH_PREFS, ...opts.extraPrefs } });
  try {
    return await fn(ff);
  } finally {
    await ff.close();
  }
}

/** Polls a page-side value until `ok` (the measurement itself is taken in the page). */
export async function pollFirefoxPage<T>(page: Page, read: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000, everyMs = 15): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = (await page.evaluate(read)) as T;
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`Timed out after ${timeoutMs} ms; last value: ${JSON.stringify(v)}`);
    await sleep(everyMs);
  }
}

export interface FirefoxSeeder extends SeedClient {
  page: Page;
}

/** Opens `path` (an extension page whose code opens the database, or whose background page does) and injects the seeder. */
export async function openFirefoxSeeder(ff: FirefoxBrowser, path: string): Promise<FirefoxSeeder> {
  const page = await ff.openExtensionPage(path);
  return { page, ...(await injectSeeder((expression) => page.evaluate(expression))) };
}

/** "Mozilla Firefox 153.8.0esr" (for the results file and the docs). */
export function firefoxVersion(): string {
  try {
    return execFileSync(findFirefox(), ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 15_000 }).trim();
  } catch (error) {
    return `unknown (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
}
