import type { Table } from 'dexie';
import { callTime } from '../../audit';
import type { CandorDB } from '../../db';
import type { AuditDirtyRecord } from '../../model';
import type { Services } from '../services';
import { accumulateDay, CALLS_PER_READ, dayPeriod, dayStart, eventsOfCalls, yieldToEvents } from './days';
import { ALL_MARK, dayMark, utcDay } from './marks';

/**
 * The refresh: dirty marks → stale days → rebuilt rows. It runs a few seconds after marked writes
 * (createAuditDaysRefresher, scheduled by the middleware) and before every report.
 */

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
  const { partial, hasData } = await accumulateDay(db, day, dayPeriod(day));
  const builtAt = s.now();
  await db.transaction('rw', db.auditDays, db.auditDirty, async () => {
    if (hasData) await db.auditDays.put({ day, partial, builtAt });
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
