import { useState } from 'react';
import { t } from '../../lib/i18n';
import { sendRequest } from '../../lib/protocol/client';
import type { CallRecord } from '../../lib/model';

/**
 * The call's name and its account or opportunity, as the rep wants to find it again. The meeting
 * title the platform showed is the starting point (page text: shown as text, never as markup); what
 * the rep types wins over it. Kept on this machine only, with the call.
 */
export function CallName({ call }: { call: CallRecord }) {
  // What the rep typed; until then the fields follow the stored call (a title the page shows later).
  const [typed, setTyped] = useState<{ title?: string; account?: string }>({});
  const title = typed.title ?? call.title ?? call.platformTitle ?? '';
  const account = typed.account ?? call.account ?? '';
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  async function save() {
    const reply = await sendRequest({ type: 'call/rename', callId: call.id, title, account });
    setMessage(reply.ok ? { kind: 'ok', text: t('popup_name_saved') } : { kind: 'error', text: reply.error });
  }

  return (
    <details className="call-name">
      <summary>{t('popup_name_edit')}</summary>
      <div className="field">
        <label htmlFor="call-name-title">{t('popup_name_title')}</label>
        <input id="call-name-title" maxLength={200} value={title} onChange={(e) => { setTyped({ ...typed, title: e.target.value }); setMessage(null); }} />
      </div>
      <div className="field">
        <label htmlFor="call-name-account">{t('popup_name_account')}</label>
        <input id="call-name-account" maxLength={200} value={account} onChange={(e) => { setTyped({ ...typed, account: e.target.value }); setMessage(null); }} />
      </div>
      <p className="muted small">{t('popup_name_local')}</p>
      <div className="row">
        <button type="button" onClick={() => void save()}>{t('popup_name_save')}</button>
      </div>
      {message && <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind}>{message.text}</p>}
    </details>
  );
}
