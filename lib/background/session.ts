import { browser } from 'wxt/browser';

const SESSION_KEY = 'browserSession';

/**
 * Whether this worker starts a new session: `storage.session` is empty after a browser restart (and
 * after an extension update), and keeps its values while the worker merely stops and starts again.
 */
export async function startBrowserSession(): Promise<boolean> {
  try {
    if ((await browser.storage.session.get(SESSION_KEY))[SESSION_KEY]) return false;
    await browser.storage.session.set({ [SESSION_KEY]: crypto.randomUUID() });
    return true;
  } catch {
    return true; // no session storage: treat every start as new (the stricter check)
  }
}
