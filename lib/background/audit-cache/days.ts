import { accumulateCallSections, callTime, DAY_MS, type AuditPeriod, type CallSectionsPartial } from '../../audit';
import type { CandorDB } from '../../db';
import type { CallEvent, CallRecord, ChecklistRecord } from '../../model';
import { utcDay } from './marks';

/**
 * One UTC day of the cache: its period, and the records its partial is accumulated from (read by
 * the loading rule lib/audit needs for exact merges). Shared by the refresh and the report.
 */

export const dayStart = (day: number) => day * DAY_MS;
export const dayPeriod = (day: number): AuditPeriod => ({ from: dayStart(day), to: dayStart(day) + DAY_MS - 1 });
const defined = <T>(x: T | undefined): x is T => x !== undefined;
export const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

interface DayRecords {
  calls: CallRecord[];
  events: CallEvent[];
  checklists: ChecklistRecord[];
  /** The day has a call or an event of its own (false: its cache row is deleted). */
  hasData: boolean;
}

/** Calls per read transaction: ~10–20 ms each, so a write waiting behind one is not held up for long. */
export const CALLS_PER_READ = 40;

/** Every event of each call, by the callId index (one ranged getAll per call, not a cursor). */
export async function eventsOfCalls(db: CandorDB, callIds: readonly string[]): Promise<CallEvent[]> {
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
export async function readDay(db: CandorDB, day: number): Promise<DayRecords> {
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

/** A day's partial (of `period`: the whole day, or the part of it a report covers), accumulated fresh. */
export async function accumulateDay(db: CandorDB, day: number, period: AuditPeriod): Promise<CallSectionsPartial> {
  const { calls, events, checklists } = await readDay(db, day);
  return accumulateCallSections(period, calls, events, checklists);
}
