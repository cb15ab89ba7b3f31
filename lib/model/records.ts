import { z } from 'zod';
import {
  accessPurposes, checklistDismissReasons, checklistFieldNames, checklistStatuses, type ChecklistTextField, callCategories, callEventTypes, callStatuses, concernCategories, concernStatuses, endReasons, notRecordingReasons, outcomes,
  outboxKinds, platformIds, recordingRules, retentionKinds, statementMarks,
} from './vocabulary';

/**
 * Every stored record, once: the zod schema (a backup is validated against it before anything is
 * written, so a bad file changes nothing and the error names the bad record) and its type, inferred.
 * Field meanings are in the comments; the database's indexes are in lib/db.
 */
const id = z.string().min(1).max(100);
const time = z.number().int().nonnegative();
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const json = z.record(z.string(), z.unknown());
/** A call's name or account: one line of text. */
export const CALL_TEXT_MAX = 200;
const callText = z.string().max(CALL_TEXT_MAX);

export const callRecordSchema = z.strictObject({
  id,
  platform: z.enum(platformIds),
  /** SHA-256 of the per-install salt and the meeting reference; the raw reference is never stored. */
  meetingHash: hex64,
  status: z.enum(callStatuses),
  /** Tabs currently in this call (two tabs on one meeting share the call). */
  tabIds: z.array(z.number().int()),
  /**
   * The call page's document in each tab (Chromium's documentId, by tab id): tab ids start over after
   * a browser restart, documents never come back, so a call whose documents are all gone ended.
   */
  documents: z.record(z.string(), z.string().max(100)).optional(),
  detectedAt: time,
  lobbyAt: time.optional(),
  admittedAt: time.optional(),
  endedAt: time.optional(),
  endReason: z.enum(endReasons).optional(),
  promptShownAt: time.optional(),
  /** Latest consent outcome; the full history is in the events. */
  outcome: z.enum(outcomes).optional(),
  reason: z.enum(notRecordingReasons).optional(),
  decidedAt: time.optional(),
  /**
   * The decision event that holds `outcome`: a change names it as the one it supersedes. Absent on
   * calls decided before changes existed (the latest decision event is then looked up).
   */
  decisionId: id.optional(),
  /** Call category and the policy rule applied with the decision. */
  category: z.enum(callCategories).optional(),
  rule: z.enum(recordingRules).optional(),
  /** Set while the platform records/transcribes or a notetaker the rep confirmed is present. */
  recordingSince: time.optional(),
  recordingSources: z.array(z.string()).optional(),
  /** Notetakers suspected by name (policy entries) in the last report, and the rep's answers. */
  suspectedBots: z.array(z.string()).optional(),
  confirmedBots: z.array(z.string()).optional(),
  notBots: z.array(z.string()).optional(),
  /** Recording episodes seen in this call, and the ones beyond the logged maximum (a flapping indicator). */
  recordingEpisodes: z.number().int().nonnegative().optional(),
  recordingFlaps: z.number().int().nonnegative().optional(),
  /** Signal ids that detected the call (detection health), or 'manual'. */
  detectedBy: z.array(z.string()),
  /**
   * The call's name: the meeting title the platform showed (page text, read by the content script),
   * the rep's own name for it, and the account or opportunity the rep typed. Kept on this machine
   * only, with the call (its retention); never synced, never in the ledger.
   */
  platformTitle: callText.optional(),
  title: callText.optional(),
  account: callText.optional(),
  /** The policy asked no CRM checklist for this call (its category is outside checklistCategories). */
  checklistNotRequired: z.literal(true).optional(),
  updatedAt: time,
});
export type CallRecord = z.infer<typeof callRecordSchema>;

export const callEventSchema = z.strictObject({
  /** Client-generated id: a retried message finds its event and is not applied twice. */
  id,
  callId: id,
  type: z.enum(callEventTypes),
  at: time,
  /** Event-specific details (outcome, reason, signals…); never page content. */
  data: json,
  /** 0 while a consent event waits to be appended to the ledger (indexed); absent otherwise. */
  chain: z.literal(0).optional(),
});
export type CallEvent = z.infer<typeof callEventSchema>;

export const noteRecordSchema = z.strictObject({
  callId: id,
  text: z.string().max(20_000),
  /** Notes are the rep's own narrative, never generated. */
  author: z.literal('rep'),
  createdAt: time,
  updatedAt: time,
});
export type NoteRecord = z.infer<typeof noteRecordSchema>;

/** A moment the rep tagged live (objection, next step…), relative to admission. */
export const tagRecordSchema = z.strictObject({
  id,
  callId: id,
  tag: z.string().min(1).max(40),
  /** Milliseconds since the rep was admitted. */
  offsetMs: time,
  /** Optional short text, typed only in extension pages (never in the call page). */
  text: z.string().max(280).optional(),
  at: time,
});
export type TagRecord = z.infer<typeof tagRecordSchema>;

export const nextStepRecordSchema = z.strictObject({ text: z.string().max(500), owner: z.string().max(120), due: z.string().max(10) });
export type NextStep = z.infer<typeof nextStepRecordSchema>;

/**
 * An object with one entry per checklist field (vocabulary.ts names them): `nextSteps` gets
 * `steps`, every other field `text`. The stored record's and the save request's zod shapes and the empty checklist are built with it.
 */
export function checklistShape<S, T>(steps: S, text: (field: ChecklistTextField) => T) {
  return Object.fromEntries(checklistFieldNames.map((f) => [f, f === 'nextSteps' ? steps : text(f)])) as { nextSteps: S } & Record<ChecklistTextField, T>;
}

/** The post-call CRM-hygiene checklist's fields: the rep's narrative. */
export const checklistFieldsRecordSchema = z.strictObject(checklistShape(z.array(nextStepRecordSchema), () => z.string()));
export type ChecklistFields = z.infer<typeof checklistFieldsRecordSchema>;

export const checklistRecordSchema = z.strictObject({
  callId: id,
  status: z.enum(checklistStatuses),
  fields: checklistFieldsRecordSchema,
  /** When the call ended and the checklist became pending. */
  pendingSince: time,
  completedAt: time.optional(),
  /** When the reminder notification was shown (once per checklist). */
  remindedAt: time.optional(),
  /** Why and when the rep dismissed it (kept if the rep fills it in later after all). */
  dismissal: z.strictObject({ reason: z.enum(checklistDismissReasons), text: z.string().max(500).optional(), at: time }).optional(),
  updatedAt: time,
});
export type ChecklistRecord = z.infer<typeof checklistRecordSchema>;

/** A notetaker's summary pasted by the rep: a draft to check, never the record. */
export const aiDraftRecordSchema = z.strictObject({
  callId: id,
  source: z.string().max(60),
  statements: z.array(z.strictObject({ id: z.string().max(40), text: z.string(), mark: z.enum(statementMarks).optional(), concernId: id.optional() })),
  createdAt: time,
  updatedAt: time,
});
export type AiDraftRecord = z.infer<typeof aiDraftRecordSchema>;

export const concernRecordSchema = z.strictObject({
  id,
  category: z.enum(concernCategories),
  text: z.string().max(5_000),
  anonymous: z.boolean(),
  status: z.enum(concernStatuses),
  callId: id.optional(),
  statementId: z.string().max(40).optional(),
  createdAt: time,
  updatedAt: time,
  /**
   * What the organisation made of it (its console's triage), as last read from the service: a new
   * state beside the rep's own text and status, never an edit of them.
   */
  orgStatus: z.strictObject({ status: z.enum(concernStatuses), reply: z.string().max(5_000).nullable(), updatedAt: time, readAt: time }).optional(),
});
export type ConcernRecord = z.infer<typeof concernRecordSchema>;

/**
 * The approval of a performance use: issued in the organisation's console (its `id`, the approver's
 * name and `role` as the service returned them) or, without the service, one of the policy's
 * approver roles (`approver` = `role`) and a reference.
 */
export const approvalRecordSchema = z.strictObject({
  approver: z.string().max(120),
  reference: z.string().max(200),
  role: z.string().max(60).optional(),
  id: z.string().max(100).optional(),
});
export type ApprovalRecord = z.infer<typeof approvalRecordSchema>;

/** Who used the rep's calls, for what: written for every export, and for every backup import (accepted or refused). */
export const accessLogRecordSchema = z.strictObject({
  id,
  at: time,
  purpose: z.enum(accessPurposes),
  action: z.string().max(60),
  /** How many calls the export (or import) covered. */
  callCount: z.number().int().nonnegative(),
  approval: approvalRecordSchema.optional(),
  /** SHA-256 of an imported file's text. */
  fileHash: hex64.optional(),
  /** Why an import was refused (the sentence the rep was shown). */
  refused: z.string().max(500).optional(),
});
export type AccessLogRecord = z.infer<typeof accessLogRecordSchema>;

/** Proof that a purge ran: what kind, how many, which date range; never content. */
export const purgeReceiptRecordSchema = z.strictObject({
  id,
  at: time,
  kind: z.enum(retentionKinds),
  count: z.number().int().nonnegative(),
  oldest: time.nullable(),
  newest: time.nullable(),
});
export type PurgeReceiptRecord = z.infer<typeof purgeReceiptRecordSchema>;

export const ledgerRecordSchema = z.strictObject({
  seq: z.number().int().positive(),
  /** Event time (epoch ms), indexed for retention; not part of the hashed entry's encoding. */
  at: time,
  prevHash: hex64,
  hash: hex64,
  entry: json,
});
export type LedgerRecord = z.infer<typeof ledgerRecordSchema>;

/**
 * A sealed run of consecutive ledger entries (docs/ledger.md, "Storage"): the entries' canonical
 * lines in `body`, and a seal over the header and the body.
 */
export interface LedgerBlockRecord {
  /** seq of the first and the last entry. */
  first: number;
  last: number;
  /** Event times (epoch ms) of the first and last entry: retention reads these, not the body. */
  firstAt: number;
  lastAt: number;
  /** prevHash of the first entry; hash of the last. */
  prevHash: string;
  lastHash: string;
  /** Lowercase hex SHA-256 of the header text and `body`. */
  seal: string;
  /** deflate-raw of the UTF-8 entry lines. */
  body: ArrayBuffer;
}

export const metaRecordSchema = z.strictObject({ key: z.string().min(1).max(100), value: z.unknown() });
export type MetaRecord = z.infer<typeof metaRecordSchema>;

/**
 * One record waiting to be sent to the organisation's endpoint (docs/sync.md). Written in the same
 * transaction as the record it copies, so a worker killed at any point loses nothing.
 */
export interface OutboxRecord {
  /** The idempotency key: sent as `Idempotency-Key` and in the body; the receiver keeps each id once. */
  id: string;
  kind: (typeof outboxKinds)[number];
  /** The request body as built when the record was written (without `rep`, added when sent). */
  payload: Record<string, unknown>;
  createdAt: number;
  /** Failed sends so far (the backoff grows with it). */
  attempts: number;
  /** When to send next; OUTBOX_PARKED when the endpoint refused it (4xx) and it waits for "retry". */
  nextAttemptAt: number;
  lastError?: string;
}
/**
 * This install's enrollment with the organisation service (docs/org.md): its own revocable token,
 * the org's anonymous-concern key, the witness's public keys and the install's limits. Kept in its
 * own table (`org`), never in a backup, never shown in full.
 */
export interface OrgEnrollmentRecord {
  key: 'enrollment';
  /** The service's base URL, as the policy named it when enrolling. */
  service: string;
  token: string;
  installId: string;
  team: string;
  anonymousKey: string;
  witnessKeys: { keyId: string; algorithm: 'Ed25519'; publicKey: string; createdAt: string; retiredAt: string | null }[];
  limits: { maxBodyBytes: number; maxRecordsPerMinute: number };
  enrolledAt: number;
  /** Set when the service refused the token (401/403/410): nothing is sent until the install enrolls again. */
  revoked?: { at: number; message: string };
}

/**
 * A checkpoint the organisation's witness signed ("rep R's chain had seq N with head hash H at T",
 * lib/ledger/checkpoint.ts), stored only after its signature verified with the witness's key. The
 * local ledger is checked against every one of them. Not in backups (the service keeps them too).
 */
export interface WitnessCheckpointRecord {
  /** The signature (base64url) is unique per signed statement: the key. */
  signature: string;
  format: 'candor-checkpoint/1';
  rep: string;
  seq: number;
  hash: string;
  /** The witness's clock, ISO. */
  at: string;
  keyId: string;
  /** Origin of the service that signed it, for "Witnessed by …". */
  service: string;
  receivedAt: number;
}

/** nextAttemptAt of a parked item: sorts after every real time, so the due-items query skips it. */
export const OUTBOX_PARKED = Number.MAX_SAFE_INTEGER;

/**
 * The audit report's cached per-day partial (lib/audit): one UTC day's calls, events and checklists
 * folded into counts and value lists that add up across days. Derived data: never exported.
 */
export interface AuditDayRecord {
  /** UTC day number: Math.floor(epochMs / 86_400_000). */
  day: number;
  partial: unknown;
  builtAt: number;
}

/** A mark that cached audit days are stale: 'd:<day>', 'c:<callId>' or 'all'. `v` changes on every mark. */
export interface AuditDirtyRecord {
  key: string;
  v: number;
}

/** The tables a backup holds, in the order it lists them, with their record schemas. */
export const backupTableSchemas = {
  calls: callRecordSchema,
  events: callEventSchema,
  notes: noteRecordSchema,
  tags: tagRecordSchema,
  checklists: checklistRecordSchema,
  aiDrafts: aiDraftRecordSchema,
  concerns: concernRecordSchema,
  accessLog: accessLogRecordSchema,
  purgeReceipts: purgeReceiptRecordSchema,
  ledger: ledgerRecordSchema,
  meta: metaRecordSchema,
} as const;
export type BackupTable = keyof typeof backupTableSchemas;
