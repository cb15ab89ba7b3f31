import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import background from '../../entrypoints/background';
import { CandorDB } from '../../lib/db';
import { DB_NAME } from '../../lib/model';

/*
 * The background's wiring (entrypoints/background/index.ts), run as the browser runs it: main()
 * with the fake browser, messages through runtime.onMessage with browser-shaped senders. The
 * handlers are tested on their own elsewhere; this checks what only the entrypoint does: listeners
 * registered at once, replies sent, and each handler's declared follow-ups actually run.
 */

const MEET = 'https://meet.google.com/abc-defg-hij';
type Sender = { id?: string; tab?: { id: number }; frameId?: number; url?: string };

/** Sends a message the way the browser delivers it and waits for the reply. */
function send(msg: unknown, sender: Sender): Promise<{ ok: boolean; data?: unknown; error?: string }> {
  return new Promise((resolve) => {
    void fakeBrowser.runtime.onMessage.trigger(msg, { id: fakeBrowser.runtime.id, ...sender } as never, resolve as never);
  });
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (ok(value)) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the follow-up did not happen');
}

let db: CandorDB;
beforeEach(async () => {
  await Dexie.delete(DB_NAME);
  // APIs the fake browser does not model: registered listeners are all the wiring needs of them.
  for (const event of [fakeBrowser.permissions.onAdded, fakeBrowser.commands.onCommand]) vi.spyOn(event, 'addListener').mockImplementation(() => undefined);
  vi.spyOn(fakeBrowser.i18n, 'getUILanguage').mockReturnValue('en-US');
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockReturnValue('');
  vi.spyOn(fakeBrowser.runtime, 'getManifest').mockReturnValue({ version: '1.0.0', manifest_version: 3, name: 'Candor' });
  vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockResolvedValue(undefined);
  db = new CandorDB();
});
afterEach(() => {
  db.close();
  vi.restoreAllMocks();
});

describe('background wiring', () => {
  it('registers every listener synchronously, so a worker started by an event receives it', () => {
    background.main();
    expect(fakeBrowser.runtime.onMessage.hasListeners()).toBe(true);
    expect(fakeBrowser.alarms.onAlarm.hasListeners()).toBe(true);
    expect(fakeBrowser.tabs.onRemoved.hasListeners()).toBe(true);
    expect(fakeBrowser.tabs.onUpdated.hasListeners()).toBe(true);
    expect(fakeBrowser.runtime.onStartup.hasListeners()).toBe(true);
    expect(fakeBrowser.runtime.onInstalled.hasListeners()).toBe(true);
    expect(fakeBrowser.permissions.onAdded.addListener).toHaveBeenCalled();
    expect(fakeBrowser.commands.onCommand.addListener).toHaveBeenCalled();
  });

  it('a decision in the prompt frame is answered, appended to the ledger, and a call that ends puts its checklist on the badge', async () => {
    background.main();
    const tab = await fakeBrowser.tabs.create({ url: MEET });
    const callTab: Sender = { tab: { id: tab.id! }, frameId: 0, url: MEET };
    const prompt: Sender = { tab: { id: tab.id! }, frameId: 7, url: fakeBrowser.runtime.getURL('/prompt.html') };

    const observed = await send({ type: 'call/observed', eventId: crypto.randomUUID(), at: Date.now(), phase: 'inCall', url: MEET, signals: ['meet-leave-button'] }, callTab);
    expect(observed.ok, observed.error).toBe(true);
    const callId = (observed.data as { callId: string }).callId;

    const mounted = await send({ type: 'prompt/mount' }, callTab);
    expect(mounted.ok, mounted.error).toBe(true);
    const attached = await send({ type: 'prompt/attach', token: (mounted.data as { token: string }).token }, prompt);
    expect(attached.ok, attached.error).toBe(true);

    const decided = await send({ type: 'call/decide', eventId: crypto.randomUUID(), at: Date.now(), callId, outcome: 'agreed', category: 'customer' }, prompt);
    expect(decided.ok, decided.error).toBe(true);
    // The `call-view` follow-up: the prompt frame of the tab gets the call's new view.
    await until(async () => vi.mocked(fakeBrowser.tabs.sendMessage).mock.calls, (calls) => calls.some(([, msg]) => JSON.stringify(msg).includes('"outcome":"agreed"')));
    expect(vi.mocked(fakeBrowser.tabs.sendMessage).mock.calls.find(([, msg]) => JSON.stringify(msg).includes('"outcome":"agreed"'))?.[0]).toBe(tab.id);
    // The `ledger` follow-up: nothing else appends consent events to the ledger.
    const ledger = await until(() => db.ledger.toArray(), (rows) => rows.some((r) => (r.entry as { type: string }).type === 'agreed'));
    expect(ledger.map((r) => (r.entry as { type: string }).type)).toContain('agreed');

    const ended = await send({ type: 'call/observed', eventId: crypto.randomUUID(), at: Date.now(), phase: 'left', url: MEET, signals: ['meet-call-ended'] }, callTab);
    expect(ended.ok, ended.error).toBe(true);
    // The `checklists` follow-up: the pending checklist shows on the toolbar button.
    const badge = await until(() => fakeBrowser.action.getBadgeText({}), (text) => text !== '');
    expect(badge).toBe('1');
  });

  it('a refused message gets its sentence back and runs no follow-up', async () => {
    background.main();
    const tab = await fakeBrowser.tabs.create({ url: MEET });
    const reply = await send({ type: 'call/decide', eventId: crypto.randomUUID(), at: Date.now(), callId: crypto.randomUUID(), outcome: 'agreed' }, { tab: { id: tab.id! }, frameId: 0, url: MEET });
    expect(reply).toEqual({ ok: false, error: 'Candor does not accept this request from here, so nothing was changed.', detail: '"call/decide" is not accepted from this sender.' });
    await new Promise((r) => setTimeout(r, 50));
    expect(await db.ledger.count()).toBe(0);
  });
});
