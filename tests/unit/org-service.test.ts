// @vitest-environment node
// (Node's own fetch against the real service: the DOM environment would replace fetch.)
/**
 * The extension's side of the organisation service against the real thing: server/ started
 * in-process on PGlite (startTestServer), reached over HTTP with Node's fetch; the extension's real
 * router, writers, sender and checks over a real Dexie (fake-indexeddb). Console actions (triage,
 * approvals, revocation) go through the console's own HTTP API, signed in as the admin.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { backupJson } from '../../lib/background/exports';
import { createLedgerWriter, repId, verifyLedger } from '../../lib/background/ledger';
import { routeMessage } from '../../lib/background/router';
import type { SenderInfo, Services } from '../../lib/background/services';
import { drainOutbox, type SyncDeps } from '../../lib/background/sync';
import { CandorDB } from '../../lib/db';
import { appendRecord } from '../../lib/ledger/chain';
import type { ChainEntry } from '../../lib/ledger/entry';
import { resolvePolicy } from '../../lib/policy/resolve';
import type { RequestType } from '../../lib/protocol/requests';
import type { CallView, OrgView, Reply } from '../../lib/protocol/replies';
import { OUTBOX_PARKED, type CallEvent } from '../../lib/model';
import { startTestServer, type TestServer } from '../../server/testing';
import { consoleLogin } from '../../server/tests/support';
import { routeAsInBrowser } from './support/senders';

const MEET = 'https://meet.google.com/abc-defg-hij';
const tab: SenderInfo = { tabId: 1, url: MEET, extensionPage: false };
const page: SenderInfo = { url: 'chrome-extension://test-extension-id/options.html', extensionPage: true };
const CALL_ID = '11111111-2222-4333-8444-555555555555';

let srv: TestServer;
let admin: Awaited<ReturnType<typeof consoleLogin>>;
let db: CandorDB;
let now: number;
let managedKey: string | null;
let fetched: { url: string; items: number; bytes: number; auth: string | null }[];

const net = {
  fetch: ((input, init) => {
    const body = typeof init?.body === 'string' ? init.body : '';
    const items = (() => { try { return (JSON.parse(body) as { items?: unknown[] }).items?.length ?? 0; } catch { return 0; } })();
    fetched.push({ url: String(input), items, bytes: body.length, auth: new Headers(init?.headers).get('authorization') });
    return globalThis.fetch(input, init);
  }) as typeof fetch,
  hasPermission: async () => true,
};
function services(): Services {
  return {
    db, now: () => now, uiLanguage: () => 'en-US', net,
    policy: async () => resolvePolicy({ orgSync: { service: srv.url, ...(managedKey ? { enrollmentKey: managedKey } : {}) } }, undefined),
  };
}
const deps: SyncDeps = { ...net, schedule: () => undefined, timeoutMs: 20_000, random: () => 0.5 };
const send = (msg: unknown) => routeMessage(services(), msg, page);
function ok<T extends RequestType>(reply: Reply<T>) {
  if (!reply.ok) throw new Error(`expected ok, got: ${reply.error}`);
  return reply.data;
}
const sql = <T>(text: string, params: unknown[] = []) => srv.running.service.db.query<T & Record<string, unknown>>(text, params);

beforeAll(async () => {
  srv = await startTestServer({ db: 'pglite' });
  admin = await consoleLogin(srv.url, srv.adminLogin);
}, 120_000);
afterAll(async () => {
  await srv?.close();
});
beforeEach(async () => {
  db = new CandorDB(`org-${crypto.randomUUID()}`);
  now = Date.now();
  managedKey = srv.enrollmentKey;
  fetched = [];
  vi.spyOn(fakeBrowser.runtime, 'getManifest').mockReturnValue({ manifest_version: 3, name: 'Candor', version: '1.4.0' });
  await db.calls.add({ id: CALL_ID, platform: 'meet', meetingHash: 'ef'.repeat(32), status: 'active', tabIds: [1], detectedAt: now, admittedAt: now, detectedBy: ['meet-participant-tile'], updatedAt: now });
});

/** `n` consent events waiting for the ledger (as the lifecycle writes them), then appended by the real writer. */
async function consent(n: number) {
  const events: CallEvent[] = Array.from({ length: n }, (_, i) => ({
    id: crypto.randomUUID(), callId: CALL_ID, type: i % 2 ? 'decision' : 'prompt-shown', at: now - 60_000 + i, data: i % 2 ? { outcome: i % 4 === 3 ? 'declined' : 'agreed' } : {}, chain: 0,
  }));
  await db.events.bulkAdd(events);
  await createLedgerWriter(services()).flush();
}

async function drainAll() {
  for (let i = 0; i < 20 && (await db.outbox.where('nextAttemptAt').below(OUTBOX_PARKED).count()) > 0; i++) await drainOutbox(services(), deps);
}

describe('enrollment', () => {
  it('a wrong code is refused with the service\'s sentence and stores nothing; the managed key enrolls; the token is never shown or backed up', async () => {
    managedKey = null;
    const bad = await send({ type: 'org/enroll', code: 'ENR-NOPE' });
    expect(bad).toEqual({ ok: false, error: 'Enrollment did not work: This enrollment code is not valid.' });
    expect(await db.org.count()).toBe(0);
    expect(await send({ type: 'org/enroll' })).toEqual({ ok: false, error: 'Enter the enrollment code your administrator gave you.' });

    managedKey = srv.enrollmentKey;
    const view = ok(await send({ type: 'org/enroll' })) as OrgView;
    const installId = await repId(services());
    expect(view.enrolled).toMatchObject({ service: new URL(srv.url).origin, team: 'default', installId });
    expect(view.enrolled!.witnessKeys[0]).toMatchObject({ keyId: expect.stringMatching(/^[0-9a-f]{16}$/), retired: false });
    const stored = (await db.org.get('enrollment'))!;
    expect(stored.token.length).toBeGreaterThan(30);
    expect(JSON.stringify(view)).not.toContain(stored.token);
    expect(JSON.stringify(view)).not.toContain(stored.anonymousKey);
    const backup = await backupJson(services());
    expect(backup).not.toContain(stored.token);
    expect(backup).not.toContain(stored.anonymousKey);
    // The service knows the install by the extension's pseudonymous id.
    expect(await sql('SELECT team FROM installs WHERE install_id = $1', [installId])).toEqual([{ team: 'default' }]);

    // A code made in the console enrolls into its team; enrolling again replaces the token.
    const code = (await admin.post('/api/console/enrollment-codes', { team: 'emea', days: 1, maxUses: 1 })).json.code as string;
    managedKey = null;
    ok(await send({ type: 'org/enroll', code }));
    expect((await db.org.get('enrollment'))!).toMatchObject({ team: 'emea' });
    expect((await db.org.get('enrollment'))!.token).not.toBe(stored.token);
    expect(ok(await send({ type: 'org/leave' }))).toMatchObject({ enrolled: null });
    expect(await db.org.count()).toBe(0);
  });
});

describe('sync with the service', () => {
  beforeEach(async () => {
    ok(await send({ type: 'org/enroll' }));
  });

  it('sends the ledger in batches of at most 100; the service stores every record once and its signed checkpoint is verified, stored and checked', async () => {
    await consent(250);
    expect(await db.outbox.count()).toBe(250);
    const started = performance.now();
    await drainAll();
    const ms = performance.now() - started;
    console.log(`[measure] 250 consent records from the outbox to the service (PGlite, in-process): ${ms.toFixed(0)} ms, ${(250 / (ms / 1000)).toFixed(0)} records/s, ${fetched.filter((f) => f.url.endsWith('/ingest/batch')).length} requests`);
    expect(await db.outbox.count()).toBe(0);
    const batches = fetched.filter((f) => f.url.endsWith('/ingest/batch'));
    expect(batches.map((b) => b.items)).toEqual([100, 100, 50]);
    const rep = await repId(services());
    expect(await sql('SELECT count(*)::int AS n FROM consent_records WHERE install_id = $1', [rep])).toEqual([{ n: 250 }]);
    expect(await sql('SELECT verified_seq, flag FROM chains WHERE install_id = $1', [rep])).toEqual([{ verified_seq: 250, flag: null }]);

    const checkpoints = await db.witnessCheckpoints.orderBy('seq').toArray();
    expect(checkpoints.map((c) => c.seq)).toEqual([100, 200, 250]);
    const local = await db.ledger.orderBy('seq').toArray();
    for (const c of checkpoints) expect(c.hash).toBe(local[c.seq - 1]!.hash);
    const check = await verifyLedger(services());
    expect(check).toMatchObject({ intact: true, count: 250, witness: { checked: 3, latest: { seq: 250, service: new URL(srv.url).origin } } });
    expect(ok(await send({ type: 'org/checkpoint' }))).toMatchObject({ latestCheckpoint: { seq: 250 } });
  });

  it('a local ledger rewritten (every later hash recomputed) or cut short contradicts the witness: both checks say so', async () => {
    await consent(12);
    await drainAll();
    expect(await db.witnessCheckpoints.count()).toBe(1);
    const records = await db.ledger.orderBy('seq').toArray();
    // The forger turns entry 4 ("declined") into "agreed" and re-chains everything after it: the chain alone verifies.
    let prev = { seq: 3, hash: records[2]!.hash };
    for (const r of records.slice(3)) {
      const entry = (r.seq === 4 ? { ...r.entry, type: 'agreed', outcome: 'agreed' } : r.entry) as ChainEntry;
      const again = await appendRecord(prev, entry);
      await db.ledger.put({ ...again, at: r.at });
      prev = again;
    }
    for (const deep of [false, true]) {
      const check = await verifyLedger(services(), { deep });
      expect(check).toMatchObject({ intact: false, brokenAt: { index: 11, seq: 12, reason: expect.stringMatching(/^entry 12 does not match the checkpoint http:\/\/127\.0\.0\.1:\d+ witnessed on \d{4}-\d\d-\d\d .*the ledger was rewritten or rolled back$/) } });
    }
    await db.ledger.where('seq').above(10).delete();
    expect(await verifyLedger(services())).toMatchObject({ intact: false, brokenAt: { seq: null, reason: expect.stringMatching(/^the ledger ends at entry 10, but .* witnessed entry 12 on .* \(entries removed from the end\)$/) } });
  });

  it('a revoked install stops sending and says so; enrolling again resumes', async () => {
    const installId = await repId(services());
    expect((await admin.post(`/api/console/installs/${installId}`, { revoke: true })).status).toBe(200);
    await consent(2);
    expect(await drainOutbox(services(), deps)).toMatchObject({ state: 'revoked', delivered: 0 });
    expect(ok(await send({ type: 'org/status' }))).toMatchObject({ enrolled: null, revoked: expect.stringMatching(/^This install's access was revoked; enroll again\. \(This install token is not known or was revoked/) });
    expect(ok(await send({ type: 'sync/status' }))).toMatchObject({ enrolled: false, pending: 2 });
    ok(await send({ type: 'org/enroll' }));
    await drainAll();
    expect(await db.outbox.count()).toBe(0);
  });

  it('the console\'s triage reaches the concern records as the organisation\'s status; an anonymous concern is read with the anonymous key only', async () => {
    const named = ok(await send({ type: 'concern/raise', eventId: crypto.randomUUID(), category: 'privacy-concern', text: 'Recording felt pushy', anonymous: false, callId: CALL_ID })) as { id: string };
    const anon = ok(await send({ type: 'concern/raise', eventId: crypto.randomUUID(), category: 'coaching-misuse', text: 'Scored on recordings', anonymous: true })) as { id: string };
    await drainAll();
    expect(await sql('SELECT id, install_id FROM concerns ORDER BY anonymous')).toEqual(expect.arrayContaining([{ id: anon.id, install_id: null }]));
    for (const [id, status, reply] of [[named.id, 'acknowledged', 'Thanks, looking into it.'], [anon.id, 'resolved', 'Fixed for everyone.']] as const) {
      expect((await admin.post(`/api/console/concerns/${id}`, { status, reply })).status).toBe(200);
    }
    fetched = [];
    expect(ok(await send({ type: 'concern/refresh' }))).toEqual({ updated: 2 });
    const concerns = await db.concerns.toArray();
    expect(concerns.find((c) => c.id === named.id)).toMatchObject({ status: 'open', text: 'Recording felt pushy', orgStatus: { status: 'acknowledged', reply: 'Thanks, looking into it.' } });
    expect(concerns.find((c) => c.id === anon.id)).toMatchObject({ status: 'open', text: 'Scored on recordings', orgStatus: { status: 'resolved', reply: 'Fixed for everyone.' } });
    const enrollment = (await db.org.get('enrollment'))!;
    const anonymousRead = fetched.find((f) => f.url.endsWith('/concerns/anonymous/status'))!;
    expect(anonymousRead.auth).toBe(`Bearer ${enrollment.anonymousKey}`);
    expect(fetched.find((f) => f.url.endsWith('/concerns/status'))!.auth).toBe(`Bearer ${enrollment.token}`);
    expect(ok(await send({ type: 'concern/refresh' }))).toEqual({ updated: 0 }); // nothing new
  });

  it('performance use needs an approval code from the console; the access log records the approval the service returns; coaching, backups and the ledger carry none', async () => {
    const installId = await repId(services());
    const refused = await send({ type: 'export/request', what: 'calls-csv', purpose: 'performance' });
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/^Performance use requires approval: enter the approval code/) });
    expect(await send({ type: 'export/request', what: 'calls-csv', purpose: 'performance', approvalCode: 'APR-NOPE-NOPE' })).toEqual({ ok: false, error: 'This approval code is not known. Nothing was exported.' });
    expect(await db.accessLog.count()).toBe(0);

    const issued = (await admin.post('/api/console/approvals', { reference: 'HR-2026-17', scope: installId, days: 1, maxUses: 1 })).json as { id: string; code: string };
    ok(await send({ type: 'export/request', what: 'calls-json', purpose: 'performance', approvalCode: issued.code }));
    expect(await send({ type: 'export/request', what: 'calls-csv', purpose: 'performance', approvalCode: issued.code })).toEqual({ ok: false, error: 'This approval has been used up. Nothing was exported.' });
    now += 1;
    // The bug this guards against: a coaching export right after a performance one inherited its approval.
    ok(await send({ type: 'export/request', what: 'calls-csv', purpose: 'coaching', approvalCode: issued.code }));
    now += 1;
    ok(await send({ type: 'export/request', what: 'backup' }));
    now += 1;
    ok(await send({ type: 'export/request', what: 'ledger', purpose: 'coaching' }));
    const log = (await db.accessLog.orderBy('at').toArray()).map(({ purpose, action, approval }) => ({ purpose, action, approval }));
    expect(log).toEqual([
      { purpose: 'performance', action: 'calls-json', approval: { approver: 'Administrator', role: 'admin', reference: 'HR-2026-17', id: issued.id } },
      { purpose: 'coaching', action: 'calls-csv', approval: undefined },
      { purpose: 'record-keeping', action: 'backup', approval: undefined },
      { purpose: 'record-keeping', action: 'ledger', approval: undefined },
    ]);
    await drainAll();
    expect(await sql('SELECT approval_id, action FROM approval_redemptions')).toEqual(expect.arrayContaining([{ approval_id: issued.id, action: 'calls-json' }]));
    expect(await sql('SELECT purpose, approver, reference FROM access_log WHERE install_id = $1 ORDER BY at', [installId])).toEqual([
      { purpose: 'performance', approver: 'Administrator', reference: 'HR-2026-17' },
      { purpose: 'coaching', approver: null, reference: null },
      { purpose: 'record-keeping', approver: null, reference: null },
      { purpose: 'record-keeping', approver: null, reference: null },
    ]);
  });

  it('a completed checklist sends the call\'s summary (counts only); marking AI statements sends it again', async () => {
    const s = services();
    const view = ok(await routeMessage(s, { type: 'call/observed', eventId: crypto.randomUUID(), at: now, phase: 'inCall', url: MEET, signals: ['meet-participant-tile'] }, tab)) as CallView;
    ok(await routeAsInBrowser(s, { type: 'call/decide', eventId: crypto.randomUUID(), at: now, callId: view.callId, outcome: 'agreed', category: 'customer' }, tab));
    ok(await routeMessage(s, { type: 'call/observed', eventId: crypto.randomUUID(), at: now + 60_000, phase: 'left', url: MEET, signals: [] }, tab));
    ok(await send({ type: 'ai-draft/save', callId: view.callId, source: 'otter', text: 'Budget approved.\nDecision in May.' }));
    const fields = { qualification: 'BANT ok', nextSteps: [{ text: 'Send pricing', owner: 'me', due: '2026-03-09' }], timeline: 'Q2', risks: 'none', competition: 'none', humanNuance: 'cautious', powerDynamics: '', hesitation: '', emotion: '', urgency: '', subtleObjections: '' };
    now += 120_000;
    ok(await send({ type: 'checklist/save', callId: view.callId, complete: true, fields }));
    now += 1_000;
    ok(await send({ type: 'ai-draft/mark', callId: view.callId, statementId: 's1', mark: 'wrong' }));
    expect((await db.outbox.toArray()).filter((r) => r.kind === 'call-summary')).toHaveLength(2);
    await drainAll();
    const [row] = await sql('SELECT checklist, checklist_ms, human_nuance, ai_statements, ai_marked, ai_wrong, category FROM call_summaries WHERE call_id = $1', [view.callId]);
    expect(row).toEqual({ checklist: 'completed', checklist_ms: 60_000, human_nuance: true, ai_statements: 2, ai_marked: 1, ai_wrong: 1, category: 'customer' });
  });
});
