import { browser } from 'wxt/browser';

import { INTERFERENCE_KEY, type InterferenceCounts } from '../detect/health';
import { t } from '../i18n';
import type { PromptEvent, Request } from '../protocol/requests';
import type { CallView } from '../protocol/replies';
import { CALL_STATE, PROMPT_SIZE, START_CONSENT_CHECK } from '../protocol/to-content';
import { callView } from './call-records';
import { clearTab, markTab } from './tab-badge';
import { says } from '../i18n/says';
import { RequestError, type SenderInfo, type Services } from './services';
import type { CallRecord } from '../model';

/**
 * The prompt frame (entrypoints/prompt) and the background. The content script asks for a token
 * (`prompt/mount`) and embeds the frame with it; the frame presents it (`prompt/attach`), and only
 * then is its frame id the one the background talks to for that tab. A copy of the frame the page
 * embedded itself (Chrome refuses that anyway: use_dynamic_url) has no token and gets nothing.
 * Tokens and frame ids live in `storage.session`: they survive the worker stopping, never a browser
 * restart, and content scripts cannot read that storage area.
 */
/** Per tab (its own key, so two tabs never overwrite each other): the token, the attached frame, events that came first. */
interface Entry { token: string; frameId?: number; pending?: PromptEvent[] }
const keyOf = (tabId: number) => `prompt:${tabId}`;
/** Events kept for a frame that has not attached yet (the newest win). */
const MAX_PENDING = 8;

async function entryOf(tabId: number): Promise<Entry | undefined> {
  return (await browser.storage.session.get(keyOf(tabId)))[keyOf(tabId)] as Entry | undefined;
}
async function saveEntry(tabId: number, entry: Entry) {
  await browser.storage.session.set({ [keyOf(tabId)]: entry });
}

/**
 * Read-modify-writes of a tab's entry, one at a time. An event queued while the frame attached
 * once wrote back the entry it had read before the attach, without the frame id: every later view
 * for the tab then went nowhere (the prompt kept the lobby's view, outcomes off).
 */
const entryQueues = new Map<number, Promise<unknown>>();
function updateEntry<T>(tabId: number, change: (entry: Entry | undefined) => Promise<T>): Promise<T> {
  const run = (entryQueues.get(tabId) ?? Promise.resolve()).then(async () => change(await entryOf(tabId)));
  const settled = run.catch(() => undefined);
  entryQueues.set(tabId, settled);
  void settled.then(() => {
    if (entryQueues.get(tabId) === settled) entryQueues.delete(tabId);
  });
  return run;
}

function tabOf(sender: SenderInfo): number {
  if (sender.tabId === undefined) throw new RequestError(says('error_wrong_sender'), 'The prompt must belong to a tab.');
  return sender.tabId;
}

/** The call the tab is in now (admitted), if any. */
export async function activeCallOfTab(s: Services, tabId: number): Promise<CallRecord | undefined> {
  return (await s.db.calls.where('tabIds').equals(tabId).toArray()).find((c) => c.status === 'active');
}

/** A new token for the tab's prompt frame; the previous frame of the tab is forgotten. */
export async function mountPrompt(sender: SenderInfo): Promise<{ token: string }> {
  const tabId = tabOf(sender);
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  const token = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  await updateEntry(tabId, () => saveEntry(tabId, { token }));
  return { token };
}

/** The frame presents its token: from now on it is the tab's prompt. Replies with the tab's call. */
export async function attachPrompt(s: Services, msg: Extract<Request, { type: 'prompt/attach' }>, sender: SenderInfo): Promise<{ view: CallView | null; events: PromptEvent[] }> {
  const tabId = tabOf(sender);
  const events = await updateEntry(tabId, async (entry) => {
    if (!entry || entry.token !== msg.token || sender.frameId === undefined) {
      throw new RequestError(says('refusal_prompt_not_ours'), 'Unknown prompt token for this tab.');
    }
    await saveEntry(tabId, { token: msg.token, frameId: sender.frameId });
    return entry.pending ?? [];
  });
  // The tab's open call: admitted, or in the lobby (drawn ahead, hidden, its choices off).
  const call = (await s.db.calls.where('tabIds').equals(tabId).toArray()).find((c) => c.status !== 'ended');
  return { view: call ? await callView(s, call) : null, events };
}

/** The frame id of the tab's attached prompt, if the sender is it. */
export async function isPromptFrame(sender: SenderInfo): Promise<boolean> {
  if (sender.tabId === undefined || sender.frameId === undefined) return false;
  return (await entryOf(sender.tabId))?.frameId === sender.frameId;
}

async function toPrompt(tabId: number, message: unknown): Promise<void> {
  const frameId = (await entryOf(tabId))?.frameId;
  if (frameId === undefined) return;
  await browser.tabs.sendMessage(tabId, message, { frameId }).catch(() => undefined);
}

/** Replies that are a call's view (a follow-up pushes them to the call's prompt frames). */
export function isCallView(data: unknown): data is CallView {
  return typeof data === 'object' && data !== null && 'callId' in data && 'texts' in data;
}

/** An event for the tab's prompt; kept until the frame attaches when it has not yet. */
async function eventToPrompt(tabId: number, event: PromptEvent): Promise<void> {
  const attached = await updateEntry(tabId, async (entry) => {
    if (!entry) return false;
    if (entry.frameId !== undefined) return true;
    await saveEntry(tabId, { ...entry, pending: [...(entry.pending ?? []), event].slice(-MAX_PENDING) });
    return false;
  });
  if (attached) await toPrompt(tabId, { type: 'prompt/event', event });
}

/**
 * The call changed: every tab in it redraws its prompt, and its content script learns the outcome
 * (it guards the prompt less often once decided).
 */
export async function pushView(s: Services, view: CallView): Promise<void> {
  const call = await s.db.calls.get(view.callId);
  await Promise.all((call?.tabIds ?? []).map((tabId) => Promise.all([
    toPrompt(tabId, { type: 'prompt/view', view }),
    browser.tabs.sendMessage(tabId, { type: CALL_STATE, callId: view.callId, outcome: view.outcome }, { frameId: 0 }).catch(() => undefined),
  ])));
}

/** The frame's content size: the content script sizes the frame's box in the page to it. */
export async function promptSize(msg: Extract<Request, { type: 'prompt/size' }>, sender: SenderInfo): Promise<null> {
  await browser.tabs.sendMessage(tabOf(sender), { type: PROMPT_SIZE, width: msg.width, height: msg.height, choices: msg.choices }, { frameId: 0 }).catch(() => undefined);
  return null;
}

/** "Start consent check" in the frame's nudge: the tab's content script starts it. */
export async function promptStartManual(sender: SenderInfo): Promise<null> {
  await browser.tabs.sendMessage(tabOf(sender), { type: START_CONSENT_CHECK }, { frameId: 0 }).catch(() => undefined);
  return null;
}

/**
 * What the call page's content script tells the prompt: its guard's verdict (also the badge and
 * detection health), people who joined, "expand", the nudge, a tag added by keyboard.
 */
export async function relayToPrompt(s: Services, msg: Extract<Request, { type: 'prompt/relay' }>, sender: SenderInfo): Promise<null> {
  const tabId = tabOf(sender);
  const event: PromptEvent = msg.event;
  if (event.kind === 'late-joiner') {
    // Only after an agreement is there anyone to ask again; the page cannot make the prompt nag.
    const call = await activeCallOfTab(s, tabId);
    if (call?.outcome !== 'agreed') return null;
  }
  if (event.kind === 'guard') await guardChanged(s, tabId, event.state);
  await eventToPrompt(tabId, event);
  return null;
}

async function guardChanged(s: Services, tabId: number, state: string) {
  if (state === 'ok') return clearTab(tabId, '!');
  await markTab(tabId, '!', t('badge_obstructed_title'));
  const call = await activeCallOfTab(s, tabId);
  const platform = call?.platform ?? 'unknown';
  await s.db.transaction('rw', s.db.meta, async () => {
    const counts = ((await s.db.meta.get(INTERFERENCE_KEY))?.value ?? {}) as InterferenceCounts;
    const mine = counts[platform] ?? { times: 0, lastAt: 0, last: state };
    await s.db.meta.put({ key: INTERFERENCE_KEY, value: { ...counts, [platform]: { times: mine.times + 1, lastAt: s.now(), last: state } } });
  });
}
