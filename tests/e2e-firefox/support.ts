import type { Page } from 'puppeteer-core';
import { callUrl, type FixturePlatform } from '../../scripts/lib/browser';
import { launchFirefoxWithExtension, switchFixtureFirefox, type FirefoxBrowser, type LaunchFirefoxOptions } from '../../scripts/lib/firefox';
import { Prompt } from '../../scripts/lib/firefox-prompt';

export { callUrl, Prompt, type FirefoxBrowser, type FixturePlatform };
export const switchFixture = switchFixtureFirefox;

export function startFirefox(opts: LaunchFirefoxOptions = {}): Promise<FirefoxBrowser> {
  return launchFirefoxWithExtension(opts);
}

/** Opens a call page at a real platform URL, starting from the given fixture. */
export async function openCall(ff: FirefoxBrowser, platform: FixturePlatform, fixture: string, url: string): Promise<{ page: Page; prompt: Prompt }> {
  ff.fixtures.serve(platform, fixture);
  const page = await ff.newPage();
  await page.goto(url);
  return { page, prompt: new Prompt(ff, page) };
}

/** Runs `fn` in a fresh tab on one of Candor's own pages (same origin as its background page). */
async function inExtensionPage<T>(ff: FirefoxBrowser, fn: (page: Page) => Promise<T>): Promise<T> {
  const page = await ff.openExtensionPage('manifest.json');
  try {
    return await fn(page);
  } finally {
    await page.close();
  }
}

/** Reads one object store of the extension's database (Firefox's IndexedDB backend). */
export function readStore<T = Record<string, unknown>>(ff: FirefoxBrowser, store: string): Promise<T[]> {
  return ff.readStore<T>(store);
}

type ExtGlobal = { browser: { browserAction: { getBadgeText(d: object): Promise<string>; getTitle(d: object): Promise<string> }; storage: { managed: { get(k: null): Promise<Record<string, unknown>> } } } };

/** The toolbar button's badge text and title (Firefox MV2: browserAction). */
export function toolbarBadge(ff: FirefoxBrowser): Promise<{ text: string; title: string }> {
  return inExtensionPage(ff, (page) =>
    page.evaluate(async () => {
      const { browserAction } = (globalThis as unknown as ExtGlobal).browser;
      return { text: await browserAction.getBadgeText({}), title: await browserAction.getTitle({}) };
    }),
  );
}

/** What `storage.managed.get()` gives the extension (or the error Firefox throws), and how long it took. */
export function managedStorage(ff: FirefoxBrowser): Promise<{ value?: Record<string, unknown>; error?: string; ms: number }> {
  return inExtensionPage(ff, (page) =>
    page.evaluate(async () => {
      const start = performance.now();
      try {
        const value = await (globalThis as unknown as ExtGlobal).browser.storage.managed.get(null);
        return { value, ms: performance.now() - start };
      } catch (error) {
        return { error: (error as Error).message, ms: performance.now() - start };
      }
    }),
  );
}

export async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value)) {
    if (Date.now() > end) throw new Error(`Timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
