/**
 * When to try again after a failed send, and what an HTTP answer means. Pure, so it is tested
 * without a network or a clock.
 */
export const BACKOFF = {
  /** First retry after ~30 s: the browser's shortest alarm. */
  baseMs: 30_000,
  /** Never wait more than 6 h: an endpoint back from an outage is caught up the same day. */
  capMs: 6 * 3_600_000,
};

/**
 * Exponential backoff with "equal jitter": half the delay fixed, half random, so a fleet of browsers
 * whose endpoint comes back does not retry in lockstep. `attempts` counts failures so far (≥ 1).
 */
export function backoffDelay(attempts: number, random: () => number = Math.random, { baseMs, capMs } = BACKOFF): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(attempts, 1) - 1, 30));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1_000;
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - now) : null;
}

export type SendVerdict = 'delivered' | 'retry' | 'park';

/**
 * 2xx: delivered (also for a duplicate the receiver already has). 408, 409 (the same key still being
 * processed), 425, 429 and 5xx are the receiver's temporary trouble: retry. Any other answer (400, 401, 403, 404, 413, a redirect…) will
 * not change by itself: park the item with the reason until someone fixes the endpoint and retries.
 */
export function verdictFor(status: number): SendVerdict {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 408 || status === 409 || status === 425 || status === 429 || status >= 500) return 'retry';
  return 'park';
}
