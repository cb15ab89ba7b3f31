import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeCallsAfterRestart, closeOrphanedCalls, endTab, REJOIN_WINDOW_MS, tabNavigated } from '../../lib/background/calls';
import type { SenderInfo, Services } from '../../lib/background/services';
import { CandorDB } from '../../lib/db';
import { routeMessage } from '../../lib/background/router';
import { isPromptFrame } from '../../lib/background/prompt';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { attachPrompt, promptFrame, routeAsInBrowser } from './support/senders';
import { NOTE_MAX_CHARS, type RequestType } from '../../lib/protocol/requests';
import type { CallView, Reply } from '../../lib/protocol/replies';
import { resolvePolicy } from '../../lib/policy/resolve';

const MEET_CODE = 'abc-defg-hij';
const MEET_A = `https://meet.google.com/${MEET_CODE}`;
const MEET_B = 'https://meet.google.com/xyz-wxyz-abc';
const T0 = Date.UTC(2025, 4, 6, 15, 0, 0);

let db: CandorDB;
let now: number;
let s: Services;

beforeEach(() => {
  db = new CandorDB(`test-${crypto.randomUUID()}`);
  now = T0;
  s = { db, now: () => now, policy: async () => resolvePolicy(undefined, undefined), uiLanguage: () => 'en-US' };
});

afterEach(async () => {
  vi.restoreAllMocks();
  await db.delete();
});

// ---- helpers ---------------------------------------------------------------------------------

const tab = (tabId: number, url = MEET_A): SenderInfo => ({ tabId, url, extensionPage: false });
const popup: SenderInfo = { url: 'chrome-extension://test-extension-id/popup.html', extensionPage: true };

const send = (msg: unknown, sender: SenderInfo) => routeAsInBrowser(s, msg, sender);

/** A call/observed message about the page at `url` (the content script names the URL it means). */
function observed(phase: 'lobby' | 'inCall' | 'left', url = MEET_A, extra: Record<string, unknown> = {}) {
  return { type: 'call/observed', eventId: crypto.randomUUID(), at: now, phase, url, signals: ['meet-participant-tile'], ...extra };
}
function decide(callId: string, outcome: string, extra: Record<string, unknown> = {}) {
  return { type: 'call/decide', eventId: crypto.randomUUID(), at: now, callId, outcome, ...extra };
}
const noteSave = (callId: string, text: string) => ({ type: 'note/save', callId, text });
function recording(callId: string, active: boolean, sources: string[] = ['meet-recording-icon']) {
  return { type: 'call/recording', eventId: crypto.randomUUID(), at: now, callId, active, sources };
}
function lateJoiner(callId: string, answer: 'agreed' | 'declined' | 'dismissed', joined = 1) {
  return { type: 'call/late-joiner', eventId: crypto.randomUUID(), at: now, callId, joined, answer };
}

function ok(reply: Reply<RequestType>) {
  if (!reply.ok) throw new Error(`expected ok, got refusal: ${reply.error}`);
  return reply.data;
}
function view(reply: Reply<RequestType>): CallView {
  const data = ok(reply);
  if (data === null || !('callId' in data)) throw new Error(`expected a call view, got ${JSON.stringify(data)}`);
  return data;
}
/**
 * The refusal, with `error` as everything it says: the sentence a person reads and, after it, the
 * technical part shown under "Details" (tests check that field paths and types are still named).
 * `sentence` is the person's part alone.
 */
function refused(reply: Reply<RequestType>) {
  if (reply.ok) throw new Error(`expected a refusal, got ${JSON.stringify(reply.data)}`);
  return { ...reply, sentence: reply.error, error: [reply.error, reply.detail].filter(Boolean).join(' ') };
}

/** Every row of every table (whatever tables the schema has), to prove "nothing written". */
async function dump() {
  const out: Record<string, unknown[]> = {};
  for (const table of db.tables) out[table.name] = await table.toArray();
  return out;
}
async function call(id: string) {
  const c = await db.calls.get(id);
  if (!c) throw new Error(`call ${id} not stored`);
  return c;
}
const eventsOf = async (callId: string) => (await db.events.where('callId').equals(callId).toArray()).sort((a, b) => a.at - b.at);

/** Tab `tabId` joins `url` through the lobby and is admitted 5 s later; returns the call view. */
async function joinCall(tabId = 1, url = MEET_A): Promise<CallView> {
  ok(await send(observed('lobby', url, { signals: ['meet-join-button'] }), tab(tabId, url)));
  now += 5_000;
  return view(await send(observed('inCall', url), tab(tabId, url)));
}

// ---- tests -------------------------------------------------------------------------------------

describe('invalid messages are refused readably and change nothing', () => {
  beforeEach(async () => {
    await joinCall();
  });

  async function expectRefusedWithoutWrites(msg: unknown, sender: SenderInfo) {
    const before = await dump();
    expect(before.calls?.length).toBeGreaterThan(0);
    const reply = refused(await send(msg, sender));
    expect(reply.detail).toMatch(/^Message refused by the schema: .{8,}/);
    expect(reply.sentence).not.toMatch(/[a-z]+\.[a-z]+:|callId|eventId/);
    expect(reply.error).not.toMatch(/\[object|ZodError/);
    expect(reply.retryable).toBeFalsy();
    expect(await dump()).toEqual(before);
    return reply.error;
  }

  it('an unknown type names the type', async () => {
    const error = await expectRefusedWithoutWrites({ type: 'call/hangup', eventId: crypto.randomUUID(), at: now }, tab(1));
    expect(error).toContain('call/hangup');
  });

  it.each([['null', null], ['a string', 'call/observed'], ['a number', 7], ['an array', [observed('lobby')]]])(
    'a payload that is %s',
    async (_, payload) => {
      await expectRefusedWithoutWrites(payload, tab(1));
    },
  );

  it('a missing eventId', async () => {
    const { eventId: _, ...msg } = observed('inCall');
    expect(await expectRefusedWithoutWrites(msg, tab(1))).toContain('eventId');
  });

  it('an eventId that is not a UUID', async () => {
    expect(await expectRefusedWithoutWrites(observed('left', MEET_A, { eventId: 'event-1' }), tab(1))).toMatch(/eventId.*UUID/);
  });

  it('an extra field (e.g. page content smuggled in)', async () => {
    const error = await expectRefusedWithoutWrites(observed('left', MEET_A, { pageTitle: 'Acme / Q3 pricing' }), tab(1));
    expect(error).toContain('pageTitle');
  });

  it('an unknown phase or a bad clock value', async () => {
    await expectRefusedWithoutWrites({ ...observed('left'), phase: 'joined' }, tab(1));
    await expectRefusedWithoutWrites(observed('left', MEET_A, { at: 'yesterday' }), tab(1));
    await expectRefusedWithoutWrites(observed('left', MEET_A, { at: -5 }), tab(1));
  });

  it('a missing or malformed page url', async () => {
    const { url: _, ...noUrl } = observed('inCall');
    expect(await expectRefusedWithoutWrites(noUrl, tab(1))).toContain('url');
    await expectRefusedWithoutWrites(observed('inCall', 'abc-defg-hij'), tab(1));
  });

  it('a note for a callId that is not a UUID', async () => {
    expect(await expectRefusedWithoutWrites(noteSave('call-1', 'hi'), popup)).toContain('callId');
  });
});

describe('who may send what', () => {
  it.each([
    ['the popup (no tab)', popup],
    ['an extension page opened in a tab', { tabId: 9, url: 'chrome-extension://test-extension-id/popup.html', extensionPage: true }],
  ])('detection and prompt messages from %s are refused', async (_, sender: SenderInfo) => {
    const existing = await joinCall();
    const before = await dump();
    for (const msg of [
      observed('inCall'),
      { type: 'call/prompt-shown', eventId: crypto.randomUUID(), at: now, callId: existing.callId },
      recording(existing.callId, true),
      lateJoiner(existing.callId, 'declined'),
      { type: 'prompt/attach', token: 'A'.repeat(32) },
    ]) {
      const reply = refused(await routeMessage(s, msg, sender));
      expect(reply.error).toContain(msg.type);
      expect(reply.error).toMatch(/not accepted from this sender/);
    }
    expect(await dump()).toEqual(before);
  });

  it('the rep can decide from the toolbar popup (the page may cover the prompt); it is logged as made there', async () => {
    const { callId } = await joinCall();
    view(await routeMessage(s, decide(callId, 'declined'), popup));
    const decision = (await eventsOf(callId)).find((e) => e.type === 'decision')!;
    expect(decision.data).toMatchObject({ outcome: 'declined', via: 'toolbar' });
  });

  it('the content script of a call page never decides: only the prompt frame with its token does', async () => {
    const { callId } = await joinCall();
    const before = await dump();
    expect(refused(await routeMessage(s, decide(callId, 'agreed'), tab(1))).error).toMatch(/not accepted from this sender/);
    // A prompt frame that never presented the tab's token (one the page embedded itself) gets nothing.
    const impostor = promptFrame(1);
    expect(refused(await routeMessage(s, decide(callId, 'agreed'), impostor)).error).toMatch(/not accepted from this sender/);
    expect(refused(await routeMessage(s, { type: 'prompt/attach', token: 'B'.repeat(32) }, impostor)).error).toMatch(/not opened by Candor/);
    expect(await dump()).toEqual(before);
    const real = await attachPrompt(s, 1, MEET_A);
    expect(view(await routeMessage(s, decide(callId, 'agreed'), real)).outcome).toBe('agreed');
  });

  it('events relayed while the frame attaches neither lose the frame nor an event', async () => {
    await joinCall();
    const sent = vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockResolvedValue(undefined);
    const { token } = ok(await routeMessage(s, { type: 'prompt/mount' }, tab(1))) as { token: string };
    // Events sent just before, with and after the attach: each is a read and a write of the tab's entry.
    const relay = () => routeMessage(s, { type: 'prompt/relay', event: { kind: 'expand' } }, tab(1));
    const replies = await Promise.all([relay(), relay(), relay(), routeMessage(s, { type: 'prompt/attach', token }, promptFrame(1)), relay(), relay(), relay()]);
    expect(replies.filter((r) => !r.ok)).toEqual([]);
    // The frame stays the tab's prompt (the views pushed to it arrive, its choices count)…
    expect(await isPromptFrame(promptFrame(1))).toBe(true);
    // …and every event reached it once: with the attach's answer, or sent to it once attached.
    const withAttach = (ok(replies[3]!) as { events: unknown[] }).events.length;
    const toFrame = sent.mock.calls.filter(([, msg]) => (msg as { type?: string }).type === 'prompt/event').length;
    expect(withAttach + toFrame).toBe(6);
  });

  it('the prompt of one tab cannot decide the call of another', async () => {
    const a = await joinCall(1, MEET_A);
    await joinCall(2, MEET_B);
    const promptOfB = await attachPrompt(s, 2, MEET_B);
    const before = await dump();
    expect(refused(await routeMessage(s, decide(a.callId, 'agreed'), promptOfB)).error).toBe('This call belongs to another tab.');
    expect(refused(await routeMessage(s, recording(a.callId, true), tab(2, MEET_B))).error).toBe('This call belongs to another tab.');
    expect(await dump()).toEqual(before);
  });

  it('a sender that is neither a call tab nor an extension page may send nothing', async () => {
    const { callId } = await joinCall();
    const before = await dump();
    const nobody: SenderInfo = { extensionPage: false };
    for (const msg of [observed('inCall'), noteSave(callId, 'hi')]) {
      expect(refused(await send(msg, nobody)).error).toMatch(/not accepted from this sender/);
    }
    expect(await dump()).toEqual(before);
  });

  it('note/save from a call tab is refused', async () => {
    const { callId } = await joinCall();
    const before = await dump();
    const reply = refused(await send(noteSave(callId, 'from the page'), tab(1)));
    expect(reply.error).toContain('note/save');
    expect(await dump()).toEqual(before);
    expect(await db.notes.count()).toBe(0);
  });
});

describe('call/observed', () => {
  it('lobby then inCall from a Meet tab creates one call with lobbyAt and admittedAt', async () => {
    // The lobby reply carries the prompt's texts ahead of admission; the prompt is not shown yet.
    const lobbyView = view(await send(observed('lobby', MEET_A, { signals: ['meet-join-button'] }), tab(1)));
    now += 5_000;
    const v = view(await send(observed('inCall', MEET_A, { signals: ['meet-participant-tile', 'meet-self-name'] }), tab(1)));
    expect(v.callId).toBe(lobbyView.callId);
    expect(v.texts).toEqual(lobbyView.texts);

    expect(v).toMatchObject({ outcome: null, reason: null, decidedAt: null, promptShown: false });
    expect(v.texts.language).toBe('en');
    expect(v.texts.consentScript.length).toBeGreaterThan(10);

    const calls = await db.calls.toArray();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      id: v.callId,
      platform: 'meet',
      status: 'active',
      tabIds: [1],
      detectedAt: T0,
      lobbyAt: T0,
      admittedAt: T0 + 5_000,
      detectedBy: ['meet-participant-tile', 'meet-self-name'],
    });
    expect((await eventsOf(v.callId)).map((e) => e.type)).toEqual(['lobby', 'admitted']);
  });

  it('never stores the raw meeting code or URL, only a salted hash', async () => {
    await joinCall(1, `${MEET_A}?authuser=1`);
    const stored = JSON.stringify(await dump());
    expect(stored).not.toContain(MEET_CODE);
    expect(stored).not.toContain('meet.google.com');
    const [c] = await db.calls.toArray();
    expect(c?.meetingHash).toMatch(/^[0-9a-f]{64}$/);

    // Salted per install: the same meeting in another profile gives another hash.
    const other = new CandorDB(`test-${crypto.randomUUID()}`);
    try {
      const r = await routeMessage({ ...s, db: other }, observed('inCall'), tab(1));
      ok(r);
      const [o] = await other.calls.toArray();
      expect(o?.meetingHash).toMatch(/^[0-9a-f]{64}$/);
      expect(o?.meetingHash).not.toBe(c?.meetingHash);
    } finally {
      await other.delete();
    }
  });

  it('a message sent twice with the same eventId is stored once', async () => {
    const lobby = observed('lobby');
    ok(await send(lobby, tab(1)));
    ok(await send(lobby, tab(1)));
    expect(await db.calls.count()).toBe(1);
    expect(await db.events.count()).toBe(1);

    now += 1_000;
    const inCall = observed('inCall');
    const first = view(await send(inCall, tab(1)));
    now += 1_000;
    const second = view(await send(inCall, tab(1)));
    expect(second.callId).toBe(first.callId);
    expect(await db.calls.count()).toBe(1);
    expect((await db.events.toArray()).map((e) => e.type).sort()).toEqual(['admitted', 'lobby']);
    expect((await call(first.callId)).admittedAt).toBe(T0 + 1_000);
  });

  it('a second tab on the same meeting joins the same call', async () => {
    const first = await joinCall(1);
    now += 60_000;
    const second = view(await send(observed('inCall', `${MEET_A}?authuser=1#x`), tab(2, `${MEET_A}?authuser=1#x`)));
    expect(second.callId).toBe(first.callId);
    expect(await db.calls.count()).toBe(1);
    expect((await call(first.callId)).tabIds.sort()).toEqual([1, 2]);
    expect((await eventsOf(first.callId)).filter((e) => e.type === 'admitted')).toHaveLength(1);
  });

  it('clamps a client clock that is far off to the background clock', async () => {
    ok(await send(observed('lobby', MEET_A, { at: now + 3_600_000 }), tab(1)));
    const [c] = await db.calls.toArray();
    expect(c?.lobbyAt).toBe(now);
  });

  it('is refused from a tab that is not on a call page', async () => {
    const reply = refused(await send(observed('inCall', 'https://meet.google.com/landing'), tab(1, 'https://meet.google.com/landing')));
    expect(reply.error).toMatch(/not a call page/);
    expect(refused(await send(observed('inCall', 'https://example.com/'), tab(1, 'https://example.com/'))).error).toMatch(/not on a call platform/);
    expect(await db.calls.count()).toBe(0);
  });

  it('is refused when the page url is not on the sending tab\'s origin', async () => {
    const reply = refused(await send(observed('inCall', 'https://app.zoom.us/wc/1234567890/join'), tab(1, MEET_A)));
    expect(reply.error).toMatch(/does not belong to the sending tab/);
    expect(reply.retryable).toBeFalsy();
    expect(await db.calls.count()).toBe(0);
  });

  it('"left" from the only tab ends the call', async () => {
    const { callId } = await joinCall();
    now += 30_000;
    expect(ok(await send(observed('left', MEET_A, { signals: ['meet-left-heading'] }), tab(1)))).toBeNull();
    expect(await call(callId)).toMatchObject({ status: 'ended', endReason: 'left', endedAt: now, tabIds: [] });
    expect((await eventsOf(callId)).map((e) => e.type)).toEqual(['lobby', 'admitted', 'left']);
  });
});

describe('call/decide', () => {
  it('stores not-recorded (with reason), declined and agreed as changes, each naming the one it supersedes', async () => {
    const { callId } = await joinCall();
    now += 10_000;
    const notRecorded = view(await send(decide(callId, 'not-recorded', { reason: 'internal-call' }), tab(1)));
    expect(notRecorded).toMatchObject({ callId, outcome: 'not-recorded', reason: 'internal-call', decidedAt: now });

    // Not recorded by the rep's choice: asking now is a change; the customer says no.
    now += 10_000;
    expect(view(await send(decide(callId, 'declined'), tab(1))).outcome).toBe('declined');

    // The customer changes their mind.
    now += 10_000;
    const agreed = view(await send(decide(callId, 'agreed'), tab(1)));
    expect(agreed).toMatchObject({ outcome: 'agreed', reason: null, decidedAt: now });
    expect(await call(callId)).toMatchObject({ outcome: 'agreed' });

    const events = (await eventsOf(callId)).filter((e) => e.type === 'decision');
    // Each decision also carries the notice shown (script hash, language, policy version).
    expect(events.map((e) => e.data)).toMatchObject([
      { outcome: 'not-recorded', reason: 'internal-call', policyVersion: 'default-1' },
      { outcome: 'declined', previous: 'not-recorded', change: 'asked-again', supersedes: events[0]!.id, policyVersion: 'default-1' },
      { outcome: 'agreed', previous: 'declined', change: 'agreed-after-decline', supersedes: events[1]!.id, policyVersion: 'default-1' },
    ]);
    expect(events[0]!.data).not.toHaveProperty('supersedes');
    expect((await call(callId))!.decisionId).toBe(events[2]!.id);
  });

  it('refuses a change no rule allows (agreed → declined), and writes nothing', async () => {
    const { callId } = await joinCall();
    view(await send(decide(callId, 'agreed'), tab(1)));
    const before = await dump();
    expect(refused(await send(decide(callId, 'declined'), tab(1))).error).toBe('An agreement can only be withdrawn.');
    expect(await dump()).toEqual(before);
  });

  it('refuses not-recorded without a reason, readably, and writes nothing', async () => {
    const { callId } = await joinCall();
    const before = await dump();
    const reply = refused(await send(decide(callId, 'not-recorded'), tab(1)));
    expect(reply.error).toContain('reason');
    expect(reply.error).toContain('"Not recording this call" needs a reason');
    expect(await dump()).toEqual(before);
  });

  it('allows withdrawn only after agreed', async () => {
    const { callId } = await joinCall();
    const before = await dump();
    expect(refused(await send(decide(callId, 'withdrawn'), tab(1))).error).toMatch(/withdrawn/i);
    expect(await dump()).toEqual(before);

    ok(await send(decide(callId, 'declined'), tab(1)));
    expect(refused(await send(decide(callId, 'withdrawn'), tab(1))).error).toMatch(/withdrawn/i);

    ok(await send(decide(callId, 'agreed'), tab(1)));
    now += 1_000;
    expect(view(await send(decide(callId, 'withdrawn'), tab(1))).outcome).toBe('withdrawn');
    const last = (await eventsOf(callId)).at(-1);
    expect(last?.data).toMatchObject({ outcome: 'withdrawn', previous: 'agreed', policyVersion: 'default-1', notice: { language: 'en', version: 'default-1' } });
  });

  it('is refused while the call is still in the lobby', async () => {
    ok(await send(observed('lobby'), tab(1)));
    const [lobbyCall] = await db.calls.toArray();
    const before = await dump();
    const reply = refused(await send(decide(lobbyCall!.id, 'agreed'), tab(1)));
    expect(reply.error).toMatch(/lobby/);
    expect(reply.retryable).toBeFalsy();
    expect(await dump()).toEqual(before);
  });

  it('is refused for an unknown call', async () => {
    await joinCall();
    const before = await dump();
    expect(refused(await send(decide(crypto.randomUUID(), 'agreed'), tab(1))).error).toMatch(/not known/);
    expect(await dump()).toEqual(before);
  });

  it('the same decision eventId sent twice is stored once', async () => {
    const { callId } = await joinCall();
    const msg = decide(callId, 'agreed');
    ok(await send(msg, tab(1)));
    ok(await send(msg, tab(1)));
    expect((await eventsOf(callId)).filter((e) => e.type === 'decision')).toHaveLength(1);
  });
});

describe('call/prompt-shown', () => {
  it('marks the prompt shown once', async () => {
    const { callId } = await joinCall();
    const shown = () => ({ type: 'call/prompt-shown', eventId: crypto.randomUUID(), at: now, callId });
    expect(view(await send(shown(), tab(1))).promptShown).toBe(true);
    const firstAt = (await call(callId)).promptShownAt;
    expect(firstAt).toBe(now);
    now += 1_000;
    ok(await send(shown(), tab(1)));
    expect((await call(callId)).promptShownAt).toBe(firstAt);
    expect((await eventsOf(callId)).filter((e) => e.type === 'prompt-shown')).toHaveLength(1);
  });
});

describe('tabs leaving', () => {
  it('endTab ends a call only when its last tab leaves', async () => {
    const { callId } = await joinCall(1);
    ok(await send(observed('inCall'), tab(2)));

    now += 1_000;
    expect(await endTab(s, 1, 'tab-closed')).toBe(1); // the tab was in a call: follow-up work runs
    expect(await call(callId)).toMatchObject({ status: 'active', tabIds: [2] });
    expect((await eventsOf(callId)).filter((e) => e.type === 'left')).toHaveLength(0);

    now += 1_000;
    await endTab(s, 2, 'tab-closed');
    expect(await call(callId)).toMatchObject({ status: 'ended', tabIds: [], endReason: 'tab-closed', endedAt: now });
    const left = (await eventsOf(callId)).filter((e) => e.type === 'left');
    expect(left).toHaveLength(1);
    expect(left[0]?.data).toEqual({ reason: 'tab-closed' });
  });

  it('endTab for a tab in no call changes nothing', async () => {
    await joinCall(1);
    const before = await dump();
    expect(await endTab(s, 99, 'tab-closed')).toBe(0); // the background then skips its follow-up work
    expect(await dump()).toEqual(before);
  });

  it('tabNavigated to the same meeting (reload, other query) keeps the call', async () => {
    const { callId } = await joinCall(1);
    expect(await tabNavigated(s, 1, MEET_A)).toBe(0);
    expect(await tabNavigated(s, 1, `${MEET_A}?authuser=1&hs=122`)).toBe(0);
    expect(await call(callId)).toMatchObject({ status: 'active', tabIds: [1] });
  });

  it('tabNavigated to another meeting ends the call as meeting-switched', async () => {
    const { callId } = await joinCall(1);
    now += 1_000;
    expect(await tabNavigated(s, 1, MEET_B)).toBe(1);
    expect(await call(callId)).toMatchObject({ status: 'ended', endReason: 'meeting-switched', endedAt: now });
  });

  it.each([
    ['an unknown URL (not a call platform: the background cannot see it)', undefined],
    ['the Meet home page', 'https://meet.google.com/landing'],
    ['another site', 'https://example.com/'],
  ])('tabNavigated to %s ends the call as navigated-away', async (_, url) => {
    const { callId } = await joinCall(1);
    await tabNavigated(s, 1, url);
    expect(await call(callId)).toMatchObject({ status: 'ended', endReason: 'navigated-away' });
  });

  it('a single-page switch to another meeting ends the first call and starts the second', async () => {
    const a = await joinCall(1, MEET_A);
    now += 60_000;
    const b = view(await send(observed('inCall', MEET_B), tab(1, MEET_B)));
    expect(b.callId).not.toBe(a.callId);
    expect(await call(a.callId)).toMatchObject({ status: 'ended', endReason: 'meeting-switched', tabIds: [] });
    expect(await call(b.callId)).toMatchObject({ status: 'active', tabIds: [1] });
  });

  it('a single-page switch is seen even while the browser still reports the old URL as sender.url', async () => {
    const a = await joinCall(1, MEET_A);
    now += 60_000;
    const b = view(await send(observed('inCall', MEET_B), tab(1, MEET_A)));
    expect(b.callId).not.toBe(a.callId);
    expect(await call(a.callId)).toMatchObject({ status: 'ended', endReason: 'meeting-switched' });
    expect(await call(b.callId)).toMatchObject({ status: 'active', tabIds: [1] });
  });

  it('closeCallsAfterRestart ends every open call as ended-unknown', async () => {
    const active = await joinCall(1, MEET_A);
    ok(await send(observed('lobby', MEET_B), tab(2, MEET_B)));
    const ended = await joinCall(3, 'https://app.zoom.us/wc/1234567890/join');
    ok(await send(observed('left', 'https://app.zoom.us/wc/1234567890/join'), tab(3, 'https://app.zoom.us/wc/1234567890/join')));
    const endedBefore = await call(ended.callId);

    now += 3_600_000;
    expect(await closeCallsAfterRestart(s)).toBe(2);
    const calls = await db.calls.toArray();
    const lobbyCall = calls.find((c) => c.id !== active.callId && c.id !== ended.callId);
    for (const c of [await call(active.callId), lobbyCall]) {
      expect(c).toMatchObject({ status: 'ended', endReason: 'ended-unknown', endedAt: now, tabIds: [] });
    }
    expect(await call(ended.callId)).toEqual(endedBefore);
    expect(await closeCallsAfterRestart(s)).toBe(0);
  });

  it('closeOrphanedCalls ends only open calls none of whose tabs still exists, once', async () => {
    const gone = await joinCall(1, MEET_A);
    const kept = await joinCall(2, MEET_B);
    ok(await send(observed('inCall', MEET_B), tab(3, MEET_B))); // a second tab on MEET_B
    const alive = new Set([3]); // tabs 1 and 2 are gone; tab 3 is still on MEET_B
    const tabExists = async (id: number) => alive.has(id);

    now += 60_000;
    expect(await closeOrphanedCalls(s, tabExists)).toBe(1);
    expect(await call(gone.callId)).toMatchObject({ status: 'ended', endReason: 'ended-unknown', endedAt: now });
    expect(await call(kept.callId)).toMatchObject({ status: 'active' });
    expect((await eventsOf(gone.callId)).filter((e) => e.type === 'left')).toHaveLength(1);
    expect(await db.checklists.where('callId').equals(gone.callId).first()).toMatchObject({ status: 'pending' });
    expect(await closeOrphanedCalls(s, tabExists)).toBe(0);
  });
});

describe('rejoining', () => {
  async function joinDecideLeave() {
    const first = await joinCall(1);
    ok(await send(decide(first.callId, 'agreed'), tab(1)));
    now += 60_000;
    ok(await send(observed('left'), tab(1)));
    return first.callId;
  }

  it('within REJOIN_WINDOW_MS reopens the same call, keeping its decision', async () => {
    const callId = await joinDecideLeave();
    now += REJOIN_WINDOW_MS - 1_000;
    const again = view(await send(observed('inCall'), tab(4)));
    expect(again.callId).toBe(callId);
    expect(again.outcome).toBe('agreed');
    const c = await call(callId);
    expect(c).toMatchObject({ status: 'active', tabIds: [4] });
    expect(c.endedAt).toBeUndefined();
    expect(c.endReason).toBeUndefined();
    expect(await db.calls.count()).toBe(1);
    const admitted = (await eventsOf(callId)).filter((e) => e.type === 'admitted');
    expect(admitted).toHaveLength(2);
    expect(admitted[1]?.data).toMatchObject({ rejoined: true });
  });

  it('after REJOIN_WINDOW_MS starts a new call with no decision', async () => {
    const callId = await joinDecideLeave();
    now += REJOIN_WINDOW_MS + 1_000;
    const again = view(await send(observed('inCall'), tab(1)));
    expect(again.callId).not.toBe(callId);
    expect(again.outcome).toBeNull();
    expect((await call(callId)).status).toBe('ended');
  });

  it('after a browser restart (ended-unknown) starts a new call', async () => {
    const { callId } = await joinCall(1);
    now += 1_000;
    await closeCallsAfterRestart(s);
    now += 1_000;
    expect(view(await send(observed('inCall'), tab(1))).callId).not.toBe(callId);
  });

  it('through the waiting room within REJOIN_WINDOW_MS also continues the same call', async () => {
    // Zoom (preview page) and Meet (ask to join again) put a rejoining rep through the lobby first.
    const callId = await joinDecideLeave();
    now += 60_000;
    ok(await send(observed('lobby', MEET_A, { signals: ['meet-join-button'] }), tab(1)));
    now += 5_000;
    const again = view(await send(observed('inCall'), tab(1)));
    expect(again.callId).toBe(callId);
    expect(again.outcome).toBe('agreed');
    expect(await db.calls.count()).toBe(1);
  });
});

describe('Teams calls started inside the app (no meeting id in the URL)', () => {
  it('two tabs in two different in-app calls are two calls (the background pairs the generic reference with the tab)', async () => {
    // docs/platforms.md and lib/platforms/teams.ts: "the background pairs the reference with the tab".
    const first = await joinCall(1, 'https://teams.microsoft.com/v2/');
    ok(await send(decide(first.callId, 'agreed'), tab(1, 'https://teams.microsoft.com/v2/')));
    now += 60_000;
    const second = view(await send(observed('inCall', 'https://teams.microsoft.com/v2/', { signals: ['teams-call-duration'] }), tab(2, 'https://teams.microsoft.com/v2/')));
    expect(second.callId).not.toBe(first.callId);
    expect(second.outcome).toBeNull();
  });

  it('a new in-app call in another tab right after one ended does not inherit its consent', async () => {
    const url = 'https://teams.microsoft.com/v2/';
    const first = await joinCall(1, url);
    ok(await send(decide(first.callId, 'agreed'), tab(1, url)));
    now += 60_000;
    ok(await send(observed('left', url), tab(1, url)));
    now += 5 * 60_000;
    const second = view(await send(observed('inCall', url, { signals: ['teams-call-duration'] }), tab(2, url)));
    expect(second.outcome).toBeNull();
  });
});

describe('the platform recording and late joiners', () => {
  const types = async (callId: string) => (await eventsOf(callId)).map((e) => e.type);

  it('recording seen before any decision is logged as recording-before-consent and shown in the view', async () => {
    const { callId } = await joinCall();
    now += 1_000;
    const v = view(await send(recording(callId, true, ['meet-recording-icon', 'Otter.ai']), tab(1)));
    expect(v.recording).toEqual({ active: true, since: now, sources: ['meet-recording-icon', 'Otter.ai'] });
    expect(await types(callId)).toContain('recording-before-consent');

    ok(await send(decide(callId, 'agreed'), tab(1)));
    now += 60_000;
    const stopped = view(await send(recording(callId, false, []), tab(1)));
    expect(stopped.recording).toEqual({ active: false, since: null, sources: [] });
    const stop = (await eventsOf(callId)).find((e) => e.type === 'recording-stopped');
    expect(stop?.data).toMatchObject({ durationMs: 60_000, afterDecline: false });
  });

  it('recording after a decline is logged as recording-after-decline; so is declining while it runs', async () => {
    const a = await joinCall(1, MEET_A);
    ok(await send(decide(a.callId, 'declined'), tab(1)));
    ok(await send(recording(a.callId, true), tab(1)));
    expect(await types(a.callId)).toContain('recording-after-decline');

    const b = await joinCall(2, MEET_B);
    ok(await send(recording(b.callId, true), tab(2, MEET_B)));
    ok(await send(decide(b.callId, 'not-recorded', { reason: 'sensitive-topic' }), tab(2, MEET_B)));
    expect(await types(b.callId)).toEqual(expect.arrayContaining(['recording-before-consent', 'recording-after-decline']));
  });

  it('a repeated recording report (same eventId) is stored once', async () => {
    const { callId } = await joinCall();
    const msg = recording(callId, true);
    ok(await send(msg, tab(1)));
    ok(await send(msg, tab(1)));
    expect((await types(callId)).filter((t) => t.startsWith('recording-'))).toHaveLength(1);
  });

  it('a call ending while recording closes the recording episode', async () => {
    const { callId } = await joinCall();
    ok(await send(recording(callId, true), tab(1)));
    now += 10_000;
    await endTab(s, 1, 'tab-closed');
    const c = await call(callId);
    expect(c.recordingSince).toBeUndefined();
    expect((await eventsOf(callId)).find((e) => e.type === 'recording-stopped')?.data).toMatchObject({ atCallEnd: true, durationMs: 10_000 });
  });

  it('a browser restart while recording also closes the recording episode (like any other call end)', async () => {
    const { callId } = await joinCall();
    ok(await send(recording(callId, true), tab(1)));
    now += 10_000;
    await closeCallsAfterRestart(s);
    const c = await call(callId);
    expect(c.status).toBe('ended');
    expect(c.recordingSince).toBeUndefined();
    expect(await types(callId)).toContain('recording-stopped');
  });

  it('a late joiner who declines turns an agreed call into declined; one who agrees changes nothing', async () => {
    const { callId } = await joinCall();
    ok(await send(decide(callId, 'agreed'), tab(1)));
    now += 1_000;
    expect(view(await send(lateJoiner(callId, 'agreed', 2), tab(1))).outcome).toBe('agreed');
    now += 1_000;
    expect(view(await send(lateJoiner(callId, 'declined'), tab(1))).outcome).toBe('declined');
    const events = await eventsOf(callId);
    expect(events.filter((e) => e.type === 'late-joiner').map((e) => e.data)).toMatchObject([
      { joined: 2, answer: 'agreed' },
      { joined: 1, answer: 'declined' },
    ]);
    expect(events.filter((e) => e.type === 'decision').at(-1)?.data).toMatchObject({ outcome: 'declined', previous: 'agreed', lateJoiner: true });
  });
});

describe('note/save', () => {
  it('stores the rep note and updates it in place', async () => {
    const { callId } = await joinCall();
    now += 1_000;
    const created = now;
    expect(ok(await send(noteSave(callId, 'Asked about pricing tiers.'), popup))).toEqual({ updatedAt: created });
    expect(await db.notes.toArray()).toEqual([{ callId, text: 'Asked about pricing tiers.', author: 'rep', createdAt: created, updatedAt: created }]);

    now += 30_000;
    expect(ok(await send(noteSave(callId, 'Asked about pricing tiers. Follow up Friday.'), popup))).toEqual({ updatedAt: now });
    expect(await db.notes.toArray()).toEqual([
      { callId, text: 'Asked about pricing tiers. Follow up Friday.', author: 'rep', createdAt: created, updatedAt: now },
    ]);
  });

  it('rejects a note for an unknown call and writes nothing', async () => {
    await joinCall();
    const before = await dump();
    expect(refused(await send(noteSave(crypto.randomUUID(), 'orphan'), popup)).error).toMatch(/not known/);
    expect(await dump()).toEqual(before);
  });

  it(`accepts exactly NOTE_MAX_CHARS and rejects one more with a readable message`, async () => {
    const { callId } = await joinCall();
    ok(await send(noteSave(callId, 'a'.repeat(NOTE_MAX_CHARS)), popup));
    const before = await dump();
    const reply = refused(await send(noteSave(callId, 'b'.repeat(NOTE_MAX_CHARS + 1)), popup));
    expect(reply.error).toContain('Notes are limited to 20,000 characters');
    expect(reply.error).toContain('20,001');
    expect(await dump()).toEqual(before);
  });
});

describe('storage failures', () => {
  it('a closed database gives ok:false with retryable: true', async () => {
    await joinCall();
    db.close();
    const reply = refused(await send(observed('inCall'), tab(2)));
    expect(reply.retryable).toBe(true);
    expect(reply.error).toMatch(/could not save/);
  });

  it('a failing write inside the handler gives retryable: true, rolls back, and a retry succeeds', async () => {
    const add = vi.spyOn(db.calls, 'add').mockRejectedValueOnce(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    const msg = observed('lobby');
    const reply = refused(await send(msg, tab(1)));
    expect(add).toHaveBeenCalled();
    expect(reply.retryable).toBe(true);
    expect(reply.error).toContain('QuotaExceededError');
    expect(await db.calls.count()).toBe(0);
    expect(await db.events.count()).toBe(0);

    // The sender retries the same message (same eventId): stored once.
    ok(await send(msg, tab(1)));
    expect(await db.calls.count()).toBe(1);
    expect(await db.events.count()).toBe(1);
  });
});

describe('recording standards (call categories)', () => {
  it('a never-record category refuses consent outcomes and logs the rule with "not recorded"', async () => {
    const { callId } = await joinCall();
    const refusedAgree = refused(await send(decide(callId, 'agreed', { category: 'hr-people' }), tab(1)));
    expect(refusedAgree.error).toBe("HR / people calls are never recorded under your organisation's policy.");
    expect((await call(callId))?.outcome).toBeUndefined();

    const view_ = view(await send(decide(callId, 'not-recorded', { category: 'hr-people', reason: 'other' }), tab(1)));
    expect(view_).toMatchObject({ outcome: 'not-recorded', reason: 'never-record-rule', category: 'hr-people' });
    const decision = (await eventsOf(callId)).find((e) => e.type === 'decision');
    expect(decision?.data).toMatchObject({ outcome: 'not-recorded', reason: 'never-record-rule', category: 'hr-people', rule: 'never-record' });
  });

  it('an ask-consent category logs its rule with the decision', async () => {
    const { callId } = await joinCall();
    ok(await send(decide(callId, 'agreed', { category: 'customer' }), tab(1)));
    expect(await call(callId)).toMatchObject({ category: 'customer', rule: 'ask-consent' });
  });
});

describe('keep-alive while the prompt asks', () => {
  it('is answered from a call tab and writes nothing; refused from anywhere else', async () => {
    const v = await joinCall();
    const before = await dump();
    expect(ok(await send({ type: 'call/keep-alive', callId: v.callId }, tab(1)))).toBeNull();
    expect(await dump()).toEqual(before);
    expect(refused(await send({ type: 'call/keep-alive', callId: v.callId }, popup)).error).toMatch(/not accepted from this sender/);
    expect(refused(await send({ type: 'call/keep-alive', callId: 'nope' }, tab(1))).error).toMatch(/callId/);
  });
});
