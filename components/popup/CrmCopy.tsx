import { useState } from 'react';
import type { CallRecord } from '../../lib/db';
import { crmNote } from '../../lib/export/crm-note';
import { loadBundle } from '../../lib/ui/bundles';

/** One click: a clean CRM note (checklist, tagged moments, notes; AI content marked as such). */
export function CrmCopy({ call }: { call: CallRecord }) {
  const [status, setStatus] = useState<string | null>(null);
  async function copy(format: 'text' | 'markdown') {
    const note = crmNote(await loadBundle(call), { format });
    try {
      await navigator.clipboard.writeText(note);
      setStatus(`CRM note copied (${format === 'text' ? 'plain text' : 'Markdown'}).`);
    } catch {
      setStatus('The clipboard is not available here; select the note below and copy it.');
    }
  }
  return (
    <div className="crm">
      <div className="row">
        <button type="button" className="primary" onClick={() => void copy('text')}>
          Copy CRM note
        </button>
        <button type="button" onClick={() => void copy('markdown')}>
          Copy as Markdown
        </button>
      </div>
      {status && (
        <p role="status" className="muted small">
          {status}
        </p>
      )}
    </div>
  );
}
