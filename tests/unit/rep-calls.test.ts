import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SenderInfo, Services } from '../../lib/background/services';
import { changeWindowOpen, decisionChange, decisionOffers, recordedChange } from '../../lib/call/outcomes';
import { checklistRequired, emptyChecklist, isEmptyChecklist } from '../../lib/checklist/fields';
import { createPageFacts } from '../../lib/content/page-facts';
import { createRecordingTracker, RECORDING_GONE_MS } from '../../lib/content/recording-tracker';
import { CandorDB } from '../../lib/db';
import { readTitle } from '../../lib/detect/title';
import { callName, consentHistory, describeStep } from '../../lib/export/call-bundle';
import { meet } from '../../lib/platforms/meet';
import { teams } from '../../lib/platforms/teams';
import { defaultPolicy } from '../../lib/policy/defaults';
import { resolvePolicy } from '../../lib/policy/resolve';
import { callTitle } from '../../lib/protocol/requests';
import type { CallView, Reply } from '../../lib/protocol/replies';
import type { RequestType } from '../../lib/protocol/requests';
import type { CallEvent } from '../../lib/model';
import type { Policy } from '../../lib/policy/schema';
import { routeAsInBrowser } from './support/senders';

/*
 * Issue 20, items 1–3: changing a decision (a new event naming the one it supersedes), a call's
 * name (the page's title, cleaned; the rep's name and account), and checklists only for the call
 * types the policy names (the rep may dismiss one, with a reason).
 */

// ---- pure parts ---------------------------------------------------------------------------------

describe('decision changes (lib/call/outcomes)', () => {
  it('offers one change per decision, and nothing after a withdrawal', () => {
    expect(decisionOffers({ outcome: 'agreed' })).toEqual(['withdraw']);
    expect(decisionOffers({ outcome: 'declined' })).toEqual(['agree']);
    expect(decisionOffers({ outcome: 'not-recorded', reason: 'technical-issue' })).toEqual(['ask']);
    expect(decisionOffers({ outcome: 'not-recorded', reason: 'never-record-rule' })).toEqual(['recategorize']);
    expect(decisionOffers({ outcome: 'withdrawn' })).toEqual([]);
    expect(decisionOffers({ outcome: null })).toEqual([]);
  });

  it('names the kind of each allowed change and refuses the others', () => {
    expect(decisionChange({ outcome: null }, { outcome: 'agreed' })).toBe('first');
    expect(decisionChange({ outcome: null }, { outcome: 'withdrawn' })).toBeNull();
    expect(decisionChange({ outcome: 'declined' }, { outcome: 'agreed' })).toBe('agreed-after-decline');
    expect(decisionChange({ outcome: 'declined' }, { outcome: 'not-recorded', reason: 'other' })).toBeNull();
    expect(decisionChange({ outcome: 'agreed' }, { outcome: 'withdrawn' })).toBe('withdrawn');
    expect(decisionChange({ outcome: 'agreed' }, { outcome: 'declined' })).toBeNull();
    expect(decisionChange({ outcome: 'not-recorded', reason: 'internal-call' }, { outcome: 'agreed' })).toBe('asked-again');
    expect(decisionChange({ outcome: 'not-recorded', reason: 'never-record-rule', category: 'hr-people' }, { outcome: 'agreed', category: 'customer' })).toBe('rule-undone');
    // The same decision again is no change.
    expect(decisionChange({ outcome: 'declined' }, { outcome: 'declined' })).toBeNull();
    expect(decisionChange({ outcome: 'withdrawn' }, { outcome: 'agreed' })).toBeNull();
  });

  it('keeps the change window open during the call and for the policy minutes after it, to the millisecond', () => {
    const end = 1_000_000;
    expect(changeWindowOpen({ status: 'active' }, 30, end * 10)).toBe(true);
    expect(changeWindowOpen({ status: 'ended', endedAt: end }, 30, end + 30 * 60_000)).toBe(true);
    expect(changeWindowOpen({ status: 'ended', endedAt: end }, 30, end + 30 * 60_000 + 1)).toBe(false);
    expect(changeWindowOpen({ status: 'ended', endedAt: end }, 0, end + 1)).toBe(false);
  });

  it('reads the kind of a stored change, also from events written before kinds were named', () => {
    expect(recordedChange({ outcome: 'agreed', previous: 'declined', change: 'agreed-after-decline' })).toBe('agreed-after-decline');
    expect(recordedChange({ outcome: 'agreed' })).toBeNull();
    expect(recordedChange({ outcome: 'withdrawn', previous: 'agreed' })).toBe('withdrawn');
    expect(recordedChange({ outcome: 'declined', previous: 'agreed', lateJoiner: true })).toBe('late-joiner-declined');
    expect(recordedChange({ outcome: 'agreed', previous: 'declined' })).toBe('agreed-after-decline');
    expect(recordedChange({ outcome: 'declined', previous: 'not-recorded' })).toBe('asked-again');
    expect(recordedChange({ outcome: 'declined', previous: 'agreed' })).toBeNull();
  });

  it('tells the consent history oldest first, each change in words', () => {
    const ev = (id: string, at: number, data: Record<string, unknown>): CallEvent => ({ id, callId: 'c', type: 'decision', at, data });
    const history = consentHistory({
      decisions: [
        ev('b', 20, { outcome: 'agreed', previous: 'declined', change: 'agreed-after-decline', supersedes: 'a' }),
        ev('a', 10, { outcome: 'declined', via: 'prompt' }),
        { id: 'x', callId: 'c', type: 'left', at: 5, data: {} },
      ],
    });
    expect(history.map((h) => [h.eventId, h.change, h.supersedes, h.previous])).toEqual([['a', null, null, null], ['b', 'agreed-after-decline', 'a', 'declined']]);
    expect(history.map(describeStep).join(' → ')).toBe('declined → agreed (the customer agreed after declining)');
  });
});

describe('a call’s name', () => {
  const doc = (html: string) => new DOMParser().parseFromString(html, 'text/html');

  it('reads the title the page shows, without the platform’s own words, and never a meeting code or a generic name', () => {
    expect(readTitle(meet, [doc('<html><head><title>Meet – Acme renewal</title></head><body></body></html>')], 'abc-defg-hij')).toBe('Acme renewal');
    expect(readTitle(meet, [doc('<html><head><title>Meet – abc-defg-hij</title></head><body></body></html>')], 'abc-defg-hij')).toBe('');
    expect(readTitle(meet, [doc('<html><head><title>Google Meet</title></head><body></body></html>')], null)).toBe('');
    expect(readTitle(teams, [doc('<html><head><title>(3) Initech review | Microsoft Teams</title></head><body></body></html>')], null)).toBe('Initech review');
    expect(readTitle(teams, [doc('<html><head><title>Chat | Microsoft Teams</title></head><body></body></html>')], null)).toBe('');
    // The first signal wins; its text is one line and at most 200 characters.
    const long = 'x'.repeat(300);
    expect(readTitle(meet, [doc(`<div data-meeting-title="  Q3\n  plan "></div><div class="u6vdEc">${long}</div>`)], null)).toBe('Q3 plan');
    expect(readTitle(meet, [doc(`<div class="u6vdEc">${long}</div>`)], null)).toHaveLength(200);
  });

  it('the request makes a page title one clean line: no control or bidi marks, no markup meaning', () => {
    const parsed = callTitle.parse({ type: 'call/title', callId: crypto.randomUUID(), title: '  Acme\u202e gnicirp \u200b\n<b>deal</b>\u0007 ' });
    expect(parsed.title).toBe('Acme gnicirp <b>deal</b>');
    expect(callTitle.safeParse({ type: 'call/title', callId: crypto.randomUUID(), title: 'x'.repeat(201) }).success).toBe(false);
  });

  it('remembers the title last reported and the people seen, per call', () => {
    const facts = createPageFacts();
    expect(facts.newTitle('')).toBeNull();
    expect(facts.newTitle('Acme')).toBe('Acme');
    expect(facts.newTitle('Acme')).toBeNull();
    expect(facts.newTitle('')).toBeNull(); // a title that goes away is kept
    expect(facts.newcomers(['A', 'B'])).toEqual([]);
    expect(facts.newcomers(['A', 'B', 'C'])).toEqual(['C']);
    facts.reset();
    expect(facts.newTitle('Acme')).toBe('Acme');
    expect(facts.newcomers(['A', 'D'])).toEqual([]);
  });

  it('is the rep’s name, else the platform’s title', () => {
    expect(callName({ title: 'Mine', platformTitle: 'Page' })).toBe('Mine');
    expect(callName({ platformTitle: 'Page' })).toBe('Page');
    expect(callName({})).toBeNull();
  });
});

describe('recording tracker (split from the call watcher)', () => {
  it('reports a start at once and a stop only after the grace, doubling it for a flapping indicator', () => {
    const reports: string[][] = [];
    const rechecks: number[] = [];
    const tracker = createRecordingTracker((marks, suspected) => reports.push([...marks, ...suspected]), (ms) => rechecks.push(ms));
    tracker.track(['meet-recording-icon'], [], 0);
    tracker.track(['meet-recording-icon'], [], 100);
    expect(reports).toEqual([['meet-recording-icon']]);
    tracker.track([], [], 1_000);
    expect(rechecks).toEqual([RECORDING_GONE_MS]);
    tracker.track([], [], 1_000 + RECORDING_GONE_MS);
    expect(reports).toEqual([['meet-recording-icon'], []]);
    // Back within a minute: the next stop waits twice as long.
    tracker.track(['meet-recording-icon'], [], 5_000);
    tracker.track([], [], 6_000);
    expect(rechecks.at(-1)).toBe(2 * RECORDING_GONE_MS);
  });
});

describe('checklist scope (pure)', () => {
  it('asks for a checklist for the policy’s call types, and for a call with no type', () => {
    expect(defaultPolicy.checklistCategories).toEqual(['external-prospect', 'customer']);
    expect(checklistRequired('customer', defaultPolicy.checklistCategories)).toBe(true);
    expect(checklistRequired('internal', defaultPolicy.checklistCategories)).toBe(false);
    expect(checklistRequired(undefined, defaultPolicy.checklistCategories)).toBe(true);
    expect(isEmptyChecklist(emptyChecklist())).toBe(true);
    expect(isEmptyChecklist({ ...emptyChecklist(), risks: ' x ' })).toBe(false);
  });
});

// ---- through the background's router ------------------------------------------------------------

const MEET_A = 'https://meet.google.com/abc-defg-hij';
const T0 = Date.UTC(2025, 4, 6, 15, 0, 0);
let db: CandorDB;
let now: number;
let s: Services;
let policy: Partial<Policy>;

beforeEach(() => {
  db = new CandorDB(`test-${crypto.randomUUID()}`);
  now = T0;
  policy = {};
  s = { db, now: () => now, policy: async () => { const r = resolvePolicy(undefined, undefined); return { ...r, policy: { ...r.policy, ...policy } }; }, uiLanguage: () => 'en-US' };
});
afterEach(async () => {
  await db.delete();
});

const MEET_B = 'https://meet.google.com/xyz-wxyz-abc';
const tab: SenderInfo = { tabId: 1, url: MEET_A, extensionPage: false };
const tabB: SenderInfo = { tabId: 2, url: MEET_B, extensionPage: false };
const popup: SenderInfo = { url: 'chrome-extension://test-extension-id/popup.html', extensionPage: true };
const send = (msg: unknown, sender: SenderInfo = tab) => routeAsInBrowser(s, msg, sender);
const observed = (phase: 'lobby' | 'inCall' | 'left', url = MEET_A) => ({ type: 'call/observed', eventId: crypto.randomUUID(), at: now, phase, url, signals: ['meet-participant-tile'] });
const decide = (callId: string, outcome: string, extra: Record<string, unknown> = {}) => ({ type: 'call/decide', eventId: crypto.randomUUID(), at: now, callId, outcome, ...extra });
function ok<T extends RequestType>(reply: Reply<T>) {
  if (!reply.ok) throw new Error(`expected ok, got refusal: ${reply.error}`);
  return reply.data;
}
function refused(reply: Reply<RequestType>) {
  if (reply.ok) throw new Error(`expected a refusal, got ${JSON.stringify(reply.data)}`);
  return reply.error;
}
/** A call in tab 1 (MEET_A) or, with `second`, in tab 2 (another meeting). */
async function joinCall(second = false): Promise<string> {
  const [url, sender] = second ? [MEET_B, tabB] : [MEET_A, tab];
  ok(await send({ ...observed('lobby', url), signals: ['meet-join-button'] }, sender));
  now += 5_000;
  return (ok(await send(observed('inCall', url), sender)) as CallView).callId;
}
async function leave(second = false) {
  now += 60_000;
  ok(await send(observed('left', second ? MEET_B : MEET_A), second ? tabB : tab));
}
const decisions = async (callId: string) => (await db.events.where('callId').equals(callId).toArray()).filter((e) => e.type === 'decision').sort((a, b) => a.at - b.at);

describe('changing a decision after the call', () => {
  it('within the policy’s minutes: a new event superseding the last one; after them: refused in a sentence, withdrawal still possible', async () => {
    policy = { decisionChangeMinutes: 10 };
    const callId = await joinCall();
    ok(await send(decide(callId, 'declined')));
    await leave();
    now += 10 * 60_000;
    ok(await send(decide(callId, 'agreed'), popup));
    const [first, second] = await decisions(callId);
    expect(second!.data).toMatchObject({ outcome: 'agreed', previous: 'declined', change: 'agreed-after-decline', supersedes: first!.id, via: 'toolbar' });
    // The first decision is untouched.
    expect(first!.data).toMatchObject({ outcome: 'declined' });
    expect(first!.data).not.toHaveProperty('change');

    // A second call, to be changed too late.
    const callB = await (async () => {
      const id = await joinCall(true);
      ok(await send(decide(id, 'not-recorded', { reason: 'technical-issue' }), tabB));
      await leave(true);
      return id;
    })();
    now += 10 * 60_000 + 1;
    const before = await db.events.count();
    const late = await send(decide(callB, 'agreed'), popup);
    expect(refused(late)).toMatch(/^A decision can be changed until 10 minutes after the call ends, and that time has passed\. Withdrawing consent is possible at any time\.$/);
    expect(!late.ok && late.detail).toBe('The call ended 10 minutes ago.');
    expect(await db.events.count()).toBe(before);
    // Withdrawing is never limited.
    now += 24 * 60 * 60_000;
    ok(await send(decide(callId, 'withdrawn'), popup));
    expect((await decisions(callId)).at(-1)!.data).toMatchObject({ outcome: 'withdrawn', change: 'withdrawn', supersedes: second!.id });
  });

  it('undoing a never-record rule with the right call type opens the call’s checklist', async () => {
    const callId = await joinCall();
    ok(await send(decide(callId, 'not-recorded', { reason: 'never-record-rule', category: 'hr-people' })));
    await leave();
    expect(await db.checklists.get(callId)).toBeUndefined();
    expect((await db.calls.get(callId))!.checklistNotRequired).toBe(true);
    // A recording is still refused for a never-record type.
    expect(refused(await send(decide(callId, 'agreed', { category: 'legal' }), popup))).toMatch(/never recorded/);
    ok(await send(decide(callId, 'agreed', { category: 'customer' }), popup));
    expect((await decisions(callId)).at(-1)!.data).toMatchObject({ outcome: 'agreed', change: 'rule-undone', previous: 'not-recorded', category: 'customer' });
    expect(await db.checklists.get(callId)).toMatchObject({ status: 'pending' });
    expect((await db.calls.get(callId))!.checklistNotRequired).toBeUndefined();
  });
});

describe('a call’s name through the router', () => {
  it('stores the page’s title from the call tab and the rep’s name and account from the popup, locally only', async () => {
    const callId = await joinCall();
    ok(await send({ type: 'call/title', callId, title: 'Acme renewal' }));
    expect((await db.calls.get(callId))!.platformTitle).toBe('Acme renewal');
    // Only the call page reports titles; only the rep's pages rename.
    expect(refused(await send({ type: 'call/title', callId, title: 'Spoofed' }, popup))).toBeTruthy();
    expect(refused(await send({ type: 'call/rename', callId, title: 'x', account: '' }, tab))).toBeTruthy();
    expect(ok(await send({ type: 'call/rename', callId, title: ' My call ', account: 'Acme Corp' }, popup))).toEqual({ title: 'My call', account: 'Acme Corp' });
    expect(ok(await send({ type: 'call/rename', callId, title: '', account: '' }, popup))).toEqual({ title: null, account: null });
    expect(await db.calls.get(callId)).toMatchObject({ platformTitle: 'Acme renewal' });
    // Never in the ledger or its events.
    expect(JSON.stringify(await db.events.toArray())).not.toContain('Acme');
  });
});

describe('checklist scope and dismissal through the router', () => {
  it('an internal call gets no checklist; a customer call’s checklist can be dismissed with a reason, once', async () => {
    const internal = await joinCall();
    ok(await send(decide(internal, 'agreed', { category: 'internal' })));
    await leave();
    expect(await db.checklists.get(internal)).toBeUndefined();
    expect((await db.calls.get(internal))!.checklistNotRequired).toBe(true);
    expect(refused(await send({ type: 'checklist/dismiss', eventId: crypto.randomUUID(), at: now, callId: internal, reason: 'no-crm-record' }, popup))).toBe('This call has no checklist to dismiss.');

    const customer = await joinCall(true);
    ok(await send(decide(customer, 'agreed', { category: 'customer' }), tabB));
    await leave(true);
    expect(await db.checklists.get(customer)).toMatchObject({ status: 'pending' });
    expect(refused(await send({ type: 'checklist/dismiss', eventId: crypto.randomUUID(), at: now, callId: customer, reason: 'other' }, popup))).toMatch(/Say in a few words why/);
    ok(await send({ type: 'checklist/dismiss', eventId: crypto.randomUUID(), at: now, callId: customer, reason: 'no-crm-record' }, popup));
    expect(await db.checklists.get(customer)).toMatchObject({ status: 'dismissed', dismissal: { reason: 'no-crm-record', at: now } });
    expect((await db.events.where('callId').equals(customer).toArray()).filter((e) => e.type === 'checklist-dismissed').map((e) => e.data)).toEqual([{ reason: 'no-crm-record' }]);
    expect(refused(await send({ type: 'checklist/dismiss', eventId: crypto.randomUUID(), at: now, callId: customer, reason: 'no-crm-record' }, popup))).toBe('This checklist was already dismissed.');
  });
});
