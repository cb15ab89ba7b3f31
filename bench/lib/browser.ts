import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Frame, Page } from 'playwright-core';
import { EXTENSION_DIR, launchWithExtension, routeFixtures } from '../../scripts/lib/browser';
import { sleep } from './stats';

/**
 * A host the content script does not match (manifest: meet.google.com, *.zoom.us, *.zoom.com,
 * teams.*): the same fixture served here runs with the extension loaded but no content script.
 * Requests never leave the machine: Playwright fulfils them.
 */
export const CONTROL_ORIGIN = 'https://call-control.bench.test';

/**
 * Other engineers rebuild .output/ while benchmarks run; a launch that lands in the middle of a
 * rebuild sees no manifest. Wait for it (a build takes ~3 s) rather than fail the whole suite.
 */
async function waitForBuild(timeoutMs = 30_000) {
  const manifest = join(EXTENSION_DIR, 'manifest.json');
  const end = Date.now() + timeoutMs;
  while (!existsSync(manifest)) {
    if (Date.now() > end) throw new Error(`The extension is not built (${manifest} is missing). Run "npm run build" first.`);
    await sleep(250);
  }
}

/** Chromium + the built extension + fixture routing, plus exact-URL pages served by the bench. */
export async function startBench(opts: { profile?: string } = {}) {
  await waitForBuild();
  let b: Awaited<ReturnType<typeof launchWithExtension>>;
  try {
    b = await launchWithExtension(opts);
  } catch (error) {
    // A rebuild removed files under the browser's feet: once more, after the build settles.
    await sleep(4_000);
    await waitForBuild();
    b = await launchWithExtension(opts).catch(() => Promise.reject(error));
  }
  const fixtures = await routeFixtures(b.context);
  // Registered after routeFixtures, so it is consulted first (Playwright runs routes last-first).
  const pages = new Map<string, string>();
  const framePages = new Map<string, string>();
  await b.context.route(/^https?:\/\//, async (route) => {
    const url = new URL(route.request().url());
    const inFrame = route.request().frame().parentFrame() !== null;
    const body = (inFrame ? framePages : pages).get(url.origin + url.pathname);
    if (body !== undefined && route.request().resourceType() === 'document') {
      await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body });
    } else {
      await route.fallback();
    }
  });
  // The first platform page after browser start gets call.js evaluated twice (Chromium 156); the
  // content script retires the older copy, but a throwaway page takes that hit so every measured
  // page is the steady state (docs/performance.md, "Bench pitfalls").
  const warmUrl = 'https://meet.google.com/bench-warm-up';
  pages.set(warmUrl, '<!doctype html><title>warm-up</title><p>warm-up</p>');
  const warm = await b.context.newPage();
  await warm.goto(warmUrl);
  await sleep(500);
  await warm.close();
  pages.delete(warmUrl);

  return {
    ...b,
    fixtures,
    /** Serves `html` at this exact URL (query and hash ignored). */
    serveAt(url: string, html: string) {
      const u = new URL(url);
      pages.set(u.origin + u.pathname, html);
    },
    /** Serves `html` to a frame loading this exact URL (query and hash ignored). */
    serveFrameAt(url: string, html: string) {
      const u = new URL(url);
      framePages.set(u.origin + u.pathname, html);
    },
    popupUrl: `chrome-extension://${b.extensionId}/popup.html`,
    /**
     * A page of the extension's origin that runs none of its code (the manifest, shown as text):
     * it can send messages and open IndexedDB without the popup's live list or the options page's
     * reads competing with what a case measures.
     */
    blankUrl: `chrome-extension://${b.extensionId}/manifest.json`,
  };
}

/** Sends one request to the worker from an extension page; `ms` is the round trip timed in the page. */
export function requestFromPage<R = { ok: boolean; error?: string }>(page: Page, message: unknown): Promise<{ ms: number; reply: R }> {
  return page.evaluate(async (m) => {
    const start = performance.now();
    const reply = await (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage(m);
    return { ms: performance.now() - start, reply };
  }, message) as Promise<{ ms: number; reply: R }>;
}
export type BenchBrowser = Awaited<ReturnType<typeof startBench>>;

/** Runs `fn` with a fresh browser (and a fresh profile, or `profile`, deleted at the end), always closing it. */
export async function withBench<T>(fn: (b: BenchBrowser) => Promise<T>, opts: { profile?: string } = {}): Promise<T> {
  const b = await startBench(opts);
  try {
    return await fn(b);
  } finally {
    await b.close().catch(() => {});
  }
}

export type Metrics = Record<string, number>;

/** CDP Performance.getMetrics as a name → value map (durations in seconds, sizes in bytes). */
export async function getMetrics(cdp: CDPSession): Promise<Metrics> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

export async function metricsSession(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  return cdp;
}

/**
 * Watches the extension's service worker through the ServiceWorker domain of one page's CDP
 * session: its running status, and a way to stop it (what Chrome does to an idle MV3 worker).
 */
export async function workerControl(page: Page, extensionId: string) {
  const cdp = await page.context().newCDPSession(page);
  const status = new Map<string, string>();
  const scope = `chrome-extension://${extensionId}/`;
  const registrations = new Map<string, string>();
  cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations: regs }) => {
    for (const r of regs) registrations.set(r.registrationId, r.scopeURL);
  });
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const v of versions) {
      if (registrations.get(v.registrationId) === scope || v.scriptURL.startsWith(scope)) status.set(v.versionId, v.runningStatus);
    }
  });
  await cdp.send('ServiceWorker.enable');
  const running = () => [...status.values()].some((s) => s !== 'stopped');
  return {
    running,
    /** Stops every service worker and waits until the extension's reports "stopped". */
    async stop(timeoutMs = 5_000): Promise<boolean> {
      await cdp.send('ServiceWorker.stopAllWorkers');
      const end = Date.now() + timeoutMs;
      while (running()) {
        if (Date.now() > end) return false;
        await sleep(10);
      }
      return status.size > 0;
    },
    async waitRunning(timeoutMs = 5_000): Promise<boolean> {
      const end = Date.now() + timeoutMs;
      while (!running()) {
        if (Date.now() > end) return false;
        await sleep(10);
      }
      return true;
    },
    async detach() {
      await cdp.detach().catch(() => {});
    },
  };
}

/** Measurements assume one copy of the content script: two prompts mean two copies running. */
export async function assertOnePrompt(page: Page): Promise<void> {
  if (await page.evaluate(() => document.querySelector('candor-consent')?.getAttribute('data-shown')) !== 'true') {
    throw new Error(`The Candor prompt is not shown on ${page.url()}`);
  }
  // page.evaluate, not a locator: a locator injects Playwright's selector engine into the page's
  // renderer, which cost a busy page 1.6-1.9 % in an A/A run of row 1 (docs/performance.md).
  const hosts = await page.evaluate(() => document.querySelectorAll('candor-consent').length);
  if (hosts !== 1) throw new Error(`Expected one Candor prompt on ${page.url()}, found ${hosts} (content script injected ${hosts > 1 ? 'more than once' : 'nowhere'})`);
}

/** Polls a page-side value until `ok`, quickly (the measurement itself is taken in the page). */
export async function pollPage<T>(page: Page | Frame, read: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000, everyMs = 15): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = (await page.evaluate(read)) as T;
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`Timed out after ${timeoutMs} ms; last value: ${JSON.stringify(v)}`);
    await sleep(everyMs);
  }
}
