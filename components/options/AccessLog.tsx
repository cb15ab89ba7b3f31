import { useLiveQuery } from 'dexie-react-hooks';
import { t } from '../../lib/i18n';
import { readDb } from '../../lib/ui/db';
import { formatWhen } from '../../lib/ui/format';
import { exportLabel, purposeLabel } from './ExportSection';

/** "Who used my calls, for what": every export, with its purpose and approval. */
export function AccessLog() {
  const rows = useLiveQuery(() => readDb.accessLog.orderBy('at').reverse().limit(200).toArray(), []);
  return (
    <section id="access" aria-labelledby="access-title">
      <h2 id="access-title">{t('options_access_title')}</h2>
      {!rows?.length ? (
        <p className="muted">{t('options_access_none')}</p>
      ) : (
        <table>
          <thead>
            <tr><th>{t('options_col_when')}</th><th>{t('options_col_what')}</th><th>{t('options_col_purpose')}</th><th>{t('options_col_calls')}</th><th>{t('options_col_approval')}</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{formatWhen(r.at)}</td>
                <td>{exportLabel(r.action)}</td>
                <td>{purposeLabel(r.purpose)}</td>
                <td>{r.callCount}</td>
                <td>{r.approval ? `${r.approval.approver} (${r.approval.reference})` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
