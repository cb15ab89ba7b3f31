/**
 * The call-based sections (consent, recordingRules, coaching) as a mergeable partial: counts, and
 * the raw values behind each median and max. accumulateCallSections (call-sections.ts) folds
 * records into one; partials of disjoint periods add up (mergeCallSections) to exactly the partial
 * of their union; finishCallSections takes the medians and rates. The background caches one
 * partial per UTC day (lib/background/audit-cache), so a report reads ~180 small rows, not every event.
 */
import type { CallCategory, ChecklistDismissReason, DecisionChangeKind } from '../model';
import { addCounts, ascending, maxOrNull, median, rate, zeroCounts } from './stats';
import type { AuditReport, ConsentSection, RecordingRulesSection } from './types';
import { AUDIT_CALL_CATEGORIES, AUDIT_DECISION_CHANGES, AUDIT_DISMISS_REASONS, AUDIT_RECORDING_RULES, type RecordingRule } from './vocabulary';

/** Bumped whenever CallSectionsPartial changes shape: a stored partial of another format is rebuilt. */
export const CALL_SECTIONS_FORMAT = 2;

/**
 * consent, recordingRules and coaching before their medians and rates are taken: counts, and the
 * raw values behind each median and max. Plain JSON. Partials of disjoint periods add up
 * (mergeCallSections) to the partial of their union, provided each was accumulated from the same
 * loading rule (the calls of its period, every event of those calls and of the calls its events
 * belong to, and those calls' checklists); this is what makes the per-day cache exact.
 */
export interface CallSectionsPartial {
  format: typeof CALL_SECTIONS_FORMAT;
  consent: Omit<ConsentSection, 'medianAdmissionToDecisionMs'> & { admissionToDecisionMs: number[] };
  recordingRules: Omit<RecordingRulesSection, 'afterDeclineStops'> & {
    afterDeclineStops: { count: number; msToStop: number[]; atCallEnd: number };
  };
  coaching: {
    checklistsDue: number;
    checklistsCompleted: number;
    timeToCompleteMs: number[];
    nuanceFilled: number;
    checklistsNotRequired: number;
    checklistsDismissed: number;
    dismissedByReason: Record<ChecklistDismissReason, number>;
  };
}

export function emptyCallSections(): CallSectionsPartial {
  return {
    format: CALL_SECTIONS_FORMAT,
    consent: {
      callsDetected: 0,
      callsAdmitted: 0,
      promptsShown: 0,
      decisionsMade: 0,
      decisionChanges: zeroCounts<DecisionChangeKind | 'other'>(AUDIT_DECISION_CHANGES),
      decisionsBeforeRecording: 0,
      outcomes: { agreed: 0, declined: 0, notRecorded: 0, withdrawn: 0, pending: 0 },
      admissionToDecisionMs: [],
      manualStarts: 0,
    },
    recordingRules: {
      recordingBeforeConsent: 0,
      recordingAfterDecline: 0,
      afterDeclineStops: { count: 0, msToStop: [], atCallEnd: 0 },
      neverRecordCategories: { calls: 0, respected: 0, violated: 0 },
      decisionsByRule: zeroCounts<RecordingRule | 'unspecified'>([...AUDIT_RECORDING_RULES, 'unspecified']),
      callsByCategory: zeroCounts<CallCategory | 'uncategorized'>([...AUDIT_CALL_CATEGORIES, 'uncategorized']),
      lateJoiners: { nudges: 0, agreed: 0, declined: 0, dismissed: 0 },
    },
    coaching: {
      checklistsDue: 0, checklistsCompleted: 0, timeToCompleteMs: [], nuanceFilled: 0,
      checklistsNotRequired: 0, checklistsDismissed: 0, dismissedByReason: zeroCounts<ChecklistDismissReason>(AUDIT_DISMISS_REASONS),
    },
  };
}

/** A stored value that is a partial of the current format (anything else is rebuilt, never trusted). */
export function isCallSectionsPartial(value: unknown): value is CallSectionsPartial {
  return typeof value === 'object' && value !== null && (value as { format?: unknown }).format === CALL_SECTIONS_FORMAT;
}

function append(into: number[], values: readonly number[]): void {
  for (const v of values) into.push(v);
}

/** The partial of the union of disjoint periods (or of disjoint sets of calls): counts added, value lists merged. */
export function mergeCallSections(parts: Iterable<CallSectionsPartial>): CallSectionsPartial {
  const sum = emptyCallSections();
  for (const p of parts) {
    const { consent: c, recordingRules: r, coaching: k } = p;
    sum.consent.callsDetected += c.callsDetected;
    sum.consent.callsAdmitted += c.callsAdmitted;
    sum.consent.promptsShown += c.promptsShown;
    sum.consent.decisionsMade += c.decisionsMade;
    addCounts(sum.consent.decisionChanges, c.decisionChanges);
    sum.consent.decisionsBeforeRecording += c.decisionsBeforeRecording;
    addCounts(sum.consent.outcomes, c.outcomes);
    append(sum.consent.admissionToDecisionMs, c.admissionToDecisionMs);
    sum.consent.manualStarts += c.manualStarts;

    sum.recordingRules.recordingBeforeConsent += r.recordingBeforeConsent;
    sum.recordingRules.recordingAfterDecline += r.recordingAfterDecline;
    sum.recordingRules.afterDeclineStops.count += r.afterDeclineStops.count;
    append(sum.recordingRules.afterDeclineStops.msToStop, r.afterDeclineStops.msToStop);
    sum.recordingRules.afterDeclineStops.atCallEnd += r.afterDeclineStops.atCallEnd;
    addCounts(sum.recordingRules.neverRecordCategories, r.neverRecordCategories);
    addCounts(sum.recordingRules.decisionsByRule, r.decisionsByRule);
    addCounts(sum.recordingRules.callsByCategory, r.callsByCategory);
    addCounts(sum.recordingRules.lateJoiners, r.lateJoiners);

    sum.coaching.checklistsDue += k.checklistsDue;
    sum.coaching.checklistsCompleted += k.checklistsCompleted;
    append(sum.coaching.timeToCompleteMs, k.timeToCompleteMs);
    sum.coaching.nuanceFilled += k.nuanceFilled;
    sum.coaching.checklistsNotRequired += k.checklistsNotRequired;
    sum.coaching.checklistsDismissed += k.checklistsDismissed;
    addCounts(sum.coaching.dismissedByReason, k.dismissedByReason);
  }
  // Ascending, as accumulateCallSections leaves them: a merged partial equals the one accumulated at once.
  for (const values of [sum.consent.admissionToDecisionMs, sum.recordingRules.afterDeclineStops.msToStop, sum.coaching.timeToCompleteMs]) values.sort(ascending);
  return sum;
}

/** The finished consent, recordingRules and coaching sections (medians and rates taken; no shared objects). */
export function finishCallSections(p: CallSectionsPartial): Pick<AuditReport, 'consent' | 'recordingRules' | 'coaching'> {
  const { consent: c, recordingRules: r, coaching: k } = p;
  const copy = <K extends string>(keys: readonly K[], counts: Readonly<Record<K, number>>): Record<K, number> => {
    const out = zeroCounts(keys);
    addCounts(out, counts);
    return out;
  };
  return {
    consent: {
      callsDetected: c.callsDetected,
      callsAdmitted: c.callsAdmitted,
      promptsShown: c.promptsShown,
      decisionsMade: c.decisionsMade,
      decisionChanges: copy<DecisionChangeKind | 'other'>(AUDIT_DECISION_CHANGES, c.decisionChanges),
      decisionsBeforeRecording: c.decisionsBeforeRecording,
      outcomes: copy(['agreed', 'declined', 'notRecorded', 'withdrawn', 'pending'], c.outcomes),
      medianAdmissionToDecisionMs: median(c.admissionToDecisionMs),
      manualStarts: c.manualStarts,
    },
    recordingRules: {
      recordingBeforeConsent: r.recordingBeforeConsent,
      recordingAfterDecline: r.recordingAfterDecline,
      afterDeclineStops: {
        count: r.afterDeclineStops.count,
        medianMsToStop: median(r.afterDeclineStops.msToStop),
        maxMsToStop: maxOrNull(r.afterDeclineStops.msToStop),
        atCallEnd: r.afterDeclineStops.atCallEnd,
      },
      neverRecordCategories: copy(['calls', 'respected', 'violated'], r.neverRecordCategories),
      decisionsByRule: copy<RecordingRule | 'unspecified'>([...AUDIT_RECORDING_RULES, 'unspecified'], r.decisionsByRule),
      callsByCategory: copy<CallCategory | 'uncategorized'>([...AUDIT_CALL_CATEGORIES, 'uncategorized'], r.callsByCategory),
      lateJoiners: copy(['nudges', 'agreed', 'declined', 'dismissed'], r.lateJoiners),
    },
    coaching: {
      checklistsDue: k.checklistsDue,
      checklistsCompleted: k.checklistsCompleted,
      completionRate: rate(k.checklistsCompleted, k.checklistsDue),
      medianTimeToCompleteMs: median(k.timeToCompleteMs),
      humanNuanceFilledRate: rate(k.nuanceFilled, k.checklistsCompleted),
      checklistsNotRequired: k.checklistsNotRequired,
      checklistsDismissed: k.checklistsDismissed,
      dismissedByReason: copy<ChecklistDismissReason>(AUDIT_DISMISS_REASONS, k.dismissedByReason),
    },
  };
}
