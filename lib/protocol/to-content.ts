import { browser } from 'wxt/browser';

/** The manual "Start consent check", sent to a call tab from the popup or the keyboard command. */
export const START_CONSENT_CHECK = 'content/start-consent-check';
/** The tab plays sound but no call was detected: the call tab offers the manual start. */
export const NUDGE_START = 'content/nudge-start';
/** The prompt frame's content size, relayed by the background: the content script sizes its box. */
export const PROMPT_SIZE = 'content/prompt-size';
/** The call's outcome changed (decided in the prompt frame or the popup). */
export const CALL_STATE = 'content/call-state';

/** Asks the call tab to start the consent check; false when no call page is open there. */
export async function startConsentCheck(tabId: number): Promise<boolean> {
  try {
    const reply = (await browser.tabs.sendMessage(tabId, { type: START_CONSENT_CHECK })) as { ok?: boolean } | undefined;
    return reply?.ok === true;
  } catch {
    return false; // no content script there: not a Meet, Zoom or Teams page
  }
}
