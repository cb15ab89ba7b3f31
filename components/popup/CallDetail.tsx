import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useRef, useState } from 'react';
import { readDb } from '../../lib/ui/db';
import { formatWhen, outcomeLabel, platformLabel } from '../../lib/ui/format';
import { usePolicy } from '../../lib/ui/policy';
import { AiDraftPanel } from './AiDraftPanel';
import { ChecklistForm } from './ChecklistForm';
import { ConcernForm } from './ConcernForm';
import { CrmCopy } from './CrmCopy';
import { NoteEditor } from './NoteEditor';
import { TagList } from './TagList';
import { usePopupStore } from './usePopupStore';
import { t } from '../../lib/i18n';

export function CallDetail({ callId }: { callId: string }) {
  const select = usePopupStore((s) => s.select);
  const policy = usePolicy();
  const [concern, setConcern] = useState(false);
  const [sent, setSent] = useState(false);
  const call = useLiveQuery(() => readDb.calls.get(callId), [callId]);
  const note = useLiveQuery(async () => (await readDb.notes.get(callId)) ?? null, [callId]);
  const checklist = useLiveQuery(async () => (await readDb.checklists.get(callId)) ?? null, [callId]);
  const draft = useLiveQuery(async () => (await readDb.aiDrafts.get(callId)) ?? null, [callId]);
  const notesOnly = call?.outcome === 'declined' || call?.outcome === 'not-recorded' || call?.outcome === 'withdrawn';
  // Opening a call moves keyboard (and screen reader) focus to its heading, not back to the page start.
  const title = useRef<HTMLHeadingElement>(null);
  const hasCall = !!call;
  useEffect(() => {
    if (hasCall && (document.activeElement === document.body || document.activeElement === null)) title.current?.focus();
  }, [hasCall]);
  return (
    <section aria-labelledby="call-title">
      <button type="button" className="link" onClick={() => select(null)}>
        {t('popup_all_calls')}
      </button>
      {call && (
        <>
          <h2 id="call-title" ref={title} tabIndex={-1}>
            {platformLabel(call.platform)} · {formatWhen(call.admittedAt ?? call.detectedAt)}
          </h2>
          <p>
            <span className={`badge badge-${call.outcome ?? 'pending'}`}>{outcomeLabel(call.outcome)}</span>
            {notesOnly && <span className="muted small"> {t('popup_notes_only')}</span>}
          </p>
        </>
      )}
      <TagList callId={callId} />
      {checklist !== undefined && policy && (checklist || call?.status === 'ended') && (
        <ChecklistForm key={callId} callId={callId} saved={checklist} required={policy.policy.checklistRequired} />
      )}
      {/* The CRM note is for a call whose checklist is done, so it comes after the checklist. */}
      {call && <CrmCopy call={call} />}
      {note !== undefined && <NoteEditor callId={callId} saved={note} />}
      {draft !== undefined && <AiDraftPanel callId={callId} draft={draft} />}
      {concern ? (
        <ConcernForm callId={callId} onDone={(done) => { setConcern(false); setSent(done); }} />
      ) : (
        <>
          {sent && <p role="status" className="ok">{t('popup_concern_sent_elsewhere')}</p>}
          <button type="button" className="link" onClick={() => { setSent(false); setConcern(true); }}>
            {t('popup_raise_concern_call')}
          </button>
        </>
      )}
    </section>
  );
}
