import { z } from 'zod';
import { GENESIS_HASH, type BrokenAt, type Checkpoint } from './chain';

/**
 * Anchors: the ledger's head (or a point in it) kept outside the ledger, so that a chain cut short,
 * extended or rewritten from some point on can be told from the one the anchor was taken of
 * (docs/ledger.md, "Anchors"). A chain alone cannot show these: each is itself a valid chain.
 *
 * Two kinds are checked here against a chain that already verified:
 * - `head`: the chain must end exactly at the anchor (an anchor receipt, --expect-last-hash);
 * - `contains`: the chain must hold that entry with that hash and may go on (a witnessed checkpoint).
 */

export const ANCHOR_FORMAT = 'candor-anchor/1';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters');
const iso = z.iso.datetime({ precision: 3, error: 'must be an ISO 8601 UTC time with milliseconds' });

/** The small file the options page offers as "Download anchor receipt". */
export const anchorReceiptSchema = z.strictObject({
  format: z.literal(ANCHOR_FORMAT, { error: `format must be "${ANCHOR_FORMAT}"` }),
  /** The install's pseudonymous rep id, as in every entry. */
  rep: z.string().min(1).max(120),
  /** The head: seq and hash of the last entry (0 and 64 zeros for an empty ledger). */
  seq: z.int().nonnegative(),
  hash: hex64,
  /** When the head entry happened (null for an empty ledger), and when the receipt was taken. */
  entryAt: iso.nullable(),
  at: iso,
});
export type AnchorReceipt = z.infer<typeof anchorReceiptSchema>;

/** Shortest hash prefix accepted as an anchor: 64 bits, as shown by older versions of the options page. */
export const MIN_PREFIX = 16;

/**
 * A hash as typed or pasted by a person: the full 64 hex characters or a prefix of at least 16,
 * any case. Returns the lowercase text or a sentence saying what is wrong.
 */
export function parseHashAnchor(text: string): { ok: true; hash: string } | { ok: false; error: string } {
  const hash = text.trim().toLowerCase();
  if (!/^[0-9a-f]*$/.test(hash)) return { ok: false, error: `a hash is hexadecimal (0-9, a-f); "${text.slice(0, 70)}" is not` };
  if (hash.length > 64) return { ok: false, error: `a hash has 64 hex characters; this one has ${hash.length}` };
  if (hash.length < MIN_PREFIX) return { ok: false, error: `give the full hash (64 hex characters) or at least its first ${MIN_PREFIX}; this has ${hash.length}` };
  return { ok: true, hash };
}

const matches = (actual: string, anchor: string) => actual.startsWith(anchor);
const short = (hash: string) => hash.slice(0, 16);

export interface Anchor {
  /** The anchored entry's seq, when known (an anchor receipt, a checkpoint); a bare hash has none. */
  seq?: number;
  /** Its hash, in full or a prefix (parseHashAnchor). */
  hash: string;
  /** Who vouches for it, for the reasons: "the anchor", "the checkpoint". */
  name?: string;
}

export type AnchorCheck = { ok: true } | { ok: false; brokenAt: BrokenAt } | { ok: false; uncheckable: string };

/**
 * Where an intact chain (records in order from `start`, a retention checkpoint or genesis) stands
 * against an anchor. A mismatch is reported at the first entry that disagrees with it: the anchored
 * entry when its hash differs (rewritten), the first entry past an anchored end (added), or one
 * past the last entry when the chain ends before the anchor (removed), as docs/ledger.md states.
 */
export function checkAnchor(records: readonly { seq: number; hash: string }[], start: Checkpoint | null, anchor: Anchor, mode: 'head' | 'contains'): AnchorCheck {
  const name = anchor.name ?? 'the anchor';
  const count = records.length;
  const startSeq = start?.seq ?? 0;
  const startHash = start?.hash ?? GENESIS_HASH;
  const lastSeq = count ? records[count - 1]!.seq : startSeq;
  const hashAt = (seq: number) => (seq === startSeq ? startHash : records[seq - startSeq - 1]?.hash);

  if (anchor.seq === undefined) {
    // A bare hash: the chain must end with it.
    const lastHash = count ? records[count - 1]!.hash : startHash;
    if (matches(lastHash, anchor.hash)) return { ok: true };
    const at = records.findIndex((r) => matches(r.hash, anchor.hash));
    if (at >= 0) {
      return { ok: false, brokenAt: { index: at + 1, seq: records[at + 1]!.seq, reason: `the chain goes on after seq ${records[at]!.seq}, whose hash is the expected ${short(anchor.hash)}…, up to seq ${lastSeq} (entries added at the end)` } };
    }
    return { ok: false, brokenAt: { index: count, seq: null, reason: `last hash ${lastHash} is not the expected ${anchor.hash} (entries removed from or added at the end, or the chain was rewritten)` } };
  }

  const seq = anchor.seq;
  if (seq > lastSeq) {
    return { ok: false, brokenAt: { index: count, seq: null, reason: `the chain ends at seq ${lastSeq}, before seq ${seq} that ${name} holds (entries removed from the end)` } };
  }
  if (seq < startSeq) {
    return { ok: false, uncheckable: `the chain starts after seq ${seq} (older entries were purged, up to seq ${startSeq}), so ${name} cannot be checked against it` };
  }
  const actual = hashAt(seq)!;
  if (!matches(actual, anchor.hash)) {
    const index = seq === startSeq ? -1 : seq - startSeq - 1;
    const what = seq === startSeq ? `the checkpoint the chain starts from (seq ${seq})` : `entry seq ${seq}`;
    return { ok: false, brokenAt: { index, seq: index === -1 ? null : seq, reason: `${what} has hash ${actual}, but ${name} says ${anchor.hash} (the chain was rewritten or rolled back)` } };
  }
  if (mode === 'head' && lastSeq > seq) {
    const index = seq - startSeq;
    return { ok: false, brokenAt: { index, seq: records[index]!.seq, reason: `the chain goes on after seq ${seq}, where ${name} ends, up to seq ${lastSeq} (entries added at the end)` } };
  }
  return { ok: true };
}
