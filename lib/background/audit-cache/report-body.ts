import {
  buildAuditReportBody, emptyCallSections, isCallSectionsPartial, mergeCallSections, type AuditPeriod, type AuditReportBody, type AuditTablesInput,
  type CallSectionsPartial,
} from '../../audit';
import type { CandorDB } from '../../db';
import type { RetentionKind } from '../../model';
import { retentionTargets } from '../retention';
import type { Services } from '../services';
import { accumulateDay, dayPeriod } from './days';
import { utcDay } from './marks';
import { refreshAuditDays } from './refresh';

/** The report of a period: the cached whole days merged, the edge days accumulated fresh, and the small tables. */

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
  return (await accumulateDay(db, day, clipped)).partial;
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
      parts.push(isCallSectionsPartial(row.partial) ? row.partial : (await accumulateDay(db, row.day, dayPeriod(row.day))).partial);
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
