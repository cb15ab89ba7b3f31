import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { reasonChoiceKeys } from '../../lib/i18n/labels';
import { t } from '../../lib/i18n';
import { sendRequest } from '../../lib/protocol/client';

import { findCallTab } from '../../lib/ui/call-tab';
import { promptTexts } from '../../lib/policy/resolve';
import { readDb } from '../../lib/ui/db';
import { usePolicy } from '../../lib/ui/policy';
import type { NotRecordingReason } from '../../lib/model';

/**
 * The customer's answer, recorded from the toolbar popup: where the call page cannot reach. Shown
 * while the call in the current tab waits for a decision; first in line when the page covers, hides
 * or removes the in-page prompt (the tab's badge shows "!"). The choice is logged as made here.
 */
export function DecideHere() {
  const [tabId, setTabId] = useState<number | null>(null);
  const [obstructed, setObstructed] = useState(false);
  const [reasons, setReasons] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const resolved = usePolicy();
  useEffect(() => {
    void findCallTab().then(async (id) => {
      if (id === undefined) return;
      setTabId(id);
      const button = browser.action ?? browser.browserAction;
      setObstructed((await button.getBadgeText({ tabId: id }).catch(() => '')) === '!');
    });
  }, []);
  const call = useLiveQuery(
    () => (tabId === null ? undefined : readDb.calls.where('tabIds').equals(tabId).filter((c) => c.status === 'active').first()),
    [tabId],
  );
  if (!call || !resolved || (call.outcome !== undefined && status === null)) return null;
  const texts = promptTexts(resolved.policy, browser.i18n.getUILanguage());

  async function decide(outcome: 'agreed' | 'declined' | 'not-recorded', reason?: NotRecordingReason) {
    setStatus(t('common_saving'));
    const reply = await sendRequest({ type: 'call/decide', eventId: crypto.randomUUID(), at: Date.now(), callId: call!.id, outcome, reason, category: call!.category });
    setStatus(reply.ok ? (outcome === 'declined' ? `${texts.declineLine} ${t('popup_decide_saved')}` : t('popup_decide_saved')) : reply.error);
  }

  return (
    <section className={`decide${obstructed ? ' warn' : ''}`} aria-labelledby="decide-title">
      <h2 id="decide-title">{t('popup_decide_title')}</h2>
      {obstructed && <p role="alert">{t('popup_decide_obstructed')}</p>}
      {status ? (
        <p role="status" lang={texts.language}>{status}</p>
      ) : (
        <>
          <p className="muted small">{t('prompt_read_aloud')}</p>
          <blockquote lang={texts.language}>{texts.consentScript}</blockquote>
          {reasons ? (
            <div className="decide-actions" role="group" aria-label={t('prompt_reason_question')}>
              {Object.entries(reasonChoiceKeys).map(([reason, key]) => (
                <button type="button" key={reason} onClick={() => void decide('not-recorded', reason as NotRecordingReason)}>{t(key)}</button>
              ))}
              <button type="button" className="link" onClick={() => setReasons(false)}>{t('prompt_back')}</button>
            </div>
          ) : (
            <div className="decide-actions" role="group" aria-label={t('prompt_outcome_group')}>
              <button type="button" className="primary" onClick={() => void decide('agreed')}>{t('prompt_outcome_agreed')}</button>
              <button type="button" onClick={() => void decide('declined')}>{t('prompt_outcome_declined')}</button>
              <button type="button" onClick={() => setReasons(true)}>{t('prompt_outcome_not_recorded')}</button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
