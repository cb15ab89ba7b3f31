import type { Table } from 'dexie';
import {
  accumulateCallSections,
  buildAuditReportBody,
  emptyCallSections,
  isCallSectionsPartial,
  mergeCallSections,
  type AuditPeriod,
  type AuditReportBody,
  type AuditTablesInput,
  type CallSectionsPartial,
} from '../audit/report';
import { DAY_MS } from '../audit/stats';
import type { CandorDB } from '../db';
import { ALL_MARK, callTime, dayMark, utcDay } from '../db/audit-dirty';
import { retentionTargets } from './retention';
import type { Services } from './services';
import type { AuditDirtyRecord, CallEvent, CallRecord, ChecklistRecord, RetentionKind } from '../model';

/**
 * The audit report's per-UTC-day cache (docs/architecture.md, "Audit cache"). Reading one
 * IndexedDB record costs ~15–28 µs in Chromium, so a report over 500,000 events cannot read them:
 * it merges one cached partial (lib/audit CallSectionsPartial) per whole day of the period and
 * accumulates only its two edge days fresh. The cache is rebuilt from the dirty marks every write
 * leaves (lib/db/audit-dirty.ts): a few seconds after writes, and before every report.
 */

const dayStart = (day: number) => day * DAY_MS;
const dayPeriod = (day: number): AuditPeriod => ({ from: dayStart(day), to: dayStart(day) + DAY_MS - 1 });
const defined = <T>(x: T | undefined): x is T => x !== undefined;
const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

interface DayRecords {
  calls: CallRecord[];
  events: CallEvent[];
  checklists: ChecklistRecord[];
  /** The day has a call or an event of its own (false: its cache row is deleted). */
  hasData: boolean;
}

/** Calls per read transaction: ~10–20 ms each, so a write waiting behind one is not held up for long. */
const CALLS_PER_READ = 40;

/** Every event of each call, by the callId index (one ranged getAll per call, not a cursor). */
async function eventsOfCalls(db: CandorDB, callIds: readonly string[]): Promise<CallEvent[]> {
  const out: CallEvent[] = [];
  for (let i = 0; i < callIds.length; i += CALLS_PER_READ) {
    const chunk = callIds.slice(i, i + CALLS_PER_READ);
    const lists = await db.transaction('r', db.events, () => Promise.all(chunk.map((id) => db.events.where('callId').equals(id).toArray())));
    for (const list of lists) out.push(...list);
  }
  return out;
}

/**
 * The records a day's partial is accumulated from (the loading rule lib/audit needs for exact
 * merges): the day's calls, every event of them, every event of the calls the day's events belong
 * to, and the day's calls' checklists. Small read transactions, not one snapshot: a read
 * transaction holds back every write to its tables until it ends, and a whole day takes ~150 ms to
 * read. A write that lands between the reads marks the day again with a new version, so the
 * rebuild keeps that mark (consumeMarks) and the day is rebuilt once more.
 */
async function readDay(db: CandorDB, day: number): Promise<DayRecords> {
  const { from, to } = dayPeriod(day);
  const [admitted, detectedIds, dayEventIds] = await Promise.all([
    db.calls.where('admittedAt').between(from, to, true, true).toArray(),
    db.calls.where('detectedAt').between(from, to, true, true).primaryKeys(),
    db.events.where('at').between(from, to, true, true).primaryKeys(),
  ]);
  // Calls detected this day are usually admitted this day too: read only the others.
  const admittedIds = new Set(admitted.map((c) => c.id));
  const detected = (await db.calls.bulkGet(detectedIds.filter((id) => !admittedIds.has(id)))).filter(defined);
  const calls = [...admitted, ...detected].filter((c) => utcDay(callTime(c)) === day);
  const callIds = new Set(calls.map((c) => c.id));

  const events = await eventsOfCalls(db, [...callIds]);
  const seen = new Set(events.map((e) => e.id));
  // The day's events of calls from other days: those calls' facts need all their events too.
  const strays = (await db.events.bulkGet(dayEventIds.filter((id) => !seen.has(id)))).filter(defined);
  const otherCallIds = [...new Set(strays.map((e) => e.callId))].filter((id) => !callIds.has(id));
  events.push(...(await eventsOfCalls(db, otherCallIds)));

  const checklists = (await db.checklists.bulkGet([...callIds])).filter(defined);
  return { calls, events, checklists, hasData: calls.length > 0 || dayEventIds.length > 0 };
}

async function accumulateDay(db: CandorDB, day: number, period: AuditPeriod): Promise<CallSectionsPartial> {
  const { calls, events, checklists } = await readDay(db, day);
  return accumulateCallSections(period, calls, events, checklists);
}

// ---------------------------------------------------------------------------------------------
// Refresh: dirty marks → stale days → rebuilt rows

/** The UTC days that have a key in an index: one key read per day (never a record). */
async function indexDays<T, K>(table: Table<T, K>, index: string, into: Set<number>): Promise<void> {
  let lower = -Infinity;
  for (;;) {
    const [key] = await table.where(index).aboveOrEqual(lower).limit(1).keys();
    const day = utcDay(key);
    if (day === null) return; // no more keys, or only non-number ones (in no period)
    into.add(day);
    const next = dayStart(day + 1);
    if (!(next > (key as number))) return; // beyond float precision: no later day to find
    lower = next;
  }
}

/** The days the marks make stale. */
async function staleDays(db: CandorDB, marks: ReadonlyMap<string, number>): Promise<Set<number>> {
  const days = new Set<number>();
  if (marks.has(ALL_MARK)) {
    // Every day with data, and every cached day (its data may be gone).
    await indexDays(db.calls, 'detectedAt', days);
    await indexDays(db.calls, 'admittedAt', days);
    await indexDays(db.events, 'at', days);
    for (const day of await db.auditDays.toCollection().primaryKeys()) days.add(day);
    return days;
  }
  const callIds: string[] = [];
  for (const key of marks.keys()) {
    if (key.startsWith('d:')) {
      const day = Number(key.slice(2));
      if (Number.isSafeInteger(day)) days.add(day);
    } else if (key.startsWith('c:')) callIds.push(key.slice(2));
  }
  // A call's facts feed its own day and every day holding one of its events (decisions, stops).
  for (let i = 0; i < callIds.length; i += CALLS_PER_READ) {
    const chunk = callIds.slice(i, i + CALLS_PER_READ);
    const [calls, events] = await db.transaction('r', db.calls, db.events, () =>
      Promise.all([db.calls.bulkGet(chunk), eventsOfCalls(db, chunk)]));
    for (const c of calls) {
      const day = c ? utcDay(callTime(c)) : null;
      if (day !== null) days.add(day);
    }
    for (const e of events) {
      const day = utcDay(e.at);
      if (day !== null) days.add(day);
    }
  }
  return days;
}

/** Deletes the marks whose version is still the one read at the start: a mark re-put since then stays. */
async function consumeMarks(db: CandorDB, keys: readonly string[], snapshot: ReadonlyMap<string, number>): Promise<void> {
  const current = await db.auditDirty.bulkGet([...keys]);
  const unchanged = keys.filter((key, i) => current[i] !== undefined && current[i].v === snapshot.get(key));
  if (unchanged.length > 0) await db.auditDirty.bulkDelete(unchanged);
}

/** Rebuilds one day's row (or deletes it: no data) and consumes its day mark, in a small transaction. */
async function rebuildDay(s: Services, day: number, snapshot: ReadonlyMap<string, number>): Promise<void> {
  const { db } = s;
  const records = await readDay(db, day);
  const partial = records.hasData ? accumulateCallSections(dayPeriod(day), records.calls, records.events, records.checklists) : null;
  const builtAt = s.now();
  await db.transaction('rw', db.auditDays, db.auditDirty, async () => {
    if (partial) await db.auditDays.put({ day, partial, builtAt });
    else await db.auditDays.delete(day);
    await consumeMarks(db, [dayMark(day)], snapshot);
  });
}

/**
 * Marks per transaction when reading (~0.02 ms each) or consuming them (a delete, ~0.25 ms each):
 * every write to a source table waits for the auditDirty store, so no transaction on it may hold it
 * long (one over 20,000 marks once held the writes for 5.7 s).
 */
const MARKS_PER_READ = 500;
const MARKS_PER_CONSUME = 100;

/** Every mark with its version, a page per transaction (a mark added meanwhile is read or left for the next refresh). */
async function readMarks(db: CandorDB): Promise<Map<string, number>> {
  const marks = new Map<string, number>();
  let after: string | null = null;
  for (;;) {
    const from = after === null ? db.auditDirty.orderBy('key') : db.auditDirty.where('key').above(after);
    const page: AuditDirtyRecord[] = await from.limit(MARKS_PER_READ).toArray();
    for (const m of page) marks.set(m.key, m.v);
    if (page.length < MARKS_PER_READ) return marks;
    after = page[page.length - 1]!.key;
    await yieldToEvents();
  }
}

async function refreshOnce(s: Services): Promise<number> {
  const { db } = s;
  const snapshot = await readMarks(db);
  if (snapshot.size === 0) return 0;
  const days = [...(await staleDays(db, snapshot))].sort((a, b) => a - b);
  for (const day of days) {
    await rebuildDay(s, day, snapshot);
    await yieldToEvents(); // a day per transaction, then the next message goes first
  }
  // Call marks and 'all' are done once every day they named is rebuilt.
  const keys = [...snapshot.keys()];
  for (let i = 0; i < keys.length; i += MARKS_PER_CONSUME) {
    await db.transaction('rw', db.auditDirty, () => consumeMarks(db, keys.slice(i, i + MARKS_PER_CONSUME), snapshot));
    await yieldToEvents();
  }
  return days.length;
}

const refreshing = new WeakMap<CandorDB, Promise<number>>();

/**
 * Rebuilds the cached days the dirty marks name; returns how many days it rebuilt. Runs one at a
 * time per database (a second call waits, then picks up the marks written meanwhile).
 */
export function refreshAuditDays(s: Services): Promise<number> {
  const previous = refreshing.get(s.db) ?? Promise.resolve(0);
  const next = previous.catch(() => 0).then(() => refreshOnce(s));
  refreshing.set(s.db, next);
  return next;
}

/** Debounced refreshes after writes, so the cache is warm when a report is opened. */
export function createAuditDaysRefresher(s: Services, delayMs = 2_000): { schedule(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    schedule() {
      clearTimeout(timer);
      // A failed refresh leaves its marks: the next one (or the next report) retries.
      timer = setTimeout(() => void refreshAuditDays(s).catch(() => undefined), delayMs);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The report

/** Whether a call or event time lies between from and to (ends as Dexie's `between` takes them), from index keys only. */
async function hasTimesBetween(db: CandorDB, from: number, to: number, withFrom: boolean, withTo: boolean): Promise<boolean> {
  if (from > to || (from === to && !(withFrom && withTo))) return false;
  const probes = await Promise.all([
    db.events.where('at').between(from, to, withFrom, withTo).limit(1).primaryKeys(),
    db.calls.where('admittedAt').between(from, to, withFrom, withTo).limit(1).primaryKeys(),
    db.calls.where('detectedAt').between(from, to, withFrom, withTo).limit(1).primaryKeys(),
  ]);
  return probes.some((keys) => keys.length > 0);
}

/**
 * An edge day's partial: the cached one when nothing of the day lies outside the clipped window
 * (then the window counts exactly what the whole day counts; typical for today, the end of the
 * default period), otherwise accumulated fresh.
 */
async function edgeDay(db: CandorDB, day: number, clipped: AuditPeriod): Promise<CallSectionsPartial> {
  const whole = dayPeriod(day);
  const [row, before, after] = await Promise.all([
    db.auditDays.get(day),
    hasTimesBetween(db, whole.from, clipped.from, true, false),
    hasTimesBetween(db, clipped.to, whole.to, false, true),
  ]);
  if (!before && !after && row && isCallSectionsPartial(row.partial)) return row.partial;
  return accumulateDay(db, day, clipped);
}

/** The call-based sections of a period: cached whole days merged, the edge days clipped. */
async function periodCallSections(db: CandorDB, period: AuditPeriod): Promise<CallSectionsPartial> {
  const { from, to } = period;
  if (!(from <= to)) return emptyCallSections();
  const first = utcDay(from)!;
  const last = utcDay(to)!;
  const isWhole = (day: number) => dayPeriod(day).from >= from && dayPeriod(day).to <= to;
  const parts: CallSectionsPartial[] = [];
  const firstWhole = isWhole(first) ? first : first + 1;
  const lastWhole = isWhole(last) ? last : last - 1;
  if (firstWhole <= lastWhole) {
    for (const row of await db.auditDays.where('day').between(firstWhole, lastWhole, true, true).toArray()) {
      // A row of another format (an older version wrote it) is never trusted: accumulated afresh.
      parts.push(isCallSectionsPartial(row.partial) ? row.partial : await accumulateDay(db, row.day, dayPeriod(row.day)));
    }
  }
  for (const day of new Set([first, last])) {
    if (isWhole(day)) continue;
    parts.push(await edgeDay(db, day, { from: Math.max(from, dayPeriod(day).from), to: Math.min(to, dayPeriod(day).to) }));
  }
  return mergeCallSections(parts);
}

/** The small tables, read through their indexes; the retention ages from the oldest key of each kind. */
async function readTables(s: Services, period: AuditPeriod, now: number): Promise<AuditTablesInput> {
  const { db } = s;
  const { from, to } = period;
  const oldestOf = async (target: (typeof retentionTargets)[number]): Promise<number | null> => {
    const [key] = await target.table(db).orderBy(target.index).limit(1).keys();
    return typeof key === 'number' ? key : null;
  };
  const [aiDrafts, concerns, accessLog, purgeReceipts, oldestTimes, resolved] = await Promise.all([
    db.aiDrafts.toArray(),
    db.concerns.where('createdAt').between(from, to, true, true).toArray(),
    db.accessLog.where('at').between(from, to, true, true).toArray(),
    db.purgeReceipts.where('at').between(from, to, true, true).toArray(),
    Promise.all(retentionTargets.map(oldestOf)),
    s.policy(),
  ]);
  const oldest: Partial<Record<RetentionKind, number | null>> = {};
  retentionTargets.forEach((target, i) => (oldest[target.kind] = oldestTimes[i]!));
  return { period: { from, to }, now, aiDrafts, concerns, accessLog, purgeReceipts, retentionDays: resolved.policy.retentionDays, oldest };
}

/**
 * The audit report of a period, without the ledger section (the page adds the result of
 * ledger/verify). Equal to buildAuditReport over every stored record, read after the refresh.
 */
export async function auditReportBody(s: Services, period: AuditPeriod): Promise<AuditReportBody> {
  await refreshAuditDays(s);
  const now = s.now();
  const [sections, tables] = await Promise.all([periodCallSections(s.db, period), readTables(s, period, now)]);
  return buildAuditReportBody(sections, tables);
}
