import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { startCallWatcher } from '../../lib/content/call-watcher';
import { START_CONSENT_CHECK } from '../../lib/messages/to-content';
import { meet } from '../../lib/platforms/meet';
import { teams } from '../../lib/platforms/teams';
import { zoom } from '../../lib/platforms/zoom';

// No zod here on purpose: the content script only reads the page and sends typed requests;
// the background validates them. Keeps the script small inside busy call pages.
export default defineContentScript({
  matches: [...meet.matches, ...zoom.matches, ...teams.matches],
  runAt: 'document_idle',
  main(ctx) {
    const watcher = startCallWatcher(ctx);
    // Only the extension itself can message a content script; the page cannot reach this listener.
    const onMessage = (msg: unknown, sender: { id?: string }) => {
      if (sender.id !== browser.runtime.id || (msg as { type?: unknown })?.type !== START_CONSENT_CHECK) return undefined;
      watcher?.startManually();
      return Promise.resolve({ ok: !!watcher });
    };
    browser.runtime.onMessage.addListener(onMessage);
    ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(onMessage));
  },
});
