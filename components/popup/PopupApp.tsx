import { useState } from 'react';
import { browser } from 'wxt/browser';
import { t } from '../../lib/i18n';
import { CallDetail } from './CallDetail';
import { CallList } from './CallList';
import { ConcernForm } from './ConcernForm';
import { PolicyIssues } from './PolicyIssues';
import { StartConsentCheck } from './StartConsentCheck';
import { usePopupStore } from './usePopupStore';

export function PopupApp() {
  const selected = usePopupStore((s) => s.selectedCallId);
  const [concern, setConcern] = useState(false);
  return (
    <main className="popup">
      <header className="popup-head">
        <h1>Candor</h1>
        <p className="tagline">{t('popup_tagline')}</p>
      </header>
      <PolicyIssues />
      {selected ? (
        <CallDetail callId={selected} />
      ) : (
        <>
          <StartConsentCheck />
          <CallList />
          {concern && <ConcernForm onDone={() => setConcern(false)} />}
          <footer className="popup-foot">
            {!concern && (
              <button type="button" className="link" onClick={() => setConcern(true)}>
                {t('popup_raise_concern')}
              </button>
            )}
            <button type="button" className="link" onClick={() => void browser.runtime.openOptionsPage()}>
              {t('popup_open_options')}
            </button>
          </footer>
        </>
      )}
    </main>
  );
}
