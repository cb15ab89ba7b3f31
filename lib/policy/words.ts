import type { MessageKey, Translate } from '../i18n/translate';
import { spoken } from '../i18n/says';
import { SCHEMA_VERSION_KEY } from './migrate';
import type { PolicyIssue } from './resolve';
import type { PolicyField } from './schema';

/**
 * The policy in words for people: each field's name as the settings page shows it, and a problem
 * with the policy as a sentence, with its technical part (the field path) for "Details". Used by
 * the background (a refused save) and the pages (the policy issues), each with its `translate`.
 */

/** The name of every policy field in the UI (a field added to the policy needs its name here). */
export const policyFieldKeys: Record<PolicyField, MessageKey> = {
  policyVersion: 'options_policy_version',
  purposeStatement: 'options_purpose_statement',
  consentScript: 'policy_field_consent_script',
  declineLine: 'policy_field_decline_line',
  language: 'options_prompt_language',
  jurisdictionMode: 'options_jurisdiction',
  recordingStandards: 'options_recording_standards',
  defaultCategory: 'options_default_category',
  notetakerNames: 'policy_field_notetaker_names',
  tags: 'policy_field_tags',
  checklistRequired: 'options_required_fields',
  checklistCategories: 'options_checklist_categories',
  decisionChangeMinutes: 'options_decision_change_minutes',
  retentionDays: 'policy_field_retention',
  allowDeletingConsentRecords: 'policy_field_allow_deleting_consent',
  roles: 'policy_field_roles',
  checklistReminder: 'policy_field_checklist_reminder',
  selectorOverrides: 'policy_field_selector_overrides',
  orgSync: 'policy_field_org_sync',
};

/** A field's name in the UI language; a name Candor does not know is shown as written. */
export function policyFieldLabel(field: string, translate: Translate): string {
  if (field === SCHEMA_VERSION_KEY) return translate('policy_field_schema_version');
  return Object.hasOwn(policyFieldKeys, field) ? translate(policyFieldKeys[field as PolicyField]) : field;
}

/** What is wrong with one field's value: its `says` sentences, or a general one when zod's own message is all there is. */
export function valueProblem(saysRefs: readonly string[], translate: Translate): string {
  const sentences = saysRefs.map((m) => spoken(m, translate)).filter((m): m is string => m !== null);
  return sentences.length ? sentences.join(' ') : translate('policy_value_invalid');
}

/** "“Roles”: Each role needs a name." for one field the options page or a save refused. */
export function fieldProblem(field: string, saysRefs: readonly string[], translate: Translate): string {
  return translate('policy_field_problem', policyFieldLabel(field, translate), valueProblem(saysRefs, translate));
}

/** A problem found when reading the policy (lib/policy/resolve.ts), as a sentence and its detail. */
export function policyIssueWords(issue: PolicyIssue, translate: Translate): { sentence: string; detail: string } {
  const detail = `${issue.field}: ${issue.message}`;
  const org = issue.source === 'managed';
  const label = policyFieldLabel(issue.field, translate);
  switch (issue.kind) {
    case 'invalid':
      return { sentence: `${translate(org ? 'policy_issue_invalid_managed' : 'policy_issue_invalid_local', label)} ${valueProblem(issue.says, translate)}`, detail };
    case 'unknown':
      return { sentence: translate(org ? 'policy_issue_unknown_managed' : 'policy_issue_unknown_local'), detail };
    case 'version':
      return { sentence: `${translate(org ? 'policy_issue_version_managed' : 'policy_issue_version_local')} ${valueProblem(issue.says, translate)}`, detail };
    case 'not-object':
      return { sentence: translate(org ? 'policy_issue_unreadable_managed' : 'policy_issue_unreadable_local'), detail };
  }
}
