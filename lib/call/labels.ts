import { t } from '../i18n/content';
import { translatedRecord, type MessageKey } from '../i18n/translate';
import type { NotRecordingReason } from '../messages/schema';
import type { CallCategory } from '../policy/schema';

/*
 * Zod-free labels shared by the in-page prompt, the pages and the background. The UI shows them
 * through the browser's i18n messages (the *Keys maps); the background's own (English) error
 * messages use the English names. tests/unit/i18n.test.ts keeps both in step.
 */

/** Message keys of the call categories. */
export const categoryKeys: Record<CallCategory, MessageKey> = {
  'external-prospect': 'category_external_prospect',
  customer: 'category_customer',
  internal: 'category_internal',
  'hr-people': 'category_hr_people',
  legal: 'category_legal',
  personal: 'category_personal',
};

/** English names of the call categories (background messages; the UI uses categoryKeys). */
export const categoryLabels: Record<CallCategory, string> = {
  'external-prospect': 'External prospect',
  customer: 'Customer',
  internal: 'Internal',
  'hr-people': 'HR / people',
  legal: 'Legal',
  personal: 'Personal',
};

/** The reasons a rep can pick for "Not recording this call" (the rule-based one is automatic). */
export const reasonChoiceKeys: Record<Exclude<NotRecordingReason, 'never-record-rule'>, MessageKey> = {
  'internal-call': 'reason_internal_call',
  'declined-before-call': 'reason_declined_before_call',
  'sensitive-topic': 'reason_sensitive_topic',
  'technical-issue': 'reason_technical_issue',
  other: 'reason_other',
};

/** The same reasons, in the UI language (read when used). */
export const reasonChoiceLabels = /* @__PURE__ */ translatedRecord(reasonChoiceKeys, t);
