import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteAllData, deleteCallData, deleteTag } from '../../lib/background/deletion';
import type { Services } from '../../lib/background/services';
import { CandorDB } from '../../lib/db';
import { defaultPolicy } from '../../lib/policy/defaults';
import { deletionPlan, REP_TABLES } from '../../lib/policy/deletion';
import { resolvePolicy } from '../../lib/policy/resolve';

/*
 * Issue 20, item 7: deleting follows the policy. The rep's own words go; consent records stay for
 * their retention unless the policy allows deleting them.
 */

let db: CandorDB;
let s: Services;
let allow: boolean;
beforeEach(() => {
  db = new CandorDB(`test-${crypto.randomUUID()}`);
  allow = false;
  s = { db, now: () => Date.now(), policy: async () => resolvePolicy(undefined, { allowDeletingConsentRecords: allow }), uiLanguage: () => 'en-US' };
});
afterEach(async () => {
  await db.delete();
});

describe('the deletion plan', () => {
  it('under the default policy: the rep’s words go, the consent records are kept for their retention', () => {
    const plan = deletionPlan(defaultPolicy);
    expect(plan.everything).toBe(false);
    expect(plan.deletes).toEqual(REP_TABLES);
    expect(plan.keeps).toEqual([
      { kind: 'calls', tables: ['calls'], days: 365 },
      { kind: 'consent', tables: ['events', 'ledger', 'ledgerBlocks', 'witnessCheckpoints'], days: 1095 },
      { kind: 'accessLog', tables: ['accessLog'], days: 1095 },
      { kind: 'purgeReceipts', tables: ['purgeReceipts'], days: null },
    ]);
  });

  it('the kept days follow the policy’s retention', () => {
    const plan = deletionPlan({ ...defaultPolicy, retentionDays: { ...defaultPolicy.retentionDays, consent: 2000 } });
    expect(plan.keeps.find((k) => k.kind === 'consent')?.days).toBe(2000);
  });

  it('a policy that allows deleting consent records: everything goes, nothing is kept', () => {
    expect(deletionPlan({ ...defaultPolicy, allowDeletingConsentRecords: true })).toEqual({ everything: true, deletes: REP_TABLES, keeps: [] });
  });

  it('every table of the database is decided: deleted, kept, or bookkeeping handled on its own', () => {
    const plan = deletionPlan(defaultPolicy);
    // outbox and meta: deleteAllData handles them (unsent concerns, the meeting salt); auditDays and
    // auditDirty: the audit cache, marked dirty by its middleware whenever a source table is cleared;
    // org: the enrollment with the organisation service, which deleting the rep's data leaves alone.
    const decided = new Set<string>([...plan.deletes, ...plan.keeps.flatMap((k) => k.tables), 'outbox', 'meta', 'auditDays', 'auditDirty', 'org']);
    expect(db.tables.map((t) => t.name).filter((name) => !decided.has(name))).toEqual([]);
    for (const name of decided) expect(db.tables.map((t) => t.name)).toContain(name);
  });
});

async function seed() {
  const callId = crypto.randomUUID();
  const at = Date.now();
  await db.calls.put({ id: callId, platform: 'meet', meetingHash: 'a'.repeat(64), status: 'ended', tabIds: [], detectedAt: at, detectedBy: [], updatedAt: at } as never);
  await db.notes.put({ callId, text: 'CFO owns the budget.', author: 'rep', createdAt: at, updatedAt: at } as never);
  const tagId = crypto.randomUUID();
  await db.tags.put({ id: tagId, callId, tag: 'objection', offsetMs: 0, at } as never);
  await db.accessLog.put({ id: crypto.randomUUID(), at, what: 'calls-csv', purpose: 'coaching', rows: 1 } as never);
  return { callId, tagId };
}

describe('deleting in the database', () => {
  it('"Delete all data" under the default policy keeps the calls and the access log, and counts them', async () => {
    const { callId } = await seed();
    const result = await deleteAllData(s);
    expect(result).toEqual({ deleted: 2, kept: 2 });
    expect(await db.notes.count()).toBe(0);
    expect(await db.tags.count()).toBe(0);
    expect((await db.calls.get(callId))?.id).toBe(callId);
    expect(await db.accessLog.count()).toBe(1);
  });

  it('"Delete all data" when the policy allows it deletes every table', async () => {
    await seed();
    allow = true;
    const result = await deleteAllData(s);
    expect(result.kept).toBe(0);
    expect(result.deleted).toBeGreaterThanOrEqual(4);
    for (const table of db.tables) expect(await table.count(), table.name).toBe(0);
  });

  it('one call’s note, its tags, or one tag; deleting what is gone is no error', async () => {
    const { callId, tagId } = await seed();
    expect(await deleteTag(s, { type: 'tag/delete', id: tagId })).toEqual({ deleted: 1 });
    expect(await deleteTag(s, { type: 'tag/delete', id: tagId })).toEqual({ deleted: 0 });
    expect(await deleteCallData(s, { type: 'call-data/delete', callId, what: 'notes' })).toEqual({ deleted: 1 });
    expect(await deleteCallData(s, { type: 'call-data/delete', callId, what: 'notes' })).toEqual({ deleted: 0 });
    expect(await db.calls.count()).toBe(1);
  });
});
