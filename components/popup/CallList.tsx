import { memo, useEffect, useRef, useState, type DependencyList } from 'react';

import { t } from '../../lib/i18n';
import { prefetchedFirstPage, type FirstPage } from '../../lib/ui/first-page';
import { formatWhen, outcomeLabel, platformLabel } from '../../lib/ui/format';
import { usePopupStore } from './usePopupStore';
import type { CallRecord } from '../../lib/model';

/** Calls per page of the list. */
export const PAGE = 50;

type ListData = typeof import('./list-data');
let listData: Promise<ListData> | null = null;
const loadListData = () => (listData ??= import('./list-data'));

/**
 * A Dexie live query whose module loads on demand (like dexie-react-hooks' useLiveQuery, without
 * Dexie in the popup's first chunk). Keeps the last value while a new query (new deps) runs.
 */
function useLive<T>(query: (data: ListData) => Promise<T>, deps: DependencyList): T | undefined {
  const [value, setValue] = useState<T>();
  useEffect(() => {
    let live = true;
    let subscription: { unsubscribe(): void } | undefined;
    void loadListData().then((data) => {
      if (live) subscription = data.liveQuery(() => query(data)).subscribe({ next: (v) => live && setValue(() => v), error: (e: unknown) => console.error('Candor: list query failed', e) });
    });
    return () => {
      live = false;
      subscription?.unsubscribe();
    };
  }, deps);
  return value;
}

/** The first page read at popup start (lib/ui/first-page.ts), until the live queries have answered. */
function useFirstPage(): FirstPage | null {
  const [page, setPage] = useState(() => {
    const p = prefetchedFirstPage();
    return p && !(p instanceof Promise) ? p : null;
  });
  useEffect(() => {
    const p = prefetchedFirstPage();
    if (page || !(p instanceof Promise)) return;
    let live = true;
    p.then((v) => live && setPage(v), () => {});
    return () => {
      live = false;
    };
  }, [page]);
  return page;
}

interface RowProps {
  call: CallRecord;
  list: 'pending' | 'recent';
  extra?: string;
}

/** Only what a row shows: the live query's answers are new objects for unchanged calls. */
const sameRow = (a: RowProps, b: RowProps) =>
  a.list === b.list && a.extra === b.extra && a.call.id === b.call.id && a.call.platform === b.call.platform && a.call.outcome === b.call.outcome &&
  a.call.status === b.call.status && a.call.admittedAt === b.call.admittedAt && a.call.detectedAt === b.call.detectedAt &&
  a.call.title === b.call.title && a.call.platformTitle === b.call.platformTitle && a.call.account === b.call.account;

const CallRow = memo(function CallRow({ call, list, extra }: RowProps) {
  const select = usePopupStore((s) => s.select);
  const ref = useRef<HTMLButtonElement>(null);
  const rowKey = `${list}:${call.id}`;
  // The rep's name for the call, else the meeting title the platform showed (text only).
  const name = call.title || call.platformTitle;
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
        <span className="call-platform">{name || platformLabel(call.platform)}</span>
        <span className={`badge badge-${call.outcome ?? 'pending'}`}>{outcomeLabel(call.outcome)}</span>
        <span className="call-when">
          {[call.account, name && platformLabel(call.platform), formatWhen(call.admittedAt ?? call.detectedAt)].filter(Boolean).join(' · ')}
        </span>
        {call.status !== 'ended' ? <span className="badge badge-live">{t('popup_in_call')}</span> : extra && <span className="badge badge-todo">{extra}</span>}
      </button>
    </li>
  );
}, sameRow);

export function CallList({ onShown }: { onShown?: () => void }) {
  const [query, setQuery] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const first = useFirstPage();
  // Pending checklists first: the index on status keeps this cheap however many calls exist.
  const livePending = useLive((d) => d.pendingCalls(), []);
  const liveRecent = useLive((d) => d.searchCalls(query, limit), [query, limit]);
  // Until the live queries first answer, the snapshot read at start-up (same queries) stands in
  // for them; after that it is never used again (a later search would otherwise flash stale rows).
  const answered = useRef(false);
  if (livePending !== undefined && liveRecent !== undefined) answered.current = true;
  const snapshot = answered.current ? null : first;
  const pending = livePending ?? snapshot?.pending;
  const fetched = liveRecent ?? (query === '' && limit === PAGE ? snapshot?.recent : undefined);
  // A call with a pending checklist is listed once, above, and the recent list leaves it out. A
  // search lists every match (the pending list steps aside meanwhile).
  const searching = query.trim() !== '';
  const pendingIds = new Set(searching ? [] : pending?.map((c) => c.id));
  const recent = fetched?.filter((c) => !pendingIds.has(c.id));
  const shown = recent !== undefined;
  useEffect(() => {
    if (shown) onShown?.();
  }, [shown, onShown]);

  return (
    <>
      {!searching && pending && pending.length > 0 && (
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
            {searching ? t('popup_no_match') : pending?.length ? t('popup_recent_all_pending') : t('popup_no_calls')}
          </p>
        ) : (
          <ul className="calls">
            {recent.map((call) => (
              <CallRow key={call.id} call={call} list="recent" />
            ))}
          </ul>
        )}
        {fetched && fetched.length === limit && (
          <button type="button" className="link more" onClick={() => setLimit(limit + PAGE)}>
            {t('popup_show_more')}
          </button>
        )}
      </section>
    </>
  );
}
