import { browser } from 'wxt/browser';

/**
 * The toolbar button: `action` in the MV3 build (Chrome, Edge); Firefox's MV2 build has only
 * `browserAction` (same badge and title calls). Without it the Firefox badge stays empty, and the
 * checklist reminder, planned after the badge, never comes (tests/e2e-firefox/lifecycle.spec.ts).
 */
export const toolbarButton = () => browser.action ?? browser.browserAction;

/**
 * A tab's own badge and title over the global ones (the pending-checklist count): "?" for a call
 * Candor did not recognise, "!" when the page obstructs the prompt. Never throws: the badge is a
 * hint, and a closed tab must not fail the request that tried to mark it.
 */
export async function markTab(tabId: number, text: string, title: string): Promise<void> {
  try {
    await toolbarButton().setBadgeText({ tabId, text });
    await toolbarButton().setTitle({ tabId, title });
  } catch {
    // the tab is gone
  }
}

/** Back to the global badge and title, if the tab still shows `mark` (another hint may own it now). */
export async function clearTab(tabId: number, mark: string): Promise<void> {
  try {
    if ((await toolbarButton().getBadgeText({ tabId })) !== mark) return;
    // null resets the tab's text to the global one; the title has no reset, so it is copied.
    await toolbarButton().setBadgeText({ tabId, text: null as unknown as string });
    await toolbarButton().setTitle({ tabId, title: await toolbarButton().getTitle({}) });
  } catch {
    // the tab is gone
  }
}
