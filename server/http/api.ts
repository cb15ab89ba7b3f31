import { timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { HttpError, type Service } from '../context';
import { ingest, latestCheckpoint, type Install } from '../ingest';
import { publishedKeys } from '../witness/keys';
import { randomToken } from './auth';
import { sha256Hex } from '../../lib/util/hash';
import { readJson } from './json';
import { RateLimiter } from './rate';

/**
 * The extension's API (docs/org.md, "HTTP API for the extension"). Authentication: an install
 * token (Bearer) from enrollment, the org-wide anonymous key for anonymous concerns, or an
 * enrollment code; /health needs none.
 */

const installIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,119}$/, 'installId must be 1–120 letters, digits, dots, colons, dashes or underscores');
const enrollSchema = z.strictObject({
  code: z.string().min(1).max(200),
  installId: installIdSchema,
  extensionVersion: z.string().min(1).max(32),
});
const statusSchema = z.strictObject({ ids: z.array(z.uuid()).max(200) });
const redeemSchema = z.strictObject({
  code: z.string().min(1).max(200),
  action: z.enum(['calls-csv', 'calls-json', 'concerns-csv']),
  callCount: z.int().nonnegative().max(10_000_000),
});
const batchSchema = z.strictObject({ format: z.literal('candor-sync-batch/1'), items: z.array(z.unknown()).min(1).max(100) });

function bearer(c: Context): string {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer ([A-Za-z0-9_-]{16,200})$/.exec(header);
  if (!match) throw new HttpError(401, 'no-token', 'This request needs an Authorization: Bearer token from enrollment.');
  return match[1]!;
}

export async function installFor(service: Service, c: Context): Promise<Install> {
  const token = bearer(c);
  const [row] = await service.db.query<{ install_id: string; team: string }>(
    `SELECT t.install_id, i.team FROM install_tokens t JOIN installs i ON i.install_id = t.install_id
     WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND i.revoked_at IS NULL`,
    [sha256Hex(token)],
  );
  if (!row) throw new HttpError(401, 'bad-token', 'This install token is not known or was revoked; enroll the extension again.');
  return { installId: row.install_id, team: row.team };
}

export async function anonymousKey(service: Service): Promise<string> {
  const [row] = await service.db.query<{ value: string }>("SELECT value FROM settings WHERE key = 'anonymousKey'");
  if (row) return row.value;
  const key = randomToken();
  await service.db.query("INSERT INTO settings (key, value) VALUES ('anonymousKey', $1::jsonb) ON CONFLICT (key) DO NOTHING", [JSON.stringify(key)]);
  return anonymousKey(service);
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(sha256Hex(a));
  const y = Buffer.from(sha256Hex(b));
  return timingSafeEqual(x, y);
}

async function checkAnonymous(service: Service, c: Context): Promise<void> {
  if (!sameSecret(bearer(c), await anonymousKey(service))) {
    throw new HttpError(401, 'bad-token', 'This is not the organisation\'s anonymous-concern key.');
  }
}

export function apiRoutes(service: Service): Hono {
  const app = new Hono();
  const limiter = new RateLimiter(service.config.maxRecordsPerMinute);
  const limits = () => ({ maxBodyBytes: service.config.maxBodyBytes, maxRecordsPerMinute: service.config.maxRecordsPerMinute });
  const rate = (key: string, n: number) => {
    const wait = limiter.take(key, n);
    if (wait > 0) {
      throw new HttpError(429, 'rate-limited', `Too many records from this install; try again in ${wait} s.`, { 'Retry-After': String(wait) });
    }
  };

  app.get('/health', (c) => c.json({ ok: true, version: service.config.version }));

  app.post('/api/v1/enroll', async (c) => {
    const body = await readJson(c, enrollSchema, service.config.maxBodyBytes);
    const result = await service.db.tx(async (q) => {
      let team: string;
      if (service.config.enrollmentKey && sameSecret(body.code, service.config.enrollmentKey)) team = 'default';
      else {
        const [code] = await q.query<{ id: string; team: string; expired: boolean; used_up: boolean; revoked: boolean }>(
          `SELECT id, team, expires_at <= now() AS expired, uses >= max_uses AS used_up, revoked_at IS NOT NULL AS revoked
           FROM enrollment_codes WHERE code_hash = $1 FOR UPDATE`,
          [sha256Hex(body.code.trim())],
        );
        if (!code) throw new HttpError(401, 'bad-code', 'This enrollment code is not valid.');
        if (code.revoked) throw new HttpError(401, 'code-revoked', 'This enrollment code was revoked.');
        if (code.expired) throw new HttpError(401, 'code-expired', 'This enrollment code has expired.');
        if (code.used_up) throw new HttpError(401, 'code-used-up', 'This enrollment code has been used up.');
        await q.query('UPDATE enrollment_codes SET uses = uses + 1 WHERE id = $1', [code.id]);
        team = code.team;
      }
      await q.query(
        `INSERT INTO installs (install_id, team, extension_version) VALUES ($1, $2, $3)
         ON CONFLICT (install_id) DO UPDATE SET team = EXCLUDED.team, extension_version = EXCLUDED.extension_version,
           enrolled_at = now(), revoked_at = NULL`,
        [body.installId, team, body.extensionVersion],
      );
      await q.query('UPDATE install_tokens SET revoked_at = now() WHERE install_id = $1 AND revoked_at IS NULL', [body.installId]);
      const token = randomToken();
      await q.query('INSERT INTO install_tokens (token_hash, install_id) VALUES ($1, $2)', [sha256Hex(token), body.installId]);
      return { token, team };
    });
    return c.json(
      {
        token: result.token,
        installId: body.installId,
        team: result.team,
        anonymousKey: await anonymousKey(service),
        witnessKeys: await publishedKeys(service.db),
        limits: limits(),
      },
      201,
    );
  });

  app.post('/api/v1/ingest', async (c) => {
    const install = await installFor(service, c);
    const raw = await readJson(c, z.unknown(), service.config.maxBodyBytes);
    const key = c.req.header('idempotency-key');
    const bodyId = (raw as { id?: unknown } | null)?.id;
    if (key !== undefined && bodyId !== undefined && key !== bodyId) {
      throw new HttpError(400, 'idempotency-key', 'The Idempotency-Key header must equal the body\'s id.');
    }
    rate(install.installId, 1);
    const out = await ingest(service, install, [raw]);
    const item = out.results[0]!;
    if ('error' in item) throw new HttpError(item.status, item.code, item.error);
    return c.json({ stored: item.stored, duplicate: item.duplicate, chain: out.chain, ...(out.checkpoint ? { checkpoint: out.checkpoint } : {}) });
  });

  app.post('/api/v1/ingest/batch', async (c) => {
    const install = await installFor(service, c);
    const body = await readJson(c, batchSchema, service.config.maxBodyBytes);
    rate(install.installId, body.items.length);
    const out = await ingest(service, install, body.items);
    const results = out.results.map((r) => ('error' in r ? { id: r.id, error: r.error, code: r.code } : r));
    return c.json({ results, chain: out.chain, ...(out.checkpoint ? { checkpoint: out.checkpoint } : {}) });
  });

  app.get('/api/v1/checkpoints/latest', async (c) => {
    const install = await installFor(service, c);
    return c.json({ checkpoint: await latestCheckpoint(service.db, install.installId), witnessKeys: await publishedKeys(service.db) });
  });

  app.post('/api/v1/concerns/anonymous', async (c) => {
    await checkAnonymous(service, c);
    const raw = await readJson(c, z.unknown(), service.config.maxBodyBytes);
    rate('anonymous', 1);
    const out = await ingest(service, null, [raw]);
    const item = out.results[0]!;
    if ('error' in item) throw new HttpError(item.status, item.code, item.error);
    return c.json({ stored: item.stored, duplicate: item.duplicate });
  });

  const concernStatus = async (where: string, ids: string[], installId: string | null) => {
    const rows = await service.db.query<{ id: string; status: string; reply: string | null; updated: Date }>(
      `SELECT id, status, reply, coalesce(triaged_at, updated_at) AS updated FROM concerns WHERE id = ANY($1::uuid[]) AND ${where}`,
      installId === null ? [ids] : [ids, installId],
    );
    return { concerns: rows.map((r) => ({ id: r.id, status: r.status, reply: r.reply, updatedAt: new Date(r.updated).toISOString() })) };
  };

  app.post('/api/v1/concerns/status', async (c) => {
    const install = await installFor(service, c);
    const body = await readJson(c, statusSchema, service.config.maxBodyBytes);
    return c.json(await concernStatus('install_id = $2', body.ids, install.installId));
  });

  app.post('/api/v1/concerns/anonymous/status', async (c) => {
    await checkAnonymous(service, c);
    const body = await readJson(c, statusSchema, service.config.maxBodyBytes);
    return c.json(await concernStatus('install_id IS NULL AND anonymous', body.ids, null));
  });

  app.post('/api/v1/approvals/redeem', async (c) => {
    const install = await installFor(service, c);
    const body = await readJson(c, redeemSchema, service.config.maxBodyBytes);
    const approval = await service.db.tx(async (q) => {
      const [a] = await q.query<{
        id: string; reference: string; approver_name: string; approver_role: string; issued_at: Date; expires_at: Date;
        scope: string | null; expired: boolean; used_up: boolean; revoked: boolean;
      }>(
        `SELECT id, reference, approver_name, approver_role, issued_at, expires_at, scope, expires_at <= now() AS expired,
           uses >= max_uses AS used_up, revoked_at IS NOT NULL AS revoked FROM approvals WHERE code_hash = $1 FOR UPDATE`,
        [sha256Hex(body.code.trim().toUpperCase())],
      );
      if (!a) throw new HttpError(404, 'unknown-approval', 'This approval code is not known.');
      if (a.revoked) throw new HttpError(410, 'approval-revoked', 'This approval was revoked.');
      if (a.expired) throw new HttpError(410, 'approval-expired', 'This approval has expired.');
      if (a.scope !== null && a.scope !== install.installId) throw new HttpError(403, 'approval-other-rep', 'This approval is for another rep.');
      if (a.used_up) throw new HttpError(410, 'approval-used-up', 'This approval has been used up.');
      await q.query('UPDATE approvals SET uses = uses + 1 WHERE id = $1', [a.id]);
      await q.query('INSERT INTO approval_redemptions (approval_id, install_id, team, action, call_count) VALUES ($1, $2, $3, $4, $5)', [
        a.id, install.installId, install.team, body.action, body.callCount,
      ]);
      return {
        id: a.id,
        purpose: 'performance' as const,
        reference: a.reference,
        approver: { name: a.approver_name, role: a.approver_role },
        issuedAt: new Date(a.issued_at).toISOString(),
        expiresAt: new Date(a.expires_at).toISOString(),
        scope: a.scope,
      };
    });
    return c.json({ approval });
  });

  return app;
}
