import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import type { VerifyResult } from '../../lib/ledger/chain';
import { sendRequest } from '../../lib/messages/client';
import { readDb } from '../../lib/ui/db';
import { downloadText } from '../../lib/ui/download';

/** The tamper-evident consent ledger: verify it here, export it for anyone to verify elsewhere. */
export function LedgerSection() {
  const count = useLiveQuery(() => readDb.ledger.count(), []);
  const [result, setResult] = useState<VerifyResult | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  async function verify() {
    const reply = await sendRequest({ type: 'ledger/verify' });
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
    setMessage(`Exported ${reply.data.filename}. Verify it anywhere: npm run verify-ledger -- ${reply.data.filename} (format in docs/ledger.md).`);
  }

  return (
    <section id="ledger" aria-labelledby="ledger-title">
      <h2 id="ledger-title">Consent ledger</h2>
      <p className="muted">Every consent event is chained with SHA-256: any change, deletion, insertion or reordering is detected.</p>
      <p role="status">
        {!result ? 'Verifying…' : result.intact ? (
          <span className="ok">Intact: {result.count} entries, last hash {result.lastHash.slice(0, 16)}…</span>
        ) : (
          <span className="error">Broken at entry #{result.brokenAt.index} (seq {String(result.brokenAt.seq)}): {result.brokenAt.reason}</span>
        )}
      </p>
      <div className="row">
        <button type="button" onClick={() => void verify()}>Verify again</button>
        <button type="button" onClick={() => void exportLedger()}>Export ledger (JSON)</button>
      </div>
      {message && <p className="muted">{message}</p>}
    </section>
  );
}
