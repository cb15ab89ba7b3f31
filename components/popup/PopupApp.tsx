import { Suspense, useCallback, useState } from 'react';
import { browser } from 'wxt/browser';
import { t } from '../../lib/i18n';
import { CallList } from './CallList';
import { CallDetail, ConcernForm, DecideHere, MyConcerns, PolicyIssues, preloadViews } from './lazy';
import { RulesFirstRun, RulesLink } from './RulesLink';
import { StartConsentCheck } from './StartConsentCheck';
import { usePopupStore } from './usePopupStore';

const loading = <p className="muted">{t('common_loading')}</p>;

export function PopupApp() {
  const selected = usePopupStore((s) => s.selectedCallId);
  const [concern, setConcern] = useState(false);
  // "My concerns", opened from the footer or right after a concern was sent (with the confirmation).
  const [concerns, setConcerns] = useState<{ sent: boolean } | null>(null);
  // The policy check (zod + policy resolution) and the on-demand views load once the list is on
  // screen (after the next paint), not before it: the first rows are what the rep opened the popup for.
  const [listShown, setListShown] = useState(false);
  const onListShown = useCallback(() => {
    if (listShown) return;
    requestAnimationFrame(() => setTimeout(() => {
      setListShown(true);
      preloadViews();
    }));
  }, [listShown]);
  return (
    <main className="popup">
      <header className="popup-head">
        <h1>Candor</h1>
        <p className="tagline">{t('popup_tagline')}</p>
      </header>
      {(listShown || selected) && (
        <Suspense fallback={null}>
          <PolicyIssues />
        </Suspense>
      )}
      {selected ? (
        <Suspense fallback={loading}>
          <CallDetail callId={selected} />
        </Suspense>
      ) : (
        <>
          {listShown && (
            <Suspense fallback={null}>
              <DecideHere />
            </Suspense>
          )}
          <RulesFirstRun />
          <StartConsentCheck />
          <CallList onShown={onListShown} />
          {concern && (
            <Suspense fallback={loading}>
              <ConcernForm onDone={(sent) => { setConcern(false); if (sent) setConcerns({ sent: true }); }} />
            </Suspense>
          )}
          {concerns && (
            <Suspense fallback={loading}>
              <MyConcerns sent={concerns.sent} onClose={() => setConcerns(null)} />
            </Suspense>
          )}
          <footer className="popup-foot">
            {!concern && (
              <button type="button" className="link" onClick={() => setConcern(true)}>
                {t('popup_raise_concern')}
              </button>
            )}
            {!concerns && (
              <button type="button" className="link" onClick={() => setConcerns({ sent: false })}>
                {t('popup_my_concerns')}
              </button>
            )}
            <RulesLink />
            <button type="button" className="link" onClick={() => void browser.runtime.openOptionsPage()}>
              {t('popup_open_options')}
            </button>
          </footer>
        </>
      )}
    </main>
  );
}
