import { useEffect, useRef, useState } from 'react';

import { sendRequest } from '../../lib/protocol/client';
import { NOTE_MAX_CHARS } from '../../lib/protocol/requests';
import { t, uiLanguage } from '../../lib/i18n';
import type { NoteRecord } from '../../lib/model';
import { Details } from '../shared/Details';
import { DeleteButton } from './DeleteButton';

const AUTOSAVE_MS = 400;

type Status = { kind: 'idle' | 'saving' | 'saved' | 'dirty' } | { kind: 'error'; message: string; detail?: string };

/** The rep's own notes for a call. Saved through the background, automatically and on demand. */
export function NoteEditor({ callId, saved }: { callId: string; saved: NoteRecord | null }) {
  const [text, setText] = useState(saved?.text ?? '');
  const [status, setStatus] = useState<Status>({ kind: saved ? 'saved' : 'idle' });
  const latest = useRef(text);
  const timer = useRef<number | undefined>(undefined);

  async function save(value: string) {
    window.clearTimeout(timer.current);
    setStatus({ kind: 'saving' });
    const reply = await sendRequest({ type: 'note/save', callId, text: value }, { deadlineMs: 10_000 });
    if (latest.current !== value) return; // typed on meanwhile: the next save reports
    setStatus(reply.ok ? { kind: 'saved' } : { kind: 'error', message: reply.error, detail: reply.detail });
  }

  // Closing the popup must not lose the last keystrokes.
  useEffect(() => {
    const flush = () => {
      if (timer.current !== undefined) void save(latest.current);
    };
    window.addEventListener('pagehide', flush);
    return () => window.removeEventListener('pagehide', flush);
  });

  const over = text.length > NOTE_MAX_CHARS;
  return (
    <div className="notes">
      <label htmlFor="note-text">{t('popup_notes_label')}</label>
      <p className="muted small" id="note-help">
        {t('popup_notes_help')}
      </p>
      <textarea
        id="note-text"
        aria-describedby="note-help note-status"
        aria-invalid={over || status.kind === 'error'}
        value={text}
        rows={8}
        onChange={(e) => {
          const value = e.target.value;
          setText(value);
          latest.current = value;
          setStatus({ kind: 'dirty' });
          window.clearTimeout(timer.current);
          timer.current = window.setTimeout(() => {
            timer.current = undefined;
            void save(value);
          }, AUTOSAVE_MS);
        }}
      />
      <div className="note-foot">
        <span className={over ? 'count over' : 'count'}>
          {text.length.toLocaleString(uiLanguage())} / {NOTE_MAX_CHARS.toLocaleString(uiLanguage())}
        </span>
        <button type="button" onClick={() => void save(text)} disabled={status.kind === 'saving'}>
          {t('popup_notes_save')}
        </button>
      </div>
      <p id="note-status" role="status" className={status.kind === 'error' ? 'error' : 'muted small'}>
        {status.kind === 'saving' && t('common_saving')}
        {status.kind === 'saved' && t('popup_notes_saved')}
        {status.kind === 'dirty' && t('popup_notes_unsaved')}
        {status.kind === 'error' && status.message}
      </p>
      {status.kind === 'error' && <Details text={status.detail} />}
      {saved && (
        <DeleteButton
          label={t('popup_delete_note')}
          confirm={t('popup_delete_note_confirm')}
          request={() => sendRequest({ type: 'call-data/delete', callId, what: 'notes' })}
          onDeleted={() => {
            window.clearTimeout(timer.current);
            timer.current = undefined;
            latest.current = '';
            setText('');
            setStatus({ kind: 'idle' });
          }}
        />
      )}
    </div>
  );
}
