import { accumulateCallSections, callTime, DAY_MS, mergeCallSections, type AuditPeriod, type CallSectionsPartial } from '../../audit';
import type { CandorDB } from '../../db';
import type { CallEvent } from '../../model';
import { utcDay } from './marks';

/** One UTC day of the cache: its period and its partial, accumulated fresh. Shared by the refresh and the report. */

export const dayStart = (day: number) => day * DAY_MS;
export const dayPeriod = (day: number): AuditPeriod => ({ from: dayStart(day), to: dayStart(day) + DAY_MS - 1 });
const defined = <T>(x: T | undefined): x is T => x !== undefined;
export const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

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

/** A day's partial, and whether the day has data of its own (false: its cache row is deleted). */
export interface DayPartial {
  partial: CallSectionsPartial;
  hasData: boolean;
}

/**
 * A day's partial (of `period`: the whole day, or the part of it a report covers), accumulated
 * fresh by the loading rule lib/audit needs for exact merges: the day's calls, every event of
 * them, every event of the calls the day's events belong to, and the day's calls' checklists.
 *
 * Read and folded CALLS_PER_READ calls at a time, each chunk in small read transactions with a
 * yield after it: a read transaction holds back every write to its tables until it ends, and a
 * busy day (thousands of calls) read at once held a note save for ~80 ms (bench row 7). Chunks
 * are disjoint sets of calls with all their events, so their partials add up exactly. A write that
 * lands between the reads marks the day again with a new version, so the rebuild keeps that mark
 * (consumeMarks) and the day is rebuilt once more.
 */
export async function accumulateDay(db: CandorDB, day: number, period: AuditPeriod): Promise<DayPartial> {
  const { from, to } = dayPeriod(day);
  // Keys only: a call detected this day is usually admitted this day too.
  const [admittedIds, detectedIds, dayEventIds] = await db.transaction('r', db.calls, db.events, () => Promise.all([
    db.calls.where('admittedAt').between(from, to, true, true).primaryKeys(),
    db.calls.where('detectedAt').between(from, to, true, true).primaryKeys(),
    db.events.where('at').between(from, to, true, true).primaryKeys(),
  ]));
  const candidates = [...new Set([...admittedIds, ...detectedIds])];
  const parts: CallSectionsPartial[] = [];
  const dayCallIds = new Set<string>();
  const seen = new Set<string>();
  for (let i = 0; i < candidates.length; i += CALLS_PER_READ) {
    const calls = (await db.calls.bulkGet(candidates.slice(i, i + CALLS_PER_READ))).filter(defined).filter((c) => utcDay(callTime(c)) === day);
    const ids = calls.map((c) => c.id);
    for (const id of ids) dayCallIds.add(id);
    const events = await eventsOfCalls(db, ids);
    for (const e of events) seen.add(e.id);
    const checklists = (await db.checklists.bulkGet(ids)).filter(defined);
    parts.push(accumulateCallSections(period, calls, events, checklists));
    await yieldToEvents();
  }
  // The day's events of calls from other days: those calls' facts need all their events too.
  const strayIds = dayEventIds.filter((id) => !seen.has(id));
  const otherCallIds = new Set<string>();
  for (let i = 0; i < strayIds.length; i += CALLS_PER_READ) {
    for (const e of (await db.events.bulkGet(strayIds.slice(i, i + CALLS_PER_READ))).filter(defined)) {
      if (!dayCallIds.has(e.callId)) otherCallIds.add(e.callId);
    }
  }
  const others = [...otherCallIds];
  for (let i = 0; i < others.length; i += CALLS_PER_READ) {
    parts.push(accumulateCallSections(period, [], await eventsOfCalls(db, others.slice(i, i + CALLS_PER_READ)), []));
    await yieldToEvents();
  }
  return { partial: mergeCallSections(parts), hasData: dayCallIds.size > 0 || dayEventIds.length > 0 };
}
