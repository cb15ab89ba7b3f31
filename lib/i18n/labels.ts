import type {
  AccessPurpose, CallCategory, ChecklistFieldName, ConcernCategory, ConcernStatus, DataView, Language, LedgerCheckKind, NotRecordingReason, Outcome, RecordingRule, RetentionKind,
} from '../model';
import type { MessageKey } from './translate';

/**
 * Every label of the model's vocabulary, in one place: the message key of each value, keyed by
 * the model. Pages and the prompt show them through `t` (the UI language); the background and the
 * exports through `english` (lib/i18n/english.ts). tests/unit/i18n.test.ts checks every key exists.
 */

export const checklistKeys: Record<ChecklistFieldName, MessageKey> = {
  qualification: 'checklist_qualification',
  nextSteps: 'checklist_next_steps',
  timeline: 'checklist_timeline',
  risks: 'checklist_risks',
  competition: 'checklist_competition',
  humanNuance: 'checklist_human_nuance',
  powerDynamics: 'checklist_power_dynamics',
  hesitation: 'checklist_hesitation',
  emotion: 'checklist_emotion',
  urgency: 'checklist_urgency',
  subtleObjections: 'checklist_subtle_objections',
};

export const categoryKeys: Record<CallCategory, MessageKey> = {
  'external-prospect': 'category_external_prospect',
  customer: 'category_customer',
  internal: 'category_internal',
  'hr-people': 'category_hr_people',
  legal: 'category_legal',
  personal: 'category_personal',
};

/** The reasons a rep can pick for "Not recording this call" (the rule-based one is automatic). */
export const reasonChoiceKeys: Record<Exclude<NotRecordingReason, 'never-record-rule'>, MessageKey> = {
  'internal-call': 'reason_internal_call',
  'declined-before-call': 'reason_declined_before_call',
  'sensitive-topic': 'reason_sensitive_topic',
  'technical-issue': 'reason_technical_issue',
  other: 'reason_other',
};

export const outcomeKeys: Record<Outcome | 'pending', MessageKey> = {
  agreed: 'outcome_agreed',
  declined: 'outcome_declined',
  'not-recorded': 'outcome_not_recorded',
  withdrawn: 'outcome_withdrawn',
  pending: 'outcome_pending',
};

export const concernKeys: Record<ConcernCategory, MessageKey> = {
  'privacy-concern': 'concern_privacy',
  'ai-summary-error': 'concern_ai_summary_error',
  'coaching-misuse': 'concern_coaching_misuse',
  'consent-confusion': 'concern_consent_confusion',
  'access-issue': 'concern_access_issue',
  'cultural-friction': 'concern_cultural_friction',
};

export const concernStatusKeys: Record<ConcernStatus, MessageKey> = {
  open: 'concern_status_open',
  acknowledged: 'concern_status_acknowledged',
  resolved: 'concern_status_resolved',
};

/** The two ledger checks, as the options page names the one that ran. */
export const ledgerCheckKeys: Record<LedgerCheckKind, MessageKey> = {
  'seals-and-links': 'options_ledger_check_seals',
  'every-entry': 'options_ledger_check_full',
};

export const ruleKeys: Record<RecordingRule, MessageKey> = {
  'ask-consent': 'rule_ask_consent',
  'never-record': 'rule_never_record',
  'record-with-notice': 'rule_record_with_notice',
};

export const languageKeys: Record<Language, MessageKey> = { en: 'language_en', es: 'language_es', de: 'language_de', fr: 'language_fr' };

/** Kinds of stored data: the retention kinds and the database tables (backups count by table). */
export const dataKeys = {
  consent: 'data_consent',
  calls: 'data_calls',
  events: 'data_events',
  notes: 'data_notes',
  tags: 'data_tags',
  checklists: 'data_checklists',
  aiDrafts: 'data_ai_drafts',
  concerns: 'data_concerns',
  accessLog: 'data_access_log',
  purgeReceipts: 'data_purge_receipts',
  ledger: 'data_ledger',
  meta: 'data_meta',
} as const satisfies Record<RetentionKind, MessageKey> & Record<string, MessageKey>;

/** What a role may see (the policy's roles), in the words of the data kinds. */
export const dataViewKeys: Record<DataView, MessageKey> = {
  consent: 'data_consent',
  notes: 'data_notes',
  tags: 'data_tags',
  checklists: 'data_checklists',
  aiDrafts: 'data_ai_drafts',
  concerns: 'data_concerns',
  audit: 'data_audit',
};

/** What calls may be used for, and record keeping (backups, the ledger), as a short word ("coaching"). */
export const purposeKeys: Record<AccessPurpose, MessageKey> = {
  coaching: 'options_purpose_coaching_short',
  performance: 'options_purpose_performance_short',
  'record-keeping': 'options_purpose_record_keeping_short',
};

/** The message key of a kind of data, or undefined for a name Candor does not know. */
export const dataKeyOf = (kind: string): MessageKey | undefined => (Object.hasOwn(dataKeys, kind) ? dataKeys[kind as keyof typeof dataKeys] : undefined);
