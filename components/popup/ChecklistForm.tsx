import { useState } from 'react';
import { emptyChecklist, missingRequired } from '../../lib/checklist/fields';

import { t, type MessageKey } from '../../lib/i18n';
import { sendRequest } from '../../lib/protocol/client';

import { checklistKeys } from '../../lib/i18n/labels';
import type { ChecklistFields, ChecklistRecord, NextStep, ChecklistFieldName } from '../../lib/model';
import { problemOf, ProblemText, useProblem } from '../shared/Problem';
import { DeleteButton } from './DeleteButton';

type TextField = Exclude<ChecklistFieldName, 'nextSteps'>;
const mainFields: TextField[] = ['qualification', 'timeline', 'risks', 'competition', 'humanNuance'];
const interpretation: TextField[] = ['powerDynamics', 'hesitation', 'emotion', 'urgency', 'subtleObjections'];
const hints: Partial<Record<TextField, MessageKey>> = {
  qualification: 'popup_checklist_hint_qualification',
  humanNuance: 'popup_checklist_hint_human_nuance',
  powerDynamics: 'popup_checklist_hint_power_dynamics',
};

/** The post-call CRM-hygiene checklist. Required fields come from the organisation's policy. */
export function ChecklistForm({ callId, saved, required }: { callId: string; saved: ChecklistRecord | null; required: readonly ChecklistFieldName[] }) {
  const [fields, setFields] = useState<ChecklistFields>(saved?.fields ?? emptyChecklist());
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  // Errors follow the form: the missing fields are recomputed as the rep types (gone once filled),
  // and a refusal from the background goes once the fields change.
  const [triedComplete, setTriedComplete] = useState(false);
  const missingNow = triedComplete ? missingRequired(fields, required) : [];
  const [problem, setProblem] = useProblem(fields);
  const done = saved?.status === 'done';

  const set = <K extends keyof ChecklistFields>(key: K, value: ChecklistFields[K]) => setFields((f) => ({ ...f, [key]: value }));
  const setStep = (i: number, patch: Partial<NextStep>) => set('nextSteps', fields.nextSteps.map((s, j) => (j === i ? { ...s, ...patch } : s)));

  async function save(complete: boolean) {
    setTriedComplete(complete);
    setMessage(null);
    if (complete && missingRequired(fields, required).length) return;
    const reply = await sendRequest({ type: 'checklist/save', callId, fields, complete });
    setProblem(problemOf(reply));
    if (reply.ok) setMessage({ kind: 'ok', text: complete ? t('popup_checklist_completed') : t('popup_checklist_draft_saved') });
  }

  const textField = (name: TextField) => (
    <div className="field" key={name}>
      <label htmlFor={`cl-${name}`}>
        {t(checklistKeys[name])}
        {required.includes(name) && <span aria-hidden="true"> *</span>}
      </label>
      <textarea
        id={`cl-${name}`}
        rows={2}
        required={required.includes(name)}
        placeholder={hints[name] && t(hints[name])}
        value={fields[name]}
        onChange={(e) => set(name, e.target.value)}
      />
    </div>
  );

  return (
    <section aria-labelledby="checklist-title" className="checklist">
      <h3 id="checklist-title">{done ? t('popup_checklist_title_complete') : t('popup_checklist_title_pending')}</h3>
      <p className="muted small">{t('popup_checklist_intro')}</p>
      {mainFields.slice(0, 1).map(textField)}
      <fieldset className="field">
        <legend>
          {t(checklistKeys.nextSteps)}
          {required.includes('nextSteps') && <span aria-hidden="true"> *</span>}
        </legend>
        {fields.nextSteps.map((step, i) => (
          <div className="step" key={i}>
            <input aria-label={t('popup_step_text_label', i + 1)} placeholder={t('popup_step_text_placeholder')} value={step.text} onChange={(e) => setStep(i, { text: e.target.value })} />
            <input aria-label={t('popup_step_owner_label', i + 1)} placeholder={t('popup_step_owner_placeholder')} value={step.owner} onChange={(e) => setStep(i, { owner: e.target.value })} />
            <input aria-label={t('popup_step_due_label', i + 1)} type="date" value={step.due} onChange={(e) => setStep(i, { due: e.target.value })} />
            <button type="button" className="link" aria-label={t('popup_step_remove_label', i + 1)} onClick={() => set('nextSteps', fields.nextSteps.filter((_, j) => j !== i))}>
              {t('popup_step_remove')}
            </button>
          </div>
        ))}
        <button type="button" className="link" onClick={() => set('nextSteps', [...fields.nextSteps, { text: '', owner: '', due: '' }])}>
          {t('popup_step_add')}
        </button>
      </fieldset>
      {mainFields.slice(1).map(textField)}
      <details>
        <summary>{t('popup_checklist_interpretation')}</summary>
        {interpretation.map(textField)}
      </details>
      <div className="row">
        <button type="button" onClick={() => void save(false)}>
          {t('popup_checklist_save_draft')}
        </button>
        <button type="button" className="primary" onClick={() => void save(true)}>
          {done ? t('popup_checklist_update') : t('popup_checklist_complete')}
        </button>
      </div>
      {missingNow.length > 0 && <p role="alert" className="error">{t('popup_checklist_missing', missingNow.map((m) => t(checklistKeys[m])).join(', '))}</p>}
      <ProblemText problem={problem} />
      {message && (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'error' : 'ok'}>
          {message.text}
        </p>
      )}
      {saved && (
        <DeleteButton
          label={t('popup_delete_checklist')}
          confirm={t('popup_delete_checklist_confirm')}
          request={() => sendRequest({ type: 'call-data/delete', callId, what: 'checklists' })}
          onDeleted={() => {
            setFields(emptyChecklist());
            setTriedComplete(false);
            setMessage(null);
          }}
        />
      )}
    </section>
  );
}
