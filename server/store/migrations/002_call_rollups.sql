-- Rollups for coaching quality and AI summary reliability: call summaries per UTC day (of the call's
-- end, or its last update while it has not ended) and team, and the time to complete a checklist
-- in fixed buckets (server/rollups.ts, COMPLETE_BUCKETS_MS), so a 12-month review reads rollup rows,
-- not millions of call summaries. Kept in the ingest transaction.
CREATE TABLE call_daily (
  day date NOT NULL,
  team text NOT NULL,
  calls integer NOT NULL DEFAULT 0,
  due integer NOT NULL DEFAULT 0,
  completed integer NOT NULL DEFAULT 0,
  dismissed integer NOT NULL DEFAULT 0,
  nuance integer NOT NULL DEFAULT 0,
  statements integer NOT NULL DEFAULT 0,
  marked integer NOT NULL DEFAULT 0,
  wrong integer NOT NULL DEFAULT 0,
  PRIMARY KEY (day, team)
);

CREATE TABLE call_complete_daily (
  day date NOT NULL,
  team text NOT NULL,
  bucket integer NOT NULL,
  n integer NOT NULL,
  PRIMARY KEY (day, team, bucket)
);

INSERT INTO call_daily (day, team, calls, due, completed, dismissed, nuance, statements, marked, wrong)
SELECT (coalesce(ended_at, updated_at) AT TIME ZONE 'UTC')::date, team, count(*),
  count(*) FILTER (WHERE checklist <> 'not-required'), count(*) FILTER (WHERE checklist = 'completed'),
  count(*) FILTER (WHERE checklist = 'dismissed'), count(*) FILTER (WHERE checklist = 'completed' AND human_nuance),
  sum(ai_statements), sum(ai_marked), sum(ai_wrong)
FROM call_summaries GROUP BY 1, 2;

INSERT INTO call_complete_daily (day, team, bucket, n)
SELECT (coalesce(ended_at, updated_at) AT TIME ZONE 'UTC')::date, team,
  width_bucket(checklist_ms, ARRAY[60000, 120000, 300000, 600000, 900000, 1800000, 3600000, 7200000, 14400000, 28800000, 86400000, 172800000, 604800000]::bigint[]),
  count(*)
FROM call_summaries WHERE checklist = 'completed' AND checklist_ms IS NOT NULL GROUP BY 1, 2, 3;
