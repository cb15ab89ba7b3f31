/**
 * The contract between bench/run.ts and every bench/cases/*.ts module. Adding a benchmark row is
 * one new file in bench/cases/ that default-exports a BenchCase; the runner finds it by name order.
 */
export type BenchSize = 'full' | 'smoke';

export interface BenchOptions {
  size: BenchSize;
  /** Progress lines (the runner prefixes them with the case name). */
  log(line: string): void;
}

/** A budget on one metric: passes when `value <= max` and `value >= min` (either may be absent). */
export interface Limit {
  max?: number;
  min?: number;
}

export interface Metric {
  /** Short key, stable across runs (results files are compared by it). */
  key: string;
  label: string;
  value: number;
  unit: 'ms' | '%' | 'KB' | 'MB' | 'changes/s' | 'count' | 'bytes';
  /** Set when this metric is under a budget from the issue. */
  limit?: Limit;
  pass?: boolean;
}

export interface CaseOutput {
  metrics: Metric[];
  /** Sizes actually used (iterations, window length, rows seeded…), for the record. */
  params: Record<string, number | string | boolean>;
  /** Anything a reader needs to interpret the numbers (method notes, warnings). */
  notes?: string[];
  /** Raw samples per series, kept in the results file (not printed). */
  samples?: Record<string, number[]>;
}

export type BenchBrowserName = 'chromium' | 'firefox';

export interface BenchCase {
  /** Issue row number (1–7). */
  row: number;
  /** The browser it measures in; absent = Chromium. Firefox cases are bench/cases/firefox-*.ts. */
  browser?: BenchBrowserName;
  /** File-stable id, e.g. "host-overhead". */
  name: string;
  /** What is measured, one line (the docs table's "what"). */
  what: string;
  /** The budget as written in the issue (the docs table's "budget"). */
  budget: string;
  run(opts: BenchOptions): Promise<CaseOutput>;
}

export interface CaseResult {
  row: number;
  name: string;
  browser?: BenchBrowserName;
  what: string;
  budget: string;
  /** All budgeted metrics pass (true when nothing is budgeted); false when the case threw. */
  pass: boolean;
  durationMs: number;
  output?: CaseOutput;
  error?: string;
}

/** A metric with its pass/fail filled in from the limit (a number is a maximum). */
export function metric(key: string, label: string, value: number, unit: Metric['unit'], limit?: number | Limit): Metric {
  const m: Metric = { key, label, value, unit };
  if (limit !== undefined) {
    m.limit = typeof limit === 'number' ? { max: limit } : limit;
    const { max, min } = m.limit;
    m.pass = Number.isFinite(value) && (max === undefined || value <= max) && (min === undefined || value >= min);
  }
  return m;
}

export function defineCase(c: BenchCase): BenchCase {
  return c;
}
