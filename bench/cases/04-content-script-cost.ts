import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { CDPSession, Page } from 'playwright-core';
import { callUrl, EXTENSION_DIR, fixtureHtml } from '../../scripts/lib/browser';
import { PromptDriver } from '../../scripts/lib/prompt-driver';
import { assertOnePrompt, CONTROL_ORIGIN, withBench } from '../lib/browser';
import { median, round, sleep } from '../lib/stats';
import { defineCase, metric } from '../lib/types';

/**
 * Row 4 — what the content script costs a call page.
 * - Size: .output/chrome-mv3/content-scripts/call.js raw, and gzip -9 (node:zlib).
 * - Evaluate: a trace (CDP Tracing, devtools.timeline + v8) of loading a Meet call page; the
 *   `EvaluateScript` event whose url is content-scripts/call.js covers compiling and running the
 *   script, including WXT's call of main() (watcher + observer set-up). Also reported, not
 *   budgeted: all of call.js's main-thread time until the prompt is on screen (first reads,
 *   message replies, drawing the prompt).
 * - JS heap: Chromium runs a content script in an isolated world of the page's own renderer, on
 *   the same V8 isolate, so the isolate's heap (CDP Runtime.getHeapUsage, after two forced GCs)
 *   includes it. The same fixture is loaded alternately at meet.google.com (script injected,
 *   prompt shown) and at a host the script does not match; each page is alone in its renderer
 *   (the previous one is closed). Added heap = median(with) − median(without).
 */
const CONTENT_SCRIPT = join(EXTENSION_DIR, 'content-scripts/call.js');
const sizes = {
  full: { traces: 7, heapPairs: 5 },
  smoke: { traces: 2, heapPairs: 1 },
};

interface TraceEvent { name: string; ph: string; ts: number; dur?: number; tid: number; args?: { data?: { url?: string }; fileName?: string } }

async function traceLoad(page: Page, url: string): Promise<TraceEvent[]> {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])));
  const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: ['devtools.timeline', 'v8'] } });
  await page.goto(url);
  await new PromptDriver(page).waitForText(/Ask for recording consent/);
  await sleep(200);
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  return events;
}

/** Total length of the union of intervals (nested or overlapping events counted once). */
function unionMs(spans: Array<[number, number]>): number {
  let total = 0;
  let end = -Infinity;
  for (const [s, e] of [...spans].sort((a, b) => a[0] - b[0])) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total / 1000;
}

async function heapAfterGc(page: Page): Promise<number> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
}

export default defineCase({
  row: 4,
  name: 'content-script-cost',
  what: 'Content-script cost on page load: size, evaluation time, JS heap added',
  budget: '≤ 80 KB gzip, ≤ 15 ms to evaluate, ≤ 5 MB JS heap added',
  async run({ size, log }) {
    const p = sizes[size];
    const source = readFileSync(CONTENT_SCRIPT);
    const rawKB = source.length / 1024;
    const gzipKB = gzipSync(source, { level: 9 }).length / 1024;

    return withBench(async (b) => {
      b.fixtures.serve('meet', 'in-call');
      let n = 0;

      // Evaluation time, from traces.
      let doubleInjections = 0;
      const evaluate: number[] = [];
      const untilPrompt: number[] = [];
      for (let i = 0; i < p.traces + 1; i++) {
        const page = await b.context.newPage();
        const events = await traceLoad(page, callUrl('meet', ++n));
        await page.close();
        const ours = events.filter((e) => e.ph === 'X' && (e.args?.data?.url ?? e.args?.fileName ?? '').endsWith('/content-scripts/call.js'));
        const evals = ours.filter((e) => e.name === 'EvaluateScript').sort((a, b) => a.ts - b.ts);
        if (evals.length === 0) throw new Error('No EvaluateScript for call.js in the trace');
        if (evals.length > 1) doubleInjections++;
        if (i === 0) continue; // warm-up: the first load also warms Chromium's code cache
        evaluate.push(evals[0]!.dur! / 1000);
        // Top-level main-thread events of ours: the script's evaluation and every later callback.
        const mainTid = evals[0]!.tid;
        untilPrompt.push(unionMs(ours.filter((e) => e.tid === mainTid && (e.name === 'EvaluateScript' || e.name === 'FunctionCall')).map((e) => [e.ts, e.ts + (e.dur ?? 0)])));
      }
      log(`evaluate (ms): ${evaluate.map((x) => x.toFixed(1)).join(' ')}; all call.js work until prompt (ms): ${untilPrompt.map((x) => x.toFixed(1)).join(' ')}`);

      // JS heap added, alternating with / without.
      const html = fixtureHtml('meet', 'in-call');
      const heapWith: number[] = [];
      const heapWithout: number[] = [];
      for (let i = 0; i < p.heapPairs * 2; i++) {
        const withExt = (i % 4 === 0 || i % 4 === 3);
        const url = callUrl('meet', ++n);
        const target = withExt ? url : `${CONTROL_ORIGIN}${new URL(url).pathname}`;
        if (!withExt) b.serveAt(target, html);
        const page = await b.context.newPage();
        await page.goto(target);
        const prompt = new PromptDriver(page);
        if (withExt) {
          await prompt.waitForText(/Ask for recording consent/);
          await assertOnePrompt(page);
        }
        await sleep(500);
        if (!withExt && (await prompt.text()) !== null) throw new Error('The control page has a Candor prompt');
        await prompt.release();
        (withExt ? heapWith : heapWithout).push(await heapAfterGc(page));
        await page.close();
      }
      const addedMB = (median(heapWith) - median(heapWithout)) / 2 ** 20;
      log(`heap with (MB): ${heapWith.map((x) => (x / 2 ** 20).toFixed(2)).join(' ')}; without: ${heapWithout.map((x) => (x / 2 ** 20).toFixed(2)).join(' ')}`);

      return {
        metrics: [
          metric('gzipKB', 'call.js gzip -9', round(gzipKB), 'KB', 80),
          metric('evaluateMs', 'evaluate call.js (compile + run + main)', round(median(evaluate)), 'ms', 15),
          metric('heapAddedMB', 'JS heap added (after GC)', round(addedMB, 2), 'MB', 5),
          metric('rawKB', 'call.js raw', round(rawKB), 'KB'),
          metric('untilPromptMs', 'all call.js main-thread work until the prompt is shown', round(median(untilPrompt)), 'ms'),
          metric('heapWithMB', 'isolate heap with Candor', round(median(heapWith) / 2 ** 20, 2), 'MB'),
          metric('heapWithoutMB', 'isolate heap without', round(median(heapWithout) / 2 ** 20, 2), 'MB'),
        ],
        params: { traces: p.traces, heapPairs: p.heapPairs, gzipLevel: 9, fixture: 'meet/in-call' },
        notes: doubleInjections ? [`call.js was evaluated more than once in ${doubleInjections} of ${p.traces + 1} page loads (first evaluation measured).`] : [],
        samples: {
          evaluateMs: evaluate.map((x) => round(x, 2)),
          untilPromptMs: untilPrompt.map((x) => round(x, 2)),
          heapWith: heapWith,
          heapWithout: heapWithout,
        },
      };
    });
  },
});
