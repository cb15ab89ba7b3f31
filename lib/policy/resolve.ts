import { defaultPolicy } from './defaults';
import { describeZodError } from '../util/zod-error';
import { migratePolicy, SCHEMA_VERSION_KEY } from './migrate';
import { policyFields, type Policy, type PolicyField } from './schema';

export type PolicySource = 'managed' | 'local' | 'default';

export interface PolicyIssue {
  source: Exclude<PolicySource, 'default'>;
  field: string;
  message: string;
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
  const invalid: { field: string; message: string }[] = [];
  for (const [field, value] of Object.entries(fields)) {
    if (!Object.hasOwn(policyFields, field)) {
      unknown.push(field);
      continue;
    }
    const parsed = policyFields[field as PolicyField].safeParse(value);
    if (parsed.success) accepted[field] = parsed.data;
    else invalid.push({ field, message: describeZodError(parsed.error) });
  }
  return { accepted: accepted as Partial<Policy>, unknown, invalid };
}

function readSource(raw: unknown, source: PolicyIssue['source'], issues: PolicyIssue[]): Partial<Policy> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    issues.push({ source, field: '(policy)', message: 'the policy must be an object of fields' });
    return {};
  }
  const { fields, problem } = migratePolicy(raw as Record<string, unknown>);
  if (problem) issues.push({ source, field: SCHEMA_VERSION_KEY, message: problem });
  const { accepted, unknown, invalid } = parsePolicyFields(fields);
  for (const field of unknown) issues.push({ source, field, message: 'is not a Candor policy field (ignored)' });
  for (const { field, message } of invalid) issues.push({ source, field, message });
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
