import type { Table } from 'dexie';
import { allLedgerRecords, ledgerShape } from '../db/ledger-store';

import type { Request } from '../protocol/requests';
import { forgetSalt } from './meeting-ref';
import { RequestError, type Services } from './services';
import { echo } from '../util/zod-error';
import { backupTableSchemas as tableSchemas, type BackupTable as TableName } from '../model';

type BackupImport = Extract<Request, { type: 'data/import' }>;

/**
 * Restores a backup all-or-nothing: every record is validated first (the error names the first bad
 * record), then all tables are written in one transaction. A bad file changes nothing.
 */
export async function importBackup(s: Services, msg: BackupImport): Promise<{ counts: Record<string, number> }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(msg.text);
  } catch {
    throw new RequestError('This file is not JSON: it is not a Candor backup.');
  }
  const backup = parsed as { format?: unknown; tables?: unknown };
  if (backup?.format !== 'candor-backup/1' || typeof backup.tables !== 'object' || backup.tables === null) {
    throw new RequestError('This file is not a Candor backup (format "candor-backup/1" with "tables").');
  }
  const valid: Partial<Record<TableName, unknown[]>> = {};
  for (const [name, rows] of Object.entries(backup.tables as Record<string, unknown>)) {
    if (!Object.hasOwn(tableSchemas, name)) throw new RequestError(`Unknown table ${echo(name)} in the backup; nothing was imported.`);
    if (!Array.isArray(rows)) throw new RequestError(`"${name}" must be a list of records; nothing was imported.`);
    const schema = tableSchemas[name as TableName];
    rows.forEach((row, i) => {
      const result = schema.safeParse(row);
      if (!result.success) {
        const issue = result.error.issues[0]!;
        const where = issue.path.length ? `.${issue.path.join('.')}` : '';
        throw new RequestError(`Record ${name}[${i}]${where} is invalid: ${issue.message}. Nothing was imported.`);
      }
    });
    valid[name as TableName] = rows;
  }
  const { db } = s;
  const counts: Record<string, number> = {};
  // Backups hold the ledger one record per entry: the stored blocks are unsealed in the same
  // transaction, so an entry is never both in a block and in the restored records (the writer
  // seals them again). Decompressing is not IndexedDB work, so it happens before the transaction.
  const shape = valid.ledger?.length ? await ledgerShape(db) : null;
  const unsealed = shape === null ? null : await allLedgerRecords(db);
  await db.transaction('rw', db.tables, async () => {
    if (unsealed) {
      if ((await ledgerShape(db)) !== shape) throw new RequestError('The consent ledger changed while the backup was being restored. Nothing was imported; try again.');
      await db.ledgerBlocks.clear();
      await db.ledger.bulkPut(unsealed);
    }
    for (const [name, rows] of Object.entries(valid)) {
      await (db.table(name) as Table<unknown>).bulkPut(rows);
      counts[name] = rows.length;
    }
  });
  forgetSalt(db);
  return { counts };
}

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
