import { DB_NAME } from '../../lib/model';
import { waitFor } from '../../scripts/lib/extension-db';
import type { SeedClient } from './seed';
import { max, median, percentile, round, sleep } from './stats';
import { metric, type Metric } from './types';

/**
 * Row 7's measurement, the same in Chromium (07-retention-purge.ts) and Firefox
 * (firefox-07-retention-purge.ts): what a rep feels while the retention purge runs, i.e. how long
 * a decision or a note save waits for its reply.
 *
 * The browser holds rows past their retention (bench/lib/seed-page.ts `expired`), one recent ended
 * call, one call in progress (a call page open at the fixture's in-call state) and DECISION_CALLS
 * more calls in progress, undecided (seed-page.ts `liveCalls`). A probe page of
 * the extension's origin that runs none of Candor's code (manifest.json) sends, each awaiting its
 * reply and pausing before the next:
 *   - `note/save` for the recent call every 5 ms (a read-write transaction on calls and notes, two
 *     purged tables: it waits behind the purge's transactions as well as its JavaScript);
 *   - `call/decide` every 150 ms until the rows are gone, each the first decision of the next call
 *     in progress (a decision only changes one way: declined -> agreed -> withdrawn), alternating
 *     agreed and declined (calls, events and checklists, then the ledger append): the decision's
 *     own path. Not faster: every decision adds a ledger entry, and 1,000 of them would seal a
 *     block during the measurement. Not during the audit catch-up: each decision marks its day,
 *     and the cache refresh waits for 2 s without marked writes (lib/background/audit-cache/refresh.ts);
 *   - two side probes every 5 ms, to say where a long wait comes from: a message the background
 *     parses and refuses (`bench/ping`: its message path, no storage) and a one-row write from
 *     the probe page straight into IndexedDB (`meta`, a store the purge never writes; no Candor code).
 * After an idle window the purge is started the way the extension starts it, the
 * `retention-purge` alarm. The measured window runs from the alarm until the purge receipts are
 * written and then the audit cache has caught up with the marks the purge left (no `auditDirty`
 * key): the purge's whole effect. Only small things are polled meanwhile (IndexedDB's count()
 * walks every row; counting purged tables every 100 ms held the backend for up to 250 ms).
 */
export const PROBE_GAP_MS = 5;
export const DECISION_GAP_MS = 150;
/** Undecided calls seeded for the decision probe: at one per 150 ms, 300 s of purge. */
export const DECISION_CALLS = 2_000;
const RETENTION_ALARM = 'retention-purge';

export interface ProbeSample { at: number; ms: number; ok: boolean }
interface ProbeState { stop: boolean; stopDecisions: boolean; note: ProbeSample[]; decision: ProbeSample[]; workerOnly: ProbeSample[]; storageOnly: ProbeSample[] }
interface ProbeArgs { dbName: string; noteCallId: string; decisionCallIds: string[]; gapMs: number; decisionGapMs: number }
type ProbeWindow = { __probe: ProbeState };
type Runtime = { sendMessage(m: unknown): Promise<{ ok: boolean; error?: string } | undefined> };

/** Page-side (the probe page): starts the four probes. Anonymous callbacks only (see extension-db.ts). */
function installProbes(a: ProbeArgs): void {
  const state: ProbeState = { stop: false, stopDecisions: false, note: [], decision: [], workerOnly: [], storageOnly: [] };
  (window as unknown as ProbeWindow).__probe = state;
  const g = globalThis as unknown as { chrome?: { runtime: Runtime }; browser?: { runtime: Runtime } };
  const runtime = (g.browser ?? g.chrome)!.runtime;
  const opened = new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open(a.dbName);
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const probes: Array<[ProbeSample[], number, (n: number) => Promise<boolean>]> = [
    [state.note, a.gapMs, async (n) => (await runtime.sendMessage({ type: 'note/save', callId: a.noteCallId, text: `probe ${n}` }))?.ok === true],
    [state.decision, a.decisionGapMs, async (n) => {
      const callId = a.decisionCallIds[n];
      if (!callId) throw new Error('more decisions than calls in progress were seeded');
      return (await runtime.sendMessage({ type: 'call/decide', eventId: crypto.randomUUID(), at: Date.now(), callId, outcome: n % 2 ? 'declined' : 'agreed' }))?.ok === true;
    }],
    [state.workerOnly, a.gapMs, async () => typeof (await runtime.sendMessage({ type: 'bench/ping' }))?.error === 'string'],
    [state.storageOnly, a.gapMs, async (n) => {
      const db = await opened;
      return new Promise<boolean>((resolve) => {
        const tx = db.transaction('meta', 'readwrite');
        tx.objectStore('meta').put({ key: 'bench-probe', value: n });
        tx.oncomplete = () => resolve(true);
        tx.onabort = () => resolve(false);
      });
    }],
  ];
  for (const [into, gap, once] of probes) {
    void (async () => {
      for (let n = 0; !state.stop && !(into === state.decision && state.stopDecisions); n++) {
        const start = performance.now();
        const ok = await once(n).catch(() => false);
        into.push({ at: start, ms: performance.now() - start, ok });
        await new Promise((r) => setTimeout(r, gap));
      }
    })();
  }
}

/** What a case provides: its browser's way into the probe page, the seeder, and the alarm. */
export interface PurgeDriver {
  /** Runs `fn(arg)` in the probe page (an extension-origin page running none of Candor's code). */
  inProbe<A, R>(fn: (arg: A) => R, arg: A): Promise<R>;
  seeder: SeedClient;
  /** Creates the `retention-purge` alarm (name given) to fire now. */
  startPurge(alarm: string): Promise<void>;
}

export interface PurgeRun {
  expired: number;
  /** Waits (ms) in the measured window (alarm → purge done → audit cache caught up). */
  note: number[];
  decision: number[];
  /** The same, split: while rows were deleted, and while the audit cache caught up. */
  notePurging: number[];
  decisionPurging: number[];
  catchingUp: number[];
  idle: number[];
  workerOnly: number[];
  storageOnly: number[];
  purgeMs: number;
  catchUpMs: number;
  /** The five longest waits of either kind: seconds after the alarm and ms. */
  longest: Array<{ kind: 'note' | 'decision'; atS: number; ms: number }>;
}

/**
 * Measures one purge of `expired` rows (already seeded, the call in progress already open).
 * `left` checks what is stored afterwards (throws when the purge left expired rows).
 */
export async function measurePurge(d: PurgeDriver, o: { expired: number; idleMs: number; noteCallId: string; decisionCallIds: string[]; log: (line: string) => void }): Promise<PurgeRun> {
  const now = () => d.inProbe(() => performance.now(), null);
  await d.inProbe(installProbes, { dbName: DB_NAME, noteCallId: o.noteCallId, decisionCallIds: o.decisionCallIds, gapMs: PROBE_GAP_MS, decisionGapMs: DECISION_GAP_MS });
  await sleep(o.idleMs);
  const purgeStart = await now();
  const t = performance.now();
  await d.startPurge(RETENTION_ALARM);
  await waitFor(() => d.seeder.counts(['purgeReceipts']), (c) => (c.purgeReceipts ?? 0) > 0, 240_000, 100);
  const purgeMs = performance.now() - t;
  const purgeEnd = await now();
  // A purge shorter than the decision gap (the smoke sizes) would measure no decision: the probe
  // stops only once one decision started after the alarm.
  await d.inProbe((from: number) => new Promise<void>((resolve) => {
    const s = (window as unknown as ProbeWindow).__probe;
    const timer = setInterval(() => {
      if (!s.decision.some((x) => x.at >= from)) return;
      s.stopDecisions = true;
      clearInterval(timer);
      resolve();
    }, 10);
  }), purgeStart);
  await waitFor(() => d.seeder.isEmpty('auditDirty'), (empty) => empty, 240_000, 250);
  const catchUpMs = performance.now() - t - purgeMs;
  const catchUpEnd = await now();
  const state = await d.inProbe(() => {
    const s = (window as unknown as ProbeWindow).__probe;
    s.stop = true;
    return s;
  }, null);
  await sleep(200);

  // Every expired row is gone; the recent call (+ checklist, + its probe note) and the calls in progress stay.
  const after = await d.seeder.counts(['calls', 'events', 'checklists', 'notes', 'tags']);
  const liveEvents = await d.seeder.run('countIndexAny', { store: 'events', index: 'callId', keys: o.decisionCallIds });
  if (!(after.calls === 1 + o.decisionCallIds.length && after.events === liveEvents && after.checklists === 1 && (after.notes ?? 0) <= 1 && after.tags === 0)) {
    throw new Error(`The purge left expired rows: ${JSON.stringify(after)} (${liveEvents} events of the call in progress)`);
  }
  for (const [name, list] of Object.entries(state)) {
    if (Array.isArray(list) && list.some((s: ProbeSample) => !s.ok)) throw new Error(`${list.filter((s: ProbeSample) => !s.ok).length} ${name} probes failed (not acknowledged, or the write did not commit)`);
  }

  const within = (list: ProbeSample[], from: number, to: number) => list.filter((s) => s.at >= from && s.at <= to);
  const ms = (list: ProbeSample[]) => list.map((s) => s.ms);
  const note = within(state.note, purgeStart, catchUpEnd);
  const decision = within(state.decision, purgeStart, catchUpEnd);
  const run: PurgeRun = {
    expired: o.expired,
    note: ms(note),
    decision: ms(decision),
    notePurging: ms(within(state.note, purgeStart, purgeEnd)),
    decisionPurging: ms(within(state.decision, purgeStart, purgeEnd)),
    catchingUp: ms([...within(state.note, purgeEnd, catchUpEnd), ...within(state.decision, purgeEnd, catchUpEnd)]),
    idle: ms([...state.note, ...state.decision].filter((s) => s.at < purgeStart)),
    workerOnly: ms(within(state.workerOnly, purgeStart, catchUpEnd)),
    storageOnly: ms(within(state.storageOnly, purgeStart, catchUpEnd)),
    purgeMs,
    catchUpMs,
    longest: [...note.map((s) => ({ kind: 'note' as const, s })), ...decision.map((s) => ({ kind: 'decision' as const, s }))]
      .sort((a, b) => b.s.ms - a.s.ms).slice(0, 5).map(({ kind, s }) => ({ kind, atS: round((s.at - purgeStart) / 1000, 1), ms: round(s.ms) })),
  };
  if (run.note.length < 3 || run.decision.length < 1 || run.idle.length < 1 || run.workerOnly.length < 1 || run.storageOnly.length < 1) {
    throw new Error(`Too few probe replies (note ${run.note.length}, decision ${run.decision.length}, idle ${run.idle.length}, worker ${run.workerOnly.length}, storage ${run.storageOnly.length})`);
  }
  o.log(`${o.expired} rows: purge ${(purgeMs / 1000).toFixed(1)} s + audit catch-up ${(catchUpMs / 1000).toFixed(1)} s; note/save ${run.note.length} (p99 ${percentile(run.note, 99).toFixed(1)}, max ${max(run.note).toFixed(1)} ms), decisions ${run.decision.length} (p99 ${percentile(run.decision, 99).toFixed(1)}, max ${max(run.decision).toFixed(1)} ms); longest ${run.longest.map((w) => `${w.kind} ${w.ms} ms at ${w.atS} s`).join(', ')}; message path only max ${max(run.workerOnly).toFixed(1)} ms, IndexedDB only max ${max(run.storageOnly).toFixed(1)} ms`);
  return run;
}

/** The row's budgets. */
export const BIG_MAX_MS = 250;
export const BIG_P99_MS = 100;
export const DAY_MAX_MS = 50;

const both = (r: PurgeRun) => [...r.note, ...r.decision];
const orZero = (xs: number[], f: (xs: number[]) => number) => (xs.length ? round(f(xs)) : 0);

/** Row 7's metrics from the 100,000-row purge (`big`) and the one-day purge (`day`). */
export function purgeMetrics(big: PurgeRun, day: PurgeRun): Metric[] {
  const n = (x: number) => x.toLocaleString('en-US');
  return [
    metric('maxWaitMs', `${n(big.expired)} rows: longest wait for a decision or note save`, round(max(both(big))), 'ms', BIG_MAX_MS),
    metric('p99WaitMs', `${n(big.expired)} rows: p99 wait (the worse of decisions and note saves)`, round(Math.max(percentile(big.note, 99), percentile(big.decision, 99))), 'ms', BIG_P99_MS),
    metric('oneDayMaxWaitMs', `one day's expiry (${n(day.expired)} rows): longest wait for a decision or note save`, round(max(both(day))), 'ms', DAY_MAX_MS),
    metric('noteMaxMs', 'note save: longest wait', round(max(big.note)), 'ms'),
    metric('noteP99Ms', 'note save: p99 wait', round(percentile(big.note, 99)), 'ms'),
    metric('noteP50Ms', 'note save: p50 wait', round(median(big.note)), 'ms'),
    metric('decisionMaxMs', 'decision: longest wait', round(max(big.decision)), 'ms'),
    metric('decisionP99Ms', 'decision: p99 wait', round(percentile(big.decision, 99)), 'ms'),
    metric('decisionP50Ms', 'decision: p50 wait', round(median(big.decision)), 'ms'),
    metric('purgingMaxMs', 'longest wait while rows were deleted', round(max([...big.notePurging, ...big.decisionPurging])), 'ms'),
    metric('catchUpMaxWaitMs', 'longest wait while the audit cache caught up after the purge', orZero(big.catchingUp, max), 'ms'),
    metric('workerOnlyMaxMs', 'longest reply to a message that needs no storage (message path only)', round(max(big.workerOnly)), 'ms'),
    metric('storageOnlyMaxMs', 'longest one-row IndexedDB write from another page (no Candor code, a store the purge never writes)', round(max(big.storageOnly)), 'ms'),
    metric('idleMaxMs', 'longest wait before the purge (idle)', round(max(big.idle)), 'ms'),
    metric('purgeMs', `${n(big.expired)} rows: alarm → every expired row gone`, round(big.purgeMs, 0), 'ms'),
    metric('catchUpMs', 'purge done → audit cache caught up', round(big.catchUpMs, 0), 'ms'),
    metric('oneDayPurgeMs', 'one day: alarm → every expired row gone', round(day.purgeMs, 0), 'ms'),
    metric('oneDayStorageOnlyMaxMs', 'one day: longest one-row IndexedDB write from another page', round(max(day.storageOnly)), 'ms'),
    metric('probes', `${n(big.expired)} rows: decisions + note saves measured`, both(big).length, 'count'),
  ];
}

/** Row 7's raw samples for the results file. */
export function purgeSamples(big: PurgeRun, day: PurgeRun): Record<string, number[]> {
  const r = (xs: number[]) => xs.map((x) => round(x));
  return {
    noteMs: r(big.note),
    decisionMs: r(big.decision),
    oneDayNoteMs: r(day.note),
    oneDayDecisionMs: r(day.decision),
    workerOnlyMs: r(big.workerOnly),
    storageOnlyMs: r(big.storageOnly),
    idleMs: r(big.idle),
    longestAtS: big.longest.map((w) => w.atS),
    longestMs: big.longest.map((w) => w.ms),
  };
}
