import type { Queryable } from './store/db';

/**
 * The call-summary rollups (migration 002): each summary counts once, on the UTC day of its end
 * (or of its last update while the call has not ended), in its install's team. A newer copy of a
 * summary replaces the old one, so its old contribution is taken out and the new one added, in
 * the same transaction.
 */

/** Upper bounds (ms) of the time-to-complete buckets; bucket i holds BOUNDS[i-1] ≤ ms < BOUNDS[i]. Same list as migration 002. */
export const COMPLETE_BUCKETS_MS = [60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000, 86_400_000, 172_800_000, 604_800_000];

/** PostgreSQL's width_bucket(ms, thresholds). */
export const completeBucket = (ms: number) => COMPLETE_BUCKETS_MS.filter((t) => t <= ms).length;

/** The bucket's range in ms (upper null: no upper bound). */
export const bucketRange = (bucket: number) => ({ fromMs: bucket === 0 ? 0 : COMPLETE_BUCKETS_MS[bucket - 1]!, toMs: COMPLETE_BUCKETS_MS[bucket] ?? null });

export interface SummaryRow {
  team: string;
  ended_at: Date | string | null;
  updated_at: Date | string;
  checklist: string;
  checklist_ms: number | string | null;
  human_nuance: boolean;
  ai_statements: number;
  ai_marked: number;
  ai_wrong: number;
}

export async function applySummaryToRollups(q: Queryable, row: SummaryRow, sign: 1 | -1): Promise<void> {
  const day = new Date(row.ended_at ?? row.updated_at).toISOString().slice(0, 10);
  const completed = row.checklist === 'completed';
  await q.query(
    `INSERT INTO call_daily (day, team, calls, due, completed, dismissed, nuance, statements, marked, wrong)
     VALUES ($1::date, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (day, team) DO UPDATE SET calls = call_daily.calls + EXCLUDED.calls, due = call_daily.due + EXCLUDED.due,
       completed = call_daily.completed + EXCLUDED.completed, dismissed = call_daily.dismissed + EXCLUDED.dismissed,
       nuance = call_daily.nuance + EXCLUDED.nuance, statements = call_daily.statements + EXCLUDED.statements,
       marked = call_daily.marked + EXCLUDED.marked, wrong = call_daily.wrong + EXCLUDED.wrong`,
    [day, row.team, sign, sign * Number(row.checklist !== 'not-required'), sign * Number(completed), sign * Number(row.checklist === 'dismissed'),
      sign * Number(completed && row.human_nuance), sign * row.ai_statements, sign * row.ai_marked, sign * row.ai_wrong],
  );
  if (completed && row.checklist_ms !== null) {
    await q.query(
      `INSERT INTO call_complete_daily (day, team, bucket, n) VALUES ($1::date, $2, $3, $4)
       ON CONFLICT (day, team, bucket) DO UPDATE SET n = call_complete_daily.n + EXCLUDED.n`,
      [day, row.team, completeBucket(Number(row.checklist_ms)), sign],
    );
  }
}
