/**
 * The sections computed from the small tables, each read whole (no partial): AI drafts
 * (aiReliability), concerns (sentiment, with its month-by-month trend), the access log (access),
 * and the retention limits with the purge receipts (retention). What falls in the period: a
 * draft by createdAt, a concern by createdAt, an access-log entry or purge receipt by `at`.
 */
import type { AccessLogRecord, AiDraftRecord, ConcernRecord, RetentionKind } from '../model';
import type { AuditTablesInput } from './input';
import { ageDays, inPeriod, isFiniteNumber, isFilled, monthKey, monthsBetween, rate, zeroCounts } from './stats';
import type {
  AccessSection, AiReliabilitySection, AuditPeriod, ConcernCounts, PerformanceExport, PurgeReceiptSummary, RetentionKindStatus, RetentionSection,
  SentimentSection,
} from './types';
import { AUDIT_CONCERN_CATEGORIES, AUDIT_RETENTION_KINDS, concernCategorySet, has } from './vocabulary';

/** Oldest first; the id breaks ties, so the order of the input does not matter. */
function byTimeThenId(a: { id: string; entry: { at: number } }, b: { id: string; entry: { at: number } }): number {
  return a.entry.at - b.entry.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** AI drafts pasted in the period; `aiErrorConcerns` comes from the sentiment section. */
export function aiReliabilitySection(aiDrafts: readonly AiDraftRecord[], { from, to }: AuditPeriod, aiErrorConcerns: number): AiReliabilitySection {
  let drafts = 0;
  let statements = 0;
  let statementsMarked = 0;
  let statementsWrong = 0;
  for (const d of aiDrafts) {
    if (!inPeriod(d.createdAt, from, to)) continue;
    drafts++;
    for (const s of d.statements) {
      statements++;
      if (s.mark === 'wrong') {
        statementsMarked++;
        statementsWrong++;
      } else if (s.mark === 'correct') statementsMarked++;
    }
  }
  return { drafts, statements, statementsMarked, statementsWrong, wrongRate: rate(statementsWrong, statementsMarked), aiErrorConcerns };
}

/** Concerns raised in the period: totals, categories, statuses, and the categories month by month. */
export function sentimentSection(concerns: readonly ConcernRecord[], { from, to }: AuditPeriod): SentimentSection {
  const concernsByCategory = zeroCounts(AUDIT_CONCERN_CATEGORIES);
  const statusCounts = { open: 0, acknowledged: 0, resolved: 0 };
  const perMonth = new Map<string, ConcernCounts>();
  let total = 0;
  let anonymous = 0;
  let firstConcernAt = Infinity;
  let lastConcernAt = -Infinity;
  for (const c of concerns) {
    if (!inPeriod(c.createdAt, from, to)) continue;
    total++;
    if (c.anonymous) anonymous++;
    if (c.status === 'open' || c.status === 'acknowledged' || c.status === 'resolved') statusCounts[c.status]++;
    if (!has(concernCategorySet, c.category)) continue;
    concernsByCategory[c.category]++;
    const month = monthKey(c.createdAt);
    let counts = perMonth.get(month);
    if (counts === undefined) {
      counts = zeroCounts(AUDIT_CONCERN_CATEGORIES);
      perMonth.set(month, counts);
    }
    counts[c.category]++;
    if (c.createdAt < firstConcernAt) firstConcernAt = c.createdAt;
    if (c.createdAt > lastConcernAt) lastConcernAt = c.createdAt;
  }
  const concernsByMonth = perMonth.size === 0
    ? []
    : monthsBetween(firstConcernAt, lastConcernAt).map((month) => ({
      month,
      counts: perMonth.get(month) ?? zeroCounts(AUDIT_CONCERN_CATEGORIES),
    }));
  return { total, anonymous, concernsByCategory, concernsByMonth, statusCounts };
}

/** Access-log entries in the period: exports by purpose, and every performance-purpose one with its approval. */
export function accessSection(accessLog: readonly AccessLogRecord[], { from, to }: AuditPeriod): AccessSection {
  const exportsByPurpose = { coaching: 0, performance: 0, recordKeeping: 0 };
  const performanceEntries: { id: string; entry: PerformanceExport }[] = [];
  let performanceWithoutApproval = 0;
  for (const a of accessLog) {
    if (!inPeriod(a.at, from, to)) continue;
    if (a.purpose === 'coaching') exportsByPurpose.coaching++;
    else if (a.purpose === 'record-keeping') exportsByPurpose.recordKeeping++;
    else if (a.purpose === 'performance') {
      exportsByPurpose.performance++;
      const approver = isFilled(a.approval?.approver) ? a.approval!.approver : null;
      const reference = isFilled(a.approval?.reference) ? a.approval!.reference : null;
      if (approver === null || reference === null) performanceWithoutApproval++;
      performanceEntries.push({ id: a.id, entry: { at: a.at, action: a.action, callCount: a.callCount, approver, reference } });
    }
  }
  const performanceExports = performanceEntries.sort(byTimeThenId).map((p) => p.entry);
  return { exportsByPurpose, performanceExports, performanceWithoutApproval };
}

/** Retention: the oldest row of each kind against its limit (ages from `now`); the period's purges. */
export function retentionSection(input: Pick<AuditTablesInput, 'period' | 'now' | 'retentionDays' | 'oldest' | 'purgeReceipts'>): RetentionSection {
  const { from, to } = input.period;
  const kinds = {} as Record<RetentionKind, RetentionKindStatus>;
  let allWithinLimit = true;
  for (const kind of AUDIT_RETENTION_KINDS) {
    const limitDays = input.retentionDays[kind];
    const oldest = input.oldest[kind];
    const oldestAgeDays = isFiniteNumber(oldest) ? ageDays(oldest, input.now) : null;
    const withinLimit = oldestAgeDays === null || oldestAgeDays <= limitDays;
    if (!withinLimit) allWithinLimit = false;
    kinds[kind] = { limitDays, oldestAgeDays, withinLimit };
  }
  const purgeReceipts: PurgeReceiptSummary[] = input.purgeReceipts
    .filter((p) => inPeriod(p.at, from, to))
    .map((p) => ({ id: p.id, entry: { kind: p.kind, count: p.count, at: p.at, oldest: p.oldest ?? null, newest: p.newest ?? null } }))
    .sort(byTimeThenId)
    .map((p) => p.entry);
  return { kinds, allWithinLimit, purgeReceipts };
}
