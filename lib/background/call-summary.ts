import type { CandorDB } from '../db';
import { outboxRow } from '../sync/payload';

/**
 * A call's summary for org sync (`call-summary`, docs/sync.md): counts, never text. Queued when the
 * call's checklist is completed, and again whenever its counts change after that (the checklist
 * saved again, AI statements marked or replaced). Runs inside the caller's transaction, which must
 * include calls, checklists, aiDrafts and outbox.
 */
export async function queueCallSummary(db: CandorDB, callId: string, now: number): Promise<boolean> {
  const [call, checklist, aiDraft] = await Promise.all([db.calls.get(callId), db.checklists.get(callId), db.aiDrafts.get(callId)]);
  if (!call || checklist?.status !== 'done') return false;
  await db.outbox.add(outboxRow('call-summary', { call, checklist, aiDraft, updatedAt: now }, now));
  return true;
}
