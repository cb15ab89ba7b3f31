import type { Request } from '../protocol/requests';
import { outboxRow, syncEnabled } from '../sync/payload';
import { says } from '../i18n/says';
import { RequestError, type Services } from './services';

type ConcernRaise = Extract<Request, { type: 'concern/raise' }>;
type ConcernStatus = Extract<Request, { type: 'concern/status' }>;

/**
 * The feedback channel. An anonymous concern keeps no link to a call (a call would identify the rep);
 * an "AI summary error" raised from a statement is linked to it, and the statement records the concern.
 */
export async function raiseConcern(s: Services, msg: ConcernRaise): Promise<{ id: string }> {
  const { db } = s;
  // Read before the transaction: awaiting anything but the database inside it would end it.
  const syncOn = syncEnabled((await s.policy()).policy);
  return db.transaction('rw', db.concerns, db.aiDrafts, db.calls, db.outbox, async () => {
    if (await db.concerns.get(msg.eventId)) return { id: msg.eventId };
    if (msg.callId && !(await db.calls.get(msg.callId))) throw new RequestError(says('error_call_unknown'));
    const now = s.now();
    const link = msg.anonymous ? {} : { ...(msg.callId ? { callId: msg.callId } : {}), ...(msg.statementId ? { statementId: msg.statementId } : {}) };
    const concern = { id: msg.eventId, category: msg.category, text: msg.text, anonymous: msg.anonymous, status: 'open' as const, createdAt: now, updatedAt: now, ...link };
    await db.concerns.add(concern);
    // Org sync: queued with the write; an anonymous concern is sent without rep id (docs/sync.md).
    if (syncOn) await db.outbox.add(outboxRow('concern', concern, now));
    if (msg.callId && msg.statementId) {
      const draft = await db.aiDrafts.get(msg.callId);
      if (draft) {
        await db.aiDrafts.update(msg.callId, {
          statements: draft.statements.map((st) => (st.id === msg.statementId ? { ...st, mark: 'wrong' as const, concernId: msg.eventId } : st)),
        });
      }
    }
    return { id: msg.eventId };
  });
}

export async function setConcernStatus(s: Services, msg: ConcernStatus): Promise<{ id: string }> {
  const { db } = s;
  const syncOn = syncEnabled((await s.policy()).policy);
  return db.transaction('rw', db.concerns, db.outbox, async () => {
    const concern = await db.concerns.get(msg.id);
    if (!concern) throw new RequestError(says('refusal_concern_gone'));
    const now = s.now();
    await db.concerns.update(msg.id, { status: msg.status, updatedAt: now });
    // The organisation gets the new status as another copy of the concern (same id, later updatedAt).
    if (syncOn && concern.status !== msg.status) await db.outbox.add(outboxRow('concern', { ...concern, status: msg.status, updatedAt: now }, now));
    return { id: msg.id };
  });
}
