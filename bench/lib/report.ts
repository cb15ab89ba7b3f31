import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describeFirefoxMachine, describeMachine, type MachineInfo } from './machine';
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

export function markdownTable(results: CaseResult[]): string {
  const lines = ['| # | what | budget | measured (median of runs) | result |', '|---|---|---|---|---|'];
  for (const r of results) lines.push(`| ${r.row} | ${esc(r.what)} | ${esc(r.budget)} | ${esc(measuredSummary(r))} | ${verdict(r)} |`);
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
 * Replaces the block between the markers in docs/performance.md with the latest table. Everything
 * else in the file (method, analysis) is hand-written and left alone.
 */
export function updateDocs(path: string, results: CaseResult[], machine: MachineInfo, meta: { date: string; resultsFile: string; wallS: number }) {
  const block = [
    TABLE_START,
    '',
    `Last full run: ${meta.date} — ${meta.wallS.toFixed(0)} s wall for the whole suite — raw numbers in \`${meta.resultsFile}\`.`,
    `Machine: ${describeMachine(machine)}; load average ${machine.loadavgStart} at start${machine.loadavgEnd !== undefined ? `, ${machine.loadavgEnd} at end` : ''}.`,
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

export const FIREFOX_START = '<!-- bench:firefox:start (written by `npm run bench` when every Firefox case ran; do not edit by hand) -->';
export const FIREFOX_END = '<!-- bench:firefox:end -->';

/** Firefox's budgeted numbers, and Chromium's for the same row from the same run beside them. */
export function firefoxMarkdownTable(firefox: CaseResult[], chromium: CaseResult[]): string {
  const lines = ['| # | what (Firefox ESR) | budget | Firefox ESR | Chromium, same run | result (Firefox) |', '|---|---|---|---|---|---|'];
  for (const r of firefox) {
    const beside = chromium.find((c) => c.row === r.row);
    lines.push(`| ${r.row} | ${esc(r.what.replace(/^Firefox ESR — /, ''))} | ${esc(r.budget)} | ${esc(measuredSummary(r))} | ${beside ? esc(measuredSummary(beside)) : '— (not in this run)'} | ${verdict(r)} |`);
  }
  return lines.join('\n');
}

/** Replaces the Firefox block of docs/performance.md (or appends a section holding it). */
export function updateFirefoxDocs(path: string, firefox: CaseResult[], chromium: CaseResult[], machine: MachineInfo, meta: { date: string; resultsFile: string; wallS: number }) {
  const block = [
    FIREFOX_START,
    '',
    `Last run: ${meta.date} — ${meta.wallS.toFixed(0)} s wall for the run — raw numbers in \`${meta.resultsFile}\`.`,
    `Machine: ${describeFirefoxMachine(machine)}; load average ${machine.loadavgStart} at start${machine.loadavgEnd !== undefined ? `, ${machine.loadavgEnd} at end` : ''}.`,
    '',
    firefoxMarkdownTable(firefox, chromium),
    '',
    FIREFOX_END,
  ].join('\n');
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const start = current.indexOf(FIREFOX_START);
  const end = current.indexOf(FIREFOX_END);
  const next = start >= 0 && end > start
    ? current.slice(0, start) + block + current.slice(end + FIREFOX_END.length)
    : `${current.trimEnd()}\n\n## Firefox\n\n${block}\n`;
  writeFileSync(path, next);
}
