import { checkAnchor } from './anchor';
import { GENESIS_HASH, verifyChain, type ChainRecord, type Checkpoint } from './chain';
import { says } from '../i18n/says';

/**
 * What a backup may do to the consent ledger (docs/ledger.md, "Imports"): history is never
 * rewritten. A backup restores into an empty ledger, or extends this one exactly (the same entries
 * up to this ledger's last one, then more). Anything else is refused with a sentence saying why:
 * a broken chain, a chain that contradicts a checkpoint the organisation's witness signed, a
 * different entry at a seq this ledger has, a chain that ends before this one (it would remove
 * entries) or that starts after it (entries in between would be missing).
 */

export interface LedgerSide<R extends ChainRecord<unknown> = ChainRecord<unknown>> {
  /** Where the records continue from after a retention purge (null: from the genesis hash). */
  checkpoint: Checkpoint | null;
  /** Every entry, in seq order. */
  records: readonly R[];
}

/** A checkpoint the witness signed, as stored (only ones whose signature verified). */
export interface Witnessed {
  seq: number;
  hash: string;
  /** ISO time the witness signed it, and the service's origin: for the sentence. */
  at: string;
  service: string;
}

export type LedgerPlan<R extends ChainRecord<unknown>> =
  | {
      ok: true;
      /** restore: this ledger was empty; extend: the backup continues it. */
      mode: 'restore' | 'extend';
      /** The backup's entries that are new here, in order. */
      add: R[];
      /** In a restore, the checkpoint the restored entries continue from (the backup's). */
      checkpoint: Checkpoint | null;
    }
  /** `reason`: a `says` reference (lib/i18n/says.ts), the sentence a person reads; `detail`: the technical part. */
  | { ok: false; reason: string; detail?: string };

const day = (iso: string) => iso.slice(0, 10);

/** The last entry (seq and hash) of a side: its last record, its checkpoint, or genesis. */
export function headOf(side: LedgerSide): Checkpoint {
  const last = side.records[side.records.length - 1];
  return last ? { seq: last.seq, hash: last.hash } : (side.checkpoint ?? { seq: 0, hash: GENESIS_HASH });
}

/**
 * Decides what the backup's ledger (null when the file has no ledger table: the ledger is left as
 * it is) does to this one. `local` is taken as stored; its own integrity is the ledger check's job.
 */
export async function planLedgerImport<R extends ChainRecord<unknown>>(backup: LedgerSide<R> | null, local: LedgerSide, witnessed: readonly Witnessed[]): Promise<LedgerPlan<R>> {
  const localEmpty = local.records.length === 0 && local.checkpoint === null;
  const mode = localEmpty ? 'restore' : 'extend';
  if (backup === null) return { ok: true, mode, add: [], checkpoint: null };

  const verified = await verifyChain(backup.records, backup.checkpoint);
  if (!verified.intact) {
    const { index, seq, reason } = verified.brokenAt;
    const where = index === -1 ? '' : ` at entry #${index} (seq ${seq ?? 'none'})`;
    return { ok: false, reason: says('refusal_import_ledger_broken'), detail: `The backup's consent ledger is broken${where}: ${reason}.` };
  }

  // What the witness signed outranks both copies: a backup that contradicts it is a rollback or a rewrite.
  for (const w of [...witnessed].sort((a, b) => a.seq - b.seq)) {
    const check = checkAnchor(backup.records, backup.checkpoint, { seq: w.seq, hash: w.hash, name: `the checkpoint ${w.service} signed on ${day(w.at)}` }, 'contains');
    if (!check.ok && 'brokenAt' in check) {
      return { ok: false, reason: says('refusal_import_contradicts_witness'), detail: `${check.brokenAt.reason}.` };
    }
  }

  if (localEmpty) return { ok: true, mode, add: [...backup.records], checkpoint: backup.checkpoint };

  const head = headOf(local);
  const from = backup.checkpoint?.seq ?? 0;
  const last = headOf(backup).seq;
  if (last < head.seq) {
    return { ok: false, reason: says('refusal_import_ledger_shorter', last, head.seq) };
  }
  if (from > head.seq) {
    return { ok: false, reason: says('refusal_import_ledger_gap', from, head.seq) };
  }
  const backupHash = (seq: number) => (seq === from ? (backup.checkpoint?.hash ?? GENESIS_HASH) : backup.records[seq - from - 1]!.hash);
  if (backupHash(head.seq) !== head.hash) {
    // Both chains verify, so they differ from one seq on: name the first one both hold.
    const localFrom = local.checkpoint?.seq ?? 0;
    const localHash = new Map(local.records.map((r) => [r.seq, r.hash]));
    let first = head.seq;
    for (let seq = Math.max(from, localFrom) + 1; seq <= head.seq; seq++) {
      if (localHash.get(seq) !== undefined && localHash.get(seq) !== backupHash(seq)) {
        first = seq;
        break;
      }
    }
    return { ok: false, reason: says('refusal_import_ledger_differs', first) };
  }
  return { ok: true, mode, add: backup.records.filter((r) => r.seq > head.seq), checkpoint: null };
}
