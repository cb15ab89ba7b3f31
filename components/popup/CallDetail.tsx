import { promptTexts } from '../../lib/policy/resolve';
import type { Policy } from '../../lib/policy/schema';
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useRef, useState } from 'react';
import { readDb } from '../../lib/ui/db';
import { formatWhen, outcomeLabel, platformLabel } from '../../lib/ui/format';
import { usePolicy } from '../../lib/ui/policy';
import { AiDraftPanel } from './AiDraftPanel';
import { CallName } from './CallName';
import { ChangeDecision } from './ChangeDecision';
import { ChecklistDismiss } from './ChecklistDismiss';
import { ChecklistForm } from './ChecklistForm';
import { ConcernForm } from './ConcernForm';
import { CrmCopy } from './CrmCopy';
import { NoteEditor } from './NoteEditor';
import { TagList } from './TagList';
import { usePopupStore } from './usePopupStore';
import { t, uiLanguage } from '../../lib/i18n';

/** The consent question as the prompt shows it (the policy's language for the UI's). */
function script(policy: Policy) {
  const texts = promptTexts(policy, uiLanguage());
  return { text: texts.consentScript, language: texts.language };
}

export function CallDetail({ callId }: { callId: string }) {
  const select = usePopupStore((s) => s.select);
  const policy = usePolicy();
  const [concern, setConcern] = useState(false);
  const [sent, setSent] = useState(false);
  const call = useLiveQuery(() => readDb.calls.get(callId), [callId]);
  const note = useLiveQuery(async () => (await readDb.notes.get(callId)) ?? null, [callId]);
  const checklist = useLiveQuery(async () => (await readDb.checklists.get(callId)) ?? null, [callId]);
  const draft = useLiveQuery(async () => (await readDb.aiDrafts.get(callId)) ?? null, [callId]);
  const name = call ? (call.title || call.platformTitle || null) : null;
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
          {/* The call's name (page text or the rep's): rendered as text only. */}
          <h2 id="call-title" ref={title} tabIndex={-1}>
            {name ?? `${platformLabel(call.platform)} · ${formatWhen(call.admittedAt ?? call.detectedAt)}`}
          </h2>
          {(name || call.account) && (
            <p className="muted small">
              {[call.account, name && `${platformLabel(call.platform)} · ${formatWhen(call.admittedAt ?? call.detectedAt)}`].filter(Boolean).join(' · ')}
            </p>
          )}
          <p>
            <span className={`badge badge-${call.outcome ?? 'pending'}`}>{outcomeLabel(call.outcome)}</span>
            {notesOnly && <span className="muted small"> {t('popup_notes_only')}</span>}
          </p>
          <CallName key={call.id} call={call} />
          {policy && <ChangeDecision call={call} changeMinutes={policy.policy.decisionChangeMinutes} standards={policy.policy.recordingStandards} script={script(policy.policy)} />}
        </>
      )}
      <TagList callId={callId} />
      {checklist !== undefined && policy && (checklist || (call?.status === 'ended' && !call.checklistNotRequired)) && (
        <>
          <ChecklistForm key={callId} callId={callId} saved={checklist} required={policy.policy.checklistRequired} />
          <ChecklistDismiss callId={callId} checklist={checklist} />
        </>
      )}
      {checklist === null && call?.checklistNotRequired && <p className="muted small">{t('popup_checklist_not_required')}</p>}
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
