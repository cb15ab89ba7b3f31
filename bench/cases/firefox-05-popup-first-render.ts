import { openFirefoxSeeder, withFirefoxBench } from '../lib/firefox';
import { median, round, sleep } from '../lib/stats';
import { defineCase, metric } from '../lib/types';
import type { FirefoxBrowser } from '../../scripts/lib/firefox';

/**
 * Row 5 in Firefox ESR — popup first render with 10,000 calls stored, as 05-popup-first-render.ts
 * measures it in Chromium: the same seeding (bench/lib/seed-page.ts: ended calls with their
 * checklists, a few still pending, into the database the popup's Dexie created), then popup.html
 * opened in a new tab, and performance.now() (ms since navigation start) when React first commits
 * into #root, when the first `.call-row` is in the DOM, and one animation frame later.
 * One difference of method: Chromium's case puts its MutationObserver in through an init script,
 * before any popup code. WebDriver BiDi in Firefox runs no preload script in extension pages
 * (extension contexts are excluded from BiDi's per-document setup), so the observer is put in by
 * `script.evaluate` as soon as the new document answers, while the navigation is still loading;
 * a run in which the first row was already there by then is discarded and repeated (counted in
 * `late`); after that one command, a single awaiting command waits for the row, so nothing polls
 * the page while it loads. Each measured open alternates with a control open that sends the page
 * no command until it has loaded and reads only its DOMContentLoaded time (`dclQuietMs`): the
 * first row lands at DOMContentLoaded in this popup, so the two show what the observer's way in
 * costs. The rest is the same: the row time is taken in the page, on the page's clock.
 * (Navigation timing's responseEnd, Chromium's "popup.html received", is 0 for moz-extension://
 * documents in Firefox, so it is not reported.)
 */
const sizes = {
  full: { calls: 10_000, runs: 9 },
  smoke: { calls: 200, runs: 2 },
};
const PER_TRANSACTION = 1_000;
const PENDING_CHECKLISTS = 3;

interface Render { installedAt: number; shellAt: number; rowAt: number; paintAt: number; dclAt: number; rows: number }
type Eval = { type: 'success'; result: { type: string; value?: unknown } } | { type: 'exception'; exceptionDetails: { text: string } };

/**
 * Runs in the new popup document as early as BiDi can reach it; null while the old document is
 * current. `done` resolves one frame after the first row: a single awaiting command then waits
 * for it, so no polling command runs in the page while it loads.
 */
const INSTALL = (url: string) => `(() => {
  if (document.URL !== ${JSON.stringify(url)}) return null;
  if (window.__popup) return JSON.stringify({ again: true });
  const r = { installedAt: performance.now(), lateRow: !!document.querySelector('.call-row'), shellAt: 0, rowAt: 0, paintAt: 0 };
  window.__popup = r;
  window.__popupDone = new Promise((resolve) => {
    const check = () => {
      if (!r.shellAt && document.getElementById('root')?.firstChild) r.shellAt = performance.now();
      if (r.rowAt || !document.querySelector('.call-row')) return false;
      r.rowAt = performance.now();
      requestAnimationFrame(() => { r.paintAt = performance.now(); resolve(); });
      return true;
    };
    if (!check()) {
      const mo = new MutationObserver(() => { if (check()) mo.disconnect(); });
      mo.observe(document, { childList: true, subtree: true });
    }
  });
  return JSON.stringify({ lateRow: r.lateRow });
})()`;
const READ = `(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  return JSON.stringify({ ...(window.__popup ?? {}), dclAt: nav ? nav.domContentLoadedEventStart : NaN, rows: document.querySelectorAll('.call-row').length });
})()`;

async function evaluate<T>(ff: FirefoxBrowser, context: string, expression: string): Promise<T | null> {
  const r = await ff.bidi<Eval>('script.evaluate', { expression, target: { context }, awaitPromise: true }).catch(() => null);
  if (!r || r.type !== 'success' || typeof r.result.value !== 'string') return null;
  return JSON.parse(r.result.value) as T;
}

/**
 * One popup open; null when the observer came in after the first row (the run is repeated).
 * `quiet`: the control — no command reaches the page until it has loaded, only its
 * DOMContentLoaded time is read (it has no observer), to show what the observer's way in costs.
 */
async function openOnce(ff: FirefoxBrowser, quiet = false): Promise<Render | null> {
  const url = ff.extensionUrl('popup.html');
  const page = await ff.browser.newPage();
  const context = ff.contextId(page);
  try {
    if (quiet) {
      await ff.bidi('browsingContext.navigate', { context, url, wait: 'complete' });
      await sleep(300);
      return await evaluate<Render>(ff, context, READ);
    }
    await ff.bidi('browsingContext.navigate', { context, url, wait: 'none' });
    const end = Date.now() + 10_000;
    let installed: { lateRow: boolean } | null = null;
    while (!installed) {
      if (Date.now() > end) throw new Error('popup.html never answered');
      installed = await evaluate<{ lateRow: boolean }>(ff, context, INSTALL(url));
      if (!installed) await sleep(2); // the old document answers these: the new one is not touched
    }
    if (installed.lateRow) return null;
    const done = await ff.bidi<Eval>('script.evaluate', { expression: 'window.__popupDone.then(() => true)', target: { context }, awaitPromise: true });
    if (done.type !== 'success') throw new Error('No call row in the popup');
    return await evaluate<Render>(ff, context, READ);
  } finally {
    await page.close();
  }
}

export default defineCase({
  row: 5,
  browser: 'firefox',
  name: 'firefox-popup-first-render',
  what: 'Firefox ESR — popup first render (navigation start → first call row) with 10,000 calls stored',
  budget: '≤ 150 ms',
  async run({ size, log }) {
    const p = sizes[size];
    return withFirefoxBench(async (ff) => {
      const seeder = await openFirefoxSeeder(ff, 'popup.html');
      const seedStart = performance.now();
      const now = Date.now();
      for (let from = 0; from < p.calls; from += PER_TRANSACTION) {
        await seeder.run('popupCalls', { from, count: Math.min(PER_TRANSACTION, p.calls - from), total: p.calls, pending: PENDING_CHECKLISTS, now });
      }
      const counted = (await seeder.counts(['calls'])).calls;
      await seeder.page.close();
      if (counted !== p.calls) throw new Error(`Seeded ${counted} calls, expected ${p.calls}`);
      log(`seeded ${counted} calls (+ their checklists) in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

      const renders: Render[] = [];
      const quiet: Render[] = [];
      let late = 0;
      while (renders.length < p.runs + 1) {
        const r = await openOnce(ff);
        if (!r) {
          if (++late > 3 * (p.runs + 1)) throw new Error(`The observer came in after the first row in ${late} opens`);
          continue;
        }
        renders.push(r);
        if (renders.length > 1) quiet.push((await openOnce(ff, true))!); // alternating with the measured opens
      }
      const [first, ...runs] = renders;
      const rowAt = runs.map((r) => r.rowAt);
      log(`first row at (ms): ${rowAt.map((x) => x.toFixed(0)).join(' ')} (first open after seeding: ${first!.rowAt.toFixed(0)}; observer in at ${runs.map((r) => r.installedAt.toFixed(0)).join(' ')}; ${late} late)`);
      // The pending calls are the newest: listed once, under "checklist pending", and left out of the recent page.
      const expectedRows = Math.min(50, p.calls);
      if (runs.some((r) => r.rows !== expectedRows)) throw new Error(`Expected ${expectedRows} rows in the popup, got ${runs.map((r) => r.rows).join(',')}`);

      return {
        metrics: [
          metric('firstRowMs', 'navigation start → first call row', round(median(rowAt)), 'ms', 150),
          metric('paintedMs', 'navigation start → first row painted', round(median(runs.map((r) => r.paintAt))), 'ms'),
          metric('dclMs', 'navigation start → DOMContentLoaded (popup bundle fetched + evaluated)', round(median(runs.map((r) => r.dclAt))), 'ms'),
          metric('shellMs', 'navigation start → React shell committed', round(median(runs.map((r) => r.shellAt))), 'ms'),
          metric('queryMs', 'shell → first row (IndexedDB open + queries + render)', round(median(runs.map((r) => r.rowAt - r.shellAt))), 'ms'),
          metric('observerInMs', 'navigation start → observer in (BiDi, method)', round(median(runs.map((r) => r.installedAt))), 'ms'),
          metric('dclQuietMs', 'control: navigation start → DOMContentLoaded with no BiDi command during the load', round(median(quiet.map((r) => r.dclAt))), 'ms'),
          metric('firstOpenMs', 'first open after seeding (not in the median)', round(first!.rowAt), 'ms'),
          metric('calls', 'calls stored', counted, 'count'),
        ],
        params: { calls: p.calls, runs: p.runs, perTransaction: PER_TRANSACTION, pendingChecklists: PENDING_CHECKLISTS, rowsShown: runs[0]?.rows ?? 0, lateObserverRuns: late },
        samples: { firstRowMs: rowAt.map((x) => round(x)), paintedMs: runs.map((r) => round(r.paintAt)), shellMs: runs.map((r) => round(r.shellAt)), dclMs: runs.map((r) => round(r.dclAt)), dclQuietMs: quiet.map((r) => round(r.dclAt)), observerInMs: runs.map((r) => round(r.installedAt)) },
      };
    });
  },
});
