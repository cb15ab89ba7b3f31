import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendRecord, type ChainRecord } from '../../lib/ledger/chain';
import { verifyCheckpoint } from '../../lib/ledger/checkpoint';
import type { ChainEntry } from '../../lib/ledger/entry';
import type { TestServer } from '../testing';
import { chain, concernBody, consentBody, enroll, ENGINES, HAS_POSTGRES, request, server, T0 } from './support';

// Listed as skipped (and warned about) only when no PostgreSQL server is configured.
if (!HAS_POSTGRES) it.skip('PostgreSQL runs of the server tests: SKIPPED because CANDOR_TEST_DATABASE_URL is not set (CI sets it)', () => {});

describe.each(ENGINES)('ingest, chain and witness on %s', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await server(engine, { config: { maxRecordsPerMinute: 1000 } });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('health needs no auth; enrollment returns the contract fields', async () => {
    expect((await request(`${s.url}/health`, 'GET')).json).toEqual({ ok: true, version: expect.any(String) });
    const c = await enroll(s);
    expect(c.enrollReply).toMatchObject({
      installId: c.installId, team: 'default', anonymousKey: expect.any(String),
      witnessKeys: [{ keyId: expect.stringMatching(/^[0-9a-f]{16}$/), algorithm: 'Ed25519', publicKey: expect.any(String), createdAt: expect.any(String), retiredAt: null }],
      limits: { maxBodyBytes: expect.any(Number), maxRecordsPerMinute: 1000 },
    });
    expect(Buffer.from(c.token, 'base64url').length).toBeGreaterThanOrEqual(32);
    const bad = await request(`${s.url}/api/v1/enroll`, 'POST', { code: 'nope', installId: 'rep-x', extensionVersion: '1' });
    expect(bad.status).toBe(401);
    expect(bad.json).toEqual({ error: 'This enrollment code is not valid.', code: 'bad-code' });
  });

  it('re-enrolling revokes the old token; an unknown token is 401', async () => {
    const a = await enroll(s);
    const b = await enroll(s, 'org-key-for-tests', a.installId);
    expect((await a.get('/api/v1/checkpoints/latest')).status).toBe(401);
    expect((await b.get('/api/v1/checkpoints/latest')).status).toBe(200);
  });

  it('stores consent in order, signs a checkpoint that verifies offline, dedupes by id, 409 on another body', async () => {
    const c = await enroll(s);
    const records = await chain(c.installId, 3);
    let last: any;
    for (const r of records) {
      last = await c.post('/api/v1/ingest', consentBody(c.installId, r));
      expect(last.status).toBe(200);
      expect(last.json.stored).toBe(true);
    }
    expect(last.json.chain).toEqual({ status: 'ok', verifiedSeq: 3, firstSeq: 1 });
    expect(last.json.checkpoint).toMatchObject({ format: 'candor-checkpoint/1', rep: c.installId, seq: 3, hash: records[2]!.hash });
    expect(await verifyCheckpoint(last.json.checkpoint, c.enrollReply.witnessKeys as never)).toEqual({ ok: true });

    const body = consentBody(c.installId, records[0]!);
    const first = await c.post('/api/v1/ingest', body);
    expect(first.json).toMatchObject({ stored: false, duplicate: true });
    const again = await c.post('/api/v1/ingest', body);
    expect(again.json).toMatchObject({ stored: false, duplicate: true, chain: { status: 'ok', verifiedSeq: 3 } });
    expect(again.json.checkpoint.seq).toBe(3);
    const other = await c.post('/api/v1/ingest', { ...body, createdAt: new Date(T0 + 1).toISOString() });
    expect(other.status).toBe(409);
    const latest = await c.get('/api/v1/checkpoints/latest');
    expect(latest.json.checkpoint).toEqual(last.json.checkpoint);
  });

  it('a backup-imported entry (docs/ledger.md, Imports) is a link of the chain, not a consent decision in the review', async () => {
    const c = await enroll(s);
    const records: ChainRecord<ChainEntry>[] = await chain(c.installId, 2);
    const imported = await appendRecord<ChainEntry>(records[1]!, {
      v: 1, type: 'backup-imported', at: new Date(T0 + 600_000).toISOString(), eventId: crypto.randomUUID(), rep: c.installId, fileHash: 'c'.repeat(64),
      mode: 'extend', entriesAdded: 1, firstSeq: 2, lastSeq: 2, policyVersion: '1', extensionVersion: '0.1.0',
    });
    records.push(imported, ...(await chain(c.installId, 1, imported as ChainRecord)));
    const reply = await c.post('/api/v1/ingest/batch', { format: 'candor-sync-batch/1', items: records.map((r) => consentBody(c.installId, r as ChainRecord)) });
    expect(reply.status).toBe(200);
    expect(reply.json.chain).toEqual({ status: 'ok', verifiedSeq: 4, firstSeq: 1 });
    expect(reply.json.checkpoint).toMatchObject({ seq: 4, hash: records[3]!.hash });
    const day = await s.running.service.db.query<{ type: string }>("SELECT type FROM consent_daily WHERE team = 'default' AND type = 'backup-imported'");
    expect(day).toEqual([]);
  });

  it('any order, gaps allowed: a late start becomes firstSeq, buffered records verify when the gap fills', async () => {
    const c = await enroll(s);
    const records = await chain(c.installId, 6);
    const send = (i: number) => c.post('/api/v1/ingest', consentBody(c.installId, records[i]!));
    expect((await send(2)).json.chain).toEqual({ status: 'ok', verifiedSeq: 3, firstSeq: 3 });
    expect((await send(5)).json.chain).toEqual({ status: 'gap', verifiedSeq: 3, firstSeq: 3 });
    expect((await send(4)).json.chain).toEqual({ status: 'gap', verifiedSeq: 3, firstSeq: 3 });
    const filled = await send(3);
    expect(filled.json.chain).toEqual({ status: 'ok', verifiedSeq: 6, firstSeq: 3 });
    expect(filled.json.checkpoint.seq).toBe(6);
    expect((await send(1)).json.chain).toEqual({ status: 'ok', verifiedSeq: 6, firstSeq: 2 });
    expect((await send(0)).json.chain).toEqual({ status: 'ok', verifiedSeq: 6, firstSeq: 1 });
  });

  it('flags a fork, a rollback and a broken link, and never repairs them', async () => {
    const fork = await enroll(s);
    const original = await chain(fork.installId, 2);
    await fork.post('/api/v1/ingest', consentBody(fork.installId, original[0]!));
    // Two different records 3 while 2 is still missing: the second is a fork (above the witnessed head 1).
    const [three] = await chain(fork.installId, 1, original[1]!);
    const [threeOther] = await chain(fork.installId, 1, original[1]!, () => ({ type: 'declined', outcome: 'declined' }));
    expect((await fork.post('/api/v1/ingest', consentBody(fork.installId, three!))).json.chain.status).toBe('gap');
    const forked = await fork.post('/api/v1/ingest', consentBody(fork.installId, threeOther!));
    expect(forked.json).toMatchObject({ stored: false, duplicate: false, chain: { status: 'fork', verifiedSeq: 1 } });
    // Filling the gap still verifies the stored record 3; the fork stays flagged.
    const filled = await fork.post('/api/v1/ingest', consentBody(fork.installId, original[1]!));
    expect(filled.json.chain).toEqual({ status: 'fork', verifiedSeq: 3, firstSeq: 1 });
    const [conflict] = await s.running.service.db.query<{ kind: string; hash: string }>('SELECT kind, hash FROM chain_conflicts WHERE install_id = $1', [fork.installId]);
    expect(conflict).toEqual({ kind: 'fork', hash: threeOther!.hash });

    // Rollback: a rewritten chain re-uses seqs the service already witnessed.
    const rb = await enroll(s);
    const before = await chain(rb.installId, 4);
    for (const r of before) await rb.post('/api/v1/ingest', consentBody(rb.installId, r));
    const rewritten = await chain(rb.installId, 4, null, () => ({ outcome: 'declined', type: 'declined' }));
    const rolled = await rb.post('/api/v1/ingest', consentBody(rb.installId, rewritten[2]!));
    expect(rolled.json.chain).toEqual({ status: 'rollback', verifiedSeq: 4, firstSeq: 1 });
    const next = await chain(rb.installId, 1, before[3]!);
    const still = await rb.post('/api/v1/ingest', consentBody(rb.installId, next[0]!));
    expect(still.json.chain).toEqual({ status: 'rollback', verifiedSeq: 5, firstSeq: 1 });

    // Broken: record 3 links to something else than record 2.
    const br = await enroll(s);
    const good = await chain(br.installId, 2);
    const elsewhere = await chain(br.installId, 3, null, () => ({ outcome: 'x' }));
    for (const r of good) await br.post('/api/v1/ingest', consentBody(br.installId, r));
    const broken = await br.post('/api/v1/ingest', consentBody(br.installId, elsewhere[2]!));
    expect(broken.json).toMatchObject({ stored: true, chain: { status: 'broken', verifiedSeq: 2, firstSeq: 1 } });
    const next3 = await chain(br.installId, 1, elsewhere[2]!);
    expect((await br.post('/api/v1/ingest', consentBody(br.installId, next3[0]!))).json.chain).toEqual({ status: 'broken', verifiedSeq: 2, firstSeq: 1 });
  });

  it('refuses a record whose hash does not match, another rep, anonymous concerns, oversize and unauthenticated', async () => {
    const c = await enroll(s);
    const [r] = await chain(c.installId, 1);
    const tampered = consentBody(c.installId, { ...r!, entry: { ...r!.entry, outcome: 'declined' } });
    const refused = await c.post('/api/v1/ingest', tampered);
    expect(refused.status).toBe(400);
    expect(refused.json.code).toBe('hash-mismatch');
    const wrongRep = await c.post('/api/v1/ingest', consentBody('rep-someone-else', r!));
    expect(wrongRep.status).toBe(403);
    const anon = await c.post('/api/v1/ingest', concernBody(null));
    expect(anon.json).toEqual({ error: 'Send anonymous concerns to /api/v1/concerns/anonymous.', code: 'anonymous-here' });
    const big = await c.post('/api/v1/ingest', { pad: 'x'.repeat(2 * 1024 * 1024) });
    expect(big.status).toBe(413);
    const none = await request(`${s.url}/api/v1/ingest`, 'POST', consentBody(c.installId, r!));
    expect(none.status).toBe(401);
    expect(none.json.error).toMatch(/\.$/);
  });

  it('batch: one transaction, each item idempotent, errors per item', async () => {
    const c = await enroll(s);
    const records = await chain(c.installId, 5);
    const bodies = records.map((r) => consentBody(c.installId, r));
    const res = await c.post('/api/v1/ingest/batch', { format: 'candor-sync-batch/1', items: [...bodies, bodies[0], { junk: true }] });
    expect(res.status).toBe(200);
    expect(res.json.results.slice(0, 5).every((x: any) => x.stored)).toBe(true);
    expect(res.json.results[5]).toEqual({ id: bodies[0]!.id, stored: false, duplicate: true });
    expect(res.json.results[6]).toMatchObject({ id: null, code: 'invalid' });
    expect(res.json.chain).toEqual({ status: 'ok', verifiedSeq: 5, firstSeq: 1 });
    expect(res.json.checkpoint.seq).toBe(5);
  });

  it('rate limit: 429 with Retry-After', async () => {
    const t = await server(engine, { config: { maxRecordsPerMinute: 3 } });
    try {
      const c = await enroll(t);
      const records = await chain(c.installId, 4);
      for (let i = 0; i < 3; i++) expect((await c.post('/api/v1/ingest', consentBody(c.installId, records[i]!))).status).toBe(200);
      const limited = await c.post('/api/v1/ingest', consentBody(c.installId, records[3]!));
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });

  it('anonymous concerns: stored without a rep, status readable by id with the anonymous key only', async () => {
    const c = await enroll(s);
    const body = concernBody(null);
    const anonAuth = { authorization: `Bearer ${c.anonymousKey}` };
    const stored = await request(`${s.url}/api/v1/concerns/anonymous`, 'POST', body, anonAuth);
    expect(stored.json).toEqual({ stored: true, duplicate: false });
    const withToken = await c.post('/api/v1/concerns/anonymous', body);
    expect(withToken.status).toBe(401);
    const status = await request(`${s.url}/api/v1/concerns/anonymous/status`, 'POST', { ids: [body.record.id] }, anonAuth);
    expect(status.json.concerns).toEqual([{ id: body.record.id, status: 'open', reply: null, updatedAt: expect.any(String) }]);
    // An install cannot read anonymous concerns through its own status endpoint.
    expect((await c.post('/api/v1/concerns/status', { ids: [body.record.id] })).json.concerns).toEqual([]);
    const [row] = await s.running.service.db.query<{ install_id: string | null }>('SELECT install_id FROM concerns WHERE id = $1', [body.record.id]);
    expect(row!.install_id).toBeNull();
  });

  it('accepts purge receipts, access-log entries and call summaries (latest updatedAt wins)', async () => {
    const c = await enroll(s);
    const env = (kind: string, record: unknown) => ({ format: 'candor-sync/1', id: crypto.randomUUID(), kind, createdAt: new Date(T0).toISOString(), rep: c.installId, record });
    const at = new Date(T0).toISOString();
    expect((await c.post('/api/v1/ingest', env('purge-receipt', { id: crypto.randomUUID(), at, kind: 'calls', count: 3, oldest: at, newest: at }))).json.stored).toBe(true);
    expect((await c.post('/api/v1/ingest', env('access-log', { id: crypto.randomUUID(), at, purpose: 'performance', action: 'calls-csv', callCount: 2, approval: { approver: 'Dana', reference: 'HR-1' } }))).json.stored).toBe(true);
    const callId = crypto.randomUUID();
    const summary = (updatedAt: string, aiWrong: number) => ({ callId, platform: 'zoom', endedAt: at, category: 'customer', checklist: 'completed', checklistMsToComplete: 1000, humanNuanceFilled: true, aiStatements: 5, aiMarked: 3, aiWrong, updatedAt });
    await c.post('/api/v1/ingest', env('call-summary', summary(new Date(T0 + 2000).toISOString(), 2)));
    await c.post('/api/v1/ingest', env('call-summary', summary(new Date(T0 + 1000).toISOString(), 1)));
    const [row] = await s.running.service.db.query<{ ai_wrong: number }>('SELECT ai_wrong FROM call_summaries WHERE call_id = $1', [callId]);
    expect(row!.ai_wrong).toBe(2);
    // The rollups hold the latest copy only: a newer copy moves the call from completed to pending.
    const rollup = () => s.running.service.db.query<{ calls: number; completed: number; wrong: number; timed: number }>(
      `SELECT sum(calls)::int AS calls, sum(completed)::int AS completed, sum(wrong)::int AS wrong,
         (SELECT sum(n)::int FROM call_complete_daily WHERE team = 'default') AS timed FROM call_daily WHERE team = 'default'`,
    );
    const before = (await rollup())[0]!;
    await c.post('/api/v1/ingest', env('call-summary', { ...summary(new Date(T0 + 3000).toISOString(), 4), checklist: 'pending', checklistMsToComplete: null }));
    const after = (await rollup())[0]!;
    expect(after).toEqual({ calls: before.calls, completed: before.completed - 1, wrong: before.wrong + 2, timed: before.timed - 1 });
  });
});
