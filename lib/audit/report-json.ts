import { z } from 'zod';
import { callCategories, checklistDismissReasons, concernCategories, decisionChangeKinds, ledgerCheckKinds, recordingRules, retentionKinds } from '../model/vocabulary';
import type { AuditReport } from './types';

/**
 * The audit report as a file: a `format` tag, times as ISO 8601 UTC (the report itself keeps epoch
 * ms for its charts), and otherwise the report's own shape (types.ts says what each figure means).
 * docs/schemas/audit-report.schema.json is generated from this schema, and the tests parse real
 * reports with it, so the file, the schema and the report cannot drift apart.
 */
export const AUDIT_REPORT_FORMAT = 'candor-audit-report/1';

const iso = z.iso.datetime({ error: 'must be an ISO 8601 UTC time' });
const count = z.int().nonnegative();
const ms = z.number().nonnegative().nullable();
const ratio = z.number().min(0).max(1).nullable();
const byKey = <K extends string>(keys: readonly K[], value: z.ZodType) => z.strictObject(Object.fromEntries(keys.map((k) => [k, value])) as Record<K, z.ZodType>);
const concernCounts = byKey(concernCategories, count);

export const auditReportJsonSchema = z
  .strictObject({
    format: z.literal(AUDIT_REPORT_FORMAT),
    generatedAt: iso,
    period: z.strictObject({ from: iso, to: iso }),
    consent: z.strictObject({
      callsDetected: count,
      callsAdmitted: count,
      promptsShown: count,
      decisionsMade: count,
      decisionChanges: byKey([...decisionChangeKinds, 'other'], count),
      decisionsBeforeRecording: count,
      outcomes: z.strictObject({ agreed: count, declined: count, notRecorded: count, withdrawn: count, pending: count }),
      medianAdmissionToDecisionMs: ms,
      manualStarts: count,
    }),
    recordingRules: z.strictObject({
      recordingBeforeConsent: count,
      recordingAfterDecline: count,
      afterDeclineStops: z.strictObject({ count, medianMsToStop: ms, maxMsToStop: ms, atCallEnd: count }),
      neverRecordCategories: z.strictObject({ calls: count, respected: count, violated: count }),
      decisionsByRule: byKey([...recordingRules, 'unspecified'], count),
      callsByCategory: byKey([...callCategories, 'uncategorized'], count),
      lateJoiners: z.strictObject({ nudges: count, agreed: count, declined: count, dismissed: count }),
    }),
    access: z.strictObject({
      exportsByPurpose: z.strictObject({ coaching: count, performance: count, recordKeeping: count }),
      performanceExports: z.array(
        z.strictObject({ at: iso, action: z.string(), callCount: count, approver: z.string().nullable(), reference: z.string().nullable() }),
      ),
      performanceWithoutApproval: count,
    }),
    sentiment: z.strictObject({
      total: count,
      anonymous: count,
      concernsByCategory: concernCounts,
      concernsByMonth: z.array(z.strictObject({ month: z.string().regex(/^\d{4}-\d{2}$/), counts: concernCounts })),
      statusCounts: z.strictObject({ open: count, acknowledged: count, resolved: count }),
    }),
    coaching: z.strictObject({
      checklistsDue: count,
      checklistsCompleted: count,
      completionRate: ratio,
      medianTimeToCompleteMs: ms,
      humanNuanceFilledRate: ratio,
      checklistsNotRequired: count,
      checklistsDismissed: count,
      dismissedByReason: byKey(checklistDismissReasons, count),
    }),
    aiReliability: z.strictObject({
      drafts: count,
      statements: count,
      statementsMarked: count,
      statementsWrong: count,
      wrongRate: ratio,
      aiErrorConcerns: count,
    }),
    retention: z.strictObject({
      kinds: byKey(retentionKinds, z.strictObject({ limitDays: count, oldestAgeDays: count.nullable(), withinLimit: z.boolean() })),
      allWithinLimit: z.boolean(),
      purgeReceipts: z.array(z.strictObject({ kind: z.enum(retentionKinds), count, at: iso, oldest: iso.nullable(), newest: iso.nullable() })),
    }),
    ledger: z.discriminatedUnion('intact', [
      z.strictObject({ check: z.enum(ledgerCheckKinds), intact: z.literal(true), count, head: z.strictObject({ seq: count, hash: z.string().regex(/^[0-9a-f]{64}$/) }) }),
      z.strictObject({
        check: z.enum(ledgerCheckKinds),
        intact: z.literal(false),
        count,
        brokenAt: z.strictObject({ index: z.int(), seq: z.int().nullable(), reason: z.string() }),
      }),
    ]),
  })
  .meta({ title: 'Candor audit report', description: 'The periodic governance review; see docs/exports.md' });
export type AuditReportJson = z.infer<typeof auditReportJsonSchema>;

const isoOf = (at: number) => new Date(at).toISOString();
const isoOrNull = (at: number | null) => (at === null ? null : isoOf(at));

/** The report as its file holds it (JSON.stringify it with 2-space indent). */
export function auditReportJson(report: AuditReport): AuditReportJson {
  return {
    format: AUDIT_REPORT_FORMAT,
    generatedAt: isoOf(report.generatedAt),
    period: { from: isoOf(report.period.from), to: isoOf(report.period.to) },
    consent: report.consent,
    recordingRules: report.recordingRules,
    access: { ...report.access, performanceExports: report.access.performanceExports.map((e) => ({ ...e, at: isoOf(e.at) })) },
    sentiment: report.sentiment,
    coaching: report.coaching,
    aiReliability: report.aiReliability,
    retention: {
      ...report.retention,
      purgeReceipts: report.retention.purgeReceipts.map((p) => ({ ...p, at: isoOf(p.at), oldest: isoOrNull(p.oldest), newest: isoOrNull(p.newest) })),
    },
    ledger: report.ledger,
  };
}
