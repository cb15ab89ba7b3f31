/**
 * The lists the audit report counts by, from the model (lib/model/vocabulary.ts loads neither zod
 * nor Dexie). Each list's order is the order of the report's keys (and of its CSV rows).
 */
import {
  callCategories, checklistDismissReasons, concernCategories, decisionChangeKinds, recordingRules, retentionKinds,
  type CallCategory, type ChecklistDismissReason, type ConcernCategory, type DecisionChangeKind, type RecordingRule, type RetentionKind,
} from '../model/vocabulary';

export type { RecordingRule };
const setOf = <K extends string>(list: readonly K[]) => Object.fromEntries(list.map((k) => [k, true])) as Record<K, true>;

export const concernCategorySet = setOf<ConcernCategory>(concernCategories);
export const AUDIT_CONCERN_CATEGORIES: readonly ConcernCategory[] = concernCategories;
export const callCategorySet = setOf<CallCategory>(callCategories);
export const AUDIT_CALL_CATEGORIES: readonly CallCategory[] = callCategories;
export const recordingRuleSet = setOf<RecordingRule>(recordingRules);
export const AUDIT_RECORDING_RULES: readonly RecordingRule[] = recordingRules;
export const AUDIT_RETENTION_KINDS: readonly RetentionKind[] = retentionKinds;
/** Decision changes by kind; 'other': a stored change no kind describes (older data). */
export const AUDIT_DECISION_CHANGES: readonly (DecisionChangeKind | 'other')[] = [...decisionChangeKinds, 'other'];
export const checklistDismissReasonSet = setOf<ChecklistDismissReason>(checklistDismissReasons);
export const AUDIT_DISMISS_REASONS: readonly ChecklistDismissReason[] = checklistDismissReasons;

/** The decision reason written when a never-record category skipped the consent ask. */
export const NEVER_RECORD_REASON = 'never-record-rule';

/** Whether `key` is a member of the set (a value read from stored data may be anything). */
export function has<K extends string>(set: Record<K, true>, key: unknown): key is K {
  return typeof key === 'string' && Object.prototype.hasOwnProperty.call(set, key);
}
