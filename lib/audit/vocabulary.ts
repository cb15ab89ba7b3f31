/**
 * The lists the audit report counts by. Local copies: the runtime lists live in modules that load
 * Dexie or zod; the Record types make the compiler reject a list that misses or invents a member.
 * Each list's order is the order of the report's keys (and of its CSV rows).
 */
import type { CallCategory, ConcernCategory, RetentionKind } from '../model';

export const concernCategorySet: Record<ConcernCategory, true> = {
  'privacy-concern': true,
  'ai-summary-error': true,
  'coaching-misuse': true,
  'consent-confusion': true,
  'access-issue': true,
  'cultural-friction': true,
};
export const AUDIT_CONCERN_CATEGORIES = Object.keys(concernCategorySet) as readonly ConcernCategory[];

export const callCategorySet: Record<CallCategory, true> = {
  'external-prospect': true,
  customer: true,
  internal: true,
  'hr-people': true,
  legal: true,
  personal: true,
};
export const AUDIT_CALL_CATEGORIES = Object.keys(callCategorySet) as readonly CallCategory[];

export type RecordingRule = 'ask-consent' | 'never-record' | 'record-with-notice';
export const recordingRuleSet: Record<RecordingRule, true> = { 'ask-consent': true, 'never-record': true, 'record-with-notice': true };
export const AUDIT_RECORDING_RULES = Object.keys(recordingRuleSet) as readonly RecordingRule[];

const retentionKindSet: Record<RetentionKind, true> = {
  consent: true,
  calls: true,
  notes: true,
  tags: true,
  checklists: true,
  aiDrafts: true,
  concerns: true,
  accessLog: true,
};
export const AUDIT_RETENTION_KINDS = Object.keys(retentionKindSet) as readonly RetentionKind[];

/** The decision reason written when a never-record category skipped the consent ask. */
export const NEVER_RECORD_REASON = 'never-record-rule';

/** Whether `key` is a member of the set (a value read from stored data may be anything). */
export function has<K extends string>(set: Record<K, true>, key: unknown): key is K {
  return typeof key === 'string' && Object.prototype.hasOwnProperty.call(set, key);
}
