/**
 * The audit report's per-UTC-day cache (docs/architecture.md, "Audit cache"), in one place.
 * Reading one IndexedDB record costs ~15–28 µs in Chromium, so a report over 500,000 events
 * cannot read them: it merges one cached partial (lib/audit CallSectionsPartial) per whole day of
 * the period and accumulates only its two edge days fresh.
 *
 *   marks.ts        the dirty marks ('d:<day>', 'c:<callId>', 'all') and what a row stands for,
 *                   from the fields lib/audit declares it reads (AUDIT_SOURCE_FIELDS)
 *   middleware.ts   the Dexie middleware that writes the marks with every write to calls, events
 *                   and checklists; deleteRowsRead, a delete that carries the rows it deletes
 *   days.ts         a day's records by the loading rule lib/audit needs for exact merges
 *   refresh.ts      marks → stale days → rebuilt rows (debounced after writes, and before every report)
 *   report-body.ts  a period's report: cached days merged, edge days fresh, the small tables
 *
 * (retention.ts imports deleteRowsRead from ./audit-cache/middleware: report-body.ts reads
 * retention's targets, and the import graph stays acyclic.)
 */
export { auditDirtyMiddleware, deleteRowsRead } from './middleware';
export { createAuditDaysRefresher, refreshAuditDays } from './refresh';
export { auditReportBody } from './report-body';
