/**
 * One call with everything the rep attached to it, and the shared helpers the export formatters
 * (CRM note, CSV, JSON) use to describe it. Pure: no browser APIs, no Dexie, no DOM, no clock.
 * The caller reads the records and passes them in; the same input always gives the same output.
 *
 * Provenance is the point of these exports: the rep owns the narrative (checklist, tags, notes);
 * a notetaker's summary (`aiDraft`) is a draft the rep checks, never the record. Every formatter
 * keeps the two apart and says which is which.
 */

import { english } from '../i18n/english';
import { checklistKeys } from '../i18n/labels';
import { platformById } from '../platforms';
import { forbidsRecording, recordedChange } from '../call/outcomes';
import {
  callCategories, crmSectionFields, interpretationFields, notRecordingReasons, outcomes,
  type AiDraftRecord, type CallCategory, type CallEvent, type CallRecord, type ChecklistDismissReason, type ChecklistFields, type ChecklistRecord,
  type DecisionChangeKind, type NextStep, type NoteRecord, type StatementMark, type TagRecord, type NotRecordingReason, type Outcome,
} from '../model';

export interface CallBundle {
  call: CallRecord;
  tags: TagRecord[];
  checklist?: ChecklistRecord;
  note?: NoteRecord;
  aiDraft?: AiDraftRecord;
  /** The call's `decision` events, in any order (other events are ignored): the consent history. */
  decisions?: CallEvent[];
}

/** The governance line every export carries (from the program's policy). */
export const POLICY_LINE = 'AI recordings are for coaching, not scoring. Performance use requires approval.';

// ---------------------------------------------------------------------------------------------
// Text hygiene

/** Line breaks normalised to LF; other control characters (except tab) removed. */
export function cleanText(text: string | null | undefined): string {
  if (!text) return '';
  return text
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
}

/**
 * Multi-line user text tidied for display: trailing spaces and leading/trailing blank lines
 * dropped, runs of blank lines collapsed to one. Returns '' for whitespace-only text.
 */
export function cleanBlock(text: string | null | undefined): string {
  const lines = cleanText(text)
    .split('\n')
    .map((l) => l.replace(/\s+$/u, ''));
  const out: string[] = [];
  for (const line of lines) {
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}

/** User text on one line: every run of whitespace (line breaks included) becomes one space. */
export function oneLine(text: string | null | undefined): string {
  return cleanText(text).replace(/\s+/gu, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// Times

export { formatOffset } from '../util/time';

/** Epoch ms as an ISO-8601 UTC string, or null when absent/invalid. */
export function toIso(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return null;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

interface ZonedParts {
  date: string; // YYYY-MM-DD
  time: string; // HH:MM (24 h)
}

const zonedFormatters = new Map<string, Intl.DateTimeFormat>();

/** The IANA zone if the runtime knows it, otherwise 'UTC' (so a bad setting never throws). */
export function resolveTimeZone(timeZone: string | undefined): string {
  if (!timeZone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

function zonedParts(ms: number, timeZone: string): ZonedParts {
  let fmt = zonedFormatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    zonedFormatters.set(timeZone, fmt);
  }
  const parts: Record<string, string> = {};
  for (const p of fmt.formatToParts(ms)) parts[p.type] = p.value;
  const year = (parts.year ?? '0000').padStart(4, '0');
  return { date: `${year}-${parts.month ?? '00'}-${parts.day ?? '00'}`, time: `${parts.hour ?? '00'}:${parts.minute ?? '00'}` };
}

function localized(ms: number, timeZone: string, locale: string, withDate: boolean): string {
  try {
    return new Intl.DateTimeFormat(locale, withDate ? { timeZone, dateStyle: 'medium', timeStyle: 'short' } : { timeZone, timeStyle: 'short' }).format(ms);
  } catch {
    const p = zonedParts(ms, timeZone);
    return withDate ? `${p.date} ${p.time}` : p.time;
  }
}

function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'under 1 min';
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/**
 * When the call happened, in one line: "2025-03-14 15:02–15:47 Europe/Berlin (45 min)".
 * Without `locale` the date is ISO-style (YYYY-MM-DD HH:MM), identical on every machine; with a
 * locale it uses Intl's medium date and short time (wording then depends on the runtime's ICU data).
 * `timeZone` defaults to UTC so the output never depends on the machine's zone.
 */
export function describeWhen(call: CallRecord, opts: { timeZone?: string; locale?: string } = {}): string {
  const tz = resolveTimeZone(opts.timeZone);
  const start = call.admittedAt ?? call.detectedAt;
  const fmt = (ms: number, withDate: boolean): string => {
    if (opts.locale) return localized(ms, tz, opts.locale, withDate);
    const p = zonedParts(ms, tz);
    return withDate ? `${p.date} ${p.time}` : p.time;
  };
  let text = fmt(start, true);
  const end = call.endedAt;
  if (end !== undefined && Number.isFinite(end) && end >= start) {
    const sameDay = zonedParts(start, tz).date === zonedParts(end, tz).date;
    text += sameDay ? `–${fmt(end, false)}` : ` – ${fmt(end, true)}`;
    text += ` ${tz}`;
    text += call.admittedAt !== undefined ? ` (${formatDuration(end - start)})` : ' (not admitted to the call)';
  } else {
    text += ` ${tz}`;
    if (call.admittedAt === undefined) text += ' (not admitted to the call)';
    else if (call.status !== 'ended') text += ' (still in progress)';
  }
  return text;
}

/** The platform's display name ("Google Meet"), or its id if unknown. Same as lib/ui/format's platformLabel. */
export function describePlatform(call: Pick<CallRecord, 'platform'>): string {
  return platformById(call.platform)?.label ?? call.platform;
}

// ---------------------------------------------------------------------------------------------
// Consent

/** Why a call was not recorded, in plain words (lower case: used inside a sentence). */
export const notRecordedReasonLabels: Record<NotRecordingReason, string> = {
  'internal-call': 'internal call',
  'declined-before-call': 'the customer asked before the call not to record',
  'sensitive-topic': 'sensitive topic',
  'technical-issue': 'technical issue',
  other: 'other reason',
  'never-record-rule': 'this type of call is never recorded under the organisation’s policy',
};

/** Outcomes after which the call is notes only (nothing may be recorded). */
export const isNotesOnly = (outcome: Outcome | undefined): boolean => forbidsRecording(outcome);

/** The consent outcome as a sentence, e.g. "The customer declined recording — notes only." */
export function describeConsent(call: Pick<CallRecord, 'outcome' | 'reason'>): string {
  switch (call.outcome) {
    case 'agreed':
      return 'The customer agreed to recording.';
    case 'declined':
      return 'The customer declined recording — notes only.';
    case 'withdrawn':
      return 'The customer withdrew consent during the call — recording stopped, notes only.';
    case 'not-recorded':
      return call.reason ? `Not recorded (${notRecordedReasonLabels[call.reason]}) — notes only.` : 'Not recorded — notes only.';
    case undefined:
      return 'No consent decision was recorded.';
  }
}

/** One decision of the call's consent history, oldest first; a change names the decision it supersedes. */
export interface ConsentStep {
  eventId: string;
  at: number;
  outcome: Outcome;
  reason: NotRecordingReason | null;
  category: CallCategory | null;
  /** Where the rep chose: the prompt in the call page, or the toolbar popup. */
  via: 'prompt' | 'toolbar' | null;
  /** null for the first decision. */
  change: DecisionChangeKind | null;
  /** The decision event this one supersedes, and its outcome (null for the first decision). */
  supersedes: string | null;
  previous: Outcome | null;
}

const oneOf = <T extends string>(list: readonly T[], value: unknown): T | null => ((list as readonly unknown[]).includes(value) ? (value as T) : null);

/** The call's decisions as a history, oldest first (ties: by event id); events of other types are skipped. */
export function consentHistory(bundle: Pick<CallBundle, 'decisions'>): ConsentStep[] {
  return (bundle.decisions ?? [])
    .filter((e) => e.type === 'decision' && oneOf(outcomes, e.data.outcome) !== null)
    .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((e) => ({
      eventId: e.id,
      at: e.at,
      outcome: e.data.outcome as Outcome,
      reason: oneOf(notRecordingReasons, e.data.reason),
      category: oneOf(callCategories, e.data.category),
      via: oneOf(['prompt', 'toolbar'] as const, e.data.via),
      change: recordedChange(e.data),
      supersedes: typeof e.data.supersedes === 'string' ? e.data.supersedes : null,
      previous: oneOf(outcomes, e.data.previous),
    }));
}

/** Why a decision changed, in plain words (lower case: used inside a sentence). */
export const decisionChangeLabels: Record<DecisionChangeKind, string> = {
  'agreed-after-decline': 'the customer agreed after declining',
  'asked-again': 'asked after first not recording',
  'rule-undone': 'the call type was corrected',
  withdrawn: 'the customer withdrew consent',
  'late-joiner-declined': 'someone who joined later declined',
};

const outcomeWords: Record<Outcome, string> = { agreed: 'agreed', declined: 'declined', 'not-recorded': 'not recorded', withdrawn: 'withdrawn' };

/** One step as words: "declined", "agreed (the customer agreed after declining)". */
export function describeStep(step: ConsentStep): string {
  const reason = step.outcome === 'not-recorded' && step.reason ? `: ${notRecordedReasonLabels[step.reason]}` : '';
  return `${outcomeWords[step.outcome]}${reason}${step.change ? ` (${decisionChangeLabels[step.change]})` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// The call's name

/** The name the call is shown under: the rep's own, else the platform's meeting title (null: none). */
export function callName(call: Pick<CallRecord, 'title' | 'platformTitle'>): string | null {
  return oneLine(call.title) || oneLine(call.platformTitle) || null;
}

/** Why the rep dismissed a checklist, in plain words. */
export const dismissReasonLabels: Record<ChecklistDismissReason, string> = {
  'no-crm-record': 'no CRM record for this call',
  'internal-call': 'internal call',
  other: 'other reason',
};

/** A dismissed checklist's reason as words: the rep's own words for "other". */
export function describeDismissal(checklist: ChecklistRecord | undefined): string | null {
  const d = checklist?.dismissal;
  if (!d) return null;
  const text = oneLine(d.text);
  return d.reason === 'other' && text ? text : text ? `${dismissReasonLabels[d.reason]}: ${text}` : dismissReasonLabels[d.reason];
}

// ---------------------------------------------------------------------------------------------
// Tags

const knownTagPhrases: Record<string, string> = {
  'next-step': 'next step',
  'decision-maker': 'decision maker',
};

/** The tag id as lower-case words for running text ("next-step" → "next step"). */
export function tagPhrase(tag: string): string {
  const known = knownTagPhrases[tag];
  if (known) return known;
  // Only joins between letters read as spaces ("next-step" → "next step"): "-2+3" stays as typed.
  return oneLine(tag.replace(/(?<=\p{L})[-_]+(?=\p{L})/gu, ' ')) || 'tag';
}

/** The tag as a label ("objection" → "Objection", "next-step" → "Next step"). */
export function tagLabel(tag: string): string {
  const phrase = tagPhrase(tag);
  return phrase.charAt(0).toUpperCase() + phrase.slice(1);
}

/** Tags in call order (offset, then creation time, then id: a stable order for equal offsets). */
export function sortedTags(tags: readonly TagRecord[]): TagRecord[] {
  return [...tags].sort((a, b) => a.offsetMs - b.offsetMs || a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// Checklist

/** The CRM-hygiene sections, in the order reps are asked for them, with their English headings. */
export const checklistSections = crmSectionFields.map((key) => ({ key, label: english(checklistKeys[key]) }));

/** What AI does not understand: the rep's human interpretation layer. */
export const humanInterpretationFields = interpretationFields.map((key) => ({ key, label: english(checklistKeys[key]) }));

/** Next steps with at least one non-empty part. */
export function filledNextSteps(steps: readonly NextStep[] | undefined): NextStep[] {
  return (steps ?? []).filter((s) => oneLine(s.text) || oneLine(s.owner) || oneLine(s.due));
}

/** The parts of a next step after its text: ["owner: X", "due: YYYY-MM-DD"], empty parts left out. */
export function nextStepDetails(step: NextStep): string[] {
  const details: string[] = [];
  const owner = oneLine(step.owner);
  const due = oneLine(step.due);
  if (owner) details.push(`owner: ${owner}`);
  if (due) details.push(`due: ${due}`);
  return details;
}

/** "text — owner: X, due: YYYY-MM-DD" (empty parts left out), on one line. */
export function formatNextStep(step: NextStep): string {
  const text = oneLine(step.text) || '(no description)';
  const details = nextStepDetails(step);
  return details.length ? `${text} — ${details.join(', ')}` : text;
}

// ---------------------------------------------------------------------------------------------
// AI draft

export const statementReviews = ['confirmed', 'wrong', 'not-reviewed'] as const;
export type StatementReview = (typeof statementReviews)[number];

export function statementReview(mark: StatementMark | undefined): StatementReview {
  return mark === 'correct' ? 'confirmed' : mark === 'wrong' ? 'wrong' : 'not-reviewed';
}

export const statementReviewLabels: Record<StatementReview, string> = {
  confirmed: '✓ confirmed by rep',
  wrong: '✗ marked wrong by rep',
  'not-reviewed': 'not reviewed',
};

export interface AiStatement {
  id: string;
  text: string;
  review: StatementReview;
}

/** The draft's statements with text, in the draft's order (empty statements are dropped). */
export function aiStatements(draft: AiDraftRecord | undefined): AiStatement[] {
  if (!draft) return [];
  return draft.statements
    .map((s) => ({ id: s.id, text: oneLine(s.text), review: statementReview(s.mark) }))
    .filter((s) => s.text !== '');
}

/** True when the bundle carries an AI draft with at least one statement. */
export function hasAiContent(bundle: CallBundle): boolean {
  return aiStatements(bundle.aiDraft).length > 0;
}

export function aiSourceLabel(draft: AiDraftRecord | undefined): string {
  return oneLine(draft?.source) || 'unknown source';
}

/** "AI-generated, partly reviewed by the rep: 1 confirmed, 1 marked wrong, 1 not reviewed." */
export function describeAiReview(statements: readonly AiStatement[]): string {
  const count = (r: StatementReview) => statements.filter((s) => s.review === r).length;
  const confirmed = count('confirmed');
  const wrong = count('wrong');
  const open = count('not-reviewed');
  if (confirmed + wrong === 0) return `AI-generated, not reviewed by the rep (${open} ${open === 1 ? 'statement' : 'statements'}).`;
  const parts = [`${confirmed} confirmed`, `${wrong} marked wrong`];
  if (open > 0) parts.push(`${open} not reviewed`);
  return `AI-generated, ${open > 0 ? 'partly reviewed' : 'reviewed'} by the rep: ${parts.join(', ')}.`;
}
