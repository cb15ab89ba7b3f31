import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { HttpError, type Service } from '../context';
import { reviewCsv, reviewPdf } from '../export';
import { buildReview, repStatuses } from '../review';
import { getSettings, nextReviewDue, saveSettings, settingsSchema } from '../settings';
import type { Queryable } from '../store/db';
import { createAccount, currentAccount, login, logout, requireRole, SESSION_COOKIE, sessionCookieOptions, type Account } from './auth';
import { sha256Hex } from '../../lib/util/hash';
import { readJson } from './json';
import { RateLimiter } from './rate';

/**
 * The console's JSON API (same origin as the console page). Every route needs a session (or the
 * SSO proxy's header) except login; roles decide what each account sees (docs/org.md, Roles).
 * POSTs must be JSON and, when the browser sends an Origin, come from the service's own origin.
 */

const MAX = 64 * 1024;
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** Codes people type: 4 groups of 5 from an alphabet without 0/O/1/I/L. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export function humanCode(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  let out = '';
  for (let i = 0; i < 20; i++) out += (i && i % 5 === 0 ? '-' : '') + ALPHABET[bytes[i]! % ALPHABET.length];
  return `${prefix}-${out}`;
}

async function log(q: Queryable, account: Account, action: string, detail: Record<string, unknown>) {
  await q.query('INSERT INTO console_log (account_id, action, detail) VALUES ($1, $2, $3::jsonb)', [account.id, action, JSON.stringify(detail)]);
}

export function consoleRoutes(service: Service): Hono<{ Variables: { account: Account } }> {
  const app = new Hono<{ Variables: { account: Account } }>();
  const db = service.db;
  // Password guessing: 10 attempts a minute per email, on top of scrypt's cost.
  const loginLimiter = new RateLimiter(10);

  app.use('/api/console/*', async (c, next) => {
    if (c.req.method !== 'GET') {
      const origin = c.req.header('origin');
      if (origin && origin !== new URL(c.req.url).origin) throw new HttpError(403, 'cross-origin', 'Requests from other sites are refused.');
      if (!(c.req.header('content-type') ?? '').startsWith('application/json')) {
        throw new HttpError(400, 'not-json', 'Console requests must be sent as application/json.');
      }
    }
    if (c.req.path !== '/api/console/login') c.set('account', await currentAccount(c, service));
    await next();
  });

  app.post('/api/console/login', async (c) => {
    const body = await readJson(c, z.strictObject({ email: z.string().min(1).max(200), password: z.string().min(1).max(500) }), MAX);
    const wait = loginLimiter.take(body.email.trim().toLowerCase(), 1);
    if (wait > 0) throw new HttpError(429, 'rate-limited', `Too many sign-in attempts for this account; try again in ${wait} s.`, { 'Retry-After': String(wait) });
    const { token, account } = await login(service, body.email, body.password);
    setCookie(c, SESSION_COOKIE, token, sessionCookieOptions(c, service.config.sessionHours * 3600));
    return c.json({ account });
  });
  app.post('/api/console/logout', async (c) => {
    await logout(service, getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ ok: true });
  });
  app.get('/api/console/me', async (c) => {
    const settings = await getSettings(db);
    return c.json({ account: c.get('account'), settings, nextReviewDue: await nextReviewDue(db, settings) });
  });

  const reviewQuery = (c: Context, account: Account) => {
    const today = new Date().toISOString().slice(0, 10);
    const from = c.req.query('from') ?? new Date(Date.now() - 182 * 86_400_000).toISOString().slice(0, 10);
    const to = c.req.query('to') ?? today;
    if (!day.safeParse(from).success || !day.safeParse(to).success || from > to) {
      throw new HttpError(400, 'bad-period', 'Choose a period with from and to as YYYY-MM-DD, from not after to.');
    }
    // A manager with a team sees only that team.
    const team = account.role === 'manager' && account.team ? account.team : c.req.query('team') || null;
    return { from, to, team };
  };
  const review = async (c: Context, account: Account) => {
    const settings = await getSettings(db);
    return buildReview(db, reviewQuery(c, account), account.role, { showNames: settings.showRepNames });
  };
  app.get('/api/console/review', async (c) => {
    const account = c.get('account');
    const r = await review(c, account);
    if (c.req.query('download') === '1') c.header('content-disposition', `attachment; filename="candor-review-${r.period.from}-${r.period.to}.json"`);
    return c.json({ ...r, nextReviewDue: await nextReviewDue(db, await getSettings(db)) });
  });
  app.get('/api/console/review.csv', async (c) => {
    const r = await review(c, c.get('account'));
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="candor-review-${r.period.from}-${r.period.to}.csv"`);
    return c.body(reviewCsv(r));
  });
  app.get('/api/console/review.pdf', async (c) => {
    const r = await review(c, c.get('account'));
    c.header('content-type', 'application/pdf');
    c.header('content-disposition', `attachment; filename="candor-review-${r.period.from}-${r.period.to}.pdf"`);
    return c.body(reviewPdf(r, await nextReviewDue(db, await getSettings(db))) as Uint8Array<ArrayBuffer>);
  });
  app.post('/api/console/review/done', async (c) => {
    const account = c.get('account');
    requireRole(account, 'admin', 'compliance');
    await readJson(c, z.strictObject({}), MAX);
    const settings = await saveSettings(db, { lastReviewAt: new Date().toISOString() });
    await log(db, account, 'review-done', {});
    return c.json({ settings, nextReviewDue: await nextReviewDue(db, settings) });
  });

  app.get('/api/console/reps', async (c) => {
    const account = c.get('account');
    const settings = await getSettings(db);
    const team = account.role === 'manager' && account.team ? account.team : c.req.query('team') || null;
    return c.json({ reps: await repStatuses(db, team, settings.showRepNames) });
  });

  app.get('/api/console/consent-events', async (c) => {
    requireRole(c.get('account'), 'admin', 'compliance');
    const rows = await db.query<{ install_id: string; seq: number; at: Date; type: string; category: string | null; entry: { callId: string; platform: string; outcome: string | null } }>(
      'SELECT install_id, seq, at, type, category, entry FROM consent_records ORDER BY at DESC LIMIT 100',
    );
    return c.json({
      events: rows.map((r) => ({ rep: r.install_id, seq: r.seq, at: new Date(r.at).toISOString(), type: r.type, category: r.category, callId: r.entry.callId, platform: r.entry.platform })),
    });
  });

  // --- Concern triage (compliance, admin). Anonymous concerns carry no rep.
  app.get('/api/console/concerns', async (c) => {
    requireRole(c.get('account'), 'admin', 'compliance');
    const rows = await db.query<Record<string, unknown>>(
      `SELECT id, install_id AS rep, team, anonymous, category, text, rep_status AS "repStatus", status, reply, created_at AS "createdAt",
         updated_at AS "updatedAt", triaged_at AS "triagedAt" FROM concerns ORDER BY created_at DESC LIMIT 500`,
    );
    return c.json({ concerns: rows });
  });
  app.post('/api/console/concerns/:id', async (c) => {
    const account = c.get('account');
    requireRole(account, 'admin', 'compliance');
    const id = z.uuid().safeParse(c.req.param('id'));
    if (!id.success) throw new HttpError(404, 'not-found', 'There is no such concern.');
    const body = await readJson(c, z.strictObject({ status: z.enum(['open', 'acknowledged', 'resolved']), reply: z.string().max(2000).nullable() }), MAX);
    const rows = await db.query('UPDATE concerns SET status = $2, reply = $3, triaged_at = now(), triaged_by = $4 WHERE id = $1 RETURNING id', [
      id.data, body.status, body.reply?.trim() || null, account.id,
    ]);
    if (!rows.length) throw new HttpError(404, 'not-found', 'There is no such concern.');
    await log(db, account, 'concern-triaged', { id: id.data, status: body.status });
    return c.json({ ok: true });
  });

  // --- Approvals for performance use (compliance, admin issue; everyone signed in sees the list).
  app.get('/api/console/approvals', async (c) => {
    requireRole(c.get('account'), 'admin', 'compliance');
    const rows = await db.query<Record<string, unknown>>(
      `SELECT id, reference, approver_name AS "approverName", approver_role AS "approverRole", scope, max_uses AS "maxUses", uses,
         issued_at AS "issuedAt", expires_at AS "expiresAt", revoked_at AS "revokedAt" FROM approvals ORDER BY issued_at DESC LIMIT 500`,
    );
    return c.json({ approvals: rows });
  });
  app.post('/api/console/approvals', async (c) => {
    const account = c.get('account');
    requireRole(account, 'admin', 'compliance');
    const body = await readJson(c, z.strictObject({
      reference: z.string().trim().min(1).max(200),
      scope: z.string().max(120).nullable(),
      days: z.int().min(1).max(365),
      maxUses: z.int().min(1).max(100),
    }), MAX);
    const code = humanCode('APR');
    const id = crypto.randomUUID();
    await db.query(
      `INSERT INTO approvals (id, code_hash, reference, approver_id, approver_name, approver_role, scope, max_uses, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(days => $9::int))`,
      [id, sha256Hex(code), body.reference, account.id, account.name, account.role, body.scope?.trim() || null, body.maxUses, body.days],
    );
    await log(db, account, 'approval-issued', { id, reference: body.reference, scope: body.scope });
    return c.json({ id, code }, 201);
  });
  app.post('/api/console/approvals/:id/revoke', async (c) => {
    const account = c.get('account');
    requireRole(account, 'admin', 'compliance');
    await readJson(c, z.strictObject({}), MAX);
    await db.query('UPDATE approvals SET revoked_at = now() WHERE id::text = $1 AND revoked_at IS NULL', [c.req.param('id')]);
    await log(db, account, 'approval-revoked', { id: c.req.param('id') });
    return c.json({ ok: true });
  });

  // --- Enrollment, installs, accounts, settings (admin).
  app.get('/api/console/enrollment-codes', async (c) => {
    requireRole(c.get('account'), 'admin');
    const rows = await db.query<Record<string, unknown>>(
      `SELECT id, team, created_at AS "createdAt", expires_at AS "expiresAt", max_uses AS "maxUses", uses, revoked_at AS "revokedAt"
       FROM enrollment_codes ORDER BY created_at DESC LIMIT 500`,
    );
    return c.json({ codes: rows });
  });
  app.post('/api/console/enrollment-codes', async (c) => {
    const account = c.get('account');
    requireRole(account, 'admin');
    const body = await readJson(c, z.strictObject({ team: z.string().trim().min(1).max(80), days: z.int().min(1).max(365), maxUses: z.int().min(1).max(100_000) }), MAX);
    const code = humanCode('ENR');
    const id = crypto.randomUUID();
    await db.query(
      `INSERT INTO enrollment_codes (id, code_hash, team, created_by, expires_at, max_uses) VALUES ($1, $2, $3, $4, now() + make_interval(days => $5::int), $6)`,
      [id, sha256Hex(code), body.team, account.id, body.days, body.maxUses],
    );
    await log(db, account, 'enrollment-code-created', { id, team: body.team });
    return c.json({ id, code, team: body.team }, 201);
  });
  app.post('/api/console/enrollment-codes/:id/revoke', async (c) => {
    const account = c.get('account');
    requireRole(account, 'admin');
    await readJson(c, z.strictObject({}), MAX);
    await db.query('UPDATE enrollment_codes SET revoked_at = now() WHERE id::text = $1 AND revoked_at IS NULL', [c.req.param('id')]);
    await log(db, account, 'enrollment-code-revoked', { id: c.req.param('id') });
    return c.json({ ok: true });
  });
  app.post('/api/console/installs/:id', async (c) => {
    const account = c.get('account');
    requireRole(account, 'admin');
    const body = await readJson(c, z.strictObject({ displayName: z.string().trim().max(120).nullable().optional(), revoke: z.boolean().optional() }), MAX);
    const installId = c.req.param('id');
    await db.tx(async (q) => {
      if (body.displayName !== undefined) await q.query('UPDATE installs SET display_name = $2 WHERE install_id = $1', [installId, body.displayName || null]);
      if (body.revoke) {
        await q.query('UPDATE installs SET revoked_at = now() WHERE install_id = $1', [installId]);
        await q.query('UPDATE install_tokens SET revoked_at = now() WHERE install_id = $1 AND revoked_at IS NULL', [installId]);
      }
      await log(q, account, 'install-updated', { installId, ...body });
    });
    return c.json({ ok: true });
  });
  app.get('/api/console/accounts', async (c) => {
    requireRole(c.get('account'), 'admin');
    return c.json({ accounts: await db.query('SELECT id, email, name, role, team, disabled_at AS "disabledAt" FROM accounts ORDER BY email') });
  });
  app.post('/api/console/accounts', async (c) => {
    const account = c.get('account');
    requireRole(account, 'admin');
    const body = await readJson(c, z.strictObject({
      email: z.email().max(200), name: z.string().trim().min(1).max(120), role: z.enum(['admin', 'compliance', 'manager']),
      team: z.string().trim().max(80).nullable(), password: z.string().min(12, 'passwords need at least 12 characters').max(500).nullable(),
    }), MAX);
    const exists = await db.query('SELECT 1 FROM accounts WHERE email = $1', [body.email.toLowerCase()]);
    if (exists.length) throw new HttpError(409, 'exists', 'An account with this email already exists.');
    const created = await createAccount(db, body);
    await log(db, account, 'account-created', { id: created.id, role: created.role });
    return c.json({ account: created }, 201);
  });
  app.get('/api/console/settings', async (c) => c.json({ settings: await getSettings(db) }));
  app.post('/api/console/settings', async (c) => {
    const account = c.get('account');
    requireRole(account, 'admin');
    const body = await readJson(c, settingsSchema.partial().omit({ lastReviewAt: true }), MAX);
    const settings = await saveSettings(db, body);
    await log(db, account, 'settings-changed', body);
    return c.json({ settings, nextReviewDue: await nextReviewDue(db, settings) });
  });

  return app;
}
