import fc from 'fast-check';
import {
  accumulateCallSections,
  buildAuditReportBody,
  mergeCallSections,
  withAuditLedger,
  type AuditInput,
  type AuditPeriod,
  type AuditReport,
  type CallSectionsPartial,
} from '../../../lib/audit';
import { DAY_MS } from '../../../lib/audit/stats';

import { defaultPolicy } from '../../../lib/policy/defaults';
import { type CallEvent, type CallRecord, type ChecklistFields, type ChecklistRecord, callCategories } from '../../../lib/model';

/**
 * Random calls, events and checklists over a few UTC days, their times crowded around midnight
 * (where a call and its events fall on different days), for the per-day partial tests.
 */
export const BASE_DAY = Math.floor(Date.UTC(2025, 0, 10) / DAY_MS);
export const DAYS = 4;
const MIN = 60_000;

export interface AuditData {
  calls: CallRecord[];
  events: CallEvent[];
  checklists: ChecklistRecord[];
}

/** A time in the days, often within two minutes of a midnight. */
export const timeArb = fc
  .tuple(
    fc.integer({ min: 0, max: DAYS - 1 }),
    fc.oneof(fc.integer({ min: 0, max: 2 * MIN }), fc.integer({ min: DAY_MS - 2 * MIN, max: DAY_MS - 1 }), fc.integer({ min: 0, max: DAY_MS - 1 })),
  )
  .map(([d, ms]) => (BASE_DAY + d) * DAY_MS + ms);

/** A period over the days: ends anywhere (or on a midnight), sometimes empty or backwards. */
export const periodArb: fc.Arbitrary<AuditPeriod> = fc
  .tuple(
    fc.oneof(timeArb, fc.integer({ min: 0, max: DAYS }).map((d) => (BASE_DAY + d) * DAY_MS)),
    fc.oneof(fc.integer({ min: -DAY_MS, max: DAYS * DAY_MS }), fc.integer({ min: 0, max: DAYS }).map((d) => d * DAY_MS - 1)),
  )
  .map(([from, span]) => ({ from, to: from + span }));

const eventTypes: CallEvent['type'][] = [
  'lobby', 'admitted', 'prompt-shown', 'decision', 'recording-before-consent', 'recording-after-decline',
  'recording-started', 'recording-stopped', 'late-joiner', 'left',
];

const blankFields = (): ChecklistFields => ({
  qualification: 'q', nextSteps: [], timeline: '', risks: '', competition: '', humanNuance: '', powerDynamics: '',
  hesitation: '', emotion: '', urgency: '', subtleObjections: '',
});

/** Call ids c0…c11 (events may name a call that is not stored). */
const CALL_IDS = 12;

export const auditDataArb: fc.Arbitrary<AuditData> = fc
  .record({
    calls: fc.uniqueArray(
      fc.record({
        n: fc.integer({ min: 0, max: CALL_IDS - 1 }),
        detected: timeArb,
        admitDelay: fc.option(fc.integer({ min: 0, max: 10 * MIN }), { nil: undefined }),
        outcome: fc.constantFrom(undefined, 'agreed' as const, 'declined' as const, 'not-recorded' as const, 'withdrawn' as const),
        status: fc.constantFrom('lobby' as const, 'active' as const, 'ended' as const),
        manual: fc.boolean(),
      }),
      { maxLength: 10, selector: (c) => c.n },
    ),
    events: fc.array(
      fc.record({
        n: fc.integer({ min: 0, max: CALL_IDS - 1 }),
        type: fc.constantFrom(...eventTypes),
        at: timeArb,
        outcome: fc.constantFrom('agreed', 'declined', 'not-recorded', 'withdrawn', undefined),
        reason: fc.constantFrom('never-record-rule', 'other', undefined),
        rule: fc.constantFrom('ask-consent', 'never-record', 'record-with-notice', 'bogus', undefined),
        category: fc.constantFrom(...callCategories, 'bogus', undefined),
        lateJoiner: fc.constantFrom(true, undefined),
        manual: fc.constantFrom(true, undefined),
        afterDecline: fc.boolean(),
        atCallEnd: fc.boolean(),
        durationMs: fc.option(fc.integer({ min: 0, max: 5 * MIN }), { nil: undefined }),
        answer: fc.constantFrom('agreed', 'declined', 'dismissed', undefined),
      }),
      { maxLength: 50 },
    ),
    checklists: fc.uniqueArray(
      fc.record({
        n: fc.integer({ min: 0, max: CALL_IDS - 1 }),
        done: fc.boolean(),
        pendingSince: timeArb,
        completeAfter: fc.option(fc.integer({ min: 0, max: DAY_MS }), { nil: undefined }),
        nuance: fc.boolean(),
      }),
      { maxLength: 8, selector: (c) => c.n },
    ),
  })
  .map(({ calls, events, checklists }): AuditData => ({
    calls: calls.map((c) => ({
      id: `c${c.n}`, platform: 'meet', meetingHash: 'h', status: c.status, tabIds: [], detectedAt: c.detected,
      ...(c.admitDelay !== undefined ? { admittedAt: c.detected + c.admitDelay } : {}),
      ...(c.outcome ? { outcome: c.outcome } : {}),
      detectedBy: c.manual ? ['manual'] : ['x'], updatedAt: c.detected,
    })),
    events: events.map((e, i) => ({
      id: `e${i}`, callId: `c${e.n}`, type: e.type, at: e.at,
      data: Object.fromEntries(Object.entries({
        outcome: e.outcome, reason: e.reason, rule: e.rule, category: e.category, lateJoiner: e.lateJoiner, manual: e.manual,
        afterDecline: e.afterDecline, atCallEnd: e.atCallEnd, durationMs: e.durationMs, answer: e.answer,
      }).filter(([, v]) => v !== undefined)),
    })),
    checklists: checklists.map((c) => ({
      callId: `c${c.n}`, status: c.done ? 'done' : 'pending', pendingSince: c.pendingSince,
      ...(c.completeAfter !== undefined ? { completedAt: c.pendingSince + c.completeAfter } : {}),
      fields: { ...blankFields(), ...(c.nuance ? { hesitation: 'paused on price' } : {}) }, updatedAt: c.pendingSince,
    })),
  }));

/** The whole input buildAuditReport gets: every record, small tables empty. */
export function fullInput(data: AuditData, period: AuditPeriod, now: number): AuditInput {
  return {
    period, now, ...data, aiDrafts: [], concerns: [], accessLog: [], purgeReceipts: [],
    retentionDays: { ...defaultPolicy.retentionDays }, oldest: {}, ledger: { check: 'every-entry', intact: true, count: 0, head: { seq: 0, hash: '0'.repeat(64) } },
  };
}

const dayOf = (t: number) => Math.floor(t / DAY_MS);

/** The loading rule for one day, over in-memory records (what the background reads by index). */
export function dayRecords(data: AuditData, day: number): AuditData {
  const calls = data.calls.filter((c) => dayOf(c.admittedAt ?? c.detectedAt) === day);
  const callIds = new Set(calls.map((c) => c.id));
  const related = new Set(callIds);
  for (const e of data.events) if (dayOf(e.at) === day) related.add(e.callId);
  return {
    calls,
    events: data.events.filter((e) => related.has(e.callId)),
    checklists: data.checklists.filter((cl) => callIds.has(cl.callId)),
  };
}

/** One partial per UTC day of the period, each over its day clipped to the period. */
export function dayPartials(data: AuditData, period: AuditPeriod): CallSectionsPartial[] {
  const parts: CallSectionsPartial[] = [];
  if (!(period.from <= period.to)) return parts;
  for (let day = dayOf(period.from); day <= dayOf(period.to); day++) {
    const clipped = { from: Math.max(period.from, day * DAY_MS), to: Math.min(period.to, (day + 1) * DAY_MS - 1) };
    const r = dayRecords(data, day);
    parts.push(accumulateCallSections(clipped, r.calls, r.events, r.checklists));
  }
  return parts;
}

/** The report from merged day partials (what the background does), for comparison with buildAuditReport. */
export function reportFromDays(data: AuditData, period: AuditPeriod, now: number, parts = dayPartials(data, period)): AuditReport {
  const input = fullInput(data, period, now);
  return withAuditLedger(buildAuditReportBody(mergeCallSections(parts), input), input.ledger);
}
