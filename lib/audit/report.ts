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
 * UTC day (lib/background/audit-days.ts) so a report reads ~180 small rows, not every event.
 *
 * Cost: one pass over the calls (indexing the period's calls by id), one over the events, one
 * over each other list; one Map lookup per event that needs its call (decisions, rare
 * violations), none for the rest; only the values that need a median are sorted.
 *
 * What falls in the period [from, to] (both ends inclusive):
 *  - a call when its admission time is in it (its detection time when it was never admitted);
 *  - an event, concern, access-log entry, AI draft (createdAt) or purge receipt by its own time.
 * Call-level facts (was this call's first decision fast, did it ever record under a
 * never-record rule) use every event given for the call, also those outside the period, so the
 * caller should pass the events of the period's calls as well as the period's events. Extra
 * records outside the period are harmless: they are filtered out here.
 */

import { ageDays, inPeriod, maxOrNull, median, monthKey, monthsBetween, rate } from './stats';
import { humanNuanceFields, type AccessLogRecord, type AiDraftRecord, type CallEvent, type CallRecord, type ChecklistFields, type ChecklistRecord, type ConcernCategory, type ConcernRecord, type PurgeReceiptRecord, type RetentionKind, type CallCategory } from '../model';

// ---------------------------------------------------------------------------------------------
// Vocabularies (local copies: the runtime lists live in modules that load Dexie or zod; the
// Record types make the compiler reject a list that misses or invents a member)

const concernCategorySet: Record<ConcernCategory, true> = {
  'privacy-concern': true,
  'ai-summary-error': true,
  'coaching-misuse': true,
  'consent-confusion': true,
  'access-issue': true,
  'cultural-friction': true,
};
export const AUDIT_CONCERN_CATEGORIES = Object.keys(concernCategorySet) as readonly ConcernCategory[];

const callCategorySet: Record<CallCategory, true> = {
  'external-prospect': true,
  customer: true,
  internal: true,
  'hr-people': true,
  legal: true,
  personal: true,
};
export const AUDIT_CALL_CATEGORIES = Object.keys(callCategorySet) as readonly CallCategory[];

export type RecordingRule = 'ask-consent' | 'never-record' | 'record-with-notice';
const recordingRuleSet: Record<RecordingRule, true> = { 'ask-consent': true, 'never-record': true, 'record-with-notice': true };
export const AUDIT_RECORDING_RULES = Object.keys(recordingRuleSet) as readonly RecordingRule[];

const retentionKindSet: Record<RetentionKind, true> = {
  consent: true,
  calls: true,
  notes: true,
  tags: true,
  checklists: true,
  aiDrafts: true,
  concerns: true,
  accessLog: true,
};
export const AUDIT_RETENTION_KINDS = Object.keys(retentionKindSet) as readonly RetentionKind[];



/** The decision reason written when a never-record category skipped the consent ask. */
export const NEVER_RECORD_REASON = 'never-record-rule';

// ---------------------------------------------------------------------------------------------
// Input and report model

export interface AuditPeriod {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, inclusive. */
  to: number;
}

/** The consent ledger's verification result (lib/ledger `verifyChain` gives this shape). */
export type AuditLedger =
  | { intact: true; count: number }
  | { intact: false; count: number; brokenAt: { index: number; seq: number | null; reason: string } };

export interface AuditInput {
  period: AuditPeriod;
  /** The time the report is made (epoch ms): ages are measured from it. */
  now: number;
  calls: CallRecord[];
  events: CallEvent[];
  checklists: ChecklistRecord[];
  aiDrafts: AiDraftRecord[];
  concerns: ConcernRecord[];
  accessLog: AccessLogRecord[];
  purgeReceipts: PurgeReceiptRecord[];
  /** The policy's retention limit per kind, in days. */
  retentionDays: Record<RetentionKind, number>;
  /** The oldest stored row's timestamp per kind (null or absent: nothing stored). */
  oldest: Partial<Record<RetentionKind, number | null>>;
  ledger: AuditLedger;
}

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
  /** Access-log entries (exports, shares) in the period by purpose. */
  exportsByPurpose: { coaching: number; performance: number };
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
  /** Ended admitted calls in the period: each should have a completed checklist. */
  checklistsDue: number;
  /** Of those, the calls whose checklist is done. */
  checklistsCompleted: number;
  completionRate: number | null;
  /** Median of (completedAt − pendingSince) over the completed checklists. */
  medianTimeToCompleteMs: number | null;
  /** Share of the completed checklists with at least one human-nuance field filled in. */
  humanNuanceFilledRate: number | null;
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

// ---------------------------------------------------------------------------------------------
// Per-call facts: the period's call records, and what the events say about each call

interface CallFacts {
  /** The call record when the call is in the period (undefined: only its events are known). */
  call: CallRecord | undefined;
  /** An ended admitted call in the period: a checklist is due. */
  due: boolean;
  /** Earliest recording-before-consent event (Infinity: none). */
  firstRbcAt: number;
  /** Earliest decision event (Infinity: none) and whether it was the rep's own ask. */
  firstDecisionAt: number;
  firstDecisionAsked: boolean;
  /** Latest decision event and its outcome (fallback when the call record has none). */
  latestDecisionAt: number;
  latestDecisionId: string;
  latestOutcome: string | undefined;
  /** Latest decision carrying a category, and that category. */
  latestCategoryAt: number;
  latestCategoryId: string;
  latestCategory: string | undefined;
  neverRecord: boolean;
  /** A recording-after-decline event exists (recording-started events are matched afterwards). */
  recordedAfterDecline: boolean;
  /** The admitted event says the rep started the call by hand. */
  manual: boolean;
  /** Times of recording-after-decline events (unsorted until needed). */
  radAts: number[] | undefined;
}

function newFacts(call?: CallRecord): CallFacts {
  return {
    call,
    due: false,
    firstRbcAt: Infinity,
    firstDecisionAt: Infinity,
    firstDecisionAsked: false,
    latestDecisionAt: -Infinity,
    latestDecisionId: '',
    latestOutcome: undefined,
    latestCategoryAt: -Infinity,
    latestCategoryId: '',
    latestCategory: undefined,
    neverRecord: false,
    recordedAfterDecline: false,
    manual: false,
    radAts: undefined,
  };
}

const NO_DATA: Readonly<Record<string, unknown>> = Object.freeze({});

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isFilled = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';

function zeroCounts<K extends string>(keys: readonly K[]): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const k of keys) out[k] = 0;
  return out;
}

function has<K extends string>(set: Record<K, true>, key: unknown): key is K {
  return typeof key === 'string' && Object.prototype.hasOwnProperty.call(set, key);
}

/** Oldest first; the id breaks ties, so the order of the input does not matter. */
function byTimeThenId(a: { id: string; entry: { at: number } }, b: { id: string; entry: { at: number } }): number {
  return a.entry.at - b.entry.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

const ascending = (a: number, b: number) => a - b;

/** Index of the first value ≥ x in an ascending array (length when none). */
function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------
// The call-based sections as a mergeable partial

/** Bumped whenever CallSectionsPartial changes shape: a stored partial of another format is rebuilt. */
export const CALL_SECTIONS_FORMAT = 1;

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
  coaching: { checklistsDue: number; checklistsCompleted: number; timeToCompleteMs: number[]; nuanceFilled: number };
}

export function emptyCallSections(): CallSectionsPartial {
  return {
    format: CALL_SECTIONS_FORMAT,
    consent: {
      callsDetected: 0,
      callsAdmitted: 0,
      promptsShown: 0,
      decisionsMade: 0,
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
    coaching: { checklistsDue: 0, checklistsCompleted: 0, timeToCompleteMs: [], nuanceFilled: 0 },
  };
}

/** A stored value that is a partial of the current format (anything else is rebuilt, never trusted). */
export function isCallSectionsPartial(value: unknown): value is CallSectionsPartial {
  return typeof value === 'object' && value !== null && (value as { format?: unknown }).format === CALL_SECTIONS_FORMAT;
}

/**
 * Folds the calls of `period` (and the events of the period) into a partial. Per-call facts use
 * every event given for a call, so pass all events of the period's calls and of the calls the
 * period's events belong to, and the checklists of the period's calls; extra records are ignored.
 */
export function accumulateCallSections(
  period: AuditPeriod,
  calls: readonly CallRecord[],
  events: readonly CallEvent[],
  checklists: readonly ChecklistRecord[],
): CallSectionsPartial {
  const { from, to } = period;
  const out = emptyCallSections();
  const { consent, recordingRules: rules, coaching } = out;

  // --- The period's calls, keyed by id (call ids are unique: the table's primary key).
  const facts = new Map<string, CallFacts>();
  const periodCalls: CallFacts[] = [];
  for (const c of calls) {
    if (!inPeriod(c.admittedAt ?? c.detectedAt, from, to)) continue;
    const f = newFacts(c);
    facts.set(c.id, f);
    periodCalls.push(f);
  }

  // --- Events: one pass. Per-call facts from every event; tallies from the period's events.
  const factsOf = (callId: string): CallFacts => {
    let f = facts.get(callId);
    if (f === undefined) {
      f = newFacts();
      facts.set(callId, f);
    }
    return f;
  };

  const { decisionsByRule, lateJoiners } = rules;
  // Period decisions and after-decline stops, resolved once every event has been seen.
  const decisionFacts: CallFacts[] = [];
  const decisionAts: number[] = [];
  const stopFacts: CallFacts[] = [];
  const stopAts: number[] = [];
  const stopDurations: (number | undefined)[] = [];
  const startedCallIds: string[] = [];

  for (const e of events) {
    const at = e.at;
    const inside = inPeriod(at, from, to);
    // `data` is only read by the types that need it: most events are counted from type and time.
    switch (e.type) {
      case 'admitted':
        if ((e.data ?? NO_DATA).manual === true) factsOf(e.callId).manual = true;
        break;
      case 'prompt-shown':
        if (inside) consent.promptsShown++;
        break;
      case 'decision': {
        const data = e.data ?? NO_DATA;
        const f = factsOf(e.callId);
        const neverRecord = data.rule === 'never-record' || (data.outcome === 'not-recorded' && data.reason === NEVER_RECORD_REASON);
        if (neverRecord) f.neverRecord = true;
        // Ties are broken without regard to the order of the events (the report must not
        // depend on it): an automatic decision at the same instant wins "first", the larger
        // event id wins "latest".
        const asked = !neverRecord && data.lateJoiner !== true;
        if (at < f.firstDecisionAt) {
          f.firstDecisionAt = at;
          f.firstDecisionAsked = asked;
        } else if (at === f.firstDecisionAt && !asked) f.firstDecisionAsked = false;
        if (at > f.latestDecisionAt || (at === f.latestDecisionAt && e.id > f.latestDecisionId)) {
          f.latestDecisionAt = at;
          f.latestDecisionId = e.id;
          f.latestOutcome = typeof data.outcome === 'string' ? data.outcome : undefined;
        }
        if (has(callCategorySet, data.category) && (at > f.latestCategoryAt || (at === f.latestCategoryAt && e.id > f.latestCategoryId))) {
          f.latestCategoryAt = at;
          f.latestCategoryId = e.id;
          f.latestCategory = data.category;
        }
        if (inside) {
          consent.decisionsMade++;
          decisionFacts.push(f);
          decisionAts.push(at);
          decisionsByRule[has(recordingRuleSet, data.rule) ? data.rule : 'unspecified']++;
        }
        break;
      }
      case 'recording-before-consent': {
        const f = factsOf(e.callId);
        if (at < f.firstRbcAt) f.firstRbcAt = at;
        if (inside) rules.recordingBeforeConsent++;
        break;
      }
      case 'recording-after-decline': {
        const f = factsOf(e.callId);
        f.recordedAfterDecline = true;
        (f.radAts ??= []).push(at);
        if (inside) rules.recordingAfterDecline++;
        break;
      }
      case 'recording-started':
        // Common (every agreed call), and only relevant to never-record calls: no lookup here.
        startedCallIds.push(e.callId);
        break;
      case 'recording-stopped': {
        if (!inside) break;
        const data = e.data ?? NO_DATA;
        if (data.afterDecline === true) {
          stopFacts.push(factsOf(e.callId));
          stopAts.push(at);
          stopDurations.push(isFiniteNumber(data.durationMs) && data.durationMs >= 0 ? data.durationMs : undefined);
          if (data.atCallEnd === true) rules.afterDeclineStops.atCallEnd++;
        }
        break;
      }
      case 'late-joiner':
        if (inside) {
          const data = e.data ?? NO_DATA;
          lateJoiners.nudges++;
          if (data.answer === 'agreed') lateJoiners.agreed++;
          else if (data.answer === 'declined') lateJoiners.declined++;
          else if (data.answer === 'dismissed') lateJoiners.dismissed++;
        }
        break;
      default:
        break;
    }
  }

  // --- The period's calls with their facts: one pass, no lookups.
  const { outcomes, admissionToDecisionMs } = consent;
  const { callsByCategory, neverRecordCategories } = rules;
  /** The period's never-record calls with no recording-after-decline event (yet to be checked for a start). */
  const neverRecordIds = new Set<string>();

  for (const f of periodCalls) {
    const c = f.call!;
    consent.callsDetected++;
    if (c.detectedBy?.includes('manual') || f.manual) consent.manualStarts++;
    const admittedAt = c.admittedAt;
    if (admittedAt === undefined) continue;
    consent.callsAdmitted++;

    switch (c.outcome ?? f.latestOutcome) {
      case 'agreed': outcomes.agreed++; break;
      case 'declined': outcomes.declined++; break;
      case 'not-recorded': outcomes.notRecorded++; break;
      case 'withdrawn': outcomes.withdrawn++; break;
      case undefined: outcomes.pending++; break;
      default: break; // an outcome this version does not know: in no bucket
    }

    if (f.firstDecisionAsked && Number.isFinite(f.firstDecisionAt)) {
      admissionToDecisionMs.push(Math.max(0, f.firstDecisionAt - admittedAt));
    }
    if (f.neverRecord) {
      neverRecordCategories.calls++;
      if (f.recordedAfterDecline) neverRecordCategories.violated++;
      else neverRecordIds.add(c.id);
    }
    callsByCategory[has(callCategorySet, f.latestCategory) ? f.latestCategory : 'uncategorized']++;

    if (c.status === 'ended') {
      f.due = true;
      coaching.checklistsDue++;
    }
  }

  // A never-record call with a recording-started event is violated too.
  if (neverRecordIds.size > 0) {
    for (const id of startedCallIds) {
      if (neverRecordIds.delete(id)) neverRecordCategories.violated++;
    }
  }
  neverRecordCategories.respected = neverRecordIds.size;

  // --- Period decisions: was recording already running (before consent) when each was made?
  for (let i = 0; i < decisionFacts.length; i++) {
    if (!(decisionFacts[i]!.firstRbcAt <= decisionAts[i]!)) consent.decisionsBeforeRecording++;
  }

  // --- After-decline stops: time from the decline (or the after-decline start) to the stop.
  const { msToStop } = rules.afterDeclineStops;
  rules.afterDeclineStops.count = stopFacts.length;
  const sortedRad = new Set<CallFacts>();
  for (let i = 0; i < stopFacts.length; i++) {
    const stopAt = stopAts[i]!;
    const duration = stopDurations[i];
    const f = stopFacts[i]!;
    const rads = f.radAts;
    let ms = duration;
    if (rads !== undefined) {
      if (!sortedRad.has(f)) {
        rads.sort(ascending);
        sortedRad.add(f);
      }
      // The episode began at stop − duration; its first after-decline event marks the violation.
      let j: number;
      if (duration !== undefined) j = lowerBound(rads, stopAt - duration);
      else j = lowerBound(rads, stopAt + 1) - 1; // episode unknown: the latest one before the stop
      const radAt = j >= 0 ? rads[j] : undefined;
      if (radAt !== undefined && radAt <= stopAt) ms = stopAt - radAt;
    }
    if (ms !== undefined) msToStop.push(ms);
  }

  // --- Coaching: checklists of the period's ended admitted calls.
  for (const cl of checklists) {
    if (cl.status !== 'done' || facts.get(cl.callId)?.due !== true) continue;
    coaching.checklistsCompleted++;
    if (isFiniteNumber(cl.completedAt) && isFiniteNumber(cl.pendingSince)) {
      coaching.timeToCompleteMs.push(Math.max(0, cl.completedAt - cl.pendingSince));
    }
    const fields = cl.fields as Partial<ChecklistFields> | undefined;
    if (fields !== undefined && humanNuanceFields.some((name) => isFilled(fields[name]))) coaching.nuanceFilled++;
  }

  // Value lists in ascending order: a partial is the same whatever order its rows were read in
  // (the audit cache reads a day's calls by index, other callers in key or insertion order).
  consent.admissionToDecisionMs.sort(ascending);
  rules.afterDeclineStops.msToStop.sort(ascending);
  coaching.timeToCompleteMs.sort(ascending);
  return out;
}

/** Adds each count of `part` into `sum` (both of the same shape). */
function addCounts<K extends string>(sum: Record<K, number>, part: Readonly<Record<K, number>>): void {
  for (const key of Object.keys(sum) as K[]) sum[key] += part[key];
}

function append(into: number[], values: readonly number[]): void {
  for (const v of values) into.push(v);
}

/** The partial of the union of disjoint periods: counts added, value lists concatenated. */
export function mergeCallSections(parts: Iterable<CallSectionsPartial>): CallSectionsPartial {
  const sum = emptyCallSections();
  for (const p of parts) {
    const { consent: c, recordingRules: r, coaching: k } = p;
    sum.consent.callsDetected += c.callsDetected;
    sum.consent.callsAdmitted += c.callsAdmitted;
    sum.consent.promptsShown += c.promptsShown;
    sum.consent.decisionsMade += c.decisionsMade;
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
  }
  return sum;
}

/** The finished consent, recordingRules and coaching sections (medians and rates taken; no shared objects). */
function finishCallSections(p: CallSectionsPartial): Pick<AuditReport, 'consent' | 'recordingRules' | 'coaching'> {
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
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The report

/** What the report needs besides the call-based sections: the small tables, the clock, the policy. */
export type AuditTablesInput = Omit<AuditInput, 'calls' | 'events' | 'checklists' | 'ledger'>;

/** The report before the ledger's verification is added (the background builds this part). */
export type AuditReportBody = Omit<AuditReport, 'ledger'>;

export function buildAuditReport(input: AuditInput): AuditReport {
  const sections = accumulateCallSections(input.period, input.calls, input.events, input.checklists);
  return withAuditLedger(buildAuditReportBody(sections, input), input.ledger);
}

/** The report with the ledger's verification result (copied: the report shares no caller object). */
export function withAuditLedger(body: AuditReportBody, ledger: AuditLedger): AuditReport {
  return { ...body, ledger: ledger.intact ? { ...ledger } : { ...ledger, brokenAt: { ...ledger.brokenAt } } };
}

/** The report from the call-based sections (one accumulation, or merged partials) and the small tables. */
export function buildAuditReportBody(sections: CallSectionsPartial, input: AuditTablesInput): AuditReportBody {
  const { from, to } = input.period;
  const { now } = input;
  const { consent, recordingRules, coaching } = finishCallSections(sections);

  // --- AI drafts pasted in the period.
  let drafts = 0;
  let statements = 0;
  let statementsMarked = 0;
  let statementsWrong = 0;
  for (const d of input.aiDrafts) {
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
  // --- Concerns raised in the period.
  const concernsByCategory = zeroCounts(AUDIT_CONCERN_CATEGORIES);
  const statusCounts = { open: 0, acknowledged: 0, resolved: 0 };
  const perMonth = new Map<string, ConcernCounts>();
  let concernsTotal = 0;
  let anonymous = 0;
  let firstConcernAt = Infinity;
  let lastConcernAt = -Infinity;
  for (const c of input.concerns) {
    if (!inPeriod(c.createdAt, from, to)) continue;
    concernsTotal++;
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

  // --- Access log entries in the period.
  const exportsByPurpose = { coaching: 0, performance: 0 };
  const performanceEntries: { id: string; entry: PerformanceExport }[] = [];
  let performanceWithoutApproval = 0;
  for (const a of input.accessLog) {
    if (!inPeriod(a.at, from, to)) continue;
    if (a.purpose === 'coaching') exportsByPurpose.coaching++;
    else if (a.purpose === 'performance') {
      exportsByPurpose.performance++;
      const approver = isFilled(a.approval?.approver) ? a.approval!.approver : null;
      const reference = isFilled(a.approval?.reference) ? a.approval!.reference : null;
      if (approver === null || reference === null) performanceWithoutApproval++;
      performanceEntries.push({ id: a.id, entry: { at: a.at, action: a.action, callCount: a.callCount, approver, reference } });
    }
  }
  const performanceExports = performanceEntries.sort(byTimeThenId).map((p) => p.entry);

  // --- Retention: the oldest row of each kind against its limit; the period's purges.
  const kinds = {} as Record<RetentionKind, RetentionKindStatus>;
  let allWithinLimit = true;
  for (const kind of AUDIT_RETENTION_KINDS) {
    const limitDays = input.retentionDays[kind];
    const oldest = input.oldest[kind];
    const oldestAgeDays = isFiniteNumber(oldest) ? ageDays(oldest, now) : null;
    const withinLimit = oldestAgeDays === null || oldestAgeDays <= limitDays;
    if (!withinLimit) allWithinLimit = false;
    kinds[kind] = { limitDays, oldestAgeDays, withinLimit };
  }
  const purgeReceipts: PurgeReceiptSummary[] = input.purgeReceipts
    .filter((p) => inPeriod(p.at, from, to))
    .map((p) => ({ id: p.id, entry: { kind: p.kind, count: p.count, at: p.at, oldest: p.oldest ?? null, newest: p.newest ?? null } }))
    .sort(byTimeThenId)
    .map((p) => p.entry);

  return {
    period: { from, to },
    generatedAt: now,
    consent,
    recordingRules,
    access: { exportsByPurpose, performanceExports, performanceWithoutApproval },
    sentiment: { total: concernsTotal, anonymous, concernsByCategory, concernsByMonth, statusCounts },
    coaching,
    aiReliability: {
      drafts,
      statements,
      statementsMarked,
      statementsWrong,
      wrongRate: rate(statementsWrong, statementsMarked),
      aiErrorConcerns: concernsByCategory['ai-summary-error'],
    },
    retention: { kinds, allWithinLimit, purgeReceipts },
  };
}
