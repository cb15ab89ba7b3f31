import { browser } from 'wxt/browser';

import { POLICY_LINE, type CallBundle } from '../export/call-bundle';
import { callsCsv, toCsv } from '../export/csv';
import { BACKUP_FORMAT, BACKUP_NOTE } from '../export/documents';
import { callsJson } from '../export/json';
import type { Request } from '../protocol/requests';
import { outboxRow, syncEnabled } from '../sync/payload';
import { allLedgerRecords } from '../db/ledger-store';

import { ledgerExportJson } from './ledger';
import { RequestError, type Services } from './services';
import { type CallRecord, backupTableSchemas as tableSchemas, type BackupTable as TableName } from '../model';

type ExportRequest = Extract<Request, { type: 'export/request' }>;

async function bundles(s: Services): Promise<CallBundle[]> {
  const { db } = s;
  const [calls, tags, checklists, notes, drafts] = await Promise.all([
    db.calls.orderBy('detectedAt').toArray(),
    db.tags.toArray(),
    db.checklists.toArray(),
    db.notes.toArray(),
    db.aiDrafts.toArray(),
  ]);
  const by = <T extends { callId: string }>(rows: T[]) => new Map(rows.map((r) => [r.callId, r]));
  const tagsByCall = new Map<string, typeof tags>();
  for (const t of tags) tagsByCall.set(t.callId, [...(tagsByCall.get(t.callId) ?? []), t]);
  const [lists, noteMap, draftMap] = [by(checklists), by(notes), by(drafts)];
  return calls
    .filter((c: CallRecord) => c.admittedAt !== undefined)
    .map((call) => {
      const checklist = lists.get(call.id);
      const note = noteMap.get(call.id);
      const aiDraft = draftMap.get(call.id);
      return { call, tags: tagsByCall.get(call.id) ?? [], ...(checklist ? { checklist } : {}), ...(note ? { note } : {}), ...(aiDraft ? { aiDraft } : {}) };
    });
}

/** A full backup: every table as stored, importable with data/import. */
export async function backupJson(s: Services, purpose: string): Promise<string> {
  const tables: Record<string, unknown[]> = {};
  // Only the tables a backup restores (lib/model/records.ts, backupTableSchemas): not the org-sync outbox (transport
  // state: a restored copy would re-send stale items), not the audit cache (derived), and the
  // ledger as one record per entry, whatever is sealed in blocks (an internal storage form).
  for (const name of Object.keys(tableSchemas) as TableName[]) {
    tables[name] = name === 'ledger' ? await allLedgerRecords(s.db) : await s.db.table(name).toArray();
  }
  return JSON.stringify({ format: BACKUP_FORMAT, exportedAt: new Date(s.now()).toISOString(), purpose, policyLine: POLICY_LINE, note: BACKUP_NOTE, tables }, null, 2);
}

/**
 * Exports always declare a purpose. Performance use is refused without an approval reference and,
 * like every export, is written to the access log the rep can read ("who used my calls, for what").
 */
export async function handleExport(s: Services, msg: ExportRequest): Promise<{ filename: string; mime: string; content: string }> {
  if (msg.purpose === 'performance' && !msg.approval) {
    throw new RequestError('Performance use requires approval: enter who approved it and the ticket or reason.');
  }
  const stamp = new Date(s.now()).toISOString().slice(0, 10);
  let result: { filename: string; mime: string; content: string; callCount: number };
  switch (msg.what) {
    case 'calls-csv': {
      const list = await bundles(s);
      result = { filename: `candor-calls-${stamp}.csv`, mime: 'text/csv', content: callsCsv(list), callCount: list.length };
      break;
    }
    case 'calls-json': {
      const list = await bundles(s);
      const content = callsJson(list, {
        purpose: msg.purpose, exportedAt: new Date(s.now()).toISOString(), extensionVersion: browser.runtime.getManifest().version,
        ...(msg.approval ? { approval: msg.approval } : {}),
      });
      result = { filename: `candor-calls-${stamp}.json`, mime: 'application/json', content, callCount: list.length };
      break;
    }
    case 'concerns-csv': {
      const concerns = await s.db.concerns.orderBy('createdAt').toArray();
      const content = toCsv(
        ['id', 'created_at', 'category', 'status', 'anonymous', 'text', 'call_id'],
        concerns.map((c) => [c.id, new Date(c.createdAt).toISOString(), c.category, c.status, c.anonymous, c.text, c.callId ?? '']),
      );
      result = { filename: `candor-concerns-${stamp}.csv`, mime: 'text/csv', content, callCount: 0 };
      break;
    }
    case 'ledger': {
      result = { filename: `candor-ledger-${stamp}.json`, mime: 'application/json', content: await ledgerExportJson(s), callCount: 0 };
      break;
    }
    case 'backup': {
      result = { filename: `candor-backup-${stamp}.json`, mime: 'application/json', content: await backupJson(s, msg.purpose), callCount: await s.db.calls.count() };
      break;
    }
  }
  const entry = {
    id: crypto.randomUUID(), at: s.now(), purpose: msg.purpose, action: msg.what, callCount: result.callCount,
    ...(msg.approval ? { approval: msg.approval } : {}),
  };
  const syncOn = syncEnabled((await s.policy()).policy);
  const { db } = s;
  await db.transaction('rw', db.accessLog, db.outbox, async () => {
    await db.accessLog.add(entry);
    // Org sync: the entry is queued with its write (docs/sync.md).
    if (syncOn) await db.outbox.add(outboxRow('access-log', entry, entry.at));
  });
  const { callCount: _, ...file } = result;
  return file;
}
