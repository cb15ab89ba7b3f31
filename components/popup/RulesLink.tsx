import { useEffect, useState } from 'react';
import { t } from '../../lib/i18n';
import { openRulesPage, rulesRead } from '../../lib/ui/rules';

const open = () => void openRulesPage().then(() => window.close());

/**
 * Until the rep says they read the team's rules, the popup leads with them: before the first call,
 * the purpose and the recording standards matter more than an empty call list.
 */
export function RulesFirstRun() {
  const [read, setRead] = useState<boolean | null>(null);
  useEffect(() => {
    void rulesRead().then(setRead, () => setRead(true));
  }, []);
  if (read !== false) return null;
  return (
    <section className="decide" aria-labelledby="rules-first-title">
      <h2 id="rules-first-title">{t('popup_rules_first_title')}</h2>
      <p className="small">{t('popup_rules_first_text')}</p>
      <button type="button" className="primary" onClick={open}>{t('popup_rules_first_button')}</button>
    </section>
  );
}

/** Always in the popup's footer. */
export function RulesLink() {
  return (
    <button type="button" className="link" onClick={open}>
      {t('popup_rules_link')}
    </button>
  );
}
