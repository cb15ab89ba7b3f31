import { useLiveQuery } from 'dexie-react-hooks';

import { t } from '../../lib/i18n';
import { sendRequest } from '../../lib/protocol/client';
import { readDb } from '../../lib/ui/db';
import { formatWhen } from '../../lib/ui/format';
import { concernKeys, concernStatusKeys } from '../../lib/i18n/labels';
import type { ConcernRecord } from '../../lib/model';

/** The feedback loop: every concern with its status (raise new ones from the toolbar popup). */
export function ConcernList() {
  const rows = useLiveQuery(() => readDb.concerns.orderBy('createdAt').reverse().toArray(), []);
  const setStatus = (id: string, status: ConcernRecord['status']) => void sendRequest({ type: 'concern/status', id, status });
  return (
    <section id="concerns" aria-labelledby="concerns-title">
      <h2 id="concerns-title">{t('options_concerns_title')}</h2>
      {!rows?.length ? (
        <p className="muted">{t('options_concerns_none')}</p>
      ) : (
        <table>
          <thead>
            <tr><th>{t('options_col_raised')}</th><th>{t('options_col_category')}</th><th>{t('options_col_concern')}</th><th>{t('options_col_anonymous')}</th><th>{t('options_col_status')}</th></tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id}>
                <td>{formatWhen(c.createdAt)}</td>
                <td>{t(concernKeys[c.category])}</td>
                <td className="text">{c.text}</td>
                <td>{c.anonymous ? t('common_yes') : t('common_no')}</td>
                <td>
                  <select aria-label={t('options_concern_status_label', t(concernKeys[c.category]), formatWhen(c.createdAt))} value={c.status} onChange={(e) => setStatus(c.id, e.target.value as ConcernRecord['status'])}>
                    {Object.entries(concernStatusKeys).map(([status, key]) => (
                      <option key={status} value={status}>
                        {t(key)}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
