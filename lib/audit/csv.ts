/**
 * The audit report as a flat "section,metric,value" CSV (RFC 4180, via lib/export's writer:
 * CRLF line ends, fields quoted when needed, formula-looking text guarded). Pure.
 *
 * Metric names are the report's field paths: nested objects join with ".", list items are
 * "[i]" with a "<list>.count" row first (so an empty list still shows), and concernsByMonth is
 * keyed by month ("concernsByMonth.2025-03.privacy-concern"). Times (period, generatedAt and
 * the "at", "oldest", "newest" fields) are ISO-8601 UTC; null is an empty value.
 */
import { toCsv, type CsvCell, type CsvOptions } from '../export/csv';
import type { AuditReport } from './types';

export const AUDIT_CSV_HEADER = ['section', 'metric', 'value'] as const;

/** Field names whose numbers are epoch-ms times. */
const TIME_FIELDS = new Set(['from', 'to', 'generatedAt', 'at', 'oldest', 'newest']);

function iso(ms: unknown): string | null {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return null;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export type AuditCsvRow = [section: string, metric: string, value: CsvCell];
type Row = AuditCsvRow;

function flatten(section: string, path: string, key: string, value: unknown, rows: Row[]): void {
  if (value === null || value === undefined) {
    rows.push([section, path, null]);
  } else if (Array.isArray(value)) {
    rows.push([section, `${path}.count`, value.length]);
    value.forEach((item, i) => flatten(section, `${path}[${i}]`, key, item, rows));
  } else if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      flatten(section, path === '' ? k : `${path}.${k}`, k, v, rows);
    }
  } else if (typeof value === 'number') {
    rows.push([section, path, TIME_FIELDS.has(key) ? iso(value) : value]);
  } else if (typeof value === 'string' || typeof value === 'boolean') {
    rows.push([section, path, value]);
  } else {
    rows.push([section, path, String(value)]);
  }
}

/** The report's rows, in the report's order: section, metric (field path), value. */
export function auditReportRows(report: AuditReport): Row[] {
  const rows: Row[] = [];
  flatten('report', '', '', { generatedAt: report.generatedAt, period: report.period }, rows);
  const { concernsByMonth, ...sentiment } = report.sentiment;
  const byMonth = Object.fromEntries(concernsByMonth.map((m) => [m.month, m.counts]));
  const sections: [string, unknown][] = [
    ['consent', report.consent],
    ['recordingRules', report.recordingRules],
    ['access', report.access],
    ['sentiment', { ...sentiment, concernsByMonth: byMonth }],
    ['coaching', report.coaching],
    ['aiReliability', report.aiReliability],
    ['retention', report.retention],
    ['ledger', report.ledger],
  ];
  for (const [name, value] of sections) flatten(name, '', '', value, rows);
  return rows;
}

/** The report as "section,metric,value" CSV; `options.bom` as in lib/export's toCsv (default true). */
export function auditReportCsv(report: AuditReport, options?: CsvOptions): string {
  return toCsv(AUDIT_CSV_HEADER, auditReportRows(report), options);
}
