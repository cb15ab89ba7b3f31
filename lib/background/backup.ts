import { forgetSalt } from './meeting-ref';
import type { Services } from './services';

/** Deletes every stored row after an explicit confirmation (the schema demands the word DELETE). */
export async function deleteAllData(s: Services): Promise<{ deleted: number }> {
  const { db } = s;
  let deleted = 0;
  await db.transaction('rw', db.tables, async () => {
    for (const table of db.tables) {
      deleted += await table.count();
      await table.clear();
    }
  });
  forgetSalt(db);
  return { deleted };
}
