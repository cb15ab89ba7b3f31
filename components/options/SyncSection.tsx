import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import type { OrgView, SyncStatus } from '../../lib/protocol/replies';
import { t, uiLanguage } from '../../lib/i18n';
import { sendRequest } from '../../lib/protocol/client';
import type { PolicyField } from '../../lib/policy/schema';
import { readDb } from '../../lib/ui/db';
import { formatWhen } from '../../lib/ui/format';
import { usePolicy } from '../../lib/ui/policy';

type Message = { kind: 'ok' | 'error'; text: string } | null;

/**
 * The organisation service (docs/org.md, docs/sync.md): off unless a policy names it. Here the
 * address is set (unless managed), this browser enrolls with a code from the console or the managed
 * key (asking the browser for the service's host permission first: that needs this click), shows
 * where it stands in words, and can leave. The token is never shown; ids and keys are under Details.
 */
export function SyncSection() {
  const resolved = usePolicy();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [org, setOrg] = useState<OrgView | null>(null);
  const [service, setService] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  // Delivery and enrollment change in the background: read the status again when they do.
  const outboxCount = useLiveQuery(() => readDb.outbox.count(), []);
  const state = useLiveQuery(() => readDb.meta.get('syncState'), []);
  const enrolledAt = useLiveQuery(() => readDb.org.toArray().then((rows) => rows.map((r) => `${r.enrolledAt}:${r.revoked?.at ?? ''}`).join()), []);
  const policyService = resolved?.policy.orgSync.service ?? null;

  async function refresh() {
    const [s, o] = await Promise.all([sendRequest({ type: 'sync/status' }), sendRequest({ type: 'org/status' })]);
    if (s.ok) setStatus(s.data);
    if (o.ok) setOrg(o.data);
    if (!s.ok || !o.ok) setMessage({ kind: 'error', text: !s.ok ? s.error : (o as { error: string }).error });
  }
  useEffect(() => {
    void refresh();
  }, [outboxCount, state, enrolledAt, policyService]);
  useEffect(() => {
    if (resolved && service === null) setService(policyService ?? '');
  }, [resolved, service, policyService]);

  const managed = resolved?.sources.orgSync === 'managed';

  async function saveService() {
    if (!resolved) return;
    // The options-page policy is saved whole (as the policy form does), minus what the organisation manages.
    const policy: Record<string, unknown> = { ...resolved.policy, orgSync: { service: service?.trim() || null, enrollmentKey: null } };
    for (const f of Object.keys(policy)) if (resolved.sources[f as PolicyField] === 'managed') delete policy[f];
    const reply = await sendRequest({ type: 'policy/save', policy });
    setMessage(reply.ok ? { kind: 'ok', text: t('options_sync_saved') } : { kind: 'error', text: reply.error });
  }
  async function enroll() {
    if (!status?.permissionPattern) return;
    setBusy(true);
    // First, inside this click: the browser asks the rep to let Candor reach the service.
    const granted = await browser.permissions.request({ origins: [status.permissionPattern] }).catch(() => false);
    if (!granted) {
      setBusy(false);
      setMessage({ kind: 'error', text: t('options_sync_permission_denied') });
      return;
    }
    const reply = await sendRequest({ type: 'org/enroll', ...(code.trim() ? { code: code.trim() } : {}) });
    setBusy(false);
    if (reply.ok) {
      setCode('');
      setOrg(reply.data);
      setMessage({ kind: 'ok', text: t('options_sync_enrolled_ok') });
    } else setMessage({ kind: 'error', text: reply.error });
    await refresh();
  }
  async function leave() {
    const reply = await sendRequest({ type: 'org/leave' });
    setMessage(reply.ok ? { kind: 'ok', text: t('options_sync_left') } : { kind: 'error', text: reply.error });
    await refresh();
  }
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

  const n = (value: number) => value.toLocaleString(uiLanguage());
  const origin = status?.origin ?? '';
  return (
    <section id="sync" aria-labelledby="sync-title">
      <h2 id="sync-title">{t('options_sync_title')}</h2>
      <p className="muted">{t('options_sync_intro')}</p>
      {!managed && resolved && (
        <form className="row" onSubmit={(e) => { e.preventDefault(); void saveService(); }}>
          <label>
            {t('options_sync_service')}
            <input type="url" size={48} placeholder="https://" spellCheck={false} value={service ?? ''} onChange={(e) => setService(e.target.value)} />
          </label>
          <button type="submit">{t('options_sync_save')}</button>
        </form>
      )}
      {status && org && (
        <div role="status">
          {!status.configured ? (
            <p>{t('options_sync_off')}</p>
          ) : (
            <>
              <p>{t('options_sync_target', origin)}{managed && <span className="lock">{t('options_lock')}</span>}</p>
              {org.enrolled ? (
                <>
                  <p className="ok">{t('options_sync_enrolled', org.enrolled.service, org.enrolled.team, formatWhen(org.enrolled.since))}</p>
                  <div className="row"><button type="button" onClick={() => void leave()}>{t('options_sync_leave')}</button></div>
                  <details>
                    <summary>{t('options_details')}</summary>
                    <p className="muted small">{t('options_sync_install_id', org.enrolled.installId)}</p>
                    {org.enrolled.witnessKeys.map((k) => (
                      <p key={k.keyId} className="muted small mono">{t('options_sync_witness_key', k.keyId, k.publicKey)}{k.retired ? ` ${t('options_sync_witness_key_retired')}` : ''}</p>
                    ))}
                  </details>
                </>
              ) : (
                <>
                  {org.revoked && <p className="error">{t('options_sync_revoked')}</p>}
                  {org.otherService && <p className="error">{t('options_sync_other_service', org.otherService)}</p>}
                  {!org.revoked && !org.otherService && <p>{t('options_sync_not_enrolled')}</p>}
                  <form className="row" onSubmit={(e) => { e.preventDefault(); void enroll(); }}>
                    {!org.hasEnrollmentKey && (
                      <label>
                        {t('options_sync_code')}
                        <input value={code} autoComplete="off" spellCheck={false} placeholder={t('options_sync_code_placeholder')} onChange={(e) => setCode(e.target.value)} />
                      </label>
                    )}
                    <button type="submit" className="primary" disabled={busy || (!org.hasEnrollmentKey && !code.trim())}>
                      {org.hasEnrollmentKey ? t('options_sync_enroll_managed') : t('options_sync_enroll')}
                    </button>
                  </form>
                  <p className="muted small">{t('options_sync_enroll_note', origin)}</p>
                  {org.revoked && (
                    <details>
                      <summary>{t('options_details')}</summary>
                      <p className="muted small">{org.revoked}</p>
                    </details>
                  )}
                </>
              )}
              {org.enrolled && !status.permission && (
                <p className="error">
                  {t('options_sync_permission_needed', origin)}{' '}
                  <button type="button" className="primary" onClick={() => void allow()}>{t('options_sync_allow', origin)}</button>
                </p>
              )}
              <p>{t('options_sync_counts', n(status.pending), n(status.parked))}</p>
              <p>{status.lastSuccessAt ? t('options_sync_last_success', formatWhen(status.lastSuccessAt)) : t('options_sync_never')}</p>
              {status.enrolled && status.pending > 0 && status.nextAttemptAt && <p className="muted">{t('options_sync_next', formatWhen(Math.max(status.nextAttemptAt, status.holdUntil ?? 0)))}</p>}
              {status.lastError && <p className="error">{t('options_sync_last_error', status.lastError)}</p>}
              {status.parkedError && <p className="error">{t('options_sync_parked_error', status.parkedError)}</p>}
              {status.enrolled && status.pending + status.parked > 0 && (
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
