import { describe, expect, it } from 'vitest';
import { loadCases, runSuite } from '../../bench/run';

/**
 * Keeps the performance suite from rotting: every bench/cases/*.ts runs end to end at smoke
 * sizes (tiny, ~40 s in all) in the real browser with the built extension, and reports finite
 * numbers. Budgets are NOT checked here — smoke sizes are too small to mean anything, and CI
 * machines differ; `npm run bench` is where budgets are judged (docs/performance.md).
 */
describe('performance suite (smoke sizes)', () => {
  it('runs every benchmark end to end and gets finite numbers from each', async () => {
    const lines: string[] = [];
    // The Chromium cases; tests/e2e-firefox/bench-smoke.spec.ts runs the Firefox ones.
    const suite = await runSuite({ size: 'smoke', browsers: ['chromium'], write: false, log: (line) => lines.push(line) });
    console.log(lines.join('\n'));

    expect(suite.results.map((r) => r.name)).toEqual((await loadCases([], ['chromium'])).map((c) => c.name));
    expect(suite.results.filter((r) => r.error).map((r) => `#${r.row} ${r.name}: ${r.error}`)).toEqual([]);
    for (const r of suite.results) {
      const metrics = r.output?.metrics ?? [];
      expect(metrics.filter((m) => m.limit), `#${r.row} ${r.name} has budgeted metrics`).not.toHaveLength(0);
      const notFinite = metrics.filter((m) => !Number.isFinite(m.value)).map((m) => `${m.key}=${m.value}`);
      expect(notFinite, `#${r.row} ${r.name}`).toEqual([]);
    }
    expect(suite.machine.cores).toBeGreaterThan(0);
  }, 150_000);
});
