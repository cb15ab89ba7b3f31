import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callUrl, PromptDriver, readStore, startBrowser, switchFixture, waitFor, type TestBrowser } from './support';

let b: TestBrowser;
beforeAll(async () => {
  b = await startBrowser();
});
afterAll(async () => {
  await b?.close();
});

type Platform = 'meet' | 'zoom' | 'teams';
interface CallRow { id: string; platform: string; status: string; outcome?: string; endReason?: string; tabIds: number[]; admittedAt?: number; detectedBy: string[] }
interface EventRow { id: string; callId: string; type: string; at: number; data: Record<string, unknown> }

let meetings = 100;
async function open(platform: Platform, fixture: string, url = callUrl(platform, ++meetings)) {
  b.fixtures.serve(platform, fixture);
  const page = await b.context.newPage();
  await page.goto(url);
  return { page, prompt: new PromptDriver(page), url };
}

const calls = () => readStore<CallRow>(b, 'calls');
const events = () => readStore<EventRow>(b, 'events');
async function newestCall(platform: Platform): Promise<CallRow> {
  const rows = await calls();
  return rows.filter((c) => c.platform === platform).sort((x, y) => (y.admittedAt ?? 0) - (x.admittedAt ?? 0))[0]!;
}
const eventsOf = async (callId: string) => (await events()).filter((e) => e.callId === callId).sort((x, y) => x.at - y.at);

async function agree(prompt: PromptDriver) {
  await prompt.waitForText(/Ask for recording consent/);
  await prompt.click('Customer agreed');
  await prompt.waitForText(/Consent recorded/);
}

describe('call lifecycle', () => {
  it('continues the same call after a reload: no second prompt, the collapsed prompt shows the decision', async () => {
    const { page, prompt } = await open('meet', 'in-call');
    await agree(prompt);
    const call = await newestCall('meet');
    await page.reload();
    await prompt.waitForText(/^Consent: customer agreed(\n|$)/);
    await page.waitForTimeout(500);
    expect((await newestCall('meet')).id).toBe(call.id);
    const types = (await eventsOf(call.id)).map((e) => e.type);
    expect(types.filter((t) => t === 'admitted')).toHaveLength(1);
    expect(types.filter((t) => t === 'prompt-shown')).toHaveLength(1);
    await page.close();
  });

  it('a lost admission view: the shown prompt asks for its call again and takes the decision', async () => {
    const { page, prompt } = await open('meet', 'lobby');
    // The lobby's view is drawn ahead in the hidden frame (outcomes off).
    await waitFor(async () => (await prompt.frame()?.evaluate(() => document.getElementById('root')!.childElementCount).catch(() => 0)) ?? 0, (n) => n > 0, 10_000);
    // The background's pushes of the call's view to the frame go astray from now on.
    const worker = await b.worker();
    await worker.evaluate(() => {
      type Send = (tabId: number, message: { type?: string }, options?: unknown) => Promise<unknown>;
      const g = globalThis as unknown as { chrome: { tabs: { sendMessage: Send } }; __lostViews?: number; __send?: Send };
      g.__send = g.chrome.tabs.sendMessage.bind(g.chrome.tabs);
      g.__lostViews = 0;
      g.chrome.tabs.sendMessage = (tabId, message, options) => {
        if (message?.type !== 'prompt/view') return g.__send!(tabId, message, options);
        g.__lostViews!++;
        return Promise.resolve(undefined);
      };
    });
    try {
      await switchFixture(page, 'meet', 'in-call');
      await agree(prompt);
      expect(await worker.evaluate(() => (globalThis as unknown as { __lostViews?: number }).__lostViews)).toBeGreaterThan(0);
      expect((await newestCall('meet')).outcome).toBe('agreed');
    } finally {
      await worker.evaluate(() => {
        const g = globalThis as unknown as { chrome: { tabs: { sendMessage: unknown } }; __send?: unknown };
        if (g.__send) g.chrome.tabs.sendMessage = g.__send;
      });
      await page.close();
    }
  });

  it('starts a new call when the tab switches to another meeting without a page load', async () => {
    const { page, prompt } = await open('meet', 'in-call');
    await agree(prompt);
    const first = await newestCall('meet');
    await page.evaluate(() => history.pushState({}, '', '/xyz-wxyz-xyz'));
    await switchFixture(page, 'meet', 'in-call');
    await prompt.waitForText(/Ask for recording consent/);
    const second = await waitFor(() => newestCall('meet'), (c) => c.id !== first.id);
    expect(second.status).toBe('active');
    const ended = (await calls()).find((c) => c.id === first.id)!;
    expect(ended).toMatchObject({ status: 'ended', endReason: 'meeting-switched' });
    await page.close();
  });

  it('ends the call when the tab closes, and two tabs on one meeting log one call', async () => {
    const url = callUrl('zoom', ++meetings);
    const one = await open('zoom', 'in-call', url);
    await one.prompt.waitForText(/Ask for recording consent/);
    const two = await open('zoom', 'in-call', url);
    await two.prompt.waitForText(/Ask for recording consent/);
    const call = await waitFor(() => newestCall('zoom'), (c) => c.tabIds.length === 2);
    expect((await calls()).filter((c) => c.platform === 'zoom' && c.admittedAt === call.admittedAt)).toHaveLength(1);
    expect((await eventsOf(call.id)).filter((e) => e.type === 'admitted')).toHaveLength(1);

    await one.page.close();
    await waitFor(() => newestCall('zoom'), (c) => c.tabIds.length === 1);
    expect((await newestCall('zoom')).status).toBe('active');
    await two.page.close();
    const ended = await waitFor(() => newestCall('zoom'), (c) => c.status === 'ended');
    expect(ended.endReason).toBe('tab-closed');
  });

  it('ends the call when the platform shows its end screen', async () => {
    const { page, prompt } = await open('teams', 'in-call');
    await prompt.waitForText(/Ask for recording consent/);
    await switchFixture(page, 'teams', 'left');
    const ended = await waitFor(() => newestCall('teams'), (c) => c.status === 'ended');
    expect(ended.endReason).toBe('left');
    expect(await prompt.text()).toBeNull();
    await page.close();
  });
});

describe('recording awareness', () => {
  it('tells the rep to ask now when the platform records before a decision', async () => {
    const { page, prompt } = await open('meet', 'recording');
    const text = await prompt.waitForText(/Recording has already started/);
    expect(text).toContain('Google Meet recording or transcription');
    const call = await newestCall('meet');
    await waitFor(() => eventsOf(call.id), (ev) => ev.some((e) => e.type === 'recording-before-consent'));
    await page.close();
  });

  it('suspects a notetaker bot among the participants; once the rep confirms it, consent is asked now', async () => {
    const { page, prompt } = await open('zoom', 'bot');
    expect(await prompt.waitForText(/may be a notetaker bot/)).toMatch(/Fireflies\.ai Notetaker/);
    expect(await prompt.text()).not.toMatch(/Recording has already started/);
    await prompt.click('It’s a notetaker');
    const text = await prompt.waitForText(/Recording has already started/);
    expect(text).toMatch(/Fireflies/);
    await page.close();
  });

  it('warns persistently when recording runs after a decline, and clears when it stops', async () => {
    const { page, prompt } = await open('teams', 'in-call');
    await prompt.waitForText(/Ask for recording consent/);
    await prompt.click('Customer declined');
    await prompt.waitForText(/Saved\./);
    await switchFixture(page, 'teams', 'recording');
    const warning = await prompt.waitForText(/Stop the recording/);
    expect(warning).toContain('the customer declined');
    expect(await prompt.buttons()).toEqual([]); // nothing to dismiss it with
    const call = await newestCall('teams');
    await waitFor(() => eventsOf(call.id), (ev) => ev.some((e) => e.type === 'recording-after-decline'));

    await switchFixture(page, 'teams', 'in-call');
    await prompt.waitForText(/Recording stopped/, 6_000);
    const stopped = (await eventsOf(call.id)).find((e) => e.type === 'recording-stopped')!;
    expect(stopped.data.afterDecline).toBe(true);
    expect(stopped.data.durationMs).toBeGreaterThan(0);
    await page.close();
  });

  it('nudges the rep to confirm consent with someone who joins after it was given', async () => {
    const { page, prompt } = await open('meet', 'in-call');
    await agree(prompt);
    await prompt.click('Done');
    await switchFixture(page, 'meet', 'late-joiner');
    await prompt.waitForText(/Someone joined the call/);
    await prompt.click('They agreed');
    await prompt.waitForText(/^Consent: customer agreed(\n|$)/);
    const call = await newestCall('meet');
    const late = (await eventsOf(call.id)).filter((e) => e.type === 'late-joiner');
    expect(late.map((e) => e.data)).toMatchObject([{ joined: 1, answer: 'agreed' }]);
    await page.close();
  });
});

describe('manual fallback', () => {
  it('starts the consent check from the toolbar popup when detection does not see the call', async () => {
    const { page, prompt } = await open('meet', 'unknown-ui');
    await page.waitForTimeout(700);
    expect(await prompt.text()).toBeNull();
    const popup: Page = await b.context.newPage();
    await popup.goto(`chrome-extension://${b.extensionId}/popup.html`);
    await popup.getByRole('button', { name: 'Start consent check' }).click();
    await expect.poll(() => popup.getByText(/Started: the consent prompt is open/).count()).toBe(1);
    await prompt.waitForText(/Ask for recording consent/);
    const call = await newestCall('meet');
    expect(call.detectedBy).toEqual(['manual']);
    await page.waitForTimeout(4_500); // longer than the "signals gone" grace: a manual call stays open
    expect((await newestCall('meet')).status).toBe('active');
    await popup.close();
    await page.close();
  });
});
