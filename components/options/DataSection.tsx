import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { t, uiLanguage, type MessageKey } from '../../lib/i18n';
import { sendRequest } from '../../lib/protocol/client';
import { MAX_BACKUP_BYTES } from '../../lib/protocol/limits';
import type { ImportPlan } from '../../lib/protocol/replies';
import { deletionPlan, type DeletionPlan, type KeptRecords } from '../../lib/policy/deletion';
import { readDb } from '../../lib/ui/db';
import { dataLabel } from '../../lib/ui/format';
import { usePolicy } from '../../lib/ui/policy';
import { Details } from '../shared/Details';

type Message = { kind: 'ok' | 'error'; text: string; detail?: string } | null;

const keptKeys: Record<KeptRecords['kind'], MessageKey> = {
  calls: 'options_kept_calls',
  consent: 'options_kept_consent',
  accessLog: 'options_kept_access_log',
  purgeReceipts: 'options_kept_purge_receipts',
};
const number = (n: number) => n.toLocaleString(uiLanguage());
const list = (items: string[]) => new Intl.ListFormat(uiLanguage(), { type: 'conjunction' }).format(items);

/**
 * What "Delete all data" will do, said before the rep types DELETE: what goes (with how many of
 * each) and what the policy keeps, for how long and why. The plan is the background's own
 * (lib/policy/deletion.ts), so the sentence and the delete cannot disagree.
 */
function DeletionSummary({ plan }: { plan: DeletionPlan }) {
  const counts = useLiveQuery(async () => Object.fromEntries(await Promise.all(plan.deletes.map(async (name) => [name, await readDb.table(name).count()] as const))), [plan.deletes]);
  if (plan.everything) return <p>{t('options_delete_everything')}</p>;
  // No count until it is read: "notes (0)" for a moment would tell the rep nothing is deleted.
  const deletes = plan.deletes.map((name) => (counts ? t('options_delete_item', dataLabel(name), number(counts[name] ?? 0)) : dataLabel(name)));
  const keeps = plan.keeps.map(({ kind, days }) => (days === null ? t(keptKeys[kind]) : t('options_kept_days', t(keptKeys[kind]), number(days))));
  return (
    <>
      <p>{t('options_delete_deletes', list(deletes))}</p>
      <p>{t('options_delete_keeps', list(keeps))}</p>
      <Details text={plan.keeps.map(({ tables, days }) => `${tables.join(', ')}: ${days ?? '∞'} d`).join('\n')} />
    </>
  );
}

/**
 * Import a backup (it may only restore into an empty ledger or extend this one; the background
 * says what it would do first, and the rep confirms) and delete what the policy lets the rep delete,
 * after confirmation.
 */
export function DataSection() {
  const resolved = usePolicy();
  const [message, setMessage] = useState<Message>(null);
  const [confirm, setConfirm] = useState('');
  const [pending, setPending] = useState<{ text: string; plan: ImportPlan } | null>(null);

  const counts = (c: Record<string, number>) =>
    Object.entries(c).filter(([table, n]) => n > 0 && table !== 'ledger').map(([table, n]) => `${dataLabel(table)}: ${n.toLocaleString(uiLanguage())}`).join(', ') || t('options_import_nothing');

  async function check(file: File) {
    setPending(null);
    // Refused before reading: the browser could not carry a bigger file to the background anyway.
    if (file.size > MAX_BACKUP_BYTES) {
      setMessage({ kind: 'error', text: t('options_import_too_big', (file.size / 1024 / 1024).toFixed(0), MAX_BACKUP_BYTES / 1024 / 1024) });
      return;
    }
    setMessage({ kind: 'ok', text: t('options_import_reading') });
    const text = await file.text();
    const reply = await sendRequest({ type: 'data/import', text, dryRun: true });
    if (!reply.ok) return setMessage({ kind: 'error', text: t('options_import_refused', reply.error), detail: reply.detail });
    setMessage(null);
    setPending({ text, plan: reply.data.plan });
  }
  async function run() {
    if (!pending) return;
    const reply = await sendRequest({ type: 'data/import', text: pending.text });
    setPending(null);
    setMessage(reply.ok ? { kind: 'ok', text: t('options_import_done', counts(reply.data.counts)) } : { kind: 'error', text: t('options_import_refused', reply.error), detail: reply.detail });
  }
  async function deleteAll() {
    const reply = await sendRequest({ type: 'data/delete-all', confirm: confirm as 'DELETE' });
    setMessage(
      !reply.ok ? { kind: 'error', text: reply.error, detail: reply.detail }
        : reply.data.kept > 0 ? { kind: 'ok', text: t('options_deleted_kept', number(reply.data.deleted), number(reply.data.kept)) }
          : { kind: 'ok', text: t('options_deleted', number(reply.data.deleted)) },
    );
    setConfirm('');
  }

  const plan = pending?.plan;
  const ledger = plan && (plan.ledger.added === 0
    ? t('options_import_plan_ledger_none')
    : plan.mode === 'restore'
      ? t('options_import_plan_ledger_restore', plan.ledger.added.toLocaleString(uiLanguage()), plan.ledger.lastSeq ?? 0)
      : t('options_import_plan_ledger_extend', plan.ledger.added.toLocaleString(uiLanguage()), plan.ledger.firstSeq ?? 0, plan.ledger.lastSeq ?? 0));
  const kept = plan ? Object.values(plan.kept).reduce((a, b) => a + b, 0) : 0;
  return (
    <section id="data" aria-labelledby="data-title">
      <h2 id="data-title">{t('options_data_title')}</h2>
      <p className="muted">{t('options_data_intro')}</p>
      <p className="muted small">{t('options_import_limit', MAX_BACKUP_BYTES / 1024 / 1024)}</p>
      <label>
        {t('options_import_label')}
        <input type="file" accept="application/json,.json" onChange={(e) => { const f = e.target.files?.[0]; if (f) void check(f); e.target.value = ''; }} />
      </label>
      {plan && (
        <div className="confirm" role="group" aria-labelledby="import-plan">
          <p id="import-plan">{t('options_import_plan', ledger!, counts(plan.added))}</p>
          {kept > 0 && <p className="muted small">{t('options_import_plan_kept', kept.toLocaleString(uiLanguage()))}</p>}
          <p className="muted small">{t('options_import_plan_logged')}</p>
          <details>
            <summary>{t('options_details')}</summary>
            <p className="muted small mono">{t('options_import_file_hash', plan.fileHash)}</p>
          </details>
          <div className="row">
            <button type="button" onClick={() => setPending(null)}>{t('common_cancel')}</button>
            <button type="button" className="primary" onClick={() => void run()}>{t('options_import_go')}</button>
          </div>
        </div>
      )}
      <div className="danger">
        <h3>{t('options_delete_heading')}</h3>
        {resolved && <DeletionSummary plan={deletionPlan(resolved.policy)} />}
        <label>
          {t('options_delete_confirm_label')}
          <input value={confirm} autoComplete="off" spellCheck={false} onChange={(e) => setConfirm(e.target.value)} />
        </label>
        <button type="button" className="danger-button" disabled={confirm !== 'DELETE'} onClick={() => void deleteAll()}>
          {t('options_delete_all')}
        </button>
      </div>
      {message && <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind}>{message.text}</p>}
      {message?.kind === 'error' && <Details text={message.detail} />}
    </section>
  );
}
