import { useState } from 'react';

import { t } from '../../lib/i18n';
import { sendRequest } from '../../lib/protocol/client';
import { ConcernForm } from './ConcernForm';
import type { AiDraftRecord } from '../../lib/model';
import { problemOf, ProblemText, useProblem } from '../shared/Problem';
import { DeleteButton } from './DeleteButton';

/** Product names, then two generic sources (stored as these English values; shown translated). */
const sources = ['Otter', 'Fireflies', 'Gong', 'Fathom', 'tl;dv', 'Read.ai', 'Avoma', 'Platform AI notes', 'Other'];
const sourceLabel = (s: string) => (s === 'Platform AI notes' ? t('popup_ai_source_platform') : s === 'Other' ? t('popup_ai_source_other') : s);

/** The notetaker's summary as an "AI draft": beside the rep's fields, never over them; each statement is checked. */
export function AiDraftPanel({ callId, draft }: { callId: string; draft: AiDraftRecord | null }) {
  const [text, setText] = useState('');
  const [source, setSource] = useState(sources[0]!);
  // A refusal (an empty or too long summary) goes once the rep changes what they pasted.
  const [problem, setProblem] = useProblem([text, source]);
  const [concernFor, setConcernFor] = useState<{ id: string; text: string } | null>(null);

  async function paste() {
    const reply = await sendRequest({ type: 'ai-draft/save', callId, source, text });
    if (reply.ok) setText('');
    setProblem(problemOf(reply));
  }
  async function mark(statementId: string, mark: 'correct' | 'wrong' | null) {
    setProblem(problemOf(await sendRequest({ type: 'ai-draft/mark', callId, statementId, mark })));
  }

  return (
    <section aria-labelledby="ai-title" className="ai-draft">
      <h3 id="ai-title">{t('popup_ai_title')} {draft && <span className="muted">{t('popup_ai_from', sourceLabel(draft.source))}</span>}</h3>
      <p className="muted small">{t('popup_ai_intro')}</p>
      {draft && (
        <ol className="statements">
          {draft.statements.map((st) => (
            <li key={st.id} className={st.mark ? `mark-${st.mark}` : undefined}>
              <span className="statement">{st.text}</span>
              <span className="marks" role="group" aria-label={t('popup_ai_marks_label')}>
                <button type="button" aria-pressed={st.mark === 'correct'} onClick={() => void mark(st.id, st.mark === 'correct' ? null : 'correct')}>
                  {t('popup_ai_correct')}
                </button>
                <button
                  type="button"
                  aria-pressed={st.mark === 'wrong'}
                  onClick={() => {
                    void mark(st.id, st.mark === 'wrong' ? null : 'wrong');
                    if (st.mark !== 'wrong' && !st.concernId) setConcernFor({ id: st.id, text: st.text });
                  }}
                >
                  {t('popup_ai_wrong')}
                </button>
              </span>
              {st.concernId && <span className="muted small"> {t('popup_ai_concern_raised')}</span>}
            </li>
          ))}
        </ol>
      )}
      {concernFor && (
        <div className="offer">
          <p className="small">{t('popup_ai_offer')}</p>
          <ConcernForm
            callId={callId}
            statementId={concernFor.id}
            category="ai-summary-error"
            initialText={t('popup_ai_concern_text', concernFor.text)}
            onDone={() => setConcernFor(null)}
          />
        </div>
      )}
      <details>
        <summary>{draft ? t('popup_ai_replace') : t('popup_ai_paste')}</summary>
        <label htmlFor="ai-source">{t('popup_ai_source')}</label>
        <select id="ai-source" value={source} onChange={(e) => setSource(e.target.value)}>
          {sources.map((s) => (
            <option key={s} value={s}>
              {sourceLabel(s)}
            </option>
          ))}
        </select>
        <label htmlFor="ai-text">{t('popup_ai_summary')}</label>
        <textarea id="ai-text" rows={4} value={text} onChange={(e) => setText(e.target.value)} />
        <button type="button" onClick={() => void paste()}>
          {t('popup_ai_add')}
        </button>
      </details>
      <ProblemText problem={problem} />
      {draft && (
        <DeleteButton
          label={t('popup_delete_ai_draft')}
          confirm={t('popup_delete_ai_draft_confirm')}
          request={() => sendRequest({ type: 'call-data/delete', callId, what: 'aiDrafts' })}
          onDeleted={() => setConcernFor(null)}
        />
      )}
    </section>
  );
}
