import type { Request } from '../messages/schema';
import { RequestError, type Services } from './services';

type ConcernRaise = Extract<Request, { type: 'concern/raise' }>;
type ConcernStatus = Extract<Request, { type: 'concern/status' }>;

/**
 * The feedback channel. An anonymous concern keeps no link to a call (a call would identify the rep);
 * an "AI summary error" raised from a statement is linked to it, and the statement records the concern.
 */
export async function raiseConcern(s: Services, msg: ConcernRaise): Promise<{ id: string }> {
  const { db } = s;
  return db.transaction('rw', db.concerns, db.aiDrafts, db.calls, async () => {
    if (await db.concerns.get(msg.eventId)) return { id: msg.eventId };
    if (msg.callId && !(await db.calls.get(msg.callId))) throw new RequestError('This call is not known to Candor.');
    const now = s.now();
    const link = msg.anonymous ? {} : { ...(msg.callId ? { callId: msg.callId } : {}), ...(msg.statementId ? { statementId: msg.statementId } : {}) };
    await db.concerns.add({ id: msg.eventId, category: msg.category, text: msg.text, anonymous: msg.anonymous, status: 'open', createdAt: now, updatedAt: now, ...link });
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
  const updated = await s.db.concerns.update(msg.id, { status: msg.status, updatedAt: s.now() });
  if (!updated && !(await s.db.concerns.get(msg.id))) throw new RequestError('This concern no longer exists.');
  return { id: msg.id };
}
