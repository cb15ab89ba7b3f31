import { GENESIS_HASH } from '../../lib/ledger/chain';
import type { ChainEntry, LedgerEntry } from '../../lib/ledger/entry';
import type { Queryable } from '../store/db';

/**
 * Assembles each install's consent chain as records arrive, in any order and with gaps, and
 * verifies the links (every record's own hash was already checked with lib/ledger's `entryHash`
 * before it gets here). Records are keyed (install, seq):
 *
 * - the first record stored for an install sets firstSeq (sync may start late, and retention
 *   purges old entries); the verified range firstSeq…verifiedSeq grows forward through records
 *   whose prevHash is the head's hash, and backward through records whose hash is the first
 *   record's prevHash (seq 1 must link to GENESIS_HASH);
 * - a seq already stored with another hash is a conflict, kept in chain_conflicts and never
 *   applied: `rollback` when seq ≤ the witnessed head (verifiedSeq when the request began, which
 *   the service has signed), `fork` otherwise;
 * - the record at verifiedSeq+1 (or firstSeq−1) that does not link is `broken`: verification
 *   stops there for good.
 * Flags are sticky: nothing the client sends later clears them (docs/org.md, Chain status).
 */

export type ChainFlag = 'broken' | 'fork' | 'rollback';
export type ChainStatus = 'ok' | 'gap' | ChainFlag;

export interface IncomingConsent {
  bodyId: string;
  seq: number;
  prevHash: string;
  hash: string;
  /** A consent entry, or a record-keeping one (a backup import): both are links of the chain. */
  entry: ChainEntry;
}

/** Consent entries count in the review; record-keeping entries (backup-imported) are chain links only. */
const isConsent = (e: ChainEntry): e is LedgerEntry => e.type !== 'backup-imported';

export interface ChainRow {
  first_seq: number | null;
  verified_seq: number | null;
  min_seq: number | null;
  max_seq: number | null;
  head_hash: string | null;
  flag: ChainFlag | null;
}

export interface ChainReply {
  status: ChainStatus;
  verifiedSeq: number | null;
  firstSeq: number | null;
}

export type ConsentOutcome = 'stored' | 'same' | ChainFlag;

interface Link {
  seq: number;
  prevHash: string;
  hash: string;
}

export function chainReply(row: ChainRow | null): ChainReply {
  if (!row || row.first_seq === null) return { status: 'ok', verifiedSeq: null, firstSeq: null };
  const gap = (row.max_seq ?? 0) > (row.verified_seq ?? 0) || (row.min_seq ?? 0) < row.first_seq;
  return { status: row.flag ?? (gap ? 'gap' : 'ok'), verifiedSeq: row.verified_seq, firstSeq: row.first_seq };
}

/** Locks the install's chain row for this transaction (concurrent requests of one install queue here). */
export async function lockChain(q: Queryable, installId: string): Promise<ChainRow> {
  await q.query('INSERT INTO chains (install_id) VALUES ($1) ON CONFLICT (install_id) DO NOTHING', [installId]);
  const [row] = await q.query<ChainRow>(
    'SELECT first_seq, verified_seq, min_seq, max_seq, head_hash, flag FROM chains WHERE install_id = $1 FOR UPDATE',
    [installId],
  );
  return row as ChainRow;
}

/**
 * Applies new consent records of one install inside the caller's transaction (after lockChain).
 * Returns each record's outcome, the chain row after it, and whether verifiedSeq advanced.
 */
export async function applyConsent(
  q: Queryable,
  installId: string,
  team: string,
  chain: ChainRow,
  incoming: readonly IncomingConsent[],
): Promise<{ outcomes: ConsentOutcome[]; chain: ChainRow; advanced: boolean }> {
  const outcomes: ConsentOutcome[] = new Array(incoming.length);
  const witnessedHead = chain.verified_seq;
  const seqs = [...new Set(incoming.map((r) => r.seq))];
  const stored = new Map<number, Link>();
  if (seqs.length) {
    const rows = await q.query<{ seq: number; prev_hash: string; hash: string }>(
      'SELECT seq, prev_hash, hash FROM consent_records WHERE install_id = $1 AND seq = ANY($2::int[])',
      [installId, seqs],
    );
    for (const r of rows) stored.set(r.seq, { seq: r.seq, prevHash: r.prev_hash, hash: r.hash });
  }

  const order = incoming.map((_, i) => i).sort((a, b) => incoming[a]!.seq - incoming[b]!.seq);
  const inserts: IncomingConsent[] = [];
  const conflicts: { r: IncomingConsent; kind: ChainFlag; storedHash: string | null }[] = [];
  const next: ChainRow = { ...chain };
  const flag = (kind: ChainFlag) => {
    next.flag = kind;
  };

  for (const i of order) {
    const r = incoming[i]!;
    const existing = stored.get(r.seq);
    if (existing) {
      if (existing.hash === r.hash && existing.prevHash === r.prevHash) outcomes[i] = 'same';
      else {
        const kind: ChainFlag = witnessedHead !== null && r.seq <= witnessedHead ? 'rollback' : 'fork';
        conflicts.push({ r, kind, storedHash: existing.hash });
        outcomes[i] = kind;
        flag(kind);
      }
      continue;
    }
    stored.set(r.seq, { seq: r.seq, prevHash: r.prevHash, hash: r.hash });
    inserts.push(r);
    outcomes[i] = 'stored';
    next.min_seq = next.min_seq === null ? r.seq : Math.min(next.min_seq, r.seq);
    next.max_seq = next.max_seq === null ? r.seq : Math.max(next.max_seq, r.seq);
  }

  if (inserts.length) {
    await q.query(
      `INSERT INTO consent_records (install_id, seq, prev_hash, hash, entry, team, at, type, category, rule)
       SELECT $1, s, p, h, e::jsonb, $2, a::timestamptz, t, c, ru
       FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[]) AS x(s, p, h, e, a, t, c, ru)`,
      [
        installId,
        team,
        inserts.map((r) => r.seq),
        inserts.map((r) => r.prevHash),
        inserts.map((r) => r.hash),
        inserts.map((r) => JSON.stringify(r.entry)),
        inserts.map((r) => r.entry.at),
        inserts.map((r) => r.entry.type),
        inserts.map((r) => (isConsent(r.entry) ? r.entry.category : null)),
        inserts.map((r) => (isConsent(r.entry) ? r.entry.rule : null)),
      ],
    );
    await addToRollup(q, team, inserts.map((r) => r.entry).filter(isConsent));
  }

  // --- Grow the verified range through what is now stored (never past a break).
  const before = chain.verified_seq;
  const broken = (r: Link, storedHash: string | null) => {
    const original = incoming.find((x) => x.seq === r.seq && x.hash === r.hash);
    if (original) {
      conflicts.push({ r: original, kind: 'broken', storedHash });
      outcomes[incoming.indexOf(original)] = 'broken';
    }
    flag('broken');
  };
  const isBroken = () => next.flag === 'broken';
  if (!isBroken() && next.min_seq !== null) {
    if (next.first_seq === null) {
      const first = stored.get(Math.min(...inserts.map((r) => r.seq)))!;
      if (first.seq === 1 && first.prevHash !== GENESIS_HASH) broken(first, GENESIS_HASH);
      else {
        next.first_seq = first.seq;
        next.verified_seq = first.seq;
        next.head_hash = first.hash;
      }
    }
    if (!isBroken() && next.first_seq !== null) {
      const load = async (from: number, to: number) => {
        const rows = await q.query<{ seq: number; prev_hash: string; hash: string }>(
          'SELECT seq, prev_hash, hash FROM consent_records WHERE install_id = $1 AND seq BETWEEN $2 AND $3',
          [installId, from, to],
        );
        for (const r of rows) stored.set(r.seq, { seq: r.seq, prevHash: r.prev_hash, hash: r.hash });
      };
      // Forward.
      while ((next.max_seq ?? 0) > next.verified_seq!) {
        const want = next.verified_seq! + 1;
        if (!stored.has(want)) await load(want, want + 999);
        const r = stored.get(want);
        if (!r) break;
        if (r.prevHash !== next.head_hash) {
          broken(r, next.head_hash);
          break;
        }
        next.verified_seq = r.seq;
        next.head_hash = r.hash;
      }
      // Backward.
      while (!isBroken() && next.min_seq! < next.first_seq!) {
        const want = next.first_seq! - 1;
        if (!stored.has(want) || !stored.has(next.first_seq!)) await load(Math.max(1, want - 999), next.first_seq!);
        const r = stored.get(want);
        const first = stored.get(next.first_seq!)!;
        if (!r) break;
        if (r.hash !== first.prevHash || (r.seq === 1 && r.prevHash !== GENESIS_HASH)) {
          broken(r, first.prevHash);
          break;
        }
        next.first_seq = r.seq;
      }
    }
  }

  for (const c of conflicts) {
    await q.query(
      `INSERT INTO chain_conflicts (install_id, seq, kind, prev_hash, hash, stored_hash, entry, body_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::uuid)`,
      [installId, c.r.seq, c.kind, c.r.prevHash, c.r.hash, c.storedHash, JSON.stringify(c.r.entry), c.r.bodyId],
    );
  }
  const flagged = next.flag !== chain.flag || conflicts.length > 0;
  const firstFlag = conflicts[0];
  await q.query(
    `UPDATE chains SET first_seq = $2, verified_seq = $3, min_seq = $4, max_seq = $5, head_hash = $6, flag = $7,
       flag_seq = CASE WHEN $8::boolean THEN $9::int ELSE flag_seq END,
       flag_reason = CASE WHEN $8::boolean THEN $10 ELSE flag_reason END,
       flagged_at = CASE WHEN $8::boolean THEN now() ELSE flagged_at END, updated_at = now()
     WHERE install_id = $1`,
    [
      installId, next.first_seq, next.verified_seq, next.min_seq, next.max_seq, next.head_hash, next.flag,
      flagged, firstFlag?.r.seq ?? null, firstFlag ? reasonFor(firstFlag.kind, firstFlag.r.seq) : null,
    ],
  );
  return { outcomes, chain: next, advanced: next.verified_seq !== before };
}

export function reasonFor(kind: ChainFlag, seq: number): string {
  switch (kind) {
    case 'broken':
      return `entry ${seq} does not link to the entry before it (an entry was inserted, deleted or changed)`;
    case 'fork':
      return `two different entries were received for seq ${seq}`;
    case 'rollback':
      return `a different entry was received for seq ${seq}, at or below the head the service had already witnessed (the ledger was rolled back or rewritten)`;
  }
}

/** Adds the entries to the consent_daily rollup; keys in a fixed order so concurrent requests cannot deadlock. */
async function addToRollup(q: Queryable, team: string, entries: readonly LedgerEntry[]): Promise<void> {
  const counts = new Map<string, number>();
  for (const e of entries) {
    const key = JSON.stringify([e.at.slice(0, 10), e.type, e.category ?? '', e.rule ?? '']);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const keys = [...counts.keys()].sort();
  const rows = keys.map((k) => JSON.parse(k) as [string, string, string, string]);
  await q.query(
    `INSERT INTO consent_daily (day, team, type, category, rule, n)
     SELECT d::date, $1, t, c, r, n FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[]) AS x(d, t, c, r, n)
     ON CONFLICT (day, team, type, category, rule) DO UPDATE SET n = consent_daily.n + EXCLUDED.n`,
    [team, rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3]), keys.map((k) => counts.get(k)!)],
  );
}
