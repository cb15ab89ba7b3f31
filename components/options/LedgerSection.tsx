import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import type { LedgerCheck, OrgView } from '../../lib/protocol/replies';
import { t, uiLanguage } from '../../lib/i18n';
import { ledgerCheckKeys } from '../../lib/i18n/labels';
import { sendRequest } from '../../lib/protocol/client';
import { readDb } from '../../lib/ui/db';
import { downloadText } from '../../lib/ui/download';
import { formatWhen } from '../../lib/ui/format';

/**
 * The tamper-evident consent ledger: verify it here (against the organisation witness's
 * checkpoints too), take its head away as an anchor, export it for anyone to verify elsewhere.
 */
export function LedgerSection() {
  // Changes with every appended entry (and when the newest are sealed), and with every checkpoint: verify again then.
  const count = useLiveQuery(() => readDb.ledger.count(), []);
  const checkpoints = useLiveQuery(() => readDb.witnessCheckpoints.count(), []);
  const [result, setResult] = useState<LedgerCheck | null>(null);
  const [org, setOrg] = useState<OrgView | null>(null);
  const [deepDone, setDeepDone] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  async function verify(deep = false) {
    setResult(null);
    const reply = await sendRequest({ type: 'ledger/verify', deep });
    setDeepDone(reply.ok && deep);
    if (reply.ok) setResult(reply.data);
    else setMessage(reply.error);
  }
  useEffect(() => {
    void verify();
    void sendRequest({ type: 'org/status' }).then((r) => r.ok && setOrg(r.data));
  }, [count, checkpoints]);

  async function exportLedger() {
    const reply = await sendRequest({ type: 'export/request', what: 'ledger' });
    if (!reply.ok) return setMessage(reply.error);
    downloadText(reply.data.filename, reply.data.mime, reply.data.content);
    setMessage(t('options_ledger_exported', reply.data.filename));
  }
  async function anchor() {
    const reply = await sendRequest({ type: 'ledger/anchor' });
    if (!reply.ok) return setMessage(reply.error);
    downloadText(reply.data.filename, reply.data.mime, reply.data.content);
    setMessage(t('options_ledger_anchor_saved', reply.data.filename));
  }
  async function copyHead() {
    if (!result?.head) return;
    await navigator.clipboard.writeText(result.head.hash).then(() => setMessage(t('options_ledger_copied')), (e: Error) => setMessage(e.message));
  }
  async function fetchCheckpoint() {
    const reply = await sendRequest({ type: 'org/checkpoint' });
    if (reply.ok) setOrg(reply.data);
    setMessage(reply.ok ? t('options_ledger_checkpoint_fetched') : reply.error);
  }
  function downloadCheckpoint() {
    const cp = result?.witness.latest;
    if (!cp) return;
    const { service: _service, ...signed } = cp;
    downloadText(`candor-checkpoint-seq${cp.seq}.json`, 'application/json', `${JSON.stringify(signed, null, 2)}\n`);
  }

  const latest = result?.witness.latest ?? null;
  return (
    <section id="ledger" aria-labelledby="ledger-title">
      <h2 id="ledger-title">{t('options_ledger_title')}</h2>
      <p className="muted">{t('options_ledger_intro')}</p>
      <p role="status">
        {!result ? t('options_ledger_verifying') : result.intact ? (
          <span className="ok">{t('options_ledger_intact', result.count.toLocaleString(uiLanguage()), result.lastHash.slice(0, 16))}</span>
        ) : (
          <span className="error">{t('common_ledger_broken', result.brokenAt.index, String(result.brokenAt.seq), result.brokenAt.reason)}</span>
        )}
      </p>
      {result && <p className="muted small" data-check={result.check}>{t('options_ledger_check_ran', t(ledgerCheckKeys[result.check]))}</p>}
      {result?.head && (
        <div className="anchor">
          <p>{result.head.at ? t('options_ledger_head', result.head.seq, formatWhen(Date.parse(result.head.at))) : t('options_ledger_head_empty', result.head.seq)}</p>
          <label>
            {t('options_ledger_head_hash')}
            <input className="mono" readOnly size={66} value={result.head.hash} onFocus={(e) => e.target.select()} />
          </label>
          <div className="row">
            <button type="button" onClick={() => void copyHead()}>{t('options_ledger_copy')}</button>
            <button type="button" onClick={() => void anchor()}>{t('options_ledger_anchor')}</button>
          </div>
          <p className="muted small">{t('options_ledger_anchor_note')}</p>
        </div>
      )}
      {latest ? (
        <p className={result?.intact ? 'ok' : undefined}>
          {t('options_ledger_witnessed', latest.service, latest.seq, formatWhen(Date.parse(latest.at)))}
          {result && result.witness.checked > 0 && ` ${t('options_ledger_witness_checked', result.witness.checked)}`}
        </p>
      ) : (
        org?.enrolled && <p className="muted">{t('options_ledger_not_witnessed')}</p>
      )}
      <div className="row">
        <button type="button" onClick={() => void verify()}>{t('options_ledger_verify')}</button>
        <button type="button" onClick={() => void verify(true)}>{t('options_ledger_deep_verify')}</button>
        <button type="button" onClick={() => void exportLedger()}>{t('options_ledger_export')}</button>
        {org?.enrolled && <button type="button" onClick={() => void fetchCheckpoint()}>{t('options_ledger_fetch_checkpoint')}</button>}
      </div>
      <p className="muted">{deepDone ? t('options_ledger_deep_done') : t('options_ledger_deep_note')}</p>
      {latest && (
        <details>
          <summary>{t('options_details')}</summary>
          <p className="muted small mono">{t('options_ledger_checkpoint_details', latest.seq, latest.hash, latest.keyId, latest.at)}</p>
          <div className="row"><button type="button" onClick={downloadCheckpoint}>{t('options_ledger_download_checkpoint')}</button></div>
        </details>
      )}
      {message && <p className="muted" aria-live="polite">{message}</p>}
    </section>
  );
}
