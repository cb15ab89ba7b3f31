import type { Page } from 'puppeteer-core';
import { callUrl, type FixturePlatform } from '../../scripts/lib/browser';
import { Prompt } from '../../scripts/lib/firefox-prompt';
import { withFirefoxBench } from '../lib/firefox';
import { median, percentile, round, sleep } from '../lib/stats';
import { defineCase, metric } from '../lib/types';

/**
 * Row 3 in Firefox ESR — decision durability, as 03-decision-durability.ts measures it in
 * Chromium: a trusted click (BiDi input.performActions) on "Customer agreed" → the prompt shows
 * "Consent recorded", which it does only once the background replied, after the Dexie transaction
 * committed. Both ends are timed in the prompt's frame: a capture-phase click listener and a
 * MutationObserver on its document (reached through BiDi, see scripts/lib/firefox-prompt.ts; they
 * run in a BiDi sandbox realm on the frame's clock), plus one animation frame for "painted"; after
 * the click one command waits in the frame for that frame (nothing polls meanwhile). The click
 * waits until the prompt is armed (input-guard.ts). Only the "awake" series exists: Firefox's MV2 background page is
 * persistent (it never stops), so the "worker stopped" budget has no Firefox counterpart. At the
 * end the events store is read to check every click committed exactly one decision.
 */
const PLATFORMS: FixturePlatform[] = ['meet', 'zoom', 'teams'];
const sizes = {
  full: { awake: 24 },
  smoke: { awake: 3 },
};

interface Rec { clickAt: number; savedAt: number; paintedAt: number }

const ARM = `function () {
  const root = this;
  const rec = { clickAt: 0, savedAt: 0, paintedAt: 0 };
  root.addEventListener('click', () => { if (!rec.clickAt) rec.clickAt = performance.now(); }, true);
  globalThis.__decision = new Promise((resolve) => {
    const mo = new MutationObserver(() => {
      if (rec.savedAt || !/Consent recorded/.test(root.querySelector('.root')?.textContent ?? '')) return;
      rec.savedAt = performance.now();
      mo.disconnect();
      requestAnimationFrame(() => { rec.paintedAt = performance.now(); resolve(rec); });
    });
    mo.observe(root, { childList: true, subtree: true, characterData: true });
  });
  return true;
}`;

export default defineCase({
  row: 3,
  browser: 'firefox',
  name: 'firefox-decision-durability',
  what: 'Firefox ESR — decision durability: trusted click → event committed in IndexedDB and acknowledged in the prompt',
  budget: 'p95 ≤ 30 ms (background page awake; it never stops in Firefox)',
  async run({ size, log }) {
    const p = sizes[size];
    return withFirefoxBench(async (ff) => {
      const next: Record<FixturePlatform, number> = { meet: 0, zoom: 0, teams: 0 };
      const once = async (platform: FixturePlatform) => {
        ff.fixtures.serve(platform, 'in-call');
        const page: Page = await ff.newPage();
        try {
          await page.goto(callUrl(platform, ++next[platform]));
          const prompt = new Prompt(ff, page);
          await prompt.waitForText(/Ask for recording consent/);
          await prompt.waitEnabled('Customer agreed');
          if (!(await prompt.call<boolean>(ARM))) throw new Error('Could not reach the prompt to arm the timers');
          await prompt.armed();
          const agree = await prompt.buttonCenter('Customer agreed');
          await sleep(150); // let "prompt shown" reach the background first
          await page.mouse.click(agree.x, agree.y); // trusted, as the rep's
          // One command that waits in the page (no polling while the decision is on its way).
          const timeout = sleep(10_000).then(() => null);
          const r = await Promise.race([prompt.call<Rec>('function () { return globalThis.__decision; }'), timeout]);
          if (!r?.paintedAt) throw new Error(`No "Consent recorded" within 10 s (${JSON.stringify(r)})`);
          // When the handler wrote the call (`updatedAt` is the background's Date.now() in
          // handleDecide): epoch clocks of one machine split the sample.
          const clickEpoch = (await prompt.call<number>('function () { return performance.timeOrigin; }'))! + r.clickAt;
          const decided = (await ff.readStore<{ decidedAt?: number; updatedAt: number }>('calls')).filter((c) => c.decidedAt !== undefined).sort((a, b) => b.decidedAt! - a.decidedAt!)[0];
          const wrote = (decided?.updatedAt ?? NaN) - clickEpoch;
          return { saved: r.savedAt - r.clickAt, painted: r.paintedAt - r.clickAt, wrote, afterWrite: r.savedAt - r.clickAt - wrote };
        } finally {
          await page.close();
        }
      };

      await once('zoom'); // warm-up: not counted
      const saved: number[] = [];
      const painted: number[] = [];
      const wrote: number[] = [];
      const afterWrite: number[] = [];
      for (let i = 0; i < p.awake; i++) {
        const r = await once(PLATFORMS[i % PLATFORMS.length]!);
        saved.push(r.saved);
        painted.push(r.painted);
        wrote.push(r.wrote);
        afterWrite.push(r.afterWrite);
      }
      log(`click → saved (ms): ${saved.map((x) => x.toFixed(0)).join(' ')}`);
      log(`click → handler wrote / wrote → saved (ms): ${wrote.map((x, i) => `${x.toFixed(0)}/${afterWrite[i]!.toFixed(0)}`).join(' ')}`);

      const decisions = (await ff.readStore<{ type: string; data: { outcome?: string } }>('events')).filter((e) => e.type === 'decision' && e.data.outcome === 'agreed');
      const expected = 1 + p.awake;
      if (decisions.length !== expected) throw new Error(`Expected ${expected} committed decisions, found ${decisions.length}`);

      return {
        metrics: [
          metric('awakeP95', 'p95 click → saved (background page awake)', round(percentile(saved, 95)), 'ms', 30),
          metric('awakeP50', 'p50 click → saved', round(median(saved)), 'ms'),
          metric('awakeMax', 'longest click → saved', round(Math.max(...saved)), 'ms'),
          metric('awakePaintedP95', 'p95 click → saved state painted', round(percentile(painted, 95)), 'ms'),
          metric('awakeWroteP50', 'p50 click → handler writes (content script → background message)', round(median(wrote)), 'ms'),
          metric('awakeAfterWriteP50', 'p50 handler writes → saved shown (commit + view + reply + draw)', round(median(afterWrite)), 'ms'),
          metric('committed', 'decision events committed (= clicks)', decisions.length, 'count'),
        ],
        params: { awake: p.awake, platforms: PLATFORMS.join(','), background: 'MV2 persistent background page' },
        notes: ['No "worker stopped" series: the Firefox build runs a persistent background page, which never stops while Firefox runs.'],
        samples: { awake: saved.map((x) => round(x)), painted: painted.map((x) => round(x)), awakeWrote: wrote.map((x) => round(x)) },
      };
    });
  },
});
