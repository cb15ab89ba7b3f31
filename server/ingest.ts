import { z } from 'zod';
import { entryHash } from '../lib/ledger/chain';
import { sha256Hex } from '../lib/util/hash';
import type { Checkpoint } from '../lib/ledger/checkpoint';
import { syncBodySchema, type SyncBody } from '../lib/sync/payload';
import { applyConsent, chainReply, lockChain, type ChainReply, type IncomingConsent } from './chain/assemble';
import type { Service } from './context';
import { applySummaryToRollups, type SummaryRow } from './rollups';
import type { Queryable } from './store/db';

/**
 * Ingest: docs/sync.md's bodies, validated with the extension's own zod schema
 * (lib/sync/payload.ts), stored once per envelope id, in one transaction per request.
 */

export interface Install {
  installId: string;
  team: string;
}

export type ItemResult =
  | { id: string | null; stored: boolean; duplicate: boolean }
  | { id: string | null; error: string; code: string; status: 400 | 403 | 409 };

export interface IngestResult {
  results: ItemResult[];
  chain: ChainReply | null;
  checkpoint: Checkpoint | null;
}

const idOf = (raw: unknown): string | null => {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id.slice(0, 64) : null;
};

/** The first few problems of a refused body, as one sentence. */
export function describeInvalid(error: z.ZodError): string {
  const parts = error.issues.slice(0, 3).map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
  return `This record is not a valid candor-sync/1 body (${parts.join('; ')}).`;
}

type Checked = { ok: true; body: SyncBody; bodyHash: string } | { ok: false; result: ItemResult };

async function check(raw: unknown, install: Install | null): Promise<Checked> {
  const id = idOf(raw);
  const fail = (status: 400 | 403, code: string, error: string): Checked => ({ ok: false, result: { id, error, code, status } });
  const parsed = syncBodySchema.safeParse(raw);
  if (!parsed.success) return fail(400, 'invalid', describeInvalid(parsed.error));
  const body = parsed.data;
  if (install) {
    if (body.rep === null) return fail(400, 'anonymous-here', 'Send anonymous concerns to /api/v1/concerns/anonymous.');
    if (body.rep !== install.installId) return fail(403, 'wrong-rep', 'This record names another rep than the install this token belongs to.');
  } else if (body.kind !== 'concern' || body.rep !== null || !body.record.anonymous) {
    return fail(400, 'not-anonymous', 'Only anonymous concerns (rep null, anonymous true) can be sent with the anonymous key.');
  }
  if (body.kind === 'consent') {
    const { prevHash, hash, entry } = body.record;
    if (entryHash(prevHash, entry) !== hash) {
      return fail(400, 'hash-mismatch', 'This consent record\'s hash does not match its entry and prevHash (docs/ledger.md).');
    }
  }
  return { ok: true, body, bodyHash: sha256Hex(JSON.stringify(body)) };
}

/**
 * Stores the bodies of one install (or anonymous concerns when install is null) in one transaction.
 * Each item is idempotent by its envelope id: same id and body again is a duplicate, same id
 * with another body is refused (409).
 */
export async function ingest(service: Service, install: Install | null, raws: readonly unknown[]): Promise<IngestResult> {
  const checked = await Promise.all(raws.map((raw) => check(raw, install)));
  const results: ItemResult[] = checked.map((c) => (c.ok ? { id: c.body.id, stored: false, duplicate: false } : c.result));
  const valid = checked.flatMap((c, i) => (c.ok ? [{ i, body: c.body, bodyHash: c.bodyHash }] : []));
  const hasConsent = valid.some((v) => v.body.kind === 'consent');

  return service.db.tx(async (q) => {
    let chain = install ? await lockChain(q, install.installId) : null;
    // Idempotency: ids seen before, and repeats inside this request.
    const known = new Map<string, string>();
    if (valid.length) {
      const rows = await q.query<{ id: string; body_hash: string }>('SELECT id, body_hash FROM ingested WHERE id = ANY($1::uuid[])', [
        valid.map((v) => v.body.id),
      ]);
      for (const r of rows) known.set(r.id, r.body_hash);
    }
    const fresh: typeof valid = [];
    for (const v of valid) {
      const previous = known.get(v.body.id);
      if (previous === undefined) {
        known.set(v.body.id, v.bodyHash);
        fresh.push(v);
      } else if (previous === v.bodyHash) results[v.i] = { id: v.body.id, stored: false, duplicate: true };
      else results[v.i] = { id: v.body.id, error: 'A different record was already stored under this id.', code: 'conflict', status: 409 };
    }
    if (fresh.length) {
      await q.query(
        `INSERT INTO ingested (id, install_id, kind, body_hash) SELECT i, $1, k, h FROM unnest($2::uuid[], $3::text[], $4::text[]) AS x(i, k, h)`,
        [install?.installId ?? null, fresh.map((v) => v.body.id), fresh.map((v) => v.body.kind), fresh.map((v) => v.bodyHash)],
      );
    }

    const consent: IncomingConsent[] = [];
    const consentIndex: number[] = [];
    for (const { i, body } of fresh) {
      if (body.kind === 'consent') {
        consent.push({ bodyId: body.id, ...body.record });
        consentIndex.push(i);
      } else {
        await storeOther(q, install, body);
        results[i] = { id: body.id, stored: true, duplicate: false };
      }
    }

    let checkpoint: Checkpoint | null = null;
    if (install && chain) {
      if (consent.length) {
        const applied = await applyConsent(q, install.installId, install.team, chain, consent);
        chain = applied.chain;
        applied.outcomes.forEach((outcome, k) => {
          // A record that does not link is still stored (and flagged); a conflicting one is only kept aside.
          const stored = outcome === 'stored' || outcome === 'broken';
          results[consentIndex[k]!] = { id: consent[k]!.bodyId, stored, duplicate: outcome === 'same' };
        });
        if (applied.advanced && chain.verified_seq !== null && chain.head_hash !== null) {
          const started = performance.now();
          checkpoint = service.witness.sign(install.installId, chain.verified_seq, chain.head_hash);
          await q.query(
            'INSERT INTO checkpoints (install_id, seq, hash, at, key_id, signature) VALUES ($1, $2, $3, $4::timestamptz, $5, $6)',
            [checkpoint.rep, checkpoint.seq, checkpoint.hash, checkpoint.at, checkpoint.keyId, checkpoint.signature],
          );
          const ms = performance.now() - started;
          if (service.witnessMs.length < 100_000) service.witnessMs.push(ms);
        }
      }
      if (hasConsent && !checkpoint && chain.verified_seq !== null) checkpoint = await latestCheckpoint(q, install.installId);
      await q.query('UPDATE installs SET last_seen_at = now() WHERE install_id = $1', [install.installId]);
    }
    return { results, chain: install && chain ? chainReply(chain) : null, checkpoint };
  });
}

export async function latestCheckpoint(q: Queryable, installId: string): Promise<Checkpoint | null> {
  const [row] = await q.query<{ seq: number; hash: string; at: Date; key_id: string; signature: string }>(
    'SELECT seq, hash, at, key_id, signature FROM checkpoints WHERE install_id = $1 ORDER BY id DESC LIMIT 1',
    [installId],
  );
  if (!row) return null;
  return { format: 'candor-checkpoint/1', rep: installId, seq: row.seq, hash: row.hash, at: new Date(row.at).toISOString(), keyId: row.key_id, signature: row.signature };
}

async function storeOther(q: Queryable, install: Install | null, body: Exclude<SyncBody, { kind: 'consent' }>): Promise<void> {
  const installId = install?.installId ?? null;
  const team = install?.team ?? null;
  switch (body.kind) {
    case 'purge-receipt': {
      const r = body.record;
      await q.query(
        `INSERT INTO purge_receipts (id, install_id, team, at, kind, count, oldest, newest)
         VALUES ($1, $2, $3, $4::timestamptz, $5, $6, $7::timestamptz, $8::timestamptz) ON CONFLICT (id) DO NOTHING`,
        [r.id, installId, team, r.at, r.kind, r.count, r.oldest, r.newest],
      );
      return;
    }
    case 'access-log': {
      const r = body.record;
      await q.query(
        `INSERT INTO access_log (id, install_id, team, at, purpose, action, call_count, approver, reference)
         VALUES ($1, $2, $3, $4::timestamptz, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
        [r.id, installId, team, r.at, r.purpose, r.action, r.callCount, r.approval?.approver ?? null, r.approval?.reference ?? null],
      );
      return;
    }
    case 'concern': {
      const r = body.record;
      // The latest updatedAt wins; a concern id belongs to whoever sent it first.
      await q.query(
        `INSERT INTO concerns (id, install_id, team, anonymous, category, text, rep_status, call_id, statement_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::uuid, $9, $10::timestamptz, $11::timestamptz)
         ON CONFLICT (id) DO UPDATE SET category = EXCLUDED.category, text = EXCLUDED.text, rep_status = EXCLUDED.rep_status,
           updated_at = EXCLUDED.updated_at
         WHERE concerns.updated_at < EXCLUDED.updated_at AND concerns.install_id IS NOT DISTINCT FROM EXCLUDED.install_id`,
        [r.id, installId, team, r.anonymous, r.category, r.text, r.status, r.callId ?? null, r.statementId ?? null, r.createdAt, r.updatedAt],
      );
      return;
    }
    case 'call-summary': {
      const r = body.record;
      // Serialized per install by the chain lock; the rollups move from the old copy to the new one.
      const [old] = await q.query<SummaryRow>(
        `SELECT team, ended_at, updated_at, checklist, checklist_ms, human_nuance, ai_statements, ai_marked, ai_wrong
         FROM call_summaries WHERE install_id = $1 AND call_id = $2::uuid FOR UPDATE`,
        [installId, r.callId],
      );
      if (old && new Date(old.updated_at).getTime() >= Date.parse(r.updatedAt)) return;
      await q.query(
        `INSERT INTO call_summaries (install_id, call_id, team, platform, ended_at, category, checklist, checklist_ms, human_nuance,
           ai_statements, ai_marked, ai_wrong, updated_at)
         VALUES ($1, $2::uuid, $3, $4, $5::timestamptz, $6, $7, $8, $9, $10, $11, $12, $13::timestamptz)
         ON CONFLICT (install_id, call_id) DO UPDATE SET platform = EXCLUDED.platform, ended_at = EXCLUDED.ended_at,
           category = EXCLUDED.category, checklist = EXCLUDED.checklist, checklist_ms = EXCLUDED.checklist_ms,
           human_nuance = EXCLUDED.human_nuance, ai_statements = EXCLUDED.ai_statements, ai_marked = EXCLUDED.ai_marked,
           ai_wrong = EXCLUDED.ai_wrong, updated_at = EXCLUDED.updated_at`,
        [installId, r.callId, team, r.platform, r.endedAt, r.category, r.checklist, r.checklistMsToComplete, r.humanNuanceFilled,
          r.aiStatements, r.aiMarked, r.aiWrong, r.updatedAt],
      );
      if (old) await applySummaryToRollups(q, old, -1);
      await applySummaryToRollups(q, {
        team: team!, ended_at: r.endedAt, updated_at: r.updatedAt, checklist: r.checklist, checklist_ms: r.checklistMsToComplete,
        human_nuance: r.humanNuanceFilled, ai_statements: r.aiStatements, ai_marked: r.aiMarked, ai_wrong: r.aiWrong,
      }, 1);
      return;
    }
  }
}
