import { browser } from 'wxt/browser';
import type { Request } from '../protocol/requests';
import { migratePolicy, POLICY_SCHEMA_VERSION, SCHEMA_VERSION_KEY } from '../policy/migrate';
import { parsePolicyFields } from '../policy/resolve';
import { fieldProblem } from '../policy/words';
import { t } from '../i18n';
import type { PolicyField } from '../policy/schema';
import { says } from '../i18n/says';
import { RequestError, type Services } from './services';

type PolicySave = Extract<Request, { type: 'policy/save' }>;

/**
 * Saves the options-page policy. Unlike reading (where bad fields fall back one by one), saving is
 * all-or-nothing with every bad field named, so the rep fixes them before anything changes.
 */
export async function savePolicy(s: Services, msg: PolicySave): Promise<{ saved: string[] }> {
  const { sources } = await s.policy();
  // The options page sends current fields; a policy file pasted from elsewhere may name an older schema.
  const input = Object.hasOwn(msg.policy, SCHEMA_VERSION_KEY) ? migratePolicy(msg.policy) : { fields: msg.policy };
  if ('problem' in input && input.problem) throw new RequestError(says('policy_not_saved_version'), `${SCHEMA_VERSION_KEY}: ${input.problem}`);
  // Fields set by the organisation are locked: ignored here, whatever was sent for them.
  const editable = Object.fromEntries(Object.entries(input.fields).filter(([field]) => sources[field as PolicyField] !== 'managed'));
  const { accepted, unknown, invalid } = parsePolicyFields(editable);
  if (unknown.length || invalid.length) {
    // In words: each refused setting by its name and what is wrong with it; the field paths under Details.
    const sentences = [...(unknown.length ? [t('policy_not_saved_unknown')] : []), ...invalid.map(({ field, says }) => fieldProblem(field, says, t))];
    const detail = [...unknown.map((field) => `${field}: is not a Candor policy field`), ...invalid.map(({ field, message }) => `${field}: ${message}`)].join('. ');
    throw new RequestError(`${t('policy_not_saved')} ${sentences.join(' ')}`, detail);
  }
  await browser.storage.local.set({ policy: { [SCHEMA_VERSION_KEY]: POLICY_SCHEMA_VERSION, ...accepted } });
  return { saved: Object.keys(accepted) };
}
