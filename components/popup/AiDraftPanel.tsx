import { useState } from 'react';
import type { AiDraftRecord } from '../../lib/db';
import { sendRequest } from '../../lib/messages/client';
import { ConcernForm } from './ConcernForm';

const sources = ['Otter', 'Fireflies', 'Gong', 'Fathom', 'tl;dv', 'Read.ai', 'Avoma', 'Platform AI notes', 'Other'];

/** The notetaker's summary as an "AI draft": beside the rep's fields, never over them; each statement is checked. */
export function AiDraftPanel({ callId, draft }: { callId: string; draft: AiDraftRecord | null }) {
  const [text, setText] = useState('');
  const [source, setSource] = useState(sources[0]!);
  const [error, setError] = useState<string | null>(null);
  const [concernFor, setConcernFor] = useState<{ id: string; text: string } | null>(null);

  async function paste() {
    const reply = await sendRequest({ type: 'ai-draft/save', callId, source, text });
    if (reply.ok) setText('');
    setError(reply.ok ? null : reply.error);
  }
  async function mark(statementId: string, mark: 'correct' | 'wrong' | null) {
    const reply = await sendRequest({ type: 'ai-draft/mark', callId, statementId, mark });
    setError(reply.ok ? null : reply.error);
  }

  return (
    <section aria-labelledby="ai-title" className="ai-draft">
      <h3 id="ai-title">AI draft {draft && <span className="muted">· from {draft.source} · unverified</span>}</h3>
      <p className="muted small">A starting point, not the truth: mark each statement. It never replaces your own notes.</p>
      {draft && (
        <ol className="statements">
          {draft.statements.map((st) => (
            <li key={st.id} className={st.mark ? `mark-${st.mark}` : undefined}>
              <span className="statement">{st.text}</span>
              <span className="marks" role="group" aria-label="Is this statement right?">
                <button type="button" aria-pressed={st.mark === 'correct'} onClick={() => void mark(st.id, st.mark === 'correct' ? null : 'correct')}>
                  ✓ Correct
                </button>
                <button
                  type="button"
                  aria-pressed={st.mark === 'wrong'}
                  onClick={() => {
                    void mark(st.id, st.mark === 'wrong' ? null : 'wrong');
                    if (st.mark !== 'wrong' && !st.concernId) setConcernFor({ id: st.id, text: st.text });
                  }}
                >
                  ✗ Wrong
                </button>
              </span>
              {st.concernId && <span className="muted small"> · concern raised</span>}
            </li>
          ))}
        </ol>
      )}
      {concernFor && (
        <div className="offer">
          <p className="small">Marked wrong. Tell your governance team so the AI's reliability can be reviewed?</p>
          <ConcernForm
            callId={callId}
            statementId={concernFor.id}
            category="ai-summary-error"
            initialText={`The AI summary said: "${concernFor.text}". This is wrong because: `}
            onDone={() => setConcernFor(null)}
          />
        </div>
      )}
      <details>
        <summary>{draft ? 'Replace the AI draft' : 'Paste the notetaker’s summary'}</summary>
        <label htmlFor="ai-source">Source</label>
        <select id="ai-source" value={source} onChange={(e) => setSource(e.target.value)}>
          {sources.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <label htmlFor="ai-text">Summary</label>
        <textarea id="ai-text" rows={4} value={text} onChange={(e) => setText(e.target.value)} />
        <button type="button" onClick={() => void paste()}>
          Add as AI draft
        </button>
      </details>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
