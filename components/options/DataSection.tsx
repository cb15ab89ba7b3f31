import { useState } from 'react';
import { sendRequest } from '../../lib/messages/client';

/** Import a backup (validated, all-or-nothing) and delete everything after confirmation. */
export function DataSection() {
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [confirm, setConfirm] = useState('');

  async function importFile(file: File) {
    const reply = await sendRequest({ type: 'data/import', text: await file.text() });
    setMessage(
      reply.ok
        ? { kind: 'ok', text: `Imported: ${Object.entries(reply.data.counts).map(([t, n]) => `${n} ${t}`).join(', ') || 'nothing'}.` }
        : { kind: 'error', text: reply.error },
    );
  }
  async function deleteAll() {
    const reply = await sendRequest({ type: 'data/delete-all', confirm: confirm as 'DELETE' });
    setMessage(reply.ok ? { kind: 'ok', text: `Deleted ${reply.data.deleted} records.` } : { kind: 'error', text: reply.error });
    setConfirm('');
  }

  return (
    <section id="data" aria-labelledby="data-title">
      <h2 id="data-title">Your data</h2>
      <p className="muted">Everything Candor stores stays in this browser. Export a full backup under Exports.</p>
      <label>
        Import a backup (JSON)
        <input type="file" accept="application/json,.json" onChange={(e) => { const f = e.target.files?.[0]; if (f) void importFile(f); e.target.value = ''; }} />
      </label>
      <div className="danger">
        <label>
          Type DELETE to delete all Candor data in this browser
          <input value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        </label>
        <button type="button" className="danger-button" disabled={confirm !== 'DELETE'} onClick={() => void deleteAll()}>
          Delete all data
        </button>
      </div>
      {message && <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind}>{message.text}</p>}
    </section>
  );
}
