import { browser } from 'wxt/browser';
// The vocabulary alone: the popup's first chunk holds no zod (lib/model's records are zod schemas).
import { RULES_PAGE } from '../model/vocabulary';

/**
 * The recording rules page (entrypoints/rules): whether the rep said they read it (the popup shows
 * it first until then), and opening it. A preference of this browser, not a record about calls:
 * kept in extension storage, not in the database, and no delete touches it.
 */
export const RULES_READ_KEY = 'rulesReadAt';

export async function rulesRead(): Promise<boolean> {
  return typeof (await browser.storage.local.get(RULES_READ_KEY))[RULES_READ_KEY] === 'number';
}

export async function markRulesRead(now = Date.now()): Promise<void> {
  await browser.storage.local.set({ [RULES_READ_KEY]: now });
}

/** Opens the rules in a tab (from the popup, which then closes: the tab is where the rep reads). */
export async function openRulesPage(): Promise<void> {
  await browser.tabs.create({ url: browser.runtime.getURL(RULES_PAGE) });
}
