import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callUrl, PromptDriver, readStore, startBrowser, waitFor, type TestBrowser } from './support';

interface CallRow { id: string; platform: string; status: string; outcome?: string; endReason?: string; admittedAt?: number }
interface EventRow { callId: string; type: string }
type WorkerGlobal = { chrome: { runtime: { reload(): void } } };

let b: TestBrowser;
beforeAll(async () => {
  b = await startBrowser();
});
afterAll(async () => {
  await b?.close();
});

describe('faults', () => {
  it('extension reloaded mid-call: the old script tears down, the new one resumes the same call with one prompt', async () => {
    b.fixtures.serve('meet', 'in-call');
    const page = await b.context.newPage();
    await page.goto(callUrl('meet', 600));
    const prompt = new PromptDriver(page);
    await prompt.waitForText(/Ask for recording consent/);
    await prompt.click('Customer agreed');
    await prompt.waitForText(/Consent recorded/);
    const call = (await waitFor(() => readStore<CallRow>(b, 'calls'), (r) => r.some((c) => c.outcome === 'agreed'))).find((c) => c.outcome === 'agreed')!;

    const worker = await b.worker();
    await worker.evaluate(() => (globalThis as unknown as WorkerGlobal).chrome.runtime.reload());
    // The new worker re-injects the content script; it resumes the call, collapsed with the decision.
    await prompt.waitForText(/^Consent: customer agreed(\n|$)/, 15_000);
    await page.evaluate(() => document.body.append(document.createElement('div'))); // wake any orphan observer
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => document.querySelectorAll('candor-consent').length)).toBe(1);
    const calls = (await readStore<CallRow>(b, 'calls')).filter((c) => c.platform === 'meet' && c.status !== 'ended');
    expect(calls.map((c) => c.id)).toEqual([call.id]);
    const events = (await readStore<EventRow>(b, 'events')).filter((e) => e.callId === call.id);
    expect(events.filter((e) => e.type === 'admitted')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'decision')).toHaveLength(1);
    await page.close();
  });

  it('service worker stopped in the middle of a decision write: stored exactly once, the rep sees it saved', async () => {
    b.fixtures.serve('meet', 'in-call');
    // The stop lands at different points of the click → message → transaction → reply path.
    for (const [i, delayMs] of [0, 2, 5, 10, 20].entries()) {
      const page = await b.context.newPage();
      await page.goto(callUrl('meet', 610 + i));
      const prompt = new PromptDriver(page);
      await prompt.waitForText(/Ask for recording consent/);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('ServiceWorker.enable');
      await prompt.click('Customer agreed');
      if (delayMs) await page.waitForTimeout(delayMs);
      await cdp.send('ServiceWorker.stopAllWorkers');
      await prompt.waitForText(/Consent recorded/, 10_000);
      await page.waitForTimeout(300); // a late retry would land by now
      const calls = await readStore<CallRow>(b, 'calls');
      const mine = calls.filter((c) => c.outcome === 'agreed' && c.status !== 'ended');
      expect(mine, `stop after ${delayMs} ms`).toHaveLength(1);
      const decisions = (await readStore<EventRow>(b, 'events')).filter((e) => e.callId === mine[0]!.id && e.type === 'decision');
      expect(decisions, `stop after ${delayMs} ms`).toHaveLength(1);
      await page.close();
      await waitFor(() => readStore<CallRow>(b, 'calls'), (rows) => rows.every((c) => c.status === 'ended'));
    }
  });
});
