import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from './app';
import type { Service, ServiceConfig } from './context';
import { anonymousKey } from './http/api';
import { createAccount, randomToken } from './http/auth';
import { openDb, type Db } from './store/db';
import { migrate } from './store/migrate';
import { Witness } from './witness/keys';

/**
 * Starting the service: open the database (PGlite in the data dir, or DATABASE_URL), apply the
 * migrations, load the witness key, make sure an admin account exists, listen.
 */

export interface StartOptions {
  dataDir: string | null;
  databaseUrl?: string | null;
  /** Reuse an open database (tests); it is not closed by close(). */
  db?: Db;
  host?: string;
  port?: number;
  witnessKey?: string | null;
  admin?: { email: string; password: string } | null;
  config?: Partial<ServiceConfig>;
  consoleDir?: string;
}

export interface Running {
  service: Service;
  url: string;
  port: number;
  /** Set when an admin account was created with a generated password (printed once). */
  createdAdmin: { email: string; password: string; generated: boolean } | null;
  close(): Promise<void>;
}

export const VERSION: string = (JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

export function configFromEnv(env: NodeJS.ProcessEnv): ServiceConfig {
  const int = (name: string, fallback: number) => {
    const v = Number(env[name]);
    return Number.isInteger(v) && v > 0 ? v : fallback;
  };
  return {
    enrollmentKey: env.CANDOR_ENROLLMENT_KEY?.trim() || null,
    maxBodyBytes: int('CANDOR_MAX_BODY_BYTES', 1024 * 1024),
    maxRecordsPerMinute: int('CANDOR_MAX_RECORDS_PER_MINUTE', 600),
    sessionHours: int('CANDOR_SESSION_HOURS', 12),
    ssoEmailHeader: env.CANDOR_SSO_EMAIL_HEADER?.trim().toLowerCase() || null,
    ssoSecret: env.CANDOR_SSO_SECRET?.trim() || null,
    version: VERSION,
  };
}

export async function startService(opts: StartOptions): Promise<Running> {
  const db = opts.db ?? (await openDb({ databaseUrl: opts.databaseUrl ?? null, dataDir: opts.dataDir }));
  await migrate(db);
  const witness = await Witness.load(db, { envKey: opts.witnessKey ?? null, dataDir: opts.dataDir });
  const config: ServiceConfig = { ...configFromEnv({}), ...opts.config };
  const service: Service = { db, witness, config, witnessMs: [] };
  await anonymousKey(service);

  let createdAdmin: Running['createdAdmin'] = null;
  const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts')) as [{ n: number }];
  if (n === 0) {
    const generated = !opts.admin;
    const email = opts.admin?.email ?? 'admin@localhost';
    const password = opts.admin?.password ?? randomToken().slice(0, 20);
    await createAccount(db, { email, name: 'Administrator', role: 'admin', password });
    createdAdmin = { email, password, generated };
  }

  const app = createApp(service, { consoleDir: opts.consoleDir });
  const host = opts.host ?? '127.0.0.1';
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: host, port: opts.port ?? 0 }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 0);
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    service,
    url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`,
    port,
    createdAdmin,
    close: async () => {
      await new Promise<void>((resolve) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      });
      if (!opts.db) await db.close();
    },
  };
}
