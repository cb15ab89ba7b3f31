import type { Request } from '../protocol/requests';
import { says } from '../i18n/says';
import { RequestError, type Services } from './services';

type Title = Extract<Request, { type: 'call/title' }>;
type Rename = Extract<Request, { type: 'call/rename' }>;

/*
 * A call's name. The platform's meeting title is page text: the content script reads it (selectors
 * in lib/platforms, sources in docs/platforms.md) and the request schema bounds it to one clean
 * line; it is shown as text only, never as markup. It stays on this machine with the call (the
 * calls' retention): it is not in the ledger, not synced, and the meeting itself is still only known
 * by its salted hash. The rep's own name for the call and the account or opportunity they type are
 * kept beside it and win over it.
 */

/** The platform's title of the call the tab is in (only written when it changed). */
export async function handleTitle(s: Services, msg: Title): Promise<null> {
  const { db } = s;
  await db.transaction('rw', db.calls, async () => {
    const call = await db.calls.get(msg.callId);
    if (!call) throw new RequestError(says('error_call_unknown'));
    const title = msg.title || undefined;
    if (call.platformTitle !== title) await db.calls.update(call.id, { platformTitle: title, updatedAt: s.now() });
  });
  return null;
}

/** The rep names the call and its account or opportunity (an empty field clears it). */
export async function renameCall(s: Services, msg: Rename): Promise<{ title: string | null; account: string | null }> {
  const { db } = s;
  return db.transaction('rw', db.calls, async () => {
    const call = await db.calls.get(msg.callId);
    if (!call) throw new RequestError(says('error_call_unknown'));
    const title = msg.title || undefined;
    const account = msg.account || undefined;
    await db.calls.update(call.id, { title, account, updatedAt: s.now() });
    return { title: title ?? null, account: account ?? null };
  });
}
