import type { FirefoxBrowser } from '../../scripts/lib/firefox';
import { openFirefoxSeeder, pollFirefoxPage, withFirefoxBench } from '../lib/firefox';
import { max, median, percentile, round, sleep } from '../lib/stats';
import { defineCase, metric } from '../lib/types';

/**
 * Row 7 in Firefox ESR — while a retention purge runs, how long does a note save wait? As
 * 07-retention-purge.ts does in Chromium: rows past the default retention seeded with
 * bench/lib/seed-page.js (per 10: 2 calls, 4 events, 2 checklists, 1 note, 1 tag) plus one recent
 * call; a probe in an extension-origin page that runs none of Candor's code (manifest.json) sends
 * `note/save` for the recent call (a read-write transaction on calls and notes, two purged tables:
 * it waits behind the purge's transactions and its JavaScript, as a decision, which writes calls,
 * would), awaits the reply, waits 5 ms, again. Two side probes run beside it: a message the
 * background parses and refuses (its message path only) and a one-row write from the probe page
 * straight into IndexedDB (a store the purge never writes). After an idle window the purge is
 * started the way the extension starts it, the `retention-purge` alarm (created from the probe
 * page: alarms belong to the extension, its background page gets the event). It ends when the
 * purge receipts are written; the probes run on until the audit cache caught up (no dirty mark
 * left). Two purges, each in a fresh browser: 100,000 expired rows, and 2,000 — one day's worth,
 * what the daily alarm meets in steady use. Seeding is fast in Firefox (~8 s for 100,000 rows),
 * so unlike Chromium's case no seeded profile is cached.
 */
const sizes = {
  full: { expired: 100_000, oneDay: 2_000, idleMs: 5_000 },
  smoke: { expired: 1_000, oneDay: 200, idleMs: 300 },
};
const PER_TRANSACTION = 5_000;
const PROBE_GAP_MS = 5;
const RETENTION_ALARM = 'retention-purge';

type Probe = { at: number; ms: number; ok: boolean };
type ProbeWindow = { __probe: { stop: boolean; samples: Probe[]; workerOnly: Probe[]; storageOnly: Probe[] } };
type SeedGlobal = { __candorSeed: { counts(s: string[]): Promise<Record<string, number>>; isEmpty(s: string): Promise<boolean>; call(i: number, a: number, o: string): { id: string } } };

interface PurgeRun {
  during: number[];
  catchingUp: number[];
  idle: number[];
  workerDuring: number[];
  storageDuring: number[];
  purgeMs: number;
  catchUpMs: number;
  longest: Array<{ atS: number; ms: number }>;
}

async function purgeOnce(ff: FirefoxBrowser, expired: number, idleMs: number, log: (line: string) => void): Promise<PurgeRun> {
  const seeder = await openFirefoxSeeder(ff, 'manifest.json');
  const seedStart = performance.now();
  const now = Date.now();
  for (let from = 0; from < expired; from += PER_TRANSACTION) await seeder.run('expired', { from, count: Math.min(PER_TRANSACTION, expired - from), now });
  await seeder.run('popupCalls', { from: 0, count: 1, total: 1, pending: 0, now });
  const seeded = await seeder.counts(['calls', 'events', 'checklists', 'notes', 'tags']);
  const seededRows = Object.values(seeded).reduce((a, c) => a + c, 0) - 2; // the recent call and its checklist
  if (seededRows !== expired) throw new Error(`Seeded ${JSON.stringify(seeded)}, expected ${expired} expired rows + 1 recent call and its checklist`);
  const recentCallId = await seeder.page.evaluate(() => (globalThis as unknown as SeedGlobal).__candorSeed.call(0, 0, 'agreed').id);
  log(`${expired} rows: seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  const probe = await ff.openExtensionPage('manifest.json');
  await probe.evaluate((callId: string, gap: number) => {
    const state = { stop: false, samples: [] as Probe[], workerOnly: [] as Probe[], storageOnly: [] as Probe[] };
    (window as unknown as ProbeWindow).__probe = state;
    const runtime = (globalThis as unknown as { browser: { runtime: { sendMessage(m: unknown): Promise<{ ok: boolean; error?: string } | undefined> } } }).browser.runtime;
    const opened = new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('candor');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    // Anonymous functions only: the bench's TypeScript runner names `const f = () => …` with a helper the page lacks.
    const probes: Array<[Probe[], (n: number) => Promise<boolean>]> = [
      [state.samples, async (n) => (await runtime.sendMessage({ type: 'note/save', callId, text: `probe ${n}` }))?.ok === true],
      [state.workerOnly, async () => typeof (await runtime.sendMessage({ type: 'bench/ping' }))?.error === 'string'],
      [state.storageOnly, async (n) => {
        const db = await opened;
        return new Promise<boolean>((resolve) => {
          const tx = db.transaction('meta', 'readwrite');
          tx.objectStore('meta').put({ key: 'bench-probe', value: n });
          tx.oncomplete = () => resolve(true);
          tx.onabort = () => resolve(false);
        });
      }],
    ];
    for (const [into, once] of probes) {
      void (async () => {
        for (let n = 0; !state.stop; n++) {
          const start = performance.now();
          const ok = await once(n).catch(() => false);
          into.push({ at: start, ms: performance.now() - start, ok });
          await new Promise((r) => setTimeout(r, gap));
        }
      })();
    }
  }, recentCallId, PROBE_GAP_MS);
  await sleep(idleMs);
  const purgeStart = await probe.evaluate(() => performance.now());
  const t = performance.now();
  await probe.evaluate((name: string) => (globalThis as unknown as { browser: { alarms: { create(n: string, o: { when: number }): Promise<void> } } }).browser.alarms.create(name, { when: Date.now() }), RETENTION_ALARM);
  // Only the small receipts table is polled (count() walks every row of a table).
  await pollFirefoxPage(seeder.page, () => (globalThis as unknown as SeedGlobal).__candorSeed.counts(['purgeReceipts']), (c) => (c.purgeReceipts ?? 0) > 0, 240_000, 100);
  const purgeMs = performance.now() - t;
  const purgeEnd = await probe.evaluate(() => performance.now());
  await pollFirefoxPage(seeder.page, () => (globalThis as unknown as SeedGlobal).__candorSeed.isEmpty('auditDirty'), (empty) => empty, 240_000, 250);
  const catchUpMs = performance.now() - t - purgeMs;
  const catchUpEnd = await probe.evaluate(() => performance.now());
  await probe.evaluate(() => { (window as unknown as ProbeWindow).__probe.stop = true; });
  await sleep(100);
  const after = await seeder.counts(['calls', 'events', 'checklists', 'notes', 'tags']);
  if (!(after.calls === 1 && after.events === 0 && after.checklists === 1 && (after.notes ?? 0) <= 1 && after.tags === 0)) throw new Error(`The purge left expired rows: ${JSON.stringify(after)}`);
  const { samples, workerOnly, storageOnly } = await probe.evaluate(() => (window as unknown as ProbeWindow).__probe);
  await probe.close();
  await seeder.page.close();

  const inPurge = (list: Probe[]) => list.filter((s) => s.at >= purgeStart && s.at <= purgeEnd);
  const during = inPurge(samples).map((s) => s.ms);
  const workerDuring = inPurge(workerOnly).map((s) => s.ms);
  const storageDuring = inPurge(storageOnly).map((s) => s.ms);
  const idle = samples.filter((s) => s.at < purgeStart).map((s) => s.ms);
  const catchingUp = samples.filter((s) => s.at > purgeEnd && s.at <= catchUpEnd).map((s) => s.ms);
  if (samples.some((s) => !s.ok)) throw new Error(`${samples.filter((s) => !s.ok).length} note/save probes were not acknowledged`);
  if (workerOnly.some((s) => !s.ok) || storageOnly.some((s) => !s.ok)) throw new Error('A side probe failed');
  if (during.length < 3 || idle.length < 1 || workerDuring.length < 1 || storageDuring.length < 1) throw new Error(`Too few probe replies (idle ${idle.length}, during ${during.length}, worker ${workerDuring.length}, storage ${storageDuring.length})`);
  const longest = [...inPurge(samples)].sort((a, b) => b.ms - a.ms).slice(0, 5).map((s) => ({ atS: round((s.at - purgeStart) / 1000, 1), ms: round(s.ms) }));
  log(`${expired} rows: purge ${(purgeMs / 1000).toFixed(1)} s, ${during.length} probes, p50 ${median(during).toFixed(1)} ms, p99 ${percentile(during, 99).toFixed(1)} ms, max ${max(during).toFixed(1)} ms; longest ${longest.map((w) => `${w.ms} ms at ${w.atS} s`).join(', ')}; message path only max ${max(workerDuring).toFixed(1)} ms, IndexedDB only max ${max(storageDuring).toFixed(1)} ms`);
  return { during, catchingUp, idle, workerDuring, storageDuring, purgeMs, catchUpMs, longest };
}

export default defineCase({
  row: 7,
  browser: 'firefox',
  name: 'firefox-retention-purge',
  what: 'Firefox ESR — retention purge of 100,000 expired rows (and a one-day purge of 2,000): longest wait for a note/save reply (every 5 ms) while it runs',
  budget: '≤ 50 ms',
  async run({ size, log }) {
    const p = sizes[size];
    const big = await withFirefoxBench((ff) => purgeOnce(ff, p.expired, p.idleMs, log));
    const day = await withFirefoxBench((ff) => purgeOnce(ff, p.oneDay, p.idleMs, log));
    return {
      metrics: [
        metric('maxWaitMs', `longest wait for a reply during the purge (${p.expired.toLocaleString('en-US')} rows)`, round(max(big.during)), 'ms', 50),
        metric('p99WaitMs', 'p99 wait during the purge', round(percentile(big.during, 99)), 'ms'),
        metric('p95WaitMs', 'p95 wait during the purge', round(percentile(big.during, 95)), 'ms'),
        metric('p50WaitMs', 'p50 wait during the purge', round(median(big.during)), 'ms'),
        metric('oneDayMaxWaitMs', `longest wait during a one-day purge (${p.oneDay.toLocaleString('en-US')} rows)`, round(max(day.during)), 'ms', 50),
        metric('catchUpMaxWaitMs', 'longest wait while the audit cache caught up after the purge', big.catchingUp.length ? round(max(big.catchingUp)) : 0, 'ms', 50),
        metric('workerOnlyMaxMs', 'longest reply to a message that needs no storage (message path only) during the purge', round(max(big.workerDuring)), 'ms'),
        metric('storageOnlyMaxMs', 'longest one-row IndexedDB write from another page (no background) during the purge', round(max(big.storageDuring)), 'ms'),
        metric('idleMaxMs', 'longest wait before the purge (idle)', round(max(big.idle)), 'ms'),
        metric('purgeMs', 'alarm → every expired row gone', round(big.purgeMs, 0), 'ms'),
        metric('catchUpMs', 'purge done → audit cache caught up', round(big.catchUpMs, 0), 'ms'),
        metric('oneDayPurgeMs', 'one-day purge: alarm → every expired row gone', round(day.purgeMs, 0), 'ms'),
        metric('probes', 'probe requests during the purge', big.during.length, 'count'),
      ],
      params: { expired: p.expired, oneDay: p.oneDay, probeGapMs: PROBE_GAP_MS, idleMs: p.idleMs },
      samples: {
        duringMs: big.during.map((x) => round(x)),
        oneDayDuringMs: day.during.map((x) => round(x)),
        workerOnlyMs: big.workerDuring.map((x) => round(x)),
        storageOnlyMs: big.storageDuring.map((x) => round(x)),
        idleMs: big.idle.map((x) => round(x)),
        longestAtS: big.longest.map((w) => w.atS),
        longestMs: big.longest.map((w) => w.ms),
      },
    };
  },
});
