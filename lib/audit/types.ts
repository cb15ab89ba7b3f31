/**
 * The audit report's shape (lib/audit/report.ts builds it): plain JSON, one object per section.
 * A statistic with nothing to measure (a median of no values, a rate out of zero) is null, a
 * count is 0.
 */
import type { CallCategory, ChecklistDismissReason, ConcernCategory, DecisionChangeKind, LedgerCheckKind, RetentionKind } from '../model';
import type { RecordingRule } from './vocabulary';

export interface AuditPeriod {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, inclusive. */
  to: number;
}

/** The consent ledger's verification result (lib/ledger `verifyChain` gives this shape). */
/**
 * The ledger's verification as the report states it: which check ran (docs/ledger.md, Two checks),
 * and for an intact chain its head, the anchor a reviewer keeps.
 */
export type AuditLedger =
  | { check: LedgerCheckKind; intact: true; count: number; head: { seq: number; hash: string } }
  | { check: LedgerCheckKind; intact: false; count: number; brokenAt: { index: number; seq: number | null; reason: string } };

export interface OutcomeCounts {
  agreed: number;
  declined: number;
  notRecorded: number;
  withdrawn: number;
  /** Admitted, no decision yet. */
  pending: number;
}

export interface ConsentSection {
  /** Calls in the period, lobby-only visits included. */
  callsDetected: number;
  /** Calls in the period the rep was admitted to (consent is asked only there). */
  callsAdmitted: number;
  /** prompt-shown events in the period. */
  promptsShown: number;
  /** decision events in the period (changes such as a withdrawal or a late joiner's "no" included). */
  decisionsMade: number;
  /**
   * Of decisionsMade: those that changed an earlier decision of their call (each a new decision
   * naming the one it supersedes), by kind. 'other': a change no kind describes (older data).
   */
  decisionChanges: Record<DecisionChangeKind | 'other', number>;
  /**
   * Of decisionsMade: those whose call had no recording-before-consent event at or before the
   * decision. (A tie counts as recording first: that event is only ever written while no
   * decision exists.)
   */
  decisionsBeforeRecording: number;
  /** The current outcome of each admitted call in the period; sums to callsAdmitted. */
  outcomes: OutcomeCounts;
  /**
   * Median of (first decision − admission) over the admitted calls in the period whose first
   * decision was the rep's ask (not skipped by a never-record rule, not a late joiner's answer).
   */
  medianAdmissionToDecisionMs: number | null;
  /** Calls in the period the rep started by hand (detection did not see them). */
  manualStarts: number;
}

export interface RecordingRulesSection {
  /** recording-before-consent events in the period. */
  recordingBeforeConsent: number;
  /** recording-after-decline events in the period. */
  recordingAfterDecline: number;
  /**
   * recording-stopped events in the period that ended a recording running under a decline.
   * msToStop: from the first recording-after-decline event of that recording episode (the
   * decline, or the start when it began after the decline) to the stop; the episode's duration
   * when no such event is known. atCallEnd: how many only stopped because the call ended.
   */
  afterDeclineStops: { count: number; medianMsToStop: number | null; maxMsToStop: number | null; atCallEnd: number };
  /**
   * Calls in the period that a decision put under a never-record rule (rule 'never-record', or
   * outcome 'not-recorded' with reason 'never-record-rule'). Respected: no recording-started or
   * recording-after-decline event for the call; violated = calls − respected.
   */
  neverRecordCategories: { calls: number; respected: number; violated: number };
  /** decision events in the period by the rule they carry ('unspecified': none). */
  decisionsByRule: Record<RecordingRule | 'unspecified', number>;
  /** Admitted calls in the period by the category of their latest categorised decision. */
  callsByCategory: Record<CallCategory | 'uncategorized', number>;
  /** late-joiner events in the period, by the rep's answer. */
  lateJoiners: { nudges: number; agreed: number; declined: number; dismissed: number };
}

export interface PerformanceExport {
  at: number;
  action: string;
  callCount: number;
  /** null: no approval recorded. */
  approver: string | null;
  reference: string | null;
}

export interface AccessSection {
  /** Access-log entries (exports, shares) in the period by purpose; backups, ledger exports and imports are record keeping. */
  exportsByPurpose: { coaching: number; performance: number; recordKeeping: number };
  /** Every performance-purpose entry in the period, oldest first. */
  performanceExports: PerformanceExport[];
  /** Performance-purpose entries without an approval (approver and reference both non-blank). Should be 0. */
  performanceWithoutApproval: number;
}

export type ConcernCounts = Record<ConcernCategory, number>;

export interface SentimentSection {
  /** Concerns raised (createdAt) in the period. */
  total: number;
  anonymous: number;
  concernsByCategory: ConcernCounts;
  /**
   * Per UTC month, oldest first, from the first month with a concern to the last (months in
   * between with none are listed with zeros); empty when there are none.
   */
  concernsByMonth: { month: string; counts: ConcernCounts }[];
  /** Current status of the period's concerns. */
  statusCounts: { open: number; acknowledged: number; resolved: number };
}

export interface CoachingSection {
  /**
   * Ended admitted calls in the period that need a CRM checklist: each should have a completed one.
   * Not counted: calls whose category needs none under the policy, and checklists the rep dismissed.
   */
  checklistsDue: number;
  /** Of those, the calls whose checklist is done. */
  checklistsCompleted: number;
  completionRate: number | null;
  /** Median of (completedAt − pendingSince) over the completed checklists. */
  medianTimeToCompleteMs: number | null;
  /** Share of the completed checklists with at least one human-nuance field filled in. */
  humanNuanceFilledRate: number | null;
  /** Ended admitted calls in the period whose category needs no CRM checklist (policy checklistCategories). */
  checklistsNotRequired: number;
  /** Checklists of the period's ended admitted calls the rep dismissed, and why. */
  checklistsDismissed: number;
  dismissedByReason: Record<ChecklistDismissReason, number>;
}

export interface AiReliabilitySection {
  /** AI drafts pasted (createdAt) in the period, and their statements. */
  drafts: number;
  statements: number;
  /** Statements the rep marked correct or wrong. */
  statementsMarked: number;
  statementsWrong: number;
  /** statementsWrong / statementsMarked. */
  wrongRate: number | null;
  /** Concerns in the period in the 'ai-summary-error' category. */
  aiErrorConcerns: number;
}

export interface RetentionKindStatus {
  limitDays: number;
  /** Whole days since the oldest stored row (null: nothing stored). */
  oldestAgeDays: number | null;
  /**
   * oldestAgeDays ≤ limitDays (true when nothing is stored). Whole days: the granularity of a
   * daily purge, so a row 365 days and some hours old is within a 365-day limit.
   */
  withinLimit: boolean;
}

export interface PurgeReceiptSummary {
  kind: RetentionKind;
  count: number;
  at: number;
  oldest: number | null;
  newest: number | null;
}

export interface RetentionSection {
  kinds: Record<RetentionKind, RetentionKindStatus>;
  allWithinLimit: boolean;
  /** Purges that ran in the period, oldest first. */
  purgeReceipts: PurgeReceiptSummary[];
}

export interface AuditReport {
  period: AuditPeriod;
  generatedAt: number;
  consent: ConsentSection;
  recordingRules: RecordingRulesSection;
  access: AccessSection;
  sentiment: SentimentSection;
  coaching: CoachingSection;
  aiReliability: AiReliabilitySection;
  retention: RetentionSection;
  ledger: AuditLedger;
}
