// @vitest-environment node
/**
 * Imports never rewrite history (docs/ledger.md, "Imports"). Over a real CandorDB with a real
 * ledger written by the background's writer: a backup restores into an empty profile or extends the
 * chain exactly; every other case is refused with a sentence saying why, nothing of the file is
 * written, and the refusal is an access-log row. An accepted import appends a `backup-imported`
 * entry (the file's SHA-256, the entries added) and an access-log row. Checkpoints are signed with a
 * real Ed25519 key, as the organisation's witness signs them.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { backupJson } from '../../lib/background/exports';
import { createLedgerWriter, repId, verifyLedger } from '../../lib/background/ledger';
import { routeMessage } from '../../lib/background/router';
import type { SenderInfo, Services } from '../../lib/background/services';
import { storeCheckpoint } from '../../lib/background/witness';
import { CandorDB } from '../../lib/db';
import { allLedgerRecords } from '../../lib/db/ledger-store';
import { appendRecord, type ChainRecord } from '../../lib/ledger/chain';
import { signCheckpoint, toBase64url, witnessKeyId } from '../../lib/ledger/checkpoint';
import type { ChainEntry, LedgerEntry } from '../../lib/ledger/entry';
import { planLedgerImport } from '../../lib/ledger/import-rules';
import { resolvePolicy } from '../../lib/policy/resolve';
import type { ImportPlan, Replies } from '../../lib/protocol/replies';
import type { CallEvent, LedgerRecord, OrgEnrollmentRecord } from '../../lib/model';

const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const CALL_ID = '11111111-2222-4333-8444-555555555555';
const popup: SenderInfo = { url: 'chrome-extension://test-extension-id/options.html', extensionPage: true };

let db: CandorDB;
let s: Services;
let now: number;
const opened: CandorDB[] = [];

const services = (database: CandorDB): Services => ({ db: database, now: () => now, policy: async () => resolvePolicy(undefined, undefined), uiLanguage: () => 'en-US' });
function fresh(): Services {
  const d = new CandorDB(`import-${crypto.randomUUID()}`);
  opened.push(d);
  return services(d);
}

beforeEach(async () => {
  vi.spyOn(fakeBrowser.runtime, 'getManifest').mockReturnValue({ manifest_version: 3, name: 'Candor', version: '1.4.0' });
  now = T0;
  s = fresh();
  db = s.db;
  await db.calls.add({ id: CALL_ID, platform: 'meet', meetingHash: 'ef'.repeat(32), status: 'ended', tabIds: [], detectedAt: T0, admittedAt: T0, endedAt: T0 + 60_000, detectedBy: ['meet-participant-tile'], updatedAt: T0 });
});
afterEach(async () => {
  vi.restoreAllMocks();
  for (const d of opened.splice(0)) await d.delete();
});

/** `n` consent events (asked, then a decision) appended by the real writer. */
async function consent(into: Services, n: number, outcome = 'declined') {
  const events: CallEvent[] = Array.from({ length: n }, (_, i) => ({
    id: crypto.randomUUID(), callId: CALL_ID, type: i % 2 ? 'decision' : 'prompt-shown', at: now + i, data: i % 2 ? { outcome } : {}, chain: 0,
  }));
  now += n;
  await into.db.events.bulkAdd(events);
  await createLedgerWriter(into).flush();
}
type Backup = { format: string; tables: Record<string, Record<string, unknown>[]> };
const backupOf = async (from: Services): Promise<Backup> => JSON.parse(await backupJson(from)) as Backup;
type ImportReply = { ok: true; data: Replies['data/import'] } | { ok: false; error: string; detail?: string };
const importing = async (into: Services, backup: Backup | string, dryRun?: boolean): Promise<ImportReply> =>
  (await routeMessage(into, { type: 'data/import', text: typeof backup === 'string' ? backup : JSON.stringify(backup), ...(dryRun ? { dryRun } : {}) }, popup)) as ImportReply;
const dump = async (d: CandorDB) => Object.fromEntries(await Promise.all(d.tables.map(async (t) => [t.name, await t.toArray()] as const)));

async function expectRefused(into: Services, backup: Backup | string, reason: RegExp) {
  const before = await dump(into.db);
  const reply = await importing(into, backup);
  if (reply.ok) throw new Error('expected a refusal');
  // The sentence, then the technical part (Details) when there is one.
  expect(reply.detail ? `${reply.error} ${reply.detail}` : reply.error).toMatch(reason);
  expect(reply.error).toMatch(/Nothing was imported\.$/);
  // Nothing of the file; one access-log row saying what was refused and why.
  const { accessLog, ...after } = await dump(into.db);
  const { accessLog: logBefore, ...rest } = before;
  expect(after).toEqual(rest);
  const known = new Set(logBefore!.map((r) => (r as { id: string }).id));
  expect(accessLog!.filter((r) => !known.has((r as { id: string }).id))).toEqual([expect.objectContaining({ purpose: 'record-keeping', action: 'import', refused: reply.error, fileHash: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
  return reply.error;
}

/** A chain re-written from seq `from` on with every later hash recomputed: it verifies on its own. */
async function rechain(records: readonly Record<string, unknown>[], from: number, change: (e: LedgerEntry) => LedgerEntry): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let prev: { seq: number; hash: string } | null = null;
  for (const r of records as unknown as LedgerRecord[]) {
    if (r.seq < from) {
      out.push(r as unknown as Record<string, unknown>);
      prev = { seq: r.seq, hash: r.hash };
      continue;
    }
    const entry = (r.seq === from ? change(r.entry as LedgerEntry) : r.entry) as ChainEntry;
    const again: ChainRecord<ChainEntry> = await appendRecord(prev, entry);
    out.push({ ...again, at: r.at });
    prev = again;
  }
  return out;
}

describe('an accepted import', () => {
  it('restores into an empty profile: the same chain, then the entry recording the import; the confirmation says so first', async () => {
    await consent(s, 6);
    const backup = await backupOf(s);
    const target = fresh();
    const dry = await importing(target, backup, true);
    if (!dry.ok) throw new Error(dry.error);
    const plan: ImportPlan = dry.data.plan;
    expect(dry.data.done).toBe(false);
    expect(plan).toMatchObject({ mode: 'restore', ledger: { added: 6, firstSeq: 1, lastSeq: 6 }, added: { calls: 1, events: 6 } });
    expect(await target.db.ledger.count()).toBe(0); // a dry run writes nothing

    const reply = await importing(target, backup);
    if (!reply.ok) throw new Error(reply.error);
    const restored = await allLedgerRecords(target.db);
    expect(restored.slice(0, 6).map((r) => r.hash)).toEqual(backup.tables.ledger!.map((r) => r.hash));
    expect(restored[6]!.entry).toEqual({
      v: 1, type: 'backup-imported', at: new Date(now).toISOString(), eventId: expect.any(String), rep: await repId(s), fileHash: plan.fileHash,
      mode: 'restore', entriesAdded: 6, firstSeq: 1, lastSeq: 6, policyVersion: 'default-1', extensionVersion: '1.4.0',
    });
    expect(await verifyLedger(target, { deep: true })).toMatchObject({ intact: true, count: 7 });
    expect(await target.db.accessLog.toArray()).toEqual([expect.objectContaining({ purpose: 'record-keeping', action: 'import', callCount: 1, fileHash: plan.fileHash })]);
    expect((await target.db.accessLog.toArray())[0]!.refused).toBeUndefined();
  });

  it('extends the current chain exactly: only the entries after this browser\'s last one are added; what is here stays as it is', async () => {
    await consent(s, 4);
    // The same profile as it was after 4 entries (a disk copy put back): a prefix of the chain.
    const rolledBack = fresh();
    for (const t of ['calls', 'events', 'meta'] as const) await rolledBack.db.table(t).bulkAdd(await db.table(t).toArray());
    await rolledBack.db.ledger.bulkAdd(await allLedgerRecords(db));
    await db.notes.add({ callId: CALL_ID, text: 'Written after the copy', author: 'rep', createdAt: now, updatedAt: now });
    await rolledBack.db.notes.add({ callId: CALL_ID, text: 'The copy\'s own note', author: 'rep', createdAt: now, updatedAt: now });
    await consent(s, 4, 'agreed');
    const later = await backupOf(s);

    const dry = await importing(rolledBack, later, true);
    if (!dry.ok) throw new Error(dry.error);
    expect(dry.data.plan).toMatchObject({ mode: 'extend', ledger: { added: 4, firstSeq: 5, lastSeq: 8 }, added: { events: 4, calls: 0, notes: 0 }, kept: { calls: 1, events: 4, notes: 1 } });
    const reply = await importing(rolledBack, later);
    if (!reply.ok) throw new Error(reply.error);
    const chain = await allLedgerRecords(rolledBack.db);
    expect(chain.slice(0, 8).map((r) => r.hash)).toEqual(later.tables.ledger!.map((r) => r.hash));
    expect(chain[8]!.entry).toMatchObject({ type: 'backup-imported', mode: 'extend', entriesAdded: 4, firstSeq: 5, lastSeq: 8 });
    expect(await verifyLedger(rolledBack, { deep: true })).toMatchObject({ intact: true, count: 9 });
    // Records already here are kept as they are, never replaced by the file's.
    expect((await rolledBack.db.notes.get(CALL_ID))!.text).toBe('The copy\'s own note');
    // The same file again is now shorter than this chain (the import is recorded in it): refused.
    await expectRefused(rolledBack, later, /^The backup's consent ledger ends at entry 8, before this browser's last entry 9: importing it would remove entries\./);
  });
});

describe('refused, with a sentence, and logged', () => {
  it('a broken chain (an entry changed, its hash not recomputed)', async () => {
    await consent(s, 4);
    const backup = await backupOf(s);
    (backup.tables.ledger![2]!.entry as { outcome: string }).outcome = 'agreed';
    await expectRefused(fresh(), backup, /^The backup's consent ledger is broken: a broken ledger is never imported\. Nothing was imported\. The backup's consent ledger is broken at entry #2 \(seq 3\): hash does not match the entry \(entry changed\)\.$/);
  });

  it('a different record at a seq this browser holds: a hand-edited backup with every later hash recomputed', async () => {
    await consent(s, 6);
    const backup = await backupOf(s);
    backup.tables.ledger = await rechain(backup.tables.ledger!, 4, (e) => ({ ...e, type: 'agreed', outcome: 'agreed' }));
    const error = await expectRefused(s, backup, /^Entry 4 of the backup's consent ledger differs from entry 4 in this browser: an import never changes recorded consent\./);
    expect(error).not.toMatch(/witness/);
    expect(await verifyLedger(s)).toMatchObject({ intact: true, count: 6 });
  });

  it('a shorter chain (it would remove entries), and one that starts after this one ends', async () => {
    await consent(s, 4);
    const short = await backupOf(s);
    await consent(s, 4);
    await expectRefused(s, short, /^The backup's consent ledger ends at entry 4, before this browser's last entry 8: importing it would remove entries\./);

    // A backup whose ledger was purged past this browser's end (its checkpoint at 10, this one ends at 8).
    const other = fresh();
    await other.db.calls.add((await db.calls.get(CALL_ID))!);
    await consent(other, 12);
    const ahead = await backupOf(other);
    ahead.tables.ledger = ahead.tables.ledger!.slice(10);
    ahead.tables.meta = [...ahead.tables.meta!.filter((m) => m.key !== 'repId'), { key: 'ledgerCheckpoint', value: { seq: 10, hash: ahead.tables.ledger[0]!.prevHash } }];
    ahead.tables.events = [];
    await expectRefused(s, ahead, /^The backup's consent ledger starts after entry 10, past this browser's last entry 8: the entries in between would be missing\./);
  });

  it('a rollback or rewrite that contradicts a checkpoint the organisation\'s witness signed, even into an empty profile', async () => {
    await consent(s, 6);
    const original = await backupOf(s);
    const target = fresh();
    const key = await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']) as CryptoKeyPair;
    const raw = new Uint8Array(await crypto.subtle.exportKey('raw', key.publicKey));
    const keyId = await witnessKeyId(raw);
    const rep = await repId(s);
    const enrollment: OrgEnrollmentRecord = {
      key: 'enrollment', service: 'https://candor.acme.example', token: 't'.repeat(43), installId: rep, team: 'default', anonymousKey: 'a'.repeat(43),
      witnessKeys: [{ keyId, algorithm: 'Ed25519', publicKey: toBase64url(raw), createdAt: new Date(T0).toISOString(), retiredAt: null }], limits: { maxBodyBytes: 1_048_576, maxRecordsPerMinute: 600 }, enrolledAt: T0,
    };
    const records = original.tables.ledger as unknown as LedgerRecord[];
    const cp = await signCheckpoint(key.privateKey, { rep, seq: 6, hash: records[5]!.hash, at: new Date(T0 + 1_000).toISOString(), keyId });
    expect(await storeCheckpoint(target, enrollment, cp)).toEqual({ stored: true });

    const rewritten = { ...original, tables: { ...original.tables, ledger: await rechain(original.tables.ledger!, 2, (e) => ({ ...e, outcome: 'agreed', type: 'agreed' })), events: [] } };
    await expectRefused(target, rewritten, /^This backup contradicts what the organisation service witnessed\. Nothing was imported\. entry seq 6 has hash [0-9a-f]{64}, but the checkpoint https:\/\/candor\.acme\.example signed on 2026-03-02 says [0-9a-f]{64} \(the chain was rewritten or rolled back\)\./);
    const rolledBack = { ...original, tables: { ...original.tables, ledger: original.tables.ledger!.slice(0, 4), events: [] } };
    await expectRefused(target, rolledBack, /^This backup contradicts what the organisation service witnessed\. Nothing was imported\. the chain ends at seq 4, before seq 6 that the checkpoint .* holds \(entries removed from the end\)\./);
    // The true backup agrees with the witness and is restored.
    const reply = await importing(target, original);
    if (!reply.ok) throw new Error(reply.error);
    expect(await verifyLedger(target)).toMatchObject({ intact: true, count: 7, witness: { checked: 1 } });
    // A checkpoint that does not verify is never stored.
    expect(await storeCheckpoint(target, enrollment, { ...cp, seq: 5 })).toMatchObject({ stored: false, error: expect.stringMatching(/does not verify \(signature does not match/) });
    expect(await storeCheckpoint(target, { ...enrollment, installId: 'rep-someone-else' }, cp)).toMatchObject({ stored: false, error: expect.stringMatching(/for another install/) });
  });

  it('consent events never added to the ledger (chain 0), dated in the past', async () => {
    await consent(s, 2);
    const backup = await backupOf(s);
    backup.tables.events!.push({ id: crypto.randomUUID(), callId: CALL_ID, type: 'decision', at: T0 - 86_400_000, data: { outcome: 'agreed' }, chain: 0 });
    await expectRefused(fresh(), backup, /^This backup holds consent events \(1\) never added to its consent ledger: importing them would add consent records dated in the past\. Nothing was imported\. Unchained consent events; the first: decision on 2026-03-01\.$/);
  });

  it('new consent events that are not in the backup\'s ledger', async () => {
    await consent(s, 2);
    const backup = await backupOf(s);
    backup.tables.events!.push({ id: crypto.randomUUID(), callId: CALL_ID, type: 'decision', at: now + 5, data: { outcome: 'agreed' } });
    await expectRefused(fresh(), backup, /^This backup holds consent events \(1\) that are not in its consent ledger: they would show as recorded consent without proof\. Nothing was imported\. Consent events not in the ledger; the first: decision on 2026-03-02\.$/);
  });

  it('the same call id twice', async () => {
    await consent(s, 2);
    const backup = await backupOf(s);
    backup.tables.calls!.push({ ...backup.tables.calls![0]!, status: 'active' });
    await expectRefused(fresh(), backup, /^The backup holds calls "11111111-2222-4333-8444-555555555555" twice \(again at calls\[1\]\); a backup holds each record once\./);
  });

  it('a history record (event, access-log row, purge receipt) that differs from the stored one', async () => {
    await consent(s, 2);
    const backup = await backupOf(s);
    const event = backup.tables.events!.find((e) => e.type === 'decision')!;
    (event.data as { outcome: string }).outcome = 'agreed';
    await expectRefused(s, backup, /^The backup's events record "[0-9a-f-]{36}" differs from the one stored here: an import never changes history\./);
  });

  it('a backup of another install cannot extend this ledger', async () => {
    await consent(s, 2);
    const other = fresh();
    await other.db.calls.add((await db.calls.get(CALL_ID))!);
    await consent(other, 2);
    await expectRefused(s, await backupOf(other), /^This backup is from another install \(rep id rep-[0-9a-f-]+\); it cannot extend this browser's consent ledger\./);
  });

  it('files that are not backups', async () => {
    await expectRefused(s, '{"format":"candor-backup/1",', /^This file is not JSON: it is not a Candor backup\./);
    await expectRefused(s, '{"format":"candor-ledger/1","records":[]}', /^This file is not a Candor backup/);
  });
});

describe('the ledger rules, pure (lib/ledger/import-rules.ts)', () => {
  it('the same chain again extends by nothing; a longer one by its tail; no ledger in the file leaves the ledger alone', async () => {
    await consent(s, 5);
    const records = await allLedgerRecords(db);
    const local = { checkpoint: null, records: records.slice(0, 3) };
    expect(await planLedgerImport({ checkpoint: null, records: records.slice(0, 3) }, local, [])).toMatchObject({ ok: true, mode: 'extend', add: [] });
    expect(await planLedgerImport({ checkpoint: null, records }, local, [])).toMatchObject({ ok: true, mode: 'extend', add: records.slice(3) });
    // The backup's part was purged up to seq 2: it still continues this chain from there.
    expect(await planLedgerImport({ checkpoint: { seq: 2, hash: records[1]!.hash }, records: records.slice(2) }, local, [])).toMatchObject({ ok: true, add: records.slice(3) });
    expect(await planLedgerImport(null, local, [])).toEqual({ ok: true, mode: 'extend', add: [], checkpoint: null });
    expect(await planLedgerImport(null, { checkpoint: null, records: [] }, [])).toEqual({ ok: true, mode: 'restore', add: [], checkpoint: null });
  });
});
