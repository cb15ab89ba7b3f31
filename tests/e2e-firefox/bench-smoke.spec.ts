import { describe, expect, it } from 'vitest';
import { loadCases, runSuite } from '../../bench/run';

/**
 * Keeps the Firefox benchmarks (bench/cases/firefox-*.ts) from rotting, as
 * tests/e2e/bench-smoke.spec.ts does for the Chromium ones: each runs end to end at smoke sizes in
 * Firefox ESR with the built Firefox extension and reports finite numbers. Budgets are NOT checked
 * here; `npm run bench` is where they are judged (docs/performance.md).
 */
describe('performance suite in Firefox (smoke sizes)', () => {
  it('runs every Firefox benchmark end to end and gets finite numbers from each', async () => {
    const lines: string[] = [];
    const suite = await runSuite({ size: 'smoke', browsers: ['firefox'], write: false, log: (line) => lines.push(line) });
    console.log(lines.join('\n'));

    const cases = await loadCases([], ['firefox']);
    expect(cases.map((c) => c.row)).toEqual([3, 5, 7]);
    expect(suite.results.map((r) => r.name)).toEqual(cases.map((c) => c.name));
    expect(suite.results.filter((r) => r.error).map((r) => `#${r.row} ${r.name}: ${r.error}`)).toEqual([]);
    for (const r of suite.results) {
      const metrics = r.output?.metrics ?? [];
      expect(metrics.filter((m) => m.limit), `#${r.row} ${r.name} has budgeted metrics`).not.toHaveLength(0);
      const notFinite = metrics.filter((m) => !Number.isFinite(m.value)).map((m) => `${m.key}=${m.value}`);
      expect(notFinite, `#${r.row} ${r.name}`).toEqual([]);
    }
    expect(suite.machine.firefox).toMatch(/Firefox/);
  }, 150_000);
});
