/** The console's calls to its own service (same origin, session cookie). */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function api<T = any>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => null)) as { error?: string } | null;
  if (!res.ok) throw new ApiError(res.status, json?.error ?? `The service answered ${res.status}.`);
  return json as T;
}

export type Role = 'admin' | 'compliance' | 'manager';
export interface Account {
  id: string;
  email: string;
  name: string;
  role: Role;
  team: string | null;
}

export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '—');
export const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 100)} %`);
export const dur = (ms: number | null) =>
  ms === null ? '—' : ms < 60_000 ? `${Math.round(ms / 1000)} s` : ms < 3_600_000 ? `${Math.round(ms / 60_000)} min` : `${(ms / 3_600_000).toFixed(1)} h`;
export const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
