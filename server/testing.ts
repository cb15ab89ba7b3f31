import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgres, type Db } from './store/db';
import { startService, type Running } from './service';
import type { ServiceConfig } from './context';

/**
 * A Candor service for tests: an ephemeral port on 127.0.0.1, a temporary data dir, and either
 * PGlite (in the data dir) or a fresh schema on CANDOR_TEST_DATABASE_URL's PostgreSQL server,
 * dropped again by close(). The admin account's login is returned.
 */
export interface TestServer {
  url: string;
  adminLogin: { email: string; password: string };
  /** The org enrollment key this server accepts (POST /api/v1/enroll { code }). */
  enrollmentKey: string;
  running: Running;
  dataDir: string;
  close(): Promise<void>;
}

export const TEST_ADMIN = { email: 'admin@candor.test', password: 'correct horse battery staple' };
export const TEST_ENROLLMENT_KEY = 'candor-test-enrollment-key';

export async function startTestServer(opts: { db?: 'pglite' | 'postgres'; config?: Partial<ServiceConfig>; consoleDir?: string; witnessKey?: string } = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'candor-server-test-'));
  let db: Db | undefined;
  let dropSchema: (() => Promise<void>) | null = null;
  if ((opts.db ?? 'pglite') === 'postgres') {
    const url = process.env.CANDOR_TEST_DATABASE_URL;
    if (!url) throw new Error('startTestServer({ db: "postgres" }) needs CANDOR_TEST_DATABASE_URL');
    const schema = `candor_test_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const admin = openPostgres(url, { max: 1 });
    await admin.exec(`CREATE SCHEMA ${schema}`);
    db = openPostgres(url, { schema });
    dropSchema = async () => {
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    };
  }
  const config = { enrollmentKey: TEST_ENROLLMENT_KEY, ...opts.config };
  const running = await startService({ dataDir, db, admin: TEST_ADMIN, config, consoleDir: opts.consoleDir, witnessKey: opts.witnessKey });
  return {
    url: running.url,
    adminLogin: TEST_ADMIN,
    enrollmentKey: config.enrollmentKey ?? '',
    running,
    dataDir,
    close: async () => {
      await running.close();
      if (db) await db.close();
      if (dropSchema) await dropSchema();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The service as its own process (`node --import tsx server/main.ts`), as in production; resolves with its URL. */
export async function spawnService(env: Record<string, string>): Promise<{ url: string; child: import('node:child_process').ChildProcess; output: () => string }> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: join(import.meta.dirname, '..'),
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${out}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /console:\s+(http:\/\/[^/\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited (${code}):\n${out}`));
    });
  });
  return { url, child, output: () => out };
}
