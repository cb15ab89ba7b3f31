// @vitest-environment node
// (The background runs in a service worker, without a DOM; node is also faster for these fuzz runs.)
/**
 * Upgrading a saved version-1 database to the current CandorDB.
 *
 * The "older database" is built with a frozen copy of the version 1 schema (below, never imported
 * from lib/db) and filled from the committed fixture tests/fixtures/upgrade/db-v1.json: realistic
 * rows as v1 stored them (calls on Meet, Zoom and Teams, a call left "active" by a browser crash,
 * a lobby-only visit, their events, the rep's notes, and the per-install meeting salt).
 * It is closed, then opened with the current CandorDB, which must keep every row, add the new
 * tables and indexes, and keep the salt, so a meeting hashes the same before and after the upgrade.
 */
import Dexie, { type Table } from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { backupJson } from '../../lib/background/exports';
import { meetingHash } from '../../lib/background/meeting-ref';
import { closeCallsAfterRestart } from '../../lib/background/calls';
import type { SenderInfo, Services } from '../../lib/background/services';
import { CandorDB } from '../../lib/db';
import { routeMessage } from '../../lib/background/router';
import type { CallView } from '../../lib/protocol/replies';
import { resolvePolicy } from '../../lib/policy/resolve';
import fixture from '../fixtures/upgrade/db-v1.json';

/** Frozen snapshot of CandorDB's `this.version(1).stores({...})`. Never edit: it is what shipped. */
const V1_STORES = Object.freeze({
  calls: 'id, meetingHash, status, admittedAt, *tabIds',
  events: 'id, callId, type, at',
  notes: 'callId, updatedAt',
  meta: 'key',
});

class CandorDBv1 extends Dexie {
  constructor(name: string) {
    super(name);
    this.version(1).stores(V1_STORES);
  }
}

type Row = Record<string, unknown>;
const V1_KEYS = { calls: 'id', events: 'id', notes: 'callId', meta: 'key' } as const;
type V1Table = keyof typeof V1_KEYS;
const fixtureTables = fixture.tables as unknown as Record<V1Table, Row[]>;
const SALT = (fixture.tables.meta.find((m) => m.key === 'meetingSalt')?.value ?? '') as string;
const popup: SenderInfo = { url: 'chrome-extension://test-extension-id/popup.html', extensionPage: true };

let name: string;
let db: CandorDB;
let now: number;
let s: Services;

const sorted = (rows: Row[], key: string) => [...rows].sort((a, b) => (String(a[key]) < String(b[key]) ? -1 : String(a[key]) > String(b[key]) ? 1 : 0));

async function saveOlderDatabase(dbName: string) {
  const old = new CandorDBv1(dbName);
  for (const t of Object.keys(V1_KEYS) as V1Table[]) {
    const table: Table<Row, unknown> = old.table(t);
    await table.bulkAdd(fixtureTables[t]);
  }
  expect(old.verno).toBe(1);
  expect(old.tables.map((t) => t.name).sort()).toEqual(Object.keys(V1_STORES).sort());
  return old;
}

beforeEach(async () => {
  name = `upgrade-${crypto.randomUUID()}`;
  const old = await saveOlderDatabase(name);
  old.close();
  now = Date.UTC(2025, 5, 1, 9, 0, 0); // months after the fixture's calls
  db = new CandorDB(name);
  s = { db, now: () => now, policy: async () => resolvePolicy(undefined, undefined), uiLanguage: () => 'en-US' };
  vi.spyOn(fakeBrowser.runtime, 'getManifest').mockReturnValue({ manifest_version: 3, name: 'Candor', version: '1.4.0' });
  await db.open();
});

afterEach(async () => {
  vi.restoreAllMocks();
  await db.delete();
});

describe('the fixture', () => {
  it('was saved with the frozen v1 schema and holds realistic rows', () => {
    expect(fixture.dexieVersion).toBe(1);
    expect(fixture.schema).toEqual(V1_STORES);
    expect(fixtureTables.calls.length).toBeGreaterThanOrEqual(5);
    expect(fixtureTables.events.length).toBeGreaterThanOrEqual(10);
    expect(fixtureTables.notes.length).toBeGreaterThanOrEqual(2);
    expect(SALT).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('opening a v1 database with the current CandorDB', () => {
  it('upgrades to the current version and keeps every v1 row byte for byte', async () => {
    expect(db.verno).toBeGreaterThanOrEqual(2);
    for (const [table, key] of Object.entries(V1_KEYS) as [V1Table, string][]) {
      expect(await db.table(table).toArray(), table).toEqual(sorted(fixtureTables[table], key));
    }
  });

  it('adds the new tables, empty and writable', async () => {
    const names = db.tables.map((t) => t.name);
    expect(db.verno).toBe(6);
    for (const t of ['tags', 'checklists', 'aiDrafts', 'concerns', 'accessLog', 'purgeReceipts', 'ledger', 'outbox', 'ledgerBlocks', 'auditDays', 'org', 'witnessCheckpoints']) {
      expect(names, t).toContain(t);
      expect(await db.table(t).count(), t).toBe(0);
    }
    const [meetCall] = fixtureTables.calls;
    await db.tags.add({ id: crypto.randomUUID(), callId: String(meetCall!.id), tag: 'objection', offsetMs: 1_000, at: 1 });
    await db.ledger.add({ seq: 1, at: now, prevHash: '0'.repeat(64), hash: 'f'.repeat(64), entry: { type: 'decision' } });
    await db.purgeReceipts.add({ id: crypto.randomUUID(), at: now, kind: 'calls', count: 0, oldest: null, newest: null });
    expect(await db.tags.where('callId').equals(String(meetCall!.id)).count()).toBe(1);
    expect(await db.ledger.where('at').equals(now).count()).toBe(1);
    expect(await db.purgeReceipts.where('kind').equals('calls').count()).toBe(1);
    // v3: the org-sync outbox, found by its due time.
    await db.outbox.add({ id: crypto.randomUUID(), kind: 'concern', payload: {}, createdAt: now, attempts: 0, nextAttemptAt: now });
    expect(await db.outbox.where('nextAttemptAt').belowOrEqual(now).count()).toBe(1);
    // v4: the audit cache starts empty with one mark saying "build it from everything stored".
    expect(await db.auditDirty.toArray()).toEqual([{ key: 'all', v: 1 }]);
  });

  it('builds the new indexes over the old rows: calls.detectedAt, events.chain', async () => {
    // detectedAt: every old call is in the new index, in time order (exports list calls by it).
    const byDetected = await db.calls.orderBy('detectedAt').toArray();
    expect(byDetected.map((c) => c.id)).toEqual(
      [...fixtureTables.calls].sort((a, b) => (a.detectedAt as number) - (b.detectedAt as number)).map((c) => c.id),
    );
    const first = fixtureTables.calls[0]!;
    expect(await db.calls.where('detectedAt').equals(first.detectedAt as number).primaryKeys()).toEqual([first.id]);

    // The v1 indexes still answer as before.
    expect(await db.calls.where('status').equals('active').primaryKeys()).toEqual(fixtureTables.calls.filter((c) => c.status === 'active').map((c) => c.id));
    expect((await db.calls.orderBy('admittedAt').primaryKeys()).length).toBe(fixtureTables.calls.filter((c) => c.admittedAt !== undefined).length);
    expect(await db.calls.where('tabIds').equals(12).count()).toBe(1);
    expect(await db.events.where('callId').equals(String(first.id)).count()).toBe(fixtureTables.events.filter((e) => e.callId === first.id).length);

    // chain: old events are not pending for the ledger; a new pending one is found by the index.
    expect(await db.events.where('chain').equals(0).count()).toBe(0);
    const pending = { id: crypto.randomUUID(), callId: String(first.id), type: 'decision' as const, at: now, data: { outcome: 'agreed' }, chain: 0 as const };
    await db.events.add(pending);
    expect(await db.events.where('chain').equals(0).toArray()).toEqual([pending]);
  });

  it('keeps the per-install salt: the same meeting hashes the same after the upgrade', async () => {
    expect((await db.meta.get('meetingSalt'))?.value).toBe(SALT);
    for (const m of fixture.meetings) {
      const old = fixtureTables.calls.find((c) => c.id === m.callId)!;
      expect(await meetingHash(db, m.platform, m.reference), m.url).toBe(old.meetingHash);
    }
    // A rep joining the same Meet meeting again, months later: a new call with the old meeting's hash.
    const meet = fixture.meetings.find((m) => m.platform === 'meet')!;
    const reply = await routeMessage(s, { type: 'call/observed', eventId: crypto.randomUUID(), at: now, phase: 'inCall', url: meet.url, signals: ['meet-participant-tile'] }, { tabId: 3, url: meet.url, extensionPage: false });
    if (!reply.ok) throw new Error(reply.error);
    const view = reply.data as CallView;
    expect(view.callId).not.toBe(meet.callId);
    const fresh = await db.calls.get(view.callId);
    expect(fresh?.meetingHash).toBe(fixtureTables.calls.find((c) => c.id === meet.callId)!.meetingHash);
    expect(await db.meta.count()).toBe(1);
  });

  it('old calls work with current features: restart cleanup, notes, tags, checklists, exports', async () => {
    // The call the browser crashed in is closed as ended-unknown (and gets its checklist).
    expect(await closeCallsAfterRestart(s)).toBe(1);
    const stale = fixtureTables.calls.find((c) => c.status === 'active')!;
    expect(await db.calls.get(String(stale.id))).toMatchObject({ status: 'ended', endReason: 'ended-unknown', tabIds: [] });
    expect((await db.checklists.get(String(stale.id)))?.status).toBe('pending');

    const meetId = String(fixtureTables.calls[0]!.id);
    const ok = async (msg: unknown) => {
      const r = await routeMessage(s, msg, popup);
      if (!r.ok) throw new Error(r.error);
      return r.data;
    };
    await ok({ type: 'note/save', callId: meetId, text: 'Edited after the upgrade.' });
    expect((await db.notes.get(meetId))).toMatchObject({ text: 'Edited after the upgrade.', createdAt: fixtureTables.notes[0]!.createdAt });
    await ok({ type: 'tag/add', eventId: crypto.randomUUID(), at: now, callId: meetId, tag: 'pricing', text: 'SSO tier' });
    await ok({
      type: 'checklist/save', callId: meetId, complete: false,
      fields: { qualification: 'VP Ops', nextSteps: [], timeline: 'Q3', risks: '', competition: '', humanNuance: '', powerDynamics: '', hesitation: '', emotion: '', urgency: '', subtleObjections: '' },
    });

    const csv = (await ok({ type: 'export/request', what: 'calls-csv', purpose: 'coaching' })) as { content: string };
    for (const c of fixtureTables.calls.filter((x) => x.admittedAt !== undefined)) expect(csv.content).toContain(String(c.id));
    expect(await db.accessLog.count()).toBe(1);
  });

  it('the upgraded database backs up and restores under the current record schemas', async () => {
    const text = await backupJson(s);
    const target = new CandorDB(`upgrade-restore-${crypto.randomUUID()}`);
    try {
      const reply = await routeMessage({ ...s, db: target }, { type: 'data/import', text }, popup);
      if (!reply.ok) throw new Error(`old rows do not pass today's backup schemas: ${reply.error}`);
      for (const [table, key] of Object.entries(V1_KEYS) as [V1Table, string][]) {
        // The import gives the restored install its rep id (v1 had none) to write its own ledger entry with.
        const rows = (await target.table(table).toArray()).filter((r: { key?: string }) => !(table === 'meta' && r.key === 'repId'));
        expect(rows, table).toEqual(sorted(fixtureTables[table], key));
      }
      // The v1 events were recorded before Candor kept a ledger: restored as they are, and the import is the ledger's first entry.
      expect((await target.ledger.toArray()).map((r) => r.entry.type)).toEqual(['backup-imported']);
    } finally {
      await target.delete();
    }
  });
});

describe('upgrading while an old v1 connection is still open (a stale popup or worker)', () => {
  it('the upgrade is not blocked and keeps the data; whatever the old code writes afterwards is readable by the new schema', async () => {
    const dbName = `upgrade-open-${crypto.randomUUID()}`;
    const old = await saveOlderDatabase(dbName);
    const current = new CandorDB(dbName);
    try {
      // A blocked upgrade would hang the new worker's first message: this must resolve.
      await current.open();
      expect(current.verno).toBeGreaterThanOrEqual(2);
      expect(await current.calls.count()).toBe(fixtureTables.calls.length);
      // Dexie closes the old connection on versionchange; a later write from old code either fails
      // or lands as a row the current schema indexes like any other.
      const late = { callId: 'late-note', text: 'written by v1 code', author: 'rep' as const, createdAt: 1, updatedAt: 2 };
      const written = await (old.table('notes') as Table<Row, string>).put(late).then(() => true, () => false);
      expect(await current.notes.get('late-note')).toEqual(written ? late : undefined);
      if (written) expect(await current.notes.where('updatedAt').equals(2).primaryKeys()).toEqual(['late-note']);
    } finally {
      old.close();
      await current.delete();
    }
  });
});
