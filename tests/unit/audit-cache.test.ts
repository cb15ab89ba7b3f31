// @vitest-environment node
// (The background runs in a service worker, without a DOM.)
/**
 * The audit cache's contract with lib/audit: the report reads only the fields lib/audit declares
 * (AUDIT_SOURCE_FIELDS), which are the fields the cache watches; and a delete of rows read in its
 * transaction (the retention purge) marks their days from those rows, reading none again.
 */
import fc from 'fast-check';
import type { DBCore, Middleware } from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accumulateCallSections, AUDIT_SOURCE_FIELDS, buildAuditReport, DAY_MS, type AuditSourceTable } from '../../lib/audit';
import { auditDirtyMiddleware, deleteRowsRead } from '../../lib/background/audit-cache';
import { addMarks, SOURCE_TABLES } from '../../lib/background/audit-cache/marks';
import { runRetention } from '../../lib/background/retention';
import type { Services } from '../../lib/background/services';
import { CandorDB } from '../../lib/db';
import { resolvePolicy } from '../../lib/policy/resolve';
import { auditDataArb, BASE_DAY, fullInput, periodArb, type AuditData } from './support/audit-data';
import type { CallEvent, CallRecord, ChecklistRecord } from '../../lib/model';

const NOW = (BASE_DAY + 30) * DAY_MS;
const TABLES = Object.keys(AUDIT_SOURCE_FIELDS) as AuditSourceTable[];

/** Each record behind a proxy that notes every field read of it, by table. */
function watchReads(data: AuditData) {
  const read = Object.fromEntries(TABLES.map((t) => [t, new Set<string>()])) as Record<AuditSourceTable, Set<string>>;
  const wrap = <T extends object>(table: AuditSourceTable, rows: T[]): T[] =>
    rows.map((row) => new Proxy(row, {
      get(target, key, receiver) {
        if (typeof key === 'string') read[table].add(key);
        return Reflect.get(target, key, receiver) as unknown;
      },
      has(target, key) {
        if (typeof key === 'string') read[table].add(key);
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        read[table].add('*every field*');
        return Reflect.ownKeys(target);
      },
    }));
  const watched: AuditData = { calls: wrap('calls', data.calls), events: wrap('events', data.events), checklists: wrap('checklists', data.checklists) };
  return { watched, read };
}

function expectOnlyWatchedFields(read: Record<AuditSourceTable, Set<string>>) {
  for (const table of TABLES) {
    const unwatched = [...read[table]].filter((field) => !(AUDIT_SOURCE_FIELDS[table] as readonly string[]).includes(field));
    expect(unwatched, `the audit reads ${table} fields the cache does not watch (add them to AUDIT_SOURCE_FIELDS)`).toEqual([]);
  }
}

describe('the fields the cache watches (AUDIT_SOURCE_FIELDS)', () => {
  it('are the source tables the middleware marks', () => {
    expect([...SOURCE_TABLES].sort()).toEqual(['calls', 'checklists', 'events']);
  });

  it('cover every field the report reads of calls, events and checklists', () => {
    fc.assert(
      fc.property(auditDataArb, periodArb, (data, period) => {
        const { watched, read } = watchReads(data);
        buildAuditReport(fullInput(watched, period, NOW));
        accumulateCallSections(period, watched.calls, watched.events, watched.checklists);
        expectOnlyWatchedFields(read);
      }),
      { numRuns: 300 },
    );
  });

  it('cover every field the marks are taken from (the day and call a row belongs to)', () => {
    fc.assert(
      fc.property(auditDataArb, (data) => {
        const { watched, read } = watchReads(data);
        const marks = new Set<string>();
        for (const table of TABLES) for (const row of watched[table]) addMarks(table, row, marks);
        expectOnlyWatchedFields(read);
      }),
      { numRuns: 50 },
    );
  });

  it('a field outside the list changes no report', () => {
    fc.assert(
      fc.property(auditDataArb, periodArb, fc.integer({ min: 0, max: 1e12 }), (data, period, t) => {
        const changed: AuditData = {
          calls: data.calls.map((c): CallRecord => ({ ...c, updatedAt: t, tabIds: [1, 2], endedAt: t, decidedAt: t, category: 'legal', rule: 'never-record' })),
          events: data.events.map((e): CallEvent => ({ ...e, chain: 0 })),
          checklists: data.checklists.map((cl): ChecklistRecord => ({ ...cl, updatedAt: t, remindedAt: t })),
        };
        expect(buildAuditReport(fullInput(changed, period, NOW))).toEqual(buildAuditReport(fullInput(data, period, NOW)));
      }),
      { numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('deleteRowsRead (the retention purge)', () => {
  const D = BASE_DAY;
  const at = (day: number, h: number) => day * DAY_MS + h * 3_600_000;
  let db: CandorDB;
  /** Rows of a source table read by key below the audit middleware (it reads a replaced or deleted row that way). */
  let readsByKey: number;

  const countReadsByKey: Middleware<DBCore> = {
    stack: 'dbcore',
    name: 'CountReadsByKey',
    level: 5, // below the audit middleware (10): sees what it reads
    create: (down) => ({
      ...down,
      table(name) {
        const table = down.table(name);
        if (!SOURCE_TABLES.includes(name)) return table;
        return {
          ...table,
          getMany(req) {
            readsByKey += req.keys.length;
            return table.getMany(req);
          },
        };
      },
    }),
  };

  beforeEach(() => {
    readsByKey = 0;
    db = new CandorDB(`audit-cache-${crypto.randomUUID()}`).use(auditDirtyMiddleware()).use(countReadsByKey);
  });
  afterEach(async () => {
    await db.delete();
  });

  const call = (id: string, t: number): CallRecord => ({ id, platform: 'meet', meetingHash: 'h', status: 'ended', tabIds: [], detectedAt: t, detectedBy: ['x'], updatedAt: t });
  const ev = (id: string, callId: string, t: number): CallEvent => ({ id, callId, type: 'lobby', at: t, data: {} });
  const markKeys = async () => (await db.auditDirty.toArray()).map((m) => m.key).sort();

  async function seed() {
    await db.calls.bulkAdd([call('a', at(D, 10)), call('b', at(D + 1, 10)), call('keep', at(D + 29, 10))]);
    await db.events.bulkAdd([ev('e1', 'a', at(D, 11)), ev('e2', 'b', at(D + 2, 9)), ev('e3', 'x', at(D + 3, 9)), ev('e4', 'keep', at(D + 29, 11))]);
    await db.auditDirty.clear();
    readsByKey = 0;
  }

  it('marks the days and calls of the rows it deletes, as a delete by key does, without reading them again', async () => {
    await seed();
    await db.transaction('rw', db.events, async (tx) => {
      const rows = await db.events.where('at').below(at(D + 10, 0)).toArray();
      await deleteRowsRead(tx, db.events, rows);
    });
    expect(readsByKey).toBe(0);
    expect(await db.events.count()).toBe(1);
    const viaRowsRead = await markKeys();
    expect(viaRowsRead).toEqual(['c:a', 'c:b', 'c:x', `d:${D}`, `d:${D + 2}`, `d:${D + 3}`]);

    // The same delete by key reads each row to find its marks: the same marks.
    await db.delete();
    db = new CandorDB(`audit-cache-${crypto.randomUUID()}`).use(auditDirtyMiddleware()).use(countReadsByKey);
    await seed();
    await db.events.bulkDelete(['e1', 'e2', 'e3']);
    expect(readsByKey).toBe(3);
    expect(await markKeys()).toEqual(viaRowsRead);
  });

  it('runRetention deletes every expired row of the source tables without reading one again by key', async () => {
    await seed();
    await db.checklists.add({
      callId: 'a', status: 'pending', pendingSince: at(D, 12), updatedAt: at(D, 12),
      fields: { qualification: '', nextSteps: [], timeline: '', risks: '', competition: '', humanNuance: '', powerDynamics: '', hesitation: '', emotion: '', urgency: '', subtleObjections: '' },
    });
    await db.auditDirty.clear();
    readsByKey = 0;
    const resolved = await resolvePolicy(undefined, undefined);
    const retentionDays = { ...resolved.policy.retentionDays, consent: 20, calls: 20, checklists: 20 };
    const s: Services = { db, now: () => at(D + 30, 0), policy: async () => ({ ...resolved, policy: { ...resolved.policy, retentionDays } }), uiLanguage: () => 'en' };
    await runRetention(s);
    expect(readsByKey).toBe(0);
    expect((await db.calls.toCollection().primaryKeys()).sort()).toEqual(['keep']);
    expect(await db.events.toCollection().primaryKeys()).toEqual(['e4']);
    expect(await db.checklists.count()).toBe(0);
    expect(await markKeys()).toEqual(['c:a', 'c:b', 'c:x', `d:${D}`, `d:${D + 1}`, `d:${D + 2}`, `d:${D + 3}`]);
  });
});
