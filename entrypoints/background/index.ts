import { z } from 'zod';
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { closeCallsAfterRestart, endTab, tabNavigated } from '../../lib/background/calls';
import { createPolicyStore } from '../../lib/background/policy-store';
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

  browser.runtime.onMessage.addListener((raw, sender, sendResponse) => {
    if (sender.id !== browser.runtime.id) return false;
    // Our own pages (popup, options) may be open in a tab too: the origin, not the tab, tells them apart.
    const extensionPage = !!sender.url && new URL(sender.url).origin === ownOrigin;
    void routeMessage(services, raw, { tabId: sender.tab?.id, url: sender.url, extensionPage }).then(sendResponse);
    return true;
  });

  browser.tabs.onRemoved.addListener((tabId) => void endTab(services, tabId, 'tab-closed'));
  browser.tabs.onUpdated.addListener((tabId, change, tab) => {
    // tab.url is only visible for the call platforms (host permissions): anything else is "away".
    if (change.status === 'loading' || change.url) void tabNavigated(services, tabId, change.url ?? tab.url);
  });
  browser.runtime.onStartup.addListener(() => void closeCallsAfterRestart(services));
  browser.commands.onCommand.addListener((command, tab) => {
    if (command === 'start-consent-check' && tab?.id !== undefined) void startConsentCheck(tab.id);
  });
});
