/**
 * The CRM note a rep pastes into Salesforce or HubSpot after a call, as plain text or Markdown.
 *
 * Layout: a header (platform, when, consent in plain words), the rep's checklist sections in the
 * order reps are asked for them, the human-interpretation block, tagged moments, the rep's notes,
 * and, last and visibly separated, the AI draft. Every section heading says who wrote it; AI
 * statements never appear outside the AI section, and statements the rep marked wrong are listed
 * under their own heading, never as fact. Empty fields are left out.
 *
 * Pure and deterministic: the same bundle and options always give the same string.
 */
import {
  aiSourceLabel,
  aiStatements,
  callName,
  checklistSections,
  consentHistory,
  describeDismissal,
  describeStep,
  cleanBlock,
  describeAiReview,
  describeConsent,
  describePlatform,
  describeWhen,
  filledNextSteps,
  humanInterpretationFields,
  isNotesOnly,
  nextStepDetails,
  oneLine,
  sortedTags,
  statementReviewLabels,
  tagLabel,
  type AiStatement,
  type CallBundle,
  formatOffset,
} from './call-bundle';

export type CrmNoteFormat = 'text' | 'markdown';

export interface CrmNoteOptions {
  format: CrmNoteFormat;
  /** IANA zone for the call's date and times; defaults to UTC (never the machine's zone). */
  timeZone?: string;
  /** BCP 47 locale for the date; without it dates are ISO-style (YYYY-MM-DD HH:MM). */
  locale?: string;
}

export const REP_PROVENANCE = 'written by the rep';
export const TAG_PROVENANCE = 'tagged live by the rep';
export const MARKED_WRONG_HEADING = 'Marked wrong by rep (do not use as fact)';

/** Plain-text separator before the AI section (box-drawing, not Markdown syntax). */
const PLAIN_RULE = '─'.repeat(40);

// ---------------------------------------------------------------------------------------------
// A tiny document model, rendered to both formats so they always carry the same content.

/** Our own wording (a string) or text the rep/AI typed ({ user }), escaped in Markdown. */
type Inline = string | { user: string };

type Block =
  /** The rep's multi-line text, line breaks kept. */
  | { kind: 'text'; text: string }
  /** One line of our wording, possibly embedding user text. */
  | { kind: 'line'; parts: Inline[]; emphasis?: boolean }
  /** Bullets, one line each. */
  | { kind: 'list'; items: Inline[][] }
  /** "Label: text" bullets whose text may span lines. */
  | { kind: 'fields'; items: { label: string; text: string }[] }
  /** A heading inside a section. */
  | { kind: 'subheading'; text: string };

interface Section {
  heading: Inline[];
  blocks: Block[];
  /** Set on the AI section: a visible rule sets it apart from the rep's record. */
  separated?: boolean;
}

interface NoteDoc {
  title: Inline[];
  header: { label: string; value: Inline[] }[];
  sections: Section[];
}

function repHeading(label: string, provenance = REP_PROVENANCE): Inline[] {
  return [`${label} — ${provenance}`];
}

function buildDoc(bundle: CallBundle, opts: CrmNoteOptions): NoteDoc {
  const { call, checklist, note, aiDraft } = bundle;
  const statements = aiStatements(aiDraft);
  const hasAi = statements.length > 0;

  const name = callName(call);
  const account = oneLine(call.account);
  const header: NoteDoc['header'] = [];
  // A named call says its platform in the header (the title line carries the name).
  if (name) header.push({ label: 'Platform', value: [describePlatform(call)] });
  if (account) header.push({ label: 'Account', value: [{ user: account }] });
  header.push(
    { label: 'When', value: [{ user: describeWhen(call, { timeZone: opts.timeZone, locale: opts.locale }) }] },
    { label: 'Consent', value: [describeConsent(call)] },
  );
  // The final decision above; when it changed, every decision in order (nothing was edited).
  const history = consentHistory(bundle);
  if (history.length > 1) header.push({ label: 'Consent history', value: [history.map(describeStep).join(' → ') + '.'] });
  if (checklist?.status === 'pending') header.push({ label: 'Checklist', value: ['not finished yet (pending).'] });
  if (checklist?.status === 'dismissed') header.push({ label: 'Checklist', value: ['dismissed by the rep (', { user: describeDismissal(checklist) ?? '' }, ').'] });
  header.push({
    label: 'Source',
    value: [hasAi ? 'written by the rep, except the AI draft at the end, which is marked as AI.' : 'written by the rep.'],
  });

  const sections: Section[] = [];
  const fields = checklist?.fields;
  if (fields) {
    for (const { key, label } of checklistSections) {
      if (key === 'nextSteps') {
        const steps = filledNextSteps(fields.nextSteps);
        if (steps.length === 0) continue;
        sections.push({
          heading: repHeading(label),
          blocks: [
            {
              kind: 'list',
              items: steps.map((s) => {
                const details = nextStepDetails(s);
                const text: Inline = { user: oneLine(s.text) || '(no description)' };
                return details.length ? [text, ' — ', { user: details.join(', ') }] : [text];
              }),
            },
          ],
        });
        continue;
      }
      const text = cleanBlock(fields[key]);
      if (text) sections.push({ heading: repHeading(label), blocks: [{ kind: 'text', text }] });
    }
    const interpretation = humanInterpretationFields
      .map(({ key, label }) => ({ label, text: cleanBlock(fields[key]) }))
      .filter((f) => f.text !== '');
    if (interpretation.length) sections.push({ heading: repHeading('Human interpretation'), blocks: [{ kind: 'fields', items: interpretation }] });
  }

  const tags = sortedTags(bundle.tags);
  if (tags.length) {
    sections.push({
      heading: repHeading('Tagged moments', TAG_PROVENANCE),
      blocks: [
        {
          kind: 'list',
          items: tags.map((t) => {
            const text = oneLine(t.text);
            const head = `${formatOffset(t.offsetMs)} ${tagLabel(t.tag)}`;
            return text ? [{ user: head }, ' — ', { user: text }] : [{ user: head }];
          }),
        },
      ],
    });
  }

  const noteText = cleanBlock(note?.text);
  if (noteText) sections.push({ heading: repHeading('Rep notes'), blocks: [{ kind: 'text', text: noteText }] });

  if (sections.length === 0) {
    sections.push({ heading: repHeading('Rep notes'), blocks: [{ kind: 'line', parts: ['The rep has not written anything for this call yet.'] }] });
  }

  if (hasAi) sections.push(aiSection(bundle, statements));

  return { title: ['Call note — ', { user: name ?? describePlatform(call) }], header, sections };
}

function aiSection(bundle: CallBundle, statements: AiStatement[]): Section {
  const item = (s: AiStatement): Inline[] => [`${statementReviewLabels[s.review]}: `, { user: s.text }];
  const kept = statements.filter((s) => s.review !== 'wrong');
  const wrong = statements.filter((s) => s.review === 'wrong');
  const blocks: Block[] = [
    { kind: 'line', parts: [`${describeAiReview(statements)} Not the rep's record: check before relying on it.`], emphasis: true },
  ];
  if (isNotesOnly(bundle.call.outcome)) {
    blocks.push({
      kind: 'line',
      parts: ['Warning: this call was notes only (no consent to record). Check where this AI draft came from before sharing it.'],
      emphasis: true,
    });
  }
  if (kept.length) blocks.push({ kind: 'list', items: kept.map(item) });
  if (wrong.length) blocks.push({ kind: 'subheading', text: MARKED_WRONG_HEADING }, { kind: 'list', items: wrong.map(item) });
  return {
    heading: ['AI draft (unverified — from ', { user: aiSourceLabel(bundle.aiDraft) }, ')'],
    blocks,
    separated: true,
  };
}

// ---------------------------------------------------------------------------------------------
// Plain text: no Markdown syntax ("•" bullets, headings as plain lines).

function plainInline(parts: Inline[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : p.user)).join('');
}

/** Continuation lines indented under a bullet or field label; blank lines stay empty. */
function indentContinuation(text: string, indent: string): string {
  return text
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : indent + line))
    .join('\n');
}

function renderPlain(doc: NoteDoc): string {
  const out: string[] = [plainInline(doc.title)];
  for (const h of doc.header) out.push(`${h.label}: ${plainInline(h.value)}`);
  for (const section of doc.sections) {
    out.push('');
    if (section.separated) out.push(PLAIN_RULE);
    out.push(plainInline(section.heading));
    for (const block of section.blocks) {
      switch (block.kind) {
        case 'text':
          out.push(block.text);
          break;
        case 'line':
          out.push(plainInline(block.parts));
          break;
        case 'list':
          for (const item of block.items) out.push(`• ${plainInline(item)}`);
          break;
        case 'fields':
          for (const f of block.items) out.push(`${f.label}: ${indentContinuation(f.text, '  ')}`);
          break;
        case 'subheading':
          out.push(`${block.text}:`);
          break;
      }
    }
  }
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Markdown

/**
 * Escapes user text so it cannot change the note's structure: backslash, backticks (code),
 * `*` `_` `~` (emphasis, strike), `[` `]` (links), `|` (tables), `<` `>` (HTML, autolinks,
 * quotes) and `&` before an entity name. With `atLineStart`, also a leading `#` (heading),
 * `-` `+` (list, thematic break), `=` (setext underline) or "1. " / "1) " (ordered list); leading spaces are
 * dropped so text never turns into an indented code block.
 */
export function escapeMarkdown(text: string, atLineStart = true): string {
  let s = text.replace(/[\\`*_[\]|<>~]/g, '\\$&').replace(/&(?=#?[a-z0-9]+;)/gi, '\\&');
  if (!atLineStart) return s;
  s = s.replace(/^[ \t]+/, '');
  if (/^[#=+-]/.test(s)) return `\\${s}`;
  return s.replace(/^(\d{1,9})([.)])(?=[ \t]|$)/, '$1\\$2');
}

function mdInline(parts: Inline[]): string {
  return parts.map((p, i) => (typeof p === 'string' ? p : escapeMarkdown(p.user, i === 0))).join('');
}

/**
 * Multi-line user text as Markdown: each line escaped as a line start, line breaks kept as hard
 * breaks (two trailing spaces), blank lines kept as paragraph breaks. `indent` prefixes every
 * line after the first (continuation inside a list item).
 */
function mdBlockText(text: string, indent = ''): string {
  const lines = text.split('\n').map((l) => escapeMarkdown(l, true));
  return lines
    .map((line, i) => {
      const next = lines[i + 1];
      const hardBreak = line !== '' && next !== undefined && next !== '' ? '  ' : '';
      const prefix = i === 0 || line === '' ? '' : indent;
      return prefix + line + hardBreak;
    })
    .join('\n');
}

function renderMarkdown(doc: NoteDoc): string {
  const blocks: string[] = [`## ${mdInline(doc.title)}`];
  blocks.push(doc.header.map((h) => `- **${h.label}:** ${mdInline(h.value)}`).join('\n'));
  for (const section of doc.sections) {
    if (section.separated) blocks.push('---');
    blocks.push(`## ${mdInline(section.heading)}`);
    for (const block of section.blocks) {
      switch (block.kind) {
        case 'text':
          blocks.push(mdBlockText(block.text));
          break;
        case 'line': {
          const line = mdInline(block.parts);
          blocks.push(block.emphasis ? `_${line}_` : line);
          break;
        }
        case 'list':
          blocks.push(block.items.map((item) => `- ${mdInline(item)}`).join('\n'));
          break;
        case 'fields':
          blocks.push(block.items.map((f) => `- **${f.label}:** ${mdBlockText(f.text, '  ')}`).join('\n'));
          break;
        case 'subheading':
          blocks.push(`### ${block.text}`);
          break;
      }
    }
  }
  return blocks.join('\n\n') + '\n';
}

/** The call as a CRM note the rep can paste, in plain text or Markdown. */
export function crmNote(bundle: CallBundle, opts: CrmNoteOptions): string {
  const doc = buildDoc(bundle, opts);
  return opts.format === 'markdown' ? renderMarkdown(doc) : renderPlain(doc);
}
