import { useLiveQuery } from 'dexie-react-hooks';
import type { ConcernRecord } from '../../lib/db';
import { sendRequest } from '../../lib/messages/client';
import { readDb } from '../../lib/ui/db';
import { formatWhen } from '../../lib/ui/format';
import { concernLabels } from '../popup/ConcernForm';

/** The feedback loop: every concern with its status (raise new ones from the toolbar popup). */
export function ConcernList() {
  const rows = useLiveQuery(() => readDb.concerns.orderBy('createdAt').reverse().toArray(), []);
  const setStatus = (id: string, status: ConcernRecord['status']) => void sendRequest({ type: 'concern/status', id, status });
  return (
    <section id="concerns" aria-labelledby="concerns-title">
      <h2 id="concerns-title">Concerns</h2>
      {!rows?.length ? (
        <p className="muted">No concerns raised. Raise one from the Candor toolbar popup.</p>
      ) : (
        <table>
          <thead>
            <tr><th>Raised</th><th>Category</th><th>Concern</th><th>Anonymous</th><th>Status</th></tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id}>
                <td>{formatWhen(c.createdAt)}</td>
                <td>{concernLabels[c.category]}</td>
                <td className="text">{c.text}</td>
                <td>{c.anonymous ? 'yes' : 'no'}</td>
                <td>
                  <select aria-label="Status" value={c.status} onChange={(e) => setStatus(c.id, e.target.value as ConcernRecord['status'])}>
                    <option value="open">Open</option>
                    <option value="acknowledged">Acknowledged</option>
                    <option value="resolved">Resolved</option>
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
