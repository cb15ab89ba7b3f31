import { useState } from 'react';
import { t } from '../../lib/i18n';
import { startConsentCheck } from '../../lib/protocol/to-content';
import { findCallTab } from '../../lib/ui/call-tab';

/** The manual fallback: starts the consent prompt in the current tab when detection missed the call. */
export function StartConsentCheck() {
  const [message, setMessage] = useState<string | null>(null);
  async function start() {
    const tabId = await findCallTab();
    const started = tabId !== undefined && (await startConsentCheck(tabId));
    setMessage(started ? t('popup_start_started') : t('popup_start_no_call_tab'));
  }
  return (
    <div className="start">
      <button type="button" className="primary" onClick={() => void start()} aria-describedby="start-help">
        {t('popup_start_button')}
      </button>
      <p id="start-help" className="muted small" role={message ? 'alert' : undefined}>
        {message ?? t('popup_start_help')}
      </p>
    </div>
  );
}
