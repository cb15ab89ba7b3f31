import { useEffect, useState } from 'react';
import { t } from '../../lib/i18n';
import { sendRequest } from '../../lib/protocol/client';
import { defaultPolicy } from '../../lib/policy/defaults';
import type { Policy, PolicyField } from '../../lib/policy/schema';
import { categoryKeys, checklistKeys, languageKeys, ruleKeys } from '../../lib/i18n/labels';
import { dataLabel } from '../../lib/ui/format';
import { usePolicy } from '../../lib/ui/policy';
import { callCategories, checklistFieldNames, languages, recordingRules, retentionKinds } from '../../lib/model';
import { policyFields } from '../../lib/policy/schema';
import { fieldProblem, policyIssueWords } from '../../lib/policy/words';
import { describeZodError, peopleMessages } from '../../lib/util/zod-error';
import { Details } from '../shared/Details';
import { problemOf, ProblemText, useProblem, type Problem } from '../shared/Problem';
import { RolesEditor } from './RolesEditor';

function Lock({ managed }: { managed: boolean }) {
  return managed ? <span className="lock">{t('options_lock')}</span> : null;
}

/** The roles as typed so far, checked with the policy's own schema: a sentence and its field paths, or null. */
function rolesProblem(roles: Policy['roles']): Problem | null {
  const parsed = policyFields.roles.safeParse(roles);
  if (parsed.success) return null;
  return { error: fieldProblem('roles', peopleMessages(parsed.error), t), detail: `roles: ${describeZodError(parsed.error)}` };
}

/**
 * The policy as it applies now: where each value comes from, what is wrong with the policy (field
 * by field), and a form for the values the organisation does not manage.
 */
export function PolicySection() {
  const resolved = usePolicy();
  const [draft, setDraft] = useState<Policy | null>(null);
  // Detection overrides stay JSON: CSS selectors for support staff, not settings a team decides.
  const [overrides, setOverrides] = useState('');
  const [saved, setSaved] = useState(false);
  // A refused save is about the values sent: it goes once any of them changes.
  const [problem, setProblem] = useProblem([draft, overrides]);

  useEffect(() => {
    if (resolved && !draft) {
      setDraft(resolved.policy);
      setOverrides(JSON.stringify(resolved.policy.selectorOverrides, null, 2));
    }
  }, [resolved, draft]);
  if (!resolved || !draft) return <section id="policy" aria-labelledby="policy-title"><h2 id="policy-title">{t('options_policy_title')}</h2><p>{t('common_loading')}</p></section>;

  const locked = (f: PolicyField) => resolved.sources[f] === 'managed';
  const set = <K extends PolicyField>(f: K, v: Policy[K]) => { setSaved(false); setDraft({ ...draft, [f]: v }); };
  // Recomputed from the form as it is: the sentence goes the moment the roles are valid again.
  const rolesWrong = locked('roles') ? null : rolesProblem(draft.roles);

  async function save() {
    setSaved(false);
    if (rolesWrong) return setProblem({ error: t('options_policy_fix_first') });
    // orgSync is edited in the sync section: keep its saved value, not the one this form loaded with.
    const policy: Record<string, unknown> = { ...draft, orgSync: resolved!.policy.orgSync };
    try {
      policy.selectorOverrides = JSON.parse(overrides);
    } catch (error) {
      return setProblem({ error: t('options_overrides_bad_json'), detail: `selectorOverrides: ${String(error)}` });
    }
    for (const f of Object.keys(policy)) if (locked(f as PolicyField)) delete policy[f];
    const reply = await sendRequest({ type: 'policy/save', policy });
    setProblem(problemOf(reply));
    setSaved(reply.ok);
  }

  const lines = (v: string) => v.split('\n').map((x) => x.trim()).filter(Boolean);
  return (
    <section id="policy" aria-labelledby="policy-title">
      <h2 id="policy-title">{t('options_policy_title')}</h2>
      <blockquote className="purpose">{resolved.policy.purposeStatement}</blockquote>
      {/* Firefox reads policies.json only when it starts (docs/admin.md): say so beside the locks. */}
      {import.meta.env.BROWSER === 'firefox' && Object.values(resolved.sources).includes('managed') && <p className="muted small">{t('options_policy_firefox_restart')}</p>}
      {resolved.issues.length > 0 && (
        <div role="alert" className="issues">
          <h3>{t('options_policy_problems')}</h3>
          <ul>
            {resolved.issues.map((issue, n) => {
              const { sentence, detail } = policyIssueWords(issue, t);
              return (
                <li key={n}>
                  {sentence}
                  <Details text={detail} />
                </li>
              );
            })}
          </ul>
        </div>
      )}
      <form className="policy-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <label>
          {t('options_purpose_statement')} <Lock managed={locked('purposeStatement')} />
          <textarea rows={2} disabled={locked('purposeStatement')} value={draft.purposeStatement} onChange={(e) => set('purposeStatement', e.target.value)} />
        </label>
        <fieldset>
          <legend>{t('options_scripts_legend')} <Lock managed={locked('consentScript')} /></legend>
          {languages.map((lang) => (
            <div key={lang} className="pair">
              <label>
                {t('options_consent_script', t(languageKeys[lang]))}
                <textarea rows={2} lang={lang} disabled={locked('consentScript')} value={draft.consentScript[lang] ?? ''}
                  onChange={(e) => set('consentScript', { ...draft.consentScript, [lang]: e.target.value || undefined })} />
              </label>
              <label>
                {t('options_decline_line', t(languageKeys[lang]))}
                <input lang={lang} disabled={locked('declineLine')} value={draft.declineLine[lang] ?? ''}
                  onChange={(e) => set('declineLine', { ...draft.declineLine, [lang]: e.target.value || undefined })} />
              </label>
            </div>
          ))}
        </fieldset>
        <div className="grid">
          <label>
            {t('options_prompt_language')} <Lock managed={locked('language')} />
            <select disabled={locked('language')} value={draft.language} onChange={(e) => set('language', e.target.value as Policy['language'])}>
              <option value="auto">{t('options_browser_language')}</option>
              {languages.map((l) => <option key={l} value={l}>{t(languageKeys[l])}</option>)}
            </select>
          </label>
          <label>
            {t('options_jurisdiction')} <Lock managed={locked('jurisdictionMode')} />
            <select disabled={locked('jurisdictionMode')} value={draft.jurisdictionMode} onChange={(e) => set('jurisdictionMode', e.target.value as Policy['jurisdictionMode'])}>
              <option value="all-party">{t('options_jurisdiction_all_party')}</option>
              <option value="one-party">{t('options_jurisdiction_one_party')}</option>
            </select>
          </label>
          <label>
            {t('options_default_category')} <Lock managed={locked('defaultCategory')} />
            <select disabled={locked('defaultCategory')} value={draft.defaultCategory ?? ''} onChange={(e) => set('defaultCategory', (e.target.value || null) as Policy['defaultCategory'])}>
              <option value="">{t('options_default_category_none')}</option>
              {callCategories.map((c) => <option key={c} value={c}>{t(categoryKeys[c])}</option>)}
            </select>
          </label>
          <label className="check">
            <input type="checkbox" disabled={locked('checklistReminder')} checked={draft.checklistReminder.enabled} onChange={(e) => set('checklistReminder', { ...draft.checklistReminder, enabled: e.target.checked })} />
            {t('options_reminder_enabled')} <Lock managed={locked('checklistReminder')} />
          </label>
          <label>
            {t('options_reminder_delay')} <Lock managed={locked('checklistReminder')} />
            <input type="number" min={1} disabled={locked('checklistReminder') || !draft.checklistReminder.enabled} value={draft.checklistReminder.afterMinutes} onChange={(e) => set('checklistReminder', { ...draft.checklistReminder, afterMinutes: Number(e.target.value) })} />
          </label>
          <label>
            {t('options_decision_change_minutes')} <Lock managed={locked('decisionChangeMinutes')} />
            <input type="number" min={0} max={10080} disabled={locked('decisionChangeMinutes')} value={draft.decisionChangeMinutes} onChange={(e) => set('decisionChangeMinutes', Number(e.target.value))} />
          </label>
          <label>
            {t('options_policy_version')} <Lock managed={locked('policyVersion')} />
            <input disabled={locked('policyVersion')} value={draft.policyVersion} onChange={(e) => set('policyVersion', e.target.value)} />
          </label>
        </div>
        <fieldset>
          <legend>{t('options_recording_standards')} <Lock managed={locked('recordingStandards')} /></legend>
          <p className="muted small">{t('options_standards_intro')}</p>
          <div className="grid">
            {callCategories.map((c) => (
              <label key={c}>
                {t(categoryKeys[c])}
                <select disabled={locked('recordingStandards')} value={draft.recordingStandards[c]}
                  onChange={(e) => set('recordingStandards', { ...draft.recordingStandards, [c]: e.target.value as Policy['recordingStandards'][typeof c] })}>
                  {recordingRules.map((r) => <option key={r} value={r}>{t(ruleKeys[r])}</option>)}
                </select>
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('options_retention_legend')} <Lock managed={locked('retentionDays')} /></legend>
          <div className="grid">
            {retentionKinds.map((k) => (
              <label key={k}>
                {dataLabel(k)}
                <input type="number" min={1} max={3650} disabled={locked('retentionDays')} value={draft.retentionDays[k]}
                  onChange={(e) => set('retentionDays', { ...draft.retentionDays, [k]: Number(e.target.value) })} />
              </label>
            ))}
          </div>
          <label className="check">
            <input type="checkbox" disabled={locked('allowDeletingConsentRecords')} checked={draft.allowDeletingConsentRecords}
              onChange={(e) => set('allowDeletingConsentRecords', e.target.checked)} />
            {t('options_allow_deleting_consent')} <Lock managed={locked('allowDeletingConsentRecords')} />
          </label>
        </fieldset>
        <div className="grid">
          <label>
            {t('options_notetaker_names')} <Lock managed={locked('notetakerNames')} />
            <textarea rows={5} disabled={locked('notetakerNames')} value={draft.notetakerNames.join('\n')} onChange={(e) => set('notetakerNames', lines(e.target.value))} />
          </label>
          <label>
            {t('options_live_tags')} <Lock managed={locked('tags')} />
            <textarea rows={5} disabled={locked('tags')} value={draft.tags.join('\n')} onChange={(e) => set('tags', lines(e.target.value))} />
          </label>
        </div>
        <fieldset>
          <legend>{t('options_required_fields')} <Lock managed={locked('checklistRequired')} /></legend>
          <div className="checks">
            {checklistFieldNames.map((f) => (
              <label key={f} className="check">
                <input type="checkbox" disabled={locked('checklistRequired')} checked={draft.checklistRequired.includes(f)}
                  onChange={(e) => set('checklistRequired', e.target.checked ? [...draft.checklistRequired, f] : draft.checklistRequired.filter((x) => x !== f))} />
                {t(checklistKeys[f])}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('options_checklist_categories')} <Lock managed={locked('checklistCategories')} /></legend>
          <div className="checks">
            {callCategories.map((c) => (
              <label key={c} className="check">
                <input type="checkbox" disabled={locked('checklistCategories')} checked={draft.checklistCategories.includes(c)}
                  onChange={(e) => set('checklistCategories', e.target.checked ? [...draft.checklistCategories, c] : draft.checklistCategories.filter((x) => x !== c))} />
                {t(categoryKeys[c])}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('options_roles')} <Lock managed={locked('roles')} /></legend>
          <p className="muted small">{t('options_roles_intro')}</p>
          <RolesEditor roles={draft.roles} disabled={locked('roles')} onChange={(roles) => set('roles', roles)} />
          <ProblemText problem={rolesWrong} id="roles-problem" />
        </fieldset>
        <label>
          {t('options_selector_overrides')} <Lock managed={locked('selectorOverrides')} />
          <textarea rows={6} className="code" disabled={locked('selectorOverrides')} value={overrides} onChange={(e) => { setSaved(false); setOverrides(e.target.value); }} />
        </label>
        <div className="row">
          <button type="submit" className="primary">{t('options_policy_save')}</button>
          <button type="button" onClick={() => { setSaved(false); setDraft(defaultPolicy); setOverrides('{}'); }}>
            {t('options_policy_reset')}
          </button>
        </div>
        <ProblemText problem={problem} />
        <p role="status" className="ok">{saved ? t('options_policy_saved') : ''}</p>
      </form>
    </section>
  );
}
