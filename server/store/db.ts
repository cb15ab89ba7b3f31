import { mkdirSync } from 'node:fs';
import type { PGlite as PGliteType, Transaction } from '@electric-sql/pglite';
import pg from 'pg';

/**
 * One tiny query layer over the two PostgreSQL engines the service runs on: PGlite (PostgreSQL in
 * WebAssembly, data in a folder: the default, nothing to install) and a PostgreSQL server
 * (`DATABASE_URL`, node-postgres pool). Every statement is parameterized ($1, $2…); no caller
 * ever builds SQL from values. Both engines return timestamptz as Date and jsonb as objects;
 * counts are cast to int in SQL so both return JS numbers.
 */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction (BEGIN … COMMIT, ROLLBACK on a throw). */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Several statements without parameters (migrations only). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export async function openPglite(dataDir: string | null): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const lite: PGliteType = await PGlite.create(dataDir ?? undefined);
  const run = async <T>(q: PGliteType | Transaction, sql: string, params?: readonly unknown[]) =>
    (await q.query<T>(sql, params as unknown[] | undefined)).rows;
  return {
    kind: 'pglite',
    query: (sql, params) => run(lite, sql, params),
    tx: (fn) => lite.transaction((t) => fn({ query: (sql, params) => run(t, sql, params) })),
    exec: async (sql) => {
      await lite.exec(sql);
    },
    close: () => lite.close(),
  };
}

export function openPostgres(url: string, opts: { max?: number; schema?: string } = {}): Db {
  // int8 (counts, bigserial ids) as JS numbers: every value the service stores fits in 2^53.
  pg.types.setTypeParser(20, (v) => Number(v));
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    connectionTimeoutMillis: 10_000,
    // Tests give each server its own schema.
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => undefined);
  return {
    kind: 'postgres',
    query: async (sql, params) => (await pool.query(sql, params as unknown[] | undefined)).rows,
    tx: async (fn) => {
      const client = await pool.connect();
      let broken = false;
      // A checked-out client whose connection dies (server restart) emits 'error': without a
      // listener that would end the process. The query in flight fails and is answered 503.
      const onError = () => {
        broken = true;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn({ query: async (sql, params) => (await client.query(sql, params as unknown[] | undefined)).rows as never });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw error;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}

/** `DATABASE_URL` → PostgreSQL server; otherwise PGlite in `dataDir/pg` (null: in memory). */
export async function openDb(opts: { databaseUrl?: string | null; dataDir: string | null }): Promise<Db> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl);
  return openPglite(opts.dataDir ? `${opts.dataDir}/pg` : null);
}
