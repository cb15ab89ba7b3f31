import { useState } from 'react';
import { t, uiLanguage } from '../../lib/i18n';
import { sendRequest } from '../../lib/protocol/client';
import { MAX_BACKUP_BYTES } from '../../lib/protocol/limits';
import { dataLabel } from '../../lib/ui/format';

/** Import a backup (validated, all-or-nothing) and delete everything after confirmation. */
export function DataSection() {
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [confirm, setConfirm] = useState('');

  async function importFile(file: File) {
    // Refused before reading: the browser could not carry a bigger file to the background anyway.
    if (file.size > MAX_BACKUP_BYTES) {
      setMessage({ kind: 'error', text: t('options_import_too_big', (file.size / 1024 / 1024).toFixed(0), MAX_BACKUP_BYTES / 1024 / 1024) });
      return;
    }
    setMessage({ kind: 'ok', text: t('options_import_reading') });
    const reply = await sendRequest({ type: 'data/import', text: await file.text() });
    setMessage(
      reply.ok
        ? { kind: 'ok', text: t('options_import_done', Object.entries(reply.data.counts).map(([table, n]) => `${dataLabel(table)}: ${n.toLocaleString(uiLanguage())}`).join(', ') || t('options_import_nothing')) }
        : { kind: 'error', text: reply.error },
    );
  }
  async function deleteAll() {
    const reply = await sendRequest({ type: 'data/delete-all', confirm: confirm as 'DELETE' });
    setMessage(reply.ok ? { kind: 'ok', text: t('options_deleted', reply.data.deleted.toLocaleString(uiLanguage())) } : { kind: 'error', text: reply.error });
    setConfirm('');
  }

  return (
    <section id="data" aria-labelledby="data-title">
      <h2 id="data-title">{t('options_data_title')}</h2>
      <p className="muted">{t('options_data_intro')}</p>
      <p className="muted small">{t('options_import_limit', MAX_BACKUP_BYTES / 1024 / 1024)}</p>
      <label>
        {t('options_import_label')}
        <input type="file" accept="application/json,.json" onChange={(e) => { const f = e.target.files?.[0]; if (f) void importFile(f); e.target.value = ''; }} />
      </label>
      <div className="danger">
        <label>
          {t('options_delete_confirm_label')}
          <input value={confirm} autoComplete="off" spellCheck={false} onChange={(e) => setConfirm(e.target.value)} />
        </label>
        <button type="button" className="danger-button" disabled={confirm !== 'DELETE'} onClick={() => void deleteAll()}>
          {t('options_delete_all')}
        </button>
      </div>
      {message && <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind}>{message.text}</p>}
    </section>
  );
}
