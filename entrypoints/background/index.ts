import { z } from 'zod';
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createAudibleNet } from '../../lib/background/audible';
import { auditDirtyMiddleware, createAuditDaysRefresher } from '../../lib/background/audit-cache';
import { closeCallsAfterRestart, closeOrphanedCalls, endTab, isTabInCall, tabNavigated } from '../../lib/background/calls';
import { createLedgerWriter } from '../../lib/background/ledger';
import { createPolicyStore } from '../../lib/background/policy-store';
import { isCallView, pushView } from '../../lib/background/prompt';
import { refreshBadge, remindDue, REMINDER_ALARM, scheduleReminder } from '../../lib/background/reminders';
import { reinjectCallScripts } from '../../lib/background/reinject';
import { startBrowserSession } from '../../lib/background/session';
import { RETENTION_ALARM, runRetention } from '../../lib/background/retention';
import type { Services } from '../../lib/background/services';
import { defaultNet } from '../../lib/background/org-http';
import { createSyncer, SYNC_ALARM } from '../../lib/background/sync';
import { CandorDB } from '../../lib/db';
import { route, type FollowUp } from '../../lib/background/router';
import { NUDGE_START, startConsentCheck } from '../../lib/protocol/to-content';
import { RULES_PAGE } from '../../lib/model';

// Wiring only: every listener is registered synchronously so a cold-started worker gets the event.
export default defineBackground(() => {
  z.config({ jitless: true });
  const policy = createPolicyStore();
  const db = new CandorDB();
  const services: Services = {
    db,
    now: () => Date.now(),
    policy: () => policy.get(),
    uiLanguage: () => browser.i18n.getUILanguage(),
  };
  // Only the background writes: every write to calls, events or checklists marks its audit days
  // dirty (before the database opens: Dexie builds its middleware stack then), and the per-day
  // cache is rebuilt a few seconds later (and on start, when marks wait).
  const auditDays = createAuditDaysRefresher(services);
  db.use(auditDirtyMiddleware(auditDays.schedule));
  auditDays.schedule();
  // A worker is usually started by a message that needs both: begin loading them at once.
  void policy.get();
  void services.db.open().catch(() => undefined); // a failure surfaces, readably, on the first request
  const ownOrigin = new URL(browser.runtime.getURL('/')).origin;
  const ledger = createLedgerWriter(services);
  // Org sync (off unless the policy names the organisation service and this install enrolled): one-shot alarms, never a timer in the worker.
  const sync = createSyncer(services, {
    ...defaultNet,
    // 30 s is the shortest alarm a packed extension gets.
    schedule: (at) => (at === null ? browser.alarms.clear(SYNC_ALARM) : browser.alarms.create(SYNC_ALARM, { when: Math.max(at, Date.now() + 30_000) })),
  });
  // Consent records reach the outbox when the ledger appends them: kick the sender after each flush.
  const flushAndSync = () => ledger.flush().then(() => sync.kick());

  // A call-platform tab that plays sound with no call detected: nudge the rep to start by hand.
  const audible = createAudibleNet(services, {
    inCall: (tabId) => isTabInCall(services, tabId),
    offerManualStart: (tabId) => browser.tabs.sendMessage(tabId, { type: NUDGE_START }).then(() => true, () => false),
    setTimer: (run, ms) => void setTimeout(run, ms),
  });

  // Calls whose pages are gone end before any message or tab event is handled, so a reused tab id
  // never lands in an old call. Within one browser session tab ids are never reused, so an existing
  // tab is enough (its document changes on a reload). A new session (storage.session starts empty
  // after a browser restart, and after an extension update) cannot trust tab ids: a call page is
  // alive only if its very document still is, which survives an update but not a restart.
  const pageAlive = (newSession: boolean) => async (tabId: number, documentId: string | undefined) => {
    const tab = await browser.tabs.get(tabId).then(() => true, () => false);
    // Firefox identifies no documents to scripting: there the tab must still exist.
    if (!tab || !newSession || !documentId || import.meta.env.BROWSER === 'firefox') return tab;
    return browser.scripting.executeScript({ target: { tabId, documentIds: [documentId] }, func: () => true, injectImmediately: true }).then(() => true, () => false);
  };
  const ready = startBrowserSession()
    .then((newSession) => closeOrphanedCalls(services, pageAlive(newSession)))
    .then((closed) => (closed > 0 ? afterTabChange() : undefined), () => undefined);

  // What each handler's declared follow-up does (lib/background/router.ts).
  const followUps: Record<FollowUp, (data: unknown, tabId: number | undefined) => void> = {
    ledger: () => void flushAndSync(),
    checklists: () => void checklistsChanged(),
    'call-view': (data) => void (isCallView(data) && pushView(services, data)),
    'call-seen': (data, tabId) => void (data && tabId !== undefined && audible.clear(tabId)),
  };

  browser.runtime.onMessage.addListener((raw, sender, sendResponse) => {
    if (sender.id !== browser.runtime.id) return false;
    // Our own pages (popup, options) may be open in a tab too: the origin, not the tab, tells them apart.
    const extensionPage = !!sender.url && new URL(sender.url).origin === ownOrigin;
    const from = { tabId: sender.tab?.id, frameId: sender.frameId, documentId: (sender as { documentId?: string }).documentId, url: sender.url, extensionPage };
    void ready.then(() => route(services, raw, from)).then(({ reply, after }) => {
      sendResponse(reply);
      if (reply.ok) for (const followUp of after) followUps[followUp](reply.data, sender.tab?.id);
    });
    return true;
  });

  // Pending checklists show on the badge and get one reminder after the policy's delay.
  const checklistsChanged = () => refreshBadge(services).then(() => scheduleReminder(services));
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === REMINDER_ALARM) void remindDue(services).then(() => refreshBadge(services));
    if (alarm.name === RETENTION_ALARM) void runRetention(services).then(checklistsChanged).then(() => sync.kick());
    if (alarm.name === SYNC_ALARM) void sync.kick();
  });
  // Retention runs daily and at every browser start; alarms persist across worker restarts.
  const scheduleRetention = () => browser.alarms.create(RETENTION_ALARM, { periodInMinutes: 24 * 60, delayInMinutes: 24 * 60 });

  // Call ends from the browser (tab closed, navigated away) also write consent events. Follow-up
  // work only when the tab was in a call: every tab in the browser sends these events.
  const afterTabChange = () => Promise.all([flushAndSync(), checklistsChanged()]);
  const ifCallsEnded = (calls: number) => (calls > 0 ? afterTabChange() : undefined);
  browser.tabs.onRemoved.addListener((tabId) => {
    audible.clear(tabId);
    void ready.then(() => endTab(services, tabId, 'tab-closed')).then(ifCallsEnded);
  });
  browser.tabs.onUpdated.addListener((tabId, change, tab) => {
    if (change.audible !== undefined) audible.audible(tabId, change.audible, tab.url);
    // tab.url is only visible for the call platforms (host permissions): anything else is "away".
    if (change.status === 'loading' || change.url) void ready.then(() => tabNavigated(services, tabId, change.url ?? tab.url)).then(ifCallsEnded);
  });
  browser.runtime.onStartup.addListener(() => {
    void closeCallsAfterRestart(services)
      .then(() => ledger.flush())
      .then(() => runRetention(services))
      .then(checklistsChanged)
      .then(() => sync.kick());
  });
  browser.runtime.onInstalled.addListener(({ reason }) => {
    void reinjectCallScripts();
    void scheduleRetention();
    void checklistsChanged();
    // A new rep reads the team's rules before the first call (the popup links them ever after).
    if (reason === 'install') void browser.tabs.create({ url: browser.runtime.getURL(RULES_PAGE) });
  });
  // The options page got the service's host permission (a user gesture there): send what waits.
  browser.permissions.onAdded.addListener(() => void sync.kick());
  browser.commands.onCommand.addListener((command, tab) => {
    if (command === 'start-consent-check' && tab?.id !== undefined) void startConsentCheck(tab.id);
  });
});
