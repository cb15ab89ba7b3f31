import type { CandorDB } from '../db';
import { applyChecklistScope } from './checklists';
import { callTables, callView, event } from './call-records';
import { currentNotice } from './ledger';
import type { Request } from '../protocol/requests';
import type { CallView } from '../protocol/replies';
import { platformForUrl } from '../platforms';
import { says } from '../i18n/says';
import { forbidsRecording } from '../call/outcomes';
import { meetingHash } from './meeting-ref';
import { clampTime, RequestError, type SenderInfo, type Services } from './services';
import type { CallCategory, CallRecord, EndReason } from '../model';

/*
 * A call's life: detected in the lobby, admitted, recording seen, ended. The consent decision and
 * its changes are in decisions.ts, the call's name in call-names.ts.
 */


/** Leaving and rejoining the same meeting within this window continues the same call. */
export const REJOIN_WINDOW_MS = 15 * 60_000;

type Observed = Extract<Request, { type: 'call/observed' }>;
type PromptShown = Extract<Request, { type: 'call/prompt-shown' }>;
type Recording = Extract<Request, { type: 'call/recording' }>;
type Notetaker = Extract<Request, { type: 'call/notetaker' }>;

/** The call categories that need a CRM checklist (read before a transaction that may end calls). */
const checklistScope = async (s: Services): Promise<readonly CallCategory[]> => (await s.policy()).policy.checklistCategories;

/** The organisation's selector overrides for the platform of the sending tab. */
export async function callConfig(s: Services, sender: SenderInfo) {
  const platform = sender.url ? platformForUrl(new URL(sender.url)) : null;
  if (!platform) throw new RequestError(says('refusal_not_call_platform'));
  const { policy } = await s.policy();
  return { overrides: policy.selectorOverrides[platform.id] ?? null };
}

async function meetingOf(s: Services, sender: SenderInfo, manual: boolean, pageUrl: string) {
  if (sender.tabId === undefined || !sender.url) throw new RequestError(says('error_wrong_sender'), 'Call messages must come from a call tab.');
  const url = new URL(pageUrl);
  if (url.origin !== new URL(sender.url).origin) throw new RequestError(says('error_wrong_sender'), 'The call URL does not belong to the sending tab.');
  const platform = platformForUrl(url);
  if (!platform) throw new RequestError(says('refusal_not_call_platform'));
  const found = platform.meetingFromUrl(url) ?? (manual ? `${url.origin}${url.pathname}` : null);
  if (!found) throw new RequestError(says('refusal_not_call_page'));
  // A reference that names no meeting must not merge two different calls: scope it to the tab.
  const generic = platform.genericReferences?.includes(found) ?? false;
  const reference = generic ? `${found}\u0000tab:${sender.tabId}` : found;
  return { platform: platform.id, hash: await meetingHash(s.db, platform.id, reference), tabId: sender.tabId, documentId: sender.documentId, generic };
}

/** Removes a tab from a call; the call ends when its last tab has gone. Runs inside a transaction. */
async function leave(s: Services, call: CallRecord, tabId: number, at: number, reason: EndReason, eventId: string, scope: readonly CallCategory[]) {
  const tabIds = call.tabIds.filter((t) => t !== tabId);
  if (tabIds.length > 0) {
    await s.db.calls.update(call.id, { tabIds, updatedAt: s.now() });
    return;
  }
  await endCall(s, call, at, reason, eventId, scope);
}

/** Ends a call: closes a running recording episode, logs the end, opens the checklist its category calls for. */
async function endCall(s: Services, call: CallRecord, at: number, reason: EndReason, eventId: string, scope: readonly CallCategory[]) {
  await s.db.calls.update(call.id, {
    tabIds: [], status: 'ended', endedAt: at, endReason: reason, recordingSince: undefined, recordingSources: undefined, updatedAt: s.now(),
  });
  if (call.recordingSince !== undefined) {
    // Whatever was recording is over for Candor once the call ends; close the episode for the audit.
    await s.db.events.add(event(crypto.randomUUID(), call.id, 'recording-stopped', at, {
      durationMs: Math.max(0, at - call.recordingSince), sources: call.recordingSources ?? [], afterDecline: forbidsRecording(call.outcome), atCallEnd: true,
    }));
  }
  await s.db.events.add(event(eventId, call.id, 'left', at, { reason }));
  await applyChecklistScope(s.db, call, at, scope);
}

export async function handleObserved(s: Services, msg: Observed, sender: SenderInfo): Promise<CallView | null> {
  const meeting = await meetingOf(s, sender, msg.manual, msg.url);
  const at = clampTime(msg.at, s.now());
  const scope = await checklistScope(s);
  const { db } = s;
  const call = await db.transaction('rw', callTables(db), async () => {
    const seen = await db.events.get(msg.eventId);
    if (seen) return db.calls.get(seen.callId);

    // This tab may still be in another meeting (single-page switch): it has left that one.
    const elsewhere = await db.calls.where('tabIds').equals(meeting.tabId).toArray();
    for (const other of elsewhere) {
      if (other.status !== 'ended' && other.meetingHash !== meeting.hash) {
        await leave(s, other, meeting.tabId, at, 'meeting-switched', crypto.randomUUID(), scope);
      }
    }

    const open = (await db.calls.where('meetingHash').equals(meeting.hash).toArray())
      .filter((c) => c.status !== 'ended')
      .sort((a, b) => a.detectedAt - b.detectedAt)[0];
    const withTab = (c: CallRecord) => (c.tabIds.includes(meeting.tabId) ? c.tabIds : [...c.tabIds, meeting.tabId]);
    // The call page's document in this tab: what tells a restarted browser's reused tab id apart.
    const withDocument = (c?: CallRecord) => (meeting.documentId ? { documents: { ...c?.documents, [meeting.tabId]: meeting.documentId } } : {});

    if (msg.phase === 'left') {
      const reason = msg.signals.includes('meeting-switched') ? 'meeting-switched' : 'left';
      if (open?.tabIds.includes(meeting.tabId)) await leave(s, open, meeting.tabId, at, reason, msg.eventId, scope);
      return open ? db.calls.get(open.id) : undefined;
    }

    // Dropped and rejoining (straight in, or through the lobby): the same conversation goes on.
    const recent = open || meeting.generic ? undefined : (await db.calls.where('meetingHash').equals(meeting.hash).toArray())
      .filter((c) => c.status === 'ended' && c.admittedAt !== undefined && c.endReason !== 'ended-unknown' && (c.endedAt ?? 0) > at - REJOIN_WINDOW_MS)
      .sort((a, b) => (b.endedAt ?? 0) - (a.endedAt ?? 0))[0];

    if (msg.phase === 'lobby') {
      if (open) {
        await db.calls.update(open.id, { tabIds: withTab(open), ...withDocument(open), updatedAt: s.now() });
        return db.calls.get(open.id);
      }
      if (recent) {
        await db.calls.update(recent.id, { status: 'lobby', tabIds: [meeting.tabId], ...withDocument(), endedAt: undefined, endReason: undefined, updatedAt: s.now() });
        await db.events.add(event(msg.eventId, recent.id, 'lobby', at, { signals: msg.signals, rejoined: true }));
        return db.calls.get(recent.id);
      }
      const id = crypto.randomUUID();
      await db.calls.add({
        id, platform: meeting.platform, meetingHash: meeting.hash, status: 'lobby', tabIds: [meeting.tabId], ...withDocument(),
        detectedAt: at, lobbyAt: at, detectedBy: msg.signals, updatedAt: s.now(),
      });
      await db.events.add(event(msg.eventId, id, 'lobby', at, { signals: msg.signals }));
      return db.calls.get(id);
    }

    // phase: inCall
    const detectedBy = msg.manual ? ['manual'] : msg.signals;
    if (open) {
      if (open.status === 'lobby') {
        // A rejoin keeps its first admission time: tag times and the audit count from it.
        const rejoined = open.admittedAt !== undefined;
        await db.calls.update(open.id, { status: 'active', admittedAt: open.admittedAt ?? at, detectedBy, tabIds: withTab(open), ...withDocument(open), updatedAt: s.now() });
        await db.events.add(event(msg.eventId, open.id, 'admitted', at, { signals: detectedBy, ...(rejoined ? { rejoined } : {}) }));
      } else {
        // A reload, a second tab, or a repeated signal: the same call goes on, nothing is logged twice.
        await db.calls.update(open.id, { tabIds: withTab(open), ...withDocument(open), updatedAt: s.now() });
      }
      return db.calls.get(open.id);
    }
    if (recent) {
      await db.calls.update(recent.id, { status: 'active', tabIds: [meeting.tabId], ...withDocument(), endedAt: undefined, endReason: undefined, updatedAt: s.now() });
      await db.events.add(event(msg.eventId, recent.id, 'admitted', at, { signals: detectedBy, rejoined: true }));
      return db.calls.get(recent.id);
    }
    const id = crypto.randomUUID();
    await db.calls.add({
      id, platform: meeting.platform, meetingHash: meeting.hash, status: 'active', tabIds: [meeting.tabId], ...withDocument(),
      detectedAt: at, admittedAt: at, detectedBy, updatedAt: s.now(),
    });
    await db.events.add(event(msg.eventId, id, 'admitted', at, { signals: detectedBy, manual: msg.manual }));
    return db.calls.get(id);
  });
  // In the lobby the view carries the prompt's texts ahead of admission (the prompt draws at once).
  if (!call || msg.phase === 'left' || (msg.phase === 'inCall' && call.status === 'lobby')) return null;
  return callView(s, call);
}

export async function handlePromptShown(s: Services, msg: PromptShown): Promise<CallView> {
  const at = clampTime(msg.at, s.now());
  const notice = await currentNotice(s);
  const { db } = s;
  const call = await db.transaction('rw', callTables(db), async () => {
    const current = await db.calls.get(msg.callId);
    if (!current) throw new RequestError(says('error_call_unknown'));
    if (current.promptShownAt === undefined && !(await db.events.get(msg.eventId))) {
      await db.calls.update(current.id, { promptShownAt: at, updatedAt: s.now() });
      await db.events.add(event(msg.eventId, current.id, 'prompt-shown', at, { notice, policyVersion: notice.version }));
    }
    return (await db.calls.get(current.id))!;
  });
  return callView(s, call);
}

/**
 * What records the call now: the platform's own marks, plus suspected notetakers the rep confirmed.
 * A name match alone never counts (a customer called "Wei Gong" is not Gong's recorder).
 */
function recordingSourcesOf(call: CallRecord, marks: readonly string[], suspected: readonly string[]): string[] {
  return [...marks, ...suspected.filter((name) => call.confirmedBots?.includes(name))];
}

/**
 * Recording episodes logged per call. A page that flips its indicator on and off (or a flaky one)
 * would otherwise add two ledger entries per flip, each synced, without end; beyond this the call's
 * state still follows, and the flips are only counted on the call.
 */
export const MAX_RECORDING_EPISODES = 12;

/**
 * Applies what records the call now. What it means depends on the decision: before one, the rep
 * must ask now; after a decline it must stop; after agreement it is fine. Runs inside a transaction.
 */
async function applyRecording(s: Services, current: CallRecord, sources: string[], at: number, eventId: string) {
  const { db } = s;
  const running = current.recordingSince !== undefined;
  const episodes = current.recordingEpisodes ?? 0;
  const logged = episodes < MAX_RECORDING_EPISODES;
  if (sources.length > 0 && !running) {
    const type = current.outcome === undefined ? 'recording-before-consent' : forbidsRecording(current.outcome) ? 'recording-after-decline' : 'recording-started';
    await db.calls.update(current.id, {
      recordingSince: at, recordingSources: sources, recordingEpisodes: episodes + 1, updatedAt: s.now(),
      ...(logged ? {} : { recordingFlaps: (current.recordingFlaps ?? 0) + 1 }),
    });
    if (logged) await db.events.add(event(eventId, current.id, type, at, { sources }));
  } else if (sources.length > 0) {
    if (sources.join('|') !== (current.recordingSources ?? []).join('|')) await db.calls.update(current.id, { recordingSources: sources, updatedAt: s.now() });
  } else if (running) {
    await db.calls.update(current.id, { recordingSince: undefined, recordingSources: undefined, updatedAt: s.now() });
    // The stop of the last logged episode is logged; stops of unlogged ones are not.
    if (episodes <= MAX_RECORDING_EPISODES) {
      await db.events.add(event(eventId, current.id, 'recording-stopped', at, {
        durationMs: Math.max(0, at - current.recordingSince!),
        sources: current.recordingSources ?? [],
        afterDecline: forbidsRecording(current.outcome),
      }));
    }
  }
}

/** The platform's recording marks or suspected notetakers appeared or went away. */
export async function handleRecording(s: Services, msg: Recording): Promise<CallView> {
  const at = clampTime(msg.at, s.now());
  const { db } = s;
  const call = await db.transaction('rw', callTables(db), async () => {
    const current = await db.calls.get(msg.callId);
    if (!current) throw new RequestError(says('error_call_unknown'));
    if (await db.events.get(msg.eventId)) return current;
    const suspected = [...new Set(msg.suspected)].filter((name) => !current.notBots?.includes(name)).sort();
    const newlySuspected = suspected.filter((name) => !current.suspectedBots?.includes(name) && !current.confirmedBots?.includes(name));
    if (suspected.join('|') !== (current.suspectedBots ?? []).join('|')) {
      await db.calls.update(current.id, { suspectedBots: suspected, updatedAt: s.now() });
    }
    if (newlySuspected.length > 0) {
      // Logged for the audit's detection view; not a consent event (nobody confirmed a recording).
      await db.events.add(event(crypto.randomUUID(), current.id, 'notetaker-suspected', at, { names: newlySuspected }));
    }
    await applyRecording(s, (await db.calls.get(current.id))!, recordingSourcesOf(current, msg.sources, suspected), at, msg.eventId);
    return (await db.calls.get(current.id))!;
  });
  return callView(s, call);
}

/**
 * The rep's answer about a suspected notetaker. "It's a notetaker" makes it a recording source at
 * once (before consent: ask now; after a decline: it must stop). "Not a bot" clears the suspicion
 * for this call. Both are logged.
 */
export async function handleNotetaker(s: Services, msg: Notetaker): Promise<CallView> {
  const at = clampTime(msg.at, s.now());
  const { db } = s;
  const call = await db.transaction('rw', callTables(db), async () => {
    const current = await db.calls.get(msg.callId);
    if (!current) throw new RequestError(says('error_call_unknown'));
    if (await db.events.get(msg.eventId)) return current;
    const without = (list: string[] | undefined) => (list ?? []).filter((name) => name !== msg.name);
    if (msg.verdict === 'not-bot') {
      await db.calls.update(current.id, {
        notBots: [...without(current.notBots), msg.name], confirmedBots: without(current.confirmedBots),
        suspectedBots: without(current.suspectedBots), updatedAt: s.now(),
      });
      await db.events.add(event(msg.eventId, current.id, 'notetaker-not-bot', at, { name: msg.name }));
    } else {
      await db.calls.update(current.id, { confirmedBots: [...without(current.confirmedBots), msg.name], notBots: without(current.notBots), updatedAt: s.now() });
      await db.events.add(event(msg.eventId, current.id, 'notetaker-confirmed', at, { name: msg.name }));
    }
    const updated = (await db.calls.get(current.id))!;
    const marks = (updated.recordingSources ?? []).filter((source) => !current.confirmedBots?.includes(source));
    await applyRecording(s, updated, recordingSourcesOf(updated, marks, updated.suspectedBots ?? []), at, crypto.randomUUID());
    return (await db.calls.get(current.id))!;
  });
  return callView(s, call);
}

/** The calls a tab is in that have not ended. */
const openCallsOfTab = async (db: CandorDB, tabId: number) => (await db.calls.where('tabIds').equals(tabId).toArray()).filter((c) => c.status !== 'ended');

/** Whether the tab is in a call Candor detected and the rep was admitted to. */
export async function isTabInCall(s: Services, tabId: number): Promise<boolean> {
  return (await openCallsOfTab(s.db, tabId)).some((c) => c.status === 'active');
}

/** The tab leaves every open call it is in (re-read in the transaction); returns how many. */
async function leaveTab(s: Services, tabId: number, reason: EndReason): Promise<number> {
  const { db } = s;
  const scope = await checklistScope(s);
  return db.transaction('rw', callTables(db), async () => {
    const calls = await openCallsOfTab(db, tabId);
    for (const call of calls) await leave(s, call, tabId, s.now(), reason, crypto.randomUUID(), scope);
    return calls.length;
  });
}

/** A tab closed or left the meeting without the content script saying goodbye. */
export async function endTab(s: Services, tabId: number, reason: EndReason): Promise<number> {
  // Most tabs that close were never in a call: a read finds that out, without a write transaction
  // (which would wait for, and hold up, everything else writing).
  if ((await openCallsOfTab(s.db, tabId)).length === 0) return 0;
  return leaveTab(s, tabId, reason);
}

/** The browser (re)started: no tab from before is still in a call. */
export async function closeCallsAfterRestart(s: Services): Promise<number> {
  const { db } = s;
  const scope = await checklistScope(s);
  return db.transaction('rw', callTables(db), async () => {
    const open = await db.calls.where('status').anyOf('lobby', 'active').toArray();
    for (const call of open) await endCall(s, call, s.now(), 'ended-unknown', crypto.randomUUID(), scope);
    return open.length;
  });
}

/**
 * Open calls none of whose call pages exists any more end as "ended (unknown)". Runs at every worker
 * start, before any message or tab event is handled: `runtime.onStartup` does not fire for every
 * restart (a crash, an unpacked extension loaded from the command line), and after a browser
 * restart tab ids start over, so a new tab may carry an old call's tab id: a page is alive only if
 * its document (where known) still is. Checked outside the transaction (IndexedDB transactions
 * cannot wait for other APIs), then re-read inside it.
 */
export async function closeOrphanedCalls(s: Services, pageAlive: (tabId: number, documentId: string | undefined) => Promise<boolean>): Promise<number> {
  const { db } = s;
  const open = await db.calls.where('status').anyOf('lobby', 'active').toArray();
  const orphaned: CallRecord[] = [];
  for (const call of open) {
    const alive = await Promise.all(call.tabIds.map((tabId) => pageAlive(tabId, call.documents?.[tabId])));
    if (!alive.some(Boolean)) orphaned.push(call);
  }
  if (orphaned.length === 0) return 0;
  const scope = await checklistScope(s);
  return db.transaction('rw', callTables(db), async () => {
    let closed = 0;
    for (const seen of orphaned) {
      const call = await db.calls.get(seen.id);
      // A tab may have joined the call meanwhile: only end it if nothing changed since the check.
      if (!call || call.status === 'ended' || call.updatedAt !== seen.updatedAt) continue;
      await endCall(s, call, s.now(), 'ended-unknown', crypto.randomUUID(), scope);
      closed++;
    }
    return closed;
  });
}

/** Whether a tab's new URL is still the meeting the tab is in (a reload) or something else. */
export async function tabNavigated(s: Services, tabId: number, newUrl: string | undefined): Promise<number> {
  const calls = await openCallsOfTab(s.db, tabId);
  if (calls.length === 0) return 0;
  let reason: EndReason = 'navigated-away';
  if (newUrl) {
    const url = new URL(newUrl);
    const platform = platformForUrl(url);
    const reference = platform?.meetingFromUrl(url);
    if (platform && reference) {
      const hash = await meetingHash(s.db, platform.id, reference);
      if (calls.every((c) => c.meetingHash === hash)) return 0; // reload or in-call route change
      reason = 'meeting-switched';
    }
  }
  return leaveTab(s, tabId, reason);
}
