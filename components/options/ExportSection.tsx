import { useState } from 'react';
import { POLICY_LINE } from '../../lib/export/call-bundle';
import { sendRequest } from '../../lib/messages/client';
import type { UsePurpose } from '../../lib/db';
import { downloadText } from '../../lib/ui/download';

const exportsOffered = [
  ['calls-csv', 'Calls (CSV)'],
  ['calls-json', 'Calls (JSON)'],
  ['concerns-csv', 'Concerns (CSV)'],
  ['backup', 'Full backup (JSON)'],
] as const;

/** Every export declares its purpose; performance use needs who approved it and why. */
export function ExportSection() {
  const [purpose, setPurpose] = useState<UsePurpose>('coaching');
  const [approver, setApprover] = useState('');
  const [reference, setReference] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  async function run(what: (typeof exportsOffered)[number][0]) {
    const approval = approver.trim() || reference.trim() ? { approver, reference } : undefined;
    const reply = await sendRequest({ type: 'export/request', what, purpose, ...(approval ? { approval } : {}) });
    if (!reply.ok) {
      setMessage({ kind: 'error', text: reply.error });
      return;
    }
    downloadText(reply.data.filename, reply.data.mime, reply.data.content);
    setMessage({ kind: 'ok', text: `Exported ${reply.data.filename} for ${purpose} use. It is listed in the access log.` });
  }

  return (
    <section id="exports" aria-labelledby="exports-title">
      <h2 id="exports-title">Exports</h2>
      <p className="policy-line">{POLICY_LINE}</p>
      <fieldset>
        <legend>Purpose of this export</legend>
        <label className="check">
          <input type="radio" name="purpose" checked={purpose === 'coaching'} onChange={() => setPurpose('coaching')} /> Coaching: skill development, deal strategy, onboarding
        </label>
        <label className="check">
          <input type="radio" name="purpose" checked={purpose === 'performance'} onChange={() => setPurpose('performance')} /> Performance: compliance checks, escalations, HR (requires approval)
        </label>
      </fieldset>
      {purpose === 'performance' && (
        <div className="grid">
          <label>
            Approved by
            <input value={approver} onChange={(e) => setApprover(e.target.value)} placeholder="Name and role" />
          </label>
          <label>
            Ticket or reason
            <input value={reference} onChange={(e) => setReference(e.target.value)} placeholder="e.g. HR-1234" />
          </label>
        </div>
      )}
      <div className="row">
        {exportsOffered.map(([what, label]) => (
          <button key={what} type="button" onClick={() => void run(what)}>
            Export {label}
          </button>
        ))}
      </div>
      {message && <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind}>{message.text}</p>}
    </section>
  );
}
