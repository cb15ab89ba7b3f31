import { browser } from 'wxt/browser';
import { platforms } from '../platforms';

/**
 * After an install, update or reload, call tabs that were already open still run the old (orphaned)
 * content script, which cannot reach the new background. Inject the new one: it takes over the
 * page and resumes the same call (the background still has the tab in it).
 */
export async function reinjectCallScripts(): Promise<number> {
  // The built file name comes from the manifest, so this follows whatever the build produced.
  const script = browser.runtime.getManifest().content_scripts?.[0]?.js?.[0];
  if (!script) return 0;
  const tabs = await browser.tabs.query({ url: platforms.flatMap((p) => p.matches) });
  let injected = 0;
  for (const tab of tabs) {
    if (tab.id === undefined || tab.discarded) continue;
    try {
      await browser.scripting.executeScript({ target: { tabId: tab.id }, files: [script as never] });
      injected++;
    } catch {
      // A tab that is still loading or an error page: its own load injects the script.
    }
  }
  return injected;
}
