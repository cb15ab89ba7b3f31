/**
 * The periodic program audit ("Audit the Program Regularly and Adjust as Needed"): what
 * leadership reviews every 6–12 months, computed from the stored records.
 *
 *   consent          accuracy of the consent process
 *   recordingRules   adherence to recording rules
 *   access           clarity of access permissions (who used calls, for what, approved by whom)
 *   sentiment        cultural sentiment (concerns raised)
 *   coaching         coaching quality (post-call checklists)
 *   aiReliability    AI summary reliability (statements the rep marked)
 *   retention        data retention timelines
 *   ledger           integrity of the consent ledger (verified by the caller)
 *
 * Pure: no browser APIs, no Dexie, no DOM, no clock. The caller reads the records and passes
 * them in with `now`; the same input always gives the same report. The report is plain JSON
 * (numbers, strings, booleans, null, arrays, objects): never NaN or Infinity. A statistic with
 * nothing to measure (a median of no values, a rate out of zero) is null, a count is 0.
 *
 * The call-based sections (consent, recordingRules, coaching) go through a mergeable partial:
 * accumulateCallSections folds calls, events and checklists into counts and value lists,
 * mergeCallSections adds partials of disjoint periods, buildAuditReportBody finishes one with the
 * small tables. buildAuditReport is all three over one input; the background caches a partial per
 * UTC day (lib/background/audit-cache) so a report reads ~180 small rows, not every event.
 *
 * The modules: input.ts (what the report reads, and AUDIT_SOURCE_FIELDS), types.ts (the report),
 * vocabulary.ts, call-sections.ts (accumulateCallSections), partial.ts (merge, finish),
 * table-sections.ts (access, sentiment, aiReliability, retention), stats.ts; this one composes them.
 * Cost: one pass over the calls, one over the events, one over each other list (call-sections.ts).
 *
 * What falls in the period [from, to] (both ends inclusive):
 *  - a call when its admission time is in it (its detection time when it was never admitted);
 *  - an event, concern, access-log entry, AI draft (createdAt) or purge receipt by its own time.
 * Call-level facts (was this call's first decision fast, did it ever record under a
 * never-record rule) use every event given for the call, also those outside the period, so the
 * caller should pass the events of the period's calls as well as the period's events. Extra
 * records outside the period are harmless: they are filtered out here.
 */

import { accumulateCallSections } from './call-sections';
import type { AuditInput, AuditTablesInput } from './input';
import { finishCallSections, type CallSectionsPartial } from './partial';
import { accessSection, aiReliabilitySection, retentionSection, sentimentSection } from './table-sections';
import type { AuditLedger, AuditReport } from './types';

/** The report before the ledger's verification is added (the background builds this part). */
export type AuditReportBody = Omit<AuditReport, 'ledger'>;

export function buildAuditReport(input: AuditInput): AuditReport {
  const sections = accumulateCallSections(input.period, input.calls, input.events, input.checklists);
  return withAuditLedger(buildAuditReportBody(sections, input), input.ledger);
}

/** The report with the ledger's verification result (copied: the report shares no caller object). */
export function withAuditLedger(body: AuditReportBody, ledger: AuditLedger): AuditReport {
  return { ...body, ledger: ledger.intact ? { ...ledger, head: { ...ledger.head } } : { ...ledger, brokenAt: { ...ledger.brokenAt } } };
}

/** The report from the call-based sections (one accumulation, or merged partials) and the small tables. */
export function buildAuditReportBody(sections: CallSectionsPartial, input: AuditTablesInput): AuditReportBody {
  const { from, to } = input.period;
  const period = { from, to };
  const { consent, recordingRules, coaching } = finishCallSections(sections);
  const sentiment = sentimentSection(input.concerns, period);
  return {
    period,
    generatedAt: input.now,
    consent,
    recordingRules,
    access: accessSection(input.accessLog, period),
    sentiment,
    coaching,
    aiReliability: aiReliabilitySection(input.aiDrafts, period, sentiment.concernsByCategory['ai-summary-error']),
    retention: retentionSection(input),
  };
}
