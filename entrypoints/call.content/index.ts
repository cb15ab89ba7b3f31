import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { startCallWatcher, type CallWatcher } from '../../lib/content/call-watcher';
import { CALL_STATE, NUDGE_START, PROMPT_SIZE, START_CONSENT_CHECK } from '../../lib/protocol/to-content';
import { meet } from '../../lib/platforms/meet';
import { teams } from '../../lib/platforms/teams';
import { zoom } from '../../lib/platforms/zoom';

/**
 * Where the running copy leaves its teardown: the content script's own global, not the page's. A
 * symbol key: the page's elements show up on `window` by their id or name, also in this isolated
 * world (`<div id="…">` would shadow a string key), but never under a symbol.
 */
const RETIRE_KEY = Symbol.for('candor.retireCallScript');
type IsolatedGlobal = { [RETIRE_KEY]?: unknown };

/**
 * The script can run twice in one page: re-injected after an install or update while the page
 * was still loading, or injected next to an orphaned copy. The newest copy owns the page; the
 * older one stops its observer and removes its prompt before the new one starts.
 */
function retireOlderCopy(ctx: ContentScriptContext) {
  const scope = globalThis as IsolatedGlobal;
  const older = scope[RETIRE_KEY];
  if (typeof older === 'function') older();
  const retire = () => ctx.abort('A newer copy of the call script took over this page');
  scope[RETIRE_KEY] = retire;
  ctx.onInvalidated(() => {
    if (scope[RETIRE_KEY] === retire) delete scope[RETIRE_KEY];
  });
}

// No zod here on purpose: the content script only reads the page and sends typed requests;
// the background validates them. Keeps the script small inside busy call pages.
export default defineContentScript({
  matches: [...meet.matches, ...zoom.matches, ...teams.matches],
  runAt: 'document_idle',
  main(ctx) {
    // WXT retires an older copy of this script when a page-visible "content script started" event
    // arrives; a hostile page could forge it to remove the prompt. Swallow it before WXT sees it,
    // and retire older copies through the isolated world instead, which the page cannot reach.
    ctx.addEventListener(window, `${browser.runtime.id}:call:wxt:content-script-started` as keyof WindowEventMap, (e) => e.stopImmediatePropagation(), { capture: true });
    retireOlderCopy(ctx);
    const watcher = startCallWatcher(ctx);
    // Only the extension itself can message a content script; the page cannot reach this listener.
    const onMessage = (msg: unknown, sender: { id?: string }) => {
      if (sender.id !== browser.runtime.id) return undefined;
      const type = (msg as { type?: unknown })?.type;
      if (type === START_CONSENT_CHECK) watcher?.startManually();
      else if (type === NUDGE_START) watcher?.offerManualStart();
      else if (type === CALL_STATE) {
        const { callId, outcome } = msg as { callId?: unknown; outcome?: unknown };
        if (typeof callId === 'string') watcher?.callState(callId, (outcome ?? null) as Parameters<CallWatcher['callState']>[1]);
      } else if (type === PROMPT_SIZE) {
        const { width, height, choices } = msg as { width?: unknown; height?: unknown; choices?: unknown };
        if (typeof width === 'number' && typeof height === 'number') watcher?.resizePrompt(width, height, choices === true);
      } else return undefined;
      return Promise.resolve({ ok: !!watcher });
    };
    browser.runtime.onMessage.addListener(onMessage);
    ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(onMessage));
  },
});
