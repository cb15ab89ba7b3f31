import { browser } from 'wxt/browser';

import { POLICY_LINE, type CallBundle } from '../export/call-bundle';
import { callsCsv, toCsv } from '../export/csv';
import { BACKUP_FORMAT, BACKUP_NOTE } from '../export/documents';
import { callsJson } from '../export/json';
import type { Request } from '../protocol/requests';
import { outboxRow, syncEnabled } from '../sync/payload';
import { allLedgerRecords } from '../db/ledger-store';

import { headWithTime, ledgerExportJson } from './ledger';
import { activeEnrollment, redeemApproval } from './org';
import { says } from '../i18n/says';
import { RequestError, type Services } from './services';
import { type AccessLogRecord, type AccessPurpose, type ApprovalRecord, useExportKinds, type CallRecord, backupTableSchemas as tableSchemas, type BackupTable as TableName } from '../model';

type ExportRequest = Extract<Request, { type: 'export/request' }>;

async function bundles(s: Services): Promise<CallBundle[]> {
  const { db } = s;
  const [calls, tags, checklists, notes, drafts, decisions] = await Promise.all([
    db.calls.orderBy('detectedAt').toArray(),
    db.tags.toArray(),
    db.checklists.toArray(),
    db.notes.toArray(),
    db.aiDrafts.toArray(),
    db.events.where('type').equals('decision').toArray(),
  ]);
  const by = <T extends { callId: string }>(rows: T[]) => new Map(rows.map((r) => [r.callId, r]));
  const tagsByCall = new Map<string, typeof tags>();
  for (const t of tags) tagsByCall.set(t.callId, [...(tagsByCall.get(t.callId) ?? []), t]);
  // Each call's consent history (every decision, changes included) goes with it.
  const decisionsByCall = new Map<string, typeof decisions>();
  for (const e of decisions) {
    const list = decisionsByCall.get(e.callId);
    if (list) list.push(e);
    else decisionsByCall.set(e.callId, [e]);
  }
  const [lists, noteMap, draftMap] = [by(checklists), by(notes), by(drafts)];
  return calls
    .filter((c: CallRecord) => c.admittedAt !== undefined)
    .map((call) => {
      const checklist = lists.get(call.id);
      const note = noteMap.get(call.id);
      const aiDraft = draftMap.get(call.id);
      return { call, tags: tagsByCall.get(call.id) ?? [], decisions: decisionsByCall.get(call.id) ?? [], ...(checklist ? { checklist } : {}), ...(note ? { note } : {}), ...(aiDraft ? { aiDraft } : {}) };
    });
}

/** A full backup: every table as stored, importable with data/import (the ledger's head in the envelope). */
export async function backupJson(s: Services): Promise<string> {
  const tables: Record<string, unknown[]> = {};
  // Only the tables a backup restores (lib/model/records.ts, backupTableSchemas): not the org-sync outbox (transport
  // state: a restored copy would re-send stale items), not the audit cache (derived), not the
  // enrollment (this install's token) or the witness's checkpoints (the service keeps them), and the
  // ledger as one record per entry, whatever is sealed in blocks (an internal storage form).
  for (const name of Object.keys(tableSchemas) as TableName[]) {
    tables[name] = name === 'ledger' ? await allLedgerRecords(s.db) : await s.db.table(name).toArray();
  }
  const ledgerHead = await headWithTime(s);
  return JSON.stringify({ format: BACKUP_FORMAT, exportedAt: new Date(s.now()).toISOString(), purpose: 'record-keeping', policyLine: POLICY_LINE, note: BACKUP_NOTE, ledgerHead, tables }, null, 2);
}

/**
 * The approval a performance use needs. Enrolled with the organisation service: a code issued in
 * its console, redeemed now (the service checks it and counts the use) and logged as the service
 * returned it. Otherwise one of the policy's approver roles and a reference.
 */
async function performanceApproval(s: Services, msg: ExportRequest, callCount: number): Promise<ApprovalRecord> {
  const active = await activeEnrollment(s);
  if (active) {
    if (!msg.approvalCode) throw new RequestError(says('refusal_approval_code_needed'));
    const a = await redeemApproval(s, active, msg.approvalCode, msg.what, callCount);
    return { approver: a.approver.name, role: a.approver.role, reference: a.reference, id: a.id };
  }
  const { policy } = await s.policy();
  const approvers = policy.roles.filter((r) => r.approvesPerformanceUse).map((r) => r.role);
  if (!approvers.length) throw new RequestError(says('refusal_no_approver_role'));
  if (!msg.approval) throw new RequestError(says('refusal_approval_needed', approvers.join(', ')));
  if (!approvers.includes(msg.approval.role)) {
    throw new RequestError(says('refusal_role_not_approver', msg.approval.role.slice(0, 60), approvers.join(', ')));
  }
  return { approver: msg.approval.role, role: msg.approval.role, reference: msg.approval.reference };
}

/**
 * Every export is written to the access log the rep can read ("who used my calls, for what") with
 * its own purpose and approval: a use of the calls declares coaching or performance, and
 * performance use needs an approval; backups and the ledger are record keeping.
 */
export async function handleExport(s: Services, msg: ExportRequest): Promise<{ filename: string; mime: string; content: string }> {
  const recordKeeping = !(useExportKinds as readonly string[]).includes(msg.what);
  const purpose: AccessPurpose | undefined = recordKeeping ? 'record-keeping' : msg.purpose;
  if (!purpose) throw new RequestError(says('refusal_export_purpose'));
  const stamp = new Date(s.now()).toISOString().slice(0, 10);
  let result: { filename: string; mime: string; content: (approval: ApprovalRecord | undefined) => Promise<string> | string; callCount: number };
  switch (msg.what) {
    case 'calls-csv': {
      const list = await bundles(s);
      result = { filename: `candor-calls-${stamp}.csv`, mime: 'text/csv', content: () => callsCsv(list), callCount: list.length };
      break;
    }
    case 'calls-json': {
      const list = await bundles(s);
      const ledgerHead = await headWithTime(s);
      result = {
        filename: `candor-calls-${stamp}.json`, mime: 'application/json', callCount: list.length,
        content: (approval) => callsJson(list, {
          purpose: msg.purpose ?? 'coaching', exportedAt: new Date(s.now()).toISOString(), extensionVersion: browser.runtime.getManifest().version, ledgerHead, ...(approval ? { approval } : {}),
        }),
      };
      break;
    }
    case 'concerns-csv': {
      const concerns = await s.db.concerns.orderBy('createdAt').toArray();
      const content = toCsv(
        ['id', 'created_at', 'category', 'status', 'anonymous', 'text', 'call_id'],
        concerns.map((c) => [c.id, new Date(c.createdAt).toISOString(), c.category, c.status, c.anonymous, c.text, c.callId ?? '']),
      );
      result = { filename: `candor-concerns-${stamp}.csv`, mime: 'text/csv', content: () => content, callCount: 0 };
      break;
    }
    case 'ledger': {
      result = { filename: `candor-ledger-${stamp}.json`, mime: 'application/json', content: () => ledgerExportJson(s), callCount: 0 };
      break;
    }
    case 'backup': {
      result = { filename: `candor-backup-${stamp}.json`, mime: 'application/json', content: () => backupJson(s), callCount: await s.db.calls.count() };
      break;
    }
  }
  // Only a performance use carries an approval: a coaching export after a performance one has none of its own.
  const approval = purpose === 'performance' ? await performanceApproval(s, msg, result.callCount) : undefined;
  const content = await result.content(approval);
  const entry: AccessLogRecord = { id: crypto.randomUUID(), at: s.now(), purpose, action: msg.what, callCount: result.callCount, ...(approval ? { approval } : {}) };
  const syncOn = syncEnabled((await s.policy()).policy);
  const { db } = s;
  await db.transaction('rw', db.accessLog, db.outbox, async () => {
    await db.accessLog.add(entry);
    // Org sync: the entry is queued with its write (docs/sync.md).
    if (syncOn) await db.outbox.add(outboxRow('access-log', entry, entry.at));
  });
  return { filename: result.filename, mime: result.mime, content };
}
