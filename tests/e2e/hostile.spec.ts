import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callUrl, PromptDriver, readStore, startBrowser, switchFixture, waitFor, type TestBrowser } from './support';

/**
 * A hostile call page in real Chromium: it tries to make the rep's real clicks record what the rep
 * did not choose, to hide or kill the prompt, and to read it. None may record an outcome the rep
 * did not see and choose, none may leave a call without a prompt or a fallback, none may read it.
 */
let b: TestBrowser;
beforeAll(async () => {
  b = await startBrowser();
});
afterAll(async () => {
  await b?.close();
});

interface Call { id: string; platform: string; status: string; outcome?: string; admittedAt?: number; recordingEpisodes?: number; recordingFlaps?: number }
interface Event { callId: string; type: string; at: number; data: Record<string, unknown> }
interface Ledger { entry: { type: string; callId: string } }

let meetings = 400;
async function openCall(platform: 'meet' | 'zoom' | 'teams' = 'meet', first = 'in-call'): Promise<{ page: Page; prompt: PromptDriver; call: Call }> {
  b.fixtures.serve(platform, first);
  const page = await b.context.newPage();
  await page.goto(callUrl(platform, ++meetings));
  const prompt = new PromptDriver(page);
  await prompt.waitForText(/Ask for recording consent/);
  const calls = await waitFor(() => readStore<Call>(b, 'calls'), (rows) => rows.some((c) => c.platform === platform && c.status === 'active'));
  const call = calls.filter((c) => c.platform === platform && c.status === 'active').sort((x, y) => y.admittedAt! - x.admittedAt!)[0]!;
  return { page, prompt, call };
}
const decisionsOf = async (callId: string) => (await readStore<Event>(b, 'events')).filter((e) => e.callId === callId && e.type === 'decision');
const badge = async (page: Page) => {
  const worker = await b.worker();
  type Chrome = { tabs: { query(q: { url: string }): Promise<{ id?: number }[]> }; action: { getBadgeText(d: { tabId: number }): Promise<string> } };
  return worker.evaluate(async (url) => {
    const chrome = (globalThis as unknown as { chrome: Chrome }).chrome;
    const [tab] = await chrome.tabs.query({ url });
    return chrome.action.getBadgeText({ tabId: tab!.id! });
  }, page.url());
};

describe('a real click can only record what the rep saw', () => {
  it('a transparent top-layer overlay with swapped labels: the click under "Customer declined" records nothing', async () => {
    const { page, prompt, call } = await openCall();
    await prompt.armed();
    const agreed = await prompt.buttonCenter('Customer agreed');
    // The page draws "Customer declined" where "Customer agreed" is, in a popover that lets clicks through.
    await page.evaluate(({ x, y }) => {
      const overlay = document.createElement('div');
      overlay.popover = 'manual';
      overlay.style.cssText = `position:fixed; inset:0; margin:0; border:0; padding:0; width:100vw; height:100vh; background:transparent; pointer-events:none;`;
      const fake = document.createElement('button');
      fake.textContent = 'Customer declined';
      fake.style.cssText = `position:fixed; left:${x - 80}px; top:${y - 15}px; width:160px; height:30px; background:#fff;`;
      overlay.append(fake);
      document.body.append(overlay);
      overlay.showPopover();
    }, agreed);
    // The rep's click comes after the page drew the overlay (a frame later at the very least).
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.mouse.click(agreed.x, agreed.y);
    await page.waitForTimeout(800);
    await page.mouse.click(agreed.x, agreed.y);
    await page.waitForTimeout(500);
    expect(await decisionsOf(call.id)).toEqual([]);
    // The prompt says why, and the toolbar button shows where to decide instead.
    expect(await prompt.text()).toMatch(/covering or hiding this prompt/);
    expect(await badge(page)).toBe('!');
    const health = (await readStore<{ key: string; value: Record<string, { times: number }> }>(b, 'meta')).find((m) => m.key === 'prompt-interference');
    expect(health?.value.meet?.times).toBeGreaterThanOrEqual(1);

    // The popup is out of the page's reach: the rep records the real answer there.
    const popup = await b.context.newPage();
    await page.bringToFront();
    await popup.goto(`chrome-extension://${b.extensionId}/popup.html`);
    await popup.getByRole('button', { name: 'Customer declined' }).click();
    await waitFor(() => decisionsOf(call.id), (d) => d.length === 1);
    expect((await decisionsOf(call.id))[0]!.data).toMatchObject({ outcome: 'declined', via: 'toolbar' });
    await popup.close();
    await page.close();
  });

  it('the prompt appearing under a cursor the rep keeps clicking: clicks before it was seen for a moment count for nothing', async () => {
    b.fixtures.serve('meet', 'lobby');
    const page = await b.context.newPage();
    await page.goto(callUrl('meet', ++meetings));
    const prompt = new PromptDriver(page);
    await page.waitForTimeout(600); // the prompt's frame is loaded, hidden, in the lobby
    const frame = prompt.frame();
    expect(frame).not.toBeNull();
    await switchFixture(page, 'meet', 'in-call');
    const admittedAt = Date.now();
    await prompt.waitForText(/Ask for recording consent/);
    const spot = await prompt.buttonCenter('Customer agreed');
    // The rep was clicking at that spot when the prompt appeared, and goes on for 300 ms.
    while (Date.now() - admittedAt < 300) await page.mouse.click(spot.x, spot.y);
    await page.waitForTimeout(300);
    const calls = await readStore<Call>(b, 'calls');
    const call = calls.filter((c) => c.platform === 'meet' && c.status === 'active').sort((x, y) => y.admittedAt! - x.admittedAt!)[0]!;
    expect(await decisionsOf(call.id)).toEqual([]);
    // Once it has been in view for a moment, a click is the rep's choice.
    await prompt.click('Customer agreed');
    await waitFor(() => decisionsOf(call.id), (d) => d.length === 1);
    await page.close();
  });
});

describe('the page cannot hide or kill the prompt', () => {
  it('removed, or moved into a hidden parent: it comes back; removed again and again: the toolbar takes over', async () => {
    const { page, prompt } = await openCall('zoom');
    await page.evaluate(() => document.querySelector('candor-consent')!.remove());
    await waitFor(() => page.evaluate(() => document.querySelector('candor-consent')?.parentNode === document.documentElement), (v) => v, 3_000);
    await prompt.waitForText(/Ask for recording consent/);

    await page.evaluate(() => {
      const jail = document.createElement('div');
      jail.style.display = 'none';
      document.body.append(jail);
      jail.append(document.querySelector('candor-consent')!);
    });
    await waitFor(() => page.evaluate(() => document.querySelector('candor-consent')?.parentNode === document.documentElement), (v) => v, 3_000);
    await prompt.waitForText(/Ask for recording consent/);

    // A page that keeps removing it wins the page, not the call: the badge sends the rep to the toolbar.
    await page.evaluate(() => {
      window.setInterval(() => document.querySelector('candor-consent')?.remove(), 50);
    });
    await waitFor(() => badge(page), (text) => text === '!', 8_000);
    const popup = await b.context.newPage();
    await page.bringToFront();
    await popup.goto(`chrome-extension://${b.extensionId}/popup.html`);
    expect(await popup.getByRole('alert').textContent()).toMatch(/covering or hiding Candor’s prompt/);
    expect(await popup.getByRole('button', { name: 'Customer agreed' }).isVisible()).toBe(true);
    await popup.close();
    await page.close();
  });

  it('html { zoom: .1 } countered on body shrinks the prompt: it takes no choice, says so, and the badge shows', async () => {
    const { page, prompt, call } = await openCall('teams');
    await prompt.armed();
    const spot = await prompt.buttonCenter('Customer agreed');
    await page.addStyleTag({ content: 'html { zoom: .1 } body { zoom: 10 }' });
    await waitFor(() => badge(page), (text) => text === '!', 5_000);
    await page.mouse.click(spot.x, spot.y);
    await page.waitForTimeout(500);
    expect(await decisionsOf(call.id)).toEqual([]);
    expect(await prompt.text()).toMatch(/covering or hiding this prompt/);
    await page.close();
  });

  it('a page element named like the script’s internals does not stop it (no named globals read)', async () => {
    b.fixtures.serve('meet', 'in-call');
    const page = await b.context.newPage();
    // The element exists before the content script runs: named access would put it on window.
    await page.route(/meet\.google\.com/, async (route) => {
      const body = (await import('../../scripts/lib/browser')).fixtureHtml('meet', 'in-call')
        .replace('<body', '<body data-x="1"')
        .replace('</body>', '<div id="__candorRetireCallScript"></div><div id="candor.retireCallScript"></div><form name="__candorRetireCallScript"></form></body>');
      await route.fulfill({ contentType: 'text/html', body });
    });
    await page.goto(callUrl('meet', ++meetings));
    const prompt = new PromptDriver(page);
    await prompt.waitForText(/Ask for recording consent/);
    await page.close();
  });
});

describe('the page cannot read the prompt', () => {
  it('find(), selections and the DOM see nothing of it, and its size does not tell the outcome', async () => {
    const { page, prompt } = await openCall();
    await prompt.click('Customer declined');
    await prompt.waitForText(/Saved\./);
    await prompt.click('Done');
    await prompt.waitForText(/Declined: notes only/);
    const seen = await page.evaluate(() => {
      const found: Record<string, boolean> = {};
      for (const phrase of ['Declined', 'notes only', 'Consent', 'Customer', 'recording consent']) {
        getSelection()?.removeAllRanges();
        found[phrase] = (window as unknown as { find(s: string, c?: boolean, b?: boolean, w?: boolean): boolean }).find(phrase, false, false, true);
      }
      // Select everything and extend over the prompt's place.
      const sel = getSelection()!;
      sel.selectAllChildren(document.documentElement);
      (sel as unknown as { modify(a: string, d: string, g: string): void }).modify('extend', 'forward', 'documentboundary');
      const host = document.querySelector('candor-consent')!;
      return {
        found,
        selected: sel.toString(),
        hostText: host.textContent,
        hostShadow: host.shadowRoot,
        pageText: document.documentElement.innerText,
        live: [...document.querySelectorAll('[aria-live], [role="status"], [role="alert"]')].map((el) => el.textContent).join('|'),
        size: host.getBoundingClientRect().width,
      };
    });
    expect(Object.values(seen.found).some(Boolean)).toBe(false);
    expect(seen.selected).not.toMatch(/Declined|notes only|Consent/);
    expect(seen.hostText).toBe('');
    expect(seen.hostShadow).toBeNull();
    expect(seen.pageText).not.toMatch(/Declined|notes only/);
    expect(seen.live).not.toMatch(/Declined|Consent/);

    // The collapsed prompt has the same box after "agreed" as after "declined".
    const other = await openCall();
    await other.prompt.click('Customer agreed');
    await other.prompt.waitForText(/Consent recorded/);
    await other.prompt.click('Done');
    await other.prompt.waitForText(/Consent: customer agreed/);
    await waitFor(() => other.page.evaluate(() => document.querySelector('candor-consent')!.getBoundingClientRect().width), (w) => w < 400);
    expect(await other.page.evaluate(() => document.querySelector('candor-consent')!.getBoundingClientRect().width)).toBe(seen.size);
    await other.page.close();
    await page.close();
  });
});

describe('hard limits summarise, never lose', () => {
  it('600 people joining after consent: the nudge says 500, and a decline is saved', async () => {
    const { page, prompt, call } = await openCall();
    await prompt.click('Customer agreed');
    await prompt.waitForText(/Consent recorded/);
    await prompt.click('Done');
    await page.evaluate(() => {
      const grid = document.querySelector('[data-participant-id]')!.parentElement!;
      for (let i = 0; i < 600; i++) {
        const tile = document.createElement('div');
        tile.setAttribute('data-participant-id', `spaces/x/devices/${1000 + i}`);
        tile.innerHTML = `<span class="notranslate">Guest ${i}</span>`;
        grid.append(tile);
      }
    });
    // The first five by name (page text, drawn as text), the rest counted: 500 in all.
    await prompt.waitForText(/Guest 0, Guest 1, Guest 2, Guest 3, Guest 4 and 495 more joined/);
    await prompt.click('Someone declined');
    await waitFor(() => readStore<Call>(b, 'calls'), (rows) => rows.some((c) => c.id === call.id && c.outcome === 'declined'));
    const joiner = (await readStore<Event>(b, 'events')).find((e) => e.callId === call.id && e.type === 'late-joiner')!;
    expect(joiner.data).toMatchObject({ joined: 500, answer: 'declined' });
    await page.close();
  });

  it('a recording indicator flapping for 40 s adds a bounded number of ledger entries', async () => {
    const { page, prompt, call } = await openCall('teams');
    await prompt.click('Customer declined');
    await prompt.waitForText(/Saved\./);
    // A flap every 2 s, the indicator gone 0.5 s each time: well inside the first 1.5-s grace even
    // when a loaded machine delays the page's reads, so the bound below is the debounce's, not the load's.
    const flaps = 20;
    for (let i = 0; i < flaps; i++) {
      await switchFixture(page, 'teams', 'recording');
      await page.waitForTimeout(1_500);
      await switchFixture(page, 'teams', 'in-call');
      await page.waitForTimeout(500);
    }
    await page.waitForTimeout(1_500);
    const events = (await readStore<Event>(b, 'events')).filter((e) => e.callId === call.id && e.type.startsWith('recording-'));
    expect(events.length).toBeLessThanOrEqual(6);
    const ledger = (await readStore<Ledger>(b, 'ledger')).filter((r) => r.entry.callId === call.id && r.entry.type.startsWith('recording-'));
    expect(ledger.length).toBeLessThanOrEqual(6);
    await page.close();
  });
});

describe('decisions belong to the tab they are made in', () => {
  it('the prompt frame of tab B cannot decide tab A’s call', async () => {
    const a = await openCall('meet');
    const bTab = await openCall('zoom');
    const reply = await bTab.prompt.frame()!.evaluate(async (callId) => {
      const chrome = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<{ ok: boolean; error?: string }> } } }).chrome;
      return chrome.runtime.sendMessage({ type: 'call/decide', eventId: crypto.randomUUID(), at: Date.now(), callId, outcome: 'agreed' });
    }, a.call.id);
    expect(reply).toEqual({ ok: false, error: 'This call belongs to another tab.' });
    expect(await decisionsOf(a.call.id)).toEqual([]);
    await a.page.close();
    await bTab.page.close();
  });
});
