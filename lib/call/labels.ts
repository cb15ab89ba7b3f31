import type { NotRecordingReason } from '../messages/schema';
import type { CallCategory } from '../policy/schema';

/** Zod-free labels shared by the in-page prompt, the pages and the background. */
export const categoryLabels: Record<CallCategory, string> = {
  'external-prospect': 'External prospect',
  customer: 'Customer',
  internal: 'Internal',
  'hr-people': 'HR / people',
  legal: 'Legal',
  personal: 'Personal',
};

/** The reasons a rep can pick for "Not recording this call" (the rule-based one is automatic). */
export const reasonChoiceLabels: Record<Exclude<NotRecordingReason, 'never-record-rule'>, string> = {
  'internal-call': 'Internal call',
  'declined-before-call': 'Customer asked before the call not to record',
  'sensitive-topic': 'Sensitive topic (HR, legal, personal)',
  'technical-issue': 'Technical issue',
  other: 'Other reason (add it in your notes)',
};
