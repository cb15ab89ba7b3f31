/**
 * The audit report's mergeable partials (lib/audit): per-UTC-day partials, accumulated with the
 * background's loading rule and merged, give exactly (to the JSON text) the report buildAuditReport
 * gives over every record, for any period, aligned to midnight or not.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accumulateCallSections,
  buildAuditReport,
  CALL_SECTIONS_FORMAT,
  emptyCallSections,
  isCallSectionsPartial,
  mergeCallSections,
  type CallSectionsPartial,
} from '../../lib/audit';
import { DAY_MS } from '../../lib/audit/stats';

import { auditDataArb, BASE_DAY, dayPartials, fullInput, periodArb, reportFromDays, type AuditData } from './support/audit-data';
import type { CallEvent, CallRecord } from '../../lib/model';

const NOW = (BASE_DAY + 30) * DAY_MS;

describe('per-day partials merge into the whole report', () => {
  it('equals buildAuditReport over all records, for random data and periods', () => {
    fc.assert(
      fc.property(auditDataArb, periodArb, (data, period) => {
        const expected = buildAuditReport(fullInput(data, period, NOW));
        const merged = reportFromDays(data, period, NOW);
        expect(merged).toEqual(expected);
        expect(JSON.stringify(merged)).toBe(JSON.stringify(expected)); // same keys, same order: same export
      }),
      { numRuns: 500 },
    );
  });

  it('does not depend on the order of the parts, and survives a storage round trip', () => {
    fc.assert(
      fc.property(auditDataArb, periodArb, fc.integer(), (data, period, seed) => {
        const parts = dayPartials(data, period).map((p) => JSON.parse(JSON.stringify(p)) as unknown);
        expect(parts.every(isCallSectionsPartial)).toBe(true);
        const shuffled = [...(parts as CallSectionsPartial[])].sort(() => ((seed = (Math.imul(seed, 1103515245) + 12345) | 0) & 1 ? 1 : -1));
        expect(reportFromDays(data, period, NOW, shuffled)).toEqual(buildAuditReport(fullInput(data, period, NOW)));
      }),
      { numRuns: 100 },
    );
  });

  it('a day\'s partial does not depend on the order its rows are read in (the cache reads by index)', () => {
    fc.assert(
      fc.property(auditDataArb, periodArb, (data, period) => {
        const inOrder = accumulateCallSections(period, data.calls, data.events, data.checklists);
        const reversed = accumulateCallSections(period, [...data.calls].reverse(), [...data.events].reverse(), [...data.checklists].reverse());
        expect(reversed).toEqual(inOrder);
      }),
      { numRuns: 300 },
    );
  });

  it('merging nothing is the empty partial; merging never changes its inputs', () => {
    expect(mergeCallSections([])).toEqual(emptyCallSections());
    const part = accumulateCallSections({ from: 0, to: 10 }, [], [], []);
    const copy = structuredClone(part);
    mergeCallSections([part, part]);
    expect(part).toEqual(copy);
  });

  it('rejects a stored value of another format', () => {
    expect(isCallSectionsPartial(emptyCallSections())).toBe(true);
    expect(isCallSectionsPartial({ ...emptyCallSections(), format: CALL_SECTIONS_FORMAT + 1 })).toBe(false);
    expect(isCallSectionsPartial(null)).toBe(false);
    expect(isCallSectionsPartial('x')).toBe(false);
  });
});

describe('a call admitted at 23:59 UTC, decided at 00:01 the next day', () => {
  const D = BASE_DAY;
  const admittedAt = (D + 1) * DAY_MS - 60_000; // 23:59
  const call: CallRecord = {
    id: 'late', platform: 'zoom', meetingHash: 'h', status: 'ended', tabIds: [], detectedAt: admittedAt - 30_000, admittedAt,
    outcome: 'agreed', detectedBy: ['x'], updatedAt: admittedAt,
  };
  const ev = (id: string, type: CallEvent['type'], at: number, data: Record<string, unknown> = {}): CallEvent => ({ id, callId: 'late', type, at, data });
  const data: AuditData = {
    calls: [call],
    events: [
      ev('a', 'admitted', admittedAt),
      ev('r', 'recording-before-consent', admittedAt + 30_000), // 23:59:30, before the decision
      ev('d', 'decision', admittedAt + 120_000, { outcome: 'agreed', rule: 'ask-consent', category: 'customer' }), // 00:01
    ],
    checklists: [],
  };
  const dayOnly = (day: number) => ({ from: day * DAY_MS, to: (day + 1) * DAY_MS - 1 });

  it('counts the call on its day and the decision on the next, with the facts of both', () => {
    const first = reportFromDays(data, dayOnly(D), NOW);
    expect(first.consent.callsAdmitted).toBe(1);
    expect(first.consent.decisionsMade).toBe(0);
    expect(first.consent.medianAdmissionToDecisionMs).toBe(120_000); // the decision is read from the next day
    expect(first.recordingRules.callsByCategory.customer).toBe(1);

    const second = reportFromDays(data, dayOnly(D + 1), NOW);
    expect(second.consent.callsAdmitted).toBe(0);
    expect(second.consent.decisionsMade).toBe(1);
    expect(second.consent.decisionsBeforeRecording).toBe(0); // recording began the day before

    for (const period of [dayOnly(D), dayOnly(D + 1), { from: D * DAY_MS, to: (D + 2) * DAY_MS - 1 }, { from: admittedAt, to: admittedAt + 60_000 }]) {
      expect(reportFromDays(data, period, NOW)).toEqual(buildAuditReport(fullInput(data, period, NOW)));
    }
  });
});
