import type { Request } from '../protocol/requests';
import { says } from '../i18n/says';
import { clampTime, RequestError, type Services } from './services';

type TagAdd = Extract<Request, { type: 'tag/add' }>;
type TagUpdate = Extract<Request, { type: 'tag/update' }>;

/** A live tag, timed from admission. The tag must be one the policy offers. */
export async function addTag(s: Services, msg: TagAdd): Promise<{ id: string; offsetMs: number }> {
  const { policy } = await s.policy();
  if (!policy.tags.includes(msg.tag)) throw new RequestError(says('error_tag_not_offered', msg.tag, policy.tags.join(', ')));
  const at = clampTime(msg.at, s.now());
  const { db } = s;
  return db.transaction('rw', db.calls, db.tags, async () => {
    const existing = await db.tags.get(msg.eventId);
    if (existing) return { id: existing.id, offsetMs: existing.offsetMs };
    const call = await db.calls.get(msg.callId);
    if (!call?.admittedAt) throw new RequestError(says('error_tag_not_admitted'));
    const offsetMs = Math.max(0, at - call.admittedAt);
    await db.tags.add({ id: msg.eventId, callId: msg.callId, tag: msg.tag, offsetMs, at, ...(msg.text ? { text: msg.text } : {}) });
    return { id: msg.eventId, offsetMs };
  });
}

export async function updateTag(s: Services, msg: TagUpdate): Promise<{ id: string }> {
  const updated = await s.db.tags.update(msg.id, msg.text ? { text: msg.text } : { text: undefined });
  if (!updated && !(await s.db.tags.get(msg.id))) throw new RequestError(says('error_tag_gone'));
  return { id: msg.id };
}
