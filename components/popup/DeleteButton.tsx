import { useEffect, useRef, useState } from 'react';
import { t } from '../../lib/i18n';
import type { Refusal } from '../../lib/protocol/replies';
import { problemOf, ProblemText, type Problem } from '../shared/Problem';

/**
 * Deletes one of the rep's own records (a note, a tag, a checklist, an AI draft): a first click asks,
 * in a sentence that says what goes and what stays; "Yes, delete" does it. Consent records are never
 * deleted from here (lib/policy/deletion.ts).
 */
export function DeleteButton(props: {
  label: string;
  /** The question asked before deleting (what goes, what is kept). */
  confirm: string;
  /** A fuller name for screen readers when `label` alone is ambiguous (one of many tags). */
  ariaLabel?: string;
  request(): Promise<{ ok: true } | Refusal>;
  onDeleted?(): void;
}) {
  const [asking, setAsking] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  // The question takes the focus, so a keyboard user answers it next (and Escape-free: Cancel is beside it).
  useEffect(() => {
    if (asking) yes.current?.focus();
  }, [asking]);

  async function remove() {
    const reply = await props.request();
    setProblem(problemOf(reply));
    setAsking(false);
    setDone(reply.ok);
    if (reply.ok) props.onDeleted?.();
  }

  return (
    <div className="delete-action">
      {asking ? (
        <div role="group" aria-label={props.ariaLabel ?? props.label}>
          <p className="small">{props.confirm}</p>
          <button type="button" ref={yes} className="danger-button" onClick={() => void remove()}>{t('popup_delete_yes')}</button>{' '}
          <button type="button" onClick={() => setAsking(false)}>{t('common_cancel')}</button>
        </div>
      ) : (
        <button type="button" className="link" aria-label={props.ariaLabel} onClick={() => { setProblem(null); setDone(false); setAsking(true); }}>{props.label}</button>
      )}
      <ProblemText problem={problem} />
      {done && <p role="status" className="ok">{t('popup_deleted')}</p>}
    </div>
  );
}
