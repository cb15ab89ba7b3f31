import { ledgerCheckpoint, storedLedger } from '../db/ledger-store';
import { expandBlock } from '../ledger/blocks';
import type { BrokenAt } from '../ledger/chain';
import { verifyCheckpoint, type Checkpoint as SignedCheckpoint } from '../ledger/checkpoint';
import type { Witnessed } from '../ledger/import-rules';
import { serviceOrigin } from '../sync/service';
import type { WitnessedCheckpoint } from '../protocol/replies';
import type { Services } from './services';
import type { CandorDB } from '../db';
import type { OrgEnrollmentRecord, WitnessCheckpointRecord } from '../model';

/**
 * The organisation's witness (docs/org.md, "Checkpoints"): every checkpoint the service signs for
 * this install is stored once its Ed25519 signature verified with the witness's published key
 * (WebCrypto, lib/ledger/checkpoint.ts), and the stored ledger is checked against all of them: the
 * entry at seq N must have the hash the witness signed for N.
 */

export type StoreVerdict = { stored: boolean } | { stored: false; error: string };

/** Verifies and stores one signed checkpoint (a repeat is stored once: the signature is the key). */
export async function storeCheckpoint(s: Services, enrollment: OrgEnrollmentRecord, checkpoint: SignedCheckpoint): Promise<StoreVerdict> {
  const service = serviceOrigin(enrollment.service);
  if (checkpoint.rep !== enrollment.installId) {
    return { stored: false, error: `${service} sent a checkpoint for another install (${checkpoint.rep.slice(0, 60)}); it was not stored` };
  }
  const verdict = await verifyCheckpoint(checkpoint, enrollment.witnessKeys);
  if (!verdict.ok) return { stored: false, error: `${service} sent a checkpoint that does not verify (${verdict.reason}); it was not stored` };
  const record: WitnessCheckpointRecord = { ...checkpoint, service, receivedAt: s.now() };
  const known = await s.db.witnessCheckpoints.get(record.signature);
  if (!known) await s.db.witnessCheckpoints.put(record);
  return { stored: !known };
}

/** A stored checkpoint as pages see it: the signed statement, and who signed it. */
export const witnessedView = (c: WitnessCheckpointRecord): WitnessedCheckpoint => ({
  format: c.format, rep: c.rep, seq: c.seq, hash: c.hash, at: c.at, keyId: c.keyId, signature: c.signature, service: c.service,
});

/** The stored checkpoints as the import rules and the ledger check read them, oldest seq first. */
export async function witnessedPoints(db: CandorDB): Promise<Witnessed[]> {
  return (await db.witnessCheckpoints.orderBy('seq').toArray()).map((c) => ({ seq: c.seq, hash: c.hash, at: c.at, service: c.service }));
}

/** The checkpoint with the highest seq (the latest signed among equals): "Witnessed by … up to entry N". */
export async function latestCheckpoint(db: CandorDB): Promise<WitnessCheckpointRecord | null> {
  const top = await db.witnessCheckpoints.orderBy('seq').last();
  if (!top) return null;
  const same = await db.witnessCheckpoints.where('seq').equals(top.seq).toArray();
  return same.sort((a, b) => b.at.localeCompare(a.at))[0] ?? null;
}

export interface WitnessCheck {
  /** How many stored checkpoints the ledger was compared with (those inside what retention kept). */
  checked: number;
  /** The first disagreement, positioned like the ledger check's own (0-based among the stored entries). */
  problem: BrokenAt | null;
}

/**
 * Compares the stored ledger with every stored checkpoint. Each sealed block holding a checkpoint's
 * seq is expanded once (its last entry's hash is in its header); checkpoints at or before the
 * retention checkpoint can only be compared when they are that very entry.
 */
export async function checkAgainstWitness(db: CandorDB): Promise<WitnessCheck> {
  const points = await db.witnessCheckpoints.orderBy('seq').toArray();
  if (points.length === 0) return { checked: 0, problem: null };
  const start = await ledgerCheckpoint(db);
  const startSeq = start?.seq ?? 0;
  const hashes = new Map<number, string>();
  if (start) hashes.set(start.seq, start.hash);
  const wanted = new Set(points.map((p) => p.seq));
  let head = startSeq;
  const ledger = storedLedger(db, start);
  for await (const batch of ledger.blocks()) {
    for (const block of batch) {
      head = block.last;
      hashes.set(block.last, block.lastHash);
      if ([...wanted].some((seq) => seq >= block.first && seq < block.last)) {
        for (const r of await expandBlock(block)) if (wanted.has(r.seq)) hashes.set(r.seq, r.hash);
      }
    }
  }
  for (const r of await ledger.tail()) {
    head = r.seq;
    if (wanted.has(r.seq)) hashes.set(r.seq, r.hash);
  }
  let checked = 0;
  for (const p of points) {
    const when = p.at.slice(0, 10);
    if (p.seq > head) {
      return { checked, problem: { index: head - startSeq, seq: null, reason: `the ledger ends at entry ${head}, but ${p.service} witnessed entry ${p.seq} on ${when} (entries removed from the end)` } };
    }
    const hash = hashes.get(p.seq);
    if (hash === undefined) continue; // purged by retention before it could be compared
    checked++;
    if (hash !== p.hash) {
      return {
        checked,
        problem: { index: p.seq - startSeq - 1, seq: p.seq, reason: `entry ${p.seq} does not match the checkpoint ${p.service} witnessed on ${when} (hash ${hash.slice(0, 16)}…, witnessed ${p.hash.slice(0, 16)}…): the ledger was rewritten or rolled back` },
      };
    }
  }
  return { checked, problem: null };
}
