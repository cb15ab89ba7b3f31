import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callFrame, callUrl, PromptDriver, readStore, startBrowser, switchFixture, waitFor, type TestBrowser } from './support';

/**
 * Detection on pages shaped like the real platforms (docs/platforms.md names each fixture's sources):
 * Zoom's web app running the call in a same-origin frame, Meet's waiting room in a language Candor
 * has no copy for, the end screens, people whose names contain a vendor's, and the audible net.
 */
let b: TestBrowser;
beforeAll(async () => {
  // Call audio without a click (what a call page plays once joined): the audible fallback's trigger.
  b = await startBrowser({ extraArgs: ['--autoplay-policy=no-user-gesture-required'] });
});
afterAll(async () => {
  await b?.close();
});

interface Call { id: string; platform: string; status: string; outcome?: string; endedAt?: number; endReason?: string; detectedBy: string[]; admittedAt?: number }
interface Event { callId: string; type: string; at: number; data: Record<string, unknown> }

/** Long enough for many detection passes (the detector reacts within ~100 ms). */
const SETTLE_MS = 1_500;
let meetings = 100;

async function newestCall(platform: string, ok: (c: Call) => boolean = () => true): Promise<Call> {
  const calls = await waitFor(() => readStore<Call>(b, 'calls'), (rows) => rows.some((c) => c.platform === platform && ok(c)), 8_000);
  return calls.filter((c) => c.platform === platform && ok(c)).sort((x, y) => (y.admittedAt ?? 0) - (x.admittedAt ?? 0))[0]!;
}

/** Milliseconds from `since` until the prompt shows `pattern` (polled every 25 ms). */
async function msUntilPrompt(prompt: PromptDriver, pattern: RegExp, since: number, timeoutMs = 5_000): Promise<number> {
  await prompt.waitForText(pattern, timeoutMs);
  return Date.now() - since;
}

describe('Zoom web app: the call runs inside the same-origin iframe#webclient', () => {
  it('no prompt while waiting in the frame; the prompt within a second of admission; the end dialog ends the call', async () => {
    b.fixtures.serve('zoom', 'webapp');
    b.fixtures.serveFrame('zoom', 'waiting-host');
    const page = await b.context.newPage();
    await page.goto(`${callUrl('zoom', ++meetings)}?fromPWA=1`);
    const frame = await callFrame(page);
    expect(new URL(frame.url()).search).toBe('?from=pwa');
    const prompt = new PromptDriver(page);
    await page.waitForTimeout(SETTLE_MS);
    expect(await prompt.text()).toBeNull();

    // Admission happens inside the frame only: nothing changes in the top document.
    const admittedAt = Date.now();
    await switchFixture(frame, 'zoom', 'in-call');
    const latency = await msUntilPrompt(prompt, /Ask for recording consent/, admittedAt);
    expect(latency).toBeLessThan(1_000);
    const call = await newestCall('zoom', (c) => c.status === 'active');
    expect(call.detectedBy).toEqual(expect.arrayContaining(['zoom-footer-leave', 'zoom-audio-menu']));

    // The host ends the meeting: a dialog over the still-present toolbar, inside the frame.
    const endedAt = Date.now();
    await switchFixture(frame, 'zoom', 'ended');
    const ended = await newestCall('zoom', (c) => c.id === call.id && c.status === 'ended');
    const left = (await readStore<Event>(b, 'events')).find((e) => e.callId === call.id && e.type === 'left')!;
    expect(ended.endReason).toBe('left');
    expect(left.at - endedAt).toBeLessThan(1_000);
    expect(await prompt.text()).toBeNull();
    await page.close();
  });

  it('a frame that navigates (a rejoin loads a new document) is watched again', async () => {
    b.fixtures.serve('zoom', 'webapp');
    b.fixtures.serveFrame('zoom', 'waiting');
    const page = await b.context.newPage();
    await page.goto(`${callUrl('zoom', ++meetings)}?fromPWA=1`);
    const frame = await callFrame(page);
    const prompt = new PromptDriver(page);
    b.fixtures.serveFrame('zoom', 'in-call');
    await frame.evaluate(() => location.reload());
    await prompt.waitForText(/Ask for recording consent/, 3_000);
    await page.close();
  });
});

describe('Meet: never a prompt before admission, in any language', () => {
  it('a Hungarian waiting room with the self preview (participant id) and the leave button shows no prompt; admission does', async () => {
    b.fixtures.serve('meet', 'lobby');
    const page = await b.context.newPage();
    await page.goto(callUrl('meet', ++meetings));
    const prompt = new PromptDriver(page);
    await switchFixture(page, 'meet', 'waiting-hu');
    await page.waitForTimeout(SETTLE_MS);
    expect(await prompt.text()).toBeNull();
    const calls = await readStore<Call>(b, 'calls');
    expect(calls.filter((c) => c.platform === 'meet' && c.status === 'active' && c.admittedAt! > Date.now() - SETTLE_MS * 2)).toEqual([]);

    const admittedAt = Date.now();
    await switchFixture(page, 'meet', 'in-call');
    expect(await msUntilPrompt(prompt, /Ask for recording consent/, admittedAt)).toBeLessThan(1_000);
    await page.close();
  });
});

describe('end screens end the call within a second', () => {
  it.each([
    ['meet', 'host-ended-fr'],
    ['teams', 'left-retry'],
    ['zoom', 'ended'],
  ] as const)('%s: %s', async (platform, screen) => {
    b.fixtures.serve(platform, 'in-call');
    const page = await b.context.newPage();
    await page.goto(callUrl(platform, ++meetings));
    const prompt = new PromptDriver(page);
    await prompt.waitForText(/Ask for recording consent/);
    const call = await newestCall(platform, (c) => c.status === 'active');
    const shownAt = Date.now();
    await switchFixture(page, platform, screen);
    await newestCall(platform, (c) => c.id === call.id && c.status === 'ended');
    const left = (await readStore<Event>(b, 'events')).find((e) => e.callId === call.id && e.type === 'left')!;
    expect(left.data.reason).toBe('left');
    expect(left.at - shownAt).toBeLessThan(1_000);
    await page.close();
  });
});

describe('notetakers: suspected by name, never a person whose name contains a vendor’s', () => {
  async function declinedZoomCall(): Promise<{ page: Page; prompt: PromptDriver; call: Call }> {
    b.fixtures.serve('zoom', 'in-call');
    const page = await b.context.newPage();
    await page.goto(callUrl('zoom', ++meetings));
    const prompt = new PromptDriver(page);
    await prompt.waitForText(/Ask for recording consent/);
    await prompt.click('Customer declined');
    await prompt.waitForText(/Saved\./);
    await prompt.click('Done');
    const call = await newestCall('zoom', (c) => c.outcome === 'declined');
    return { page, prompt, call };
  }

  /** A participant joins the Zoom call under this display name (tile and participants list). */
  const join = (page: Page, name: string) =>
    page.evaluate((who) => {
      const tile = document.querySelector('.gallery-video-container__video-frame')!.cloneNode(true) as HTMLElement;
      tile.querySelector('.video-avatar__avatar-footer > span')!.textContent = who;
      document.querySelector('.gallery-video-container__main-view')!.append(tile);
    }, name);

  it('someone with a 120-character display name joining after an agreement still gets the late-joiner nudge', async () => {
    b.fixtures.serve('zoom', 'in-call');
    const page = await b.context.newPage();
    await page.goto(callUrl('zoom', ++meetings));
    const prompt = new PromptDriver(page);
    await prompt.waitForText(/Ask for recording consent/);
    await prompt.click('Customer agreed');
    await prompt.waitForText(/Consent recorded/);
    await prompt.click('Done');
    const name = `Dana ${'Okonkwo-'.repeat(14)}Smith`;
    expect(name.length).toBeGreaterThan(100);
    await join(page, name);
    const text = await prompt.waitForText(/Someone joined the call/);
    expect(text).toContain(name.slice(0, 60));
    await page.close();
  });

  it('"Wei Gong (Acme)" joining after a decline is a person: no flag, no warning, nothing in the audit', async () => {
    const { page, prompt, call } = await declinedZoomCall();
    await join(page, 'Wei Gong (Acme)');
    await page.waitForTimeout(SETTLE_MS);
    expect(await prompt.text()).not.toMatch(/notetaker|Stop the recording/i);
    const events = (await readStore<Event>(b, 'events')).filter((e) => e.callId === call.id);
    expect(events.map((e) => e.type)).not.toEqual(expect.arrayContaining(['recording-after-decline']));
    expect(events.map((e) => e.type)).not.toEqual(expect.arrayContaining(['notetaker-suspected']));
    await page.close();
  });

  it('a bot name after a decline is only suspected; "Not a bot" clears it, "It’s a notetaker" makes it a violation', async () => {
    const { page, prompt, call } = await declinedZoomCall();
    await join(page, 'Fireflies.ai Notetaker Bruno');
    await prompt.waitForText(/may be a notetaker bot/);
    let events = (await readStore<Event>(b, 'events')).filter((e) => e.callId === call.id);
    expect(events.map((e) => e.type)).toContain('notetaker-suspected');
    expect(events.map((e) => e.type)).not.toContain('recording-after-decline');

    await prompt.click('Not a bot');
    await waitFor(() => readStore<Event>(b, 'events'), (rows) => rows.some((e) => e.callId === call.id && e.type === 'notetaker-not-bot'));
    await page.waitForTimeout(SETTLE_MS);
    expect(await prompt.text()).not.toMatch(/may be a notetaker bot/);

    await join(page, 'Siddhartha’s Notetaker (Otter.ai)');
    await prompt.waitForText(/may be a notetaker bot/);
    await prompt.click('It’s a notetaker');
    await prompt.waitForText(/Stop the recording/);
    events = await waitFor(() => readStore<Event>(b, 'events'), (rows) => rows.some((e) => e.callId === call.id && e.type === 'recording-after-decline'));
    const violation = events.find((e) => e.callId === call.id && e.type === 'recording-after-decline')!;
    expect(violation.data.sources).toEqual(["…'s Notetaker (Otter.ai)"]);
    expect(events.some((e) => e.callId === call.id && e.type === 'notetaker-confirmed')).toBe(true);
    await page.close();
  });
});

describe('the audible net: a call page that plays sound with no call detected', () => {
  it('nudges the rep (badge "?" and an in-page offer) and the offer starts the consent check', async () => {
    b.fixtures.serve('meet', 'unknown-ui');
    const page = await b.context.newPage();
    await page.goto(callUrl('meet', ++meetings));
    const prompt = new PromptDriver(page);
    await page.waitForTimeout(500);
    expect(await prompt.text()).toBeNull();
    // The call's audio starts (a redesigned call page that no signal recognises).
    await page.evaluate(() => {
      const audio = new AudioContext();
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      gain.gain.value = 0.2;
      tone.connect(gain).connect(audio.destination);
      tone.start();
    });
    const worker = await b.worker();
    type Chrome = { tabs: { query(q: { url: string }): Promise<{ id?: number; audible?: boolean }[]> }; action: { getBadgeText(d: { tabId: number }): Promise<string> } };
    // The grace period is 6 s (AUDIBLE_GRACE_MS); a loaded machine may take a while to mark the tab audible.
    await prompt.waitForText(/Are you on a call\?/, 20_000).catch(async (e: Error) => {
      const tab = await worker.evaluate(async (url) => (await (globalThis as unknown as { chrome: Chrome }).chrome.tabs.query({ url }))[0], page.url());
      const badge = tab?.id === undefined ? null : await worker.evaluate((id) => (globalThis as unknown as { chrome: Chrome }).chrome.action.getBadgeText({ tabId: id }), tab.id);
      throw new Error(`${e.message} (the tab is ${tab?.audible ? '' : 'not '}audible; its badge: ${JSON.stringify(badge)})`);
    });
    const tabId = await worker.evaluate(async (url) => (await (globalThis as unknown as { chrome: Chrome }).chrome.tabs.query({ url }))[0]?.id, page.url());
    const badge = () => worker.evaluate((id) => (globalThis as unknown as { chrome: Chrome }).chrome.action.getBadgeText({ tabId: id }), tabId!);
    expect(await badge()).toBe('?');
    const nudges = (await readStore<{ key: string; value: Record<string, { nudges: number }> }>(b, 'meta')).find((m) => m.key === 'detection-nudges');
    expect(nudges?.value.meet?.nudges).toBeGreaterThanOrEqual(1);

    await prompt.click('Start consent check');
    await prompt.waitForText(/Ask for recording consent/);
    const call = await newestCall('meet', (c) => c.detectedBy.includes('manual'));
    expect(call.status).toBe('active');
    await waitFor(badge, (text) => text !== '?');
    await page.close();
  });
});

describe('selector overrides from the organisation’s policy', () => {
  it('a signal added through the policy detects a call page the built-in signals do not know', async () => {
    const options = await b.context.newPage();
    await options.goto(`chrome-extension://${b.extensionId}/options.html`);
    const saved = await options.evaluate((policy) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<{ ok: boolean }> } } }).chrome.runtime.sendMessage({ type: 'policy/save', policy }), {
      selectorOverrides: { meet: { inCall: [{ id: 'acme-future-stage', selector: '.future-call-layout .stage' }] } },
    });
    expect(saved.ok).toBe(true);
    b.fixtures.serve('meet', 'unknown-ui');
    const page = await b.context.newPage();
    await page.goto(callUrl('meet', ++meetings));
    await new PromptDriver(page).waitForText(/Ask for recording consent/);
    const call = await newestCall('meet', (c) => c.detectedBy.includes('acme-future-stage'));
    expect(call.status).toBe('active');
    await options.evaluate(() => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ type: 'policy/save', policy: {} }));
    await page.close();
    await options.close();
  });
});
