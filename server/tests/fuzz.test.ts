import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../testing';
import { chain, concernBody, consentBody, enroll, request, server, type Client } from './support';

/**
 * The ingest endpoint fuzzed with fast-check: arbitrary JSON, valid bodies with one field
 * mutated, raw bytes. Every answer is a 200 or a 4xx with { error, code } (never a 5xx), and a
 * chain sent in any order, with duplicates, still verifies to its end.
 */
describe('ingest fuzzing (PGlite)', () => {
  let s: TestServer;
  let c: Client;
  let seed: Awaited<ReturnType<typeof chain>>;
  beforeAll(async () => {
    s = await server('pglite', { config: { maxRecordsPerMinute: 1_000_000, maxBodyBytes: 64 * 1024 } });
    c = await enroll(s);
    seed = await chain(c.installId, 3);
  });
  afterAll(async () => {
    await s?.close();
  });

  const expectSane = (res: { status: number; json: any }) => {
    expect([200, 400, 403, 409, 413]).toContain(res.status);
    if (res.status !== 200) {
      expect(res.json).toEqual({ error: expect.any(String), code: expect.any(String) });
      expect(res.json.error.length).toBeLessThan(600);
    }
  };

  it('arbitrary JSON bodies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        expectSane(await c.post('/api/v1/ingest', value));
        expectSane(await c.post('/api/v1/ingest/batch', { format: 'candor-sync-batch/1', items: [value] }));
      }),
      { numRuns: 150 },
    );
  });

  it('valid bodies with one field replaced by anything', async () => {
    const bases = () => [consentBody(c.installId, seed[0]!), concernBody(c.installId), concernBody(null)] as Record<string, any>[];
    const paths = ['format', 'id', 'kind', 'createdAt', 'rep', 'record', 'record.seq', 'record.hash', 'record.prevHash', 'record.entry', 'record.entry.at',
      'record.entry.rep', 'record.entry.details', 'record.text', 'record.anonymous', 'record.category', 'record.status', 'record.updatedAt'];
    await fc.assert(
      fc.asyncProperty(fc.nat(2), fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 3 }), async (which, path, value) => {
        const body = structuredClone(bases()[which]!);
        const keys = path.split('.');
        let target: any = body;
        for (const k of keys.slice(0, -1)) target = target?.[k];
        if (target && typeof target === 'object') target[keys.at(-1)!] = value;
        expectSane(await c.post('/api/v1/ingest', body));
      }),
      { numRuns: 200 },
    );
  });

  it('raw bytes, wrong content types and headers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.string({ maxLength: 60 }), async (bytes, key) => {
        const res = await fetch(`${s.url}/api/v1/ingest`, {
          method: 'POST',
          headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/octet-stream', 'idempotency-key': key.replace(/[^\x20-\x7e]/g, '') },
          body: bytes,
        });
        const text = await res.text();
        expectSane({ status: res.status, json: JSON.parse(text) });
      }),
      { numRuns: 100 },
    );
  });

  it('a chain sent in any order with duplicates verifies to its end, each record stored once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 12 }), fc.infiniteStream(fc.nat()), async (n, randoms) => {
        const rep = await enroll(s);
        const records = await chain(rep.installId, n);
        const bodies = records.map((r) => consentBody(rep.installId, r));
        const it = randoms[Symbol.iterator]();
        const order = [...bodies, ...bodies.filter(() => it.next().value! % 3 === 0)];
        for (let i = order.length - 1; i > 0; i--) {
          const j = it.next().value! % (i + 1);
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
        let last: any;
        for (const body of order) {
          last = await rep.post('/api/v1/ingest', body);
          expect(last.status).toBe(200);
        }
        const rows = await s.running.service.db.query<{ n: number }>('SELECT count(*)::int AS n FROM consent_records WHERE install_id = $1', [rep.installId]);
        expect(rows[0]!.n).toBe(n);
        const latest = await rep.get('/api/v1/checkpoints/latest');
        expect(latest.json.checkpoint).toMatchObject({ seq: n, hash: records[n - 1]!.hash });
        expect(last.json.chain).toEqual({ status: 'ok', verifiedSeq: n, firstSeq: 1 });
      }),
      { numRuns: 25 },
    );
  });

  it('the anonymous endpoint refuses everything but anonymous concerns', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (value) => {
        const res = await request(`${s.url}/api/v1/concerns/anonymous`, 'POST', value, { authorization: `Bearer ${c.anonymousKey}` });
        expectSane(res);
        expect(res.status).not.toBe(200);
      }),
      { numRuns: 100 },
    );
  });
});
