import { useLiveQuery } from 'dexie-react-hooks';
import { readDb } from '../../lib/ui/db';
import { formatWhen } from '../../lib/ui/format';

/** "Who used my calls, for what": every export, with its purpose and approval. */
export function AccessLog() {
  const rows = useLiveQuery(() => readDb.accessLog.orderBy('at').reverse().limit(200).toArray(), []);
  return (
    <section id="access" aria-labelledby="access-title">
      <h2 id="access-title">Access log: who used my calls, for what</h2>
      {!rows?.length ? (
        <p className="muted">No exports yet.</p>
      ) : (
        <table>
          <thead>
            <tr><th>When</th><th>What</th><th>Purpose</th><th>Calls</th><th>Approval</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{formatWhen(r.at)}</td>
                <td>{r.action}</td>
                <td>{r.purpose}</td>
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
