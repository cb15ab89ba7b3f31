import type { Role } from './http/auth';
import { bucketRange } from './rollups';
import type { Queryable } from './store/db';

/**
 * The leadership review across all reps and teams: the seven points the extension's own report
 * computes per rep (lib/audit/report.ts), plus each rep's ledger status. Consent numbers come from
 * the consent_daily rollup (kept in the ingest transaction), so a 12-month view reads a few
 * thousand rollup rows whatever the number of records.
 */

export interface ReviewQuery {
  /** UTC days, inclusive: YYYY-MM-DD. */
  from: string;
  to: string;
  /** null: all teams. */
  team: string | null;
}

export const CONCERN_CATEGORIES = ['privacy-concern', 'ai-summary-error', 'coaching-misuse', 'consent-confusion', 'access-issue', 'cultural-friction'] as const;
const OUTCOME_TYPES = ['asked', 'agreed', 'declined', 'not-recorded', 'withdrawn'] as const;

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const rate = (a: number, b: number) => (b === 0 ? null : a / b);
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** `AND team = $n` when a team is chosen; the params array gets the value. */
function teamFilter(query: ReviewQuery, params: unknown[], column = 'team'): string {
  if (query.team === null) return '';
  params.push(query.team);
  return ` AND ${column} = $${params.length}`;
}

export async function buildReview(q: Queryable, query: ReviewQuery, role: Role, opts: { showNames: boolean; now?: Date }) {
  const fromTs = `${query.from}T00:00:00.000Z`;
  const toTs = `${query.to}T23:59:59.999Z`;

  // --- Consent and recording rules (rollup).
  const p1: unknown[] = [query.from, query.to];
  const rollup = await q.query<{ type: string; category: string; rule: string; n: number }>(
    `SELECT type, category, rule, sum(n)::int AS n FROM consent_daily WHERE day BETWEEN $1::date AND $2::date${teamFilter(query, p1)}
     GROUP BY type, category, rule`,
    p1,
  );
  const byType: Record<string, number> = {};
  const byCategory: Record<string, Record<string, number>> = {};
  const decisionsByRule: Record<string, number> = {};
  let neverRecordViolations = 0;
  for (const r of rollup) {
    byType[r.type] = (byType[r.type] ?? 0) + r.n;
    if ((OUTCOME_TYPES as readonly string[]).includes(r.type)) {
      const cat = r.category || 'uncategorized';
      byCategory[cat] ??= { asked: 0, agreed: 0, declined: 0, 'not-recorded': 0, withdrawn: 0 };
      byCategory[cat]![r.type] = (byCategory[cat]![r.type] ?? 0) + r.n;
      if (r.type !== 'asked') decisionsByRule[r.rule || 'unspecified'] = (decisionsByRule[r.rule || 'unspecified'] ?? 0) + r.n;
    }
    if (r.rule === 'never-record' && r.type.startsWith('recording-') && r.type !== 'recording-stopped') neverRecordViolations += r.n;
  }
  const t = (k: string) => byType[k] ?? 0;
  const consent = {
    records: Object.values(byType).reduce((a, b) => a + b, 0),
    asked: t('asked'),
    agreed: t('agreed'),
    declined: t('declined'),
    notRecorded: t('not-recorded'),
    withdrawn: t('withdrawn'),
    byCallType: byCategory,
    lateJoiners: { agreed: t('late-joiner-agreed'), declined: t('late-joiner-declined'), dismissed: t('late-joiner-dismissed') },
  };
  const recordingRules = {
    recordingBeforeConsent: t('recording-before-consent'),
    recordingAfterDecline: t('recording-after-decline'),
    recordingStopped: t('recording-stopped'),
    decisionsByRule,
    neverRecordViolations,
  };

  // --- Access review: every performance export, from the reps' access logs and from redemptions.
  const p2: unknown[] = [fromTs, toTs];
  const tf2 = teamFilter(query, p2);
  const exportsByPurpose = await q.query<{ purpose: string; n: number }>(
    `SELECT purpose, count(*)::int AS n FROM access_log WHERE at BETWEEN $1::timestamptz AND $2::timestamptz${tf2} GROUP BY purpose`,
    p2,
  );
  const logged = await q.query<{ at: Date; install_id: string; action: string; call_count: number; approver: string | null; reference: string | null }>(
    `SELECT at, install_id, action, call_count, approver, reference FROM access_log
     WHERE purpose = 'performance' AND at BETWEEN $1::timestamptz AND $2::timestamptz${tf2} ORDER BY at LIMIT 1000`,
    p2,
  );
  const redeemed = await q.query<{ at: Date; install_id: string; action: string; call_count: number; approver_name: string; approver_role: string; reference: string }>(
    `SELECT r.at, r.install_id, r.action, r.call_count, a.approver_name, a.approver_role, a.reference
     FROM approval_redemptions r JOIN approvals a ON a.id = r.approval_id
     WHERE r.at BETWEEN $1::timestamptz AND $2::timestamptz${query.team === null ? '' : ' AND r.team = $3'}
     ORDER BY r.at LIMIT 1000`,
    p2,
  );
  const performanceExports = [
    ...logged.map((r) => ({ source: 'rep-log' as const, at: iso(r.at), rep: r.install_id, action: r.action, callCount: r.call_count, approver: r.approver, reference: r.reference })),
    ...redeemed.map((r) => ({ source: 'approval-redeemed' as const, at: iso(r.at), rep: r.install_id, action: r.action, callCount: r.call_count, approver: `${r.approver_name} (${r.approver_role})`, reference: r.reference })),
  ].sort((a, b) => (a.at! < b.at! ? -1 : a.at! > b.at! ? 1 : 0));
  const access = {
    exportsByPurpose: { coaching: num(exportsByPurpose.find((e) => e.purpose === 'coaching')?.n), performance: num(exportsByPurpose.find((e) => e.purpose === 'performance')?.n) },
    performanceExports: role === 'manager' ? [] : performanceExports,
    performanceWithoutApproval: logged.filter((l) => !l.approver?.trim() || !l.reference?.trim()).length,
  };

  // --- Cultural sentiment.
  const p3: unknown[] = [fromTs, toTs];
  const concernRows = await q.query<{ month: string; category: string; status: string; anonymous: boolean; n: number }>(
    `SELECT to_char(date_trunc('month', created_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month, category, status, anonymous, count(*)::int AS n
     FROM concerns WHERE created_at BETWEEN $1::timestamptz AND $2::timestamptz${teamFilter(query, p3)}
     GROUP BY 1, 2, 3, 4 ORDER BY 1`,
    p3,
  );
  const zero = () => Object.fromEntries(CONCERN_CATEGORIES.map((c) => [c, 0])) as Record<string, number>;
  const concernsByCategory = zero();
  const months = new Map<string, Record<string, number>>();
  const statusCounts = { open: 0, acknowledged: 0, resolved: 0 } as Record<string, number>;
  let total = 0;
  let anonymous = 0;
  for (const r of concernRows) {
    total += r.n;
    if (r.anonymous) anonymous += r.n;
    concernsByCategory[r.category] = (concernsByCategory[r.category] ?? 0) + r.n;
    statusCounts[r.status] = (statusCounts[r.status] ?? 0) + r.n;
    const m = months.get(r.month) ?? zero();
    m[r.category] = (m[r.category] ?? 0) + r.n;
    months.set(r.month, m);
  }
  const sentiment = { total, anonymous, concernsByCategory, concernsByMonth: [...months].map(([month, counts]) => ({ month, counts })), statusCounts };

  // --- Coaching quality and AI summary reliability (call-summary rollups, migration 002).
  const p4: unknown[] = [query.from, query.to];
  const tf4 = teamFilter(query, p4);
  const [cs] = await q.query<Record<string, number | null>>(
    `SELECT coalesce(sum(calls), 0)::int AS calls, coalesce(sum(due), 0)::int AS due, coalesce(sum(completed), 0)::int AS completed,
       coalesce(sum(dismissed), 0)::int AS dismissed, coalesce(sum(nuance), 0)::int AS nuance, coalesce(sum(statements), 0)::int AS statements,
       coalesce(sum(marked), 0)::int AS marked, coalesce(sum(wrong), 0)::int AS wrong
     FROM call_daily WHERE day BETWEEN $1::date AND $2::date${tf4}`,
    p4,
  );
  const buckets = await q.query<{ bucket: number; n: number }>(
    `SELECT bucket, sum(n)::int AS n FROM call_complete_daily WHERE day BETWEEN $1::date AND $2::date${tf4} GROUP BY bucket ORDER BY bucket`,
    p4,
  );
  const c = (k: string) => num(cs?.[k]);
  const timed = buckets.reduce((a, b) => a + b.n, 0);
  let seen = 0;
  const medianBucket = timed === 0 ? null : buckets.find((b) => (seen += b.n) >= Math.ceil(timed / 2))!.bucket;
  const coaching = {
    calls: c('calls'),
    checklistsDue: c('due'),
    checklistsCompleted: c('completed'),
    checklistsDismissed: c('dismissed'),
    completionRate: rate(c('completed'), c('due')),
    /** The time-to-complete bucket that holds the median (server/rollups.ts), or null. */
    medianTimeToComplete: medianBucket === null ? null : bucketRange(medianBucket),
    humanNuanceFilledRate: rate(c('nuance'), c('completed')),
  };
  const aiReliability = {
    statements: c('statements'),
    statementsMarked: c('marked'),
    statementsWrong: c('wrong'),
    wrongRate: rate(c('wrong'), c('marked')),
    aiErrorConcerns: concernsByCategory['ai-summary-error'] ?? 0,
  };

  // --- Retention: purge receipts per install in the period, and installs whose purges are overdue.
  const p5: unknown[] = [fromTs, toTs];
  const purges = await q.query<{ install_id: string; kind: string; n: number; rows: number; last: Date }>(
    `SELECT install_id, kind, count(*)::int AS n, sum(count)::int AS rows, max(at) AS last FROM purge_receipts
     WHERE at BETWEEN $1::timestamptz AND $2::timestamptz${teamFilter(query, p5)} GROUP BY install_id, kind ORDER BY install_id, kind LIMIT 5000`,
    p5,
  );
  const p6: unknown[] = [];
  const overdue = await q.query<{ install_id: string; last_purge: Date | null; last_seen_at: Date | null }>(
    `SELECT i.install_id, max(p.at) AS last_purge, i.last_seen_at FROM installs i LEFT JOIN purge_receipts p ON p.install_id = i.install_id
     WHERE i.revoked_at IS NULL${teamFilter(query, p6, 'i.team')}
     GROUP BY i.install_id, i.last_seen_at, i.enrolled_at
     HAVING coalesce(max(p.at), i.enrolled_at) < now() - interval '7 days' AND i.last_seen_at > coalesce(max(p.at), i.enrolled_at)
     ORDER BY i.install_id LIMIT 1000`,
    p6,
  );
  const retention = {
    purgesByInstall: purges.map((p) => ({ rep: p.install_id, kind: p.kind, purges: p.n, rows: p.rows, lastAt: iso(p.last) })),
    overduePurges: overdue.map((o) => ({ rep: o.install_id, lastPurgeAt: iso(o.last_purge), lastSeenAt: iso(o.last_seen_at) })),
  };

  // --- Ledger status summary.
  const p7: unknown[] = [];
  const ledgerRows = await q.query<{ status: string; n: number }>(
    `SELECT CASE WHEN c.flag IS NOT NULL THEN c.flag WHEN c.first_seq IS NULL THEN 'empty'
       WHEN c.max_seq > c.verified_seq OR c.min_seq < c.first_seq THEN 'gap' ELSE 'ok' END AS status, count(*)::int AS n
     FROM chains c JOIN installs i ON i.install_id = c.install_id WHERE true${teamFilter(query, p7, 'i.team')} GROUP BY 1`,
    p7,
  );
  const ledger = Object.fromEntries(['ok', 'gap', 'broken', 'fork', 'rollback', 'empty'].map((s) => [s, num(ledgerRows.find((r) => r.status === s)?.n)]));

  return {
    format: 'candor-org-review/1',
    period: { from: query.from, to: query.to },
    team: query.team,
    generatedAt: (opts.now ?? new Date()).toISOString(),
    consent,
    recordingRules,
    access,
    sentiment,
    coaching,
    aiReliability,
    retention,
    ledger,
  };
}
export type Review = Awaited<ReturnType<typeof buildReview>>;

/** Each rep's ledger status: verified up to seq N, gaps, forks; names only when the org allows. */
export async function repStatuses(q: Queryable, team: string | null, showNames: boolean) {
  const params: unknown[] = [];
  const rows = await q.query<{
    install_id: string; team: string; display_name: string | null; last_seen_at: Date | null; revoked_at: Date | null;
    first_seq: number | null; verified_seq: number | null; min_seq: number | null; max_seq: number | null; flag: string | null;
    flag_seq: number | null; flag_reason: string | null; conflicts: number; checkpoint_at: Date | null;
  }>(
    `SELECT i.install_id, i.team, i.display_name, i.last_seen_at, i.revoked_at, c.first_seq, c.verified_seq, c.min_seq, c.max_seq,
       c.flag, c.flag_seq, c.flag_reason,
       (SELECT count(*)::int FROM chain_conflicts x WHERE x.install_id = i.install_id) AS conflicts,
       (SELECT max(k.at) FROM checkpoints k WHERE k.install_id = i.install_id) AS checkpoint_at
     FROM installs i LEFT JOIN chains c ON c.install_id = i.install_id
     WHERE true${team === null ? '' : (params.push(team), ` AND i.team = $${params.length}`)}
     ORDER BY (c.flag IS NULL), i.install_id LIMIT 10000`,
    params,
  );
  return rows.map((r) => ({
    rep: r.install_id,
    name: showNames ? r.display_name : null,
    team: r.team,
    lastSeenAt: iso(r.last_seen_at),
    revoked: r.revoked_at !== null,
    firstSeq: r.first_seq,
    verifiedSeq: r.verified_seq,
    receivedUpTo: r.max_seq,
    gap: r.first_seq !== null && ((r.max_seq ?? 0) > (r.verified_seq ?? 0) || (r.min_seq ?? 0) < r.first_seq),
    flag: r.flag,
    flagSeq: r.flag_seq,
    flagReason: r.flag_reason,
    conflicts: r.conflicts,
    lastCheckpointAt: iso(r.checkpoint_at),
  }));
}
