import { BACKOFF, backoffDelay, verdictFor } from '../sync/backoff';
import { bodyFor, syncBodySchema } from '../sync/payload';
import { API, batchReplySchema, MAX_BATCH_ITEMS, parseReply, serviceOrigin, serviceUrl, singleReplySchema, SYNC_BATCH_FORMAT } from '../sync/service';
import { describeZodError } from '../util/zod-error';
import { activeEnrollment, enrollment, markRevoked } from './org';
import { describeAnswer, netOf, permissionPattern, request, type Answer, type Net } from './org-http';
import type { SyncStatus } from '../protocol/replies';
import type { Services } from './services';
import { storeCheckpoint } from './witness';
import { OUTBOX_PARKED, type OrgEnrollmentRecord, type OutboxRecord } from '../model';

/**
 * Org sync's sender (docs/sync.md): drains the IndexedDB outbox to the organisation service, up to
 * 100 records per request (`/api/v1/ingest/batch`, the install's token), oldest first; anonymous
 * concerns one by one with the org's anonymous key only. Driven by a one-shot alarm (never a timer:
 * the worker sleeps between events) and a kick after every write. An item leaves the outbox only
 * when the service acknowledged it (stored or duplicate), so a worker stopped at any moment sends it
 * again later under the same id. The service's answers are parsed with zod (lib/sync/service.ts): an
 * answer Candor cannot read keeps every item queued.
 */
export const SYNC_ALARM = 'candor-sync';
const STATE_KEY = 'syncState';
/** Records per drain: a long backlog goes out over several alarms instead of one long worker life. */
const MAX_PER_DRAIN = 1_000;
/** If the worker is stopped mid-drain, this alarm brings it back. */
const SAFETY_NET_MS = 60_000;
/** The service's rate limit is per minute: Candor counts what it sent in the current minute. */
const WINDOW_MS = 60_000;
/** Room left in a request body for the batch envelope. */
const ENVELOPE_BYTES = 64;

export interface SyncDeps extends Net {
  /** Wake the worker at this time (an alarm), or cancel the wake-up (null). */
  schedule(at: number | null): Promise<unknown> | void;
  random?: () => number;
}

export interface SyncState {
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  lastError: string | null;
  /**
   * The service is in trouble (a retryable answer, its Retry-After honoured) or this install used its
   * records for the minute: nothing is sent before this time, whatever is queued meanwhile. Null: no hold.
   */
  holdUntil: number | null;
  /** The minute being counted against the install's limit, and the records sent in it. */
  windowStart: number | null;
  windowCount: number;
}

export interface DrainResult {
  state: 'off' | 'not-enrolled' | 'revoked' | 'waiting-for-permission' | 'idle' | 'failing';
  delivered: number;
  parked: number;
}

async function readState(s: Services): Promise<SyncState> {
  const v = (await s.db.meta.get(STATE_KEY))?.value as Partial<SyncState> | undefined;
  return {
    lastSuccessAt: v?.lastSuccessAt ?? null, lastAttemptAt: v?.lastAttemptAt ?? null, lastError: v?.lastError ?? null,
    holdUntil: v?.holdUntil ?? null, windowStart: v?.windowStart ?? null, windowCount: v?.windowCount ?? 0,
  };
}

/**
 * Due items in the order they were written (consent records by chain position, so the witness's
 * verified range, and its checkpoints, advance with every batch). Read a drain's worth at once:
 * rows written together share their time, and the index alone would hand them out in id order.
 */
async function dueItems(s: Services, limit: number): Promise<OutboxRecord[]> {
  const rows = await s.db.outbox.where('nextAttemptAt').belowOrEqual(s.now()).limit(MAX_PER_DRAIN).toArray();
  const seq = (r: OutboxRecord) => ((r.payload.record as { seq?: number }).seq ?? 0);
  return rows.sort((a, b) => a.createdAt - b.createdAt || seq(a) - seq(b)).slice(0, limit);
}

const isAnonymous = (row: OutboxRecord) => row.kind === 'concern' && (row.payload.record as { anonymous?: unknown }).anonymous !== false;
/** 401, 403 and 410 for a whole request: the token is not (or no longer) accepted. */
const revokedStatus = (answer: Answer) => answer.kind === 'answer' && [401, 403, 410].includes(answer.status);

type Outcome =
  | { kind: 'done' }
  | { kind: 'retry'; error: string; retryAfter: number | null }
  | { kind: 'revoked'; error: string }
  /** 413 for several items: send fewer at a time. */
  | { kind: 'smaller' };

/** One drain: send what is due until the outbox is empty, the service fails, the minute's quota or the per-drain cap. */
export async function drainOutbox(s: Services, deps: SyncDeps): Promise<DrainResult> {
  const result: DrainResult = { state: 'idle', delivered: 0, parked: 0 };
  const { policy } = await s.policy();
  if (!policy.orgSync.service) {
    await deps.schedule(null);
    return { ...result, state: 'off' };
  }
  const active = await activeEnrollment(s);
  if (!active) {
    // Records wait in the outbox until the install enrolls (or enrolls again after a revocation).
    await deps.schedule(null);
    return { ...result, state: (await enrollment(s))?.revoked ? 'revoked' : 'not-enrolled' };
  }
  // The options page asks for the host permission (a user gesture); until then nothing is sent.
  if (!(await deps.hasPermission(permissionPattern(active.service)))) {
    await deps.schedule(null);
    return { ...result, state: 'waiting-for-permission' };
  }
  const state = await readState(s);
  if (state.holdUntil !== null && state.holdUntil > s.now()) {
    await deps.schedule(state.holdUntil);
    return { ...result, state: 'failing' };
  }
  state.holdUntil = null;
  let maxItems = MAX_BATCH_ITEMS;
  let sent = 0;
  let due = await dueItems(s, MAX_BATCH_ITEMS);
  if (due.length) await deps.schedule(s.now() + SAFETY_NET_MS);
  while (due.length && sent < MAX_PER_DRAIN) {
    const now = s.now();
    if (state.windowStart === null || now - state.windowStart >= WINDOW_MS) {
      state.windowStart = now;
      state.windowCount = 0;
    }
    const room = active.limits.maxRecordsPerMinute - state.windowCount;
    if (room <= 0) {
      // This minute's records are used: the rest go in the next one (not a failure).
      state.holdUntil = state.windowStart + WINDOW_MS;
      break;
    }
    state.lastAttemptAt = now;
    const anonymous = due.filter(isAnonymous);
    const batch = due.filter((r) => !isAnonymous(r)).slice(0, Math.min(maxItems, room));
    let outcome: Outcome = { kind: 'done' };
    if (batch.length) {
      const sentNow = await sendBatch(s, active, batch, deps, result, state);
      outcome = sentNow.outcome;
      state.windowCount += sentNow.attempted;
      sent += sentNow.attempted;
    }
    for (const row of anonymous) {
      if (outcome.kind !== 'done') break;
      outcome = await sendAnonymous(s, active, row, deps, result, state);
      state.windowCount++;
      sent++;
    }
    if (outcome.kind === 'smaller') {
      maxItems = Math.max(1, Math.floor(Math.min(maxItems, batch.length) / 2));
    } else if (outcome.kind === 'revoked') {
      await markRevoked(s, outcome.error);
      state.lastError = `${(await enrollment(s))?.revoked?.message ?? outcome.error}`;
      result.state = 'revoked';
      break;
    } else if (outcome.kind === 'retry') {
      // Temporary trouble: the whole service waits (the backoff, or its own Retry-After), so records
      // written meanwhile do not hammer it either.
      const attempts = Math.max(1, ...[...batch, ...anonymous].map((r) => r.attempts + 1));
      const delay = Math.max(backoffDelay(attempts, deps.random), Math.min(outcome.retryAfter ?? 0, BACKOFF.capMs));
      await s.db.outbox.where('id').anyOf([...batch, ...anonymous].map((r) => r.id)).modify((row) => {
        row.attempts++;
        row.nextAttemptAt = s.now() + delay;
        row.lastError = outcome.error;
      });
      state.lastError = outcome.error;
      state.holdUntil = s.now() + delay;
      result.state = 'failing';
      break;
    }
    due = await dueItems(s, MAX_BATCH_ITEMS);
  }
  await s.db.meta.put({ key: STATE_KEY, value: state });
  if (result.state === 'revoked') {
    await deps.schedule(null);
    return result;
  }
  const next = await s.db.outbox.where('nextAttemptAt').below(OUTBOX_PARKED).first();
  await deps.schedule(next ? Math.max(next.nextAttemptAt, state.holdUntil ?? 0) : null);
  return result;
}

async function park(s: Services, row: OutboxRecord, error: string, result: DrainResult, state: SyncState) {
  await s.db.outbox.update(row.id, { attempts: row.attempts + 1, nextAttemptAt: OUTBOX_PARKED, lastError: error });
  state.lastError = error;
  result.parked++;
}

async function delivered(s: Services, ids: string[], result: DrainResult, state: SyncState) {
  if (!ids.length) return;
  await s.db.outbox.bulkDelete(ids);
  result.delivered += ids.length;
  state.lastSuccessAt = s.now();
}

/** What a whole-request answer that is not a success means for the items in it. */
function failure(answer: Answer, items: number): Outcome | 'park' {
  if (answer.kind === 'unreachable') return { kind: 'retry', error: answer.error, retryAfter: null };
  if (revokedStatus(answer)) return { kind: 'revoked', error: describeAnswer(answer) };
  if (answer.status === 413 && items > 1) return { kind: 'smaller' };
  if (!answer.redirected && verdictFor(answer.status) === 'retry') return { kind: 'retry', error: describeAnswer(answer), retryAfter: answer.retryAfter };
  return 'park';
}

async function sendBatch(s: Services, active: OrgEnrollmentRecord, rows: OutboxRecord[], deps: SyncDeps, result: DrainResult, state: SyncState): Promise<{ outcome: Outcome; attempted: number }> {
  // Every body is checked against the contract before it goes; one that is too large for the
  // service's limit is parked alone, and the batch holds what fits.
  const items: { row: OutboxRecord; body: unknown }[] = [];
  let bytes = ENVELOPE_BYTES;
  for (const row of rows) {
    const body = syncBodySchema.safeParse(bodyFor(row, active.installId));
    if (!body.success) {
      await park(s, row, `Candor built an invalid record (${describeZodError(body.error)}); please report this`, result, state);
      continue;
    }
    const size = new TextEncoder().encode(JSON.stringify(body.data)).byteLength + 1;
    if (size + ENVELOPE_BYTES > active.limits.maxBodyBytes) {
      await park(s, row, `This record is larger than the organisation service accepts (${size.toLocaleString('en')} bytes; at most ${active.limits.maxBodyBytes.toLocaleString('en')})`, result, state);
      continue;
    }
    if (bytes + size > active.limits.maxBodyBytes) break;
    bytes += size;
    items.push({ row, body: body.data });
  }
  if (!items.length) return { outcome: { kind: 'done' }, attempted: 0 };
  const answer = await request(deps, serviceUrl(active.service, API.batch), {
    method: 'POST', bearer: active.token, body: { format: SYNC_BATCH_FORMAT, items: items.map((i) => i.body) },
  }, s.now());
  if (answer.kind !== 'answer' || answer.redirected || answer.status < 200 || answer.status > 299) {
    const outcome = failure(answer, items.length);
    if (outcome !== 'park') return { outcome, attempted: items.length };
    const error = `${serviceOrigin(active.service)} refused the records: ${describeAnswer(answer)}`;
    for (const { row } of items) await park(s, row, error, result, state);
    return { outcome: { kind: 'done' }, attempted: items.length };
  }
  const reply = parseReply(batchReplySchema, answer.text);
  const fits = reply.ok && reply.data.results.length === items.length && reply.data.results.every((r, i) => r.id === items[i]!.row.id);
  if (!reply.ok || !fits) {
    const why = reply.ok ? 'The organisation service answered for other records than the ones sent' : reply.error;
    return { outcome: { kind: 'retry', error: `${why}; the records stay queued and are sent again later`, retryAfter: null }, attempted: items.length };
  }
  const ok: string[] = [];
  for (const [i, r] of reply.data.results.entries()) {
    const row = items[i]!.row;
    if ('error' in r) await park(s, row, `${serviceOrigin(active.service)} refused this record: ${r.error} (${r.code})`, result, state);
    else ok.push(row.id);
  }
  await delivered(s, ok, result, state);
  if (ok.length) state.lastError = null;
  if (reply.data.checkpoint) {
    const verdict = await storeCheckpoint(s, active, reply.data.checkpoint);
    if ('error' in verdict) state.lastError = verdict.error;
  }
  return { outcome: { kind: 'done' }, attempted: items.length };
}

/** An anonymous concern goes alone, with the org's anonymous key and no install token. */
async function sendAnonymous(s: Services, active: OrgEnrollmentRecord, row: OutboxRecord, deps: SyncDeps, result: DrainResult, state: SyncState): Promise<Outcome> {
  const body = syncBodySchema.safeParse(bodyFor(row, active.installId));
  if (!body.success) {
    await park(s, row, `Candor built an invalid record (${describeZodError(body.error)}); please report this`, result, state);
    return { kind: 'done' };
  }
  const answer = await request(deps, serviceUrl(active.service, API.anonymousConcern), {
    method: 'POST', bearer: active.anonymousKey, body: body.data, headers: { 'idempotency-key': row.id },
  }, s.now());
  if (answer.kind === 'answer' && !answer.redirected && answer.status >= 200 && answer.status < 300) {
    const reply = parseReply(singleReplySchema, answer.text);
    if (!reply.ok) return { kind: 'retry', error: `${reply.error}; the concern stays queued and is sent again later`, retryAfter: null };
    await delivered(s, [row.id], result, state);
    state.lastError = null;
    return { kind: 'done' };
  }
  const outcome = failure(answer, 1);
  // A refused anonymous key is the org's key, not this install's token: park the concern, keep the install.
  if (outcome === 'park' || outcome.kind === 'revoked' || outcome.kind === 'smaller') {
    await park(s, row, `${serviceOrigin(active.service)} refused this anonymous concern: ${describeAnswer(answer)}`, result, state);
    return { kind: 'done' };
  }
  return outcome;
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

export async function syncStatus(s: Services, hasPermission = netOf(s).hasPermission): Promise<SyncStatus> {
  const { db } = s;
  const { policy } = await s.policy();
  const service = policy.orgSync.service;
  const pattern = service ? permissionPattern(service) : null;
  const [pending, parked, next, firstParked, state, record] = await Promise.all([
    db.outbox.where('nextAttemptAt').below(OUTBOX_PARKED).count(),
    db.outbox.where('nextAttemptAt').equals(OUTBOX_PARKED).count(),
    db.outbox.where('nextAttemptAt').below(OUTBOX_PARKED).first(),
    db.outbox.where('nextAttemptAt').equals(OUTBOX_PARKED).first(),
    readState(s),
    activeEnrollment(s),
  ]);
  return {
    configured: !!service,
    origin: service ? serviceOrigin(service) : null,
    permissionPattern: pattern,
    permission: pattern ? await hasPermission(pattern) : false,
    enrolled: !!record,
    pending,
    parked,
    nextAttemptAt: next?.nextAttemptAt ?? null,
    lastSuccessAt: state.lastSuccessAt,
    lastAttemptAt: state.lastAttemptAt,
    lastError: state.lastError,
    holdUntil: state.holdUntil,
    parkedError: firstParked?.lastError ?? null,
  };
}

/** "Retry now": every waiting and parked item is due again, with a fresh backoff, and the service's hold lifts. */
export async function retrySync(s: Services): Promise<{ requeued: number }> {
  const now = s.now();
  const requeued = await s.db.outbox.toCollection().modify({ nextAttemptAt: now, attempts: 0 });
  await s.db.meta.put({ key: STATE_KEY, value: { ...(await readState(s)), holdUntil: null } });
  return { requeued };
}
