/**
 * The audit cache moved to ./audit-cache (issue 18). lib/messages/router.ts still imports the
 * report from here; delete this file once the router (moving to lib/background) imports ./audit-cache.
 */
export { auditReportBody } from './audit-cache';
