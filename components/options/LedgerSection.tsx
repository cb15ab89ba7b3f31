import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import type { VerifyResult } from '../../lib/ledger/chain';
import { t, uiLanguage } from '../../lib/i18n';
import { sendRequest } from '../../lib/protocol/client';
import { readDb } from '../../lib/ui/db';
import { downloadText } from '../../lib/ui/download';

/** The tamper-evident consent ledger: verify it here, export it for anyone to verify elsewhere. */
export function LedgerSection() {
  // Changes with every appended entry (and when the newest are sealed): verify again then.
  const count = useLiveQuery(() => readDb.ledger.count(), []);
  const [result, setResult] = useState<VerifyResult | null>(null);
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
  }, [count]);

  async function exportLedger() {
    const reply = await sendRequest({ type: 'export/request', what: 'ledger', purpose: 'coaching' });
    if (!reply.ok) return setMessage(reply.error);
    downloadText(reply.data.filename, reply.data.mime, reply.data.content);
    setMessage(t('options_ledger_exported', reply.data.filename));
  }

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
      <div className="row">
        <button type="button" onClick={() => void verify()}>{t('options_ledger_verify')}</button>
        <button type="button" onClick={() => void verify(true)}>{t('options_ledger_deep_verify')}</button>
        <button type="button" onClick={() => void exportLedger()}>{t('options_ledger_export')}</button>
      </div>
      <p className="muted">{deepDone ? t('options_ledger_deep_done') : t('options_ledger_deep_note')}</p>
      {message && <p className="muted">{message}</p>}
    </section>
  );
}
