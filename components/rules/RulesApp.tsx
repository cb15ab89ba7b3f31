import { useEffect, useState } from 'react';
import { t, uiLanguage, type MessageKey } from '../../lib/i18n';
import { categoryKeys } from '../../lib/i18n/labels';
import { callCategories, recordingRules, retentionKinds, usePurposes, type RecordingRule } from '../../lib/model';
import { promptTexts } from '../../lib/policy/resolve';
import { dataLabel, dataViewLabel, purposeLabel } from '../../lib/ui/format';
import { usePolicy } from '../../lib/ui/policy';
import { markRulesRead, rulesRead } from '../../lib/ui/rules';
import { ConcernForm } from '../popup/ConcernForm';

/** Each recording rule as the sentence a rep acts on, with the call types it covers. */
const ruleSentences: Record<RecordingRule, MessageKey> = {
  'ask-consent': 'rules_rule_ask_consent',
  'record-with-notice': 'rules_rule_record_with_notice',
  'never-record': 'rules_rule_never_record',
};

const list = (items: string[]) => new Intl.ListFormat(uiLanguage(), { type: 'conjunction' }).format(items);
const number = (n: number) => n.toLocaleString(uiLanguage());
/** A list item starts with a capital, whatever the label's case in a sentence ("consent records"). */
const capital = (s: string) => s.charAt(0).toLocaleUpperCase(uiLanguage()) + s.slice(1);

/**
 * The rules where the rep sees them (opened on install, linked from the popup): the organisation's
 * policy in words, what it means in a call and for the rep's data. The policy's own texts (purpose,
 * consent script, decline line, role names) are shown as text, never as markup.
 */
export function RulesApp() {
  const resolved = usePolicy();
  const [read, setRead] = useState<boolean | null>(null);
  const [concern, setConcern] = useState(false);
  useEffect(() => {
    void rulesRead().then(setRead, () => setRead(false));
  }, []);
  if (!resolved) return <main className="rules"><p>{t('common_loading')}</p></main>;
  const { policy } = resolved;
  const texts = promptTexts(policy, uiLanguage());
  const byRule = recordingRules
    .map((rule) => ({ rule, types: callCategories.filter((c) => policy.recordingStandards[c] === rule).map((c) => t(categoryKeys[c])) }))
    .filter((r) => r.types.length > 0);

  return (
    <main className="rules" aria-labelledby="rules-title">
      <h1 id="rules-title">{t('rules_title')}</h1>
      <p className="muted">{t('rules_intro', policy.policyVersion)}</p>

      <section aria-labelledby="rules-why">
        <h2 id="rules-why">{t('rules_why_title')}</h2>
        <blockquote className="purpose">{policy.purposeStatement}</blockquote>
        <p className="policy-line">{t('common_policy_line')}</p>
      </section>

      <section aria-labelledby="rules-when">
        <h2 id="rules-when">{t('rules_when_title')}</h2>
        <p>{t('rules_when_intro')}</p>
        <ul>
          {byRule.map(({ rule, types }) => <li key={rule}>{t(ruleSentences[rule], list(types))}</li>)}
          <li>{t(policy.jurisdictionMode === 'all-party' ? 'rules_all_party' : 'rules_one_party')}</li>
          <li>{t('rules_late_joiners')}</li>
        </ul>
      </section>

      <section aria-labelledby="rules-ask">
        <h2 id="rules-ask">{t('rules_ask_title')}</h2>
        <p>{t('rules_ask_intro')}</p>
        <blockquote lang={texts.language}>{texts.consentScript}</blockquote>
      </section>

      <section aria-labelledby="rules-decline">
        <h2 id="rules-decline">{t('rules_decline_title')}</h2>
        <p>{t('rules_decline_intro')}</p>
        <blockquote lang={texts.language}>{texts.declineLine}</blockquote>
        <p>{t('rules_decline_after', t('prompt_withdraw'))}</p>
      </section>

      <section aria-labelledby="rules-access">
        <h2 id="rules-access">{t('rules_access_title')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('rules_col_role')}</th>
              <th scope="col">{t('options_role_can_view')}</th>
              <th scope="col">{t('options_role_purposes')}</th>
              <th scope="col">{t('options_role_approves')}</th>
            </tr>
          </thead>
          <tbody>
            {policy.roles.map((role, i) => (
              <tr key={i}>
                <th scope="row">{role.role}</th>
                <td>{role.canView.length ? list(role.canView.map(dataViewLabel)) : t('rules_nothing')}</td>
                <td>{role.purposes.length ? list(usePurposes.filter((p) => role.purposes.includes(p)).map(purposeLabel)) : t('rules_nothing')}</td>
                <td>{role.approvesPerformanceUse ? t('common_yes') : t('common_no')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>{t('rules_retention_intro')}</p>
        <ul>
          {retentionKinds.map((kind) => <li key={kind}>{t('rules_days', capital(dataLabel(kind)), number(policy.retentionDays[kind]))}</li>)}
        </ul>
        <p>{t(policy.orgSync.service ? 'rules_sync_on' : 'rules_local_only')}</p>
        <p>
          {t('rules_delete_yours')}{' '}
          {policy.allowDeletingConsentRecords ? t('rules_delete_consent_allowed') : t('rules_delete_consent_kept', number(policy.retentionDays.consent))}
        </p>
      </section>

      <section aria-labelledby="rules-concern">
        <h2 id="rules-concern">{t('rules_concern_title')}</h2>
        <p>{t('rules_concern_text', t('popup_raise_concern'))}</p>
        {concern ? (
          <ConcernForm onDone={() => setConcern(false)} />
        ) : (
          <button type="button" onClick={() => setConcern(true)}>{t('popup_raise_concern')}</button>
        )}
      </section>

      <div className="read">
        {read === false && (
          <button type="button" className="primary" onClick={() => void markRulesRead().then(() => setRead(true))}>
            {t('rules_read_button')}
          </button>
        )}
        <p role="status" className="ok">{read ? t('rules_read_done', t('popup_rules_link')) : ''}</p>
      </div>
    </main>
  );
}
