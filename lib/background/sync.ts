import { browser } from 'wxt/browser';

import { BACKOFF, backoffDelay, retryAfterMs, verdictFor } from '../sync/backoff';
import { bodyFor, syncBodySchema } from '../sync/payload';
import { describeZodError } from '../util/zod-error';
import { repId } from './ledger';
import type { SyncStatus } from '../protocol/replies';
import type { Services } from './services';
import { OUTBOX_PARKED, type OutboxRecord } from '../model';

/**
 * Org sync's sender: drains the IndexedDB outbox to the policy's endpoint, one record per POST,
 * oldest first. Driven by a one-shot alarm (never a timer: the worker sleeps between events) and a
 * kick after every write. An item leaves the outbox only when the endpoint answered 2xx, so a
 * worker stopped at any moment re-sends it later under the same Idempotency-Key.
 */
export const SYNC_ALARM = 'candor-sync';
const STATE_KEY = 'syncState';
/** Requests per drain: a long backlog goes out over several alarms instead of one long worker life. */
const MAX_PER_DRAIN = 100;
const BATCH = 25;
const TIMEOUT_MS = 15_000;
/** If the worker is stopped mid-drain, this alarm brings it back. */
const SAFETY_NET_MS = 60_000;
/** Of an answer that is not a success, only this much is read (the reason shown is 200 characters). */
const MAX_ANSWER_BYTES = 4_096;

export interface SyncDeps {
  fetch: typeof fetch;
  hasPermission(pattern: string): Promise<boolean>;
  /** Wake the worker at this time (an alarm), or cancel the wake-up (null). */
  schedule(at: number | null): Promise<unknown> | void;
  timeoutMs?: number;
  random?: () => number;
}

export interface SyncState {
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  lastError: string | null;
  /**
   * The endpoint is in trouble (a retryable answer, its Retry-After honoured): nothing is sent to it
   * before this time, whatever is queued meanwhile. Null: no hold.
   */
  holdUntil: number | null;
}

export interface DrainResult {
  state: 'off' | 'waiting-for-permission' | 'idle' | 'failing';
  delivered: number;
  parked: number;
}

/**
 * The host permission to ask for and check: scheme and host, any port, any path. The path may hold
 * the endpoint's secret, so it is never shown or put in a pattern.
 */
export function permissionPattern(endpoint: string): string {
  const url = new URL(endpoint);
  return `${url.protocol}//${url.hostname}/*`;
}

export async function browserHasPermission(pattern: string): Promise<boolean> {
  try {
    return await browser.permissions.contains({ origins: [pattern] });
  } catch {
    return false;
  }
}

async function readState(s: Services): Promise<SyncState> {
  const value = (await s.db.meta.get(STATE_KEY))?.value as Partial<SyncState> | undefined;
  return { lastSuccessAt: value?.lastSuccessAt ?? null, lastAttemptAt: value?.lastAttemptAt ?? null, lastError: value?.lastError ?? null, holdUntil: value?.holdUntil ?? null };
}

/**
 * At most `max` bytes of an answer, as text; the rest is never downloaded (an endpoint, or something
 * in front of it, may answer with a huge body, and the worker's other replies must not wait for it).
 */
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

type Attempt = { verdict: 'delivered' } | { verdict: 'retry' | 'park'; error: string; retryAfter?: number | null };

async function post(endpoint: string, row: OutboxRecord, body: unknown, deps: SyncDeps, now: number): Promise<Attempt> {
  const timeoutMs = deps.timeoutMs ?? TIMEOUT_MS;
  const controller = new AbortController();
  // Covers the answer's body too: the timer is cleared only after it is read.
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await deps.fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': row.id },
      body: JSON.stringify(body),
      signal: controller.signal,
      // The endpoint is trusted through its URL, never through the rep's browser session.
      credentials: 'omit',
      // A redirect could lead off the permitted host: refuse it and say so.
      redirect: 'manual',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    });
    const redirected = res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400);
    const verdict = redirected ? 'park' : verdictFor(res.status);
    if (verdict === 'delivered') {
      await res.body?.cancel().catch(() => undefined);
      return { verdict };
    }
    const detail = (await readLimited(res, MAX_ANSWER_BYTES).catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 200);
    const error = redirected
      ? `the endpoint answered with a redirect (HTTP ${res.status || '3xx'}); Candor does not follow redirects: put the final URL in the policy`
      : `the endpoint answered HTTP ${res.status}${detail ? `: ${detail}` : ''}`;
    return { verdict, error, retryAfter: retryAfterMs(res.headers.get('retry-after'), now) };
  } catch (error) {
    if (controller.signal.aborted) return { verdict: 'retry', error: `the endpoint did not answer within ${timeoutMs / 1000} s` };
    const cause = (error as { cause?: { message?: string } })?.cause?.message;
    return { verdict: 'retry', error: `could not reach the endpoint (${cause ?? (error instanceof Error ? error.message : String(error))})` };
  } finally {
    clearTimeout(timer);
  }
}

/** Due items in the order they were written (consent records by chain position). */
async function dueBatch(s: Services): Promise<OutboxRecord[]> {
  const rows = await s.db.outbox.where('nextAttemptAt').belowOrEqual(s.now()).limit(BATCH).toArray();
  const seq = (r: OutboxRecord) => ((r.payload.record as { seq?: number }).seq ?? 0);
  return rows.sort((a, b) => a.createdAt - b.createdAt || seq(a) - seq(b));
}

/** One drain: send what is due until the outbox is empty, the endpoint fails, or the per-drain cap. */
export async function drainOutbox(s: Services, deps: SyncDeps): Promise<DrainResult> {
  const { db } = s;
  const result: DrainResult = { state: 'idle', delivered: 0, parked: 0 };
  const endpoint = (await s.policy()).policy.orgSync.endpoint;
  if (!endpoint) {
    await deps.schedule(null);
    return { ...result, state: 'off' };
  }
  // The options page asks for the host permission (a user gesture); until then nothing is sent.
  if (!(await deps.hasPermission(permissionPattern(endpoint)))) {
    await deps.schedule(null);
    return { ...result, state: 'waiting-for-permission' };
  }
  const held = (await readState(s)).holdUntil;
  if (held !== null && held > s.now()) {
    // The endpoint asked for a pause (or keeps failing): one wake-up when it ends, no request before.
    await deps.schedule(held);
    return { ...result, state: 'failing' };
  }
  let batch = await dueBatch(s);
  if (batch.length) {
    await deps.schedule(s.now() + SAFETY_NET_MS);
    const state = await readState(s);
    state.holdUntil = null;
    const rep = await repId(s);
    let sent = 0;
    outer: while (batch.length && sent < MAX_PER_DRAIN) {
      for (const row of batch) {
        if (sent++ >= MAX_PER_DRAIN) break outer;
        const now = s.now();
        state.lastAttemptAt = now;
        const body = syncBodySchema.safeParse(bodyFor(row, rep));
        const attempt: Attempt = body.success
          ? await post(endpoint, row, body.data, deps, now)
          : { verdict: 'park', error: `Candor built an invalid payload (${describeZodError(body.error)}); please report this` };
        if (attempt.verdict === 'delivered') {
          await db.outbox.delete(row.id);
          result.delivered++;
          state.lastSuccessAt = s.now();
          state.lastError = null;
          continue;
        }
        const attempts = row.attempts + 1;
        state.lastError = attempt.error;
        if (attempt.verdict === 'park') {
          await db.outbox.update(row.id, { attempts, nextAttemptAt: OUTBOX_PARKED, lastError: attempt.error });
          result.parked++;
          continue;
        }
        // Temporary trouble: the whole endpoint waits (this item's backoff, or the endpoint's own
        // Retry-After), so records written meanwhile do not hammer it either.
        const delay = Math.max(backoffDelay(attempts, deps.random), Math.min(attempt.retryAfter ?? 0, BACKOFF.capMs));
        await db.outbox.update(row.id, { attempts, nextAttemptAt: s.now() + delay, lastError: attempt.error });
        state.holdUntil = s.now() + delay;
        result.state = 'failing';
        break outer;
      }
      batch = await dueBatch(s);
    }
    await db.meta.put({ key: STATE_KEY, value: state });
  }
  const next = await db.outbox.where('nextAttemptAt').below(OUTBOX_PARKED).first();
  const hold = (await readState(s)).holdUntil;
  await deps.schedule(next ? Math.max(next.nextAttemptAt, hold ?? 0) : null);
  return result;
}

/** One drain at a time per worker; kicks during a drain are folded into one more drain after it. */
export function createSyncer(s: Services, deps: SyncDeps) {
  // Every state-changing request kicks the syncer; with sync off (the default) each drain would
  // cancel an alarm that is already cancelled: skip repeats of "no wake-up".
  let lastWake: number | null | undefined;
  const scheduled: SyncDeps = {
    ...deps,
    schedule(at) {
      if (at === null && lastWake === null) return;
      lastWake = at;
      return deps.schedule(at);
    },
  };
  let current: Promise<unknown> = Promise.resolve();
  let queued: Promise<DrainResult> | null = null;
  return {
    kick(): Promise<DrainResult> {
      if (queued) return queued;
      const run = current.then(() => {
        queued = null;
        return drainOutbox(s, scheduled);
      });
      queued = run;
      current = run.catch((error) => console.warn('Candor sync will be retried:', error));
      return run;
    },
  };
}

export async function syncStatus(s: Services, hasPermission: (pattern: string) => Promise<boolean> = browserHasPermission): Promise<SyncStatus> {
  const { db } = s;
  const endpoint = (await s.policy()).policy.orgSync.endpoint;
  const pattern = endpoint ? permissionPattern(endpoint) : null;
  const [pending, parked, next, firstParked, state] = await Promise.all([
    db.outbox.where('nextAttemptAt').below(OUTBOX_PARKED).count(),
    db.outbox.where('nextAttemptAt').equals(OUTBOX_PARKED).count(),
    db.outbox.where('nextAttemptAt').below(OUTBOX_PARKED).first(),
    db.outbox.where('nextAttemptAt').equals(OUTBOX_PARKED).first(),
    readState(s),
  ]);
  return {
    configured: !!endpoint,
    origin: endpoint ? new URL(endpoint).origin : null,
    permissionPattern: pattern,
    permission: pattern ? await hasPermission(pattern) : false,
    pending,
    parked,
    nextAttemptAt: next?.nextAttemptAt ?? null,
    ...state,
    parkedError: firstParked?.lastError ?? null,
  };
}

/** "Retry now": every waiting and parked item is due again, with a fresh backoff, and the endpoint's hold lifts. */
export async function retrySync(s: Services): Promise<{ requeued: number }> {
  const now = s.now();
  const requeued = await s.db.outbox.toCollection().modify({ nextAttemptAt: now, attempts: 0 });
  await s.db.meta.put({ key: STATE_KEY, value: { ...(await readState(s)), holdUntil: null } });
  return { requeued };
}
