import { useLiveQuery } from 'dexie-react-hooks';
import { t } from '../../lib/i18n';
import { readDb } from '../../lib/ui/db';
import { formatWhen } from '../../lib/ui/format';
import { purposeLabel } from '../../lib/ui/format';
import { approvalLabel, exportLabel } from './ExportSection';

/** "Who used my calls, for what": every export with its purpose and approval, and every backup import (refusals too). */
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
            <tr>
              <th>{t('options_col_when')}</th><th>{t('options_col_what')}</th><th>{t('options_col_purpose')}</th><th>{t('options_col_calls')}</th>
              <th>{t('options_col_approval')}</th><th>{t('options_col_result')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{formatWhen(r.at)}</td>
                <td>{exportLabel(r.action)}</td>
                <td>{purposeLabel(r.purpose)}</td>
                <td>{r.callCount}</td>
                <td>{r.approval ? approvalLabel(r.approval) : '—'}</td>
                <td className={r.refused ? 'error text' : undefined}>{r.refused ? t('options_access_refused', r.refused) : r.action === 'import' ? t('options_access_imported') : t('options_access_done')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
