/**
 * accumulateCallSections: the calls, events and checklists of a period folded into a partial of
 * the call-based sections (consent, recordingRules, coaching; partial.ts).
 *
 * Cost: one pass over the calls (indexing the period's calls by id), one over the events, one
 * over the checklists; one Map lookup per event that needs its call (decisions, rare violations),
 * none for the rest; only the values that need a median are sorted.
 *
 * What falls in the period [from, to] (both ends inclusive): a call by callTime (its admission,
 * its detection when never admitted); an event by its own time. Call-level facts (was this call's
 * first decision fast, did it ever record under a never-record rule) use every event given for the
 * call, also those outside the period.
 */
import { recordedChange } from '../call/outcomes';
import { humanNuanceFields, type ChecklistFields } from '../model';
import { callTime, type AuditCall, type AuditChecklist, type AuditEvent } from './input';
import { emptyCallSections, type CallSectionsPartial } from './partial';
import { ascending, inPeriod, isFiniteNumber, isFilled, lowerBound } from './stats';
import type { AuditPeriod, OutcomeCounts, RecordingRulesSection } from './types';
import { callCategorySet, checklistDismissReasonSet, has, NEVER_RECORD_REASON, recordingRuleSet } from './vocabulary';

// ---------------------------------------------------------------------------------------------
// Per-call facts: the period's call records, and what the events say about each call

interface CallFacts {
  /** The call record when the call is in the period (undefined: only its events are known). */
  call: AuditCall | undefined;
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

function newFacts(call?: AuditCall): CallFacts {
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

/** One accumulation under way: the partial it fills, and what is resolved once every event has been seen. */
interface Accumulation {
  period: AuditPeriod;
  out: CallSectionsPartial;
  /** By call id: the period's calls (ids are unique: the table's primary key), and the calls of any event that needs facts. */
  facts: Map<string, CallFacts>;
  /** The period's decisions (parallel lists): their call's facts and time. */
  decisionFacts: CallFacts[];
  decisionAts: number[];
  /** The period's after-decline stops (parallel lists): their call's facts, time and recorded duration. */
  stopFacts: CallFacts[];
  stopAts: number[];
  stopDurations: (number | undefined)[];
  /** Calls with a recording-started event (checked against the never-record calls). */
  startedCallIds: string[];
}

function factsOf(acc: Accumulation, callId: string): CallFacts {
  let f = acc.facts.get(callId);
  if (f === undefined) {
    f = newFacts();
    acc.facts.set(callId, f);
  }
  return f;
}

// ---------------------------------------------------------------------------------------------

/**
 * Folds the calls of `period` (and the events of the period) into a partial. Per-call facts use
 * every event given for a call, so pass all events of the period's calls and of the calls the
 * period's events belong to, and the checklists of the period's calls; extra records are ignored.
 */
export function accumulateCallSections(
  period: AuditPeriod,
  calls: readonly AuditCall[],
  events: readonly AuditEvent[],
  checklists: readonly AuditChecklist[],
): CallSectionsPartial {
  const acc: Accumulation = {
    period,
    out: emptyCallSections(),
    facts: new Map(),
    decisionFacts: [],
    decisionAts: [],
    stopFacts: [],
    stopAts: [],
    stopDurations: [],
    startedCallIds: [],
  };
  const periodCalls = indexPeriodCalls(acc, calls);
  for (const e of events) foldEvent(acc, e);
  countPeriodCalls(acc, periodCalls);
  countDecisionsBeforeRecording(acc);
  measureAfterDeclineStops(acc);
  countChecklists(acc, checklists);

  // Value lists in ascending order: a partial is the same whatever order its rows were read in
  // (the audit cache reads a day's calls by index, other callers in key or insertion order).
  const { consent, recordingRules, coaching } = acc.out;
  consent.admissionToDecisionMs.sort(ascending);
  recordingRules.afterDeclineStops.msToStop.sort(ascending);
  coaching.timeToCompleteMs.sort(ascending);
  return acc.out;
}

/** The period's calls, each with fresh facts, keyed by id. */
function indexPeriodCalls(acc: Accumulation, calls: readonly AuditCall[]): CallFacts[] {
  const { from, to } = acc.period;
  const periodCalls: CallFacts[] = [];
  for (const c of calls) {
    if (!inPeriod(callTime(c), from, to)) continue;
    const f = newFacts(c);
    acc.facts.set(c.id, f);
    periodCalls.push(f);
  }
  return periodCalls;
}

// ---------------------------------------------------------------------------------------------
// Events: one pass. Per-call facts from every event; tallies from the period's events.

function foldEvent(acc: Accumulation, e: AuditEvent): void {
  const { consent, recordingRules: rules } = acc.out;
  const at = e.at;
  const inside = inPeriod(at, acc.period.from, acc.period.to);
  // `data` is only read by the types that need it: most events are counted from type and time.
  switch (e.type) {
    case 'admitted':
      if ((e.data ?? NO_DATA).manual === true) factsOf(acc, e.callId).manual = true;
      break;
    case 'prompt-shown':
      if (inside) consent.promptsShown++;
      break;
    case 'decision':
      foldDecision(acc, e, inside);
      break;
    case 'recording-before-consent': {
      const f = factsOf(acc, e.callId);
      if (at < f.firstRbcAt) f.firstRbcAt = at;
      if (inside) rules.recordingBeforeConsent++;
      break;
    }
    case 'recording-after-decline': {
      const f = factsOf(acc, e.callId);
      f.recordedAfterDecline = true;
      (f.radAts ??= []).push(at);
      if (inside) rules.recordingAfterDecline++;
      break;
    }
    case 'recording-started':
      // Common (every agreed call), and only relevant to never-record calls: no lookup here.
      acc.startedCallIds.push(e.callId);
      break;
    case 'recording-stopped':
      if (inside) foldStop(acc, e);
      break;
    case 'late-joiner':
      if (inside) countLateJoiner(rules.lateJoiners, e.data ?? NO_DATA);
      break;
    default:
      break;
  }
}

function foldDecision(acc: Accumulation, e: AuditEvent, inside: boolean): void {
  const at = e.at;
  const data = e.data ?? NO_DATA;
  const f = factsOf(acc, e.callId);
  const neverRecord = data.rule === 'never-record' || (data.outcome === 'not-recorded' && data.reason === NEVER_RECORD_REASON);
  if (neverRecord) f.neverRecord = true;
  // Ties are broken without regard to the order of the events (the report must not depend on
  // it): an automatic decision at the same instant wins "first", the larger event id wins "latest".
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
    acc.out.consent.decisionsMade++;
    // A change is its own decision event naming the one it supersedes: counted by kind.
    const change = recordedChange(data);
    if (change) acc.out.consent.decisionChanges[change]++;
    else if (typeof data.previous === 'string') acc.out.consent.decisionChanges.other++;
    acc.decisionFacts.push(f);
    acc.decisionAts.push(at);
    acc.out.recordingRules.decisionsByRule[has(recordingRuleSet, data.rule) ? data.rule : 'unspecified']++;
  }
}

/** A recording-stopped event in the period: kept when it ended a recording running under a decline. */
function foldStop(acc: Accumulation, e: AuditEvent): void {
  const data = e.data ?? NO_DATA;
  if (data.afterDecline !== true) return;
  acc.stopFacts.push(factsOf(acc, e.callId));
  acc.stopAts.push(e.at);
  acc.stopDurations.push(isFiniteNumber(data.durationMs) && data.durationMs >= 0 ? data.durationMs : undefined);
  if (data.atCallEnd === true) acc.out.recordingRules.afterDeclineStops.atCallEnd++;
}

function countLateJoiner(lateJoiners: RecordingRulesSection['lateJoiners'], data: Readonly<Record<string, unknown>>): void {
  lateJoiners.nudges++;
  if (data.answer === 'agreed') lateJoiners.agreed++;
  else if (data.answer === 'declined') lateJoiners.declined++;
  else if (data.answer === 'dismissed') lateJoiners.dismissed++;
}

// ---------------------------------------------------------------------------------------------
// Resolved once every event has been seen

/** The period's calls with their facts: one pass, no lookups. */
function countPeriodCalls(acc: Accumulation, periodCalls: readonly CallFacts[]): void {
  const { consent, recordingRules: rules, coaching } = acc.out;
  const { neverRecordCategories } = rules;
  /** The period's never-record calls with no recording-after-decline event (yet to be checked for a start). */
  const neverRecordIds = new Set<string>();

  for (const f of periodCalls) {
    const c = f.call!;
    consent.callsDetected++;
    if (c.detectedBy?.includes('manual') || f.manual) consent.manualStarts++;
    const admittedAt = c.admittedAt;
    if (admittedAt === undefined) continue;
    consent.callsAdmitted++;
    countOutcome(consent.outcomes, c.outcome ?? f.latestOutcome);

    if (f.firstDecisionAsked && Number.isFinite(f.firstDecisionAt)) {
      consent.admissionToDecisionMs.push(Math.max(0, f.firstDecisionAt - admittedAt));
    }
    if (f.neverRecord) {
      neverRecordCategories.calls++;
      if (f.recordedAfterDecline) neverRecordCategories.violated++;
      else neverRecordIds.add(c.id);
    }
    rules.callsByCategory[has(callCategorySet, f.latestCategory) ? f.latestCategory : 'uncategorized']++;

    if (c.status === 'ended') {
      // The policy asked no CRM checklist for this call's category: not due (counted apart).
      if (c.checklistNotRequired === true) coaching.checklistsNotRequired++;
      else {
        f.due = true;
        coaching.checklistsDue++;
      }
    }
  }

  // A never-record call with a recording-started event is violated too.
  if (neverRecordIds.size > 0) {
    for (const id of acc.startedCallIds) {
      if (neverRecordIds.delete(id)) neverRecordCategories.violated++;
    }
  }
  neverRecordCategories.respected = neverRecordIds.size;
}

function countOutcome(outcomes: OutcomeCounts, outcome: string | undefined): void {
  switch (outcome) {
    case 'agreed': outcomes.agreed++; break;
    case 'declined': outcomes.declined++; break;
    case 'not-recorded': outcomes.notRecorded++; break;
    case 'withdrawn': outcomes.withdrawn++; break;
    case undefined: outcomes.pending++; break;
    default: break; // an outcome this version does not know: in no bucket
  }
}

/** Period decisions: was recording already running (before consent) when each was made? */
function countDecisionsBeforeRecording(acc: Accumulation): void {
  const { decisionFacts, decisionAts } = acc;
  for (let i = 0; i < decisionFacts.length; i++) {
    if (!(decisionFacts[i]!.firstRbcAt <= decisionAts[i]!)) acc.out.consent.decisionsBeforeRecording++;
  }
}

/** After-decline stops: time from the decline (or the after-decline start) to the stop. */
function measureAfterDeclineStops(acc: Accumulation): void {
  const stops = acc.out.recordingRules.afterDeclineStops;
  const { stopFacts, stopAts, stopDurations } = acc;
  stops.count = stopFacts.length;
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
    if (ms !== undefined) stops.msToStop.push(ms);
  }
}

/** Coaching: the checklists of the period's ended admitted calls (one per call: the table's key). */
function countChecklists(acc: Accumulation, checklists: readonly AuditChecklist[]): void {
  const { coaching } = acc.out;
  for (const cl of checklists) {
    if (acc.facts.get(cl.callId)?.due !== true) continue;
    if (cl.status === 'dismissed') {
      // The rep said this call needs none (no CRM record…): no longer due, counted with its reason.
      coaching.checklistsDue--;
      coaching.checklistsDismissed++;
      const reason = cl.dismissal?.reason;
      coaching.dismissedByReason[has(checklistDismissReasonSet, reason) ? reason : 'other']++;
      continue;
    }
    if (cl.status !== 'done') continue;
    coaching.checklistsCompleted++;
    if (isFiniteNumber(cl.completedAt) && isFiniteNumber(cl.pendingSince)) {
      coaching.timeToCompleteMs.push(Math.max(0, cl.completedAt - cl.pendingSince));
    }
    const fields = cl.fields as Partial<ChecklistFields> | undefined;
    if (fields !== undefined && humanNuanceFields.some((name) => isFilled(fields[name]))) coaching.nuanceFilled++;
  }
}
