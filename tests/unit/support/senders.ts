import { routeMessage } from '../../../lib/background/router';
import type { RequestType } from '../../../lib/protocol/requests';
import type { Reply } from '../../../lib/protocol/replies';
import type { SenderInfo, Services } from '../../../lib/background/services';

/**
 * Who sends what, as the browser reports it: a call tab's content script (frame 0), the prompt frame
 * Candor embeds in that tab (an extension page at /prompt.html), and the extension's own pages.
 */
export const callTab = (tabId: number, url: string): SenderInfo => ({ tabId, frameId: 0, url, extensionPage: false });
export const promptFrame = (tabId: number): SenderInfo => ({ tabId, frameId: 1_000 + tabId, url: 'chrome-extension://test-extension-id/prompt.html', extensionPage: true });

/** Requests only the prompt frame sends (the rep's choices in the call page). */
const FROM_PROMPT = new Set(['call/decide', 'call/late-joiner', 'call/notetaker', 'call/prompt-shown', 'call/keep-alive']);

/** The tab's prompt frame, attached with a token its content script asked for (as in the browser). */
export async function attachPrompt(s: Services, tabId: number, url: string): Promise<SenderInfo> {
  const mounted = await routeMessage(s, { type: 'prompt/mount' }, callTab(tabId, url));
  if (!mounted.ok) throw new Error(`prompt/mount refused: ${mounted.error}`);
  const attached = await routeMessage(s, { type: 'prompt/attach', token: (mounted.data as { token: string }).token }, promptFrame(tabId));
  if (!attached.ok) throw new Error(`prompt/attach refused: ${attached.error}`);
  return promptFrame(tabId);
}

/** One attached prompt per tab and database (a fresh database is a fresh browser in these tests). */
const attached = new WeakMap<object, Map<number, Promise<SenderInfo>>>();
function promptOf(s: Services, tabId: number, url: string): Promise<SenderInfo> {
  let tabs = attached.get(s.db);
  if (!tabs) attached.set(s.db, (tabs = new Map()));
  let prompt = tabs.get(tabId);
  if (!prompt) tabs.set(tabId, (prompt = attachPrompt(s, tabId, url)));
  return prompt;
}

/**
 * Routes a message the way the browser would deliver it: what the rep chooses in a call tab comes
 * from that tab's prompt frame (attached first), everything else from the sender given.
 */
export async function routeAsInBrowser(s: Services, msg: unknown, sender: SenderInfo): Promise<Reply<RequestType>> {
  const type = (msg as { type?: unknown } | null)?.type;
  if (!sender.extensionPage && sender.tabId !== undefined && sender.url && typeof type === 'string' && FROM_PROMPT.has(type)) {
    return routeMessage(s, msg, await promptOf(s, sender.tabId, sender.url));
  }
  return routeMessage(s, msg, sender);
}
