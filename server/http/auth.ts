import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { HttpError, type Service } from '../context';
import type { Queryable } from '../store/db';
import { sha256Hex } from '../../lib/util/hash';

/**
 * Console accounts and sessions.
 *
 * Passwords: scrypt (memory-hard), N = 2^15, r = 8, p = 1 (32 MiB per hash, ~60–100 ms here), a
 * 16-byte random salt, a 32-byte key; stored as `scrypt$N$r$p$<salt b64url>$<key b64url>` so
 * the parameters can be raised later without invalidating stored hashes.
 * Sessions: 32 random bytes in an HttpOnly, SameSite=Strict cookie (Secure except on loopback),
 * stored only as SHA-256; CSRF is covered by SameSite=Strict and by requiring JSON bodies with an
 * Origin (when sent) equal to the service's own.
 */

export type Role = 'admin' | 'compliance' | 'manager';
export interface Account {
  id: string;
  email: string;
  name: string;
  role: Role;
  team: string | null;
}

export const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keylen: 32, maxmem: 64 * 1024 * 1024 } as const;
export const SESSION_COOKIE = 'candor_session';

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: SCRYPT.maxmem });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = (stored ?? '').split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    // Same work for unknown accounts, so timing does not tell which emails exist.
    await hashPassword(password);
    return false;
  }
  const [, n, r, p, salt, key] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(key, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem,
  });
  return timingSafeEqual(expected, actual);
}

export const randomToken = () => randomBytes(32).toString('base64url');

export async function createAccount(
  q: Queryable,
  a: { email: string; name: string; role: Role; team?: string | null; password: string | null },
): Promise<Account> {
  const id = crypto.randomUUID();
  const email = a.email.trim().toLowerCase();
  await q.query('INSERT INTO accounts (id, email, name, role, team, password_hash) VALUES ($1, $2, $3, $4, $5, $6)', [
    id, email, a.name, a.role, a.team ?? null, a.password === null ? null : await hashPassword(a.password),
  ]);
  return { id, email, name: a.name, role: a.role, team: a.team ?? null };
}

export async function login(service: Service, email: string, password: string): Promise<{ token: string; account: Account }> {
  const [row] = await service.db.query<Account & { password_hash: string | null }>(
    'SELECT id, email, name, role, team, password_hash FROM accounts WHERE email = $1 AND disabled_at IS NULL',
    [email.trim().toLowerCase()],
  );
  if (!(await verifyPassword(password, row?.password_hash ?? null)) || !row) {
    throw new HttpError(401, 'bad-login', 'The email or password is not correct.');
  }
  const token = randomToken();
  await service.db.query(`INSERT INTO sessions (token_hash, account_id, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3::int))`, [
    sha256Hex(token), row.id, service.config.sessionHours,
  ]);
  return { token, account: { id: row.id, email: row.email, name: row.name, role: row.role, team: row.team } };
}

export async function logout(service: Service, token: string | undefined): Promise<void> {
  if (token) await service.db.query('DELETE FROM sessions WHERE token_hash = $1', [sha256Hex(token)]);
}

/** Whether the request came over loopback (the only place a session cookie may go without Secure). */
export function isLoopback(c: Context): boolean {
  const host = new URL(c.req.url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '::1';
}

export function sessionCookieOptions(c: Context, maxAgeSeconds: number) {
  return { httpOnly: true, sameSite: 'Strict' as const, secure: !isLoopback(c), path: '/', maxAge: maxAgeSeconds };
}

/**
 * The signed-in account: from the session cookie, or from the SSO proxy's header when
 * CANDOR_SSO_EMAIL_HEADER is set (and, with CANDOR_SSO_SECRET, only when the proxy's
 * X-Candor-Proxy-Secret header carries it). Throws 401 otherwise.
 */
export async function currentAccount(c: Context, service: Service): Promise<Account> {
  const { ssoEmailHeader, ssoSecret } = service.config;
  if (ssoEmailHeader) {
    const email = c.req.header(ssoEmailHeader);
    const secretOk = !ssoSecret || c.req.header('x-candor-proxy-secret') === ssoSecret;
    if (email && secretOk) {
      const [row] = await service.db.query<Account>(
        'SELECT id, email, name, role, team FROM accounts WHERE email = $1 AND disabled_at IS NULL',
        [email.trim().toLowerCase()],
      );
      if (row) return row;
      throw new HttpError(403, 'no-account', 'You are signed in, but there is no Candor console account for your email.');
    }
  }
  const token = getCookie(c, SESSION_COOKIE);
  if (token) {
    const [row] = await service.db.query<Account>(
      `SELECT a.id, a.email, a.name, a.role, a.team FROM sessions s JOIN accounts a ON a.id = s.account_id
       WHERE s.token_hash = $1 AND s.expires_at > now() AND a.disabled_at IS NULL`,
      [sha256Hex(token)],
    );
    if (row) return row;
  }
  throw new HttpError(401, 'not-signed-in', 'Sign in to the console first.');
}

export function requireRole(account: Account, ...roles: Role[]): void {
  if (!roles.includes(account.role)) {
    throw new HttpError(403, 'forbidden', `This needs the ${roles.join(' or ')} role; your account is ${account.role}.`);
  }
}
