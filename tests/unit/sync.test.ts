// @vitest-environment node
// (Node's own fetch against a real HTTP server: the DOM environment would replace fetch.)
/**
 * Org sync's sender against a real local HTTP server (node:http on 127.0.0.1, a random port) that
 * speaks the organisation service's batch API (docs/org.md) and can, on command, fail, time out,
 * drop the connection after processing (so the client retries what was already received), refuse
 * an item, answer with something unreadable, revoke the token, rate-limit and redirect: the failure
 * modes the real service (tests/unit/org-service.test.ts) cannot be asked for. Real fetch, real
 * Dexie (fake-indexeddb), the real writers; time moves only through the injected clock.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createLedgerWriter, repId } from '../../lib/background/ledger';
import { permissionPattern } from '../../lib/background/org-http';
import { runRetention } from '../../lib/background/retention';
import type { SenderInfo, Services } from '../../lib/background/services';
import { createSyncer, drainOutbox, syncStatus, SYNC_ALARM, type SyncDeps } from '../../lib/background/sync';
import { CandorDB } from '../../lib/db';
import { routeMessage } from '../../lib/background/router';
import { routeAsInBrowser } from './support/senders';
import type { RequestType } from '../../lib/protocol/requests';
import type { CallView, Reply } from '../../lib/protocol/replies';
import { resolvePolicy } from '../../lib/policy/resolve';
import { backoffDelay, BACKOFF, retryAfterMs, verdictFor } from '../../lib/sync/backoff';
import { syncBodySchema, syncJsonSchema } from '../../lib/sync/payload';
import { batchReplySchema, parseReply } from '../../lib/sync/service';
import { OUTBOX_PARKED } from '../../lib/model';

const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const DAY = 24 * 3_600_000;
const MEET = 'https://meet.google.com/abc-defg-hij';
const tab: SenderInfo = { tabId: 1, url: MEET, extensionPage: false };
const page: SenderInfo = { url: 'chrome-extension://test-extension-id/options.html', extensionPage: true };
/** Words that exist only in the rep's notes, tags and checklist: they must never reach the server. */
const SECRETS = ['NOTE-SECRET-7f3a', 'TAG-SECRET-91bc', 'CHECKLIST-SECRET-44de'];
const TOKEN = 'install-token-0123456789abcdef';
const ANON = 'anonymous-key-0123456789abcdef';

// ---- the test server: the batch API, scriptable -------------------------------------------------------

type Behaviour = 'ok' | 'hang' | 'drop' | 'garbage' | 'mismatch' | { status: number; body?: string; headers?: Record<string, string> } | { refuse: (body: Record<string, unknown>) => string | null };
interface Received {
  path: string;
  auth: string | undefined;
  items: Record<string, unknown>[];
  bytes: number;
  contentType: string | undefined;
  cookie: string | undefined;
}

/** Stores each envelope id once, like the service: a known id is answered as a duplicate and not stored again. */
class TestServer {
  script: Behaviour[] = [];
  received: Received[] = [];
  accepted = new Map<string, Record<string, unknown>>();
  private server!: Server;
  url = '';

  async start() {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/candor`;
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
    const raw = Buffer.concat(chunks);
    const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    const path = new URL(req.url!, 'http://x').pathname;
    const batch = path === '/candor/api/v1/ingest/batch';
    const items = batch ? (body.items as Record<string, unknown>[]) : [body];
    this.received.push({ path, auth: req.headers.authorization, items, bytes: raw.byteLength, contentType: req.headers['content-type'], cookie: req.headers.cookie });
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (req.headers.authorization !== `Bearer ${batch ? TOKEN : ANON}`) return json(401, { error: 'This install token is not known or was revoked; enroll the extension again.', code: 'bad-token' });
    const behaviour = this.script.shift() ?? 'ok';
    if (behaviour === 'hang') return; // never answers
    if (behaviour === 'garbage') return void res.end('<html>proxy error</html>');
    if (behaviour === 'mismatch') return json(200, { results: items.map(() => ({ id: crypto.randomUUID(), stored: true, duplicate: false })), chain: null });
    if (typeof behaviour === 'object' && 'status' in behaviour) {
      res.writeHead(behaviour.status, { 'content-type': 'text/plain', ...behaviour.headers });
      return void res.end(behaviour.body ?? '');
    }
    // 'ok', 'drop' and a refusal process the items; 'drop' then loses the answer (the connection dies).
    const results = items.map((item) => {
      const id = item.id as string;
      const refused = typeof behaviour === 'object' ? behaviour.refuse(item) : null;
      if (refused) return { id, error: refused, code: 'invalid' };
      const duplicate = this.accepted.has(id);
      if (!duplicate) this.accepted.set(id, item);
      return { id, stored: !duplicate, duplicate };
    });
    if (behaviour === 'drop') return void req.socket.destroy();
    json(200, batch ? { results, chain: null } : { stored: results[0]!.stored ?? false, duplicate: results[0]!.duplicate ?? false });
  }
}

const server = new TestServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

// ---- services ----------------------------------------------------------------------------------------

let dbName: string;
let db: CandorDB;
let now: number;
let service: string | null;
let permitted: boolean;
let scheduled: (number | null)[];
let limits: { maxBodyBytes: number; maxRecordsPerMinute: number };

function services(database = db): Services {
  return {
    db: database,
    now: () => now,
    // Through the real resolver: the loopback service passes the policy schema's documented allowance.
    policy: async () => resolvePolicy(service === null ? undefined : { orgSync: { service } }, undefined),
    uiLanguage: () => 'en-US',
    net: { fetch: globalThis.fetch, hasPermission: async (pattern) => permitted && pattern === permissionPattern(service!) },
  };
}
/** A generous timeout, so a loaded machine does not turn a slow answer into a retry; (b) uses a short one. */
const deps = (timeoutMs = 5_000): SyncDeps => ({
  fetch: globalThis.fetch,
  hasPermission: async (pattern) => permitted && pattern === permissionPattern(service!),
  schedule: (at) => void scheduled.push(at),
  timeoutMs,
  random: () => 0.5,
});

/** What enrolling stores (tests/unit/org-service.test.ts enrolls for real). */
async function enrolled(database = db) {
  await database.org.put({
    key: 'enrollment', service: server.url, token: TOKEN, installId: await repId(services(database)), team: 'default', anonymousKey: ANON,
    witnessKeys: [], limits, enrolledAt: T0,
  });
}

beforeEach(async () => {
  server.reset();
  dbName = `sync-${crypto.randomUUID()}`;
  db = new CandorDB(dbName);
  now = T0;
  service = server.url;
  permitted = true;
  scheduled = [];
  limits = { maxBodyBytes: 1_048_576, maxRecordsPerMinute: 10_000 };
  vi.spyOn(fakeBrowser.runtime, 'getManifest').mockReturnValue({ manifest_version: 3, name: 'Candor', version: '1.4.0' });
  await enrolled();
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
const sentIds = () => server.received.flatMap((r) => r.items.map((i) => i.id as string));

async function raiseConcern(text: string, extra: Record<string, unknown> = {}) {
  return ok(await send({ type: 'concern/raise', eventId: crypto.randomUUID(), category: 'privacy-concern', text, anonymous: false, ...extra })) as { id: string };
}

/**
 * Every kind of record, written by the real code paths: a call with consent (→ ledger), the rep's
 * note, tag and completed checklist (→ the call's summary, counts only), concerns (one anonymous),
 * an export (→ access log), and a retention purge (→ receipt).
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
  ok(await routeMessage(s, { type: 'call/observed', eventId: crypto.randomUUID(), at: now, phase: 'left', url: MEET, signals: [] }, tab));
  ok(await send({
    type: 'checklist/save', callId: view.callId, complete: true,
    fields: {
      qualification: SECRETS[2]!, nextSteps: [{ text: 'Send pricing', owner: 'me', due: '2026-03-09' }], timeline: 'Q2', risks: 'budget', competition: 'none',
      humanNuance: 'cautious', powerDynamics: '', hesitation: '', emotion: '', urgency: '', subtleObjections: '',
    },
  }));
  await raiseConcern('Recording felt pushy on this call', { callId: view.callId });
  await raiseConcern('My manager scores me on recordings', { anonymous: true, category: 'coaching-misuse', callId: view.callId });
  ok(await send({ type: 'export/request', what: 'calls-csv', purpose: 'coaching' }));
  await db.accessLog.add({ id: crypto.randomUUID(), at: T0 - 2_000 * DAY, purpose: 'coaching', action: 'calls-csv', callCount: 1 });
  await runRetention(s);
  return view.callId;
}

/** Drains, moving the clock to each wake-up the sender asks for (backoff, the service's hold), until nothing waits. */
async function drainUntilEmpty(limit = 50) {
  for (let i = 0; i < limit && (await db.outbox.where('nextAttemptAt').below(OUTBOX_PARKED).count()) > 0; i++) {
    await drain();
    const next = await db.outbox.orderBy('nextAttemptAt').first();
    const hold = ((await db.meta.get('syncState'))?.value as { holdUntil?: number | null } | undefined)?.holdUntil ?? 0;
    if (next && next.nextAttemptAt !== OUTBOX_PARKED) now = Math.max(now, next.nextAttemptAt, hold);
  }
}

// ---- tests --------------------------------------------------------------------------------------------

describe('off by default, and nothing before enrollment', () => {
  it('with the default policy nothing is queued, nothing is sent, no wake-up is scheduled', async () => {
    service = null;
    await writeEverything();
    expect(await db.outbox.count()).toBe(0);
    expect(await drain()).toEqual({ state: 'off', delivered: 0, parked: 0 });
    expect(server.received).toEqual([]);
    expect(scheduled).toEqual([null]);
    expect(await syncStatus(services(), async () => true)).toMatchObject({ configured: false, origin: null, permission: false, pending: 0 });
  });

  it('a service named but not enrolled: records wait in the outbox and nothing is sent', async () => {
    await db.org.clear();
    await raiseConcern('Before enrollment');
    expect(await drain()).toMatchObject({ state: 'not-enrolled', delivered: 0 });
    expect(server.received).toEqual([]);
    expect(await syncStatus(services(), async () => true)).toMatchObject({ configured: true, enrolled: false, pending: 1 });
  });

  it('without the host permission, records wait and nothing is sent ("waiting for permission")', async () => {
    permitted = false;
    await raiseConcern('Waiting for permission');
    expect(await drain()).toMatchObject({ state: 'waiting-for-permission', delivered: 0 });
    expect(server.received).toEqual([]);
    const status = await syncStatus(services(), async () => false);
    expect(status).toMatchObject({ configured: true, origin: new URL(server.url).origin, permissionPattern: 'http://127.0.0.1/*', permission: false, enrolled: true, pending: 1 });
    expect(JSON.stringify(status)).not.toContain(TOKEN);
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
    expect(row).toMatchObject({ attempts: 1, nextAttemptAt: T0 + backoffDelay(1, () => 0.5), lastError: 'the organisation service answered HTTP 500: database is down' });
    expect(scheduled.at(-1)).toBe(row!.nextAttemptAt);

    now = row!.nextAttemptAt - 1;
    await drain();
    expect(server.received).toHaveLength(1); // before the backoff has passed, nothing is sent

    now = row!.nextAttemptAt;
    expect(await drain()).toMatchObject({ state: 'idle', delivered: 1 });
    expect(await db.outbox.count()).toBe(0);
    expect(server.accepted.size).toBe(1);
    expect(sentIds()).toEqual([row!.id, row!.id]);
    expect(scheduled.at(-1)).toBeNull();
    expect(await syncStatus(services(), async () => true)).toMatchObject({ pending: 0, parked: 0, lastSuccessAt: now, lastError: null });
  });

  it('(b) a service that never answers times out, and the records are retried later', async () => {
    server.script = ['hang'];
    await raiseConcern('Slow service');
    const started = Date.now();
    expect(await drain(300)).toMatchObject({ state: 'failing' });
    expect(Date.now() - started).toBeLessThan(5_000);
    const [row] = await db.outbox.toArray();
    expect(row!.lastError).toBe('the organisation service did not answer within 0.3 s');
    now = row!.nextAttemptAt;
    expect(await drain()).toMatchObject({ delivered: 1 });
    expect(server.accepted.size).toBe(1);
  });

  it('(c) a lost answer (processed, then the connection dropped) is re-sent with the same ids and stored once', async () => {
    server.script = ['drop', 'ok', 'drop', { status: 503 }, 'drop'];
    await writeEverything();
    const queued = (await db.outbox.toArray()).map((r) => r.id).sort();
    expect(queued.length).toBeGreaterThanOrEqual(7);
    await drainUntilEmpty();
    expect(await db.outbox.count()).toBe(0);
    expect([...server.accepted.keys()].sort()).toEqual(queued);
    // A retry sends the same body under the same id.
    for (const r of server.received) for (const item of r.items) expect(item).toEqual(server.accepted.get(item.id as string));
  });

  it('(d) nothing is lost across a worker restart: a new service on the same database sends what waits', async () => {
    server.script = [{ status: 502 }];
    await writeEverything();
    const queued = await db.outbox.count();
    await drain();
    db.close();

    const reopened = new CandorDB(dbName);
    now += BACKOFF.capMs;
    const syncer = createSyncer(services(reopened), deps());
    await Promise.all([syncer.kick(), syncer.kick(), syncer.kick()]); // folded into one drain
    expect(await reopened.outbox.count()).toBe(0);
    expect(server.accepted.size).toBe(queued);
    reopened.close();
    db = new CandorDB(dbName); // for afterEach
  });

  it('(e) governance records go in batches with the token; anonymous concerns alone, with the anonymous key; never notes, tags or checklists', async () => {
    await writeEverything();
    await drainUntilEmpty();
    const batches = server.received.filter((r) => r.path.endsWith('/ingest/batch'));
    const anonymous = server.received.filter((r) => r.path.endsWith('/concerns/anonymous'));
    expect(batches.length).toBeGreaterThan(0);
    for (const b of batches) expect([b.auth, b.items.length <= 100]).toEqual([`Bearer ${TOKEN}`, true]);
    expect(anonymous).toHaveLength(1);
    expect(anonymous[0]!.auth).toBe(`Bearer ${ANON}`);
    expect(anonymous[0]!.items[0]).toMatchObject({ rep: null, kind: 'concern', record: { anonymous: true } });
    expect((anonymous[0]!.items[0]!.record as { callId?: string }).callId).toBeUndefined();

    const bodies = server.received.flatMap((r) => r.items);
    expect(new Set(bodies.map((b) => b.kind))).toEqual(new Set(['consent', 'purge-receipt', 'access-log', 'concern', 'call-summary']));
    const everything = JSON.stringify(bodies);
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
    for (const b of bodies) {
      const parsed = syncBodySchema.safeParse(b);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    }
    const consent = bodies.filter((b) => b.kind === 'consent').map((b) => b.record as { seq: number; entry: { type: string; rep: string } });
    expect(consent.map((c) => [c.seq, c.entry.type])).toEqual([[1, 'asked'], [2, 'agreed']]);
    const named = bodies.find((b) => b.kind === 'concern' && !(b.record as { anonymous: boolean }).anonymous)!;
    expect(named.rep).toBe(consent[0]!.entry.rep);
    expect(bodies.find((b) => b.kind === 'call-summary')!.record).toMatchObject({ checklist: 'completed', humanNuanceFilled: true, aiStatements: 0, category: 'customer' });
    for (const r of server.received) expect([r.contentType, r.cookie]).toEqual(['application/json', undefined]);
  });

  it('(f) a record the service refuses is parked with its sentence; the others are delivered; "retry now" sends it again', async () => {
    server.script = [{ refuse: (b) => ((b.record as { text?: string }).text === 'Refused' ? 'This record is not a valid candor-sync/1 body (record.text: too long).' : null) }];
    const first = await raiseConcern('Refused');
    now += 1;
    await raiseConcern('Accepted');
    expect(await drain()).toMatchObject({ state: 'idle', delivered: 1, parked: 1 });
    const parked = (await db.outbox.toArray())[0]!;
    expect((parked.payload.record as { id: string }).id).toBe(first.id);
    expect(parked).toMatchObject({
      nextAttemptAt: OUTBOX_PARKED, attempts: 1,
      lastError: `${new URL(server.url).origin} refused this record: This record is not a valid candor-sync/1 body (record.text: too long). (invalid)`,
    });
    expect(scheduled.at(-1)).toBeNull(); // a parked item wakes nobody
    expect(await syncStatus(services(), async () => true)).toMatchObject({ pending: 0, parked: 1, parkedError: parked.lastError });
    now += 5 * DAY;
    await drain();
    expect(server.received).toHaveLength(1); // parked: not retried by itself
    expect(ok(await send({ type: 'sync/retry' }))).toEqual({ requeued: 1 });
    expect(await drain()).toMatchObject({ delivered: 1 });
    expect(server.accepted.size).toBe(2);
  });

  it.each([401, 403, 410])('%i for a whole request: the install was revoked; sending stops, nothing is lost, enrolling again resumes', async (status) => {
    server.script = [{ status, body: JSON.stringify({ error: 'This install token is not known or was revoked; enroll the extension again.', code: 'bad-token' }) }];
    await raiseConcern('While revoked');
    expect(await drain()).toMatchObject({ state: 'revoked', delivered: 0 });
    expect(await db.outbox.count()).toBe(1);
    expect((await db.org.get('enrollment'))!.revoked!.message).toBe("This install's access was revoked; enroll again. (This install token is not known or was revoked; enroll the extension again.)");
    expect(scheduled.at(-1)).toBeNull();
    now += DAY;
    expect(await drain()).toMatchObject({ state: 'revoked' });
    expect(server.received).toHaveLength(1);
    expect(ok(await send({ type: 'org/status' }))).toMatchObject({ enrolled: null, revoked: expect.stringMatching(/^This install's access was revoked; enroll again\./) });
    await enrolled(); // what enrolling again stores
    expect(await drain()).toMatchObject({ state: 'idle', delivered: 1 });
  });

  it('an answer Candor cannot read keeps every record queued, says so, and is retried', async () => {
    for (const behaviour of ['garbage', 'mismatch'] as const) {
      server.reset();
      server.script = [behaviour];
      await raiseConcern(`Unreadable ${behaviour}`);
      const queued = await db.outbox.count();
      expect(await drain()).toMatchObject({ state: 'failing', delivered: 0 });
      expect(await db.outbox.count()).toBe(queued);
      const state = (await db.meta.get('syncState'))!.value as { lastError: string };
      expect(state.lastError).toMatch(behaviour === 'garbage'
        ? /^The organisation service answered with something that is not JSON; the records stay queued and are sent again later$/
        : /^The organisation service answered for other records than the ones sent; the records stay queued/);
      await drainUntilEmpty();
      expect(await db.outbox.count()).toBe(0);
    }
  });

  it('413 for a batch sends fewer at a time; a single record too large for the limit is parked with the limit stated', async () => {
    for (let i = 0; i < 8; i++) await raiseConcern(`Concern ${i}`);
    server.script = [{ status: 413, body: '{"error":"This request is larger than 1048576 bytes.","code":"too-large"}' }];
    await drainUntilEmpty();
    expect(await db.outbox.count()).toBe(0);
    expect(server.received.map((r) => r.items.length)).toEqual([8, 4, 4]);

    limits = { maxBodyBytes: 2_000, maxRecordsPerMinute: 10_000 };
    await enrolled();
    await raiseConcern('x'.repeat(3_000));
    await drain();
    expect((await db.outbox.toArray())[0]).toMatchObject({ nextAttemptAt: OUTBOX_PARKED, lastError: expect.stringMatching(/^This record is larger than the organisation service accepts \(\d[\d,]* bytes; at most 2,000\)$/) });
  });

  it('respects the install\'s limits: bodies under maxBodyBytes, at most maxRecordsPerMinute a minute', async () => {
    limits = { maxBodyBytes: 4_000, maxRecordsPerMinute: 30 };
    await enrolled();
    for (let i = 0; i < 70; i++) await raiseConcern(`Concern number ${i} ${'·'.repeat(50)}`);
    expect(await drain()).toMatchObject({ state: 'idle', delivered: 30 });
    expect(Math.max(...server.received.map((r) => r.bytes))).toBeLessThanOrEqual(4_000);
    const hold = ((await db.meta.get('syncState'))!.value as { holdUntil: number }).holdUntil;
    expect(hold).toBe(T0 + 60_000);
    expect(scheduled.at(-1)).toBe(T0 + 60_000);
    now = T0 + 30_000;
    expect(await drain()).toMatchObject({ state: 'failing', delivered: 0 });
    now = T0 + 60_000;
    expect(await drain()).toMatchObject({ delivered: 30 });
    now = T0 + 120_000;
    expect(await drain()).toMatchObject({ delivered: 10 });
    expect(server.accepted.size).toBe(70);
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

  it('Retry-After holds the whole service: records written meanwhile are not sent before it ends', async () => {
    server.script = [{ status: 429, headers: { 'retry-after': '7200' } }];
    await raiseConcern('First');
    await drain();
    expect(server.received).toHaveLength(1);
    for (const later of [45_000, 600_000, 3_600_000]) {
      now = T0 + later;
      await raiseConcern(`Later ${later}`);
      expect(await drain()).toMatchObject({ state: 'failing', delivered: 0 });
    }
    expect(server.received).toHaveLength(1);
    now = T0 + 7_200_000;
    await drainUntilEmpty();
    expect(server.accepted.size).toBe(4);
  });

  it('reads at most a few kilobytes of a refusal, however big', async () => {
    server.script = [{ status: 400, body: 'Bad request: '.padEnd(64 * 1024 * 1024, 'x') }];
    await raiseConcern('Huge refusal');
    const started = performance.now();
    await drain();
    expect(performance.now() - started).toBeLessThan(10_000);
    const [row] = await db.outbox.toArray();
    expect(row).toMatchObject({ nextAttemptAt: OUTBOX_PARKED });
    expect(row!.lastError!.length).toBeLessThan(320);
    expect(row!.lastError).toMatch(/refused the records: the organisation service answered HTTP 400: Bad request: x+$/);
  });

  it('a concern status change is sent again under a new id; the service keeps the latest updatedAt', async () => {
    const { id } = await raiseConcern('Status changes');
    now += 60_000;
    ok(await send({ type: 'concern/status', id, status: 'resolved' }));
    await drainUntilEmpty();
    const records = server.received.flatMap((r) => r.items).map((b) => b.record as { id: string; status: string });
    expect(records.map((r) => [r.id, r.status])).toEqual([[id, 'open'], [id, 'resolved']]);
    expect(new Set(sentIds()).size).toBe(2);
  });

  it('the outbox follows retention: an unreachable service does not keep a concern past its limit', async () => {
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

  it('a batch reply is parsed before anything is stored: a bad one is a sentence, never a partial result', () => {
    expect(parseReply(batchReplySchema, '{"results":[{"id":"a","stored":true,"duplicate":false}],"chain":null}')).toMatchObject({ ok: true });
    expect(parseReply(batchReplySchema, 'Service Unavailable')).toEqual({ ok: false, error: 'The organisation service answered with something that is not JSON' });
    const wrong = parseReply(batchReplySchema, '{"results":[{"id":"a","stored":"yes"}],"checkpoint":{"seq":1}}');
    expect(wrong.ok).toBe(false);
    expect((wrong as { error: string }).error).toMatch(/^The organisation service answered in a form Candor does not understand \(/);
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
