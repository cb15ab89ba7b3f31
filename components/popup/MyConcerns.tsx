import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { t } from '../../lib/i18n';
import { concernKeys, concernStatusKeys } from '../../lib/i18n/labels';
import { sendRequest } from '../../lib/protocol/client';
import { readDb } from '../../lib/ui/db';
import { formatWhen } from '../../lib/ui/format';

/**
 * "My concerns": every concern the rep raised, its status and the organisation's reply. When this
 * browser is enrolled, the status is the one the organisation's console set (read from the service
 * on open; anonymous concerns with the org's anonymous key only, so they stay anonymous); otherwise
 * the status set in the options page.
 */
export function MyConcerns(props: { sent: boolean; onClose(): void }) {
  const rows = useLiveQuery(() => readDb.concerns.orderBy('createdAt').reverse().limit(50).toArray(), []);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    void sendRequest({ type: 'concern/refresh' }).then((r) => setProblem(r.ok ? null : r.error));
  }, []);
  return (
    <section className="my-concerns" aria-labelledby="my-concerns-title">
      <h2 id="my-concerns-title">{t('popup_my_concerns')}</h2>
      {props.sent && <p role="status" className="ok">{t('popup_concern_sent')}</p>}
      {problem && <p className="error">{t('popup_concerns_refresh_failed', problem)}</p>}
      {!rows?.length ? (
        <p className="muted">{t('popup_concerns_none')}</p>
      ) : (
        <ul>
          {rows.map((c) => {
            const status = c.orgStatus?.status ?? c.status;
            return (
              <li key={c.id}>
                <p>
                  <strong>{t(concernKeys[c.category])}</strong>{c.anonymous && ` · ${t('popup_concern_anonymous_tag')}`}
                  {' · '}{t('popup_concern_status_line', t(concernStatusKeys[status]), formatWhen(c.createdAt))}
                </p>
                <p className="muted small">{c.text.length > 140 ? `${c.text.slice(0, 140)}…` : c.text}</p>
                {c.orgStatus?.reply && <p className="reply">{t('popup_concern_reply', c.orgStatus.reply)}</p>}
                {c.orgStatus && <p className="muted small">{t('popup_concern_updated', formatWhen(c.orgStatus.updatedAt))}</p>}
              </li>
            );
          })}
        </ul>
      )}
      <div className="row">
        <button type="button" onClick={props.onClose}>{t('popup_concerns_back')}</button>
      </div>
    </section>
  );
}
