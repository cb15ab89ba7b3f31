import { defineContentScript } from 'wxt/utils/define-content-script';
import { startCallWatcher } from '../../lib/content/call-watcher';
import { meet } from '../../lib/platforms/meet';
import { teams } from '../../lib/platforms/teams';
import { zoom } from '../../lib/platforms/zoom';

// No zod here on purpose: the content script only reads the page and sends typed requests;
// the background validates them. Keeps the script small inside busy call pages.
export default defineContentScript({
  matches: [...meet.matches, ...zoom.matches, ...teams.matches],
  runAt: 'document_idle',
  main(ctx) {
    startCallWatcher(ctx);
  },
});
