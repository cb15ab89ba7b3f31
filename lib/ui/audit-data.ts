import type { AuditInput } from '../audit/report';
import { retentionTargets } from '../background/retention';
import type { RetentionKind } from '../db';
import type { VerifyResult } from '../ledger/chain';
import type { Policy } from '../policy/schema';
import { readDb } from './db';

/** Reads what the audit needs for a period, through the indexes (no full scans of big tables). */
export async function loadAuditInput(period: { from: number; to: number }, policy: Policy, ledger: VerifyResult, now: number): Promise<AuditInput> {
  const { from, to } = period;
  const [calls, events, checklists, aiDrafts, concerns, accessLog, purgeReceipts] = await Promise.all([
    readDb.calls.where('detectedAt').between(from, to, true, true).toArray(),
    readDb.events.where('at').between(from, to, true, true).toArray(),
    readDb.checklists.where('pendingSince').between(from, to, true, true).toArray(),
    readDb.aiDrafts.toArray(),
    readDb.concerns.where('createdAt').between(from, to, true, true).toArray(),
    readDb.accessLog.where('at').between(from, to, true, true).toArray(),
    readDb.purgeReceipts.where('at').between(from, to, true, true).toArray(),
  ]);
  const oldest: Partial<Record<RetentionKind, number | null>> = {};
  for (const target of retentionTargets) {
    const first = await target.table(readDb).orderBy(target.index).first();
    oldest[target.kind] = first ? (first[target.index] as number) : null;
  }
  return {
    period, now, calls, events, checklists, aiDrafts, concerns, accessLog, purgeReceipts,
    retentionDays: policy.retentionDays,
    oldest,
    ledger: ledger.intact ? { intact: true, count: ledger.count } : { intact: false, count: ledger.count, brokenAt: ledger.brokenAt },
  };
}
