import type { Request } from '../protocol/requests';
import { says } from '../i18n/says';
import { RequestError, type Services } from './services';

type NoteSave = Extract<Request, { type: 'note/save' }>;

/** The rep's own notes for a call; one note per call, edited in place. */
export async function saveNote(s: Services, msg: NoteSave): Promise<{ updatedAt: number }> {
  const { db } = s;
  return db.transaction('rw', db.calls, db.notes, async () => {
    if (!(await db.calls.get(msg.callId))) throw new RequestError(says('error_note_call_unknown'));
    const now = s.now();
    const existing = await db.notes.get(msg.callId);
    await db.notes.put({ callId: msg.callId, text: msg.text, author: 'rep', createdAt: existing?.createdAt ?? now, updatedAt: now });
    return { updatedAt: now };
  });
}
