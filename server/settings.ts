import { z } from 'zod';
import type { Queryable } from './store/db';

/** The organisation's console settings (settings table, one row per key). */
export const settingsSchema = z.strictObject({
  /** Show the names the admin gave installs; off: pseudonymous rep ids only. */
  showRepNames: z.boolean(),
  /** Months between two leadership reviews (6–12 is the programme's rhythm). */
  reviewIntervalMonths: z.int().min(1).max(24),
  /** When the last review was marked done (ISO), or null. */
  lastReviewAt: z.iso.datetime().nullable(),
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = { showRepNames: false, reviewIntervalMonths: 6, lastReviewAt: null };

export async function getSettings(q: Queryable): Promise<Settings> {
  const rows = await q.query<{ key: string; value: unknown }>('SELECT key, value FROM settings WHERE key = ANY($1::text[])', [Object.keys(DEFAULT_SETTINGS)]);
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const r of rows) out[r.key] = r.value;
  const parsed = settingsSchema.safeParse(out);
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

export async function saveSettings(q: Queryable, change: Partial<Settings>): Promise<Settings> {
  for (const [key, value] of Object.entries(change)) {
    if (value === undefined) continue;
    await q.query('INSERT INTO settings (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [key, JSON.stringify(value)]);
  }
  return getSettings(q);
}

/** The date (YYYY-MM-DD) the next review is due: the last review (or the first enrollment) plus the interval. */
export async function nextReviewDue(q: Queryable, settings: Settings): Promise<string | null> {
  let start = settings.lastReviewAt;
  if (!start) {
    const [row] = await q.query<{ first: Date | null }>('SELECT min(enrolled_at) AS first FROM installs');
    start = row?.first ? new Date(row.first).toISOString() : null;
  }
  if (!start) return null;
  const d = new Date(start);
  d.setUTCMonth(d.getUTCMonth() + settings.reviewIntervalMonths);
  return d.toISOString().slice(0, 10);
}
