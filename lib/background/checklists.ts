import { checklistRequired, emptyChecklist, isEmptyChecklist, missingRequired } from '../checklist/fields';
import { t } from '../i18n';
import { checklistKeys } from '../i18n/labels';
import type { CandorDB } from '../db';
import type { Request } from '../protocol/requests';
import { says } from '../i18n/says';
import { clampTime, RequestError, type Services } from './services';
import { event } from './call-records';
import { syncEnabled } from '../sync/payload';
import { queueCallSummary } from './call-summary';
import type { CallCategory, CallRecord, ChecklistStatus } from '../model';

type ChecklistSave = Extract<Request, { type: 'checklist/save' }>;
type ChecklistDismiss = Extract<Request, { type: 'checklist/dismiss' }>;

/**
 * Gives an ended admitted call the checklist its category calls for (`scope`: the policy's
 * checklistCategories). In scope: a pending checklist (declined calls too: notes-only mode is still
 * a full call), unless it has one. Out of scope: none, and the call says so (the audit counts it
 * as not required); a pending checklist nothing was typed into goes (its category changed after
 * the call), one the rep wrote in stays. Runs inside the caller's transaction (calls, checklists).
 */
export async function applyChecklistScope(db: CandorDB, call: CallRecord, at: number, scope: readonly CallCategory[]): Promise<void> {
  if (call.admittedAt === undefined) return;
  const existing = await db.checklists.get(call.id);
  if (!checklistRequired(call.category, scope)) {
    if (!call.checklistNotRequired) await db.calls.update(call.id, { checklistNotRequired: true });
    if (existing?.status === 'pending' && isEmptyChecklist(existing.fields)) await db.checklists.delete(call.id);
    return;
  }
  if (call.checklistNotRequired) await db.calls.update(call.id, { checklistNotRequired: undefined });
  if (!existing) await db.checklists.add({ callId: call.id, status: 'pending', fields: emptyChecklist(), pendingSince: at, updatedAt: at });
}

export async function saveChecklist(s: Services, msg: ChecklistSave): Promise<{ status: ChecklistStatus }> {
  const { policy } = await s.policy();
  if (msg.complete) {
    const missing = missingRequired(msg.fields, policy.checklistRequired);
    if (missing.length) throw new RequestError(says('refusal_checklist_required', missing.map((m) => t(checklistKeys[m])).join(', ')));
  }
  const { db } = s;
  const syncOn = syncEnabled(policy);
  return db.transaction('rw', [db.calls, db.checklists, db.aiDrafts, db.outbox], async () => {
    const call = await db.calls.get(msg.callId);
    if (!call) throw new RequestError(says('error_call_unknown'));
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
      // A dismissal stays on record when the rep fills the checklist in after all.
      ...(existing?.dismissal ? { dismissal: existing.dismissal } : {}),
    });
    // Org sync: the call's counts go out with the completed checklist (and again when it changes).
    if (syncOn) await queueCallSummary(db, msg.callId, now);
    return { status };
  });
}

/**
 * The rep says this call needs no checklist ("No CRM record for this call", "Internal call", or
 * their own words): it leaves the badge and the reminders, and the dismissal is logged as an event
 * (its reason only; the rep's words stay with the checklist) and counted in the audit.
 */
export async function dismissChecklist(s: Services, msg: ChecklistDismiss): Promise<{ status: 'dismissed' }> {
  const at = clampTime(msg.at, s.now());
  const { db } = s;
  return db.transaction('rw', db.calls, db.events, db.checklists, async () => {
    const call = await db.calls.get(msg.callId);
    if (!call) throw new RequestError(says('error_call_unknown'));
    if (await db.events.get(msg.eventId)) return { status: 'dismissed' as const };
    const existing = await db.checklists.get(msg.callId);
    if (!existing) throw new RequestError(says('refusal_checklist_none'));
    if (existing.status !== 'pending') {
      throw new RequestError(says(existing.status === 'done' ? 'refusal_checklist_complete' : 'refusal_checklist_dismissed'));
    }
    const text = msg.text?.trim();
    await db.checklists.put({ ...existing, status: 'dismissed', dismissal: { reason: msg.reason, ...(text ? { text } : {}), at }, updatedAt: s.now() });
    await db.events.add(event(msg.eventId, call.id, 'checklist-dismissed', at, { reason: msg.reason }));
    return { status: 'dismissed' as const };
  });
}
