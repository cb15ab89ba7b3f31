import type { ConcernCategory } from '../db';
import { t, translatedRecord, type MessageKey } from '../i18n';
import type { ChecklistFieldName, RecordingRule, retentionKinds } from '../policy/schema';

/** Labels of the extension pages, in the UI language (the English ones are in the en messages). */

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
export const checklistFieldLabel = translatedRecord(checklistKeys, t);

export const concernKeys: Record<ConcernCategory, MessageKey> = {
  'privacy-concern': 'concern_privacy',
  'ai-summary-error': 'concern_ai_summary_error',
  'coaching-misuse': 'concern_coaching_misuse',
  'consent-confusion': 'concern_consent_confusion',
  'access-issue': 'concern_access_issue',
  'cultural-friction': 'concern_cultural_friction',
};
export const concernLabels = translatedRecord(concernKeys, t);

export const concernStatusKeys = { open: 'concern_status_open', acknowledged: 'concern_status_acknowledged', resolved: 'concern_status_resolved' } as const satisfies Record<string, MessageKey>;

export const ruleKeys: Record<RecordingRule, MessageKey> = {
  'ask-consent': 'rule_ask_consent',
  'never-record': 'rule_never_record',
  'record-with-notice': 'rule_record_with_notice',
};

export const languageKeys = { en: 'language_en', es: 'language_es', de: 'language_de', fr: 'language_fr' } as const satisfies Record<string, MessageKey>;

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
} as const satisfies Record<(typeof retentionKinds)[number], MessageKey> & Record<string, MessageKey>;
export const dataLabel = (kind: string): string => (Object.hasOwn(dataKeys, kind) ? t(dataKeys[kind as keyof typeof dataKeys]) : kind);
