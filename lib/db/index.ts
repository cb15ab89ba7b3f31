import Dexie, { type EntityTable } from 'dexie';
import type { NotRecordingReason, Outcome } from '../messages/schema';
import type { PlatformId } from '../platforms/types';

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
  /** Set while the platform records/transcribes or a notetaker is present. */
  recordingSince?: number;
  recordingSources?: string[];
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
  | 'left';

export interface CallEvent {
  /** Client-generated id: a retried message finds its event and is not applied twice. */
  id: string;
  callId: string;
  type: CallEventType;
  at: number;
  /** Event-specific details (outcome, reason, signals…); never page content. */
  data: Record<string, unknown>;
}

export interface NoteRecord {
  callId: string;
  text: string;
  /** Notes are the rep's own narrative, never generated. */
  author: 'rep';
  createdAt: number;
  updatedAt: number;
}

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

  constructor(name = DB_NAME) {
    super(name);
    this.version(1).stores({
      // admittedAt orders the popup's list (rows without it, lobby-only visits, are not indexed).
      calls: 'id, meetingHash, status, admittedAt, *tabIds',
      events: 'id, callId, type, at',
      notes: 'callId, updatedAt',
      meta: 'key',
    });
  }
}
