import { COMPLETE_BUCKETS_MS } from '../rollups';
import type { Db } from '../store/db';

/**
 * A large organisation for the console bench, generated inside PostgreSQL (INSERT … SELECT
 * generate_series): `reps` installs in 20 teams, `consentRows` consent records spread over 400
 * days (each rep's seqs in time order), their rollup, one call summary per 4 consent records,
 * concerns, access-log entries and purge receipts. Hashes are filler (64 hex); the console reads
 * the rollups and the chains table, not the hashes.
 */
export async function seedConsole(db: Db, opts: { reps: number; consentRows: number }) {
  const started = performance.now();
  const { reps, consentRows } = opts;
  const perRep = Math.ceil(consentRows / reps);
  const log = (what: string) => console.log(`  seed: ${what} (${Math.round((performance.now() - started) / 1000)} s)`);

  await db.query(
    `INSERT INTO installs (install_id, team, extension_version, enrolled_at, last_seen_at)
     SELECT 'rep-' || r, 'team-' || lpad((r % 20)::text, 2, '0'), '0.1.0', now() - interval '400 days', now() - (r % 3) * interval '1 day'
     FROM generate_series(1, $1::int) AS r`,
    [reps],
  );
  const chunk = 1_000_000;
  for (let from = 0; from < consentRows; from += chunk) {
    const to = Math.min(consentRows, from + chunk) - 1;
    await db.query(
      `INSERT INTO consent_records (install_id, seq, prev_hash, hash, entry, team, at, type, category, rule)
       SELECT 'rep-' || (1 + g % $3::int), 1 + g / $3::int, md5(g::text) || md5((g + 1)::text), md5((g + 2)::text) || md5((g + 3)::text),
         jsonb_build_object('v', 1, 'type', t.type, 'callId', md5(g::text)::uuid, 'platform', 'meet'),
         'team-' || lpad(((1 + g % $3::int) % 20)::text, 2, '0'),
         now() - interval '400 days' + ((1 + g / $3::int)::float8 / $4::int) * interval '400 days',
         t.type, t.category, t.rule
       FROM generate_series($1::int, $2::int) AS g
       CROSS JOIN LATERAL (SELECT
         (ARRAY['asked','agreed','agreed','agreed','declined','not-recorded','asked','agreed','late-joiner-agreed','recording-before-consent',
                'late-joiner-declined','withdrawn','recording-after-decline','recording-stopped'])[1 + (g * 7) % 14] AS type,
         (ARRAY['external-prospect','customer','customer','internal','hr-people','legal'])[1 + (g * 13) % 6] AS category,
         (ARRAY['ask-consent','ask-consent','ask-consent','never-record','record-with-notice'])[1 + (g * 11) % 5] AS rule) AS t`,
      [from, to, reps, perRep],
    );
    log(`${to + 1} consent records`);
  }
  await db.query(
    `INSERT INTO consent_daily (day, team, type, category, rule, n)
     SELECT (at AT TIME ZONE 'UTC')::date, team, type, coalesce(category, ''), coalesce(rule, ''), count(*)::int
     FROM consent_records GROUP BY 1, 2, 3, 4, 5`,
  );
  log('consent_daily rollup');
  await db.query(
    `INSERT INTO chains (install_id, first_seq, verified_seq, min_seq, max_seq, head_hash, flag, flag_seq, flag_reason, flagged_at)
     SELECT install_id, 1, CASE WHEN r % 997 = 0 THEN max(seq) / 2 ELSE max(seq) END, 1, max(seq), md5(install_id) || md5(install_id),
       CASE WHEN r % 997 = 0 THEN 'broken' END, CASE WHEN r % 997 = 0 THEN max(seq) / 2 + 1 END,
       CASE WHEN r % 997 = 0 THEN 'entry does not link to the entry before it' END, CASE WHEN r % 997 = 0 THEN now() END
     FROM (SELECT install_id, seq, substr(install_id, 5)::int AS r FROM consent_records) x GROUP BY install_id, r`,
  );
  await db.query(
    `INSERT INTO checkpoints (install_id, seq, hash, at, key_id, signature)
     SELECT install_id, verified_seq, head_hash, now(), '0000000000000000', repeat('A', 86) FROM chains`,
  );
  log('chains and checkpoints');
  await db.query(
    `INSERT INTO call_summaries (install_id, call_id, team, platform, ended_at, category, checklist, checklist_ms, human_nuance, ai_statements, ai_marked, ai_wrong, updated_at)
     SELECT 'rep-' || (1 + g % $2::int), md5('call' || g)::uuid, 'team-' || lpad(((1 + g % $2::int) % 20)::text, 2, '0'), 'zoom',
       now() - ((g::bigint * 7919) % (400 * 86400)) * interval '1 second', 'customer',
       (ARRAY['completed','completed','pending','dismissed','not-required'])[1 + g % 5], 60000 + (g * 31) % 3600000, g % 3 = 0,
       g % 9, g % 5, g % 2, now()
     FROM generate_series(1, $1::int) AS g`,
    [Math.ceil(consentRows / 4), reps],
  );
  await db.query(
    `INSERT INTO call_daily (day, team, calls, due, completed, dismissed, nuance, statements, marked, wrong)
     SELECT (coalesce(ended_at, updated_at) AT TIME ZONE 'UTC')::date, team, count(*),
       count(*) FILTER (WHERE checklist <> 'not-required'), count(*) FILTER (WHERE checklist = 'completed'),
       count(*) FILTER (WHERE checklist = 'dismissed'), count(*) FILTER (WHERE checklist = 'completed' AND human_nuance),
       sum(ai_statements), sum(ai_marked), sum(ai_wrong)
     FROM call_summaries GROUP BY 1, 2`,
  );
  await db.query(
    `INSERT INTO call_complete_daily (day, team, bucket, n)
     SELECT (coalesce(ended_at, updated_at) AT TIME ZONE 'UTC')::date, team, width_bucket(checklist_ms, $1::bigint[]), count(*)
     FROM call_summaries WHERE checklist = 'completed' AND checklist_ms IS NOT NULL GROUP BY 1, 2, 3`,
    [COMPLETE_BUCKETS_MS],
  );
  log('call summaries and their rollups');
  await db.query(
    `INSERT INTO concerns (id, install_id, team, anonymous, category, text, rep_status, created_at, updated_at)
     SELECT md5('concern' || g)::uuid, CASE WHEN g % 5 = 0 THEN NULL ELSE 'rep-' || (1 + g % $2::int) END,
       CASE WHEN g % 5 = 0 THEN NULL ELSE 'team-' || lpad(((1 + g % $2::int) % 20)::text, 2, '0') END, g % 5 = 0,
       (ARRAY['privacy-concern','ai-summary-error','coaching-misuse','consent-confusion','access-issue','cultural-friction'])[1 + g % 6],
       'concern text ' || g, 'open', now() - ((g::bigint * 7919) % (400 * 86400)) * interval '1 second', now()
     FROM generate_series(1, $1::int) AS g`,
    [Math.ceil(consentRows / 200), reps],
  );
  await db.query(
    `INSERT INTO access_log (id, install_id, team, at, purpose, action, call_count, approver, reference)
     SELECT md5('access' || g)::uuid, 'rep-' || (1 + g % $2::int), 'team-' || lpad(((1 + g % $2::int) % 20)::text, 2, '0'),
       now() - ((g::bigint * 7919) % (400 * 86400)) * interval '1 second', CASE WHEN g % 4 = 0 THEN 'performance' ELSE 'coaching' END, 'calls-csv', g % 50,
       CASE WHEN g % 40 = 0 THEN NULL ELSE 'Dana (compliance)' END, 'HR-' || g
     FROM generate_series(1, $1::int) AS g`,
    [Math.ceil(consentRows / 2000), reps],
  );
  await db.query(
    `INSERT INTO purge_receipts (id, install_id, team, at, kind, count, oldest, newest)
     SELECT md5('purge' || g)::uuid, 'rep-' || (1 + g % $2::int), 'team-' || lpad(((1 + g % $2::int) % 20)::text, 2, '0'),
       now() - ((g / $2::int) * 14 + 1) * interval '1 day', 'calls', g % 30, now() - interval '400 days', now() - interval '365 days'
     FROM generate_series(1, $1::int) AS g`,
    [reps * 26, reps],
  );
  await db.query('ANALYZE');
  log('concerns, access log, purge receipts, ANALYZE');
  return { seconds: Math.round((performance.now() - started) / 1000) };
}
