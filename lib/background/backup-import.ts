import { browser } from 'wxt/browser';
import type { Table } from 'dexie';
import { z } from 'zod';
import { allLedgerRecords, LEDGER_CHECKPOINT_KEY, ledgerCheckpoint, ledgerShape } from '../db/ledger-store';
import { appendRecord, type Checkpoint } from '../ledger/chain';
import type { ImportEntry } from '../ledger/entry';
import { headOf, planLedgerImport } from '../ledger/import-rules';
import type { Request } from '../protocol/requests';
import type { ImportPlan } from '../protocol/replies';
import { outboxRow, syncEnabled } from '../sync/payload';
import { sha256Hex } from '../util/hash';
import { echo } from '../util/zod-error';
import { head, LEDGERED_EVENTS, repId } from './ledger';
import { forgetSalt } from './meeting-ref';
import { activeEnrollment, enrollment, fetchLatestCheckpoint } from './org';
import { english } from '../i18n/english';
import { says, spoken } from '../i18n/says';
import { RequestError, type Services } from './services';
import { witnessedPoints } from './witness';
import { type AccessLogRecord, type CallEvent, type LedgerRecord, backupTableSchemas as tableSchemas, type BackupTable as TableName } from '../model';

type BackupImport = Extract<Request, { type: 'data/import' }>;
type Rows = Partial<Record<TableName, Record<string, unknown>[]>>;

/**
 * Backup import (docs/ledger.md, "Imports"): history is never rewritten. The file is validated
 * record by record (the first bad one is named); the consent ledger may only be restored into an
 * empty one or extended exactly (lib/ledger/import-rules.ts), never against a checkpoint the
 * organisation's witness signed; consent events must come with their ledger entries; records this
 * browser already holds are kept as they are, and the history tables (events, access log, purge
 * receipts) refuse a different copy. An accepted import appends a `backup-imported` ledger entry
 * (the file's SHA-256, the entries added); every import, accepted or refused, is an access-log row.
 * All of it is written in one transaction, or nothing is.
 */

const KEYS: Record<TableName, string> = {
  calls: 'id', events: 'id', notes: 'callId', tags: 'id', checklists: 'callId', aiDrafts: 'callId', concerns: 'id',
  accessLog: 'id', purgeReceipts: 'id', ledger: 'seq', meta: 'key',
};
/** Append-only: a record here that differs from the stored one with the same key would rewrite history. */
const HISTORY: readonly TableName[] = ['events', 'accessLog', 'purgeReceipts'];
/** Meta rows that are transport state or this ledger's own position: never taken from a file as they are. */
const NOT_IMPORTED_META = new Set(['syncState', LEDGER_CHECKPOINT_KEY]);
/** The install's identity: a restore takes the backup's, so the restored chain goes on under its rep id. */
const IDENTITY_META = new Set(['repId', 'meetingSalt']);

const checkpointSchema = z.strictObject({ seq: z.int().nonnegative(), hash: z.string().regex(/^[0-9a-f]{64}$/) });

interface Prepared {
  plan: ImportPlan;
  rows: Rows;
  /** The new rows of each table, and the ledger records to add. */
  fresh: Rows;
  add: LedgerRecord[];
  checkpoint: Checkpoint | null;
  backupRep: string | null;
  shape: string;
  callCount: number;
}

export async function importBackup(s: Services, msg: BackupImport): Promise<{ counts: Record<string, number>; plan: ImportPlan; done: boolean }> {
  const fileHash = await sha256Hex(msg.text);
  let prepared: Prepared;
  try {
    prepared = await prepare(s, msg.text, fileHash);
  } catch (error) {
    // A refusal is part of the record too: who tried to import what, and why it was refused.
    if (error instanceof RequestError) await logImport(s, { fileHash, callCount: 0, refused: error.message });
    throw error;
  }
  if (msg.dryRun) return { counts: prepared.plan.added, plan: prepared.plan, done: false };
  await write(s, prepared);
  return { counts: prepared.plan.added, plan: prepared.plan, done: true };
}

function parseFile(text: string): Rows {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new RequestError(says('refusal_import_not_json'));
  }
  const backup = parsed as { format?: unknown; tables?: unknown };
  if (backup?.format !== 'candor-backup/1' || typeof backup.tables !== 'object' || backup.tables === null || Array.isArray(backup.tables)) {
    throw new RequestError(says('refusal_import_not_backup'), 'Expected format "candor-backup/1" with "tables".');
  }
  const valid: Rows = {};
  for (const [name, rows] of Object.entries(backup.tables as Record<string, unknown>)) {
    if (!Object.hasOwn(tableSchemas, name)) throw new RequestError(says('refusal_import_unknown_table', echo(name)));
    if (!Array.isArray(rows)) throw new RequestError(says('refusal_import_not_list', name));
    const schema = tableSchemas[name as TableName];
    const key = KEYS[name as TableName];
    const seen = new Set<unknown>();
    rows.forEach((row, i) => {
      const result = schema.safeParse(row);
      if (!result.success) {
        const issue = result.error.issues[0]!;
        const where = issue.path.length ? `.${issue.path.join('.')}` : '';
        throw new RequestError(says('refusal_import_record_invalid', `${name}[${i}]${where}`), `Record ${name}[${i}]${where} is invalid: ${spoken(issue.message, english) ?? issue.message}.`);
      }
      const id = (row as Record<string, unknown>)[key];
      if (seen.has(id)) throw new RequestError(says('refusal_import_duplicate', name, echo(id), `${name}[${i}]`));
      seen.add(id);
    });
    valid[name as TableName] = rows as Record<string, unknown>[];
  }
  return valid;
}

const metaValue = (rows: Rows, key: string) => rows.meta?.find((m) => m.key === key)?.value;

/** Best effort: the witness's latest word before judging a backup against it (offline, the stored ones count). */
async function refreshWitness(s: Services): Promise<void> {
  if (!(await activeEnrollment(s))) return;
  await fetchLatestCheckpoint({ ...s, net: s.net ? { ...s.net, timeoutMs: Math.min(s.net.timeoutMs ?? 5_000, 5_000) } : undefined }).catch(() => undefined);
}

async function prepare(s: Services, text: string, fileHash: string): Promise<Prepared> {
  const rows = parseFile(text);
  const { db } = s;
  await refreshWitness(s);
  const shape = await ledgerShape(db);
  const [localRecords, localCheckpoint, witnessed, localRep, enrolled] = await Promise.all([
    allLedgerRecords(db), ledgerCheckpoint(db), witnessedPoints(db), db.meta.get('repId'), enrollment(s),
  ]);

  let backupCheckpoint: Checkpoint | null = null;
  const rawCheckpoint = metaValue(rows, LEDGER_CHECKPOINT_KEY);
  if (rawCheckpoint !== undefined && rawCheckpoint !== null) {
    const parsed = checkpointSchema.safeParse(rawCheckpoint);
    if (!parsed.success) throw new RequestError(says('refusal_import_checkpoint_invalid'), `meta "${LEDGER_CHECKPOINT_KEY}"`);
    backupCheckpoint = parsed.data;
  }
  // Whose ledger it is comes first: another install's chain can neither extend this one nor, while
  // enrolled, replace the enrolled install's identity.
  const backupRepValue = metaValue(rows, 'repId');
  const backupRep = typeof backupRepValue === 'string' ? backupRepValue : null;
  const ownRep = typeof localRep?.value === 'string' ? localRep.value : null;
  const localEmpty = localRecords.length === 0 && localCheckpoint === null;
  if (!localEmpty && backupRep && ownRep && backupRep !== ownRep) {
    throw new RequestError(says('refusal_import_other_install', backupRep.slice(0, 60)));
  }
  if (localEmpty && enrolled && backupRep && backupRep !== enrolled.installId) {
    throw new RequestError(says('refusal_import_other_enrolled'), `Backup rep id ${backupRep.slice(0, 60)}.`);
  }
  const backupLedger = rows.ledger ? { checkpoint: backupCheckpoint, records: [...(rows.ledger as LedgerRecord[])].sort((a, b) => a.seq - b.seq) } : null;
  const ledger = await planLedgerImport(backupLedger, { checkpoint: localCheckpoint, records: localRecords }, witnessed);
  if (!ledger.ok) throw new RequestError(ledger.reason, ledger.detail);

  // What is already stored, table by table (one read per table, by key).
  const existing: Partial<Record<TableName, Map<unknown, unknown>>> = {};
  for (const [name, list] of Object.entries(rows) as [TableName, Record<string, unknown>[]][]) {
    const keys = list.map((r) => r[KEYS[name]]);
    const found = await (db.table(name) as Table<Record<string, unknown>, unknown>).bulkGet(keys);
    existing[name] = new Map(keys.flatMap((k, i) => (found[i] === undefined ? [] : [[k, found[i]]])));
  }

  checkEvents(rows, existing, ledger.mode === 'restore' ? ledger.add : [...localRecords, ...ledger.add]);
  for (const name of HISTORY) {
    for (const row of rows[name] ?? []) {
      const stored = existing[name]?.get(row[KEYS[name]]);
      if (stored !== undefined && !sameRecord(stored, row)) {
        throw new RequestError(says('refusal_import_differs', name, echo(row[KEYS[name]])));
      }
    }
  }

  const fresh: Rows = {};
  const added: Record<string, number> = {};
  const kept: Record<string, number> = {};
  for (const [name, list] of Object.entries(rows) as [TableName, Record<string, unknown>[]][]) {
    if (name === 'ledger') continue;
    const here = existing[name]!;
    const take = list.filter((r) => {
      if (name !== 'meta') return !here.has(r[KEYS[name]]);
      const key = r.key as string;
      if (NOT_IMPORTED_META.has(key)) return false;
      // A restore takes on the backup's identity; an extension keeps this install's.
      return ledger.mode === 'restore' && IDENTITY_META.has(key) ? true : !here.has(key);
    });
    fresh[name] = take;
    added[name] = take.length;
    kept[name] = list.length - take.length;
  }
  const add = ledger.add as LedgerRecord[];
  added.ledger = add.length;
  if (rows.ledger) kept.ledger = rows.ledger.length - add.length;
  return {
    plan: {
      mode: ledger.mode, fileHash,
      ledger: { added: add.length, firstSeq: add[0]?.seq ?? null, lastSeq: add[add.length - 1]?.seq ?? null },
      added, kept,
    },
    rows, fresh, add, checkpoint: ledger.mode === 'restore' ? ledger.checkpoint : null, backupRep: ledger.mode === 'restore' ? backupRep : null, shape,
    callCount: fresh.calls?.length ?? 0,
  };
}

/** Records as stored and as read from JSON compare equal when their JSON is (key order aside). */
function sameRecord(a: unknown, b: unknown): boolean {
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v;
  return JSON.stringify(sort(a)) === JSON.stringify(sort(b));
}

/**
 * Consent events are proven by the ledger: an event waiting to be chained (`chain: 0`) would be
 * appended now with a time in the past, and a new consent event without its ledger entry would show
 * as recorded consent without proof. Events from before the chain's first entry are the ones a
 * retention purge already took from the ledger, or were recorded before Candor kept one.
 */
function checkEvents(rows: Rows, existing: Partial<Record<TableName, Map<unknown, unknown>>>, chain: readonly LedgerRecord[]): void {
  const events = (rows.events ?? []) as unknown as CallEvent[];
  const when = (e: CallEvent) => new Date(e.at).toISOString().slice(0, 10);
  const pending = events.filter((e) => e.chain === 0 && LEDGERED_EVENTS.has(e.type));
  if (pending.length) {
    throw new RequestError(says('refusal_import_unchained', pending.length), `Unchained consent events; the first: ${pending[0]!.type} on ${when(pending[0]!)}.`);
  }
  const inChain = new Set(chain.map((r) => (r.entry as { eventId?: unknown }).eventId));
  // The first consent entry: record-keeping entries (an earlier import) say nothing about consent.
  const firstAt = chain.find((r) => r.entry.type !== 'backup-imported')?.at ?? Infinity;
  const unproven = events.filter((e) => LEDGERED_EVENTS.has(e.type) && !existing.events?.has(e.id) && !inChain.has(e.id) && e.at >= firstAt);
  if (unproven.length) {
    throw new RequestError(says('refusal_import_unproven', unproven.length), `Consent events not in the ledger; the first: ${unproven[0]!.type} on ${when(unproven[0]!)}.`);
  }
}

async function write(s: Services, p: Prepared): Promise<void> {
  const { db } = s;
  const { policy } = await s.policy();
  const syncOn = syncEnabled(policy);
  const now = s.now();
  // The entry recording the import follows the chain as it will be: computed (WebCrypto) before the transaction.
  const start = p.add.length ? headOf({ checkpoint: null, records: p.add }) : p.plan.mode === 'restore' ? headOf({ checkpoint: p.checkpoint, records: [] }) : await head(s);
  const entry: ImportEntry = {
    v: 1, type: 'backup-imported', at: new Date(now).toISOString(), eventId: crypto.randomUUID(), rep: p.backupRep ?? (await repId(s)),
    fileHash: p.plan.fileHash, mode: p.plan.mode, entriesAdded: p.plan.ledger.added, firstSeq: p.plan.ledger.firstSeq, lastSeq: p.plan.ledger.lastSeq,
    policyVersion: policy.policyVersion, extensionVersion: browser.runtime.getManifest().version,
  };
  const record: LedgerRecord = { ...(await appendRecord(start, entry)), at: now };
  const log: AccessLogRecord = { id: crypto.randomUUID(), at: now, purpose: 'record-keeping', action: 'import', callCount: p.callCount, fileHash: p.plan.fileHash };
  await db.transaction('rw', db.tables, async () => {
    if ((await ledgerShape(db)) !== p.shape) throw new RequestError(says('refusal_import_ledger_changed'));
    if (p.checkpoint) await db.meta.put({ key: LEDGER_CHECKPOINT_KEY, value: p.checkpoint });
    const chained = [...p.add.map((r) => ({ seq: r.seq, at: r.at, prevHash: r.prevHash, hash: r.hash, entry: r.entry })), record];
    await db.ledger.bulkAdd(chained);
    for (const [name, rows] of Object.entries(p.fresh) as [TableName, Record<string, unknown>[]][]) {
      if (!rows.length) continue;
      if (name === 'meta') await db.meta.bulkPut(rows as never[]);
      else await (db.table(name) as Table<unknown>).bulkAdd(rows);
    }
    await db.accessLog.add(log);
    // Org sync: the chain's new links go to the witness (it must see every entry to keep verifying), and the log row.
    if (syncOn) await db.outbox.bulkAdd([...chained.map((r) => outboxRow('consent', r, now)), outboxRow('access-log', log, now)]);
  });
  forgetSalt(db);
}

async function logImport(s: Services, row: { fileHash: string; callCount: number; refused: string }): Promise<void> {
  const { db } = s;
  const syncOn = syncEnabled((await s.policy()).policy);
  const log: AccessLogRecord = { id: crypto.randomUUID(), at: s.now(), purpose: 'record-keeping', action: 'import', callCount: row.callCount, fileHash: row.fileHash, refused: row.refused.slice(0, 500) };
  await db.transaction('rw', db.accessLog, db.outbox, async () => {
    await db.accessLog.add(log);
    if (syncOn) await db.outbox.add(outboxRow('access-log', log, log.at));
  });
}
