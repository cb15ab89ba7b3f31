import { browser } from 'wxt/browser';
import { t } from '../../lib/i18n';
import { usePolicy } from '../../lib/ui/policy';
import { policyIssueWords } from '../../lib/policy/words';
import { Details } from '../shared/Details';

/** A broken policy never turns consent off, but the rep and the admin must see exactly what is wrong. */
export function PolicyIssues() {
  const resolved = usePolicy();
  if (!resolved?.issues.length) return null;
  return (
    <div role="alert" className="policy-issues">
      <strong>{resolved.issues.length > 1 ? t('popup_policy_problems') : t('popup_policy_problem')}</strong>
      <ul>
        {resolved.issues.map((issue, n) => {
          // A sentence the rep can act on; the field path and zod's words for whoever helps them.
          const { sentence, detail } = policyIssueWords(issue, t);
          return (
            <li key={n}>
              {sentence}
              <Details text={detail} />
            </li>
          );
        })}
      </ul>
      <button type="button" className="link" onClick={() => void browser.runtime.openOptionsPage()}>
        {t('popup_open_settings')}
      </button>
    </div>
  );
}
