import { callUrl } from '../../scripts/lib/browser';
import type { FirefoxBrowser } from '../../scripts/lib/firefox';
import { Prompt } from '../../scripts/lib/firefox-prompt';
import { openFirefoxSeeder, withFirefoxBench } from '../lib/firefox';
import { DECISION_CALLS, measurePurge, purgeMetrics, purgeSamples, type PurgeRun } from '../lib/purge-probe';
import { seedCall } from '../lib/seed-page';
import { defineCase } from '../lib/types';

/**
 * Row 7 in Firefox ESR — what 07-retention-purge.ts measures in Chromium, the same way
 * (bench/lib/purge-probe.ts): how long a decision or a note save waits while the retention purge
 * runs, for 100,000 expired rows and for one normal day's 2,000, each in a fresh browser with a
 * call page open at the Meet fixture's in-call state. The purge is started by creating the
 * `retention-purge` alarm from the probe page (alarms belong to the extension; its background page
 * gets the event). Seeding is fast in Firefox (~8 s for 100,000 rows), so no profile is cached.
 */
const sizes = {
  full: { expired: 100_000, oneDay: 2_000, idleMs: 5_000 },
  smoke: { expired: 1_000, oneDay: 200, idleMs: 300 },
};
const PER_TRANSACTION = 5_000;
const RECENT_CALL_ID = seedCall(0, 0, 'agreed').id;
type Alarms = { browser: { alarms: { create(n: string, o: { when: number }): Promise<void> } } };

async function purgeOnce(ff: FirefoxBrowser, expired: number, idleMs: number, log: (line: string) => void): Promise<PurgeRun> {
  const seeder = await openFirefoxSeeder(ff, 'manifest.json');
  const seedStart = performance.now();
  const now = Date.now();
  for (let from = 0; from < expired; from += PER_TRANSACTION) await seeder.run('expired', { from, count: Math.min(PER_TRANSACTION, expired - from), now });
  await seeder.run('popupCalls', { from: 0, count: 1, total: 1, pending: 0, now });
  const seeded = await seeder.counts(['calls', 'events', 'checklists', 'notes', 'tags']);
  const seededRows = Object.values(seeded).reduce((a, c) => a + c, 0) - 2; // the recent call and its checklist
  if (seededRows !== expired) throw new Error(`Seeded ${JSON.stringify(seeded)}, expected ${expired} expired rows + 1 recent call and its checklist`);
  log(`${expired} rows: seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  ff.fixtures.serve('meet', 'in-call');
  const call = await ff.newPage();
  await call.goto(callUrl('meet', 7));
  await new Prompt(ff, call).waitForText(/Ask for recording consent/, 15_000);
  const [liveCallId, ...others] = await seeder.run('activeCallIds', null);
  if (!liveCallId || others.length) throw new Error(`Expected one call in progress, found ${JSON.stringify([liveCallId, ...others])}`);
  // More calls in progress, undecided: the decision probe gives each its first decision.
  const undecided = await seeder.run('liveCalls', { count: DECISION_CALLS, now: Date.now() });
  const probe = await ff.openExtensionPage('manifest.json');
  return measurePurge({
    inProbe: <A, R>(fn: (arg: A) => R, arg: A) => probe.evaluate(fn as (arg: unknown) => R, arg) as Promise<R>,
    seeder,
    startPurge: async (alarm) => {
      await probe.evaluate((n: string) => (globalThis as unknown as Alarms).browser.alarms.create(n, { when: Date.now() }), alarm);
    },
  }, { expired, idleMs, noteCallId: RECENT_CALL_ID, decisionCallIds: [liveCallId, ...undecided], log });
}

export default defineCase({
  row: 7,
  browser: 'firefox',
  name: 'firefox-retention-purge',
  what: 'Firefox ESR — retention purge: wait for a decision or note save reply while 100,000 expired rows are purged, and while one day\'s expiry (2,000 rows) is',
  budget: '100,000 rows: longest ≤ 250 ms, p99 ≤ 100 ms; 2,000 rows: longest ≤ 50 ms',
  async run({ size, log }) {
    const p = sizes[size];
    const big = await withFirefoxBench((ff) => purgeOnce(ff, p.expired, p.idleMs, log));
    const day = await withFirefoxBench((ff) => purgeOnce(ff, p.oneDay, p.idleMs, log));
    return {
      metrics: purgeMetrics(big, day),
      params: { expired: p.expired, oneDay: p.oneDay, idleMs: p.idleMs },
      samples: purgeSamples(big, day),
    };
  },
});
