import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect } from 'react';

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
  // Enrolled, the organisation's triage is read on open, as in the popup's "My concerns" (nothing happens otherwise;
  // a failure shows there, where the rep follows their concerns).
  useEffect(() => {
    void sendRequest({ type: 'concern/refresh' });
  }, []);
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
                  {c.orgStatus && <p className="muted small">{t('options_concern_org_status', t(concernStatusKeys[c.orgStatus.status]))}</p>}
                  {c.orgStatus?.reply && <p className="small text">{t('options_concern_org_reply', c.orgStatus.reply)}</p>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
