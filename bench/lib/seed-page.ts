import type { AuditDirtyRecord, CallEvent, CallRecord, ChecklistFields, ChecklistRecord, LedgerBlockRecord, NoteRecord, Outcome, TagRecord } from '../../lib/model';
import { checklistFieldNames, platformIds } from '../../lib/model/vocabulary';

/**
 * Page-side seeding for the performance suite. bench/lib/seed.ts bundles this file (esbuild, one
 * IIFE, nothing else) and evaluates it in an extension page, Chromium's or Firefox's, where it
 * writes with raw IndexedDB into the database Dexie already created, in big transactions. Records
 * are generated in the page (nothing large crosses the DevTools connection), typed with the
 * extension's own record types (lib/model), so a schema change that the seeding misses fails
 * `tsc`. The ledger is the exception: its sealed blocks are built in Node with lib/ledger itself
 * (bench/lib/seed-ledger.ts) and handed over here to be stored.
 * Imports only types and lib/model/vocabulary.ts (plain constants), so the bundle is small.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type StoreName = 'calls' | 'events' | 'checklists' | 'notes' | 'tags' | 'ledgerBlocks' | 'auditDirty';
type Stores = Record<StoreName, IDBObjectStore>;

/** A sealed ledger block as it travels to the page: the body as base64. */
export type SeedLedgerBlock = Omit<LedgerBlockRecord, 'body'> & { body: string };

const hex = (n: number, len: number) => n.toString(16).padStart(len, '0');
/** A valid UUID (version 4 layout) whose first group says what it identifies and the last which one. */
export const seedUuid = (kind: number, i: number) => `${hex(kind, 8)}-0000-4000-8000-${hex(i, 12)}`;
/** A stand-in for the salted meeting hash: 64 hex characters, one per call. */
export const seedMeetingHash = (i: number) => (hex(i, 8) + 'c0ffee42').repeat(4);

const emptyFields = Object.fromEntries(checklistFieldNames.map((f) => [f, f === 'nextSteps' ? [] : ''])) as unknown as ChecklistFields;

/** An ended call, admitted at `admittedAt`, decided 40 s later, 35 minutes long. */
export function seedCall(i: number, admittedAt: number, outcome: Outcome): CallRecord {
  const platform = platformIds[i % 3]!;
  const endedAt = admittedAt + 35 * 60_000;
  return {
    id: seedUuid(1, i), platform, meetingHash: seedMeetingHash(i), status: 'ended', tabIds: [], detectedAt: admittedAt - 60_000, lobbyAt: admittedAt - 60_000,
    admittedAt, endedAt, endReason: 'left', promptShownAt: admittedAt + 50, outcome, ...(outcome === 'not-recorded' ? { reason: 'internal-call' as const } : {}),
    decidedAt: admittedAt + 40_000, detectedBy: [`${platform}-participant-tile`], updatedAt: endedAt,
  };
}

function base64ToBuffer(text: string): ArrayBuffer {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

/** The seeding functions, bound to the extension's database (`DB_NAME` of lib/model, passed in). */
export function createSeeder(dbName: string) {
  function open(): Promise<IDBDatabase> {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(dbName);
      req.onupgradeneeded = () => req.transaction?.abort(); // not created yet: never create it here
      req.onerror = () => reject(req.error ?? new Error(`${dbName} database missing (open an extension page first)`));
      req.onsuccess = () => resolve(req.result);
    });
  }

  /** Runs `fill(stores, i)` for i in [from, from + count) in read-write transactions of `perTx`. */
  async function write(storeNames: StoreName[], from: number, count: number, perTx: number, fill: (s: Stores, i: number) => void): Promise<void> {
    const db = await open();
    try {
      for (let start = from; start < from + count; start += perTx) {
        const end = Math.min(from + count, start + perTx);
        await new Promise<void>((resolve, reject) => {
          const tx = db.transaction(storeNames, 'readwrite', { durability: 'relaxed' });
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error ?? new Error('seed transaction aborted'));
          const stores = Object.fromEntries(storeNames.map((name) => [name, tx.objectStore(name)])) as Stores;
          for (let i = start; i < end; i++) fill(stores, i);
        });
      }
    } finally {
      db.close();
    }
  }

  return {
    /** Row 5: ended calls (one every 3 hours, newest last) with their checklists, the last `pending` still pending. */
    popupCalls({ from, count, total, pending, now }: { from: number; count: number; total: number; pending: number; now: number }) {
      const outcomes: Outcome[] = ['agreed', 'agreed', 'declined', 'not-recorded'];
      return write(['calls', 'checklists'], from, count, 1_000, (s, i) => {
        const c = seedCall(i, now - (total - i) * 3 * HOUR, outcomes[i % 4]!);
        const isPending = i >= total - pending;
        s.calls.put(c);
        const checklist: ChecklistRecord = {
          callId: c.id, status: isPending ? 'pending' : 'done', fields: emptyFields, pendingSince: c.endedAt!,
          ...(isPending ? {} : { completedAt: c.endedAt! + 600_000 }), updatedAt: c.endedAt!,
        };
        s.checklists.put(checklist);
      });
    },

    /**
     * Row 6: `total` calls over the last `days` days, each with `eventsPerCall` events (a real call's
     * life: lobby, admitted, prompt shown, decisions, recording, late joiners, left) and a checklist.
     */
    auditData({ from, count, total, eventsPerCall, days, now }: { from: number; count: number; total: number; eventsPerCall: number; days: number; now: number }) {
      const outcomes: Outcome[] = ['agreed', 'agreed', 'agreed', 'declined', 'not-recorded'];
      const categories = ['external-prospect', 'customer', 'internal', 'customer'] as const;
      const types = ['lobby', 'admitted', 'prompt-shown', 'decision', 'recording-started', 'late-joiner', 'decision', 'recording-stopped', 'late-joiner', 'left'] as const;
      const span = days * DAY;
      return write(['calls', 'events', 'checklists'], from, count, 2_000, (s, i) => {
        const admittedAt = now - span + Math.floor(((i + 0.5) / total) * span);
        const outcome = outcomes[i % 5]!;
        const category = categories[i % 4]!;
        const c: CallRecord = { ...seedCall(i, admittedAt, outcome), category, rule: 'ask-consent' };
        s.calls.put(c);
        const done = i % 3 !== 0;
        const checklist: ChecklistRecord = {
          callId: c.id, status: done ? 'done' : 'pending', fields: done ? { ...emptyFields, humanNuance: 'Champion is new in role.' } : emptyFields,
          // A pending one was reminded when it came due (45 min), as the worker does in real use: an
          // unreminded backlog of ~16,700 kept the worker writing for ~30 s after start.
          pendingSince: c.endedAt!, ...(done ? { completedAt: c.endedAt! + 900_000 } : { remindedAt: c.endedAt! + 2_700_000 }), updatedAt: c.endedAt!,
        };
        s.checklists.put(checklist);
        for (let k = 0; k < eventsPerCall; k++) {
          const type = types[k % types.length]!;
          const data =
            type === 'decision' ? { outcome, category, rule: 'ask-consent', ...(outcome === 'not-recorded' ? { reason: 'internal-call' } : {}) }
            : type === 'late-joiner' ? { answer: k % 2 ? 'agreed' : 'declined', joined: 1 }
            : type === 'recording-stopped' ? { sources: ['platform-banner'], durationMs: 1_200_000 }
            : type === 'recording-started' ? { sources: ['platform-banner'] }
            : type === 'admitted' ? { signals: [`${c.platform}-participant-tile`] }
            : {};
          const event: CallEvent = { id: seedUuid(2, i * eventsPerCall + k), callId: c.id, type, at: admittedAt - 60_000 + k * 150_000, data };
          s.events.put(event);
        }
      });
    },

    /** Row 6: sealed ledger blocks built in Node by lib/ledger (bench/lib/seed-ledger.ts), stored as the worker stores them. */
    putLedgerBlocks(blocks: SeedLedgerBlock[]) {
      const records: LedgerBlockRecord[] = blocks.map((b) => ({ ...b, body: base64ToBuffer(b.body) }));
      return write(['ledgerBlocks'], 0, records.length, records.length, (s, i) => s.ledgerBlocks.put(records[i]!));
    },

    /**
     * Row 7: rows past their retention (defaults: calls, notes, tags, checklists 365 days; events
     * 1,095) in the tables the purge walks, spread over the 30 days before the cutoff. Per 10 rows:
     * 2 calls, 4 events, 2 checklists, 1 note, 1 tag.
     */
    expired({ from, count, now }: { from: number; count: number; now: number }) {
      const old = (i: number, retentionDays: number) => now - (retentionDays + 1) * DAY - (i % 720) * HOUR;
      return write(['calls', 'events', 'notes', 'tags', 'checklists'], from, count, 5_000, (s, i) => {
        const n = i % 10;
        const callNo = Math.floor(i / 10) * 2 + (n & 1);
        const c = seedCall(1_000_000 + callNo, old(callNo, 365), 'agreed');
        if (n < 2) s.calls.put({ ...c, detectedAt: old(i, 365) } satisfies CallRecord);
        else if (n < 6) s.events.put({ id: seedUuid(4, i), callId: c.id, type: 'admitted', at: old(i, 1_095), data: {} } satisfies CallEvent);
        else if (n < 8) s.checklists.put({ callId: c.id, status: 'done', fields: emptyFields, pendingSince: old(i, 365), completedAt: old(i, 365), updatedAt: old(i, 365) } satisfies ChecklistRecord);
        else if (n === 8) s.notes.put({ callId: c.id, text: 'Old note.', author: 'rep', createdAt: old(i, 365), updatedAt: old(i, 365) } satisfies NoteRecord);
        else s.tags.put({ id: seedUuid(5, i), callId: c.id, tag: 'objection', offsetMs: 60_000, at: old(i, 365) } satisfies TagRecord);
      });
    },

    /**
     * Calls in progress, admitted a minute ago and not yet decided: row 7's decision probe gives
     * each one its first decision (a decision can only change in one direction, never back and forth).
     */
    async liveCalls({ count, now }: { count: number; now: number }): Promise<string[]> {
      const ids: string[] = [];
      await write(['calls'], 0, count, 500, (s, i) => {
        const { endedAt: _e, endReason: _r, outcome: _o, reason: _why, decidedAt: _d, ...ended } = seedCall(2_000_000 + i, now - 60_000, 'agreed');
        ids.push(ended.id);
        s.calls.put({ ...ended, status: 'active', updatedAt: now } satisfies CallRecord);
      });
      return ids;
    },

    /** Marks the audit cache stale ('all'), as the extension's own writes mark what they change. */
    markAuditStale(_: null) {
      return write(['auditDirty'], 0, 1, 1, (s) => s.auditDirty.put({ key: 'all', v: Date.now() * 1000 } satisfies AuditDirtyRecord));
    },

    /** Rows of a store whose `index` equals any of `keys` (an index walk of those rows only). */
    async countIndexAny({ store, index, keys }: { store: string; index: string; keys: string[] }): Promise<number> {
      const db = await open();
      try {
        const counts = await Promise.all(keys.map((key) => new Promise<number>((resolve, reject) => {
          const req = db.transaction(store, 'readonly').objectStore(store).index(index).count(key);
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        })));
        return counts.reduce((a, c) => a + c, 0);
      } finally {
        db.close();
      }
    },

    /** Ids of the calls in progress (the `status` index: no walk of the other calls). */
    async activeCallIds(_: null): Promise<string[]> {
      const db = await open();
      try {
        return await new Promise<string[]>((resolve, reject) => {
          const req = db.transaction('calls', 'readonly').objectStore('calls').index('status').getAllKeys('active');
          req.onsuccess = () => resolve(req.result as string[]);
          req.onerror = () => reject(req.error);
        });
      } finally {
        db.close();
      }
    },

    /** Whether the database exists with all these stores (Dexie creates them when an extension page or the worker opens it). */
    async hasStores(storeNames: string[]): Promise<boolean> {
      let db: IDBDatabase;
      try {
        db = await open();
      } catch {
        return false;
      }
      try {
        return storeNames.every((name) => db.objectStoreNames.contains(name));
      } finally {
        db.close();
      }
    },

    /** Row counts per store (sanity checks). IndexedDB's count() walks every row: keep it off measured windows. */
    async counts(storeNames: string[]): Promise<Record<string, number>> {
      const db = await open();
      try {
        const tx = db.transaction(storeNames, 'readonly');
        const out: Record<string, number> = {};
        await Promise.all(storeNames.map((name) => new Promise<void>((resolve, reject) => {
          const req = tx.objectStore(name).count();
          req.onsuccess = () => { out[name] = req.result; resolve(); };
          req.onerror = () => reject(req.error);
        })));
        return out;
      } finally {
        db.close();
      }
    },

    /** Whether a store holds no row: one key-cursor step (count() would walk every row). */
    async isEmpty(storeName: string): Promise<boolean> {
      const db = await open();
      try {
        return await new Promise<boolean>((resolve, reject) => {
          const first = db.transaction(storeName, 'readonly').objectStore(storeName).openKeyCursor();
          first.onsuccess = () => resolve(first.result === null);
          first.onerror = () => reject(first.error);
        });
      } finally {
        db.close();
      }
    },
  };
}

export type Seeder = ReturnType<typeof createSeeder>;
