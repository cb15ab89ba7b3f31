import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from './db';

/**
 * Versioned SQL migrations, one set for PGlite (PostgreSQL 18) and PostgreSQL ≥ 15:
 * `migrations/NNN_name.sql`, applied in order, each in its own transaction with its row in
 * `schema_migrations`. An advisory lock keeps two processes starting at once from applying one
 * twice. Applied files must never change: add a new file instead.
 */
export const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');

export function migrationFiles(): { version: number; name: string; sql: string }[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(join(MIGRATIONS_DIR, f), 'utf8') }));
}

export async function migrate(db: Db): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: string[] = [];
  for (const m of migrationFiles()) {
    await db.tx(async (q) => {
      await q.query('SELECT pg_advisory_xact_lock(7270015)');
      const done = await q.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (done.length) return;
      // Statements of a migration file run one by one on the transaction's connection.
      for (const statement of splitSql(m.sql)) await q.query(statement);
      await q.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.name);
    });
  }
  return applied;
}

/** Splits a migration on semicolons at line ends (migrations use no functions with bodies). */
export function splitSql(sql: string): string[] {
  return sql
    .replace(/^\s*--.*$/gm, '')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter(Boolean);
}
