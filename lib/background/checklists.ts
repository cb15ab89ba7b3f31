import { emptyChecklist, missingRequired } from '../checklist/fields';
import { english } from '../i18n/english';
import { checklistKeys } from '../i18n/labels';
import type { CandorDB } from '../db';
import type { Request } from '../protocol/requests';
import { RequestError, type Services } from './services';
import { syncEnabled } from '../sync/payload';
import { queueCallSummary } from './call-summary';
import type { CallRecord } from '../model';

type ChecklistSave = Extract<Request, { type: 'checklist/save' }>;

/**
 * Every admitted call gets a pending checklist when it ends, declined ones too: notes-only mode
 * is still a full call. Runs inside the caller's transaction (it must include `checklists`).
 */
export async function openChecklist(db: CandorDB, call: CallRecord, endedAt: number): Promise<void> {
  if (call.admittedAt === undefined || (await db.checklists.get(call.id))) return;
  await db.checklists.add({ callId: call.id, status: 'pending', fields: emptyChecklist(), pendingSince: endedAt, updatedAt: endedAt });
}

export async function saveChecklist(s: Services, msg: ChecklistSave): Promise<{ status: 'pending' | 'done' }> {
  const { policy } = await s.policy();
  if (msg.complete) {
    const missing = missingRequired(msg.fields, policy.checklistRequired);
    if (missing.length) throw new RequestError(`Fill in the required fields first: ${missing.map((m) => english(checklistKeys[m])).join(', ')}.`);
  }
  const { db } = s;
  const syncOn = syncEnabled(policy);
  return db.transaction('rw', [db.calls, db.checklists, db.aiDrafts, db.outbox], async () => {
    const call = await db.calls.get(msg.callId);
    if (!call) throw new RequestError('This call is not known to Candor.');
    const now = s.now();
    const existing = await db.checklists.get(msg.callId);
    const status = msg.complete ? 'done' : (existing?.status ?? 'pending');
    await db.checklists.put({
      callId: msg.callId,
      status,
      fields: msg.fields,
      pendingSince: existing?.pendingSince ?? call.endedAt ?? now,
      updatedAt: now,
      ...(status === 'done' ? { completedAt: existing?.completedAt ?? now } : {}),
    });
    // Org sync: the call's counts go out with the completed checklist (and again when it changes).
    if (syncOn) await queueCallSummary(db, msg.callId, now);
    return { status };
  });
}
