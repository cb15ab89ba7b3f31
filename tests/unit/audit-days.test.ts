// @vitest-environment node
// (The background runs in a service worker, without a DOM.)
/**
 * The audit report's per-day cache (lib/background/audit-cache): the dirty-mark middleware and the
 * background's refresh and report, on a real CandorDB over fake-indexeddb.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accumulateCallSections, buildAuditReport, withAuditLedger, type AuditInput, type AuditPeriod } from '../../lib/audit';
import { DAY_MS } from '../../lib/audit/stats';
import { auditDirtyMiddleware, auditReportBody, refreshAuditDays } from '../../lib/background/audit-cache';
import { retentionTargets, runRetention } from '../../lib/background/retention';
import type { Services } from '../../lib/background/services';
import { CandorDB } from '../../lib/db';
import { resolvePolicy } from '../../lib/policy/resolve';
import { auditDataArb, BASE_DAY, DAYS as DATA_DAYS, dayRecords, fullInput, periodArb, type AuditData } from './support/audit-data';
import type { CallEvent, CallRecord, ChecklistRecord, RetentionKind } from '../../lib/model';

const D = BASE_DAY;
const at = (day: number, h: number, m = 0) => day * DAY_MS + (h * 60 + m) * 60_000;
const NOW = at(D + 30, 12);

let db: CandorDB;
let s: Services;
let onNow: (() => void) | undefined;

function open() {
  db = new CandorDB(`audit-days-${crypto.randomUUID()}`).use(auditDirtyMiddleware());
  s = { db, now: () => (onNow?.(), NOW), policy: async () => resolvePolicy(undefined, undefined), uiLanguage: () => 'en' };
}
beforeEach(() => {
  onNow = undefined;
  open();
});
afterEach(async () => {
  await db.delete();
});

function call(id: string, detectedAt: number, extra: Partial<CallRecord> = {}): CallRecord {
  return { id, platform: 'meet', meetingHash: 'h', status: 'ended', tabIds: [], detectedAt, detectedBy: ['x'], updatedAt: detectedAt, ...extra };
}
const ev = (id: string, callId: string, type: CallEvent['type'], t: number, data: Record<string, unknown> = {}): CallEvent => ({ id, callId, type, at: t, data });
const checklist = (callId: string, t: number): ChecklistRecord => ({
  callId, status: 'done', pendingSince: t, completedAt: t + 60_000, updatedAt: t,
  fields: { qualification: 'q', nextSteps: [], timeline: '', risks: '', competition: '', humanNuance: 'x', powerDynamics: '', hesitation: '', emotion: '', urgency: '', subtleObjections: '' },
});

const markKeys = async () => (await db.auditDirty.toArray()).map((m) => m.key).sort();
const cachedDays = async () => (await db.auditDays.toCollection().primaryKeys()).sort((a, b) => a - b);
const dayPeriod = (day: number): AuditPeriod => ({ from: day * DAY_MS, to: (day + 1) * DAY_MS - 1 });

/** What buildAuditReport gives over every stored record (the retention ages read as the report page once did). */
async function expectedReport(period: AuditPeriod) {
  const [calls, events, checklists] = await Promise.all([db.calls.toArray(), db.events.toArray(), db.checklists.toArray()]);
  const oldest: Partial<Record<RetentionKind, number | null>> = {};
  for (const target of retentionTargets) {
    const first = await target.table(db).orderBy(target.index).first();
    oldest[target.kind] = first ? (first[target.index] as number) : null;
  }
  const [aiDrafts, concerns, accessLog, purgeReceipts] = await Promise.all([db.aiDrafts.toArray(), db.concerns.toArray(), db.accessLog.toArray(), db.purgeReceipts.toArray()]);
  const input: AuditInput = { ...fullInput({ calls, events, checklists }, period, NOW), aiDrafts, concerns, accessLog, purgeReceipts, oldest };
  return buildAuditReport(input);
}

async function reportFromCache(period: AuditPeriod) {
  return withAuditLedger(await auditReportBody(s, period), { check: 'every-entry', intact: true, count: 0, head: { seq: 0, hash: '0'.repeat(64) } });
}

// ---------------------------------------------------------------------------------------------

describe('dirty marks (middleware)', () => {
  it('a write through the Table API marks the call\'s day and the call', async () => {
    await db.calls.add(call('a', at(D, 10), { admittedAt: at(D, 10, 1) }));
    expect(await markKeys()).toEqual(['c:a', `d:${D}`]);
    await db.auditDirty.clear();
    await db.events.bulkAdd([ev('e1', 'a', 'decision', at(D + 1, 9)), ev('e2', 'b', 'lobby', at(D + 2, 9))]);
    expect(await markKeys()).toEqual(['c:a', 'c:b', `d:${D + 1}`, `d:${D + 2}`]);
    await db.auditDirty.clear();
    await db.checklists.put(checklist('a', at(D + 3, 9)));
    expect(await markKeys()).toEqual(['c:a']);
  });

  it('puts the mark in the writing transaction, before it commits', async () => {
    await db.transaction('rw', db.events, db.auditDirty, async () => {
      await db.events.add(ev('e1', 'a', 'lobby', at(D, 8)));
      expect(await db.auditDirty.get(`d:${D}`)).toBeDefined();
    });
  });

  it('an aborted transaction leaves neither the write nor a mark', async () => {
    await expect(db.transaction('rw', db.calls, db.events, async () => {
      await db.calls.add(call('a', at(D, 10)));
      await db.events.add(ev('e1', 'a', 'lobby', at(D, 10)));
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(await db.calls.count()).toBe(0);
    expect(await markKeys()).toEqual([]);
  });

  it('an update marks the day the call leaves as well as the day it moves to', async () => {
    await db.calls.add(call('a', at(D, 23, 59)));
    await db.auditDirty.clear();
    await db.calls.update('a', { admittedAt: at(D + 1, 0, 1) });
    expect(await markKeys()).toEqual(['c:a', `d:${D}`, `d:${D + 1}`]);
  });

  it('a delete marks the deleted row\'s day at once and its call for the refresh (no other table read); clear() marks everything', async () => {
    await db.events.bulkAdd([ev('e1', 'a', 'lobby', at(D, 8)), ev('e2', 'b', 'lobby', at(D + 2, 8)), ev('e3', 'c', 'lobby', at(D + 3, 8)), ev('e4', 'a', 'left', at(D + 4, 8))]);
    await db.calls.add(call('a', at(D + 1, 8)));
    await db.auditDirty.clear();
    await db.events.where('at').below(at(D + 1, 0)).delete(); // as retention purges: keys, then a delete
    expect(await markKeys()).toEqual(['c:a', `d:${D}`]);
    await db.auditDirty.clear();
    await db.events.bulkDelete(['e2']);
    await db.calls.delete('a');
    expect(await markKeys()).toEqual(['c:a', 'c:b', `d:${D + 1}`, `d:${D + 2}`]);
    await db.auditDirty.clear();
    await db.checklists.add(checklist('c', at(D + 3, 9)));
    await db.auditDirty.clear();
    await db.checklists.delete('c'); // a checklist counts on its call's days
    expect(await markKeys()).toEqual(['c:c']);
    await db.auditDirty.clear();
    await db.events.clear();
    expect(await markKeys()).toEqual(['all']);
  });

  it('a purge takes a call\'s early event, then the call, before any refresh: every day they fed is rebuilt', async () => {
    // Call a: detected late on D with a recording already running after a decline, admitted on
    // D+1, the recording stopped on D+4 (timed from e1); call b on D+2 has nothing to do with it.
    await db.calls.bulkAdd([call('a', at(D, 23, 59), { admittedAt: at(D + 1, 0, 2), outcome: 'declined' }), call('b', at(D + 2, 9), { admittedAt: at(D + 2, 9) })]);
    await db.events.bulkAdd([
      ev('e1', 'a', 'recording-after-decline', at(D, 23, 59)),
      ev('e2', 'a', 'admitted', at(D + 1, 0, 2)),
      ev('e3', 'a', 'decision', at(D + 1, 0, 3), { outcome: 'declined', rule: 'ask-consent' }),
      ev('e4', 'a', 'recording-stopped', at(D + 4, 8), { afterDecline: true }),
      ev('e5', 'b', 'admitted', at(D + 2, 9)),
    ]);
    const all = { from: dayPeriod(D).from, to: dayPeriod(D + 4).to };
    expect(await reportFromCache(all)).toEqual(await expectedReport(all));
    expect(await markKeys()).toEqual([]);
    const before = (await expectedReport(dayPeriod(D + 4))).recordingRules.afterDeclineStops;
    // In the order of runRetention: events (consent), then calls; the refresh comes after both.
    await db.events.where('at').below(at(D + 1, 0, 3)).delete();
    await db.calls.where('detectedAt').below(at(D + 1, 0)).delete();
    const stops = async () => (await reportFromCache(dayPeriod(D + 4))).recordingRules.afterDeclineStops;
    expect(await stops()).not.toEqual(before); // D+4's stop lost the start it was timed from
    for (const period of [all, dayPeriod(D), dayPeriod(D + 1), dayPeriod(D + 4)]) expect(await reportFromCache(period)).toEqual(await expectedReport(period));
    expect(await markKeys()).toEqual([]);
  });

  it('a bulk write (a backup import) marks everything instead of reading the rows it replaces', async () => {
    await db.events.bulkPut(Array.from({ length: 1_001 }, (_, i) => ev(`e${i}`, `c${i}`, 'lobby', at(D, 8))));
    expect(await markKeys()).toEqual(['all']);
  });

  it('gives every mark a new, larger version; other tables and fields the audit does not read are not marked', async () => {
    await db.events.add(ev('e1', 'a', 'lobby', at(D, 8)));
    const first = (await db.auditDirty.get(`d:${D}`))!.v;
    await db.events.update('e1', { data: { x: 1 } });
    expect((await db.auditDirty.get(`d:${D}`))!.v).toBeGreaterThan(first);
    await db.calls.add(call('a', at(D, 9)));
    await db.checklists.add({ ...checklist('a', at(D, 10)), status: 'pending' });
    await db.auditDirty.clear();
    await db.events.update('e1', { chain: 0 });
    await db.calls.update('a', { updatedAt: at(D, 11), tabIds: [3] });
    await db.checklists.update('a', { remindedAt: at(D, 11) });
    expect(await markKeys()).toEqual([]);
    await db.checklists.update('a', { status: 'done', completedAt: at(D, 12) });
    expect(await markKeys()).toEqual(['c:a']);
    await db.auditDirty.clear();
    await db.notes.put({ callId: 'a', text: 't', author: 'rep', createdAt: 1, updatedAt: 1 });
    expect(await markKeys()).toEqual([]);
  });
});

describe('refresh scheduling', () => {
  it('tells the background after each marked write, not after other writes', async () => {
    await db.delete();
    let marked = 0;
    db = new CandorDB(`audit-days-${crypto.randomUUID()}`).use(auditDirtyMiddleware(() => marked++));
    await db.events.add(ev('e1', 'a', 'lobby', at(D, 8)));
    await db.notes.put({ callId: 'a', text: 't', author: 'rep', createdAt: 1, updatedAt: 1 });
    expect(marked).toBe(1);
  });
});

describe('refreshAuditDays', () => {
  it('"all" builds every day with data, each equal to the day\'s own accumulation', async () => {
    await fc.assert(
      fc.asyncProperty(auditDataArb, async (data) => {
        await db.delete();
        open();
        await db.transaction('rw', db.calls, db.events, db.checklists, async () => {
          await db.calls.bulkAdd(data.calls);
          await db.events.bulkAdd(data.events);
          await db.checklists.bulkAdd(data.checklists);
        });
        await db.auditDirty.clear();
        await db.auditDirty.put({ key: 'all', v: 1 });
        await refreshAuditDays(s);
        const days = new Set([...data.calls.map((c) => c.admittedAt ?? c.detectedAt), ...data.events.map((e) => e.at)].map((t) => Math.floor(t / DAY_MS)));
        expect(await cachedDays()).toEqual([...days].sort((a, b) => a - b));
        for (const row of await db.auditDays.toArray()) {
          const r = dayRecords(data, row.day);
          expect(row.partial).toEqual(accumulateCallSections(dayPeriod(row.day), r.calls, r.events, r.checklists));
        }
        expect(await markKeys()).toEqual([]);
      }),
      { numRuns: 15 },
    );
  }, 60_000);

  it('a day whose data was deleted loses its cache row', async () => {
    await db.calls.add(call('a', at(D, 10), { admittedAt: at(D, 10) }));
    await db.events.bulkAdd([ev('e1', 'a', 'admitted', at(D, 10)), ev('e2', 'a', 'decision', at(D + 1, 0, 1), { outcome: 'agreed' })]);
    await refreshAuditDays(s);
    expect(await cachedDays()).toEqual([D, D + 1]);
    await db.events.where('callId').equals('a').delete();
    await db.calls.delete('a');
    await refreshAuditDays(s);
    expect(await cachedDays()).toEqual([]);
    expect(await markKeys()).toEqual([]);
  });

  it('a mark re-put while a day is rebuilt survives, and the next refresh picks the write up', async () => {
    await db.calls.add(call('a', at(D, 10), { admittedAt: at(D, 10) }));
    await db.events.add(ev('e1', 'a', 'admitted', at(D, 10)));
    // The write lands between the refresh's read of the day and its write of the row.
    onNow = () => {
      onNow = undefined;
      void db.events.add(ev('e2', 'a', 'prompt-shown', at(D, 11)));
    };
    await refreshAuditDays(s);
    await db.events.get('e2'); // the racing write has committed
    expect(await markKeys()).toEqual(['c:a', `d:${D}`]);
    expect(await reportFromCache(dayPeriod(D))).toEqual(await expectedReport(dayPeriod(D)));
    expect((await db.auditDays.get(D))?.partial).toMatchObject({ consent: { promptsShown: 1 } });
    expect(await markKeys()).toEqual([]);
  });

  it('more marks than one transaction reads or consumes (1,250 calls): every one is consumed and every day rebuilt', async () => {
    const calls = Array.from({ length: 1_250 }, (_, i) => call(`k${String(i).padStart(4, '0')}`, at(D + (i % 5), 10), { admittedAt: at(D + (i % 5), 10) }));
    // One write per call (a bulk write of this size would mark 'all' instead).
    for (let i = 0; i < calls.length; i += 250) await db.calls.bulkAdd(calls.slice(i, i + 250));
    expect((await markKeys()).filter((k) => k.startsWith('c:'))).toHaveLength(1_250);
    await refreshAuditDays(s);
    expect(await markKeys()).toEqual([]);
    expect(await cachedDays()).toEqual([D, D + 1, D + 2, D + 3, D + 4]);
    expect(await reportFromCache({ from: dayPeriod(D).from, to: dayPeriod(D + 4).to })).toEqual(await expectedReport({ from: dayPeriod(D).from, to: dayPeriod(D + 4).to }));
  });

  it('a busy day is read a chunk of calls at a time and still equals the day accumulated at once', async () => {
    // 150 calls today (several read chunks) with decisions at varied delays, recording stops and
    // checklists; 30 calls of yesterday decided today (their events are the day's strays).
    const calls: CallRecord[] = [];
    const events: CallEvent[] = [];
    const checklists: ChecklistRecord[] = [];
    for (let i = 0; i < 180; i++) {
      const day = i < 150 ? D : D - 1;
      const admitted = at(day, 8 + (i % 12), i % 60);
      const id = `b${String(i).padStart(3, '0')}`;
      calls.push(call(id, admitted - 60_000, { admittedAt: admitted, outcome: i % 3 ? 'agreed' : 'declined', category: 'customer' }));
      events.push(ev(`${id}-a`, id, 'admitted', admitted));
      const decidedAt = i < 150 ? admitted + (i * 7_919) % 600_000 : at(D, 0, i % 50);
      events.push(ev(`${id}-d`, id, 'decision', decidedAt, { outcome: i % 3 ? 'agreed' : 'declined' }));
      if (i % 3 === 0 && i % 2 === 0) events.push(ev(`${id}-s`, id, 'recording-stopped', decidedAt + 5_000, { durationMs: (i * 104_729) % 90_000, sources: ['x'], afterDecline: true }));
      if (i < 150 && i % 4 === 0) checklists.push({ ...checklist(id, admitted + 3_600_000), completedAt: admitted + 3_600_000 + (i * 3_571) % 7_200_000 });
    }
    await db.transaction('rw', db.calls, db.events, db.checklists, async () => {
      await db.calls.bulkAdd(calls);
      await db.events.bulkAdd(events);
      await db.checklists.bulkAdd(checklists);
    });
    await db.auditDirty.clear();
    await db.auditDirty.put({ key: 'all', v: 1 });
    await refreshAuditDays(s);
    const row = await db.auditDays.get(D);
    const whole = accumulateCallSections(dayPeriod(D), calls.filter((c) => c.admittedAt! >= dayPeriod(D).from), events, checklists);
    expect(whole.consent.decisionsMade).toBe(180);
    expect(whole.consent.admissionToDecisionMs.length).toBeGreaterThan(100);
    expect(row?.partial).toEqual(whole);
  });

  it('a stored row of another format is not trusted', async () => {
    await db.calls.add(call('a', at(D, 10), { admittedAt: at(D, 10) }));
    await refreshAuditDays(s);
    await db.auditDays.put({ day: D, partial: { format: 0 }, builtAt: 0 });
    expect(await reportFromCache(dayPeriod(D))).toEqual(await expectedReport(dayPeriod(D)));
  });
});

describe('auditReportBody', () => {
  /** Applies a second batch of writes: calls rewritten (days move), new events and checklists, some events deleted. */
  async function writeMore(first: AuditData, second: AuditData) {
    const deleted = first.events.filter((_, i) => i % 3 === 0).map((e) => e.id);
    await db.calls.bulkPut(second.calls);
    await db.events.bulkAdd(second.events.map((e) => ({ ...e, id: `x${e.id}` })));
    await db.checklists.bulkPut(second.checklists);
    await db.events.bulkDelete(deleted);
  }

  it('equals buildAuditReport over the same records, before and after more writes', async () => {
    await fc.assert(
      fc.asyncProperty(auditDataArb, auditDataArb, periodArb, async (first, second, period) => {
        await db.delete();
        open();
        await db.calls.bulkAdd(first.calls);
        await db.events.bulkAdd(first.events);
        await db.checklists.bulkAdd(first.checklists);
        await db.concerns.add({ id: 'k1', category: 'privacy-concern', text: 't', anonymous: true, status: 'open', createdAt: period.from, updatedAt: period.from });
        expect(await reportFromCache(period)).toEqual(await expectedReport(period));
        await writeMore(first, second);
        const body = await reportFromCache(period);
        const expected = await expectedReport(period);
        expect(body).toEqual(expected);
        expect(JSON.stringify(body)).toBe(JSON.stringify(expected));
        // Every call moves a day later: only the calls' marks tell the days they left.
        await db.calls.toCollection().modify((c) => {
          c.detectedAt += DAY_MS;
          if (c.admittedAt !== undefined) c.admittedAt += DAY_MS;
        });
        expect(await reportFromCache(period)).toEqual(await expectedReport(period));
        // As a retention purge: older calls and checklists go, their events stay (consent is kept
        // longer); the deleted rows' days are marked at once, their calls' days at the refresh.
        const cut = (period.from + period.to) / 2;
        await db.calls.where('detectedAt').below(cut).delete();
        await db.checklists.where('pendingSince').below(cut).delete();
        expect(await reportFromCache(period)).toEqual(await expectedReport(period));
        // Then the events of a shorter consent retention, and the calls they belonged to, with no
        // refresh in between: the calls' days are known only from the rows deleted.
        const earlier = period.from + (period.to - period.from) / 3;
        await db.events.where('at').below(cut).delete();
        await db.calls.where('detectedAt').below(earlier).delete();
        expect(await reportFromCache(period)).toEqual(await expectedReport(period));
      }),
      { numRuns: 25 },
    );
  }, 60_000);

  it('equals buildAuditReport after runRetention (each chunk\'s rows read once and handed to the middleware)', async () => {
    const dayArb = fc.integer({ min: 0, max: DATA_DAYS + 1 }); // how many of the data's days each kind keeps past
    await fc.assert(
      fc.asyncProperty(auditDataArb, periodArb, dayArb, dayArb, dayArb, async (data, period, consent, calls, checklists) => {
        await db.delete();
        open();
        await db.calls.bulkAdd(data.calls);
        await db.events.bulkAdd(data.events);
        await db.checklists.bulkAdd(data.checklists);
        const everything = { from: dayPeriod(D).from, to: dayPeriod(D + DATA_DAYS).to };
        expect(await reportFromCache(everything)).toEqual(await expectedReport(everything));
        // Retention that cuts through the data (NOW is 30 days after its first day).
        const resolved = await resolvePolicy(undefined, undefined);
        const keep = (days: number) => 30 - days;
        const retention = { ...resolved.policy.retentionDays, consent: keep(consent), calls: keep(calls), checklists: keep(checklists) };
        await runRetention({ ...s, policy: async () => ({ ...resolved, policy: { ...resolved.policy, retentionDays: retention } }) });
        expect(await reportFromCache(period)).toEqual(await expectedReport(period));
        expect(await reportFromCache(everything)).toEqual(await expectedReport(everything));
      }),
      { numRuns: 20 },
    );
  }, 60_000);

  it('a call admitted at 23:59 and decided at 00:01: the next day\'s decision counts with its call\'s facts', async () => {
    const admittedAt = at(D, 23, 59);
    await db.calls.add(call('a', admittedAt - 30_000, { admittedAt, outcome: 'agreed' }));
    await db.events.bulkAdd([
      ev('e1', 'a', 'admitted', admittedAt),
      ev('e2', 'a', 'recording-before-consent', admittedAt + 30_000),
    ]);
    await refreshAuditDays(s);
    // The decision arrives after the first day was cached: its call's day is rebuilt too.
    await db.events.add(ev('e3', 'a', 'decision', at(D + 1, 0, 1), { outcome: 'agreed', rule: 'ask-consent' }));
    const both = { from: dayPeriod(D).from, to: dayPeriod(D + 1).to };
    const r = await reportFromCache(both);
    expect(r.consent.medianAdmissionToDecisionMs).toBe(120_000);
    expect(r.consent.decisionsMade).toBe(1);
    expect(r.consent.decisionsBeforeRecording).toBe(0);
    for (const period of [dayPeriod(D), dayPeriod(D + 1), both]) expect(await reportFromCache(period)).toEqual(await expectedReport(period));
  });
});
