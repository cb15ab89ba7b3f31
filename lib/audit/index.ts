export * from './report';
export * from './types';
export { AUDIT_SOURCE_FIELDS, callTime, type AuditCall, type AuditChecklist, type AuditEvent, type AuditInput, type AuditSourceRecord, type AuditSourceTable, type AuditTablesInput } from './input';
export { accumulateCallSections } from './call-sections';
export { CALL_SECTIONS_FORMAT, emptyCallSections, isCallSectionsPartial, mergeCallSections, type CallSectionsPartial } from './partial';
export { AUDIT_CALL_CATEGORIES, AUDIT_CONCERN_CATEGORIES, AUDIT_RECORDING_RULES, AUDIT_RETENTION_KINDS, NEVER_RECORD_REASON, type RecordingRule } from './vocabulary';
export { AUDIT_CSV_HEADER, auditReportCsv, auditReportRows, type AuditCsvRow } from './csv';
export { DAY_MS, median, rate } from './stats';
