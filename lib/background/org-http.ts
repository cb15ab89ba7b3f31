import { browser } from 'wxt/browser';
import { retryAfterMs } from '../sync/backoff';
import { serviceError } from '../sync/service';
import type { Net, Services } from './services';

export type { Net };

/**
 * Requests to the organisation service (docs/org.md): no cookies, no redirects (they could lead off
 * the host the rep allowed), no referrer, a timeout that covers the answer's body, and at most a
 * bounded part of any answer read (an answer, or something in front of the service, may be huge).
 */

const TIMEOUT_MS = 15_000;
/** A successful answer holds at most a batch's results and a checkpoint, or 200 concern statuses. */
const MAX_REPLY_BYTES = 2 * 1024 * 1024;
/** Of an error answer, only this much is read (the sentence shown is short). */
const MAX_ERROR_BYTES = 4_096;

export async function browserHasPermission(pattern: string): Promise<boolean> {
  try {
    return await browser.permissions.contains({ origins: [pattern] });
  } catch {
    return false;
  }
}

export const defaultNet: Net = { fetch: (input, init) => fetch(input, init), hasPermission: browserHasPermission };
export const netOf = (s: Services): Net => s.net ?? defaultNet;

/**
 * The host permission to ask for and check: scheme and host, any port, any path (the manifest's
 * optional host permissions are written that way).
 */
export function permissionPattern(service: string): string {
  const url = new URL(service);
  return `${url.protocol}//${url.hostname}/*`;
}

export type Answer =
  | { kind: 'answer'; status: number; text: string; retryAfter: number | null; redirected: boolean }
  | { kind: 'unreachable'; error: string };

/** At most `max` bytes of an answer as text; the rest is never downloaded. */
async function readLimited(res: Response, max: number): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(Math.min(size, max));
  let at = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, Math.min(chunk.byteLength, bytes.length - at));
    bytes.set(part, at);
    at += part.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

export async function request(net: Net, url: string, init: { method: 'GET' | 'POST'; bearer?: string; body?: unknown; headers?: Record<string, string> }, now: number): Promise<Answer> {
  const timeoutMs = net.timeoutMs ?? TIMEOUT_MS;
  const controller = new AbortController();
  // Covers the answer's body too: the timer is cleared only after it is read.
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await net.fetch(url, {
      method: init.method,
      headers: {
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(init.bearer ? { authorization: `Bearer ${init.bearer}` } : {}),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: controller.signal,
      // The install is known by its token, never by the rep's browser session.
      credentials: 'omit',
      redirect: 'manual',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    });
    const redirected = res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400);
    const ok = res.status >= 200 && res.status < 300;
    const text = await readLimited(res, ok ? MAX_REPLY_BYTES : MAX_ERROR_BYTES).catch(() => '');
    return { kind: 'answer', status: res.status, text, retryAfter: retryAfterMs(res.headers.get('retry-after'), now), redirected };
  } catch (error) {
    if (controller.signal.aborted) return { kind: 'unreachable', error: `the organisation service did not answer within ${timeoutMs / 1000} s` };
    const cause = (error as { cause?: { message?: string } })?.cause?.message;
    return { kind: 'unreachable', error: `could not reach the organisation service (${cause ?? (error instanceof Error ? error.message : String(error))})` };
  } finally {
    clearTimeout(timer);
  }
}

/** An error answer in words: the service's own sentence when it sent one, else the status and the start of the text. */
export function describeAnswer(answer: Answer): string {
  if (answer.kind === 'unreachable') return answer.error;
  if (answer.redirected) return `the organisation service answered with a redirect (HTTP ${answer.status || '3xx'}); Candor does not follow redirects: put the service's final address in the policy`;
  const own = serviceError(answer.text);
  if (own) return own.error;
  const detail = answer.text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return `the organisation service answered HTTP ${answer.status}${detail ? `: ${detail}` : ''}`;
}
