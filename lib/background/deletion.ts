import type { Request } from '../protocol/requests';
import { deletionPlan } from '../policy/deletion';
import { deleteSalt, forgetSalt } from './meeting-ref';
import type { Services } from './services';

type CallDataDelete = Extract<Request, { type: 'call-data/delete' }>;
type TagDelete = Extract<Request, { type: 'tag/delete' }>;

/**
 * Deleting data follows the policy (lib/policy/deletion.ts): the rep's own words go, consent
 * records stay for their retention unless the policy allows deleting them. Each delete runs in one
 * transaction: all of it happens or none. Deleting what is already gone is not an error (a retried
 * request after a lost reply finds nothing left to delete).
 */

/** "Delete all data", after the rep typed DELETE (the request's schema demands the word). */
export async function deleteAllData(s: Services): Promise<{ deleted: number; kept: number }> {
  const plan = deletionPlan((await s.policy()).policy);
  const { db } = s;
  let deleted = 0;
  let kept = 0;
  await db.transaction('rw', db.tables, async () => {
    if (plan.everything) {
      for (const table of db.tables) {
        deleted += await table.count();
        await table.clear();
      }
      return;
    }
    for (const name of plan.deletes) {
      const table = db.table(name);
      deleted += await table.count();
      await table.clear();
    }
    // A concern not sent yet is not sent at all; consent records waiting for org sync still go.
    await db.outbox.filter((row) => row.kind === 'concern').delete();
    // The calls kept are not linkable to their meetings any more: their salt is gone.
    await deleteSalt(db);
    for (const { tables } of plan.keeps) for (const name of tables) kept += await db.table(name).count();
  });
  forgetSalt(db);
  return { deleted, kept };
}

/** The rep's note, tags, checklist or AI draft of one call. */
export async function deleteCallData(s: Services, msg: CallDataDelete): Promise<{ deleted: number }> {
  const { db } = s;
  const table = { notes: db.notes, tags: db.tags, checklists: db.checklists, aiDrafts: db.aiDrafts }[msg.what];
  return db.transaction('rw', table, async () => {
    if (msg.what === 'tags') return { deleted: await db.tags.where('callId').equals(msg.callId).delete() };
    if (!(await table.get(msg.callId))) return { deleted: 0 };
    await table.delete(msg.callId);
    return { deleted: 1 };
  });
}

/** One tagged moment. */
export async function deleteTag(s: Services, msg: TagDelete): Promise<{ deleted: number }> {
  const { db } = s;
  return db.transaction('rw', db.tags, async () => {
    if (!(await db.tags.get(msg.id))) return { deleted: 0 };
    await db.tags.delete(msg.id);
    return { deleted: 1 };
  });
}
