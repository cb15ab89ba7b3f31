import { useLiveQuery } from 'dexie-react-hooks';
import { t } from '../../lib/i18n';
import { readDb } from '../../lib/ui/db';
import { dataLabel } from '../../lib/ui/format';
import { formatWhen } from '../../lib/ui/format';
import { usePolicy } from '../../lib/ui/policy';

/** Retention as enforced: the limits, and a receipt for every purge (counts and dates, no content). */
export function PurgeReceipts() {
  const policy = usePolicy();
  const receipts = useLiveQuery(() => readDb.purgeReceipts.orderBy('at').reverse().limit(200).toArray(), []);
  return (
    <section id="retention" aria-labelledby="retention-title">
      <h2 id="retention-title">{t('options_retention_title')}</h2>
      {policy && (
        <p className="muted">
          {t('options_retention_kept', Object.entries(policy.policy.retentionDays).map(([k, d]) => t('options_retention_days', dataLabel(k), d)).join(' · '))}
        </p>
      )}
      {!receipts?.length ? (
        <p className="muted">{t('options_retention_none')}</p>
      ) : (
        <table>
          <thead>
            <tr><th>{t('options_col_purged')}</th><th>{t('options_col_kind')}</th><th>{t('options_col_rows')}</th><th>{t('options_col_oldest')}</th><th>{t('options_col_newest')}</th></tr>
          </thead>
          <tbody>
            {receipts.map((r) => (
              <tr key={r.id}>
                <td>{formatWhen(r.at)}</td>
                <td>{dataLabel(r.kind)}</td>
                <td>{r.count}</td>
                <td>{r.oldest ? formatWhen(r.oldest) : '—'}</td>
                <td>{r.newest ? formatWhen(r.newest) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
