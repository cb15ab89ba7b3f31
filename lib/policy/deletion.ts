import type { RetentionKind } from '../model';
import type { Policy } from './schema';

/**
 * What "Delete all data" deletes and what it keeps, under the policy: one answer for the
 * background (which deletes) and the confirmation (which says so before the rep types DELETE).
 *
 * The rep's own words are always theirs to delete. Consent records are the proof that a customer
 * was asked and what they answered: they are kept for their retention unless the organisation's
 * policy allows deleting them (`allowDeletingConsentRecords`); the daily retention purge removes
 * them when their time has passed.
 */

/** The rep's own words: notes, tags, checklists, AI drafts and the concerns they raised. */
export const REP_TABLES = ['notes', 'tags', 'checklists', 'aiDrafts', 'concerns'] as const;
export type RepTable = (typeof REP_TABLES)[number];

/** A kind of consent record kept by a delete-all, and the retention it is kept for (null: as long as the ledger). */
export interface KeptRecords {
  kind: 'calls' | 'consent' | 'accessLog' | 'purgeReceipts';
  /** The tables that hold it (the consent ledger's entries, sealed blocks and call events are one kind). */
  tables: readonly string[];
  days: number | null;
}

/** The consent records, with the retention kind that governs each (purge receipts are never purged). */
const CONSENT_RECORDS: readonly { kind: KeptRecords['kind']; tables: readonly string[]; retention: RetentionKind | null }[] = [
  { kind: 'calls', tables: ['calls'], retention: 'calls' },
  { kind: 'consent', tables: ['events', 'ledger', 'ledgerBlocks', 'witnessCheckpoints'], retention: 'consent' },
  { kind: 'accessLog', tables: ['accessLog'], retention: 'accessLog' },
  { kind: 'purgeReceipts', tables: ['purgeReceipts'], retention: null },
];

export interface DeletionPlan {
  /** Everything goes, consent records included (the policy allows it). */
  everything: boolean;
  /** Deleted: the rep's own words (and, when `everything`, every other table too). */
  deletes: readonly RepTable[];
  /** Kept for their retention (empty when `everything`). */
  keeps: readonly KeptRecords[];
}

export function deletionPlan(policy: Pick<Policy, 'allowDeletingConsentRecords' | 'retentionDays'>): DeletionPlan {
  if (policy.allowDeletingConsentRecords) return { everything: true, deletes: REP_TABLES, keeps: [] };
  return {
    everything: false,
    deletes: REP_TABLES,
    keeps: CONSENT_RECORDS.map(({ kind, tables, retention }) => ({ kind, tables, days: retention ? policy.retentionDays[retention] : null })),
  };
}
