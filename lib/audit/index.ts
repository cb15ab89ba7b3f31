export * from './report';
export { AUDIT_CSV_HEADER, auditReportCsv, auditReportRows, type AuditCsvRow } from './csv';
export { DAY_MS, median, rate } from './stats';
