import { useState } from 'react';
import { t, type MessageKey } from '../../lib/i18n';
import { sendRequest } from '../../lib/protocol/client';

import { downloadText } from '../../lib/ui/download';
import type { UsePurpose } from '../../lib/model';

const exportsOffered = [
  ['calls-csv', 'options_export_calls_csv'],
  ['calls-json', 'options_export_calls_json'],
  ['concerns-csv', 'options_export_concerns_csv'],
  ['backup', 'options_export_backup'],
] as const satisfies readonly (readonly [string, MessageKey])[];

const exportNames: Record<string, MessageKey> = {
  'calls-csv': 'options_export_name_calls_csv',
  'calls-json': 'options_export_name_calls_json',
  'concerns-csv': 'options_export_name_concerns_csv',
  backup: 'options_export_name_backup',
  ledger: 'options_export_name_ledger',
};
/** What an export was, for the access log ("Calls (CSV)"); unknown ids as they are. */
export const exportLabel = (action: string): string => (Object.hasOwn(exportNames, action) ? t(exportNames[action]!) : action);
export const purposeLabel = (purpose: string): string =>
  purpose === 'coaching' ? t('options_purpose_coaching_short') : purpose === 'performance' ? t('options_purpose_performance_short') : purpose;

/** Every export declares its purpose; performance use needs who approved it and why. */
export function ExportSection() {
  const [purpose, setPurpose] = useState<UsePurpose>('coaching');
  const [approver, setApprover] = useState('');
  const [reference, setReference] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  async function run(what: (typeof exportsOffered)[number][0]) {
    const approval = approver.trim() || reference.trim() ? { approver, reference } : undefined;
    const reply = await sendRequest({ type: 'export/request', what, purpose, ...(approval ? { approval } : {}) });
    if (!reply.ok) {
      setMessage({ kind: 'error', text: reply.error });
      return;
    }
    downloadText(reply.data.filename, reply.data.mime, reply.data.content);
    setMessage({ kind: 'ok', text: purpose === 'coaching' ? t('options_exported_coaching', reply.data.filename) : t('options_exported_performance', reply.data.filename) });
  }

  return (
    <section id="exports" aria-labelledby="exports-title">
      <h2 id="exports-title">{t('options_exports_title')}</h2>
      <p className="policy-line">{t('common_policy_line')}</p>
      <fieldset>
        <legend>{t('options_export_purpose')}</legend>
        <label className="check">
          <input type="radio" name="purpose" checked={purpose === 'coaching'} onChange={() => setPurpose('coaching')} /> {t('options_purpose_coaching')}
        </label>
        <label className="check">
          <input type="radio" name="purpose" checked={purpose === 'performance'} onChange={() => setPurpose('performance')} /> {t('options_purpose_performance')}
        </label>
      </fieldset>
      {purpose === 'performance' && (
        <div className="grid">
          <label>
            {t('options_approved_by')}
            <input value={approver} onChange={(e) => setApprover(e.target.value)} placeholder={t('options_approved_by_placeholder')} />
          </label>
          <label>
            {t('options_reference')}
            <input value={reference} onChange={(e) => setReference(e.target.value)} placeholder={t('options_reference_placeholder')} />
          </label>
        </div>
      )}
      <div className="row">
        {exportsOffered.map(([what, key]) => (
          <button key={what} type="button" onClick={() => void run(what)}>
            {t(key)}
          </button>
        ))}
      </div>
      {message && <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind}>{message.text}</p>}
    </section>
  );
}
