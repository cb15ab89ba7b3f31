import type { Page } from 'playwright-core';
import { callUrl, type FixturePlatform } from '../../scripts/lib/browser';
import { DB_NAME } from '../../lib/model';
import { readStore } from '../../scripts/lib/extension-db';
import { PromptDriver } from '../../scripts/lib/prompt-driver';
import { assertOnePrompt, pollPage, withBench, workerControl } from '../lib/browser';
import { median, percentile, round, sleep } from '../lib/stats';
import { defineCase, metric } from '../lib/types';

/**
 * Row 3 — decision durability: a trusted click on "Customer agreed" → the prompt shows "Consent
 * recorded", which it only does once the background replied, and the background only replies
 * after the Dexie transaction (calls + events) committed. Both ends are timed in the prompt's
 * frame: a capture-phase click listener and a MutationObserver on its document, with one
 * animation frame for "visible". The click waits until the prompt is armed (input-guard.ts).
 * Two series: the worker awake (it just handled the call's messages), and the worker stopped
 * first (CDP ServiceWorker.stopAllWorkers, what Chrome does to an idle MV3 worker), so the click
 * has to start it. Afterwards the events store is read to check every decision was committed.
 * For the stopped series, the restarted worker's performance.timeOrigin splits each sample into
 * "the browser starts the worker" and "Candor's start-up + the handler + the reply".
 */
const PLATFORMS: FixturePlatform[] = ['meet', 'zoom', 'teams'];
const sizes = {
  full: { awake: 24, cold: 12 },
  smoke: { awake: 3, cold: 2 },
};

interface Rec { clickAt: number; savedAt: number; paintedAt: number }

async function armTimers(prompt: PromptDriver) {
  const ok = await prompt.call<boolean>(`function () {
    const root = this;
    const rec = { clickAt: 0, savedAt: 0, paintedAt: 0 };
    globalThis.__decision = rec;
    root.addEventListener('click', () => { if (!rec.clickAt) rec.clickAt = performance.now(); }, true);
    const mo = new MutationObserver(() => {
      if (rec.savedAt || !/Consent recorded/.test(root.querySelector('.root')?.textContent ?? '')) return;
      rec.savedAt = performance.now();
      mo.disconnect();
      requestAnimationFrame(() => { rec.paintedAt = performance.now(); });
    });
    mo.observe(root, { childList: true, subtree: true, characterData: true });
    return true;
  }`);
  if (!ok) throw new Error('Could not reach the prompt to arm the timers');
}

/** Runs in the worker: the newest decided call's updatedAt (no named inner functions: see 05). */
function readDecidedAt(dbName: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(dbName);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const req = db.transaction('calls').objectStore('calls').getAll();
      req.onerror = () => { db.close(); reject(req.error); };
      req.onsuccess = () => {
        db.close();
        const decided = (req.result as Array<{ decidedAt?: number; updatedAt: number }>).filter((c) => c.decidedAt !== undefined);
        decided.sort((a, b) => b.decidedAt! - a.decidedAt!);
        resolve(decided[0]?.updatedAt ?? NaN);
      };
    };
  });
}

const rec = () => (globalThis as unknown as { __decision?: Rec }).__decision ?? null;

export default defineCase({
  row: 3,
  name: 'decision-durability',
  what: 'Decision durability: trusted click → event committed in IndexedDB and acknowledged in the prompt',
  budget: 'p95 ≤ 30 ms worker awake; ≤ 500 ms worker stopped',
  async run({ size, log }) {
    const p = sizes[size];
    return withBench(async (b) => {
      const control = await b.context.newPage();
      const worker = await workerControl(control, b.extensionId);
      const sw = await b.worker();
      // Per platform: callUrl's Meet codes repeat every 26, and a repeated meeting would be a rejoin.
      const next: Record<FixturePlatform, number> = { meet: 0, zoom: 0, teams: 0 };
      let restartsSeen = 0;

      const once = async (platform: FixturePlatform, stopWorker: boolean) => {
        b.fixtures.serve(platform, 'in-call');
        const page: Page = await b.context.newPage();
        try {
          await page.goto(callUrl(platform, ++next[platform]));
          const prompt = new PromptDriver(page);
          await prompt.waitForText(/Ask for recording consent/);
          await assertOnePrompt(page);
          await armTimers(prompt);
          await prompt.armed();
          const agree = await prompt.buttonCenter('Customer agreed');
          const frame = prompt.frame()!;
          // DevTools' DOM agent off before the click: it would mirror the prompt's re-render to the driver.
          await prompt.release();
          await sleep(150); // let "prompt shown" reach the background first
          if (stopWorker) {
            let stopped = false;
            for (let attempt = 0; attempt < 3 && !stopped; attempt++) {
              stopped = (await worker.stop()) && (await sleep(50), !worker.running());
            }
            if (!stopped) throw new Error('Could not stop the service worker before the click');
          } else if (!worker.running()) {
            throw new Error('The worker was not running for an "awake" sample');
          }
          await page.mouse.click(agree.x, agree.y); // trusted, as the rep's
          const r = (await pollPage(frame, rec, (v) => !!v && v.paintedAt > 0, 10_000))!;
          // Epoch clocks (same machine clock in the frame and the worker) split the sample.
          const clickEpoch = (await frame.evaluate(() => performance.timeOrigin)) + r.clickAt;
          const savedEpoch = clickEpoch + (r.savedAt - r.clickAt);
          let workerStart: number | null = null;
          if (stopWorker) {
            // The restarted worker keeps its DevTools target: ask it when it started.
            workerStart = (await sw.evaluate(() => performance.timeOrigin)) - clickEpoch;
            if (workerStart > 0) restartsSeen++;
          }
          // When the handler wrote the call (`updatedAt` is the worker's Date.now() in handleDecide).
          const wroteEpoch = await sw.evaluate(readDecidedAt, DB_NAME);
          return { saved: r.savedAt - r.clickAt, painted: r.paintedAt - r.clickAt, workerStart, wrote: wroteEpoch - clickEpoch, afterWrite: savedEpoch - wroteEpoch };
        } finally {
          await page.close();
        }
      };

      await once('zoom', false); // warm-up: not counted
      const series = async (count: number, stop: boolean) => {
        const saved: number[] = [];
        const painted: number[] = [];
        const workerStart: number[] = [];
        const wrote: number[] = [];
        const afterWrite: number[] = [];
        for (let i = 0; i < count; i++) {
          const r = await once(PLATFORMS[i % PLATFORMS.length]!, stop);
          saved.push(r.saved);
          painted.push(r.painted);
          if (r.workerStart !== null) workerStart.push(r.workerStart);
          wrote.push(r.wrote);
          afterWrite.push(r.afterWrite);
        }
        log(`${stop ? 'stopped' : 'awake  '} click → saved (ms): ${saved.map((x) => x.toFixed(0)).join(' ')}`);
        log(`${stop ? 'stopped' : 'awake  '} click → handler wrote / wrote → saved (ms): ${wrote.map((x, i) => `${x.toFixed(0)}/${afterWrite[i]!.toFixed(0)}`).join(' ')}`);
        return { saved, painted, workerStart, wrote, afterWrite };
      };
      const awake = await series(p.awake, false);
      const cold = await series(p.cold, true);

      // Durability check: every click produced exactly one committed decision event.
      const decisions = (await readStore<{ type: string; data: { outcome?: string } }>(b, 'events')).filter((e) => e.type === 'decision' && e.data.outcome === 'agreed');
      const expected = 1 + p.awake + p.cold;
      if (decisions.length !== expected) throw new Error(`Expected ${expected} committed decisions, found ${decisions.length}`);
      await worker.detach();

      return {
        metrics: [
          metric('awakeP95', 'p95 click → saved, worker awake', round(percentile(awake.saved, 95)), 'ms', 30),
          metric('coldP95', 'p95 click → saved, worker stopped', round(percentile(cold.saved, 95)), 'ms', 500),
          metric('awakeP50', 'p50 click → saved, worker awake', round(median(awake.saved)), 'ms'),
          metric('coldP50', 'p50 click → saved, worker stopped', round(median(cold.saved)), 'ms'),
          metric('awakePaintedP95', 'p95 click → saved state painted, awake', round(percentile(awake.painted, 95)), 'ms'),
          metric('coldPaintedP95', 'p95 click → saved state painted, stopped', round(percentile(cold.painted, 95)), 'ms'),
          metric('awakeWroteP50', 'p50 click → handler writes, awake', round(median(awake.wrote)), 'ms'),
          metric('awakeAfterWriteP50', 'p50 handler writes → saved shown, awake (commit + view + reply + draw)', round(median(awake.afterWrite)), 'ms'),
          metric('coldStartP50', 'p50 click → worker started (browser), stopped', round(median(cold.workerStart)), 'ms'),
          metric('coldWroteP50', 'p50 worker started → handler writes (Candor start-up), stopped', round(median(cold.wrote.map((x, i) => x - (cold.workerStart[i] ?? NaN)))), 'ms'),
          metric('coldAfterWriteP50', 'p50 handler writes → saved shown, stopped (commit + view + reply + draw)', round(median(cold.afterWrite)), 'ms'),
          metric('committed', 'decision events committed (= clicks)', decisions.length, 'count'),
        ],
        params: { awake: p.awake, cold: p.cold, platforms: PLATFORMS.join(','), workerRestartsSeen: restartsSeen },
        notes: restartsSeen === p.cold ? [] : [`Only ${restartsSeen} of ${p.cold} "stopped" samples saw a worker start after the click.`],
        samples: {
          awake: awake.saved.map((x) => round(x)),
          cold: cold.saved.map((x) => round(x)),
          awakeWrote: awake.wrote.map((x) => round(x)),
          coldWorkerStart: cold.workerStart.map((x) => round(x)),
          coldWrote: cold.wrote.map((x) => round(x)),
        },
      };
    });
  },
});
