import { useLiveQuery } from 'dexie-react-hooks';
import { readDb } from '../../lib/ui/db';
import { formatWhen } from '../../lib/ui/format';
import { usePolicy } from '../../lib/ui/policy';

/** Retention as enforced: the limits, and a receipt for every purge (counts and dates, no content). */
export function PurgeReceipts() {
  const policy = usePolicy();
  const receipts = useLiveQuery(() => readDb.purgeReceipts.orderBy('at').reverse().limit(200).toArray(), []);
  return (
    <section id="retention" aria-labelledby="retention-title">
      <h2 id="retention-title">Retention</h2>
      {policy && (
        <p className="muted">
          Kept for: {Object.entries(policy.policy.retentionDays).map(([k, d]) => `${k} ${d} days`).join(' · ')}. Expired rows are purged daily and at browser start.
        </p>
      )}
      {!receipts?.length ? (
        <p className="muted">No purge has removed anything yet.</p>
      ) : (
        <table>
          <thead>
            <tr><th>Purged</th><th>Kind</th><th>Rows</th><th>Oldest</th><th>Newest</th></tr>
          </thead>
          <tbody>
            {receipts.map((r) => (
              <tr key={r.id}>
                <td>{formatWhen(r.at)}</td>
                <td>{r.kind}</td>
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
