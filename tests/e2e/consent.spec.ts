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

const SCRIPT = 'To make sure I capture everything accurately and share notes with my team, is it okay if I record this call?';
/** Long enough for several detection passes (the detector reacts within ~100 ms). */
const SETTLE_MS = 700;

let meetings = 0;
/** Opens a new meeting (a fresh call) on the platform, starting from the given fixture. */
async function openCall(platform: 'meet' | 'zoom' | 'teams', first = 'lobby'): Promise<{ page: Page; prompt: PromptDriver }> {
  b.fixtures.serve(platform, first);
  const page = await b.context.newPage();
  await page.goto(callUrl(platform, ++meetings));
  return { page, prompt: new PromptDriver(page) };
}

interface Row { id: string; callId: string; type: string; data: Record<string, unknown>; outcome?: string; platform?: string; reason?: string; admittedAt?: number }

describe.each(['meet', 'zoom', 'teams'] as const)('%s', (platform) => {
  it('asks only once the rep is admitted, never in the lobby or waiting room', async () => {
    const { page, prompt } = await openCall(platform);
    await page.waitForTimeout(SETTLE_MS);
    expect(await prompt.text()).toBeNull();

    await switchFixture(page, platform, 'waiting');
    await page.waitForTimeout(SETTLE_MS);
    expect(await prompt.text()).toBeNull();

    await switchFixture(page, platform, 'in-call');
    const text = await prompt.waitForText(/Ask for recording consent/);
    expect(text).toContain('We use AI to strengthen coaching and accuracy.');
    expect(text).toContain(SCRIPT);
    expect(await prompt.buttons()).toEqual(expect.arrayContaining(['Customer agreed', 'Customer declined', 'Not recording this call']));
    await page.close();
  });
});

describe('decisions', () => {
  it('stores "Customer agreed" (Meet)', async () => {
    const { page, prompt } = await openCall('meet', 'in-call');
    await prompt.waitForText(/Ask for recording consent/);
    await prompt.click('Customer agreed');
    await prompt.waitForText(/Consent recorded/);
    const calls = await waitFor(() => readStore<Row>(b, 'calls'), (rows) => rows.some((c) => c.platform === 'meet' && c.outcome === 'agreed'));
    const call = calls.find((c) => c.platform === 'meet' && c.outcome === 'agreed')!;
    const events = await readStore<Row>(b, 'events');
    expect(events.filter((e) => e.callId === call.id && e.type === 'decision').map((e) => e.data.outcome)).toEqual(['agreed']);
    expect(events.some((e) => e.callId === call.id && e.type === 'prompt-shown')).toBe(true);
    await page.close();
  });

  it('stores "Customer declined" and shows the blameless decline line (Zoom)', async () => {
    const { page, prompt } = await openCall('zoom', 'in-call');
    await prompt.waitForText(/Ask for recording consent/);
    await prompt.click('Customer declined');
    const text = await prompt.waitForText(/Saved\./);
    expect(text).toContain('No problem — we’ll continue without it.');
    expect(text).toContain('notes-only mode');
    await waitFor(() => readStore<Row>(b, 'calls'), (rows) => rows.some((c) => c.platform === 'zoom' && c.outcome === 'declined'));
    await prompt.click('Done');
    await prompt.waitForText(/Declined: notes only/);
    await page.close();
  });

  it('asks a reason for "Not recording this call" (Teams)', async () => {
    const { page, prompt } = await openCall('teams', 'in-call');
    await prompt.waitForText(/Ask for recording consent/);
    await prompt.click('Not recording this call');
    await prompt.waitForText(/Why is this call not recorded\?/);
    await prompt.click('Internal call');
    const calls = await waitFor(() => readStore<Row>(b, 'calls'), (rows) => rows.some((c) => c.platform === 'teams' && c.outcome === 'not-recorded'));
    expect(calls.find((c) => c.platform === 'teams' && c.outcome === 'not-recorded')?.reason).toBe('internal-call');
    await page.close();
  });

  it('stores a decision exactly once when the service worker was stopped mid-call', async () => {
    const { page, prompt } = await openCall('meet', 'in-call');
    await prompt.waitForText(/Ask for recording consent/);
    const worker = await b.worker();
    await worker.evaluate(() => ((globalThis as { aliveMarker?: number }).aliveMarker = 1));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await prompt.click('Customer declined');
    await prompt.waitForText(/Saved\./, 10_000);
    const newest = (rows: Row[]) => rows.filter((c) => c.platform === 'meet').sort((x, y) => (y.admittedAt ?? 0) - (x.admittedAt ?? 0))[0]!;
    const call = newest(await readStore<Row>(b, 'calls'));
    expect(call.outcome).toBe('declined');
    await page.waitForTimeout(500); // any late retry would land by now
    const decisions = (await readStore<Row>(b, 'events')).filter((e) => e.callId === call.id && e.type === 'decision');
    expect(decisions.map((e) => e.data.outcome)).toEqual(['declined']);
    // The worker that stored it is a fresh one: the marker set before the stop is gone.
    expect(await worker.evaluate(() => (globalThis as { aliveMarker?: number }).aliveMarker)).toBeUndefined();
    await page.close();
  });
});

describe('prompt integrity', () => {
  it('is out of reach of page scripts and page CSS, and does not cover the call controls', async () => {
    const { page, prompt } = await openCall('meet', 'in-call');
    await prompt.waitForText(/Ask for recording consent/);
    const seenByPage = await page.evaluate(() => {
      const host = document.querySelector('candor-consent') as HTMLElement;
      const style = document.createElement('style');
      style.textContent = 'candor-consent { display: none !important; opacity: 0 !important; top: 0 !important; } button { color: red !important; }';
      document.head.append(style);
      const r = host.getBoundingClientRect();
      const leave = document.querySelector('[aria-label="Leave call"]')!.getBoundingClientRect();
      const overlaps = !(r.right <= leave.left || r.left >= leave.right || r.bottom <= leave.top || r.top >= leave.bottom);
      return { shadowRoot: host.shadowRoot, width: r.width, height: r.height, opacity: getComputedStyle(host).opacity, overlaps };
    });
    expect(seenByPage.shadowRoot).toBeNull();
    expect(seenByPage.width).toBeGreaterThan(200);
    expect(seenByPage.height).toBeGreaterThan(100);
    expect(seenByPage.opacity).toBe('1');
    expect(seenByPage.overlaps).toBe(false);
    await page.close();
  });

  it('is operable by keyboard alone with a visible focus ring, and collapses and reopens', async () => {
    const { page, prompt } = await openCall('zoom', 'in-call');
    await prompt.waitForText(/Ask for recording consent/);
    // The prompt follows the page in tab order; Shift+Tab from the page start reaches its last control.
    await page.keyboard.press('Shift+Tab');
    expect(await prompt.focused()).toBe('Not recording this call');
    expect(await prompt.focusOutline()).toMatch(/^solid [1-9]/);
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+Tab'); // declined, agreed, call type
    expect(await prompt.focused()).toMatch(/^External prospect/);
    await page.keyboard.press('Shift+Tab');
    expect(await prompt.focused()).toBe('Collapse');
    await page.keyboard.press('Enter');
    await prompt.waitForText(/^Consent check: pending(\n|$)/);
    expect(await prompt.focused()).toBe('Consent check: pending');
    await page.keyboard.press('Enter');
    await prompt.waitForText(/Ask for recording consent/);
    expect(await prompt.focused()).toBe('Collapse'); // focus stays in the prompt the rep is using
    await page.keyboard.press('Tab'); // call type
    await page.keyboard.press('Tab');
    expect(await prompt.focused()).toBe('Customer agreed');
    await prompt.armed(); // a choice counts once the reopened prompt has been visible for a moment
    await page.keyboard.press('Enter');
    await prompt.waitForText(/Consent recorded/);
    await page.close();
  });
});
