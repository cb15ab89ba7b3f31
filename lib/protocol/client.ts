import { browser } from 'wxt/browser';
// The small translator (no bundled messages in a production build): this module runs in the content script too.
import { t } from '../i18n/content';
import type { Refusal, Reply } from './replies';
import type { RequestInput } from './requests';

export interface SendOptions {
  /** Stop retrying when aborted (the content script's context was invalidated, the page left). */
  signal?: AbortSignal;
  /** Give up after this long; the default covers a worker that must start from cold. */
  deadlineMs?: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });

/**
 * Sends a request to the background and retries until it is acknowledged: the MV3 worker may be
 * asleep, starting, or restarting ("Receiving end does not exist"). Requests that change state
 * carry an eventId, so a retry after a lost reply is stored once. A refusal (bad input) is final.
 */
export async function sendRequest<M extends RequestInput>(
  msg: M,
  { signal, deadlineMs = 60_000 }: SendOptions = {},
): Promise<Reply<M['type']>> {
  type T = M['type'];
  const deadline = Date.now() + deadlineMs;
  let delay = 25;
  let lastError = 'the background did not answer';
  /** The background's own refusal (a storage fault) when that is what kept failing. */
  let lastRefusal: Refusal | null = null;
  for (;;) {
    if (signal?.aborted) return { ok: false, error: t('error_cancelled') };
    try {
      const reply = (await browser.runtime.sendMessage(msg)) as Reply<T> | undefined;
      if (reply && (reply.ok || !reply.retryable)) return reply;
      // A storage fault: if it persists until the deadline, its own words are what the person reads.
      if (reply) lastRefusal = reply;
    } catch (error) {
      lastRefusal = null;
      lastError = error instanceof Error ? error.message : String(error);
      // The extension was reloaded or removed: this script is an orphan, retrying cannot help.
      if (!browser.runtime?.id) return { ok: false, error: t('error_extension_reloaded'), detail: lastError };
      // The browser refused the message itself (too big): the same message would be refused again.
      if (/maximum allowed size|message length exceeded|too large/i.test(lastError)) {
        return { ok: false, error: t('error_too_large'), detail: lastError };
      }
    }
    if (Date.now() + delay > deadline) return lastRefusal ?? { ok: false, error: t('error_unreachable'), detail: lastError, retryable: true };
    await sleep(delay, signal);
    delay = Math.min(delay * 2, 2_000);
  }
}
