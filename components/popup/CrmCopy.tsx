import { useState } from 'react';

import { crmNote } from '../../lib/export/crm-note';
import { loadBundle } from '../../lib/ui/bundles';
import { t } from '../../lib/i18n';
import type { CallRecord } from '../../lib/model';

/** One click: a clean CRM note (checklist, tagged moments, notes; AI content marked as such). */
export function CrmCopy({ call }: { call: CallRecord }) {
  const [status, setStatus] = useState<string | null>(null);
  async function copy(format: 'text' | 'markdown') {
    const note = crmNote(await loadBundle(call), { format });
    try {
      await navigator.clipboard.writeText(note);
      setStatus(format === 'text' ? t('popup_crm_copied_text') : t('popup_crm_copied_markdown'));
    } catch {
      setStatus(t('popup_crm_no_clipboard'));
    }
  }
  return (
    <div className="crm">
      <div className="row">
        <button type="button" className="primary" onClick={() => void copy('text')}>
          {t('popup_crm_copy')}
        </button>
        <button type="button" onClick={() => void copy('markdown')}>
          {t('popup_crm_copy_markdown')}
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
