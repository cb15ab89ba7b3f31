import { useState } from 'react';
import { findCallTab, startConsentCheck } from '../../lib/messages/to-content';

/** The manual fallback: starts the consent prompt in the current tab when detection missed the call. */
export function StartConsentCheck() {
  const [message, setMessage] = useState<string | null>(null);
  async function start() {
    const tabId = await findCallTab();
    const started = tabId !== undefined && (await startConsentCheck(tabId));
    setMessage(started ? 'Started: the consent prompt is open in your call tab.' : 'Open your call tab first: Candor runs on Google Meet, Zoom and Microsoft Teams call pages.');
  }
  return (
    <div className="start">
      <button type="button" className="primary" onClick={() => void start()} aria-describedby="start-help">
        Start consent check
      </button>
      <p id="start-help" className="muted small" role={message ? 'alert' : undefined}>
        {message ?? 'Candor asks automatically once you are admitted. Use this if it did not (shortcut Alt+Shift+K).'}
      </p>
    </div>
  );
}
