import { z } from 'zod';
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { closeCallsAfterRestart, endTab, tabNavigated } from '../../lib/background/calls';
import { createLedgerWriter } from '../../lib/background/ledger';
import { createPolicyStore } from '../../lib/background/policy-store';
import { refreshBadge, remindDue, REMINDER_ALARM, scheduleReminder } from '../../lib/background/reminders';
import { reinjectCallScripts } from '../../lib/background/reinject';
import { RETENTION_ALARM, runRetention } from '../../lib/background/retention';
import type { Services } from '../../lib/background/services';
import { CandorDB } from '../../lib/db';
import { routeMessage } from '../../lib/messages/router';
import { startConsentCheck } from '../../lib/messages/to-content';

// Wiring only: every listener is registered synchronously so a cold-started worker gets the event.
export default defineBackground(() => {
  z.config({ jitless: true });
  const policy = createPolicyStore();
  const services: Services = {
    db: new CandorDB(),
    now: () => Date.now(),
    policy: () => policy.get(),
    uiLanguage: () => browser.i18n.getUILanguage(),
  };
  const ownOrigin = new URL(browser.runtime.getURL('/')).origin;
  const ledger = createLedgerWriter(services);

  browser.runtime.onMessage.addListener((raw, sender, sendResponse) => {
    if (sender.id !== browser.runtime.id) return false;
    // Our own pages (popup, options) may be open in a tab too: the origin, not the tab, tells them apart.
    const extensionPage = !!sender.url && new URL(sender.url).origin === ownOrigin;
    void routeMessage(services, raw, { tabId: sender.tab?.id, url: sender.url, extensionPage }).then((reply) => {
      sendResponse(reply);
      if (reply.ok) {
        void ledger.flush();
        void checklistsChanged();
      }
    });
    return true;
  });

  // Pending checklists show on the badge and get one reminder after the policy's delay.
  const checklistsChanged = () => refreshBadge(services).then(() => scheduleReminder(services));
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === REMINDER_ALARM) void remindDue(services).then(() => refreshBadge(services));
    if (alarm.name === RETENTION_ALARM) void runRetention(services).then(checklistsChanged);
  });
  // Retention runs daily and at every browser start; alarms persist across worker restarts.
  const scheduleRetention = () => browser.alarms.create(RETENTION_ALARM, { periodInMinutes: 24 * 60, delayInMinutes: 24 * 60 });

  // Call ends from the browser (tab closed, navigated away) also write consent events.
  const afterTabChange = () => Promise.all([ledger.flush(), checklistsChanged()]);
  browser.tabs.onRemoved.addListener((tabId) => void endTab(services, tabId, 'tab-closed').then(afterTabChange));
  browser.tabs.onUpdated.addListener((tabId, change, tab) => {
    // tab.url is only visible for the call platforms (host permissions): anything else is "away".
    if (change.status === 'loading' || change.url) void tabNavigated(services, tabId, change.url ?? tab.url).then(afterTabChange);
  });
  browser.runtime.onStartup.addListener(() => {
    void closeCallsAfterRestart(services)
      .then(() => ledger.flush())
      .then(() => runRetention(services))
      .then(checklistsChanged);
  });
  browser.runtime.onInstalled.addListener(() => {
    void reinjectCallScripts();
    void scheduleRetention();
    void checklistsChanged();
  });
  browser.commands.onCommand.addListener((command, tab) => {
    if (command === 'start-consent-check' && tab?.id !== undefined) void startConsentCheck(tab.id);
  });
});
