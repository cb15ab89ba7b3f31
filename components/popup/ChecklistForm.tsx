import { useState } from 'react';
import { checklistLabels, emptyChecklist, missingRequired } from '../../lib/checklist/fields';
import type { ChecklistFields, ChecklistRecord, NextStep } from '../../lib/db';
import { sendRequest } from '../../lib/messages/client';
import type { ChecklistFieldName } from '../../lib/policy/schema';

type TextField = Exclude<ChecklistFieldName, 'nextSteps'>;
const mainFields: TextField[] = ['qualification', 'timeline', 'risks', 'competition', 'humanNuance'];
const interpretation: TextField[] = ['powerDynamics', 'hesitation', 'emotion', 'urgency', 'subtleObjections'];
const hints: Partial<Record<TextField, string>> = {
  qualification: 'Budget, authority, need, fit',
  humanNuance: 'What the call felt like; what the transcript will not show',
  powerDynamics: 'Who decides, who defers',
};

/** The post-call CRM-hygiene checklist. Required fields come from the organisation's policy. */
export function ChecklistForm({ callId, saved, required }: { callId: string; saved: ChecklistRecord | null; required: readonly ChecklistFieldName[] }) {
  const [fields, setFields] = useState<ChecklistFields>(saved?.fields ?? emptyChecklist());
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const done = saved?.status === 'done';

  const set = <K extends keyof ChecklistFields>(key: K, value: ChecklistFields[K]) => setFields((f) => ({ ...f, [key]: value }));
  const setStep = (i: number, patch: Partial<NextStep>) => set('nextSteps', fields.nextSteps.map((s, j) => (j === i ? { ...s, ...patch } : s)));

  async function save(complete: boolean) {
    if (complete) {
      const missing = missingRequired(fields, required);
      if (missing.length) {
        setMessage({ kind: 'error', text: `Fill in the required fields first: ${missing.map((m) => checklistLabels[m]).join(', ')}.` });
        return;
      }
    }
    const reply = await sendRequest({ type: 'checklist/save', callId, fields, complete });
    setMessage(reply.ok ? { kind: 'ok', text: complete ? 'Checklist complete. Thank you.' : 'Draft saved.' } : { kind: 'error', text: reply.error });
  }

  const textField = (name: TextField) => (
    <div className="field" key={name}>
      <label htmlFor={`cl-${name}`}>
        {checklistLabels[name]}
        {required.includes(name) && <span aria-hidden="true"> *</span>}
      </label>
      <textarea
        id={`cl-${name}`}
        rows={2}
        required={required.includes(name)}
        placeholder={hints[name]}
        value={fields[name]}
        onChange={(e) => set(name, e.target.value)}
      />
    </div>
  );

  return (
    <section aria-labelledby="checklist-title" className="checklist">
      <h3 id="checklist-title">Post-call checklist {done ? '· complete' : '· pending'}</h3>
      <p className="muted small">AI does not know the full story. You own the narrative. Fields marked * are required by your organisation.</p>
      {mainFields.slice(0, 1).map(textField)}
      <fieldset className="field">
        <legend>
          {checklistLabels.nextSteps}
          {required.includes('nextSteps') && <span aria-hidden="true"> *</span>}
        </legend>
        {fields.nextSteps.map((step, i) => (
          <div className="step" key={i}>
            <input aria-label={`Next step ${i + 1}`} placeholder="What" value={step.text} onChange={(e) => setStep(i, { text: e.target.value })} />
            <input aria-label={`Owner of next step ${i + 1}`} placeholder="Owner" value={step.owner} onChange={(e) => setStep(i, { owner: e.target.value })} />
            <input aria-label={`Due date of next step ${i + 1}`} type="date" value={step.due} onChange={(e) => setStep(i, { due: e.target.value })} />
            <button type="button" className="link" aria-label={`Remove next step ${i + 1}`} onClick={() => set('nextSteps', fields.nextSteps.filter((_, j) => j !== i))}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" className="link" onClick={() => set('nextSteps', [...fields.nextSteps, { text: '', owner: '', due: '' }])}>
          + Add next step
        </button>
      </fieldset>
      {mainFields.slice(1).map(textField)}
      <details>
        <summary>Human interpretation: what the AI misses</summary>
        {interpretation.map(textField)}
      </details>
      <div className="row">
        <button type="button" onClick={() => void save(false)}>
          Save draft
        </button>
        <button type="button" className="primary" onClick={() => void save(true)}>
          {done ? 'Update checklist' : 'Complete checklist'}
        </button>
      </div>
      {message && (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'error' : 'ok'}>
          {message.text}
        </p>
      )}
    </section>
  );
}
