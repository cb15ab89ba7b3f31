import { browser } from 'wxt/browser';
import type { Request } from '../messages/schema';
import { migratePolicy, POLICY_SCHEMA_VERSION, SCHEMA_VERSION_KEY } from '../policy/migrate';
import { policyFields, type PolicyField } from '../policy/schema';
import { describeZodError } from '../util/zod-error';
import { RequestError, type Services } from './services';

type PolicySave = Extract<Request, { type: 'policy/save' }>;

/**
 * Saves the options-page policy. Unlike reading (where bad fields fall back one by one), saving is
 * all-or-nothing with every bad field named, so the rep fixes them before anything changes.
 */
export async function savePolicy(s: Services, msg: PolicySave): Promise<{ saved: string[] }> {
  const { sources } = await s.policy();
  const problems: string[] = [];
  // The options page sends current fields; a policy file pasted from elsewhere may name an older schema.
  const input = Object.hasOwn(msg.policy, SCHEMA_VERSION_KEY) ? migratePolicy(msg.policy) : { fields: msg.policy };
  if ('problem' in input && input.problem) throw new RequestError(`Nothing was saved. ${SCHEMA_VERSION_KEY}: ${input.problem}.`);
  const accepted: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(input.fields)) {
    if (!Object.hasOwn(policyFields, field)) {
      problems.push(`${field}: is not a Candor policy field`);
      continue;
    }
    if (sources[field as PolicyField] === 'managed') continue; // set by the organisation: locked
    const parsed = policyFields[field as PolicyField].safeParse(value);
    if (parsed.success) accepted[field] = parsed.data;
    else problems.push(`${field}: ${describeZodError(parsed.error)}`);
  }
  if (problems.length) throw new RequestError(`Nothing was saved. ${problems.join('. ')}.`);
  await browser.storage.local.set({ policy: { [SCHEMA_VERSION_KEY]: POLICY_SCHEMA_VERSION, ...accepted } });
  return { saved: Object.keys(accepted) };
}
