import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { appendRecord, type ChainRecord } from '../../lib/ledger/chain';
import { openPostgres } from '../store/db';
import { startService } from '../service';
import { spawnService, startTestServer, TEST_ADMIN } from '../testing';
import { consoleLogin, consentBody, entry, request } from '../tests/support';
import { seedConsole } from './seed';

/**
 * `npm run bench:server` — the organisation service's budgets (docs/org.md, Performance):
 *   1. sustained ingest ≥ 2,000 records/s (batches of 100 over HTTP, the service in its own process),
 *      on PostgreSQL and on PGlite;
 *   2. the witness step ≤ 5 ms p95 of an ingest request (sign + store the checkpoint);
 *   3. console views over 10 million consent records ≤ 500 ms (PostgreSQL).
 * PostgreSQL parts need CANDOR_BENCH_DATABASE_URL (or CANDOR_TEST_DATABASE_URL). `--quick` runs
 * small sizes (a smoke run, no budget verdicts).
 */
const quick = process.argv.includes('--quick');
const pgUrl = process.env.CANDOR_BENCH_DATABASE_URL ?? process.env.CANDOR_TEST_DATABASE_URL ?? null;
const INSTALLS = quick ? 20 : 400;
const PER_INSTALL = 100;
const CONCURRENCY = 4;
const CONSENT_ROWS = quick ? 200_000 : 10_000_000;
const REPS = 5000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function machine() {
  let pgVersion: string | null = null;
  try {
    pgVersion = execFileSync('psql', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    /* not installed */
  }
  return { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memGiB: round(totalmem() / 2 ** 30), node: process.version, postgres: pgVersion, loadavg: loadavg().map((x) => round(x, 2)) };
}

async function schemaUrl(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `${prefix}_${crypto.randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const admin = openPostgres(pgUrl!, { max: 1 });
  await admin.exec(`CREATE SCHEMA ${schema}`);
  const url = new URL(pgUrl!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: async () => { await admin.exec(`DROP SCHEMA ${schema} CASCADE`); await admin.close(); } };
}

/** Sustained ingest: INSTALLS installs, each one batch of 100 chained records, CONCURRENCY requests in flight. */
async function ingestBench(engine: 'postgres' | 'pglite') {
  const dataDir = mkdtempSync(join(tmpdir(), 'candor-bench-'));
  const pg = engine === 'postgres' ? await schemaUrl('candor_bench') : null;
  const proc = await spawnService({
    CANDOR_DATA_DIR: dataDir, CANDOR_ENROLLMENT_KEY: 'bench-key', CANDOR_ADMIN_EMAIL: 'a@bench.test', CANDOR_ADMIN_PASSWORD: 'bench-password-1',
    ...(pg ? { DATABASE_URL: pg.url } : {}),
  });
  try {
    const jobs: { token: string; body: unknown }[] = [];
    for (let i = 0; i < INSTALLS; i++) {
      const installId = `rep-${crypto.randomUUID()}`;
      const res = await request(`${proc.url}/api/v1/enroll`, 'POST', { code: 'bench-key', installId, extensionVersion: '0.1.0' });
      let prev: ChainRecord | null = null;
      const items = [];
      for (let k = 0; k < PER_INSTALL; k++) {
        prev = await appendRecord(prev, entry(installId, k, { type: k % 7 === 3 ? 'declined' : 'agreed', at: new Date(Date.now() - (k % 30) * 86_400_000).toISOString() }));
        items.push(consentBody(installId, prev));
      }
      jobs.push({ token: res.json.token, body: { format: 'candor-sync-batch/1', items } });
    }
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < jobs.length) {
          const job = jobs[next++]!;
          const t = performance.now();
          const res = await request(`${proc.url}/api/v1/ingest/batch`, 'POST', job.body, { authorization: `Bearer ${job.token}` });
          if (res.status !== 200 || res.json.chain.verifiedSeq !== PER_INSTALL) throw new Error(`ingest failed: ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`);
          latencies.push(performance.now() - t);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const records = INSTALLS * PER_INSTALL;
    return { engine, records, seconds: round(seconds, 2), recordsPerSecond: Math.round(records / seconds), batchMedianMs: round(median(latencies)), batchP95Ms: round(p95(latencies)) };
  } finally {
    proc.child.kill('SIGTERM');
    await new Promise((r) => proc.child.once('exit', r));
    await pg?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The witness step inside real ingest requests (one new record each: every request advances the head). */
async function witnessBench(engine: 'postgres' | 'pglite') {
  if (engine === 'postgres') process.env.CANDOR_TEST_DATABASE_URL = pgUrl!;
  const s = await startTestServer({ db: engine, config: { enrollmentKey: 'bench-key', maxRecordsPerMinute: 1_000_000 } });
  try {
    const installId = `rep-${crypto.randomUUID()}`;
    const res = await request(`${s.url}/api/v1/enroll`, 'POST', { code: 'bench-key', installId, extensionVersion: '0.1.0' });
    const n = quick ? 200 : 1000;
    let prev: ChainRecord | null = null;
    const bodies = [];
    for (let k = 0; k < n; k++) {
      prev = await appendRecord(prev, entry(installId, k));
      bodies.push(consentBody(installId, prev));
    }
    const requestMs: number[] = [];
    for (const body of bodies) {
      const t = performance.now();
      const r = await request(`${s.url}/api/v1/ingest`, 'POST', body, { authorization: `Bearer ${res.json.token}`, 'idempotency-key': body.id });
      requestMs.push(performance.now() - t);
      if (!r.json.checkpoint) throw new Error('no checkpoint');
    }
    const witness = s.running.service.witnessMs;
    return { engine, requests: n, witnessMedianMs: round(median(witness), 2), witnessP95Ms: round(p95(witness), 2), requestMedianMs: round(median(requestMs), 2), requestP95Ms: round(p95(requestMs), 2) };
  } finally {
    await s.close();
  }
}

/**
 * Console views over CONSENT_ROWS consent records of REPS reps (PostgreSQL). The seeded schema is
 * kept (candor_bench_<rows>) and reused by later runs; drop it to seed again.
 */
async function viewsBench() {
  const schema = `candor_bench_${CONSENT_ROWS}`;
  const admin0 = openPostgres(pgUrl!, { max: 1 });
  await admin0.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await admin0.close();
  const db = openPostgres(pgUrl!, { schema });
  const dataDir = mkdtempSync(join(tmpdir(), 'candor-bench-views-'));
  const running = await startService({ dataDir, db, admin: TEST_ADMIN });
  const s = { url: running.url, adminLogin: TEST_ADMIN, close: async () => { await running.close(); await db.close(); rmSync(dataDir, { recursive: true, force: true }); } };
  try {
    const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM consent_records')) as [{ n: number }];
    const seeded = n === CONSENT_ROWS ? { seconds: 0, reused: true } : await seedConsole(db, { reps: REPS, consentRows: CONSENT_ROWS });
    const admin = await consoleLogin(s.url, s.adminLogin);
    const today = new Date().toISOString().slice(0, 10);
    const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
    const views: Record<string, string> = {
      'review, last 6 months': `/api/console/review?from=${ago(182)}&to=${today}`,
      'review, last 12 months': `/api/console/review?from=${ago(365)}&to=${today}`,
      'review, 12 months, one team': `/api/console/review?from=${ago(365)}&to=${today}&team=team-07`,
      'ledger status of 5,000 reps': '/api/console/reps',
      'latest consent events': '/api/console/consent-events',
      'review CSV, 12 months': `/api/console/review.csv?from=${ago(365)}&to=${today}`,
    };
    const out: Record<string, { medianMs: number; maxMs: number }> = {};
    for (const [name, path] of Object.entries(views)) {
      const times: number[] = [];
      await admin.get(path); // warm
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        const r = await admin.get(path);
        times.push(performance.now() - t);
        if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
      }
      out[name] = { medianMs: round(median(times)), maxMs: round(Math.max(...times)) };
    }
    return { consentRecords: CONSENT_ROWS, reps: REPS, seedSeconds: seeded.seconds, reusedSeed: 'reused' in seeded, views: out };
  } finally {
    await s.close();
  }
}

const only = (process.argv.find((a) => a.startsWith('--only=')) ?? '--only=ingest,witness,views').slice(7).split(',');
const result: Record<string, unknown> = { at: new Date().toISOString(), quick, machine: machine() };
const dir = join(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `server-${quick ? 'quick-' : ''}${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
const save = () => writeFileSync(file, JSON.stringify(result, null, 2));
console.log(`Candor server bench${quick ? ' (quick)' : ''} — ${JSON.stringify(result.machine)}`);
if (!pgUrl) console.log('PostgreSQL parts skipped: set CANDOR_BENCH_DATABASE_URL');
const ingest: Awaited<ReturnType<typeof ingestBench>>[] = [];
const witness: Awaited<ReturnType<typeof witnessBench>>[] = [];
if (only.includes('ingest')) {
  result.ingest = ingest;
  if (pgUrl) ingest.push(await ingestBench('postgres'));
  save();
  ingest.push(await ingestBench('pglite'));
  save();
}
if (only.includes('witness')) {
  result.witness = witness;
  if (pgUrl) witness.push(await witnessBench('postgres'));
  witness.push(await witnessBench('pglite'));
  save();
}
if (pgUrl && only.includes('views')) {
  result.views = await viewsBench();
  save();
}

console.log('\nbudget                                   measured                     budget      ratio');
for (const i of ingest) console.log(`ingest ${i.engine.padEnd(9)} (${i.records} records)      ${String(i.recordsPerSecond).padStart(7)} records/s           ≥ 2000/s    ${round(i.recordsPerSecond / 2000, 2)}x`);
for (const w of witness) console.log(`witness step ${w.engine.padEnd(9)} p95                ${String(w.witnessP95Ms).padStart(7)} ms (median ${w.witnessMedianMs})   ≤ 5 ms      ${round(w.witnessP95Ms / 5, 2)}`);
if (result.views) {
  const v = result.views as Awaited<ReturnType<typeof viewsBench>>;
  for (const [name, t] of Object.entries(v.views)) console.log(`view: ${name.padEnd(32)} ${String(t.medianMs).padStart(7)} ms median (max ${t.maxMs})  ≤ 500 ms    ${round(t.medianMs / 500, 2)}`);
}
save();
console.log(`\nwritten to ${file}`);
process.exit(0);
