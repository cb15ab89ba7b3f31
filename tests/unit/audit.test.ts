import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_CALL_CATEGORIES,
  AUDIT_CONCERN_CATEGORIES,
  AUDIT_RETENTION_KINDS,
  buildAuditReport,
  type AuditInput,
} from '../../lib/audit';
import { AUDIT_CSV_HEADER, auditReportCsv, auditReportRows } from '../../lib/audit/csv';
import { ageDays, DAY_MS, maxOrNull, median, monthKey, monthsBetween, rate } from '../../lib/audit/stats';

import type { AuditLedger } from '../../lib/audit';
import { defaultPolicy } from '../../lib/policy/defaults';

import { parseCsv } from './support/csv-reader';
import { concernCategories, type AccessLogRecord, type AiDraftRecord, type CallEvent, type CallRecord, type ChecklistFields, type ChecklistRecord, type ConcernRecord, type PurgeReceiptRecord, type RetentionKind, callCategories, retentionKinds } from '../../lib/model';

// ---------------------------------------------------------------------------------------------
// Builders

const S = 1_000;
const MIN = 60 * S;
const HOUR = 60 * MIN;

const FROM = Date.UTC(2025, 0, 1); // 2025-01-01T00:00:00.000Z
const TO = Date.UTC(2025, 2, 31, 23, 59, 59, 999); // 2025-03-31T23:59:59.999Z
const NOW = Date.UTC(2025, 3, 1); // 2025-04-01T00:00:00.000Z
const day = (m: number, d: number, h = 10) => Date.UTC(2025, m - 1, d, h); // 2025-MM-DD hh:00 UTC

function call(id: string, admittedAt: number | undefined, extra: Partial<CallRecord> = {}): CallRecord {
  const detectedAt = extra.detectedAt ?? (admittedAt ?? 0) - 30 * S;
  return {
    id,
    platform: 'meet',
    meetingHash: `hash-${id}`,
    status: 'ended',
    tabIds: [],
    detectedAt,
    ...(admittedAt !== undefined ? { admittedAt, endedAt: admittedAt + HOUR } : {}),
    detectedBy: ['meet-call-controls'],
    updatedAt: detectedAt,
    ...extra,
  };
}

let eventSeq = 0;
function ev(callId: string, type: CallEvent['type'], at: number, data: Record<string, unknown> = {}): CallEvent {
  return { id: `ev-${++eventSeq}`, callId, type, at, data };
}

const blankFields = (): ChecklistFields => ({
  qualification: 'BANT ok', nextSteps: [{ text: 'Send deck', owner: 'me', due: '2025-02-01' }], timeline: 'Q2', risks: 'budget',
  competition: 'none', humanNuance: '', powerDynamics: '', hesitation: '', emotion: '', urgency: '', subtleObjections: '',
});

function checklist(callId: string, status: 'pending' | 'done', pendingSince: number, completedAt?: number, fields: Partial<ChecklistFields> = {}): ChecklistRecord {
  return {
    callId, status, pendingSince, fields: { ...blankFields(), ...fields }, updatedAt: completedAt ?? pendingSince,
    ...(completedAt !== undefined ? { completedAt } : {}),
  };
}

function concern(id: string, category: ConcernRecord['category'], createdAt: number, status: ConcernRecord['status'], anonymous: boolean): ConcernRecord {
  return { id, category, text: 'text', anonymous, status, createdAt, updatedAt: createdAt };
}

function access(id: string, at: number, purpose: AccessLogRecord['purpose'], action: string, callCount: number, approval?: AccessLogRecord['approval']): AccessLogRecord {
  return { id, at, purpose, action, callCount, ...(approval ? { approval } : {}) };
}

function emptyInput(over: Partial<AuditInput> = {}): AuditInput {
  return {
    period: { from: FROM, to: TO },
    now: NOW,
    calls: [],
    events: [],
    checklists: [],
    aiDrafts: [],
    concerns: [],
    accessLog: [],
    purgeReceipts: [],
    retentionDays: { ...defaultPolicy.retentionDays },
    oldest: {},
    ledger: { check: 'every-entry', intact: true, count: 0, head: { seq: 0, hash: '0'.repeat(64) } },
    ...over,
  };
}

/** Every number in the value is finite (no NaN, no ±Infinity) and nothing is undefined. */
function assertPlainJson(value: unknown, path = 'report'): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    expect(Number.isFinite(value), `${path} = ${value}`).toBe(true);
    return;
  }
  expect(value, path).toBeTypeOf('object');
  if (Array.isArray(value)) value.forEach((v, i) => assertPlainJson(v, `${path}[${i}]`));
  else for (const [k, v] of Object.entries(value as object)) assertPlainJson(v, `${path}.${k}`);
}

// ---------------------------------------------------------------------------------------------
// The hand-computed dataset. Period: 2025-01-01T00:00:00.000Z .. 2025-03-31T23:59:59.999Z.
//
//  A  admitted exactly at FROM (inclusive); decision agreed +30s (legacy: no rule/category);
//     recording +60s..+10min; late joiner agreed; checklist done in 10 min, humanNuance filled.
//  B  admitted exactly at TO (inclusive), still active (no checklist due); decision declined at
//     TO (+0s), rule record-with-notice, category external-prospect; a done checklist (ignored).
//  C  admitted TO+1: outside the period, as are all its events (at TO+1).
//  D  admitted FROM−1: outside; but its decision at FROM+5s is in the period (events count by
//     their own time), with a recording-before-consent at the same millisecond.
//  E  lobby only (never admitted), detected 1 Feb: detected, nothing else.
//  F  started by hand (detectedBy manual), no decision (pending); checklist pending.
//  G  recording before consent (+5s), declined at +20s (→ recording-after-decline at +20s),
//     stopped at +50s after a 45 s episode (so it began at +5s) → 30 s from the decline to the
//     stop; checklist done in 30 min with only whitespace in humanNuance (not filled).
//  H  never-record rule (hr-people) skipped the ask; never recorded: respected. Manual start
//     known only from its admitted event. Checklist done in 20 min, emotion " tense ".
//  I  never-record rule (legal); a recording began after it (+60s, recording-after-decline),
//     stopped at +90s (30 s episode): violated.
//  J  agreed at +10s (ask-consent, internal), recorded +20s..+50s, then re-categorised
//     personal/never-record at +100s: violated through its recording-started event only.
//  L  agreed +15s (ask-consent, customer), recording from +20s, withdrawn at +120s (→ after-decline
//     at +120s), stopped at +125s after a 105 s episode → 5 s from the withdrawal to the stop;
//     late joiner dismissed; no checklist at all.
//  M  agreed +40s (ask-consent, customer), recording from +45s, late joiner declined at +200s
//     (decision lateJoiner, after-decline at +200s); the recording only stopped when the call
//     ended at +260s (atCallEnd, 215 s episode) → 60 s; checklist pending.

const tA = FROM;
const tB = TO;
const tC = TO + 1;
const tD = FROM - 1;
const tE = day(2, 1);
const tF = day(2, 10);
const tG = day(2, 15);
const tH = day(3, 1);
const tI = day(3, 2);
const tJ = day(3, 5);
const tL = day(3, 10);
const tM = day(3, 20);

function dataset(): AuditInput {
  eventSeq = 0;
  const calls: CallRecord[] = [
    call('A', tA, { outcome: 'agreed' }),
    call('B', tB, { status: 'active', outcome: 'declined', endedAt: undefined }),
    call('C', tC, { outcome: 'agreed' }),
    call('D', tD, { outcome: 'agreed' }),
    call('E', undefined, { detectedAt: tE, lobbyAt: tE }),
    call('F', tF, { detectedBy: ['manual'] }),
    call('G', tG, { outcome: 'declined' }),
    call('H', tH, { outcome: 'not-recorded' }),
    call('I', tI, { outcome: 'not-recorded' }),
    call('J', tJ, { outcome: 'not-recorded' }),
    call('L', tL, { outcome: 'withdrawn' }),
    call('M', tM, { outcome: 'declined' }),
  ];
  const events: CallEvent[] = [
    ev('A', 'admitted', tA, { signals: ['x'], manual: false }),
    ev('A', 'prompt-shown', tA + 10 * S),
    ev('A', 'decision', tA + 30 * S, { outcome: 'agreed' }),
    ev('A', 'recording-started', tA + 60 * S, { sources: ['platform'] }),
    ev('A', 'late-joiner', tA + 5 * MIN, { joined: 1, answer: 'agreed' }),
    ev('A', 'recording-stopped', tA + 10 * MIN, { durationMs: 9 * MIN, sources: ['platform'], afterDecline: false }),
    ev('A', 'left', tA + HOUR, { reason: 'left' }),

    ev('B', 'admitted', tB, { signals: ['x'] }),
    ev('B', 'prompt-shown', tB),
    ev('B', 'decision', tB, { outcome: 'declined', rule: 'record-with-notice', category: 'external-prospect' }),

    ev('C', 'admitted', tC),
    ev('C', 'prompt-shown', tC),
    ev('C', 'recording-before-consent', tC),
    ev('C', 'decision', tC, { outcome: 'agreed', rule: 'ask-consent', category: 'customer' }),
    ev('C', 'late-joiner', tC, { joined: 1, answer: 'declined' }),

    ev('D', 'admitted', tD),
    ev('D', 'prompt-shown', tD),
    ev('D', 'recording-before-consent', FROM + 5 * S),
    ev('D', 'decision', FROM + 5 * S, { outcome: 'agreed' }),

    ev('E', 'lobby', tE),

    ev('F', 'admitted', tF, { signals: ['manual'], manual: true }),
    ev('F', 'left', tF + HOUR, { reason: 'left' }),

    ev('G', 'admitted', tG),
    ev('G', 'recording-before-consent', tG + 5 * S, { sources: ['Otter'] }),
    ev('G', 'prompt-shown', tG + 6 * S),
    ev('G', 'decision', tG + 20 * S, { outcome: 'declined', rule: 'ask-consent', category: 'customer' }),
    ev('G', 'recording-after-decline', tG + 20 * S, { sources: ['Otter'] }),
    ev('G', 'recording-stopped', tG + 50 * S, { durationMs: 45 * S, sources: ['Otter'], afterDecline: true }),

    ev('H', 'admitted', tH, { signals: ['x'], manual: true }),
    ev('H', 'decision', tH + 1 * S, { outcome: 'not-recorded', reason: 'never-record-rule', rule: 'never-record', category: 'hr-people' }),

    ev('I', 'admitted', tI),
    ev('I', 'decision', tI + 2 * S, { outcome: 'not-recorded', reason: 'never-record-rule', rule: 'never-record', category: 'legal' }),
    ev('I', 'recording-after-decline', tI + 60 * S),
    ev('I', 'recording-stopped', tI + 90 * S, { durationMs: 30 * S, afterDecline: true }),

    ev('J', 'admitted', tJ),
    ev('J', 'decision', tJ + 10 * S, { outcome: 'agreed', rule: 'ask-consent', category: 'internal' }),
    ev('J', 'recording-started', tJ + 20 * S),
    ev('J', 'recording-stopped', tJ + 50 * S, { durationMs: 30 * S, afterDecline: false }),
    ev('J', 'decision', tJ + 100 * S, { outcome: 'not-recorded', reason: 'never-record-rule', rule: 'never-record', category: 'personal', previous: 'agreed' }),

    ev('L', 'admitted', tL),
    ev('L', 'decision', tL + 15 * S, { outcome: 'agreed', rule: 'ask-consent', category: 'customer' }),
    ev('L', 'recording-started', tL + 20 * S),
    ev('L', 'late-joiner', tL + 60 * S, { joined: 1, answer: 'dismissed' }),
    ev('L', 'decision', tL + 120 * S, { outcome: 'withdrawn', previous: 'agreed' }),
    ev('L', 'recording-after-decline', tL + 120 * S),
    ev('L', 'recording-stopped', tL + 125 * S, { durationMs: 105 * S, afterDecline: true }),

    ev('M', 'admitted', tM),
    ev('M', 'decision', tM + 40 * S, { outcome: 'agreed', rule: 'ask-consent', category: 'customer' }),
    ev('M', 'recording-started', tM + 45 * S),
    ev('M', 'late-joiner', tM + 200 * S, { joined: 1, answer: 'declined' }),
    ev('M', 'decision', tM + 200 * S, { outcome: 'declined', previous: 'agreed', lateJoiner: true }),
    ev('M', 'recording-after-decline', tM + 200 * S),
    ev('M', 'recording-stopped', tM + 260 * S, { durationMs: 215 * S, afterDecline: true, atCallEnd: true }),
    ev('M', 'left', tM + 260 * S, { reason: 'left' }),
  ];
  const checklists: ChecklistRecord[] = [
    checklist('A', 'done', tA + HOUR, tA + HOUR + 10 * MIN, { humanNuance: 'Champion hesitant on price' }),
    checklist('B', 'done', tB, tB + MIN, { humanNuance: 'x' }), // B is not ended: not due, ignored
    checklist('C', 'done', tC + HOUR, tC + HOUR + MIN, { emotion: 'x' }), // C is outside: ignored
    checklist('F', 'pending', tF + HOUR),
    checklist('G', 'done', tG + HOUR, tG + HOUR + 30 * MIN, { humanNuance: '   \n ' }),
    checklist('H', 'done', tH + HOUR, tH + HOUR + 20 * MIN, { emotion: ' tense ' }),
    checklist('M', 'pending', tM + 260 * S),
  ];
  const aiDrafts: AiDraftRecord[] = [
    {
      callId: 'A', source: 'Otter', createdAt: tA + 2 * HOUR, updatedAt: tA + 2 * HOUR,
      statements: [
        { id: 's1', text: 'Budget approved', mark: 'correct' },
        { id: 's2', text: 'Decision in May', mark: 'wrong', concernId: 'k2' },
        { id: 's3', text: 'Uses a competitor' },
        { id: 's4', text: 'Three seats', mark: 'wrong' },
      ],
    },
    { callId: 'G', source: 'Fireflies', createdAt: tG + HOUR, updatedAt: tG + HOUR, statements: [{ id: 's1', text: 'Asked for a demo', mark: 'correct' }] },
    { callId: 'C', source: 'Gong', createdAt: tC, updatedAt: tC, statements: [{ id: 's1', text: 'x', mark: 'wrong' }, { id: 's2', text: 'y', mark: 'wrong' }] },
  ];
  const concerns: ConcernRecord[] = [
    concern('k1', 'privacy-concern', FROM, 'open', true),
    concern('k2', 'ai-summary-error', day(1, 15), 'acknowledged', false),
    concern('k3', 'ai-summary-error', day(3, 3), 'resolved', true),
    concern('k4', 'cultural-friction', TO, 'open', false),
    concern('k5', 'consent-confusion', TO + 1, 'open', false), // outside
    concern('k6', 'coaching-misuse', FROM - 1, 'open', false), // outside
  ];
  const accessLog: AccessLogRecord[] = [
    access('a1', FROM, 'coaching', 'export-csv', 5),
    access('a3', day(3, 5), 'performance', 'share "deal review", Q1', 2), // no approval
    access('a2', day(2, 1), 'performance', 'line1\nline2', 3, { approver: 'Dana (Compliance)', reference: 'REQ-1' }),
    access('a4', day(1, 20), 'performance', '=cmd', 1, { approver: '  ', reference: 'X' }), // blank approver
    access('a5', TO + 1, 'performance', 'export-json', 9), // outside
  ];
  const purgeReceipts: PurgeReceiptRecord[] = [
    { id: 'p2', at: day(2, 1, 3), kind: 'calls', count: 0, oldest: null, newest: null },
    { id: 'p1', at: FROM, kind: 'aiDrafts', count: 12, oldest: Date.UTC(2024, 8, 1), newest: Date.UTC(2024, 9, 1) },
    { id: 'p3', at: TO + 1, kind: 'tags', count: 4, oldest: 1, newest: 2 }, // outside
  ];
  const oldest: Partial<Record<RetentionKind, number | null>> = {
    consent: NOW - 1095 * DAY_MS, // exactly 1095 days: within 1095
    calls: NOW - 366 * DAY_MS, // 366 > 365: over
    notes: NOW - 365 * DAY_MS - 23 * HOUR, // 365 whole days: within 365
    tags: null, // nothing stored
    // checklists: absent, nothing stored
    aiDrafts: NOW - 10 * DAY_MS,
    concerns: NOW + 5 * DAY_MS, // in the future (clock skew): age 0
    accessLog: NOW - 1096 * DAY_MS, // 1096 > 1095: over
  };
  return emptyInput({
    calls, events, checklists, aiDrafts, concerns, accessLog, purgeReceipts, oldest,
    ledger: { check: 'every-entry', intact: false, count: 7, brokenAt: { index: 3, seq: 4, reason: 'hash mismatch, "prev" differs' } },
  });
}

describe('buildAuditReport: the hand-computed dataset', () => {
  const report = buildAuditReport(dataset());

  it('carries the period and the generation time', () => {
    expect(report.period).toEqual({ from: FROM, to: TO });
    expect(report.generatedAt).toBe(NOW);
  });

  it('consent: accuracy of the consent process', () => {
    expect(report.consent).toEqual({
      // A (at FROM), B (at TO), E (lobby), F, G, H, I, J, L, M; C (TO+1) and D (FROM−1) are out.
      callsDetected: 10,
      // The same minus E (never admitted).
      callsAdmitted: 9,
      // prompt-shown events at A+10s, B (at TO), G+6s; C's (TO+1) and D's (FROM−1) are out.
      promptsShown: 3,
      // Decision events in the period: A, B, D (its call is out, its decision is in), G, H, I,
      // J×2, L×2, M×2 = 12. C's is at TO+1.
      decisionsMade: 12,
      // Of those, changes of an earlier decision: L withdrawn, M a late joiner's "no", and J's
      // agreed → never-record (older data, no kind describes it: other).
      decisionChanges: { 'agreed-after-decline': 0, 'asked-again': 0, 'rule-undone': 0, withdrawn: 1, 'late-joiner-declined': 1, other: 1 },
      // 12 minus G (recording before consent at +5s, decision at +20s) and D (recording before
      // consent at the same millisecond as the decision: it was first) = 10.
      decisionsBeforeRecording: 10,
      // Current outcome of the 9 admitted calls: A agreed; B, G, M declined; H, I, J not
      // recorded; L withdrawn; F pending (1+3+3+1+1 = 9).
      outcomes: { agreed: 1, declined: 3, notRecorded: 3, withdrawn: 1, pending: 1 },
      // First decision − admission for calls whose first decision was an ask: B 0, J 10s, L 15s,
      // G 20s, A 30s, M 40s (H and I were skipped by the never-record rule; F has none).
      // Six values: (15 000 + 20 000) / 2.
      medianAdmissionToDecisionMs: 17_500,
      // F (detectedBy manual) and H (its admitted event says manual).
      manualStarts: 2,
    });
  });

  it('recording rules: adherence', () => {
    expect(report.recordingRules).toEqual({
      // G +5s and D at FROM+5s (C's at TO+1 is out).
      recordingBeforeConsent: 2,
      // G +20s, I +60s, L +120s, M +200s.
      recordingAfterDecline: 4,
      // Stops with afterDecline: G 30s (decline +20s → stop +50s), I 30s, L 5s (withdrawal
      // +120s → +125s; the episode began at +20s, before any after-decline event), M 60s (+200s →
      // +260s, at call end). Sorted 5, 30, 30, 60 → median (30+30)/2 = 30s; max 60s.
      afterDeclineStops: { count: 4, medianMsToStop: 30_000, maxMsToStop: 60_000, atCallEnd: 1 },
      // H respected; I (recording-after-decline) and J (recording-started) violated.
      neverRecordCategories: { calls: 3, respected: 1, violated: 2 },
      // ask-consent: G, J1, L1, M1; never-record: H, I, J2; record-with-notice: B;
      // unspecified: A, D, L's withdrawal, M's late-joiner decline.
      decisionsByRule: { 'ask-consent': 4, 'never-record': 3, 'record-with-notice': 1, unspecified: 4 },
      // Latest categorised decision of the 9 admitted calls: B external-prospect; G, L (its
      // withdrawal has no category), M customer; H hr-people; I legal; J personal (re-categorised
      // from internal); A and F uncategorized.
      callsByCategory: { 'external-prospect': 1, customer: 3, internal: 0, 'hr-people': 1, legal: 1, personal: 1, uncategorized: 2 },
      // A agreed, L dismissed, M declined (C's is out).
      lateJoiners: { nudges: 3, agreed: 1, declined: 1, dismissed: 1 },
    });
  });

  it('access: performance use and its approvals', () => {
    expect(report.access).toEqual({
      // a1 coaching; a2, a3, a4 performance (a5 is at TO+1).
      exportsByPurpose: { coaching: 1, performance: 3, recordKeeping: 0 },
      // Oldest first; a blank approver is no approver.
      performanceExports: [
        { at: day(1, 20), action: '=cmd', callCount: 1, approver: null, reference: 'X' },
        { at: day(2, 1), action: 'line1\nline2', callCount: 3, approver: 'Dana (Compliance)', reference: 'REQ-1' },
        { at: day(3, 5), action: 'share "deal review", Q1', callCount: 2, approver: null, reference: null },
      ],
      // a3 (no approval) and a4 (blank approver).
      performanceWithoutApproval: 2,
    });
  });

  it('sentiment: concerns by category, month and status', () => {
    const zero = Object.fromEntries(concernCategories.map((c) => [c, 0]));
    expect(report.sentiment).toEqual({
      // k1 (at FROM), k2, k3, k4 (at TO); k5 and k6 are out.
      total: 4,
      anonymous: 2, // k1, k3
      concernsByCategory: { ...zero, 'privacy-concern': 1, 'ai-summary-error': 2, 'cultural-friction': 1 },
      // January k1, k2; February none (listed with zeros); March k3, k4.
      concernsByMonth: [
        { month: '2025-01', counts: { ...zero, 'privacy-concern': 1, 'ai-summary-error': 1 } },
        { month: '2025-02', counts: zero },
        { month: '2025-03', counts: { ...zero, 'ai-summary-error': 1, 'cultural-friction': 1 } },
      ],
      statusCounts: { open: 2, acknowledged: 1, resolved: 1 },
    });
  });

  it('coaching: checklist completion and human nuance', () => {
    expect(report.coaching).toEqual({
      // Ended admitted calls in the period: A, F, G, H, I, J, L, M (B is active, E never admitted).
      checklistsDue: 8,
      // A, G, H (B's and C's done checklists do not count).
      checklistsCompleted: 3,
      completionRate: 3 / 8,
      // 10, 30 and 20 minutes: median 20 minutes (odd count).
      medianTimeToCompleteMs: 20 * MIN,
      // A (humanNuance) and H (emotion); G's humanNuance is only whitespace.
      humanNuanceFilledRate: 2 / 3,
      // Every call here is in the policy's checklist scope, and none was dismissed.
      checklistsNotRequired: 0,
      checklistsDismissed: 0,
      dismissedByReason: { 'no-crm-record': 0, 'internal-call': 0, other: 0 },
    });
  });

  it('AI reliability: statements marked wrong', () => {
    expect(report.aiReliability).toEqual({
      drafts: 2, // A's and G's (C's was pasted at TO+1)
      statements: 5, // 4 + 1
      statementsMarked: 4, // A: correct, wrong, wrong; G: correct
      statementsWrong: 2,
      wrongRate: 0.5,
      aiErrorConcerns: 2, // k2, k3
    });
  });

  it('retention: oldest rows against the limits, and the period purges', () => {
    expect(report.retention.kinds).toEqual({
      consent: { limitDays: 1095, oldestAgeDays: 1095, withinLimit: true },
      calls: { limitDays: 365, oldestAgeDays: 366, withinLimit: false },
      notes: { limitDays: 365, oldestAgeDays: 365, withinLimit: true }, // 365 days 23 h: whole days
      tags: { limitDays: 365, oldestAgeDays: null, withinLimit: true },
      checklists: { limitDays: 365, oldestAgeDays: null, withinLimit: true },
      aiDrafts: { limitDays: 90, oldestAgeDays: 10, withinLimit: true },
      concerns: { limitDays: 730, oldestAgeDays: 0, withinLimit: true },
      accessLog: { limitDays: 1095, oldestAgeDays: 1096, withinLimit: false },
    });
    expect(report.retention.allWithinLimit).toBe(false);
    // p1 (at FROM) and p2, oldest first; p3 is out.
    expect(report.retention.purgeReceipts).toEqual([
      { kind: 'aiDrafts', count: 12, at: FROM, oldest: Date.UTC(2024, 8, 1), newest: Date.UTC(2024, 9, 1) },
      { kind: 'calls', count: 0, at: day(2, 1, 3), oldest: null, newest: null },
    ]);
  });

  it('ledger: passed through as given', () => {
    expect(report.ledger).toEqual({ check: 'every-entry', intact: false, count: 7, brokenAt: { index: 3, seq: 4, reason: 'hash mismatch, "prev" differs' } });
  });

  it('is plain JSON: no NaN, no undefined, survives a round trip', () => {
    assertPlainJson(report);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('does not depend on the order of the records', () => {
    const input = dataset();
    const reversed: AuditInput = {
      ...input,
      calls: [...input.calls].reverse(),
      events: [...input.events].reverse(),
      checklists: [...input.checklists].reverse(),
      concerns: [...input.concerns].reverse(),
      accessLog: [...input.accessLog].reverse(),
      aiDrafts: [...input.aiDrafts].reverse(),
    };
    expect(buildAuditReport(reversed)).toEqual(report);
  });

  it('does not modify its input', () => {
    const input = dataset();
    const copy = structuredClone(input);
    buildAuditReport(input);
    expect(input).toEqual(copy);
  });
});

describe('buildAuditReport: edge cases', () => {
  it('empty input: zeros and nulls, never NaN', () => {
    const report = buildAuditReport(emptyInput());
    assertPlainJson(report);
    expect(report.consent).toEqual({
      callsDetected: 0, callsAdmitted: 0, promptsShown: 0, decisionsMade: 0, decisionsBeforeRecording: 0,
      decisionChanges: { 'agreed-after-decline': 0, 'asked-again': 0, 'rule-undone': 0, withdrawn: 0, 'late-joiner-declined': 0, other: 0 },
      outcomes: { agreed: 0, declined: 0, notRecorded: 0, withdrawn: 0, pending: 0 },
      medianAdmissionToDecisionMs: null, manualStarts: 0,
    });
    expect(report.recordingRules.afterDeclineStops).toEqual({ count: 0, medianMsToStop: null, maxMsToStop: null, atCallEnd: 0 });
    expect(report.recordingRules.neverRecordCategories).toEqual({ calls: 0, respected: 0, violated: 0 });
    expect(report.access).toEqual({ exportsByPurpose: { coaching: 0, performance: 0, recordKeeping: 0 }, performanceExports: [], performanceWithoutApproval: 0 });
    expect(report.sentiment.concernsByMonth).toEqual([]);
    expect(Object.values(report.sentiment.concernsByCategory)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(report.coaching).toEqual({
      checklistsDue: 0, checklistsCompleted: 0, completionRate: null, medianTimeToCompleteMs: null, humanNuanceFilledRate: null,
      checklistsNotRequired: 0, checklistsDismissed: 0, dismissedByReason: { 'no-crm-record': 0, 'internal-call': 0, other: 0 },
    });
    expect(report.aiReliability).toEqual({ drafts: 0, statements: 0, statementsMarked: 0, statementsWrong: 0, wrongRate: null, aiErrorConcerns: 0 });
    for (const kind of retentionKinds) {
      expect(report.retention.kinds[kind]).toEqual({ limitDays: defaultPolicy.retentionDays[kind], oldestAgeDays: null, withinLimit: true });
    }
    expect(report.retention.allWithinLimit).toBe(true);
    expect(report.retention.purgeReceipts).toEqual([]);
    expect(report.ledger).toEqual({ check: 'every-entry', intact: true, count: 0, head: { seq: 0, hash: '0'.repeat(64) } });
    // The CSV of an empty report is complete too: null metrics are empty values, not "NaN".
    const csv = auditReportCsv(report, { bom: false });
    expect(csv).not.toMatch(/NaN|undefined|Infinity/);
    expect(csv).toContain('\r\n"consent","medianAdmissionToDecisionMs",""\r\n');
    expect(csv).toContain('\r\n"access","performanceExports.count","0"\r\n');
  });

  it('period boundaries are inclusive at both ends, for calls, events, concerns and access', () => {
    const from = 1_000_000;
    const to = 2_000_000;
    const input = emptyInput({
      period: { from, to },
      calls: [
        call('at-from', from),
        call('at-to', to),
        call('before', from - 1),
        call('after', to + 1),
        // Admitted inside, detected before: the admission decides.
        call('detected-before', from + 10, { detectedAt: from - 500 }),
        // Lobby only: the detection decides.
        call('lobby-at-to', undefined, { detectedAt: to }),
        call('lobby-after', undefined, { detectedAt: to + 1 }),
      ],
      events: [
        ev('x', 'prompt-shown', from),
        ev('x', 'prompt-shown', to),
        ev('x', 'prompt-shown', from - 1),
        ev('x', 'prompt-shown', to + 1),
        ev('y', 'recording-before-consent', from - 1),
        ev('y', 'recording-before-consent', to),
        ev('y', 'recording-before-consent', to + 1),
      ],
      concerns: [
        concern('c1', 'access-issue', from, 'open', false),
        concern('c2', 'access-issue', to, 'open', false),
        concern('c3', 'access-issue', from - 1, 'open', false),
        concern('c4', 'access-issue', to + 1, 'open', false),
      ],
      accessLog: [
        access('l1', from, 'coaching', 'x', 1),
        access('l2', to, 'coaching', 'x', 1),
        access('l3', from - 1, 'coaching', 'x', 1),
        access('l4', to + 1, 'coaching', 'x', 1),
      ],
    });
    const r = buildAuditReport(input);
    expect(r.consent.callsDetected).toBe(4); // at-from, at-to, detected-before, lobby-at-to
    expect(r.consent.callsAdmitted).toBe(3);
    expect(r.consent.promptsShown).toBe(2);
    expect(r.recordingRules.recordingBeforeConsent).toBe(1);
    expect(r.sentiment.concernsByCategory['access-issue']).toBe(2);
    expect(r.access.exportsByPurpose.coaching).toBe(2);
  });

  it('a period that ends before it starts contains nothing', () => {
    const input = dataset();
    const r = buildAuditReport({ ...input, period: { from: TO, to: FROM } });
    expect(r.consent.callsDetected).toBe(0);
    expect(r.consent.decisionsMade).toBe(0);
    expect(r.sentiment.total).toBe(0);
    assertPlainJson(r);
  });

  it('calls with no decision are pending; a call without a stored outcome falls back to its latest decision', () => {
    const r = buildAuditReport(emptyInput({
      calls: [call('p1', day(1, 5)), call('p2', day(1, 6)), call('fallback', day(1, 7))],
      events: [
        ev('p1', 'prompt-shown', day(1, 5) + S), // prompt shown, never answered
        ev('fallback', 'decision', day(1, 7) + 5 * S, { outcome: 'agreed' }),
        ev('fallback', 'decision', day(1, 7) + 9 * S, { outcome: 'withdrawn', previous: 'agreed' }),
      ],
    }));
    expect(r.consent.outcomes).toEqual({ agreed: 0, declined: 0, notRecorded: 0, withdrawn: 1, pending: 2 });
    expect(r.consent.promptsShown).toBe(1);
    expect(r.consent.decisionsMade).toBe(2);
    expect(r.consent.decisionsBeforeRecording).toBe(2);
    // Only "fallback" decided; its first decision came 5 s after admission (one value: odd).
    expect(r.consent.medianAdmissionToDecisionMs).toBe(5_000);
  });

  it('never-record: respected without recordings, violated by a start or an after-decline recording', () => {
    const t = day(2, 2);
    const nr = { outcome: 'not-recorded', reason: 'never-record-rule', rule: 'never-record', category: 'legal' };
    const r = buildAuditReport(emptyInput({
      calls: [
        call('ok', t, { outcome: 'not-recorded' }),
        // Only the reason says never-record (no rule field): still a never-record call.
        call('ok-reason-only', t, { outcome: 'not-recorded' }),
        call('started', t, { outcome: 'not-recorded' }),
        call('after-decline', t, { outcome: 'not-recorded' }),
        // An ordinary decline with recording after it is not a never-record call.
        call('declined', t, { outcome: 'declined' }),
      ],
      events: [
        ev('ok', 'decision', t, nr),
        ev('ok', 'recording-stopped', t + S, { durationMs: 0, afterDecline: false }), // a stop is no recording
        ev('ok-reason-only', 'decision', t, { outcome: 'not-recorded', reason: 'never-record-rule' }),
        ev('started', 'decision', t, nr),
        ev('started', 'recording-started', t + 2 * S),
        ev('started', 'recording-started', t + 3 * S), // two starts: still one violated call
        ev('after-decline', 'decision', t, nr),
        ev('after-decline', 'recording-after-decline', t + 4 * S),
        ev('declined', 'decision', t, { outcome: 'declined', rule: 'ask-consent' }),
        ev('declined', 'recording-after-decline', t + 4 * S),
      ],
    }));
    expect(r.recordingRules.neverRecordCategories).toEqual({ calls: 4, respected: 2, violated: 2 });
    expect(r.recordingRules.recordingAfterDecline).toBe(2);
    // The four never-record calls' decisions skipped the ask and are left out; "declined" was
    // asked at admission (0 ms): the only value.
    expect(r.consent.medianAdmissionToDecisionMs).toBe(0);
  });

  it('after-decline stops: time from the decline, falling back to the episode length', () => {
    const t = day(2, 3);
    const r = buildAuditReport(emptyInput({
      calls: [call('a', t), call('b', t), call('c', t)],
      events: [
        // a: no after-decline event known (e.g. purged): the episode's length, 7 s.
        ev('a', 'recording-stopped', t + 10 * S, { durationMs: 7 * S, afterDecline: true }),
        // b: two episodes. The first (+0..+5s) began after the decline (+0s): 5 s. The second
        // (+20..+50s) began under the decline at +20s; a second decline at +30s while it ran
        // does not shorten it: 30 s.
        ev('b', 'recording-after-decline', t),
        ev('b', 'recording-stopped', t + 5 * S, { durationMs: 5 * S, afterDecline: true }),
        ev('b', 'recording-after-decline', t + 20 * S),
        ev('b', 'recording-after-decline', t + 30 * S),
        ev('b', 'recording-stopped', t + 50 * S, { durationMs: 30 * S, afterDecline: true }),
        // c: no duration stored: the latest after-decline event before the stop, 4 s.
        ev('c', 'recording-after-decline', t + 6 * S),
        ev('c', 'recording-stopped', t + 10 * S, { afterDecline: true }),
      ],
    }));
    // 4, 5, 7, 30 → median (5 + 7) / 2 = 6 s; max 30 s.
    expect(r.recordingRules.afterDeclineStops).toEqual({ count: 4, medianMsToStop: 6_000, maxMsToStop: 30_000, atCallEnd: 0 });
  });

  it('a performance export without approval is counted; with approver and reference it is not', () => {
    const r = buildAuditReport(emptyInput({
      accessLog: [
        access('1', day(1, 2), 'performance', 'export', 4),
        access('2', day(1, 3), 'performance', 'export', 4, { approver: 'Ann', reference: 'T-9' }),
        access('3', day(1, 4), 'performance', 'export', 4, { approver: 'Ann', reference: '' }),
        access('4', day(1, 5), 'coaching', 'export', 4),
        // Backups, ledger exports and imports are record keeping: counted as such, never as coaching.
        access('5', day(1, 6), 'record-keeping', 'backup', 4),
        access('6', day(1, 7), 'record-keeping', 'ledger', 0),
        access('7', day(1, 8), 'record-keeping', 'import', 0),
      ],
    }));
    expect(r.access.performanceWithoutApproval).toBe(2);
    expect(r.access.exportsByPurpose).toEqual({ coaching: 1, performance: 3, recordKeeping: 3 });
    expect(r.access.performanceExports.map((e) => e.approver)).toEqual([null, 'Ann', 'Ann']);
  });

  it('ledger: takes the verification as it is, with its kind and head', () => {
    const verified: AuditLedger = { check: 'seals-and-links', intact: true, count: 42, head: { seq: 41, hash: 'ab'.repeat(32) } };
    const r = buildAuditReport(emptyInput({ ledger: verified }));
    expect(r.ledger).toEqual(verified);
    expect(r.ledger).not.toBe(verified); // a copy: the report does not share the caller's object
  });

  it('retention: withinLimit true at the limit, false a day past it', () => {
    const limits = { ...defaultPolicy.retentionDays, calls: 30 };
    const at = (days: number) => buildAuditReport(emptyInput({ retentionDays: limits, oldest: { calls: NOW - days * DAY_MS } })).retention;
    expect(at(30).kinds.calls).toEqual({ limitDays: 30, oldestAgeDays: 30, withinLimit: true });
    expect(at(30).allWithinLimit).toBe(true);
    expect(at(31).kinds.calls).toEqual({ limitDays: 30, oldestAgeDays: 31, withinLimit: false });
    expect(at(31).allWithinLimit).toBe(false);
  });
});

describe('auditReportCsv', () => {
  const report = buildAuditReport(dataset());
  const csv = auditReportCsv(report, { bom: false });
  const rows = parseCsv(csv);
  const value = (section: string, metric: string) => {
    const hits = rows.filter((r) => r[0] === section && r[1] === metric);
    expect(hits, `${section},${metric}`).toHaveLength(1);
    return hits[0]![2];
  };

  it('is RFC 4180: a section,metric,value header, three fields per record, CRLF after each', () => {
    expect(rows[0]).toEqual([...AUDIT_CSV_HEADER]);
    expect(rows.every((r) => r.length === 3)).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    // Every LF outside quoted fields is part of a CRLF: the parser above is strict about it.
    expect(rows).toHaveLength(auditReportRows(report).length + 1);
  });

  it('starts with a BOM unless asked not to', () => {
    expect(auditReportCsv(report).startsWith('\uFEFF')).toBe(true);
    expect(csv.startsWith('"section","metric","value"\r\n')).toBe(true);
  });

  it('quotes and escapes commas, quotes and line breaks; guards formulas', () => {
    expect(csv).toContain('\r\n"ledger","brokenAt.reason","hash mismatch, ""prev"" differs"\r\n');
    expect(csv).toContain('\r\n"access","performanceExports[1].action","line1\nline2"\r\n');
    expect(csv).toContain('\r\n"access","performanceExports[2].action","share ""deal review"", Q1"\r\n');
    expect(value('access', 'performanceExports[0].action')).toBe("'=cmd");
    expect(value('ledger', 'brokenAt.reason')).toBe('hash mismatch, "prev" differs');
  });

  it('flattens every section with readable metric names', () => {
    expect(value('report', 'generatedAt')).toBe('2025-04-01T00:00:00.000Z');
    expect(value('report', 'period.from')).toBe('2025-01-01T00:00:00.000Z');
    expect(value('report', 'period.to')).toBe('2025-03-31T23:59:59.999Z');
    expect(value('consent', 'callsDetected')).toBe('10');
    expect(value('consent', 'outcomes.notRecorded')).toBe('3');
    expect(value('consent', 'medianAdmissionToDecisionMs')).toBe('17500');
    expect(value('recordingRules', 'afterDeclineStops.maxMsToStop')).toBe('60000');
    expect(value('recordingRules', 'neverRecordCategories.violated')).toBe('2');
    expect(value('access', 'performanceExports.count')).toBe('3');
    expect(value('access', 'performanceExports[0].at')).toBe('2025-01-20T10:00:00.000Z');
    expect(value('access', 'performanceExports[0].approver')).toBe('');
    expect(value('sentiment', 'concernsByMonth.2025-02.privacy-concern')).toBe('0');
    expect(value('sentiment', 'concernsByMonth.2025-03.cultural-friction')).toBe('1');
    expect(value('sentiment', 'statusCounts.open')).toBe('2');
    expect(value('coaching', 'completionRate')).toBe('0.375');
    expect(value('aiReliability', 'wrongRate')).toBe('0.5');
    expect(value('retention', 'kinds.calls.withinLimit')).toBe('false');
    expect(value('retention', 'kinds.tags.oldestAgeDays')).toBe('');
    expect(value('retention', 'purgeReceipts[1].oldest')).toBe('');
    expect(value('retention', 'purgeReceipts[0].oldest')).toBe('2024-09-01T00:00:00.000Z');
    expect(value('ledger', 'intact')).toBe('false');
    expect(value('ledger', 'brokenAt.seq')).toBe('4');
    const sections = [...new Set(rows.slice(1).map((r) => r[0]))];
    expect(sections).toEqual(['report', 'consent', 'recordingRules', 'access', 'sentiment', 'coaching', 'aiReliability', 'retention', 'ledger']);
  });
});

describe('audit vocabularies and statistics', () => {
  it('the local category and kind lists match the project lists', () => {
    expect([...AUDIT_CONCERN_CATEGORIES]).toEqual([...concernCategories]);
    expect([...AUDIT_CALL_CATEGORIES]).toEqual([...callCategories]);
    expect([...AUDIT_RETENTION_KINDS]).toEqual([...retentionKinds]);
  });

  it('median: odd, even, empty, non-finite ignored, input untouched', () => {
    const odd = [30, 10, 20];
    expect(median(odd)).toBe(20);
    expect(odd).toEqual([30, 10, 20]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNull();
    expect(median([NaN, Infinity, 5])).toBe(5);
    expect(median([100, 9, 20])).toBe(20); // numeric, not lexicographic
  });

  it('rate, max, months, ages', () => {
    expect(rate(1, 4)).toBe(0.25);
    expect(rate(0, 0)).toBeNull();
    expect(maxOrNull([])).toBeNull();
    expect(maxOrNull([3, 9, 2])).toBe(9);
    expect(monthKey(Date.UTC(2024, 11, 31, 23, 59))).toBe('2024-12');
    expect(monthsBetween(Date.UTC(2024, 10, 15), Date.UTC(2025, 1, 1))).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(ageDays(NOW - DAY_MS + 1, NOW)).toBe(0);
    expect(ageDays(NOW + DAY_MS, NOW)).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties on random datasets

const eventTypes: CallEvent['type'][] = [
  'lobby', 'admitted', 'prompt-shown', 'decision', 'recording-before-consent', 'recording-after-decline',
  'recording-started', 'recording-stopped', 'late-joiner', 'left',
];

const randomInput = fc
  .record({
    calls: fc.array(
      fc.record({
        admitted: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
        detected: fc.integer({ min: 0, max: 100 }),
        outcome: fc.constantFrom(undefined, 'agreed' as const, 'declined' as const, 'not-recorded' as const, 'withdrawn' as const),
        status: fc.constantFrom('lobby' as const, 'active' as const, 'ended' as const),
        manual: fc.boolean(),
      }),
      { maxLength: 12 },
    ),
    events: fc.array(
      fc.record({
        call: fc.integer({ min: 0, max: 14 }),
        type: fc.constantFrom(...eventTypes),
        at: fc.integer({ min: 0, max: 100 }),
        outcome: fc.constantFrom('agreed', 'declined', 'not-recorded', 'withdrawn', undefined),
        rule: fc.constantFrom('ask-consent', 'never-record', 'record-with-notice', 'bogus', undefined),
        category: fc.constantFrom(...callCategories, 'bogus', undefined),
        afterDecline: fc.boolean(),
        durationMs: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
        answer: fc.constantFrom('agreed', 'declined', 'dismissed', undefined),
      }),
      { maxLength: 60 },
    ),
    from: fc.integer({ min: 0, max: 100 }),
    span: fc.integer({ min: -10, max: 100 }),
  })
  .map(({ calls, events, from, span }): AuditInput =>
    emptyInput({
      period: { from, to: from + span },
      now: 200,
      calls: calls.map((c, i) => call(`c${i}`, c.admitted, {
        detectedAt: c.detected, status: c.status, detectedBy: c.manual ? ['manual'] : ['x'], ...(c.outcome ? { outcome: c.outcome } : {}),
      })),
      events: events.map((e, i) => ({
        id: `e${i}`, callId: `c${e.call}`, type: e.type, at: e.at,
        data: Object.fromEntries(Object.entries({
          outcome: e.outcome, rule: e.rule, category: e.category, afterDecline: e.afterDecline, durationMs: e.durationMs, answer: e.answer,
        }).filter(([, v]) => v !== undefined)),
      })),
    }),
  );

describe('buildAuditReport: properties', () => {
  it('holds its invariants on random data, in any order', () => {
    fc.assert(
      fc.property(randomInput, fc.integer(), (input, seed) => {
        const r = buildAuditReport(input);
        assertPlainJson(r);
        const c = r.consent;
        const o = c.outcomes;
        expect(o.agreed + o.declined + o.notRecorded + o.withdrawn + o.pending).toBe(c.callsAdmitted);
        expect(c.callsAdmitted).toBeLessThanOrEqual(c.callsDetected);
        expect(c.decisionsBeforeRecording).toBeLessThanOrEqual(c.decisionsMade);
        const rr = r.recordingRules;
        expect(rr.neverRecordCategories.respected + rr.neverRecordCategories.violated).toBe(rr.neverRecordCategories.calls);
        expect(Object.values(rr.decisionsByRule).reduce((a, b) => a + b, 0)).toBe(c.decisionsMade);
        expect(Object.values(rr.callsByCategory).reduce((a, b) => a + b, 0)).toBe(c.callsAdmitted);
        // A nudge without a known answer is in no answer bucket.
        expect(rr.lateJoiners.agreed + rr.lateJoiners.declined + rr.lateJoiners.dismissed).toBeLessThanOrEqual(rr.lateJoiners.nudges);
        if (rr.afterDeclineStops.medianMsToStop !== null) {
          expect(rr.afterDeclineStops.medianMsToStop).toBeGreaterThanOrEqual(0);
          expect(rr.afterDeclineStops.medianMsToStop).toBeLessThanOrEqual(rr.afterDeclineStops.maxMsToStop!);
        }
        // Shuffled input, same report.
        let s = seed >>> 0;
        const shuffle = <T>(xs: T[]): T[] => {
          const out = [...xs];
          for (let i = out.length - 1; i > 0; i--) {
            s = (Math.imul(s, 1103515245) + 12345) >>> 0;
            const j = s % (i + 1);
            [out[i], out[j]] = [out[j]!, out[i]!];
          }
          return out;
        };
        expect(buildAuditReport({ ...input, calls: shuffle(input.calls), events: shuffle(input.events) })).toEqual(r);
        // The CSV always parses back into three-field rows.
        expect(parseCsv(auditReportCsv(r)).every((row) => row.length === 3)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Scale: 50,000 calls and 500,000 events (correctness on a sample only; timing is not asserted)

describe('buildAuditReport: 50,000 calls / 500,000 events', () => {
  it('computes the right numbers at scale', () => {
    const N = 50_000;
    const base = FROM;
    const calls: CallRecord[] = [];
    const events: CallEvent[] = [];
    // Ten events per call; every third call declines with a recording before consent, every
    // seventh is a never-record call that records anyway (a violation), the rest agree.
    for (let i = 0; i < N; i++) {
      const id = `call-${i}`;
      const t = base + i * 60 * S; // one a minute: 50,000 minutes ≈ 35 days, all inside the period
      const never = i % 7 === 0;
      const declined = !never && i % 3 === 0;
      const outcome = never ? 'not-recorded' : declined ? 'declined' : 'agreed';
      calls.push(call(id, t, { outcome }));
      const decisionData = never
        ? { outcome, reason: 'never-record-rule', rule: 'never-record', category: 'legal' }
        : { outcome, rule: 'ask-consent', category: 'customer' };
      events.push(
        ev(id, 'lobby', t - 20 * S),
        ev(id, 'admitted', t, { signals: ['x'] }),
        ev(id, 'prompt-shown', t + S),
        ev(id, declined ? 'recording-before-consent' : 'late-joiner', t + 2 * S, declined ? {} : { joined: 1, answer: 'agreed' }),
        ev(id, 'decision', t + (i % 2 === 0 ? 10 : 20) * S, decisionData),
        ev(id, declined || never ? 'recording-after-decline' : 'recording-started', t + 25 * S),
        ev(id, 'recording-stopped', t + 40 * S, { durationMs: 15 * S, afterDecline: declined || never }),
        ev(id, 'prompt-shown', t + 41 * S),
        ev(id, 'recording-started', t + 50 * S),
        ev(id, 'left', t + HOUR, { reason: 'left' }),
      );
    }
    // Interleave the calls' events (as an index on time or id would), deterministically.
    let s = 7;
    for (let i = events.length - 1; i > 0; i--) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      const j = s % (i + 1);
      [events[i], events[j]] = [events[j]!, events[i]!];
    }
    expect(calls).toHaveLength(50_000);
    expect(events).toHaveLength(500_000);

    const r = buildAuditReport(emptyInput({ calls, events }));
    const never = Math.ceil(N / 7); // i % 7 === 0: 7143
    const declined = Array.from({ length: N }, (_, i) => i % 7 !== 0 && i % 3 === 0).filter(Boolean).length;
    expect(r.consent.callsDetected).toBe(N);
    expect(r.consent.callsAdmitted).toBe(N);
    expect(r.consent.promptsShown).toBe(2 * N);
    expect(r.consent.decisionsMade).toBe(N);
    expect(r.consent.decisionsBeforeRecording).toBe(N - declined);
    expect(r.consent.outcomes).toEqual({ agreed: N - never - declined, declined, notRecorded: never, withdrawn: 0, pending: 0 });
    // Asked calls (not never-record) alternate 10 s and 20 s: both halves are large, so the
    // median is 10 s, 20 s or their mean; count them to know which.
    const asked = Array.from({ length: N }, (_, i) => i).filter((i) => i % 7 !== 0);
    const tens = asked.filter((i) => i % 2 === 0).length;
    const twenties = asked.length - tens;
    expect(r.consent.medianAdmissionToDecisionMs).toBe(tens > twenties ? 10_000 : tens < twenties ? 20_000 : 15_000);
    expect(r.recordingRules.recordingBeforeConsent).toBe(declined);
    expect(r.recordingRules.recordingAfterDecline).toBe(declined + never);
    expect(r.recordingRules.afterDeclineStops).toEqual({ count: declined + never, medianMsToStop: 15_000, maxMsToStop: 15_000, atCallEnd: 0 });
    expect(r.recordingRules.neverRecordCategories).toEqual({ calls: never, respected: 0, violated: never });
    expect(r.recordingRules.lateJoiners.nudges).toBe(N - declined);
    expect(r.recordingRules.callsByCategory.legal).toBe(never);
    expect(r.recordingRules.callsByCategory.customer).toBe(N - never);
    expect(r.coaching.checklistsDue).toBe(N);
    expect(r.coaching.completionRate).toBe(0);
    assertPlainJson(r.consent);

    // A sample of 500 calls with their own events gives the same per-call answers as the whole.
    const sampleIds = new Set(calls.filter((_, i) => i % 100 === 0).map((c) => c.id));
    const sample = buildAuditReport(emptyInput({ calls: calls.filter((c) => sampleIds.has(c.id)), events: events.filter((e) => sampleIds.has(e.callId)) }));
    const sampleNever = [...sampleIds].filter((id) => Number(id.slice(5)) % 7 === 0).length;
    expect(sample.consent.callsAdmitted).toBe(500);
    expect(sample.recordingRules.neverRecordCategories).toEqual({ calls: sampleNever, respected: 0, violated: sampleNever });
  }, 60_000);
});
