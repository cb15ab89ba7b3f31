import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import type { SyncStatus } from '../../lib/protocol/replies';
import { t, uiLanguage } from '../../lib/i18n';
import { sendRequest } from '../../lib/protocol/client';
import type { PolicyField } from '../../lib/policy/schema';
import { readDb } from '../../lib/ui/db';
import { formatWhen } from '../../lib/ui/format';
import { usePolicy } from '../../lib/ui/policy';

/**
 * Organisation sync (docs/sync.md): off unless a policy names an endpoint. Shows where records go,
 * asks the browser for the endpoint's host permission (it needs this click: a user gesture), and
 * what waits, what was refused and why.
 */
export function SyncSection() {
  const resolved = usePolicy();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [endpoint, setEndpoint] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  // Outbox and delivery state change in the background: re-read the status when they do.
  const outboxCount = useLiveQuery(() => readDb.outbox.count(), []);
  const state = useLiveQuery(() => readDb.meta.get('syncState'), []);
  const policyEndpoint = resolved?.policy.orgSync.endpoint ?? null;

  async function refresh() {
    const reply = await sendRequest({ type: 'sync/status' });
    if (reply.ok) setStatus(reply.data);
    else setMessage({ kind: 'error', text: reply.error });
  }
  useEffect(() => {
    void refresh();
  }, [outboxCount, state, policyEndpoint]);
  useEffect(() => {
    if (resolved && endpoint === null) setEndpoint(policyEndpoint ?? '');
  }, [resolved, endpoint, policyEndpoint]);

  const managed = resolved?.sources.orgSync === 'managed';

  async function allow() {
    if (!status?.permissionPattern) return;
    const granted = await browser.permissions.request({ origins: [status.permissionPattern] }).catch(() => false);
    setMessage(granted ? { kind: 'ok', text: t('options_sync_permission_ok') } : { kind: 'error', text: t('options_sync_permission_denied') });
    await refresh();
  }
  async function retry() {
    const reply = await sendRequest({ type: 'sync/retry' });
    if (!reply.ok) setMessage({ kind: 'error', text: reply.error });
    await refresh();
  }
  async function saveEndpoint() {
    if (!resolved) return;
    // The options-page policy is saved whole (as the policy form does), minus what the organisation manages.
    const policy: Record<string, unknown> = { ...resolved.policy, orgSync: { endpoint: endpoint?.trim() || null } };
    for (const f of Object.keys(policy)) if (resolved.sources[f as PolicyField] === 'managed') delete policy[f];
    const reply = await sendRequest({ type: 'policy/save', policy });
    setMessage(reply.ok ? { kind: 'ok', text: t('options_sync_saved') } : { kind: 'error', text: reply.error });
  }

  return (
    <section id="sync" aria-labelledby="sync-title">
      <h2 id="sync-title">{t('options_sync_title')}</h2>
      <p className="muted">{t('options_sync_intro')}</p>
      {!managed && resolved && (
        <form className="row" onSubmit={(e) => { e.preventDefault(); void saveEndpoint(); }}>
          <label>
            {t('options_sync_endpoint')}
            <input type="url" size={48} placeholder="https://" spellCheck={false} value={endpoint ?? ''} onChange={(e) => setEndpoint(e.target.value)} />
          </label>
          <button type="submit">{t('options_sync_save')}</button>
        </form>
      )}
      {status && (
        <div role="status">
          {!status.configured ? (
            <p>{t('options_sync_off')}</p>
          ) : (
            <>
              <p>{t('options_sync_target', status.origin ?? '')}{managed && <span className="lock">{t('options_lock')}</span>}</p>
              {!status.permission && (
                <p className="error">
                  {t('options_sync_permission_needed', status.origin ?? '')}{' '}
                  <button type="button" className="primary" onClick={() => void allow()}>{t('options_sync_allow', status.origin ?? '')}</button>
                </p>
              )}
              <p>{t('options_sync_counts', status.pending.toLocaleString(uiLanguage()), status.parked.toLocaleString(uiLanguage()))}</p>
              <p>{status.lastSuccessAt ? t('options_sync_last_success', formatWhen(status.lastSuccessAt)) : t('options_sync_never')}</p>
              {status.pending > 0 && status.nextAttemptAt && <p className="muted">{t('options_sync_next', formatWhen(status.nextAttemptAt))}</p>}
              {status.lastError && <p className="error">{t('options_sync_last_error', status.lastError)}</p>}
              {status.parkedError && <p className="error">{t('options_sync_parked_error', status.parkedError)}</p>}
              {status.pending + status.parked > 0 && (
                <div className="row"><button type="button" onClick={() => void retry()}>{t('options_sync_retry')}</button></div>
              )}
            </>
          )}
        </div>
      )}
      {message && <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind}>{message.text}</p>}
    </section>
  );
}
