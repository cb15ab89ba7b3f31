import { appendRecord, type ChainRecord } from '../../lib/ledger/chain';
import type { LedgerEntry, LedgerEventType } from '../../lib/ledger/entry';
import { startTestServer, type TestServer } from '../testing';

/** The engines every server test runs on: PGlite always, PostgreSQL when CANDOR_TEST_DATABASE_URL is set. */
export const ENGINES: ('pglite' | 'postgres')[] = process.env.CANDOR_TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
export const HAS_POSTGRES = !!process.env.CANDOR_TEST_DATABASE_URL;
if (!HAS_POSTGRES && !(globalThis as { __candorSkipNoted?: boolean }).__candorSkipNoted) {
  (globalThis as { __candorSkipNoted?: boolean }).__candorSkipNoted = true;
  console.warn('[server tests] CANDOR_TEST_DATABASE_URL is not set: the PostgreSQL runs are SKIPPED (PGlite only).');
}

export const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);

export function entry(rep: string, i: number, over: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    v: 1,
    type: 'agreed' as LedgerEventType,
    at: new Date(T0 + i * 60_000).toISOString(),
    eventId: crypto.randomUUID(),
    callId: crypto.randomUUID(),
    platform: 'meet',
    meetingRef: 'a'.repeat(64),
    rep,
    asked: { scope: 'all-present', audience: 'external' },
    notice: { textHash: 'b'.repeat(64), language: 'en', version: 'v1' },
    purposes: ['recording'],
    method: 'read-aloud-attested',
    outcome: 'agreed',
    reason: null,
    category: 'customer',
    rule: 'ask-consent',
    policyVersion: '1',
    extensionVersion: '0.1.0',
    details: {},
    ...over,
  };
}

/** n chained records for rep, continuing from prev (null: genesis). */
export async function chain(rep: string, n: number, prev: ChainRecord | null = null, over: (i: number) => Partial<LedgerEntry> = () => ({})): Promise<ChainRecord[]> {
  const out: ChainRecord[] = [];
  let last = prev;
  const start = prev?.seq ?? 0;
  for (let i = 0; i < n; i++) {
    last = await appendRecord(last, entry(rep, start + i, over(start + i)));
    out.push(last);
  }
  return out;
}

export function consentBody(rep: string, r: ChainRecord, id: string = crypto.randomUUID()) {
  return { format: 'candor-sync/1', id, kind: 'consent', createdAt: new Date(T0).toISOString(), rep, record: { seq: r.seq, prevHash: r.prevHash, hash: r.hash, entry: r.entry } };
}

export function concernBody(rep: string | null, over: Record<string, unknown> = {}, id: string = crypto.randomUUID()) {
  const anonymous = rep === null;
  return {
    format: 'candor-sync/1', id, kind: 'concern', createdAt: new Date(T0).toISOString(), rep,
    record: {
      id: crypto.randomUUID(), category: 'privacy-concern', text: 'Recording felt pushy on this call', anonymous, status: 'open',
      ...(anonymous ? {} : { callId: crypto.randomUUID() }),
      createdAt: new Date(T0).toISOString(), updatedAt: new Date(T0).toISOString(), ...over,
    },
  };
}

export interface Client {
  url: string;
  token: string;
  installId: string;
  anonymousKey: string;
  enrollReply: Record<string, unknown>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; json: any; headers: Headers }>;
  get(path: string): Promise<{ status: number; json: any }>;
}

export async function request(url: string, method: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json, headers: res.headers };
}

/** Enrolls a new install with the server's org enrollment key (or the code given). */
export async function enroll(server: { url: string }, code = 'org-key-for-tests', installId = `rep-${crypto.randomUUID()}`): Promise<Client> {
  const res = await request(`${server.url}/api/v1/enroll`, 'POST', { code, installId, extensionVersion: '0.1.0' });
  if (res.status !== 201) throw new Error(`enroll failed: ${res.status} ${JSON.stringify(res.json)}`);
  const token = res.json.token as string;
  const auth = { authorization: `Bearer ${token}` };
  return {
    url: server.url,
    token,
    installId,
    anonymousKey: res.json.anonymousKey,
    enrollReply: res.json,
    post: (path, body, headers = {}) => {
      const id = (body as { id?: string })?.id;
      return request(`${server.url}${path}`, 'POST', body, { ...auth, ...(id && path === '/api/v1/ingest' ? { 'idempotency-key': id } : {}), ...headers });
    },
    get: (path) => request(`${server.url}${path}`, 'GET', undefined, auth),
  };
}

export async function server(engine: 'pglite' | 'postgres', config: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  return startTestServer({ db: engine, ...config, config: { enrollmentKey: 'org-key-for-tests', ...config.config } });
}

/** Signs in to the console; returns a fetch bound to the session cookie. */
export async function consoleLogin(url: string, login: { email: string; password: string }) {
  const res = await fetch(`${url}/api/console/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(login) });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  return {
    cookie,
    setCookie: res.headers.get('set-cookie') ?? '',
    get: (path: string) => request(`${url}${path}`, 'GET', undefined, { cookie }),
    post: (path: string, body: unknown) => request(`${url}${path}`, 'POST', body, { cookie }),
  };
}
