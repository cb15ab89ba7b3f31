/**
 * Candor's performance suite: runs every bench/cases/*.ts in name order, one at a time (this
 * machine has two cores; benchmarks never run in parallel) and prints a table. A complete run at
 * full size (every case of both browsers, none threw, the build unchanged meanwhile) is this
 * machine's latest result: it overwrites bench/results/<machine>.json (machineId in
 * bench/lib/machine.ts; older files of the same machine are deleted) and the latest-results table
 * in docs/performance.md. Any other run writes bench/results/tmp/ (git-ignored) and leaves the docs.
 * Nothing compares a run with an earlier one: git history keeps those.
 *
 *   npm run bench                    full sizes, both browsers (exit 1 on a missed budget)
 *   npm run bench -- --smoke         tiny sizes (< 90 s): proves every benchmark still runs end to
 *                                    end; budgets are reported but never fail
 *   npm run bench -- --only 2,5      only these rows (or names containing the text)
 *   npm run bench -- --only firefox  the Firefox cases (bench/cases/firefox-*.ts: rows 3, 5, 7 in
 *                                    Firefox ESR); `--only 3,5,7` runs those rows in both browsers
 *   npm run bench -- --browser firefox  only the cases of one browser (chromium, firefox)
 *   npm run bench -- --no-write      print only
 *
 * Needs the built extensions (`npm run build`, `npm run build:firefox`), Chromium (see
 * scripts/lib/browser.ts) and, for the Firefox cases, Firefox ESR (scripts/lib/firefox.ts).
 * tests/e2e/bench-smoke.spec.ts (Chromium cases) and tests/e2e-firefox/bench-smoke.spec.ts (Firefox
 * cases) import runSuite() and run the smoke sizes in `npm test`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { firefoxVersion } from './lib/firefox';
import { buildFingerprint, machineId, machineInfo, type MachineInfo } from './lib/machine';
import { consoleTable, updateDocs } from './lib/report';
import type { BenchBrowserName, BenchCase, BenchSize, CaseResult } from './lib/types';

const ROOT = resolve(import.meta.dirname, '..');
export const CASES_DIR = join(ROOT, 'bench/cases');
export const RESULTS_DIR = join(ROOT, 'bench/results');
export const DOCS_FILE = join(ROOT, 'docs/performance.md');

export interface SuiteOptions {
  size: BenchSize;
  /** Row numbers or name fragments; empty = every case. */
  only?: string[];
  /** Only the cases of these browsers (default: both). */
  browsers?: BenchBrowserName[];
  /** Write the results file (a complete full run: bench/results/<machine>.json and the docs; otherwise bench/results/tmp/). */
  write?: boolean;
  log?: (line: string) => void;
}

export interface SuiteResult {
  size: BenchSize;
  date: string;
  wallMs: number;
  machine: MachineInfo;
  results: CaseResult[];
  /** No case threw, and (full size only) every budget passed. */
  ok: boolean;
  resultsFile?: string;
  docsUpdated: boolean;
}

function isCase(x: unknown): x is BenchCase {
  const c = x as Partial<BenchCase> | null;
  return !!c && typeof c.name === 'string' && typeof c.row === 'number' && typeof c.budget === 'string' && typeof c.run === 'function';
}

const browserOf = (c: { browser?: BenchBrowserName }): BenchBrowserName => c.browser ?? 'chromium';

/**
 * Every bench/cases/*.ts, in file-name order (01-…, 02-…, then firefox-03-…): adding a row is
 * adding a file. `browsers` keeps only the cases measured in those browsers.
 */
export async function loadCases(only: string[] = [], browsers?: BenchBrowserName[]): Promise<BenchCase[]> {
  const files = readdirSync(CASES_DIR).filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts')).sort();
  const cases: BenchCase[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(CASES_DIR, file)).href)) as { default?: unknown };
    if (!isCase(mod.default)) throw new Error(`bench/cases/${file} must default-export defineCase({ row, name, what, budget, run })`);
    if (!browsers || browsers.includes(browserOf(mod.default))) cases.push(mod.default);
  }
  if (only.length === 0) return cases;
  return cases.filter((c) => only.some((o) => String(c.row) === o || c.name.includes(o)));
}

function stamp(d: Date): string {
  return d.toISOString().slice(0, 16).replace(':', '-'); // YYYY-MM-DDTHH-MM (UTC)
}

/** Deletes the other results files of this machine in bench/results/ (e.g. dated files of earlier runs). */
function pruneOlderResults(kept: string, id: string) {
  for (const name of readdirSync(RESULTS_DIR).filter((f) => f.endsWith('.json'))) {
    const path = join(RESULTS_DIR, name);
    if (path === kept) continue;
    try {
      const { machine } = JSON.parse(readFileSync(path, 'utf8')) as { machine?: MachineInfo };
      if (machine && (machine.id ?? machineId(machine)) === id) rmSync(path);
    } catch {
      // not a results file: leave it
    }
  }
}

function freeName(dir: string, base: string): string {
  let name = `${base}.json`;
  for (let i = 2; existsSync(join(dir, name)); i++) name = `${base}-${i}.json`;
  return join(dir, name);
}

export async function runSuite(opts: SuiteOptions): Promise<SuiteResult> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const started = new Date();
  const t0 = performance.now();
  const machine = machineInfo();
  machine.id = machineId(machine);
  const build = buildFingerprint();
  const cases = await loadCases(opts.only, opts.browsers);
  if (cases.length === 0) throw new Error(`No benchmark matches ${JSON.stringify(opts.only)}`);
  if (cases.some((c) => browserOf(c) === 'firefox')) machine.firefox = firefoxVersion();
  log(`Candor bench (${opts.size}): ${cases.map((c) => `#${c.row} ${c.name}`).join(', ')}`);
  if (machine.loadavgStart > machine.cores) {
    log(`warning: load average ${machine.loadavgStart} on ${machine.cores} cores — other work is running; timings will be inflated and noisy`);
  }

  const results: CaseResult[] = [];
  for (const c of cases) {
    const prefix = `[#${c.row} ${c.name}]`;
    log(`${prefix} running…`);
    const start = performance.now();
    const base = { row: c.row, name: c.name, what: c.what, budget: c.budget, ...(c.browser ? { browser: c.browser } : {}) };
    try {
      const output = await c.run({ size: opts.size, log: (line) => log(`${prefix} ${line}`) });
      const pass = output.metrics.every((m) => m.pass !== false);
      results.push({ ...base, pass, durationMs: Math.round(performance.now() - start), output });
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      results.push({ ...base, pass: false, durationMs: Math.round(performance.now() - start), error: message });
      log(`${prefix} threw: ${message.split('\n')[0]}`);
    }
  }
  machine.loadavgEnd = Math.round((os.loadavg()[0] ?? 0) * 100) / 100;
  machine.buildChangedDuringRun = buildFingerprint() !== build;
  if (machine.buildChangedDuringRun) log('warning: .output/ was rebuilt while the suite ran: some results may mix two builds (run again)');
  const wallMs = Math.round(performance.now() - t0);
  const threw = results.some((r) => r.error);
  const ok = !threw && (opts.size === 'smoke' || results.every((r) => r.pass));

  const suite: SuiteResult = { size: opts.size, date: started.toISOString(), wallMs, machine, results, ok, docsUpdated: false };
  if (opts.write) {
    // The latest complete full run is this machine's result; anything else would mislead as one.
    const all = await loadCases();
    const complete = opts.size === 'full' && !machine.buildChangedDuringRun && !threw && all.every((c) => results.some((r) => r.name === c.name));
    const file = complete ? join(RESULTS_DIR, `${machine.id}.json`) : freeName(join(RESULTS_DIR, 'tmp'), `${opts.size === 'smoke' ? 'smoke-' : ''}${machine.id}-${stamp(started)}`);
    mkdirSync(dirname(file), { recursive: true });
    suite.resultsFile = file.slice(ROOT.length + 1);
    writeFileSync(file, `${JSON.stringify(suite, null, 2)}\n`);
    if (complete) {
      pruneOlderResults(file, machine.id!);
      updateDocs(DOCS_FILE, results, machine, { date: started.toISOString().slice(0, 16).replace('T', ' ') + ' UTC', resultsFile: suite.resultsFile, wallS: wallMs / 1000 });
      suite.docsUpdated = true;
    }
  }

  log('');
  log(consoleTable(results));
  log('');
  log(`Total ${(wallMs / 1000).toFixed(1)} s${suite.resultsFile ? ` — results in ${suite.resultsFile}` : ''}${suite.docsUpdated ? ' — docs/performance.md updated' : ''}`);
  if (opts.size === 'smoke' && results.some((r) => !r.pass && !r.error)) log('(smoke sizes: budgets are informative only)');
  return suite;
}

function parseArgs(argv: string[]): SuiteOptions {
  const only: string[] = [];
  const browsers: BenchBrowserName[] = [];
  let size: BenchSize = 'full';
  let write = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--smoke') size = 'smoke';
    else if (a === '--no-write') write = false;
    else if (a === '--browser') browsers.push(...(argv[++i] ?? '').split(',').filter(Boolean) as BenchBrowserName[]);
    else if (a === '--only') only.push(...(argv[++i] ?? '').split(',').filter(Boolean));
    else if (a.startsWith('--only=')) only.push(...a.slice(7).split(',').filter(Boolean));
    else if (a === '--help' || a === '-h') {
      console.log('usage: npx tsx bench/run.ts [--smoke] [--only <row|name>[,…]] [--browser chromium|firefox] [--no-write]');
      process.exit(0);
    } else throw new Error(`Unknown argument: ${a}`);
  }
  if (browsers.some((b) => b !== 'chromium' && b !== 'firefox')) throw new Error(`--browser takes chromium and/or firefox, not ${browsers.join(',')}`);
  return { size, only, write, ...(browsers.length ? { browsers } : {}) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const suite = await runSuite(parseArgs(process.argv.slice(2)));
    process.exitCode = suite.ok ? 0 : 1;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  }
}
