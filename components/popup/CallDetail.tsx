import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
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

export function CallDetail({ callId }: { callId: string }) {
  const select = usePopupStore((s) => s.select);
  const policy = usePolicy();
  const [concern, setConcern] = useState(false);
  const call = useLiveQuery(() => readDb.calls.get(callId), [callId]);
  const note = useLiveQuery(async () => (await readDb.notes.get(callId)) ?? null, [callId]);
  const checklist = useLiveQuery(async () => (await readDb.checklists.get(callId)) ?? null, [callId]);
  const draft = useLiveQuery(async () => (await readDb.aiDrafts.get(callId)) ?? null, [callId]);
  const notesOnly = call?.outcome === 'declined' || call?.outcome === 'not-recorded' || call?.outcome === 'withdrawn';
  return (
    <section aria-labelledby="call-title">
      <button type="button" className="link" onClick={() => select(null)}>
        ← All calls
      </button>
      {call && (
        <>
          <h2 id="call-title">
            {platformLabel(call.platform)} · {formatWhen(call.admittedAt ?? call.detectedAt)}
          </h2>
          <p>
            <span className={`badge badge-${call.outcome ?? 'pending'}`}>{outcomeLabel[call.outcome ?? 'pending']}</span>
            {notesOnly && <span className="muted small"> Notes-only mode: still a full call.</span>}
          </p>
          <CrmCopy call={call} />
        </>
      )}
      <TagList callId={callId} />
      {checklist !== undefined && policy && (checklist || call?.status === 'ended') && (
        <ChecklistForm key={callId} callId={callId} saved={checklist} required={policy.policy.checklistRequired} />
      )}
      {note !== undefined && <NoteEditor callId={callId} saved={note} />}
      {draft !== undefined && <AiDraftPanel callId={callId} draft={draft} />}
      {concern ? (
        <ConcernForm callId={callId} onDone={() => setConcern(false)} />
      ) : (
        <button type="button" className="link" onClick={() => setConcern(true)}>
          Raise a concern about this call
        </button>
      )}
    </section>
  );
}
