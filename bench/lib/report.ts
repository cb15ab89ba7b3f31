import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describeMachine, type MachineInfo } from './machine';
import type { CaseResult, Metric } from './types';

export const TABLE_START = '<!-- bench:table:start (written by `npm run bench`; do not edit by hand) -->';
export const TABLE_END = '<!-- bench:table:end -->';

function fmtNumber(v: number, unit: Metric['unit']): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  const digits = unit === '%' || unit === 'MB' ? 2 : unit === 'changes/s' || unit === 'count' || unit === 'bytes' || abs >= 1000 ? 0 : 1;
  const s = v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit === '%' ? `${s} %` : `${s} ${unit}`;
}

export function fmtMetric(m: Metric): string {
  return `${m.label}: ${fmtNumber(m.value, m.unit)}`;
}

/** The budgeted metrics of a case, one short line (the docs table's "measured"). */
export function measuredSummary(r: CaseResult): string {
  if (r.error) return `error: ${r.error.split('\n')[0]}`;
  const budgeted = r.output?.metrics.filter((m) => m.limit) ?? [];
  return budgeted.map((m) => `${m.pass ? '' : '**'}${fmtMetric(m)}${m.pass ? '' : '**'}`).join('; ');
}

export function verdict(r: CaseResult): string {
  return r.error ? 'ERROR' : r.pass ? 'pass' : 'FAIL';
}

const esc = (s: string) => s.replace(/\|/g, '\\|');

/** A table cell: the budgeted values in the budget's order (a missed one in bold), then the verdict. */
function cell(r: CaseResult | undefined): string {
  if (!r) return '—';
  if (r.error) return `error: ${esc(r.error.split('\n')[0] ?? '')}`;
  const values = (r.output?.metrics ?? []).filter((m) => m.limit).map((m) => (m.pass ? fmtNumber(m.value, m.unit) : `**${fmtNumber(m.value, m.unit)}**`));
  return `${values.join('; ')} — ${verdict(r)}`;
}

/**
 * The latest results, one line per row: the budgeted values measured in Chromium and, for the rows
 * measured in Firefox ESR too (3, 5, 7), in Firefox beside them, from the same run. Labels are in
 * the results file and the terminal table; the docs' budget table says what each row measures.
 */
export function markdownTable(results: CaseResult[]): string {
  const lines = ['| # | budget | Chromium | Firefox ESR |', '|---|---|---|---|'];
  const rows = [...new Set(results.map((r) => r.row))].sort((a, b) => a - b);
  for (const row of rows) {
    const chromium = results.find((r) => r.row === row && (r.browser ?? 'chromium') === 'chromium');
    const firefox = results.find((r) => r.row === row && r.browser === 'firefox');
    lines.push(`| ${row} | ${esc((chromium ?? firefox)!.budget)} | ${cell(chromium)} | ${cell(firefox)} |`);
  }
  return lines.join('\n');
}

/** Plain-text table for the terminal: every metric, budgeted ones marked. */
export function consoleTable(results: CaseResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    out.push(`#${r.row} ${r.name} — ${r.budget} — ${verdict(r)} (${(r.durationMs / 1000).toFixed(1)} s)`);
    if (r.error) out.push(`    ${r.error.split('\n').slice(0, 3).join('\n    ')}`);
    for (const m of r.output?.metrics ?? []) {
      const mark = m.limit ? (m.pass ? ' ✔' : ' ✘') : '  ';
      const limit = m.limit ? ` (budget ${[m.limit.min !== undefined ? `≥ ${fmtNumber(m.limit.min, m.unit)}` : '', m.limit.max !== undefined ? `≤ ${fmtNumber(m.limit.max, m.unit)}` : ''].filter(Boolean).join(', ')})` : '';
      out.push(`  ${mark} ${fmtMetric(m)}${limit}`);
    }
    for (const n of r.output?.notes ?? []) out.push(`     note: ${n}`);
  }
  return out.join('\n');
}

/**
 * Replaces the block between the markers in docs/performance.md with the latest table (a complete
 * run: every case of both browsers). Everything else in the file is hand-written and left alone.
 */
export function updateDocs(path: string, results: CaseResult[], machine: MachineInfo, meta: { date: string; resultsFile: string; wallS: number }) {
  const block = [
    TABLE_START,
    '',
    `Last full run: ${meta.date}, ${meta.wallS.toFixed(0)} s wall for the whole suite; raw numbers in \`${meta.resultsFile}\`.`,
    `Machine: ${describeMachine(machine)}; ${machine.firefox ?? 'Firefox (not run)'} (headless, puppeteer-core over WebDriver BiDi); load average ${machine.loadavgStart} at start${machine.loadavgEnd !== undefined ? `, ${machine.loadavgEnd} at end` : ''}.`,
    'Each cell: the budgeted values in the budget\'s order (a miss in bold), then the verdict; every metric, labelled, is in the results file.',
    '',
    markdownTable(results),
    '',
    TABLE_END,
  ].join('\n');
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const start = current.indexOf(TABLE_START);
  const end = current.indexOf(TABLE_END);
  const next = start >= 0 && end > start
    ? current.slice(0, start) + block + current.slice(end + TABLE_END.length)
    : `${current.trimEnd()}\n\n## Latest results\n\n${block}\n`;
  writeFileSync(path, next);
}
