import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PURGE_CHUNK, retentionTargets, runRetention } from '../../lib/background/retention';
import { LEDGER_CHECKPOINT_KEY } from '../../lib/db/ledger-store';
import type { Services } from '../../lib/background/services';
import { CandorDB } from '../../lib/db';
import { defaultPolicy } from '../../lib/policy/defaults';
import { resolvePolicy } from '../../lib/policy/resolve';
import type { RetentionKind } from '../../lib/model';

const DAY = 24 * 3_600_000;
const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
let db: CandorDB;
let s: Services;

beforeEach(() => {
  db = new CandorDB(`retention-${crypto.randomUUID()}`);
  // A controlled clock: "now" is fixed, rows are placed relative to it.
  s = { db, now: () => NOW, policy: async () => resolvePolicy(undefined, undefined), uiLanguage: () => 'en' };
});
afterEach(async () => {
  await db.delete();
});

/** One row of the given kind whose retention clock reads `at`. */
async function seed(kind: RetentionKind, id: string, at: number) {
  const callId = crypto.randomUUID();
  switch (kind) {
    case 'consent':
      return db.events.add({ id, callId, type: 'decision', at, data: { outcome: 'agreed' } });
    case 'calls':
      return db.calls.add({ id, platform: 'meet', meetingHash: 'a'.repeat(64), status: 'ended', tabIds: [], detectedAt: at, detectedBy: [], updatedAt: at });
    case 'notes':
      return db.notes.add({ callId: id, text: 'n', author: 'rep', createdAt: at, updatedAt: at });
    case 'tags':
      return db.tags.add({ id, callId, tag: 'risk', offsetMs: 0, at });
    case 'checklists':
      return db.checklists.add({ callId: id, status: 'done', fields: { qualification: '', nextSteps: [], timeline: '', risks: '', competition: '', humanNuance: '', powerDynamics: '', hesitation: '', emotion: '', urgency: '', subtleObjections: '' }, pendingSince: at, updatedAt: at });
    case 'aiDrafts':
      return db.aiDrafts.add({ callId: id, source: 'Otter', statements: [], createdAt: at, updatedAt: at });
    case 'concerns':
      return db.concerns.add({ id, category: 'privacy-concern', text: 'c', anonymous: true, status: 'open', createdAt: at, updatedAt: at });
    case 'accessLog':
      return db.accessLog.add({ id, at, purpose: 'coaching', action: 'calls-csv', callCount: 1 });
  }
}

describe('retention purge (controlled clock)', () => {
  it.each(retentionTargets.map((t) => t.kind))('%s: purges only rows past the limit, keeps the boundary and everything newer', async (kind) => {
    const days = defaultPolicy.retentionDays[kind];
    const cutoff = NOW - days * DAY;
    await seed(kind, 'expired-old', cutoff - 30 * DAY);
    await seed(kind, 'expired-just', cutoff - 1);
    await seed(kind, 'boundary', cutoff); // exactly at the limit: still inside retention
    await seed(kind, 'fresh', NOW - DAY);

    const receipts = await runRetention(s);
    const table = retentionTargets.find((t) => t.kind === kind)!.table(db);
    const left = (await table.toArray()).map((r) => (r.id ?? r.callId) as string).sort();
    expect(left).toEqual(['boundary', 'fresh']);
    expect(receipts).toEqual([expect.objectContaining({ kind, count: 2, oldest: cutoff - 30 * DAY, newest: cutoff - 1, at: NOW })]);
    expect(await db.purgeReceipts.toArray()).toHaveLength(1);
  });

  it('purges nothing and writes no receipt when every row is inside its retention', async () => {
    for (const { kind } of retentionTargets) await seed(kind, `keep-${kind}`, NOW - 10 * DAY);
    expect(await runRetention(s)).toEqual([]);
    for (const { kind, table } of retentionTargets) expect(await table(db).count(), kind).toBe(1);
  });

  it('follows the policy: a shorter notes retention purges more', async () => {
    s.policy = async () => resolvePolicy(undefined, { retentionDays: { ...defaultPolicy.retentionDays, notes: 7 } });
    await seed('notes', 'eight-days', NOW - 8 * DAY);
    await seed('notes', 'six-days', NOW - 6 * DAY);
    await runRetention(s);
    expect((await db.notes.toArray()).map((n) => n.callId)).toEqual(['six-days']);
  });

  it('purges in chunks larger sets completely', async () => {
    const rows = Array.from({ length: PURGE_CHUNK * 2 + 7 }, (_, i) => ({ id: `t${i}`, callId: 'c', tag: 'risk', offsetMs: 0, at: NOW - 400 * DAY - i }));
    await db.tags.bulkAdd(rows);
    const [receipt] = await runRetention(s);
    expect(receipt).toMatchObject({ kind: 'tags', count: rows.length });
    expect(await db.tags.count()).toBe(0);
  });

  it('purges the consent ledger as a prefix and keeps a checkpoint of the last purged entry', async () => {
    const cutoff = NOW - defaultPolicy.retentionDays.consent * DAY;
    const hash = (n: number) => n.toString(16).padStart(64, '0');
    await db.ledger.bulkAdd([
      { seq: 1, at: cutoff - 10, prevHash: hash(0), hash: hash(1), entry: {} },
      { seq: 2, at: cutoff - 5, prevHash: hash(1), hash: hash(2), entry: {} },
      { seq: 3, at: cutoff + 5, prevHash: hash(2), hash: hash(3), entry: {} },
      // Appended late but older: purging stops at seq 3, so the chain stays a contiguous suffix.
      { seq: 4, at: cutoff - 1, prevHash: hash(3), hash: hash(4), entry: {} },
    ]);
    await runRetention(s);
    expect((await db.ledger.toArray()).map((r) => r.seq)).toEqual([3, 4]);
    expect((await db.meta.get(LEDGER_CHECKPOINT_KEY))?.value).toEqual({ seq: 2, hash: hash(2) });
  });
});
