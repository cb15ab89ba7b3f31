import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, SCRYPT, verifyPassword } from '../http/auth';
import type { TestServer } from '../testing';
import { chain, concernBody, consentBody, consoleLogin, enroll, ENGINES, request, server } from './support';

const SERVER_DIR = join(import.meta.dirname, '..');

describe('passwords and the console page', () => {
  it('scrypt with the documented parameters; wrong passwords and unknown hashes fail', async () => {
    const stored = await hashPassword('a long enough password');
    expect(stored).toMatch(new RegExp(`^scrypt\\$${SCRYPT.N}\\$${SCRYPT.r}\\$${SCRYPT.p}\\$[A-Za-z0-9_-]{22}\\$[A-Za-z0-9_-]{43}$`));
    expect(await verifyPassword('a long enough password', stored)).toBe(true);
    expect(await verifyPassword('a long enough passwore', stored)).toBe(false);
    expect(await verifyPassword('x', null)).toBe(false);
  });

  it('no console source renders HTML from data (no dangerouslySetInnerHTML, innerHTML or eval)', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir, { withFileTypes: true })) {
        if (name.name === 'dist' || name.name === 'node_modules') continue;
        const path = join(dir, name.name);
        if (name.isDirectory()) walk(path);
        else if (/\.(ts|tsx)$/.test(name.name) && !path.includes(`${join('server', 'tests')}`)) files.push(path);
      }
    };
    walk(SERVER_DIR);
    walk(join(SERVER_DIR, '..', 'components', 'report'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/dangerouslySetInnerHTML|\.innerHTML\s*=|outerHTML\s*=|insertAdjacentHTML|\beval\(|new Function\(/);
    }
  });

  it('every SQL statement is parameterized: no template literal interpolates a value into SQL', () => {
    for (const file of ['ingest.ts', 'rollups.ts', 'review.ts', 'chain/assemble.ts', 'http/api.ts', 'http/console-api.ts', 'http/auth.ts', 'settings.ts', 'witness/keys.ts']) {
      const text = readFileSync(join(SERVER_DIR, file), 'utf8');
      // The only interpolations allowed inside SQL text are the parameter-number helpers and fixed clauses.
      for (const m of text.matchAll(/`[^`]*\b(SELECT|INSERT|UPDATE|DELETE)\b[^`]*`/g)) {
        for (const hole of m[0].matchAll(/\$\{([^}]*)\}/g)) {
          expect(hole[1], `${file}: ${hole[0]}`).toMatch(/^(teamFilter\(|tf[24]$|where$|query\.team === null \? '' : ' AND r\.team = \$3'$|team === null \? '' : \(params\.push)/);
        }
      }
    }
  });
});

describe.each(ENGINES)('console API on %s', (engine) => {
  let s: TestServer;
  let admin: Awaited<ReturnType<typeof consoleLogin>>;
  beforeAll(async () => {
    s = await server(engine);
    admin = await consoleLogin(s.url, s.adminLogin);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('only ingest-by-token, enrollment-by-code and health answer without authentication', async () => {
    expect((await request(`${s.url}/health`, 'GET')).status).toBe(200);
    const json = { 'content-type': 'application/json' };
    const gets = ['/api/console/me', '/api/console/review', '/api/console/review.csv', '/api/console/review.pdf', '/api/console/reps', '/api/console/consent-events',
      '/api/console/concerns', '/api/console/approvals', '/api/console/enrollment-codes', '/api/console/accounts', '/api/console/settings', '/api/v1/checkpoints/latest'];
    for (const path of gets) expect((await request(`${s.url}${path}`, 'GET')).status, path).toBe(401);
    const posts = ['/api/v1/ingest', '/api/v1/ingest/batch', '/api/v1/concerns/anonymous', '/api/v1/concerns/status', '/api/v1/concerns/anonymous/status',
      '/api/v1/approvals/redeem', '/api/console/logout', '/api/console/review/done', '/api/console/concerns/00000000-0000-4000-8000-000000000000',
      '/api/console/approvals', '/api/console/enrollment-codes', '/api/console/accounts', '/api/console/settings', '/api/console/installs/x'];
    for (const path of posts) expect((await request(`${s.url}${path}`, 'POST', '{}', json)).status, path).toBe(401);
  });

  it('session cookie: HttpOnly, SameSite=Strict, not Secure on loopback; bad logins are 401; cross-site POSTs refused', async () => {
    expect(admin.setCookie).toMatch(/HttpOnly/);
    expect(admin.setCookie).toMatch(/SameSite=Strict/);
    expect(admin.setCookie).not.toMatch(/Secure/);
    const bad = await request(`${s.url}/api/console/login`, 'POST', { email: s.adminLogin.email, password: 'wrong password' });
    expect(bad).toMatchObject({ status: 401, json: { error: 'The email or password is not correct.', code: 'bad-login' } });
    let limited = 0;
    for (let i = 0; i < 12; i++) {
      const r = await request(`${s.url}/api/console/login`, 'POST', { email: 'nobody@acme.test', password: 'guess' });
      if (r.status === 429) limited++;
    }
    expect(limited).toBeGreaterThan(0);
    const cross = await request(`${s.url}/api/console/settings`, 'POST', { showRepNames: true }, { cookie: admin.cookie, origin: 'https://evil.example' });
    expect(cross.status).toBe(403);
  });

  it('roles: a manager sees the aggregate review of their team only, no concern text, no approvals, no admin', async () => {
    expect((await admin.post('/api/console/accounts', { email: 'm@acme.test', name: 'Morgan', role: 'manager', team: 'east', password: 'manager password 1' })).status).toBe(201);
    expect((await admin.post('/api/console/accounts', { email: 'c@acme.test', name: 'Casey', role: 'compliance', team: null, password: 'compliance password' })).status).toBe(201);
    const manager = await consoleLogin(s.url, { email: 'm@acme.test', password: 'manager password 1' });
    const compliance = await consoleLogin(s.url, { email: 'c@acme.test', password: 'compliance password' });
    const review = await manager.get('/api/console/review?team=west');
    expect(review.status).toBe(200);
    expect(review.json.team).toBe('east');
    expect(review.json.access.performanceExports).toEqual([]);
    for (const path of ['/api/console/concerns', '/api/console/approvals', '/api/console/consent-events', '/api/console/accounts']) {
      expect((await manager.get(path)).status, path).toBe(403);
    }
    expect((await manager.post('/api/console/approvals', { reference: 'x', scope: null, days: 1, maxUses: 1 })).status).toBe(403);
    expect((await compliance.post('/api/console/enrollment-codes', { team: 'x', days: 1, maxUses: 1 })).status).toBe(403);
    expect((await compliance.get('/api/console/concerns')).status).toBe(200);
  });

  it('enrollment codes: team, expiry, uses; shown once, stored hashed', async () => {
    const created = await admin.post('/api/console/enrollment-codes', { team: 'east', days: 7, maxUses: 1 });
    expect(created.status).toBe(201);
    expect(created.json.code).toMatch(/^ENR-/);
    const rows = await s.running.service.db.query<{ code_hash: string }>('SELECT code_hash FROM enrollment_codes');
    expect(JSON.stringify(rows)).not.toContain(created.json.code);
    const c = await enroll(s, created.json.code);
    expect(c.enrollReply.team).toBe('east');
    const again = await request(`${s.url}/api/v1/enroll`, 'POST', { code: created.json.code, installId: 'rep-two', extensionVersion: '1' });
    expect(again.json).toEqual({ error: 'This enrollment code has been used up.', code: 'code-used-up' });
    await s.running.service.db.query("UPDATE enrollment_codes SET expires_at = now() - interval '1 second', uses = 0");
    const expired = await request(`${s.url}/api/v1/enroll`, 'POST', { code: created.json.code, installId: 'rep-two', extensionVersion: '1' });
    expect(expired.json.code).toBe('code-expired');
    // Revoking an install revokes its token.
    expect((await admin.post(`/api/console/installs/${c.installId}`, { revoke: true })).status).toBe(200);
    expect((await c.get('/api/v1/checkpoints/latest')).status).toBe(401);
  });

  it('approvals: expired, another rep, revoked, used up; redemptions appear in the access review', async () => {
    const rep = await enroll(s);
    const issue = async (scope: string | null, maxUses = 1) => (await admin.post('/api/console/approvals', { reference: 'PERF-9', scope, days: 3, maxUses })).json as { id: string; code: string };
    const other = await issue('rep-someone-else');
    expect((await rep.post('/api/v1/approvals/redeem', { code: other.code, action: 'calls-json', callCount: 1 })).json.error).toBe('This approval is for another rep.');
    const revoked = await issue(null);
    await admin.post(`/api/console/approvals/${revoked.id}/revoke`, {});
    expect((await rep.post('/api/v1/approvals/redeem', { code: revoked.code, action: 'calls-json', callCount: 1 })).json.error).toBe('This approval was revoked.');
    const expired = await issue(null);
    await s.running.service.db.query("UPDATE approvals SET expires_at = now() - interval '1 second' WHERE id = $1", [expired.id]);
    expect((await rep.post('/api/v1/approvals/redeem', { code: expired.code, action: 'calls-json', callCount: 1 })).json.error).toBe('This approval has expired.');
    const ok = await issue(null, 2);
    expect((await rep.post('/api/v1/approvals/redeem', { code: ok.code.toLowerCase(), action: 'concerns-csv', callCount: 7 })).status).toBe(200);
    const review = await admin.get('/api/console/review');
    expect(review.json.access.performanceExports).toEqual(
      expect.arrayContaining([expect.objectContaining({ source: 'approval-redeemed', rep: rep.installId, action: 'concerns-csv', callCount: 7, reference: 'PERF-9' })]),
    );
  });

  it('review numbers, pseudonymous reps unless names are allowed, exports in JSON, CSV (formula-safe) and PDF', async () => {
    const rep = await enroll(s);
    const at = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const types = ['asked', 'declined', 'recording-after-decline', 'late-joiner-agreed'] as const;
    const records = await chain(rep.installId, 4, null, (i) => ({ type: types[i]!, at, category: 'customer' }));
    for (const r of records) await rep.post('/api/v1/ingest', consentBody(rep.installId, r));
    await rep.post('/api/v1/ingest', concernBody(rep.installId, { text: '=HYPERLINK("http://x")', createdAt: at, updatedAt: at }));
    const review = (await admin.get('/api/console/review')).json;
    expect(review.consent).toMatchObject({ declined: 1, asked: 1, lateJoiners: { agreed: 1, declined: 0, dismissed: 0 } });
    expect(review.consent.byCallType.customer).toMatchObject({ asked: 1, declined: 1 });
    expect(review.recordingRules.recordingAfterDecline).toBe(1);
    expect(review.sentiment.concernsByCategory['privacy-concern']).toBeGreaterThanOrEqual(1);
    expect(review.nextReviewDue).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    await admin.post(`/api/console/installs/${rep.installId}`, { displayName: 'Riley Rep' });
    const hidden = (await admin.get('/api/console/reps')).json.reps.find((r: any) => r.rep === rep.installId);
    expect(hidden).toMatchObject({ name: null, verifiedSeq: 4, firstSeq: 1, flag: null, gap: false });
    await admin.post('/api/console/settings', { showRepNames: true });
    expect((await admin.get('/api/console/reps')).json.reps.find((r: any) => r.rep === rep.installId).name).toBe('Riley Rep');

    const csv = await admin.get('/api/console/review.csv');
    expect(csv.status).toBe(200);
    expect(csv.json).toContain('"consent","declined","1"');
    const pdf = await fetch(`${s.url}/api/console/review.pdf`, { headers: { cookie: admin.cookie } });
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(bytes.subarray(0, 8).toString()).toBe('%PDF-1.4');
    expect(bytes.toString('latin1')).toContain('declined: 1');
    const done = await admin.post('/api/console/review/done', {});
    const due = new Date();
    due.setUTCMonth(due.getUTCMonth() + 6);
    expect(done.json.nextReviewDue).toBe(due.toISOString().slice(0, 10));
  });
});
