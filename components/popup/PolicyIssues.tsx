import { browser } from 'wxt/browser';
import { t } from '../../lib/i18n';
import { usePolicy } from '../../lib/ui/policy';

/** A broken policy never turns consent off, but the rep and the admin must see exactly what is wrong. */
export function PolicyIssues() {
  const resolved = usePolicy();
  if (!resolved?.issues.length) return null;
  return (
    <div role="alert" className="policy-issues">
      <strong>{resolved.issues.length > 1 ? t('popup_policy_problems') : t('popup_policy_problem')}</strong>
      <ul>
        {resolved.issues.map((i, n) => (
          <li key={n}>
            <code>{i.field}</code> ({i.source === 'managed' ? t('popup_policy_source_managed') : t('popup_policy_source_local')}): {i.message}
          </li>
        ))}
      </ul>
      <button type="button" className="link" onClick={() => void browser.runtime.openOptionsPage()}>
        {t('popup_open_settings')}
      </button>
    </div>
  );
}
