import { useLiveQuery } from 'dexie-react-hooks';
import { readDb } from '../../lib/ui/db';
import { formatWhen, outcomeLabel, platformLabel } from '../../lib/ui/format';
import { NoteEditor } from './NoteEditor';
import { usePopupStore } from './usePopupStore';

export function CallDetail({ callId }: { callId: string }) {
  const select = usePopupStore((s) => s.select);
  const call = useLiveQuery(() => readDb.calls.get(callId), [callId]);
  const note = useLiveQuery(async () => (await readDb.notes.get(callId)) ?? null, [callId]);
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
          </p>
        </>
      )}
      {note !== undefined && <NoteEditor callId={callId} saved={note} />}
    </section>
  );
}
