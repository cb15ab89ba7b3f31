// @vitest-environment node
// (Node's own fetch against a real HTTP server: the DOM environment would replace fetch.)
/**
 * Org sync against a real local HTTP server (node:http on 127.0.0.1, a random port) that fails,
 * times out, drops the connection after processing (so the client retries what was already
 * received), refuses, redirects and rate-limits. Real fetch, real Dexie (fake-indexeddb), the real
 * writers (router, ledger, retention); time moves only through the injected clock.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createLedgerWriter } from '../../lib/background/ledger';
import { runRetention } from '../../lib/background/retention';
import type { SenderInfo, Services } from '../../lib/background/services';
import { createSyncer, drainOutbox, permissionPattern, retrySync, syncStatus, SYNC_ALARM, type SyncDeps } from '../../lib/background/sync';
import { CandorDB } from '../../lib/db';
import { routeMessage } from '../../lib/background/router';
import { routeAsInBrowser } from './support/senders';
import type { RequestType } from '../../lib/protocol/requests';
import type { CallView, Reply } from '../../lib/protocol/replies';
import { resolvePolicy } from '../../lib/policy/resolve';
import { backoffDelay, BACKOFF, retryAfterMs, verdictFor } from '../../lib/sync/backoff';
import { syncBodySchema, syncJsonSchema } from '../../lib/sync/payload';
import { OUTBOX_PARKED } from '../../lib/model';

const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const DAY = 24 * 3_600_000;
const MEET = 'https://meet.google.com/abc-defg-hij';
const tab: SenderInfo = { tabId: 1, url: MEET, extensionPage: false };
const page: SenderInfo = { url: 'chrome-extension://test-extension-id/options.html', extensionPage: true };
/** Words that exist only in the rep's notes, tags and checklist: they must never reach the server. */
const SECRETS = ['NOTE-SECRET-7f3a', 'TAG-SECRET-91bc', 'CHECKLIST-SECRET-44de'];

// ---- the test server ------------------------------------------------------------------------------

type Behaviour = 'ok' | 'hang' | 'drop' | { status: number; body?: string; headers?: Record<string, string> };
interface Received {
  key: string | undefined;
  body: Record<string, unknown>;
  contentType: string | undefined;
  cookie: string | undefined;
}

/** Dedupes by Idempotency-Key like a careful receiver: a known key is answered 200 and not stored again. */
class TestServer {
  script: Behaviour[] = [];
  received: Received[] = [];
  accepted = new Map<string, Record<string, unknown>>();
  private server!: Server;
  url = '';

  async start() {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/ingest/candor-Zx81`;
  }
  reset() {
    this.script = [];
    this.received = [];
    this.accepted.clear();
    this.server.closeAllConnections();
  }
  async stop() {
    this.server.closeAllConnections();
    await new Promise((done) => this.server.close(done));
  }
  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const key = req.headers['idempotency-key'] as string | undefined;
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    this.received.push({ key, body, contentType: req.headers['content-type'], cookie: req.headers.cookie });
    const behaviour = this.script.shift() ?? 'ok';
    if (behaviour === 'hang') return; // never answers
    if (typeof behaviour === 'object') {
      res.writeHead(behaviour.status, { 'content-type': 'text/plain', ...behaviour.headers });
      return void res.end(behaviour.body ?? '');
    }
    // 'ok' and 'drop' both process the record; 'drop' then loses the answer (the connection dies).
    const duplicate = !!key && this.accepted.has(key);
    if (key && !duplicate) this.accepted.set(key, body);
    if (behaviour === 'drop') return void req.socket.destroy();
    res.writeHead(duplicate ? 200 : 201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ duplicate }));
  }
}

const server = new TestServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

// ---- services ----------------------------------------------------------------------------------------

let dbName: string;
let db: CandorDB;
let now: number;
let endpoint: string | null;
let permitted: boolean;
let scheduled: (number | null)[];

function services(database = db): Services {
  return {
    db: database,
    now: () => now,
    // Through the real resolver: the loopback endpoint passes the policy schema's documented allowance.
    policy: async () => resolvePolicy(endpoint === null ? undefined : { orgSync: { endpoint } }, undefined),
    uiLanguage: () => 'en-US',
  };
}
/** A generous timeout, so a loaded machine does not turn a slow answer into a retry; (b) uses a short one. */
const deps = (timeoutMs = 5_000): SyncDeps => ({
  fetch: globalThis.fetch,
  hasPermission: async (pattern) => permitted && pattern === permissionPattern(endpoint!),
  schedule: (at) => void scheduled.push(at),
  timeoutMs,
  random: () => 0.5,
});

beforeEach(() => {
  server.reset();
  dbName = `sync-${crypto.randomUUID()}`;
  db = new CandorDB(dbName);
  now = T0;
  endpoint = server.url;
  permitted = true;
  scheduled = [];
  vi.spyOn(fakeBrowser.runtime, 'getManifest').mockReturnValue({ manifest_version: 3, name: 'Candor', version: '1.4.0' });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await db.delete();
});

function ok<T extends RequestType>(reply: Reply<T>) {
  if (!reply.ok) throw new Error(`expected ok, got: ${reply.error}`);
  return reply.data;
}
const send = (msg: unknown, sender = page) => routeMessage(services(), msg, sender);
const drain = (timeoutMs?: number) => drainOutbox(services(), deps(timeoutMs));

/** A concern raised through the router (the real writer). */
async function raiseConcern(text: string, extra: Record<string, unknown> = {}) {
  return ok(await send({ type: 'concern/raise', eventId: crypto.randomUUID(), category: 'privacy-concern', text, anonymous: false, ...extra })) as { id: string };
}

/**
 * Every kind of record, written by the real code paths: a call with consent (→ ledger), the rep's
 * note, tag and checklist (must never be sent), concerns (one anonymous), an export (→ access log),
 * and a retention purge (→ receipt).
 */
async function writeEverything() {
  const s = services();
  const view = ok(await routeMessage(s, { type: 'call/observed', eventId: crypto.randomUUID(), at: now, phase: 'inCall', url: MEET, signals: ['meet-participant-tile'] }, tab)) as CallView;
  ok(await routeAsInBrowser(s, { type: 'call/prompt-shown', eventId: crypto.randomUUID(), at: now, callId: view.callId }, tab));
  now += 1_000; // the ledger orders by event time
  ok(await routeAsInBrowser(s, { type: 'call/decide', eventId: crypto.randomUUID(), at: now, callId: view.callId, outcome: 'agreed', category: 'customer' }, tab));
  await createLedgerWriter(s).flush();
  ok(await send({ type: 'note/save', callId: view.callId, text: `Champion is ${SECRETS[0]}` }));
  ok(await send({ type: 'tag/add', eventId: crypto.randomUUID(), at: now, callId: view.callId, tag: 'risk', text: SECRETS[1] }));
  ok(await send({
    type: 'checklist/save', callId: view.callId, complete: false,
    fields: { qualification: SECRETS[2]!, nextSteps: [], timeline: '', risks: '', competition: '', humanNuance: '', powerDynamics: '', hesitation: '', emotion: '', urgency: '', subtleObjections: '' },
  }));
  await raiseConcern('Recording felt pushy on this call', { callId: view.callId });
  await raiseConcern('My manager scores me on recordings', { anonymous: true, category: 'coaching-misuse', callId: view.callId });
  ok(await send({ type: 'export/request', what: 'calls-csv', purpose: 'coaching' }));
  await db.accessLog.add({ id: crypto.randomUUID(), at: T0 - 2_000 * DAY, purpose: 'coaching', action: 'calls-csv', callCount: 1 });
  await runRetention(s);
  return view.callId;
}

/** Drains, moving the clock to each wake-up the sender asks for (backoff, the endpoint's hold), until nothing waits. */
async function drainUntilEmpty(limit = 50) {
  for (let i = 0; i < limit && (await db.outbox.where('nextAttemptAt').below(OUTBOX_PARKED).count()) > 0; i++) {
    await drain();
    const next = await db.outbox.orderBy('nextAttemptAt').first();
    const hold = ((await db.meta.get('syncState'))?.value as { holdUntil?: number | null } | undefined)?.holdUntil ?? 0;
    if (next && next.nextAttemptAt !== OUTBOX_PARKED) now = Math.max(now, next.nextAttemptAt, hold);
  }
}

// ---- tests --------------------------------------------------------------------------------------------

describe('off by default', () => {
  it('with the default policy nothing is queued, nothing is sent, no wake-up is scheduled', async () => {
    endpoint = null;
    await writeEverything();
    expect(await db.outbox.count()).toBe(0);
    expect(await drain()).toEqual({ state: 'off', delivered: 0, parked: 0 });
    expect(server.received).toEqual([]);
    expect(scheduled).toEqual([null]);
    expect(await syncStatus(services(), async () => true)).toMatchObject({ configured: false, origin: null, permission: false, pending: 0 });
  });

  it('without the host permission, records wait and nothing is sent ("waiting for permission")', async () => {
    permitted = false;
    await raiseConcern('Waiting for permission');
    expect(await drain()).toMatchObject({ state: 'waiting-for-permission', delivered: 0 });
    expect(server.received).toEqual([]);
    const status = await syncStatus(services(), async () => false);
    expect(status).toMatchObject({ configured: true, origin: new URL(server.url).origin, permissionPattern: 'http://127.0.0.1/*', permission: false, pending: 1 });
    // The path may hold the endpoint's secret: the status never shows it.
    expect(JSON.stringify(status)).not.toContain('candor-Zx81');
    permitted = true;
    expect(await drain()).toMatchObject({ state: 'idle', delivered: 1 });
  });
});

describe('delivery against a real server', () => {
  it('(a) a 500 is retried after the backoff, then delivered once', async () => {
    server.script = [{ status: 500, body: 'database is down' }];
    await raiseConcern('First');
    expect(await drain()).toMatchObject({ state: 'failing', delivered: 0 });
    const [row] = await db.outbox.toArray();
    expect(row).toMatchObject({ attempts: 1, nextAttemptAt: T0 + backoffDelay(1, () => 0.5), lastError: 'the endpoint answered HTTP 500: database is down' });
    expect(scheduled.at(-1)).toBe(row!.nextAttemptAt);

    // Before the backoff has passed, nothing is sent.
    now = row!.nextAttemptAt - 1;
    await drain();
    expect(server.received).toHaveLength(1);

    now = row!.nextAttemptAt;
    expect(await drain()).toMatchObject({ state: 'idle', delivered: 1 });
    expect(await db.outbox.count()).toBe(0);
    expect(server.accepted.size).toBe(1);
    expect(server.received.map((r) => r.key)).toEqual([row!.id, row!.id]);
    expect(scheduled.at(-1)).toBeNull();
    expect(await syncStatus(services(), async () => true)).toMatchObject({ pending: 0, parked: 0, lastSuccessAt: now, lastError: null });
  });

  it('(b) an endpoint that never answers times out, and the item is retried later', async () => {
    server.script = ['hang'];
    await raiseConcern('Slow endpoint');
    const started = Date.now();
    expect(await drain(300)).toMatchObject({ state: 'failing' });
    expect(Date.now() - started).toBeLessThan(5_000);
    const [row] = await db.outbox.toArray();
    expect(row!.lastError).toBe('the endpoint did not answer within 0.3 s');
    now = row!.nextAttemptAt;
    expect(await drain()).toMatchObject({ delivered: 1 });
    expect(server.accepted.size).toBe(1);
  });

  it('(c) a lost answer (processed, then the connection dropped) is re-sent with the same key and stored once', async () => {
    server.script = ['drop', 'ok', 'drop', { status: 503 }, 'drop'];
    await writeEverything();
    const queued = (await db.outbox.toArray()).map((r) => r.id).sort();
    expect(queued.length).toBeGreaterThanOrEqual(6);
    await drainUntilEmpty();
    expect(await db.outbox.count()).toBe(0);
    // Every record accepted exactly once, although four sends failed (three lost answers, one 503):
    // four extra sends in all (the endpoint's hold decides which record goes first after each).
    expect([...server.accepted.keys()].sort()).toEqual(queued);
    const sends = new Map<string, number>();
    for (const r of server.received) sends.set(r.key!, (sends.get(r.key!) ?? 0) + 1);
    expect([...sends.values()].reduce((a, b) => a + b, 0)).toBe(queued.length + 4);
    // The header and the body carry the same key, and a retry sends the same body.
    for (const r of server.received) {
      expect(r.body.id).toBe(r.key);
      expect(r.body).toEqual(server.accepted.get(r.key!));
    }
  });

  it('(d) nothing is lost across a worker restart: a new service on the same database sends what waits', async () => {
    server.script = [{ status: 502 }];
    await writeEverything();
    const queued = await db.outbox.count();
    await drain();
    db.close();

    // "Restart": a new database connection, a new syncer, the clock past the backoff.
    const reopened = new CandorDB(dbName);
    now += BACKOFF.capMs;
    const syncer = createSyncer(services(reopened), deps());
    await Promise.all([syncer.kick(), syncer.kick(), syncer.kick()]); // folded into one drain
    expect(await reopened.outbox.count()).toBe(0);
    expect(server.accepted.size).toBe(queued);
    expect(server.received).toHaveLength(queued + 1);
    reopened.close();
    db = new CandorDB(dbName); // for afterEach
  });

  it('(e) only consent records, purge receipts, access log and concerns are sent: never notes, tags or checklists', async () => {
    await writeEverything();
    await drainUntilEmpty();
    const bodies = server.received.map((r) => r.body);
    expect(new Set(bodies.map((b) => b.kind))).toEqual(new Set(['consent', 'purge-receipt', 'access-log', 'concern']));
    const everything = JSON.stringify(bodies);
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
    for (const b of bodies) {
      const parsed = syncBodySchema.safeParse(b);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    }
    // Consent records are the ledger's, with its chain: asked, agreed.
    const consent = bodies.filter((b) => b.kind === 'consent').map((b) => b.record as { seq: number; entry: { type: string; rep: string } });
    expect(consent.map((c) => [c.seq, c.entry.type])).toEqual([[1, 'asked'], [2, 'agreed']]);
    expect(await db.ledger.count()).toBe(2);
    // The anonymous concern has no rep id and no call; the other one has both.
    const concerns = bodies.filter((b) => b.kind === 'concern') as { rep: string | null; record: { anonymous: boolean; callId?: string } }[];
    const anonymous = concerns.find((c) => c.record.anonymous)!;
    const named = concerns.find((c) => !c.record.anonymous)!;
    expect(anonymous.rep).toBeNull();
    expect(anonymous.record.callId).toBeUndefined();
    expect(named.rep).toBe(consent[0]!.entry.rep);
    expect(named.record.callId).toBeDefined();
    expect(bodies.find((b) => b.kind === 'purge-receipt')!.record).toMatchObject({ kind: 'accessLog', count: 1 });
    // Requests carry JSON and no cookies.
    for (const r of server.received) expect([r.contentType, r.cookie]).toEqual(['application/json', undefined]);
  });

  it('(f) a 400 parks the item with a readable reason; the others still go; "retry now" sends it again', async () => {
    server.script = [{ status: 400, body: 'unknown field "record.category"\n' }];
    const first = await raiseConcern('Refused');
    now += 1;
    await raiseConcern('Accepted');
    expect(await drain()).toMatchObject({ state: 'idle', delivered: 1, parked: 1 });
    const parked = (await db.outbox.toArray())[0]!;
    expect((parked.payload.record as { id: string }).id).toBe(first.id);
    expect(parked).toMatchObject({ nextAttemptAt: OUTBOX_PARKED, attempts: 1, lastError: 'the endpoint answered HTTP 400: unknown field "record.category"' });
    expect(scheduled.at(-1)).toBeNull(); // a parked item wakes nobody
    expect(await syncStatus(services(), async () => true)).toMatchObject({ pending: 0, parked: 1, parkedError: parked.lastError });

    now += 5 * DAY;
    await drain();
    expect(server.received).toHaveLength(2); // parked: not retried by itself
    expect(ok(await send({ type: 'sync/retry' }))).toEqual({ requeued: 1 });
    expect(await drain()).toMatchObject({ delivered: 1 });
    expect(server.accepted.size).toBe(2);
  });

  it('429 waits at least Retry-After; a redirect is refused, not followed', async () => {
    server.script = [{ status: 429, headers: { 'retry-after': '3600' } }];
    await raiseConcern('Rate limited');
    await drain();
    expect((await db.outbox.toArray())[0]!.nextAttemptAt).toBe(T0 + 3_600_000);

    server.script = [{ status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } }];
    now = T0 + 3_600_000;
    await drain();
    expect((await db.outbox.toArray())[0]).toMatchObject({ nextAttemptAt: OUTBOX_PARKED, lastError: expect.stringMatching(/redirect \(HTTP 302\).*does not follow redirects/) });
  });

  it('Retry-After holds the whole endpoint: records written meanwhile are not sent before it ends', async () => {
    server.script = [{ status: 429, headers: { 'retry-after': '7200' } }];
    await raiseConcern('First');
    await drain();
    expect(server.received).toHaveLength(1);
    // New records are written (each kicks the sender) 45 s, 10 min and 1 h later: nothing goes out.
    for (const later of [45_000, 600_000, 3_600_000]) {
      now = T0 + later;
      await raiseConcern(`Later ${later}`);
      expect(await drain()).toMatchObject({ state: 'failing', delivered: 0 });
    }
    expect(server.received).toHaveLength(1);
    // When the hold ends, everything waiting goes out.
    now = T0 + 7_200_000;
    await drainUntilEmpty();
    expect(server.accepted.size).toBe(4);
  });

  it('reads at most a few kilobytes of a refusal, however big, and stays answerable meanwhile', async () => {
    // 64 MB of error page, streamed: the sender keeps a 200-character reason and drops the connection.
    server.script = [{ status: 400, body: 'Bad request: '.padEnd(64 * 1024 * 1024, 'x') }];
    await raiseConcern('Huge refusal');
    const started = performance.now();
    await drain();
    expect(performance.now() - started).toBeLessThan(10_000);
    const [row] = await db.outbox.toArray();
    expect(row).toMatchObject({ nextAttemptAt: OUTBOX_PARKED });
    expect(row!.lastError!.length).toBeLessThan(260);
    expect(row!.lastError).toMatch(/^the endpoint answered HTTP 400: Bad request: x+$/);
  });

  it('a concern status change is sent again under a new key; receivers keep the latest updatedAt', async () => {
    const { id } = await raiseConcern('Status changes');
    now += 60_000;
    ok(await send({ type: 'concern/status', id, status: 'resolved' }));
    await drainUntilEmpty();
    const records = server.received.map((r) => r.body.record as { id: string; status: string; updatedAt: string });
    expect(records.map((r) => [r.id, r.status])).toEqual([[id, 'open'], [id, 'resolved']]);
    expect(new Set(server.received.map((r) => r.key)).size).toBe(2);
  });

  it('the outbox follows retention: an unreachable endpoint does not keep a concern past its limit', async () => {
    await raiseConcern('Old concern');
    now = T0 + 731 * DAY; // concerns are kept 730 days by default
    await runRetention(services());
    expect((await db.outbox.toArray()).filter((r) => r.kind === 'concern')).toEqual([]);
  });
});

describe('pure parts', () => {
  it('backoff grows exponentially with equal jitter and is capped', () => {
    expect(backoffDelay(1, () => 0)).toBe(BACKOFF.baseMs / 2);
    expect(backoffDelay(1, () => 1)).toBe(BACKOFF.baseMs);
    expect(backoffDelay(4, () => 1)).toBe(BACKOFF.baseMs * 8);
    expect(backoffDelay(50, () => 1)).toBe(BACKOFF.capMs);
    expect(backoffDelay(50, () => 0)).toBe(BACKOFF.capMs / 2);
    expect(retryAfterMs('120', 0)).toBe(120_000);
    expect(retryAfterMs(new Date(60_000).toUTCString(), 0)).toBe(60_000);
    expect(retryAfterMs('soon', 0)).toBeNull();
    expect([200, 201, 204, 400, 401, 404, 408, 409, 413, 429, 500, 503].map(verdictFor)).toEqual(
      ['delivered', 'delivered', 'delivered', 'park', 'park', 'park', 'retry', 'retry', 'park', 'retry', 'retry', 'retry'],
    );
  });

  it('the wake-up alarm has one name, used by the worker', () => {
    expect(SYNC_ALARM).toBe('candor-sync');
  });

  it('docs/sync-payload.schema.json is the JSON Schema generated from the payload schema (regenerate on drift)', () => {
    const file = resolve(import.meta.dirname, '../../docs/sync-payload.schema.json');
    // To regenerate after a deliberate payload change: CANDOR_WRITE_SYNC_SCHEMA=1 npx vitest run --project unit tests/unit/sync.test.ts
    if (process.env.CANDOR_WRITE_SYNC_SCHEMA) writeFileSync(file, `${JSON.stringify(syncJsonSchema(), null, 2)}\n`);
    const committed = JSON.parse(readFileSync(file, 'utf8'));
    expect(committed).toEqual(syncJsonSchema());
  });
});
