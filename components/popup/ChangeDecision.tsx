import { useState } from 'react';
import { changeWindowOpen, decisionOffers, type DecisionOffer } from '../../lib/call/outcomes';
import { t } from '../../lib/i18n';
import { categoryKeys } from '../../lib/i18n/labels';
import { sendRequest } from '../../lib/protocol/client';
import { formatWhen } from '../../lib/ui/format';
import { callCategories, type CallCategory, type Outcome, type RecordingRule } from '../../lib/model/vocabulary';
import type { CallRecord } from '../../lib/model';

interface Props {
  call: CallRecord;
  /** The policy's minutes after a call's end during which its decision may change, and its rules. */
  changeMinutes: number;
  standards: Record<CallCategory, RecordingRule>;
  /** The consent question in the policy's words, read again before a new answer counts. */
  script: { text: string; language: string };
}

/**
 * Changing the call's decision from the popup, during the call and for the policy's time after it
 * (withdrawing: at any time). Each change is a new decision the background logs as superseding the
 * one before; nothing is edited. The background enforces the same rules (lib/call/outcomes.ts).
 */
export function ChangeDecision({ call, changeMinutes, standards, script }: Props) {
  const [open, setOpen] = useState<DecisionOffer | null>(null);
  const [category, setCategory] = useState<CallCategory>(call.category ?? 'external-prospect');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const windowOpen = changeWindowOpen(call, changeMinutes, Date.now());
  const offers = decisionOffers({ outcome: call.outcome, reason: call.reason }).filter((offer) => offer === 'withdraw' || windowOpen);
  if (offers.length === 0 && !message) return null;

  async function decide(outcome: Outcome, withCategory?: CallCategory) {
    const reply = await sendRequest({
      type: 'call/decide', eventId: crypto.randomUUID(), at: Date.now(), callId: call.id, outcome,
      // Only offered for a never-record call type (the choice itself is "ask now" otherwise).
      ...(outcome === 'not-recorded' ? { reason: 'never-record-rule' as const } : {}),
      ...(withCategory ? { category: withCategory } : {}),
    });
    setMessage(reply.ok ? { kind: 'ok', text: t('popup_change_saved') } : { kind: 'error', text: reply.error });
    if (reply.ok) setOpen(null);
  }

  const question = (
    <>
      <p className="muted small">{t('prompt_read_aloud')}</p>
      <blockquote lang={script.language}>{script.text}</blockquote>
    </>
  );

  const answers = (withCategory?: CallCategory) =>
    withCategory && standards[withCategory] === 'never-record' ? (
      <button type="button" onClick={() => void decide('not-recorded', withCategory)}>{t('prompt_rule_confirm')}</button>
    ) : (
      <>
        <button type="button" className="primary" onClick={() => void decide('agreed', withCategory)}>{t('prompt_outcome_agreed')}</button>
        <button type="button" onClick={() => void decide('declined', withCategory)}>{t('prompt_outcome_declined')}</button>
      </>
    );

  return (
    <section className="change-decision" aria-labelledby="change-title">
      <h3 id="change-title">{t('popup_change_title')}</h3>
      {call.status === 'ended' && call.endedAt !== undefined && windowOpen && (
        <p className="muted small">{t('popup_change_until', formatWhen(call.endedAt + changeMinutes * 60_000))}</p>
      )}
      {open === null && (
        <div className="row">
          {offers.map((offer) => (
            <button type="button" key={offer} onClick={() => (offer === 'withdraw' ? void decide('withdrawn') : (setOpen(offer), setMessage(null)))}>
              {t(offerKeys[offer])}
            </button>
          ))}
        </div>
      )}
      {(open === 'agree' || open === 'ask') && question}
      {open === 'agree' && (
        <div className="row" role="group" aria-label={t('popup_change_title')}>
          <button type="button" className="primary" onClick={() => void decide('agreed')}>{t('prompt_agreed_after_all')}</button>
          <button type="button" className="link" onClick={() => setOpen(null)}>{t('prompt_back')}</button>
        </div>
      )}
      {open === 'ask' && (
        <div className="row" role="group" aria-label={t('prompt_outcome_group')}>
          {answers()}
          <button type="button" className="link" onClick={() => setOpen(null)}>{t('prompt_back')}</button>
        </div>
      )}
      {open === 'recategorize' && (
        <>
          <div className="field">
            <label htmlFor="change-category">{t('prompt_call_type')}</label>
            <select id="change-category" value={category} onChange={(e) => setCategory(e.target.value as CallCategory)}>
              {callCategories.map((id) => <option key={id} value={id}>{t(categoryKeys[id])}</option>)}
            </select>
          </div>
          <div className="row" role="group" aria-label={t('prompt_outcome_group')}>
            {answers(category)}
            <button type="button" className="link" onClick={() => setOpen(null)}>{t('prompt_back')}</button>
          </div>
        </>
      )}
      {message && <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind}>{message.text}</p>}
    </section>
  );
}

const offerKeys = {
  withdraw: 'prompt_withdraw',
  agree: 'prompt_offer_agree',
  ask: 'prompt_offer_ask',
  recategorize: 'prompt_offer_recategorize',
} as const;
