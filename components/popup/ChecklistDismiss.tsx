import { useState } from 'react';
import { t, type MessageKey } from '../../lib/i18n';
import { sendRequest } from '../../lib/protocol/client';
import { checklistDismissReasons, type ChecklistDismissReason } from '../../lib/model/vocabulary';
import type { ChecklistRecord } from '../../lib/model';

export const dismissReasonKeys: Record<ChecklistDismissReason, MessageKey> = {
  'no-crm-record': 'popup_dismiss_no_crm',
  'internal-call': 'popup_dismiss_internal',
  other: 'popup_dismiss_other',
};

/**
 * "This call needs no checklist": the rep dismisses a pending checklist with a reason. It leaves
 * the badge and the reminders; the dismissal is logged and counted in the audit report. The rep
 * can still fill the checklist in later.
 */
export function ChecklistDismiss({ callId, checklist }: { callId: string; checklist: ChecklistRecord | null }) {
  const [reason, setReason] = useState<ChecklistDismissReason>('no-crm-record');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const dismissal = checklist?.dismissal;
  if (dismissal) {
    const words = dismissal.reason === 'other' && dismissal.text ? dismissal.text : t(dismissReasonKeys[dismissal.reason]);
    return <p className="muted small" role="status">{t('popup_dismissed', words)}</p>;
  }
  if (checklist?.status !== 'pending') return null;

  async function dismiss() {
    const reply = await sendRequest({
      type: 'checklist/dismiss', eventId: crypto.randomUUID(), at: Date.now(), callId, reason, ...(text.trim() ? { text: text.trim() } : {}),
    });
    setError(reply.ok ? null : reply.error);
  }

  return (
    <details className="dismiss">
      <summary>{t('popup_dismiss_open')}</summary>
      <div className="field">
        <label htmlFor="dismiss-reason">{t('popup_dismiss_reason')}</label>
        <select id="dismiss-reason" value={reason} onChange={(e) => setReason(e.target.value as ChecklistDismissReason)}>
          {checklistDismissReasons.map((id) => <option key={id} value={id}>{t(dismissReasonKeys[id])}</option>)}
        </select>
      </div>
      {reason === 'other' && (
        <div className="field">
          <label htmlFor="dismiss-text">{t('popup_dismiss_text')}</label>
          <input id="dismiss-text" maxLength={500} value={text} onChange={(e) => setText(e.target.value)} />
        </div>
      )}
      <div className="row">
        <button type="button" onClick={() => void dismiss()}>{t('popup_dismiss_confirm')}</button>
      </div>
      {error && <p role="alert" className="error">{error}</p>}
    </details>
  );
}
