// @vitest-environment node
// (The background runs in a service worker, without a DOM; node is also faster for these fuzz runs.)
/**
 * Fuzzing the backup import (data/import → importBackup), all-or-nothing, over a real CandorDB.
 *
 * - arbitrary text and arbitrary JSON are refused readably (never "retry") and change nothing but the
 *   access log's row saying so;
 * - a valid backup with one record corrupted (wrong type, missing field, extra field) in one table is
 *   refused with a message naming `table[index]`, and nothing of it is written, not even the valid tables;
 * - valid backups built from hand-written record arbitraries import completely into an empty profile
 *   (plus the import's own trace: a ledger entry and an access-log row), and re-exporting them with
 *   backupJson gives the same table contents, which import again to the same rows.
 * The import rules themselves (what may restore or extend the ledger) are in backup-import.test.ts.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { backupJson } from '../../lib/background/exports';
import { schemaProblems } from './support/json-schema';
import { createLedgerWriter } from '../../lib/background/ledger';
import type { SenderInfo, Services } from '../../lib/background/services';
import { CandorDB } from '../../lib/db';
import { routeMessage } from '../../lib/background/router';

import { resolvePolicy } from '../../lib/policy/resolve';
import { concernCategories, notRecordingReasons, outcomes, callCategories, recordingRules } from '../../lib/model';

const MEET_A = 'https://meet.google.com/abc-defg-hij';
const T0 = Date.UTC(2025, 4, 6, 15, 0, 0);
const popup: SenderInfo = { url: 'chrome-extension://test-extension-id/popup.html', extensionPage: true };
const tab = (tabId: number): SenderInfo => ({ tabId, url: MEET_A, extensionPage: false });

const TABLES = ['calls', 'events', 'notes', 'tags', 'checklists', 'aiDrafts', 'concerns', 'accessLog', 'purgeReceipts', 'ledger', 'meta'] as const;
type Table = (typeof TABLES)[number];
const KEY: Record<Table, string> = {
  calls: 'id', events: 'id', notes: 'callId', tags: 'id', checklists: 'callId', aiDrafts: 'callId', concerns: 'id',
  accessLog: 'id', purgeReceipts: 'id', ledger: 'seq', meta: 'key',
};

let db: CandorDB;
let now: number;
let s: Services;
const opened: CandorDB[] = [];

const services = (database: CandorDB): Services => ({ db: database, now: () => now, policy: async () => resolvePolicy(undefined, undefined), uiLanguage: () => 'en-US' });
function freshDb() {
  const d = new CandorDB(`fuzz-backup-${crypto.randomUUID()}`);
  opened.push(d);
  return d;
}

async function dumpOf(database: CandorDB) {
  return database.transaction('r', database.tables, async () => {
    const rows = await Promise.all(database.tables.map((t) => t.toArray()));
    return Object.fromEntries(database.tables.map((t, i) => [t.name, rows[i]!])) as Record<string, unknown[]>;
  });
}
const importText = (text: string, into: Services = s) => routeMessage(into, { type: 'data/import', text }, popup);
const sha256 = async (text: string) => [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))].map((b) => b.toString(16).padStart(2, '0')).join('');

/** A refused import changed nothing but the one access-log row recording the refusal, with its sentence. */
async function expectOnlyRefusalLogged(database: CandorDB, before: Record<string, unknown[]>, error: string) {
  const { accessLog, ...rest } = await dumpOf(database);
  const { accessLog: accessBefore, ...restBefore } = before;
  expect(rest).toEqual(restBefore);
  const added = accessLog!.filter((r) => !accessBefore!.some((b) => (b as { id: string }).id === (r as { id: string }).id));
  expect(added).toEqual([expect.objectContaining({ purpose: 'record-keeping', action: 'import', refused: error.slice(0, 500), fileHash: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
}

/**
 * The rows an accepted import into an empty profile leaves: the backup's own, plus its trace (one
 * `backup-imported` ledger entry and one access-log row, both with the file's SHA-256, and the rep id
 * the import's entry was written with when the backup had none).
 */
async function expectImported(database: CandorDB, tables: Record<string, Record<string, unknown>[]>, text: string) {
  const stored = await dumpOf(database);
  const fileHash = await sha256(text);
  const backupIds = (t: Table) => new Set((tables[t] ?? []).map((r) => JSON.stringify(r[KEY[t]])));
  for (const t of TABLES) {
    const own = stored[t]!.filter((r) => backupIds(t).has(JSON.stringify((r as Record<string, unknown>)[KEY[t]])));
    expect(own, t).toEqual([...(tables[t] ?? [])].sort(byKey(t)));
    const trace = stored[t]!.filter((r) => !backupIds(t).has(JSON.stringify((r as Record<string, unknown>)[KEY[t]])));
    if (t === 'ledger') expect(trace, t).toEqual([expect.objectContaining({ entry: expect.objectContaining({ type: 'backup-imported', fileHash, mode: 'restore' }) })]);
    else if (t === 'accessLog') expect(trace, t).toEqual([expect.objectContaining({ action: 'import', purpose: 'record-keeping', fileHash })]);
    else if (t === 'meta') expect(trace.map((r) => (r as { key: string }).key), t).toEqual((tables.meta ?? []).some((m) => m.key === 'repId') ? [] : ['repId']);
    else expect(trace, t).toEqual([]);
  }
  return stored;
}

function expectReadableRefusal(reply: unknown): string {
  const r = reply as { ok: unknown; error?: unknown; retryable?: unknown };
  expect(r.ok, JSON.stringify(reply).slice(0, 300)).toBe(false);
  expect(typeof r.error).toBe('string');
  const error = r.error as string;
  expect(error.trim().length).toBeGreaterThan(8);
  expect(error).not.toMatch(/\[object |ZodError|TypeError|is not a function|\n\s+at /);
  // A bad file is final: "retryable" would make the sender retry it for a minute as a storage fault.
  expect(r.retryable, error).toBeFalsy();
  return error;
}

let snapshot: Record<string, unknown[]>;

beforeEach(async () => {
  vi.spyOn(fakeBrowser.runtime, 'getManifest').mockReturnValue({ manifest_version: 3, name: 'Candor', version: '1.4.0' });
  now = T0;
  db = freshDb();
  s = services(db);
  // Something to corrupt: a real call with a decision, a note and a tag.
  const observed = (phase: string) => routeMessage(s, { type: 'call/observed', eventId: crypto.randomUUID(), at: now, phase, url: MEET_A, signals: ['meet-participant-tile'] }, tab(1));
  await observed('lobby');
  now += 5_000;
  const v = await observed('inCall');
  if (!v.ok || !v.data || !('callId' in v.data)) throw new Error('seed failed');
  const callId = v.data.callId;
  await routeMessage(s, { type: 'call/decide', eventId: crypto.randomUUID(), at: now, callId, outcome: 'agreed' }, tab(1));
  await routeMessage(s, { type: 'note/save', callId, text: 'Seeded note' }, popup);
  await routeMessage(s, { type: 'tag/add', eventId: crypto.randomUUID(), at: now, callId, tag: 'risk' }, tab(1));
  snapshot = await dumpOf(db);
  expect(snapshot.calls).toHaveLength(1);
  expect(snapshot.notes).toHaveLength(1);
});

afterEach(async () => {
  for (const d of opened.splice(0)) await d.delete();
});

// ---- record arbitraries (hand-written from the stored shapes, not from the zod schemas) -------------

const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const id = fc.oneof(fc.uuid(), fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/));
const time = fc.integer({ min: 0, max: 4_102_444_800_000 });
const json = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
const str = (max: number) => fc.string({ unit: 'binary', maxLength: Math.min(max, 40) });
const opt = (required: string[], model: Record<string, fc.Arbitrary<unknown>>) =>
  fc.record(model, { requiredKeys: required as never[] }) as fc.Arbitrary<Record<string, unknown>>;

const RECORDS: Record<Table, fc.Arbitrary<Record<string, unknown>>> = {
  calls: opt(['id', 'platform', 'meetingHash', 'status', 'tabIds', 'detectedAt', 'detectedBy', 'updatedAt'], {
    id, platform: fc.constantFrom('meet', 'zoom', 'teams'), meetingHash: hex64, status: fc.constantFrom('lobby', 'active', 'ended'),
    tabIds: fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { maxLength: 3 }), detectedAt: time, lobbyAt: time, admittedAt: time, endedAt: time,
    endReason: fc.constantFrom('left', 'tab-closed', 'navigated-away', 'meeting-switched', 'ended-unknown'), promptShownAt: time,
    outcome: fc.constantFrom(...outcomes), reason: fc.constantFrom(...notRecordingReasons), decidedAt: time, category: fc.constantFrom(...callCategories),
    rule: fc.constantFrom(...recordingRules), recordingSince: time, recordingSources: fc.array(str(20), { maxLength: 2 }),
    detectedBy: fc.array(fc.constantFrom('meet-participant-tile', 'manual', 'zoom-footer'), { maxLength: 3 }), updatedAt: time,
  }),
  events: opt(['id', 'callId', 'type', 'at', 'data'], {
    id, callId: id, type: fc.constantFrom('lobby', 'admitted', 'decision', 'late-joiner', 'left', 'recording-stopped'), at: time, data: json,
  }),
  notes: fc.record({ callId: id, text: str(20_000), author: fc.constant('rep'), createdAt: time, updatedAt: time }),
  tags: opt(['id', 'callId', 'tag', 'offsetMs', 'at'], { id, callId: id, tag: fc.string({ minLength: 1, maxLength: 40 }), offsetMs: time, text: str(280), at: time }),
  checklists: opt(['callId', 'status', 'fields', 'pendingSince', 'updatedAt'], {
    callId: id, status: fc.constantFrom('pending', 'done'),
    fields: fc.record({
      qualification: str(100), nextSteps: fc.array(fc.record({ text: str(500), owner: str(120), due: fc.constantFrom('2025-05-09', '') }), { maxLength: 2 }),
      timeline: str(50), risks: str(50), competition: str(50), humanNuance: str(50), powerDynamics: str(50), hesitation: str(50), emotion: str(50),
      urgency: str(50), subtleObjections: str(50),
    }),
    pendingSince: time, completedAt: time, remindedAt: time, updatedAt: time,
  }),
  aiDrafts: fc.record({
    callId: id, source: str(60),
    statements: fc.array(opt(['id', 'text'], { id: fc.stringMatching(/^s[0-9]{1,3}$/), text: str(100), mark: fc.constantFrom('correct', 'wrong'), concernId: id }), { maxLength: 3 }),
    createdAt: time, updatedAt: time,
  }),
  concerns: opt(['id', 'category', 'text', 'anonymous', 'status', 'createdAt', 'updatedAt'], {
    id, category: fc.constantFrom(...concernCategories), text: str(5_000), anonymous: fc.boolean(), status: fc.constantFrom('open', 'acknowledged', 'resolved'),
    callId: id, statementId: fc.stringMatching(/^s[0-9]{1,3}$/), createdAt: time, updatedAt: time,
  }),
  accessLog: opt(['id', 'at', 'purpose', 'action', 'callCount'], {
    id, at: time, purpose: fc.constantFrom('coaching', 'performance'), action: fc.constantFrom('calls-csv', 'backup', 'calls-json'),
    callCount: fc.nat(10_000), approval: fc.record({ approver: str(120), reference: str(200) }),
  }),
  purgeReceipts: fc.record({
    id, at: time, kind: fc.constantFrom('consent', 'calls', 'notes', 'tags'), count: fc.nat(1_000), oldest: fc.option(time, { nil: null }), newest: fc.option(time, { nil: null }),
  }),
  ledger: fc.record({ seq: fc.integer({ min: 1, max: 1_000_000 }), at: time, prevHash: hex64, hash: hex64, entry: json }),
  meta: fc.record({ key: fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,30}$/), value: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown) }) // JSON cannot carry -0,
};

/**
 * A valid backup: a few tables, each with unique primary keys. Without a ledger: random ledger rows
 * are no chain, and a broken chain is never imported (backup-import.test.ts builds real ones).
 */
const backupArb = fc
  .subarray(TABLES.filter((t) => t !== 'ledger'), { minLength: 1 })
  .chain((tables) =>
    fc.record(
      Object.fromEntries(tables.map((t) => [t, fc.uniqueArray(RECORDS[t], { maxLength: 4, selector: (r) => r[KEY[t]] })])) as Record<string, fc.Arbitrary<Record<string, unknown>[]>>,
    ),
  );

/** Fields each record must have, with a value of the wrong type for each. */
const REQUIRED: Record<Table, Record<string, unknown>> = {
  calls: { id: 42, platform: 'webex', meetingHash: 'not-a-hash', status: 'paused', tabIds: '1', detectedAt: '2025-05-06', detectedBy: 'manual', updatedAt: -1 },
  events: { id: null, callId: 7, type: ['decision'], at: 1.5, data: 'agreed' },
  notes: { callId: {}, text: 12, author: 'ai', createdAt: null, updatedAt: 'now' },
  tags: { id: [], callId: false, tag: '', offsetMs: '10', at: {} },
  checklists: { callId: 1, status: 'open', fields: [], pendingSince: 'x', updatedAt: null },
  aiDrafts: { callId: null, source: 60, statements: 'one. two.', createdAt: [], updatedAt: 'x' },
  concerns: { id: 1, category: 'complaint', text: null, anonymous: 'yes', status: 'closed', createdAt: '', updatedAt: {} },
  accessLog: { id: '', at: null, purpose: 'scoring', action: 5, callCount: -1 },
  purgeReceipts: { id: 9, at: 'x', kind: 1, count: 1.5, oldest: 'never', newest: {} },
  ledger: { seq: 0, at: null, prevHash: 'abc', hash: 12, entry: [] },
  meta: { key: 42 },
};

type Corruption = { kind: 'wrong-type'; field: string } | { kind: 'missing'; field: string } | { kind: 'extra'; field: string; value: unknown };
const corruptionFor = (table: Table): fc.Arbitrary<Corruption> =>
  fc.oneof(
    fc.constantFrom(...Object.keys(REQUIRED[table])).map((field): Corruption => ({ kind: 'wrong-type', field })),
    fc.constantFrom(...Object.keys(REQUIRED[table])).map((field): Corruption => ({ kind: 'missing', field })),
    fc.tuple(fc.constantFrom('extra', 'pageTitle', 'constructor', '__proto__', 'rawUrl'), fc.jsonValue({ maxDepth: 1 })).map(([field, value]): Corruption => ({ kind: 'extra', field, value })),
  );

function corrupt(record: Record<string, unknown>, table: Table, c: Corruption): Record<string, unknown> {
  const out = { ...record };
  if (c.kind === 'wrong-type') out[c.field] = REQUIRED[table][c.field];
  else if (c.kind === 'missing') delete out[c.field];
  else Object.defineProperty(out, c.field, { value: c.value, enumerable: true, writable: true, configurable: true });
  return out;
}

const backupText = (tables: unknown) => JSON.stringify({ format: 'candor-backup/1', exportedAt: new Date(T0).toISOString(), tables });
const byKey = (table: Table) => (a: Record<string, unknown>, b: Record<string, unknown>) => {
  const [x, y] = [a[KEY[table]] as string | number, b[KEY[table]] as string | number];
  return x < y ? -1 : x > y ? 1 : 0;
};

// ---- properties ---------------------------------------------------------------------------------------

/** Keys that exist on every object through its prototype: never table names. */
const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];

describe('arbitrary input to data/import', () => {
  it('arbitrary text and JSON is refused readably (not retryable) and writes nothing', async () => {
    const nearMiss = fc.oneof(
      fc.record({ format: fc.oneof(fc.constant('candor-backup/2'), fc.string(), fc.integer(), fc.constant(null)), tables: fc.constant({}) }),
      fc.record({ format: fc.constant('candor-backup/1'), tables: fc.oneof(fc.constant(null), fc.string(), fc.integer(), fc.boolean()) }),
      fc.record({
        format: fc.constant('candor-backup/1'),
        tables: fc.dictionary(
          fc.oneof(fc.constantFrom(...TABLES, 'Calls', 'users', 'settings'), fc.string({ maxLength: 8 })).filter((k) => !(k in Object.prototype)),
          fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 1, maxLength: 3 })),
          { minKeys: 1, maxKeys: 3 },
        ),
      }),
    );
    const input = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      nearMiss.map((v) => JSON.stringify(v)),
      fc.constantFrom('', '{', '{"format":"candor-backup/1","tables":', '\uFEFF{"format":"candor-backup/1","tables":{}}', 'null', '[]'),
    );
    await fc.assert(
      fc.asyncProperty(input, async (text) => {
        const before = await dumpOf(db);
        const reply = await importText(text);
        if (reply.ok) {
          // Only an empty backup can pass (e.g. tables {} or {"notes": []}): it must import nothing.
          expect(Object.values((reply.data as { counts: Record<string, number> }).counts).every((n) => n === 0), text).toBe(true);
        } else {
          await expectOnlyRefusalLogged(db, before, expectReadableRefusal(reply));
        }
      }),
      { numRuns: 100 },
    );
  });

  it.each(PROTOTYPE_NAMES)('a table named %j is an unknown table: refused readably, not as a storage fault', async (name) => {
    // JSON.parse makes "__proto__" an own key; `name in tableSchemas` is true for every name here.
    const texts = [
      `{"format":"candor-backup/1","tables":{"${name}":[{"a":1}]}}`,
      `{"format":"candor-backup/1","tables":{"${name}":[]}}`,
      `{"format":"candor-backup/1","tables":{"notes":[{"callId":"c1","text":"x","author":"rep","createdAt":1,"updatedAt":1}],"${name}":[]}}`,
    ];
    const outcomes: unknown[] = [];
    for (const text of texts) {
      const reply = await importText(text);
      const { accessLog: _refusals, ...rest } = await dumpOf(db);
      const { accessLog: _before, ...restBefore } = snapshot;
      const unchanged = JSON.stringify(rest) === JSON.stringify(restBefore);
      outcomes.push(reply.ok ? { ok: true, unchanged } : { ok: false, retryable: reply.retryable ?? false, unknownTable: /unknown table/i.test(reply.error), error: reply.error, unchanged });
    }
    expect(outcomes).toEqual(texts.map(() => ({ ok: false, retryable: false, unknownTable: true, error: expect.stringContaining(name), unchanged: true })));
  });
});

describe('a valid backup with one corrupted record', () => {
  it('is refused naming table[index], and nothing of the backup is written', async () => {
    const corrupted = backupArb.chain((tables) => {
      const nonEmpty = (Object.keys(tables) as Table[]).filter((t) => tables[t]!.length > 0);
      const pick = nonEmpty.length ? fc.constantFrom(...nonEmpty) : fc.constantFrom(...TABLES);
      return pick.chain((table) => {
        const rows = tables[table] ?? [];
        return fc.tuple(
          fc.constant(tables),
          fc.constant(table),
          rows.length ? fc.nat(rows.length - 1) : fc.constant(-1),
          corruptionFor(table),
          RECORDS[table],
        );
      });
    });
    await fc.assert(
      fc.asyncProperty(corrupted, async ([tables, table, index, corruption, spare]) => {
        const copy: Record<string, Record<string, unknown>[]> = Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, [...v]]));
        let at = index;
        if (at < 0) {
          copy[table] = [spare];
          at = 0;
        }
        copy[table]![at] = corrupt(copy[table]![at]!, table, corruption);
        const before = await dumpOf(db);
        const reply = await importText(backupText(copy));
        const error = expectReadableRefusal(reply);
        expect(error).toContain(`${table}[${at}]`);
        expect(error).toMatch(/Nothing was imported/);
        await expectOnlyRefusalLogged(db, before, error);
      }),
      { numRuns: 100 },
    );
  });
});

describe('valid backups', () => {
  it('import completely into an empty profile, and backupJson re-exports the same table contents, which import again to the same rows', async () => {
    await fc.assert(
      fc.asyncProperty(backupArb, async (tables) => {
        const target = services(freshDb());
        const text = backupText(tables);
        const reply = await importText(text, target);
        if (!reply.ok) throw new Error(`valid backup refused: ${reply.error}`);
        expect((reply.data as { counts: Record<string, number> }).counts).toEqual({ ...Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, v.length])), ledger: 0 });
        const stored = await expectImported(target.db, tables, text);

        const exported = JSON.parse(await backupJson(target)) as { format: string; tables: Record<string, Record<string, unknown>[]> };
        expect(exported.format).toBe('candor-backup/1');
        // The published shape (docs/schemas/backup.schema.json) holds for every real backup.
        expect(schemaProblems('backup', exported)).toEqual([]);
        // The org-sync outbox is transport state, not data: backups leave it out (docs/sync.md); so
        // are the audit cache (derived), sealed ledger blocks (the ledger is backed up per entry), and
        // the organisation service's enrollment and checkpoints.
        const { outbox: _transport, auditDays: _cache, auditDirty: _marks, ledgerBlocks: _sealed, org: _org, witnessCheckpoints: _witness, ...backedUp } = stored;
        expect(exported.tables).toEqual(backedUp);

        const again = services(freshDb());
        const reexported = JSON.stringify(exported);
        const second = await importText(reexported, again);
        if (!second.ok) throw new Error(`re-export refused: ${second.error}`);
        await expectImported(again.db, exported.tables, reexported);
        await target.db.delete();
        await again.db.delete();
      }),
      { numRuns: 30 },
    );
  }, 60_000);

  it('a backup of a real database (calls, decisions, notes, tags, its ledger) restores to the same rows in an empty one', async () => {
    await createLedgerWriter(s).flush();
    const text = await backupJson(s);
    const target = services(freshDb());
    const reply = await importText(text, target);
    if (!reply.ok) throw new Error(reply.error);
    await expectImported(target.db, (JSON.parse(text) as { tables: Record<string, Record<string, unknown>[]> }).tables, text);
  });
});
