import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres, type Db } from '../store/db';
import { openPglite } from '../store/db';
import { spawnService as spawnTestService } from '../testing';
import { chain, consentBody, HAS_POSTGRES, request } from './support';

/**
 * Faults: the service killed with SIGKILL during ingest, and the PostgreSQL server restarted
 * during ingest. A retrying client stands in for the extension's outbox (same id, same body,
 * until a 2xx). Afterwards every acknowledged record is stored, each exactly once, and the chain
 * verifies to the end.
 */
const N = 240;
const BATCH = 6;

interface Proc {
  url: string;
  child: ChildProcess;
}

function spawnService(env: Record<string, string>): Promise<Proc> {
  return spawnTestService({ CANDOR_ENROLLMENT_KEY: 'fault-key', CANDOR_ADMIN_EMAIL: 'a@b.test', CANDOR_ADMIN_PASSWORD: 'x'.repeat(16), CANDOR_MAX_RECORDS_PER_MINUTE: '100000', ...env });
}

/** Sends every batch until the service says 2xx, whatever happens in between; returns the acknowledged ids. */
async function retryingClient(getUrl: () => string, token: string, batches: unknown[][], onRequest: (i: number) => Promise<void>) {
  const acknowledged = new Set<string>();
  let attempts = 0;
  for (let i = 0; i < batches.length; i++) {
    await onRequest(i);
    for (;;) {
      attempts++;
      try {
        const res = await request(`${getUrl()}/api/v1/ingest/batch`, 'POST', { format: 'candor-sync-batch/1', items: batches[i] }, { authorization: `Bearer ${token}` });
        if (res.status === 200) {
          for (const r of res.json.results) {
            if (r.error) throw new Error(`unexpected answer: item refused ${JSON.stringify(r)}`);
            acknowledged.add(r.id);
          }
          break;
        }
        if (![500, 502, 503].includes(res.status)) throw new Error(`unexpected answer ${res.status}: ${JSON.stringify(res.json)}`);
      } catch (error) {
        if ((error as Error).message.startsWith('unexpected answer')) throw error;
        // connection refused or reset: the outbox keeps the item and retries
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { acknowledged, attempts };
}

async function checkStored(db: Db, installId: string, acknowledged: Set<string>) {
  const [counts] = await db.query<{ records: number; distinct_seq: number; ingested: number }>(
    `SELECT (SELECT count(*)::int FROM consent_records WHERE install_id = $1) AS records,
            (SELECT count(DISTINCT seq)::int FROM consent_records WHERE install_id = $1) AS distinct_seq,
            (SELECT count(*)::int FROM ingested WHERE install_id = $1) AS ingested`,
    [installId],
  );
  expect(counts).toEqual({ records: N, distinct_seq: N, ingested: N });
  const ids = await db.query<{ id: string }>('SELECT id FROM ingested WHERE id = ANY($1::uuid[])', [[...acknowledged]]);
  expect(ids.length).toBe(acknowledged.size);
  const [c] = await db.query<{ verified_seq: number; flag: string | null }>('SELECT verified_seq, flag FROM chains WHERE install_id = $1', [installId]);
  expect(c).toEqual({ verified_seq: N, flag: null });
  const [{ n }] = (await db.query<{ n: number }>('SELECT sum(n)::int AS n FROM consent_daily')) as [{ n: number }];
  expect(n).toBe(N);
}

async function enrollAndPrepare(url: string) {
  const installId = `rep-${crypto.randomUUID()}`;
  const res = await request(`${url}/api/v1/enroll`, 'POST', { code: 'fault-key', installId, extensionVersion: '0.1.0' });
  expect(res.status).toBe(201);
  const records = await chain(installId, N);
  const bodies = records.map((r) => consentBody(installId, r));
  const batches: unknown[][] = [];
  for (let i = 0; i < bodies.length; i += BATCH) batches.push(bodies.slice(i, i + BATCH));
  return { installId, token: res.json.token as string, batches };
}

const killed: ChildProcess[] = [];
afterAll(() => {
  for (const child of killed) child.kill('SIGKILL');
});

describe.each([
  ['pglite', true],
  ['postgres', HAS_POSTGRES],
] as const)('kill -9 during ingest (%s)', (engine, available) => {
  it.skipIf(!available)(`nothing acknowledged is lost, nothing stored twice${available ? '' : ' (SKIPPED: CANDOR_TEST_DATABASE_URL is not set)'}`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'candor-fault-'));
    let env: Record<string, string> = { CANDOR_DATA_DIR: dataDir };
    let schemaDb: Db | null = null;
    let schema = '';
    if (engine === 'postgres') {
      schema = `candor_fault_${crypto.randomUUID().replace(/-/g, '').slice(0, 10)}`;
      schemaDb = openPostgres(process.env.CANDOR_TEST_DATABASE_URL!, { max: 1 });
      await schemaDb.exec(`CREATE SCHEMA ${schema}`);
      const url = new URL(process.env.CANDOR_TEST_DATABASE_URL!);
      url.searchParams.set('options', `-c search_path=${schema}`);
      env = { ...env, DATABASE_URL: url.toString() };
    }
    try {
      let proc = await spawnService(env);
      killed.push(proc.child);
      const { installId, token, batches } = await enrollAndPrepare(proc.url);
      const kills = new Set([7, 19, 31]);
      const { acknowledged, attempts } = await retryingClient(() => proc.url, token, batches, async (i) => {
        if (!kills.has(i)) return;
        // Kill while a request is in flight: a concurrent request races the SIGKILL.
        void request(`${proc.url}/api/v1/ingest/batch`, 'POST', { format: 'candor-sync-batch/1', items: batches[i] }, { authorization: `Bearer ${token}` }).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 3 + (i % 5)));
        proc.child.kill('SIGKILL');
        await new Promise((r) => proc.child.once('exit', r));
        proc = await spawnService(env);
        killed.push(proc.child);
      });
      expect(acknowledged.size).toBe(N);
      expect(attempts).toBeGreaterThanOrEqual(batches.length);
      proc.child.kill('SIGTERM');
      await new Promise((r) => proc.child.once('exit', r));
      const db = engine === 'pglite' ? await openPglite(join(dataDir, 'pg')) : openPostgres(env.DATABASE_URL!);
      try {
        await checkStored(db, installId, acknowledged);
      } finally {
        await db.close();
      }
    } finally {
      if (schemaDb) {
        await schemaDb.exec(`DROP SCHEMA ${schema} CASCADE`);
        await schemaDb.close();
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** The local cluster's restart command when this machine runs it (root, Debian's pg_ctlcluster). */
function clusterRestart(): (() => Promise<void>) | null {
  try {
    const port = new URL(process.env.CANDOR_TEST_DATABASE_URL ?? '').port || '5432';
    const line = execFileSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .find((cols) => cols[2] === port && cols[3] === 'online');
    if (!line || process.getuid?.() !== 0) return null;
    return () =>
      new Promise<void>((resolve, reject) => {
        const child = spawn('pg_ctlcluster', [line[0]!, line[1]!, 'restart', '-m', 'fast'], { stdio: 'ignore' });
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pg_ctlcluster restart exited ${code}`))));
      });
  } catch {
    return null;
  }
}

describe('PostgreSQL restart during ingest', () => {
  const restart = HAS_POSTGRES ? clusterRestart() : null;
  it.skipIf(!restart)(`nothing acknowledged is lost, nothing stored twice${restart ? '' : ' (SKIPPED: needs CANDOR_TEST_DATABASE_URL on a local cluster this user can restart)'}`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'candor-pgrestart-'));
    const schema = `candor_restart_${crypto.randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const admin = openPostgres(process.env.CANDOR_TEST_DATABASE_URL!, { max: 1 });
    await admin.exec(`CREATE SCHEMA ${schema}`);
    await admin.close();
    const url = new URL(process.env.CANDOR_TEST_DATABASE_URL!);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const proc = await spawnService({ CANDOR_DATA_DIR: dataDir, DATABASE_URL: url.toString() });
    killed.push(proc.child);
    try {
      const { installId, token, batches } = await enrollAndPrepare(proc.url);
      let restarting: Promise<void> = Promise.resolve();
      const { acknowledged, attempts } = await retryingClient(() => proc.url, token, batches, async (i) => {
        if (i !== 11 && i !== 27) return;
        // The restart runs while the client keeps sending: requests meet a server going down and
        // coming back. One restart at a time (pg_ctlcluster refuses overlapping ones).
        await restarting;
        restarting = restart!();
        await new Promise((r) => setTimeout(r, 20));
      });
      await restarting;
      expect(acknowledged.size).toBe(N);
      // The restarts were seen: requests on connections the restart cut were answered 503 and retried.
      expect(attempts).toBeGreaterThan(batches.length);
      const db = openPostgres(url.toString());
      try {
        await checkStored(db, installId, acknowledged);
      } finally {
        await db.close();
      }
    } finally {
      proc.child.kill('SIGTERM');
      const cleanup = openPostgres(process.env.CANDOR_TEST_DATABASE_URL!, { max: 1 });
      await cleanup.exec(`DROP SCHEMA ${schema} CASCADE`);
      await cleanup.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
