import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useRef, useState } from 'react';
import type { CallRecord } from '../../lib/db';
import { readDb } from '../../lib/ui/db';
import { formatWhen, outcomeLabel, platformLabel } from '../../lib/ui/format';
import { usePopupStore } from './usePopupStore';
import { t } from '../../lib/i18n';

const PAGE = 50;

/** Calls matching a search: platform, outcome or words in the rep's notes. Bounded to one page. */
async function searchCalls(query: string, limit: number): Promise<CallRecord[]> {
  const q = query.trim().toLowerCase();
  const ordered = readDb.calls.orderBy('admittedAt').reverse();
  if (!q) return ordered.limit(limit).toArray();
  const noteHits = new Set((await readDb.notes.filter((n) => n.text.toLowerCase().includes(q)).primaryKeys()) as string[]);
  return ordered
    .filter((c) => noteHits.has(c.id) || platformLabel(c.platform).toLowerCase().includes(q) || outcomeLabel[c.outcome ?? 'pending'].toLowerCase().includes(q))
    .limit(limit)
    .toArray();
}

function CallRow({ call, list, extra }: { call: CallRecord; list: 'pending' | 'recent'; extra?: string }) {
  const select = usePopupStore((s) => s.select);
  const ref = useRef<HTMLButtonElement>(null);
  const rowKey = `${list}:${call.id}`;
  // Back from a call's detail: keyboard focus returns to the row it was opened from.
  useEffect(() => {
    const { returnFocusTo, selectedCallId } = usePopupStore.getState();
    if (returnFocusTo === rowKey && selectedCallId === null && document.activeElement === document.body) {
      ref.current?.focus();
      usePopupStore.setState({ returnFocusTo: null });
    }
  }, [rowKey]);
  return (
    <li>
      <button ref={ref} type="button" className="call-row" onClick={() => select(call.id, rowKey)}>
        <span className="call-platform">{platformLabel(call.platform)}</span>
        <span className={`badge badge-${call.outcome ?? 'pending'}`}>{outcomeLabel[call.outcome ?? 'pending']}</span>
        <span className="call-when">{formatWhen(call.admittedAt ?? call.detectedAt)}</span>
        {call.status !== 'ended' ? <span className="badge badge-live">{t('popup_in_call')}</span> : extra && <span className="badge badge-todo">{extra}</span>}
      </button>
    </li>
  );
}

export function CallList() {
  const [query, setQuery] = useState('');
  const [limit, setLimit] = useState(PAGE);
  // Pending checklists first: the index on status keeps this cheap however many calls exist.
  const pending = useLiveQuery(async () => {
    const lists = await readDb.checklists.where('status').equals('pending').sortBy('pendingSince');
    const calls = await readDb.calls.bulkGet(lists.map((l) => l.callId));
    return calls.filter((c): c is CallRecord => !!c).reverse();
  }, []);
  const recent = useLiveQuery(() => searchCalls(query, limit), [query, limit]);

  return (
    <>
      {pending && pending.length > 0 && (
        <section aria-labelledby="pending-title">
          <h2 id="pending-title">{t('popup_checklists_to_complete', pending.length)}</h2>
          <ul className="calls">
            {pending.map((call) => (
              <CallRow key={call.id} call={call} list="pending" extra={t('popup_checklist_pending')} />
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="recent-title">
        <h2 id="recent-title">{t('popup_recent_calls')}</h2>
        <input
          type="search"
          className="search"
          placeholder={t('popup_search_placeholder')}
          aria-label={t('popup_search_label')}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setLimit(PAGE);
          }}
        />
        {!recent ? (
          <p className="muted">{t('common_loading')}</p>
        ) : recent.length === 0 ? (
          <p className="muted">
            {query ? t('popup_no_match') : t('popup_no_calls')}
          </p>
        ) : (
          <ul className="calls">
            {recent.map((call) => (
              <CallRow key={call.id} call={call} list="recent" />
            ))}
          </ul>
        )}
        {recent && recent.length === limit && (
          <button type="button" className="link more" onClick={() => setLimit(limit + PAGE)}>
            {t('popup_show_more')}
          </button>
        )}
      </section>
    </>
  );
}
