import { useLiveQuery } from 'dexie-react-hooks';
import { readDb } from '../../lib/ui/db';
import { formatWhen, outcomeLabel, platformLabel } from '../../lib/ui/format';
import { usePopupStore } from './usePopupStore';

const RECENT_LIMIT = 50;

export function CallList() {
  const select = usePopupStore((s) => s.select);
  // Indexed, newest first, bounded: stays fast however many calls are stored.
  const calls = useLiveQuery(() => readDb.calls.orderBy('admittedAt').reverse().limit(RECENT_LIMIT).toArray(), []);
  if (!calls) return <p className="muted">Loading…</p>;
  if (calls.length === 0) {
    return <p className="muted">No calls yet. Join a Google Meet, Zoom or Teams call and Candor will ask for consent once you are admitted.</p>;
  }
  return (
    <section aria-labelledby="recent-title">
      <h2 id="recent-title">Recent calls</h2>
      <ul className="calls">
        {calls.map((call) => (
          <li key={call.id}>
            <button type="button" className="call-row" onClick={() => select(call.id)}>
              <span className="call-platform">{platformLabel(call.platform)}</span>
              <span className="call-when">{formatWhen(call.admittedAt ?? call.detectedAt)}</span>
              <span className={`badge badge-${call.outcome ?? 'pending'}`}>{outcomeLabel[call.outcome ?? 'pending']}</span>
              {call.status !== 'ended' && <span className="badge badge-live">In call</span>}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
