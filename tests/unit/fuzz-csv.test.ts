// @vitest-environment node
// (The background runs in a service worker, without a DOM; node is also faster for these fuzz runs.)
/**
 * Fuzzing the CSV writer (toCsv, and callsCsv built on it) against a small, strict, independent
 * RFC 4180 reader written here.
 *
 * For any unicode text (graphemes, any code point incl. lone surrogates, the CSV specials), numbers
 * (incl. -0, NaN, ±Infinity), booleans, null and undefined:
 * - the file starts with a BOM unless `{ bom: false }`;
 * - every record (the last one too) ends with CRLF, and no CR or LF appears outside quotes;
 * - reading the file back gives the cells, except the documented formula guard: text starting with
 *   = + - @ (after leading spaces, tabs and line breaks), or with TAB or CR, gets one leading
 *   apostrophe; numbers are never prefixed; null/undefined/non-finite numbers are empty;
 * - every field is quoted;
 * - read the way a spreadsheet reads it, with a comma, a semicolon or a tab as the list separator,
 *   no cell starts a formula.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { CallBundle } from '../../lib/export/call-bundle';
import { CALLS_CSV_COLUMNS, callsCsv, toCsv, type CsvCell } from '../../lib/export/csv';
import { readCsv as readAny, spreadsheetCells } from './support/csv-reader';
import { auditReportCsv } from '../../lib/audit/csv';
import { buildAuditReport } from '../../lib/audit/report';
import { auditDataArb, fullInput, periodArb } from './support/audit-data';
import type { CallRecord, ChecklistFields, TagRecord } from '../../lib/model';

/** Strict: every record ends with CRLF, the last one included; an empty line is an error. */
const readCsv = (body: string) => readAny(body, { finalCrlf: 'required' });

/** The documented guard, restated independently: whitespace, then one of = + - @; or a leading TAB or CR. */
const looksLikeFormula = (text: string) => /^[ \t\r\n]*[=+\-@]|^[\t\r]/.test(text);

function expectedCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return looksLikeFormula(value) ? `'${value}` : value;
}

const specials = fc.string({
  unit: fc.constantFrom(',', '"', '\r', '\n', '\r\n', ' ', '\t', '=', '+', '-', '@', "'", 'a', '\u00a0', '\u2028', '\ufeff', '\u0000', '😀', 'ש', '\u0301'),
  maxLength: 12,
});
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  specials,
  fc.string({ unit: 'grapheme-composite', maxLength: 8 }),
);
const cell: fc.Arbitrary<CsvCell> = fc.oneof(
  { weight: 6, arbitrary: text },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constantFrom(-0, Number.NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE, -1e-7) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined) },
);
const table = fc.integer({ min: 1, max: 5 }).chain((width) =>
  fc.record({
    header: fc.array(text, { minLength: width, maxLength: width }),
    rows: fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 8 }),
    bom: fc.option(fc.boolean(), { nil: undefined }),
  }),
);

describe('the reader used as the oracle', () => {
  it('is strict: it rejects what RFC 4180 does not allow', () => {
    expect(() => readCsv('a"b\r\n')).toThrow(/quote/);
    expect(() => readCsv('"a"x\r\n')).toThrow(/bare/);
    expect(() => readCsv('"open\r\n')).toThrow(/unterminated/);
    expect(() => readCsv('a\nb\r\n')).toThrow(/bare/);
    expect(() => readCsv('a\rb\r\n')).toThrow(/bare/);
    expect(() => readCsv('a,b')).toThrow(/CRLF/);
    expect(() => readCsv('a\r\n\r\nb\r\n')).toThrow(/empty line/);
    expect(readCsv('a,"b,""c""\r\n"\r\n"",x\r\n')).toEqual([
      [{ text: 'a', quoted: false }, { text: 'b,"c"\r\n', quoted: true }],
      [{ text: '', quoted: true }, { text: 'x', quoted: false }],
    ]);
  });
});

describe('toCsv (property)', () => {
  it('reads back cell for cell (apostrophe only on formula-looking text), CRLF after every record, no bare CR/LF', () => {
    fc.assert(
      fc.property(table, ({ header, rows, bom }) => {
        const csv = toCsv(header, rows, bom === undefined ? {} : { bom });
        const withBom = bom ?? true;
        expect(csv.startsWith('\uFEFF')).toBe(withBom);
        const body = withBom ? csv.slice(1) : csv;
        expect(body.endsWith('\r\n')).toBe(true);

        const records = readCsv(body);
        expect(records).toHaveLength(rows.length + 1);
        const inputs: readonly (readonly CsvCell[])[] = [header, ...rows];
        records.forEach((record, r) => {
          expect(record.map((f) => f.text)).toEqual(inputs[r]!.map(expectedCell));
          record.forEach((f, c) => {
            // Every field is quoted: its separator-like characters never split it, whatever the locale.
            expect(f.quoted, JSON.stringify(f.text)).toBe(true);
            // Whatever text was written, a spreadsheet never sees a formula (numbers stay numbers, -5 included).
            if (typeof inputs[r]![c] !== 'number') expect(looksLikeFormula(f.text), JSON.stringify(f.text)).toBe(false);
          });
        });
      }),
      { numRuns: 200 },
    );
  });

  it('a text cell and the number it spells are written differently only by the guard ("-5" vs -5)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: -1 }), (n) => {
        const [, row] = readCsv(toCsv(['n', 's'], [[n, String(n)]], { bom: false }));
        expect(row!.map((f) => f.text)).toEqual([String(n), `'${n}`]);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses rows whose width differs from the header, whatever the cells', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 4 }), fc.array(cell, { maxLength: 6 }), (header, row) => {
        fc.pre(row.length !== header.length);
        expect(() => toCsv(header, [row])).toThrow(RangeError);
      }),
      { numRuns: 50 },
    );
  });
});

// ---- callsCsv on arbitrary rep text ---------------------------------------------------------------

const richText = fc.oneof(text, fc.array(text, { maxLength: 4 }).map((parts) => parts.join('\n')));
const fields: fc.Arbitrary<ChecklistFields> = fc.record({
  qualification: richText, nextSteps: fc.array(fc.record({ text: richText, owner: text, due: fc.constantFrom('2025-05-09', '', '=1+1') }), { maxLength: 2 }),
  timeline: richText, risks: richText, competition: richText, humanNuance: richText, powerDynamics: richText, hesitation: richText,
  emotion: richText, urgency: richText, subtleObjections: richText,
});
const bundle: fc.Arbitrary<CallBundle> = fc.record({
  id: fc.oneof(fc.uuid(), text.filter((t) => t.length > 0)),
  outcome: fc.constantFrom(undefined, 'agreed', 'declined', 'not-recorded', 'withdrawn'),
  tags: fc.array(fc.record({ tag: fc.oneof(fc.constantFrom('objection', 'next-step', '=cmd'), text.filter((t) => t.length > 0)), text: fc.option(richText, { nil: undefined }), offsetMs: fc.nat(10_000_000) }), { maxLength: 3 }),
  checklist: fc.option(fields, { nil: undefined }),
  note: fc.option(richText, { nil: undefined }),
  statements: fc.option(fc.array(fc.record({ text: richText, mark: fc.constantFrom(undefined, 'correct' as const, 'wrong' as const) }), { maxLength: 3 }), { nil: undefined }),
}).map((b) => {
  const T = Date.UTC(2025, 4, 6, 15);
  const call: CallRecord = {
    id: b.id, platform: 'meet', meetingHash: 'a'.repeat(64), status: 'ended', tabIds: [], detectedAt: T, admittedAt: T, endedAt: T + 3_600_000,
    endReason: 'left', detectedBy: [], updatedAt: T, ...(b.outcome ? { outcome: b.outcome, ...(b.outcome === 'not-recorded' ? { reason: 'other' as const } : {}) } : {}),
  };
  const tags: TagRecord[] = b.tags.map((t, i) => ({ id: `t${i}`, callId: b.id, tag: t.tag, offsetMs: t.offsetMs, at: T + t.offsetMs, ...(t.text !== undefined ? { text: t.text } : {}) }));
  return {
    call, tags,
    ...(b.checklist ? { checklist: { callId: b.id, status: 'done' as const, fields: b.checklist, pendingSince: T, updatedAt: T } } : {}),
    ...(b.note !== undefined ? { note: { callId: b.id, text: b.note, author: 'rep' as const, createdAt: T, updatedAt: T } } : {}),
    ...(b.statements ? { aiDraft: { callId: b.id, source: 'Otter', statements: b.statements.map((s, i) => ({ id: `s${i + 1}`, text: s.text, ...(s.mark ? { mark: s.mark } : {}) })), createdAt: T, updatedAt: T } } : {}),
  };
});

describe('callsCsv (property)', () => {
  it('is valid RFC 4180 with one 24-column row per call, ids intact, and no cell a spreadsheet would run', () => {
    fc.assert(
      fc.property(fc.array(bundle, { maxLength: 4 }), (bundles) => {
        const records = readCsv(callsCsv(bundles, { bom: false }));
        expect(records.map((r) => r.length)).toEqual([CALLS_CSV_COLUMNS.length, ...bundles.map(() => CALLS_CSV_COLUMNS.length)]);
        expect(records[0]!.map((f) => f.text)).toEqual([...CALLS_CSV_COLUMNS]);
        bundles.forEach((b, i) => {
          const row = records[i + 1]!.map((f) => f.text);
          expect(row[0]).toBe(expectedCell(b.call.id));
          expect(row[CALLS_CSV_COLUMNS.indexOf('consent_outcome')]).toBe(b.call.outcome ?? 'pending');
          for (const c of row) expect(looksLikeFormula(c), JSON.stringify(c)).toBe(false);
          // Rep text is normalised to LF line breaks: no CR survives inside a cell.
          const notes = row[CALLS_CSV_COLUMNS.indexOf('rep_notes')]!;
          expect(notes).not.toMatch(/\r/);
          if (b.note && /[^\s\u0000-\u001f\u007f]/u.test(b.note.text)) expect(notes.length).toBeGreaterThan(0);
        });
      }),
      { numRuns: 100 },
    );
  });
});

// ---- as a spreadsheet reads it, whatever its list separator -------------------------------------

/** A cell a spreadsheet would evaluate: a formula start (numbers such as -5 are values, not formulas). */
const evaluated = (cell: string) => /^[ \t\r\n]*[=+\-@]/.test(cell) && !/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(cell.trim());
const SEPARATORS = [',', ';', '\t'] as const;

describe('every CSV export, read with a comma, a semicolon or a tab as the separator', () => {
  // Candor's exports hold no negative numbers (counts, durations, rates): a number, unlike text, is
  // never prefixed, and "-5" first in a row would run into the next cells under a foreign separator.
  const nonNegative = (row: readonly CsvCell[]) => row.map((c) => (typeof c === 'number' ? Math.abs(c) : c));
  it.each(SEPARATORS.map((sep) => [JSON.stringify(sep), sep] as const))('toCsv: no cell a spreadsheet would evaluate (separator %s)', (_, sep) => {
    fc.assert(
      fc.property(table, ({ header, rows }) => {
        for (const cell of spreadsheetCells(toCsv(header, rows.map(nonNegative)), sep)) expect(evaluated(cell), JSON.stringify(cell)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it.each(SEPARATORS.map((sep) => [JSON.stringify(sep), sep] as const))('callsCsv: no cell a spreadsheet would evaluate (separator %s)', (_, sep) => {
    fc.assert(
      fc.property(fc.array(bundle, { maxLength: 3 }), (bundles) => {
        for (const cell of spreadsheetCells(callsCsv(bundles), sep)) expect(evaluated(cell), JSON.stringify(cell)).toBe(false);
      }),
      { numRuns: 80 },
    );
  });

  it.each(SEPARATORS.map((sep) => [JSON.stringify(sep), sep] as const))('the audit report CSV: no cell a spreadsheet would evaluate (separator %s)', (_, sep) => {
    fc.assert(
      fc.property(auditDataArb, periodArb, (data, period) => {
        const report = buildAuditReport(fullInput(data, period, period.to));
        for (const cell of spreadsheetCells(auditReportCsv(report), sep)) expect(evaluated(cell), JSON.stringify(cell)).toBe(false);
      }),
      { numRuns: 30 },
    );
  });

  it('the concern text "ok;=1+2" stays one cell under ";" (it was split into "=1+2")', () => {
    const cells = spreadsheetCells(toCsv(['text'], [['ok;=1+2']]), ';');
    expect(cells).toEqual(['text', 'ok;=1+2']);
  });
});
