import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { backupJson } from '../../lib/background/exports';
import { importBackup } from '../../lib/background/backup-import';
import { createLedgerWriter, ledgerExportJson, verifyLedger } from '../../lib/background/ledger';
import { runRetention } from '../../lib/background/retention';
import type { Services } from '../../lib/background/services';
import { CandorDB } from '../../lib/db';
import { allLedgerRecords, LEDGER_CHECKPOINT_KEY } from '../../lib/db/ledger-store';
import { blockProblem, expandBlock, LEDGER_BLOCK_SIZE, sealBlock, verifyStoredLedger, type StoredLedger } from '../../lib/ledger/blocks';
import { appendRecord, GENESIS_HASH, REASONS, verifyChain, type ChainRecord, type Checkpoint } from '../../lib/ledger/chain';
import type { LedgerEntry } from '../../lib/ledger/entry';
import { verifyExport } from '../../lib/ledger/export';
import { resolvePolicy } from '../../lib/policy/resolve';
import type { CallEvent, LedgerBlockRecord } from '../../lib/model';

const DAY = 24 * 3_600_000;
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

function entry(i: number, at: number): LedgerEntry {
  return {
    v: 1, type: i % 2 ? 'agreed' : 'asked', at: new Date(at).toISOString(), eventId: crypto.randomUUID(), callId: '9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f',
    platform: 'meet', meetingRef: 'ab'.repeat(32), rep: 'rep-Zoë', asked: { scope: 'all-present', audience: 'external' },
    notice: { textHash: 'cd'.repeat(32), language: 'de', version: '2025-02' }, purposes: ['recording'], method: 'read-aloud-attested',
    outcome: i % 2 ? 'agreed' : null, reason: null, category: null, rule: null, policyVersion: 'policy-7', extensionVersion: '0.1.0',
    details: { n: i, note: 'ünïcödé ✓' },
  };
}

async function chain(n: number, from: Checkpoint | null = null, at = (i: number) => T0 + i * 1_000): Promise<ChainRecord[]> {
  const out: ChainRecord[] = [];
  let prev = from;
  for (let i = 0; i < n; i++) {
    const r = await appendRecord(prev, entry(i, at(i)));
    out.push(r);
    prev = r;
  }
  return out;
}

const atOf = (r: ChainRecord<unknown>) => Date.parse((r.entry as LedgerEntry).at);
const stored = (blocks: LedgerBlockRecord[], tail: ChainRecord<unknown>[], checkpoint: Checkpoint | null = null): StoredLedger => ({
  checkpoint,
  async *blocks() {
    for (let i = 0; i < blocks.length; i += 2) yield blocks.slice(i, i + 2);
  },
  tail: async () => tail,
});
/** Splits records into blocks of `size` and a tail of what is left. */
async function sealAll(records: ChainRecord[], size: number) {
  const blocks: LedgerBlockRecord[] = [];
  let i = 0;
  for (; i + size <= records.length; i += size) blocks.push(await sealBlock(records.slice(i, i + size), { seq: records[i]!.seq - 1, hash: records[i]!.prevHash }, atOf));
  return { blocks, tail: records.slice(i) };
}
const pipe = (bytes: Uint8Array<ArrayBuffer>, t: CompressionStream | DecompressionStream) => new Response(new Blob([bytes]).stream().pipeThrough(t)).arrayBuffer();
const bodyText = async (block: LedgerBlockRecord) => new TextDecoder().decode(await pipe(new Uint8Array(block.body), new DecompressionStream('deflate-raw')));
const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
/** The seal as docs/ledger.md specifies it, computed here independently of lib/ledger/blocks.ts. */
async function sealOf(b: LedgerBlockRecord): Promise<string> {
  const header = `candor-ledger-block/1\nfirst ${b.first}\nlast ${b.last}\nfirstAt ${b.firstAt}\nlastAt ${b.lastAt}\nprevHash ${b.prevHash}\nlastHash ${b.lastHash}\n\n`;
  return hex(await crypto.subtle.digest('SHA-256', new Uint8Array([...new TextEncoder().encode(header), ...new Uint8Array(b.body)])));
}
/** The block with its entry lines changed by `edit` (text in, text out); the seal is kept or recomputed. */
async function editBody(block: LedgerBlockRecord, edit: (text: string) => string, reseal: boolean): Promise<LedgerBlockRecord> {
  const body = await pipe(new TextEncoder().encode(edit(await bodyText(block))), new CompressionStream('deflate-raw'));
  const edited = { ...block, body };
  return reseal ? { ...edited, seal: await sealOf(edited) } : edited;
}

describe('sealed ledger blocks (lib/ledger/blocks.ts)', () => {
  it('a block holds exactly its records: expanding gives them back; the seal covers its fields and compressed lines', async () => {
    const records = await chain(7);
    const block = await sealBlock(records, null, atOf);
    expect(block).toMatchObject({ first: 1, last: 7, prevHash: GENESIS_HASH, lastHash: records[6]!.hash, firstAt: T0, lastAt: T0 + 6_000 });
    expect(await expandBlock(block)).toEqual(records.map((r) => ({ seq: r.seq, prevHash: r.prevHash, hash: r.hash, entry: r.entry })));
    const { canonicalize } = await import('../../lib/ledger/canonical');
    expect((await bodyText(block)).split('\n')).toEqual(records.map((r) => `${r.hash} ${canonicalize(r.entry)}`));
    expect(block.seal).toBe(await sealOf(block));
    expect(await blockProblem(block)).toBeNull();
  });

  it('refuses to seal records that do not verify', async () => {
    const records = await chain(3);
    records[1] = { ...records[1]!, entry: { ...records[1]!.entry, outcome: 'declined' } };
    await expect(sealBlock(records, null, atOf)).rejects.toThrow(/entry 2 does not verify/);
  });

  it('routine and deep verification agree with verifyChain over the same records (blocks + tail, from a checkpoint)', async () => {
    const base = await chain(1);
    const checkpoint = { seq: base[0]!.seq, hash: base[0]!.hash };
    const records = await chain(23, checkpoint);
    const { blocks, tail } = await sealAll(records, 5);
    const expected = await verifyChain(records, checkpoint);
    expect(expected).toMatchObject({ intact: true, count: 23 });
    expect(await verifyStoredLedger(stored(blocks, tail, checkpoint))).toEqual(expected);
    expect(await verifyStoredLedger(stored(blocks, tail, checkpoint), { deep: true })).toEqual(expected);
    expect(await verifyStoredLedger(stored([], [], null))).toEqual(await verifyChain([], null));
  });

  it('a changed byte inside a block breaks its seal at that block; header fields changed outside the body are caught too', async () => {
    const { blocks, tail } = await sealAll(await chain(12), 4);
    const tampered = await editBody(blocks[1]!, (t) => t.replace('"outcome":"agreed"', '"outcome":"declined"'), false);
    const result = await verifyStoredLedger(stored([blocks[0]!, tampered, blocks[2]!], tail));
    expect(result).toMatchObject({ intact: false, brokenAt: { index: 4, seq: 5, reason: expect.stringContaining('seal does not match') } });
    const moved = { ...blocks[2]!, lastAt: blocks[2]!.lastAt + 1 };
    expect(await verifyStoredLedger(stored([blocks[0]!, blocks[1]!, moved], tail))).toMatchObject({ intact: false, brokenAt: { seq: 9, reason: expect.stringContaining('fields were changed') } });
  });

  it('a missing or reordered block breaks the link', async () => {
    const { blocks } = await sealAll(await chain(12), 4);
    expect(await verifyStoredLedger(stored([blocks[0]!, blocks[2]!], []))).toMatchObject({ intact: false, brokenAt: { index: 4, seq: 9, reason: REASONS.link } });
    expect(await verifyStoredLedger(stored([blocks[1]!, blocks[0]!, blocks[2]!], []))).toMatchObject({ intact: false, brokenAt: { index: 0, seq: 5, reason: REASONS.link } });
  });

  it('an entry rewritten with its block re-sealed passes the seal check but not the deep check (the documented limit)', async () => {
    const { blocks } = await sealAll(await chain(8), 4);
    const forged = await editBody(blocks[0]!, (t) => t.replace('"outcome":"agreed"', '"outcome":"declined"'), true);
    expect(await blockProblem(forged)).toBeNull();
    expect(await verifyStoredLedger(stored([forged, blocks[1]!], []))).toMatchObject({ intact: true, count: 8 });
    expect(await verifyStoredLedger(stored([forged, blocks[1]!], []), { deep: true })).toMatchObject({ intact: false, brokenAt: { index: 1, seq: 2, reason: REASONS.hash } });
  });

  it('an unsealed record after the blocks is verified in full, and its position counts the sealed entries', async () => {
    const records = await chain(10);
    const { blocks, tail } = await sealAll(records, 4);
    tail[1] = { ...tail[1]!, entry: { ...tail[1]!.entry, rep: 'someone else' } };
    expect(await verifyStoredLedger(stored(blocks, tail))).toMatchObject({ intact: false, count: 10, brokenAt: { index: 9, seq: 10, reason: REASONS.hash } });
  });
});

// ---------------------------------------------------------------------------------------------
// The background's writer, verification, export, retention and backup over sealed blocks

let db: CandorDB;
let s: Services;
let now = T0;
const CALL_ID = '11111111-2222-4333-8444-555555555555';

beforeEach(async () => {
  db = new CandorDB(`ledger-blocks-${crypto.randomUUID()}`);
  now = T0;
  vi.spyOn(fakeBrowser.runtime, 'getManifest').mockReturnValue({ manifest_version: 3, name: 'Candor', version: '1.4.0' });
  s = { db, now: () => now, policy: async () => resolvePolicy(undefined, undefined), uiLanguage: () => 'en' };
  await db.calls.add({ id: CALL_ID, platform: 'meet', meetingHash: 'ef'.repeat(32), status: 'active', tabIds: [1], detectedAt: T0, admittedAt: T0, detectedBy: ['meet-participant-tile'], updatedAt: T0 });
});
afterEach(async () => {
  await db.delete();
});

/** `n` consent events waiting for the ledger (as the lifecycle writes them), one a second from `start`. */
async function consentEvents(n: number, start: number) {
  const events: CallEvent[] = Array.from({ length: n }, (_, i) => ({
    id: crypto.randomUUID(), callId: CALL_ID, type: i % 2 ? 'decision' : 'prompt-shown', at: start + i * 1_000, data: i % 2 ? { outcome: 'agreed' } : {}, chain: 0,
  }));
  await db.events.bulkAdd(events);
}

describe('the stored ledger (background)', () => {
  it('the writer seals every full block and leaves the rest unsealed; verification, export and count see one chain', async () => {
    await consentEvents(LEDGER_BLOCK_SIZE * 2 + 37, T0);
    await createLedgerWriter(s).flush();
    expect(await db.ledgerBlocks.count()).toBe(2);
    expect(await db.ledger.count()).toBe(37);
    const blocks = await db.ledgerBlocks.orderBy('first').toArray();
    expect(blocks.map((b) => [b.first, b.last])).toEqual([[1, 1_000], [1_001, 2_000]]);

    const routine = await verifyLedger(s);
    expect(routine).toMatchObject({ intact: true, count: 2_037, lastSeq: 2_037 });
    expect(routine.check).toBe('seals-and-links');
    expect(await verifyLedger(s, { deep: true })).toEqual({ ...routine, check: 'every-entry' });
    const { check: _check, head, witness, ...result } = routine;
    const exported = JSON.parse(await ledgerExportJson(s));
    expect(exported.records).toHaveLength(2_037);
    expect(await verifyExport(exported)).toEqual(result);
    expect(exported.head).toEqual(head);
    expect(witness).toEqual({ checked: 0, latest: null });
    // Each entry's hash is still SHA-256(prevHash + "\n" + canonical entry), as docs/ledger.md specifies.
    const r = exported.records[1_500];
    const { canonicalize } = await import('../../lib/ledger/canonical');
    expect(r.hash).toBe(createHash('sha256').update(r.prevHash + '\n' + canonicalize(r.entry), 'utf8').digest('hex'));

    // More events continue the same chain after the blocks.
    await consentEvents(LEDGER_BLOCK_SIZE, T0 + 5_000_000);
    await createLedgerWriter(s).flush();
    expect(await db.ledgerBlocks.count()).toBe(3);
    expect(await verifyLedger(s)).toMatchObject({ intact: true, count: 3_037 });
  });

  it('a stored entry changed inside a block is reported at its block', async () => {
    await consentEvents(LEDGER_BLOCK_SIZE + 5, T0);
    await createLedgerWriter(s).flush();
    const block = (await db.ledgerBlocks.toArray())[0]!;
    await db.ledgerBlocks.put(await editBody(block, (t) => t.replace('"rep":"rep-', '"rep":"REP-'), false));
    expect(await verifyLedger(s)).toMatchObject({ intact: false, brokenAt: { index: 0, seq: 1, reason: expect.stringContaining('seal') } });
  });

  it('retention purges whole blocks, re-seals a block expired in part, keeps a checkpoint, and the rest verifies', async () => {
    // 2,500 entries one hour apart: the consent limit (1,095 days) falls inside the second block.
    const HOUR = 3_600_000;
    // Written and appended 500 at a time, as a live ledger is: entries in time order.
    for (let i = 0; i < 2_500; i += 500) {
      await consentEvents(500, T0 + i * HOUR);
      await db.events.where('chain').equals(0).modify((e) => { e.at = T0 + i * HOUR + (e.at - T0 - i * HOUR) * 3_600; });
      await createLedgerWriter(s).flush();
    }
    expect(await db.ledgerBlocks.count()).toBe(2);
    const limit = (await s.policy()).policy.retentionDays.consent * DAY;
    now = T0 + limit + 1_400 * HOUR + 1; // entries 1..1,401 are past the limit (entry i is at T0 + (i − 1) h)
    const before = await allLedgerRecords(db);
    await runRetention(s);
    const blocks = await db.ledgerBlocks.orderBy('first').toArray();
    expect(blocks.map((b) => [b.first, b.last])).toEqual([[1_402, 2_000]]);
    expect(await blockProblem(blocks[0]!)).toBeNull();
    expect((await db.meta.get(LEDGER_CHECKPOINT_KEY))?.value).toEqual({ seq: 1_401, hash: before[1_400]!.hash });
    expect(await verifyLedger(s)).toMatchObject({ intact: true, count: 1_099 });
    expect(await verifyLedger(s, { deep: true })).toMatchObject({ intact: true, count: 1_099 });
    const receipt = (await db.purgeReceipts.toArray()).find((r) => r.kind === 'consent');
    expect(receipt).toMatchObject({ count: 1_401 + 1_401 /* events too */ });
  });

  it('a backup holds one record per entry; restoring it into an empty profile gives the same chain, and the import is recorded after it', async () => {
    await consentEvents(LEDGER_BLOCK_SIZE + 12, T0);
    await createLedgerWriter(s).flush();
    const backup = JSON.parse(await backupJson(s));
    expect(Object.keys(backup.tables)).not.toContain('ledgerBlocks');
    expect(backup.tables.ledger).toHaveLength(LEDGER_BLOCK_SIZE + 12);
    const before = await verifyLedger(s);
    if (!before.intact) throw new Error('seed ledger broken');

    // The same chain again adds no entry: only the one recording the import, after the sealed ones.
    await importBackup(s, { type: 'data/import', text: JSON.stringify(backup) });
    expect(await db.ledgerBlocks.count()).toBe(1);
    expect(await verifyLedger(s, { deep: true })).toMatchObject({ intact: true, count: LEDGER_BLOCK_SIZE + 13 });

    const empty = new CandorDB(`blocks-restore-${crypto.randomUUID()}`);
    const target = { ...s, db: empty };
    await importBackup(target, { type: 'data/import', text: JSON.stringify(backup) });
    const restored = await allLedgerRecords(empty);
    expect(restored.slice(0, -1).map((r) => r.hash)).toEqual((await allLedgerRecords(db)).slice(0, LEDGER_BLOCK_SIZE + 12).map((r) => r.hash));
    expect(restored.at(-1)!.entry).toMatchObject({ type: 'backup-imported', mode: 'restore', entriesAdded: LEDGER_BLOCK_SIZE + 12, firstSeq: 1, lastSeq: LEDGER_BLOCK_SIZE + 12 });
    await createLedgerWriter(target).flush(); // sealed again
    expect(await empty.ledgerBlocks.count()).toBe(1);
    expect(await verifyLedger(target)).toMatchObject({ intact: true, count: LEDGER_BLOCK_SIZE + 13 });
    await empty.delete();
  });
});
