import Dexie, { type EntityTable } from 'dexie';
import type { LedgerBlock as LedgerBlockRecord } from '../ledger/blocks';
import type { NotRecordingReason, Outcome } from '../messages/schema';
import type { PlatformId } from '../platforms/types';
import type { CallCategory, RecordingRule } from '../policy/schema';

export type CallStatus = 'lobby' | 'active' | 'ended';
export type EndReason = 'left' | 'tab-closed' | 'navigated-away' | 'meeting-switched' | 'ended-unknown';

export interface CallRecord {
  id: string;
  platform: PlatformId;
  /** SHA-256 of the per-install salt and the meeting reference; the raw reference is never stored. */
  meetingHash: string;
  status: CallStatus;
  /** Tabs currently in this call (two tabs on one meeting share the call). */
  tabIds: number[];
  /**
   * The call page's document in each tab (Chromium's documentId, by tab id): tab ids start over
   * after a browser restart, documents never come back, so a call whose documents are all gone ended.
   */
  documents?: Record<string, string>;
  detectedAt: number;
  lobbyAt?: number;
  admittedAt?: number;
  endedAt?: number;
  endReason?: EndReason;
  promptShownAt?: number;
  /** Latest consent outcome; the full history is in `events`. */
  outcome?: Outcome;
  reason?: NotRecordingReason;
  decidedAt?: number;
  /** Call category and the policy rule applied with the decision. */
  category?: CallCategory;
  rule?: RecordingRule;
  /** Set while the platform records/transcribes or a notetaker the rep confirmed is present. */
  recordingSince?: number;
  recordingSources?: string[];
  /** Notetakers suspected by name (policy entries) in the last report, and the rep's answers. */
  suspectedBots?: string[];
  /** Recording episodes seen in this call, and the ones beyond the logged maximum (a flapping indicator). */
  recordingEpisodes?: number;
  recordingFlaps?: number;
  confirmedBots?: string[];
  notBots?: string[];
  /** Signal ids that detected the call (detection health), or 'manual'. */
  detectedBy: string[];
  updatedAt: number;
}

export type CallEventType =
  | 'lobby'
  | 'admitted'
  | 'prompt-shown'
  | 'decision'
  | 'recording-before-consent'
  | 'recording-after-decline'
  | 'recording-started'
  | 'recording-stopped'
  | 'late-joiner'
  | 'notetaker-suspected'
  | 'notetaker-confirmed'
  | 'notetaker-not-bot'
  | 'left';

export interface CallEvent {
  /** Client-generated id: a retried message finds its event and is not applied twice. */
  id: string;
  callId: string;
  type: CallEventType;
  at: number;
  /** Event-specific details (outcome, reason, signals…); never page content. */
  data: Record<string, unknown>;
  /** 0 while a consent event waits to be appended to the ledger (indexed); absent otherwise. */
  chain?: 0;
}

export interface NoteRecord {
  callId: string;
  text: string;
  /** Notes are the rep's own narrative, never generated. */
  author: 'rep';
  createdAt: number;
  updatedAt: number;
}

/** A moment the rep tagged live (objection, next step…), relative to admission. */
export interface TagRecord {
  id: string;
  callId: string;
  tag: string;
  /** Milliseconds since the rep was admitted. */
  offsetMs: number;
  /** Optional short text, typed only in extension pages (never in the call page). */
  text?: string;
  at: number;
}

export interface NextStep {
  text: string;
  owner: string;
  /** ISO date (YYYY-MM-DD). */
  due: string;
}

/** The post-call CRM-hygiene checklist: the rep's narrative, including what AI cannot see. */
export interface ChecklistFields {
  qualification: string;
  nextSteps: NextStep[];
  timeline: string;
  risks: string;
  competition: string;
  humanNuance: string;
  powerDynamics: string;
  hesitation: string;
  emotion: string;
  urgency: string;
  subtleObjections: string;
}

export interface ChecklistRecord {
  callId: string;
  status: 'pending' | 'done';
  fields: ChecklistFields;
  /** When the call ended and the checklist became pending. */
  pendingSince: number;
  completedAt?: number;
  /** When the reminder notification was shown (once per checklist). */
  remindedAt?: number;
  updatedAt: number;
}

export type StatementMark = 'correct' | 'wrong';

/** A notetaker's summary pasted by the rep: a draft to check, never the record. */
export interface AiDraftRecord {
  callId: string;
  source: string;
  statements: { id: string; text: string; mark?: StatementMark; concernId?: string }[];
  createdAt: number;
  updatedAt: number;
}

export const concernCategories = [
  'privacy-concern',
  'ai-summary-error',
  'coaching-misuse',
  'consent-confusion',
  'access-issue',
  'cultural-friction',
] as const;
export type ConcernCategory = (typeof concernCategories)[number];

export interface ConcernRecord {
  id: string;
  category: ConcernCategory;
  text: string;
  anonymous: boolean;
  status: 'open' | 'acknowledged' | 'resolved';
  callId?: string;
  statementId?: string;
  createdAt: number;
  updatedAt: number;
}

export type UsePurpose = 'coaching' | 'performance';

/** Who used the rep's calls, for what: written for every export or share. */
export interface AccessLogRecord {
  id: string;
  at: number;
  purpose: UsePurpose;
  action: string;
  /** How many calls the export covered. */
  callCount: number;
  approval?: { approver: string; reference: string };
}

export type RetentionKind = 'consent' | 'calls' | 'notes' | 'tags' | 'checklists' | 'aiDrafts' | 'concerns' | 'accessLog';

/** Proof that a purge ran: what kind, how many, which date range; never content. */
export interface PurgeReceiptRecord {
  id: string;
  at: number;
  kind: RetentionKind;
  count: number;
  oldest: number | null;
  newest: number | null;
}

export interface LedgerRecord {
  seq: number;
  /** Event time (epoch ms), indexed for retention; not part of the hashed entry's encoding. */
  at: number;
  prevHash: string;
  hash: string;
  entry: Record<string, unknown>;
}

/** A sealed run of consecutive ledger entries: lib/ledger/blocks.ts defines it (docs/ledger.md, "Storage"). */
export type { LedgerBlock as LedgerBlockRecord } from '../ledger/blocks';
/**
 * The audit report's cached per-day partial (lib/audit): one UTC day's calls, events and checklists
 * folded into counts and value lists that add up across days. Derived data: rebuilt from the
 * records whenever a day is marked dirty, never exported.
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

export type OutboxKind = 'consent' | 'purge-receipt' | 'access-log' | 'concern';

/**
 * One record waiting to be sent to the organisation's endpoint (docs/sync.md). Written in the same
 * transaction as the record it copies, so a worker killed at any point loses nothing.
 */
export interface OutboxRecord {
  /** The idempotency key: sent as `Idempotency-Key` and in the body; the receiver keeps each id once. */
  id: string;
  kind: OutboxKind;
  /** The request body as built when the record was written (without `rep`, added when sent). */
  payload: Record<string, unknown>;
  createdAt: number;
  /** Failed sends so far (the backoff grows with it). */
  attempts: number;
  /** When to send next; OUTBOX_PARKED when the endpoint refused it (4xx) and it waits for "retry". */
  nextAttemptAt: number;
  lastError?: string;
}
/** nextAttemptAt of a parked item: sorts after every real time, so the due-items query skips it. */
export const OUTBOX_PARKED = Number.MAX_SAFE_INTEGER;

export interface MetaRecord {
  key: string;
  value: unknown;
}

export const DB_NAME = 'candor';

export class CandorDB extends Dexie {
  calls!: EntityTable<CallRecord, 'id'>;
  events!: EntityTable<CallEvent, 'id'>;
  notes!: EntityTable<NoteRecord, 'callId'>;
  meta!: EntityTable<MetaRecord, 'key'>;
  tags!: EntityTable<TagRecord, 'id'>;
  checklists!: EntityTable<ChecklistRecord, 'callId'>;
  aiDrafts!: EntityTable<AiDraftRecord, 'callId'>;
  concerns!: EntityTable<ConcernRecord, 'id'>;
  accessLog!: EntityTable<AccessLogRecord, 'id'>;
  purgeReceipts!: EntityTable<PurgeReceiptRecord, 'id'>;
  ledger!: EntityTable<LedgerRecord, 'seq'>;
  outbox!: EntityTable<OutboxRecord, 'id'>;
  ledgerBlocks!: EntityTable<LedgerBlockRecord, 'first'>;
  auditDays!: EntityTable<AuditDayRecord, 'day'>;
  auditDirty!: EntityTable<AuditDirtyRecord, 'key'>;

  constructor(name = DB_NAME) {
    super(name);
    this.version(1).stores({
      // admittedAt orders the popup's list (rows without it, lobby-only visits, are not indexed).
      calls: 'id, meetingHash, status, admittedAt, *tabIds',
      events: 'id, callId, type, at',
      notes: 'callId, updatedAt',
      meta: 'key',
    });
    // v2: the rep's side (tags, checklists, AI drafts), governance (concerns, access log, purge
    // receipts) and the consent ledger. New tables only: no upgrade function needed.
    this.version(2).stores({
      calls: 'id, meetingHash, status, admittedAt, detectedAt, *tabIds',
      events: 'id, callId, type, at, chain',
      tags: 'id, callId, at',
      checklists: 'callId, status, pendingSince, completedAt',
      aiDrafts: 'callId, updatedAt',
      concerns: 'id, category, status, createdAt',
      accessLog: 'id, at, purpose',
      purgeReceipts: 'id, at, kind',
      ledger: 'seq, at',
    });
    // v3: the org-sync outbox (new table only). nextAttemptAt finds due items, createdAt serves retention.
    this.version(3).stores({
      outbox: 'id, nextAttemptAt, createdAt',
    });
    // v4: the sealed ledger blocks (lastAt serves retention; existing entries are sealed by the
    // ledger writer on its next flush) and the audit report's per-day cache with its dirty marks
    // ('all' on upgrade: the cache is built from whatever is stored).
    this.version(4).stores({
      ledgerBlocks: 'first, lastAt',
      auditDays: 'day',
      auditDirty: 'key',
    }).upgrade((tx) => tx.table('auditDirty').put({ key: 'all', v: 1 }));
    // v5: a call's tags in order without reading them all (a restored call may hold thousands).
    this.version(5).stores({
      tags: 'id, callId, at, [callId+offsetMs]',
    });
  }
}
