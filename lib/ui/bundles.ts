
import type { CallBundle } from '../export/call-bundle';
import { readDb } from './db';
import type { CallRecord } from '../model';

/** Everything exported about one call, read in one go. */
export async function loadBundle(call: CallRecord): Promise<CallBundle> {
  const [tags, checklist, note, aiDraft, decisions] = await Promise.all([
    readDb.tags.where('callId').equals(call.id).toArray(),
    readDb.checklists.get(call.id),
    readDb.notes.get(call.id),
    readDb.aiDrafts.get(call.id),
    readDb.events.where('callId').equals(call.id).filter((e) => e.type === 'decision').toArray(),
  ]);
  return { call, tags, decisions, ...(checklist ? { checklist } : {}), ...(note ? { note } : {}), ...(aiDraft ? { aiDraft } : {}) };
}
