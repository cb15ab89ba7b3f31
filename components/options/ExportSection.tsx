import { useEffect, useState } from 'react';
import { t, type MessageKey } from '../../lib/i18n';
import { sendRequest } from '../../lib/protocol/client';
import type { Reply } from '../../lib/protocol/replies';
import type { ApprovalRecord, UsePurpose } from '../../lib/model';
import { downloadText } from '../../lib/ui/download';
import { usePolicy } from '../../lib/ui/policy';

/** Uses of the calls: each declares its purpose. */
const usesOffered = [
  ['calls-csv', 'options_export_calls_csv'],
  ['calls-json', 'options_export_calls_json'],
  ['concerns-csv', 'options_export_concerns_csv'],
] as const satisfies readonly (readonly [string, MessageKey])[];

const exportNames: Record<string, MessageKey> = {
  'calls-csv': 'options_export_name_calls_csv',
  'calls-json': 'options_export_name_calls_json',
  'concerns-csv': 'options_export_name_concerns_csv',
  backup: 'options_export_name_backup',
  ledger: 'options_export_name_ledger',
  import: 'options_export_name_import',
};
/** What an access-log row was, for the access log ("Calls (CSV)"); unknown ids as they are. */
export const exportLabel = (action: string): string => (Object.hasOwn(exportNames, action) ? t(exportNames[action]!) : action);
/** An approval as the access log shows it: who (and their role, when it is not the whole answer), and the reference. */
export const approvalLabel = (a: ApprovalRecord): string =>
  a.role && a.role !== a.approver ? t('options_approval_named', a.approver, a.role, a.reference) : t('options_approval_role', a.approver, a.reference);

/**
 * Every use of the calls declares its purpose; performance use needs an approval: a code issued in
 * the organisation's console when this browser is enrolled, else one of the policy's approving roles
 * and a reference. A full backup is record keeping, not a use, and is logged as such.
 */
export function ExportSection() {
  const resolved = usePolicy();
  const [purpose, setPurpose] = useState<UsePurpose>('coaching');
  const [role, setRole] = useState('');
  const [reference, setReference] = useState('');
  const [code, setCode] = useState('');
  const [enrolled, setEnrolled] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const approvers = resolved?.policy.roles.filter((r) => r.approvesPerformanceUse).map((r) => r.role) ?? [];

  useEffect(() => {
    void sendRequest({ type: 'org/status' }).then((r) => setEnrolled(r.ok && r.data.enrolled !== null));
  }, []);
  useEffect(() => {
    if (!approvers.includes(role)) setRole(approvers[0] ?? '');
  }, [approvers.join('\n')]);

  function save(reply: Reply<'export/request'>, ok: (file: string) => string) {
    if (!reply.ok) return setMessage({ kind: 'error', text: reply.error });
    downloadText(reply.data.filename, reply.data.mime, reply.data.content);
    setMessage({ kind: 'ok', text: ok(reply.data.filename) });
  }
  async function run(what: (typeof usesOffered)[number][0]) {
    // Only a performance use carries an approval, and only the one entered for it now.
    const approval = purpose !== 'performance' ? {} : enrolled ? { approvalCode: code.trim() || undefined } : { approval: { role, reference } };
    const reply = await sendRequest({ type: 'export/request', what, purpose, ...approval });
    if (reply.ok && purpose === 'performance') setCode('');
    save(reply, (file) => (purpose === 'coaching' ? t('options_exported_coaching', file) : t('options_exported_performance', file)));
  }
  async function backup() {
    save(await sendRequest({ type: 'export/request', what: 'backup' }), (file) => t('options_exported_backup', file));
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
      {purpose === 'performance' && (enrolled ? (
        <div className="grid">
          <label>
            {t('options_approval_code')}
            <input value={code} autoComplete="off" spellCheck={false} onChange={(e) => setCode(e.target.value)} placeholder="APR-…" />
          </label>
          <p className="muted small">{t('options_approval_code_note')}</p>
        </div>
      ) : approvers.length ? (
        <div className="grid">
          <label>
            {t('options_approved_by_role')}
            <select value={role} onChange={(e) => setRole(e.target.value)}>
              {approvers.map((r) => <option key={r} value={r}>{r}</option>)}
            </select>
          </label>
          <label>
            {t('options_reference')}
            <input value={reference} onChange={(e) => setReference(e.target.value)} placeholder={t('options_reference_placeholder')} />
          </label>
        </div>
      ) : (
        <p className="error">{t('options_approver_none')}</p>
      ))}
      <div className="row">
        {usesOffered.map(([what, key]) => (
          <button key={what} type="button" onClick={() => void run(what)}>
            {t(key)}
          </button>
        ))}
      </div>
      <h3>{t('options_backup_title')}</h3>
      <p className="muted small">{t('options_backup_note')}</p>
      <div className="row">
        <button type="button" onClick={() => void backup()}>{t('options_export_backup')}</button>
      </div>
      {message && <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind}>{message.text}</p>}
    </section>
  );
}
