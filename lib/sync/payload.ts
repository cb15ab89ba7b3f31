import { z } from 'zod';

import { chainEntrySchema } from '../ledger/entry';
import type { Policy } from '../policy/schema';
import {
  type AccessLogRecord, type AiDraftRecord, type CallRecord, type ChecklistRecord, type ConcernRecord, type LedgerRecord, type OutboxKind, type OutboxRecord,
  type PurgeReceiptRecord, accessPurposes, concernCategories, humanNuanceFields, retentionKinds,
} from '../model';

/**
 * What org sync sends: one body per record, posted in batches of up to 100 (lib/sync/service.ts,
 * `candor-sync-batch/1`). The zod schema is the contract: docs/sync-payload.schema.json is generated
 * from it (tests/unit/sync.test.ts fails on drift) and docs/sync.md describes it.
 *
 * Only these five kinds exist. Notes, tags, checklists and AI drafts have no payload shape here, so
 * they cannot be sent: adding one would need a new kind, a schema change and a docs change.
 */
export const SYNC_FORMAT = 'candor-sync/1';

/**
 * Org sync is on when the policy names the organisation service: only then is anything queued in
 * the outbox (sent once this install has enrolled, docs/org.md).
 */
export const syncEnabled = (policy: Policy) => policy.orgSync.service !== null;

const iso = z.iso.datetime({ precision: 3 }).meta({ description: 'ISO 8601 UTC time with milliseconds' });
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

const envelope = {
  format: z.literal(SYNC_FORMAT).meta({ description: 'Payload format; a new shape gets a new format string' }),
  id: z.uuid().meta({ description: 'Idempotency key, also sent as the Idempotency-Key header: store each id once' }),
  createdAt: iso.meta({ description: 'When Candor queued the record for sending' }),
  rep: z.string().min(1).max(120).nullable().meta({
    description: 'Pseudonymous, install-scoped rep id (the same as in ledger entries); null for anonymous concerns',
  }),
};

export const consentRecordSchema = z.strictObject({
  seq: z.int().positive().meta({ description: 'Position in this rep\'s hash chain (1, 2, …; gaps mean records not received yet)' }),
  prevHash: hex64.meta({ description: 'hash of the previous record (64 zeros for the first); see docs/ledger.md' }),
  hash: hex64.meta({ description: 'SHA-256 over prevHash and the canonical entry; verify with the ledger tools' }),
  entry: chainEntrySchema.meta({ description: 'A consent entry, or a record-keeping entry (backup-imported); docs/ledger.md' }),
});
export const purgeReceiptSyncSchema = z.strictObject({
  id: z.uuid(),
  at: iso.meta({ description: 'When the purge ran' }),
  kind: z.enum(retentionKinds),
  count: z.int().nonnegative(),
  oldest: iso.nullable(),
  newest: iso.nullable(),
});
export const accessLogSyncSchema = z.strictObject({
  id: z.uuid(),
  at: iso,
  purpose: z.enum(accessPurposes).meta({ description: 'coaching or performance use; record-keeping for backups, ledger exports and imports' }),
  action: z.string().min(1).max(60).meta({ description: 'What was exported: calls-csv, calls-json, backup, concerns-csv, ledger; or import (a backup restored)' }),
  callCount: z.int().nonnegative(),
  approval: z.strictObject({
    approver: z.string().max(120).meta({ description: 'Who approved: the approver\'s name from the service, or the policy role' }),
    reference: z.string().max(200),
    role: z.string().max(60).optional(),
    id: z.string().max(100).optional().meta({ description: 'The approval\'s id in the organisation service (redeemed with its code)' }),
  }).optional(),
  fileHash: hex64.optional().meta({ description: 'SHA-256 of an imported file' }),
  refused: z.string().max(500).optional().meta({ description: 'Why an import was refused' }),
});
export const concernSyncSchema = z.strictObject({
  id: z.uuid().meta({ description: 'The concern; a status change is sent again with the same id (keep the latest updatedAt)' }),
  category: z.enum(concernCategories),
  text: z.string().max(5_000),
  anonymous: z.boolean(),
  status: z.enum(['open', 'acknowledged', 'resolved']),
  callId: z.uuid().optional().meta({ description: 'Never present for an anonymous concern' }),
  statementId: z.string().max(40).optional(),
  createdAt: iso,
  updatedAt: iso,
});

/**
 * Counts about one call for the organisation's review (coaching quality, AI summary reliability):
 * never text. Sent again on change under a new envelope id with the same callId; keep the copy
 * with the latest updatedAt.
 */
export const callSummarySyncSchema = z.strictObject({
  callId: z.uuid().meta({ description: 'The call; a change is sent again with the same callId (keep the latest updatedAt)' }),
  platform: z.enum(['meet', 'zoom', 'teams']),
  endedAt: iso.nullable(),
  category: z.string().min(1).max(200).nullable().meta({ description: 'The call type chosen with the decision, or null' }),
  checklist: z.enum(['not-required', 'pending', 'completed', 'dismissed']),
  checklistMsToComplete: z.int().nonnegative().nullable().meta({ description: 'From the checklist becoming due to its completion' }),
  humanNuanceFilled: z.boolean().meta({ description: 'At least one human-nuance checklist field was filled in' }),
  aiStatements: z.int().nonnegative(),
  aiMarked: z.int().nonnegative().meta({ description: 'Statements the rep marked correct or wrong' }),
  aiWrong: z.int().nonnegative().meta({ description: 'Statements the rep marked wrong' }),
  updatedAt: iso,
});

export const syncBodySchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ ...envelope, kind: z.literal('consent'), record: consentRecordSchema }),
    z.strictObject({ ...envelope, kind: z.literal('purge-receipt'), record: purgeReceiptSyncSchema }),
    z.strictObject({ ...envelope, kind: z.literal('access-log'), record: accessLogSyncSchema }),
    z.strictObject({ ...envelope, kind: z.literal('concern'), record: concernSyncSchema }),
    z.strictObject({ ...envelope, kind: z.literal('call-summary'), record: callSummarySyncSchema }),
  ])
  .refine((b) => b.kind !== 'concern' || !b.record.anonymous || (b.rep === null && b.record.callId === undefined && b.record.statementId === undefined), {
    message: 'an anonymous concern carries no rep id and no call link',
  })
  .meta({ title: 'Candor org sync payload', description: 'One record per POST body; see docs/sync.md' });
export type SyncBody = z.infer<typeof syncBodySchema>;

/** The JSON Schema a company loads into its CRM or warehouse (docs/sync.md). */
export function syncJsonSchema(): Record<string, unknown> {
  // `unrepresentable: 'any'`: ledger details guard against a "__proto__" key with a custom check
  // that JSON Schema cannot express; the pattern-keyed record after it still describes the shape.
  return z.toJSONSchema(syncBodySchema, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
}

const isoOf = (ms: number) => new Date(ms).toISOString();

/** What a call summary is computed from: the call and what the rep attached to it, at `updatedAt`. */
export interface CallSummarySource {
  call: CallRecord;
  checklist: ChecklistRecord | undefined;
  aiDraft: AiDraftRecord | undefined;
  updatedAt: number;
}

const filled = (value: unknown) => (Array.isArray(value) ? value.length > 0 : typeof value === 'string' && value.trim() !== '');

/** Counts about one call, never its text (docs/sync.md, call-summary). */
export function callSummary({ call, checklist, aiDraft, updatedAt }: CallSummarySource) {
  const statements = aiDraft?.statements ?? [];
  const done = checklist?.status === 'done';
  return {
    callId: call.id,
    platform: call.platform,
    endedAt: call.endedAt === undefined ? null : isoOf(call.endedAt),
    category: call.category ?? null,
    checklist: !checklist ? ('not-required' as const) : done ? ('completed' as const) : ('pending' as const),
    checklistMsToComplete: done && checklist.completedAt !== undefined ? Math.max(0, checklist.completedAt - checklist.pendingSince) : null,
    humanNuanceFilled: !!checklist && humanNuanceFields.some((f) => filled(checklist.fields[f])),
    aiStatements: statements.length,
    aiMarked: statements.filter((st) => st.mark !== undefined).length,
    aiWrong: statements.filter((st) => st.mark === 'wrong').length,
    updatedAt: isoOf(updatedAt),
  };
}

/** Record copies: only governance facts; the rep's narrative is never among them. */
export const toSyncRecord = {
  consent: (r: LedgerRecord) => ({ seq: r.seq, prevHash: r.prevHash, hash: r.hash, entry: r.entry }),
  'purge-receipt': (r: PurgeReceiptRecord) => ({
    id: r.id, at: isoOf(r.at), kind: r.kind, count: r.count,
    oldest: r.oldest === null ? null : isoOf(r.oldest), newest: r.newest === null ? null : isoOf(r.newest),
  }),
  'access-log': (r: AccessLogRecord) => ({
    id: r.id, at: isoOf(r.at), purpose: r.purpose, action: r.action, callCount: r.callCount, ...(r.approval ? { approval: r.approval } : {}),
    ...(r.fileHash ? { fileHash: r.fileHash } : {}), ...(r.refused ? { refused: r.refused } : {}),
  }),
  concern: (r: ConcernRecord) => ({
    id: r.id, category: r.category, text: r.text, anonymous: r.anonymous, status: r.status,
    // Belt and braces: an anonymous concern never links to a call, even if a row somehow did.
    ...(!r.anonymous && r.callId ? { callId: r.callId } : {}), ...(!r.anonymous && r.statementId ? { statementId: r.statementId } : {}),
    createdAt: isoOf(r.createdAt), updatedAt: isoOf(r.updatedAt),
  }),
  'call-summary': (r: CallSummarySource) => callSummary(r),
} satisfies Record<OutboxKind, (r: never) => Record<string, unknown>>;

type SourceOf<K extends OutboxKind> = Parameters<(typeof toSyncRecord)[K]>[0];

/** A new outbox row for a record just written; its id is the idempotency key for every attempt. */
export function outboxRow<K extends OutboxKind>(kind: K, source: SourceOf<K>, now: number): OutboxRecord {
  const id = crypto.randomUUID();
  const record = (toSyncRecord[kind] as (r: SourceOf<K>) => Record<string, unknown>)(source);
  return { id, kind, payload: { format: SYNC_FORMAT, id, kind, createdAt: isoOf(now), record }, createdAt: now, attempts: 0, nextAttemptAt: now };
}

/** The body as sent: the stored payload plus the rep id, withheld from anonymous concerns. */
export function bodyFor(row: OutboxRecord, rep: string): Record<string, unknown> {
  const anonymous = row.kind === 'concern' && (row.payload.record as { anonymous?: unknown }).anonymous !== false;
  return { ...row.payload, rep: anonymous ? null : rep };
}
