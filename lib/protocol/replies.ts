import type { AuditReportBody } from '../audit/report';
import type { VerifyResult } from '../ledger/chain';
import type { CallCategory, ChecklistStatus, LedgerCheckKind, NotRecordingReason, Outcome, RecordingRule } from '../model';
import type { PlatformOverrides } from '../platforms/overrides';
import type { PromptEvent, RequestType } from './requests';

/*
 * What the background answers to each request (`Replies`), and the views it sends. Types only:
 * they come from the model and pure modules, never from the handlers that produce them.
 */

/** What the content script needs to render the prompt for the current call. */
export interface CallView {
  callId: string;
  /** The call platform's name, for "Google Meet's own recording". */
  platformLabel: string;
  /**
   * The rep is in the call. Before that (the lobby) the view only lets the prompt be drawn ahead,
   * hidden, with its choices off, so it shows complete the moment the rep is let in.
   */
  admitted: boolean;
  outcome: Outcome | null;
  reason: NotRecordingReason | null;
  decidedAt: number | null;
  promptShown: boolean;
  texts: { language: string; purposeStatement: string; consentScript: string; declineLine: string };
  /** The platform's recording, or a notetaker the rep confirmed, as last reported for this call. */
  recording: { active: boolean; since: number | null; sources: string[] };
  /** Notetakers suspected by name that the rep has not answered about yet. */
  suspectedBots: string[];
  /** Policy: the display names (or `*` patterns) of notetaker bots (lib/detect/notetakers.ts). */
  notetakerNames: string[];
  /** Policy: the live tags offered in the call. */
  tags: string[];
  /** Policy: the rule for each call category, and the one preselected (if any). */
  recordingStandards: Record<CallCategory, RecordingRule>;
  defaultCategory: CallCategory | null;
  /** The category logged with the decision, once decided. */
  category: CallCategory | null;
}

/** Org sync as the options page shows it (docs/sync.md). */
export interface SyncStatus {
  /** The policy names the organisation service. */
  configured: boolean;
  /** The service's scheme, host and port. */
  origin: string | null;
  /** The host permission the options page requests. */
  permissionPattern: string | null;
  permission: boolean;
  /** Enrolled with that service, and not revoked. */
  enrolled: boolean;
  pending: number;
  parked: number;
  nextAttemptAt: number | null;
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  lastError: string | null;
  holdUntil: number | null;
  /** Why the oldest parked item was refused. */
  parkedError: string | null;
}

/** A checkpoint the witness signed, as stored (lib/ledger/checkpoint.ts) with the service that signed it. */
export interface WitnessedCheckpoint {
  format: 'candor-checkpoint/1';
  rep: string;
  seq: number;
  hash: string;
  at: string;
  keyId: string;
  signature: string;
  service: string;
}

/** This install and the organisation service, as the options page shows it: never the token or the keys' secrets. */
export interface OrgView {
  /** The service the policy names (origin), or null. */
  service: string | null;
  /** The managed policy carries the org's enrollment key: enrolling needs no code. */
  hasEnrollmentKey: boolean;
  enrolled: {
    service: string;
    team: string;
    since: number;
    installId: string;
    /** The witness's public keys (public by design: anyone may verify a checkpoint with them). */
    witnessKeys: { keyId: string; publicKey: string; retired: boolean }[];
  } | null;
  /** Why sending stopped, when the service refused this install's token. */
  revoked: string | null;
  /** Enrolled with a service the policy no longer names. */
  otherService: string | null;
  latestCheckpoint: WitnessedCheckpoint | null;
}

/** The ledger check: the chain's verdict, its head, and how it stands against the witness's checkpoints. */
export type LedgerCheck = VerifyResult & {
  /** Which check ran: seals and links (routine) or every entry re-hashed (deep). */
  check: LedgerCheckKind;
  /** The last entry (seq 0 and the genesis hash when empty) and when it happened. */
  head: { seq: number; hash: string; at: string | null } | null;
  /** Stored checkpoints compared with the ledger; the latest one. */
  witness: { checked: number; latest: WitnessedCheckpoint | null };
};

/** What an import does, or did (the confirmation says it before anything is written). */
export interface ImportPlan {
  /** restore: into an empty ledger; extend: continuing this one. */
  mode: 'restore' | 'extend';
  fileHash: string;
  /** Consent ledger entries added, and their seq range. */
  ledger: { added: number; firstSeq: number | null; lastSeq: number | null };
  /** New records per table, and records already here (kept as they are). */
  added: Record<string, number>;
  kept: Record<string, number>;
}

export interface Replies {
  'call/config': { overrides: PlatformOverrides | null };
  'call/observed': CallView | null;
  'prompt/mount': { token: string };
  'prompt/attach': { view: CallView | null; events: PromptEvent[] };
  'prompt/size': null;
  'prompt/start-manual': null;
  'prompt/relay': null;
  'call/decide': CallView;
  'call/title': null;
  'call/rename': { title: string | null; account: string | null };
  'checklist/dismiss': { status: 'dismissed' };
  'call/keep-alive': null;
  'call/prompt-shown': CallView;
  'call/recording': CallView;
  'call/notetaker': CallView;
  'call/late-joiner': CallView;
  'note/save': { updatedAt: number };
  'tag/add': { id: string; offsetMs: number };
  'tag/update': { id: string };
  'checklist/save': { status: ChecklistStatus };
  'ai-draft/save': { statements: number };
  'ai-draft/mark': { statementId: string };
  'concern/raise': { id: string };
  'concern/status': { id: string };
  'export/request': { filename: string; mime: string; content: string };
  'data/import': { counts: Record<string, number>; plan: ImportPlan; done: boolean };
  /** Rows deleted, and consent records kept for their retention (lib/policy/deletion.ts). */
  'data/delete-all': { deleted: number; kept: number };
  'call-data/delete': { deleted: number };
  'tag/delete': { deleted: number };
  'policy/save': { saved: string[] };
  'ledger/verify': LedgerCheck;
  'ledger/anchor': { filename: string; mime: string; content: string };
  'audit/report': AuditReportBody;
  'sync/status': SyncStatus;
  'sync/retry': { requeued: number };
  'org/enroll': OrgView;
  'org/leave': OrgView;
  'org/status': OrgView;
  'org/checkpoint': OrgView;
  'concern/refresh': { updated: number };
}

/**
 * Why a request was not done, in two parts: `error`, a sentence in the person's language saying
 * what happened and what to do (shown as it is), and `detail`, the technical part for support
 * (field paths, signal ids, exception names; English), shown only under a "Details" disclosure.
 * `retryable`: a storage fault, worth sending again; otherwise the request itself was refused.
 */
export interface Refusal { ok: false; error: string; detail?: string; retryable?: boolean }
export type Reply<T extends RequestType> = { ok: true; data: Replies[T] } | Refusal;
