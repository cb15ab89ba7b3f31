import { useState } from 'react';

import { t } from '../../lib/i18n';
import { sendRequest } from '../../lib/protocol/client';
import { concernKeys } from '../../lib/i18n/labels';
import { concernCategories, type ConcernCategory } from '../../lib/model';
import { problemOf, ProblemText, useProblem } from '../shared/Problem';


/** "Raise a concern": the governance feedback loop. Anonymous concerns keep no link to a call. */
export function ConcernForm(props: { callId?: string; statementId?: string; category?: ConcernCategory; initialText?: string; onDone(sent: boolean): void }) {
  const [category, setCategory] = useState<ConcernCategory>(props.category ?? 'privacy-concern');
  const [text, setText] = useState(props.initialText ?? '');
  const [anonymous, setAnonymous] = useState(false);
  // A refusal (an empty concern) goes as soon as the rep changes the form.
  const [problem, setProblem] = useProblem([category, text, anonymous]);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const reply = await sendRequest({
      type: 'concern/raise', eventId: crypto.randomUUID(), category, text, anonymous,
      ...(props.callId ? { callId: props.callId } : {}), ...(props.statementId ? { statementId: props.statementId } : {}),
    });
    if (reply.ok) props.onDone(true);
    else setProblem(problemOf(reply));
  }

  return (
    <form className="concern" onSubmit={(e) => void submit(e)} aria-labelledby="concern-title">
      <h3 id="concern-title">{t('popup_concern_title')}</h3>
      <label htmlFor="concern-category">{t('popup_concern_category')}</label>
      <select id="concern-category" value={category} onChange={(e) => setCategory(e.target.value as ConcernCategory)}>
        {concernCategories.map((c) => (
          <option key={c} value={c}>
            {t(concernKeys[c])}
          </option>
        ))}
      </select>
      <label htmlFor="concern-text">{t('popup_concern_text')}</label>
      <textarea id="concern-text" rows={3} value={text} maxLength={5000} onChange={(e) => setText(e.target.value)} />
      <label className="check">
        <input type="checkbox" checked={anonymous} onChange={(e) => setAnonymous(e.target.checked)} /> {t('popup_concern_anonymous')}
      </label>
      <div className="row">
        <button type="button" onClick={() => props.onDone(false)}>
          {t('common_cancel')}
        </button>
        <button type="submit" className="primary">
          {t('popup_concern_send')}
        </button>
      </div>
      <ProblemText problem={problem} />
    </form>
  );
}
