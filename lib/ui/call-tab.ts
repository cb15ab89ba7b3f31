import { browser } from 'wxt/browser';
import { platformForUrl, platforms } from '../platforms';

/**
 * The tab the rep means: the active tab when it is a call page, else the call-platform tab used
 * most recently (the popup may be detached or open in a tab). Tab URLs are only visible for the
 * call platforms (host permissions), which is all this needs: no `tabs` permission.
 */
export async function findCallTab(): Promise<number | undefined> {
  const [active] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
  if (active?.id !== undefined && active.url && platformForUrl(new URL(active.url))) return active.id;
  const callTabs = await browser.tabs.query({ url: platforms.flatMap((p) => p.matches) });
  return callTabs.sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0))[0]?.id;
}
