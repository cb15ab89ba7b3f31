import { defaultPolicy } from './defaults';
import { says } from '../i18n/says';
import { describeZodError, peopleMessages } from '../util/zod-error';
import { migratePolicy, POLICY_SCHEMA_VERSION, SCHEMA_VERSION_KEY } from './migrate';
import { policyFields, type Policy, type PolicyField } from './schema';

export type PolicySource = 'managed' | 'local' | 'default';

export interface PolicyIssue {
  source: Exclude<PolicySource, 'default'>;
  /** The policy field, `schemaVersion`, or `(policy)` for the whole policy. */
  field: string;
  /** `invalid`: the field's default is used; `unknown`: not a policy field (ignored); `version`: unusable schemaVersion; `not-object`: nothing could be read. */
  kind: 'invalid' | 'unknown' | 'version' | 'not-object';
  /** What is wrong, technically (English, with field paths): for "Details", logs and tests. */
  message: string;
  /** What is wrong in words for people, as `says` references (lib/i18n/says.ts; lib/policy/words.ts says it). */
  says: string[];
}

export interface ResolvedPolicy {
  policy: Policy;
  /** Where each field's value came from; 'managed' fields are locked in the options page. */
  sources: Record<PolicyField, PolicySource>;
  /** Every rejected field, in words a person understands. */
  issues: PolicyIssue[];
}

/** Each field parsed on its own: what is valid, which names are not policy fields, and what is wrong with the rest. */
export function parsePolicyFields(fields: Record<string, unknown>) {
  const accepted: Record<string, unknown> = {};
  const unknown: string[] = [];
  const invalid: { field: string; message: string; says: string[] }[] = [];
  for (const [field, value] of Object.entries(fields)) {
    if (!Object.hasOwn(policyFields, field)) {
      unknown.push(field);
      continue;
    }
    const parsed = policyFields[field as PolicyField].safeParse(value);
    if (parsed.success) accepted[field] = parsed.data;
    else invalid.push({ field, message: describeZodError(parsed.error), says: peopleMessages(parsed.error) });
  }
  return { accepted: accepted as Partial<Policy>, unknown, invalid };
}

function readSource(raw: unknown, source: PolicyIssue['source'], issues: PolicyIssue[]): Partial<Policy> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    issues.push({ source, field: '(policy)', kind: 'not-object', message: 'the policy must be an object of fields', says: [] });
    return {};
  }
  const { fields, problem, from } = migratePolicy(raw as Record<string, unknown>);
  if (problem) {
    const words = from > POLICY_SCHEMA_VERSION ? says('policy_version_newer') : says('policy_version_unusable', POLICY_SCHEMA_VERSION);
    issues.push({ source, field: SCHEMA_VERSION_KEY, kind: 'version', message: problem, says: [words] });
  }
  const { accepted, unknown, invalid } = parsePolicyFields(fields);
  for (const field of unknown) issues.push({ source, field, kind: 'unknown', message: 'is not a Candor policy field (ignored)', says: [] });
  for (const issue of invalid) issues.push({ source, kind: 'invalid', ...issue });
  return accepted;
}

/**
 * Managed (organisation) > local (options page) > defaults, field by field. A bad field falls
 * back on its own and is reported, so an invalid or partial policy can never switch consent off.
 */
export function resolvePolicy(managed: unknown, local: unknown): ResolvedPolicy {
  const issues: PolicyIssue[] = [];
  const fromManaged = readSource(managed, 'managed', issues);
  const fromLocal = readSource(local, 'local', issues);
  const policy = { ...defaultPolicy } as Record<PolicyField, unknown>;
  const sources = {} as Record<PolicyField, PolicySource>;
  for (const field of Object.keys(policyFields) as PolicyField[]) {
    if (field in fromManaged) {
      policy[field] = fromManaged[field];
      sources[field] = 'managed';
    } else if (field in fromLocal) {
      policy[field] = fromLocal[field];
      sources[field] = 'local';
    } else sources[field] = 'default';
  }
  return { policy: policy as Policy, sources, issues };
}

/** The consent script and decline line in the language to use, falling back to English. */
export function promptTexts(policy: Policy, browserLanguage: string) {
  const wanted = policy.language === 'auto' ? browserLanguage.slice(0, 2).toLowerCase() : policy.language;
  // One language for both texts, so the prompt's lang attribute is true for each (screen readers).
  const lang = (wanted in policy.consentScript && wanted in policy.declineLine ? wanted : 'en') as keyof Policy['consentScript'];
  return {
    language: lang,
    purposeStatement: policy.purposeStatement,
    consentScript: policy.consentScript[lang] ?? policy.consentScript.en!,
    declineLine: policy.declineLine[lang] ?? policy.declineLine.en!,
  };
}
