import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { CallBundle } from '../../lib/export/call-bundle';
import { crmNote, escapeMarkdown } from '../../lib/export/crm-note';
import type { AiDraftRecord, CallRecord, ChecklistFields, ChecklistRecord } from '../../lib/model';

const T0 = Date.UTC(2025, 2, 14, 14, 2, 0); // 15:02 in Berlin (CET, before the DST switch)
const MIN = 60_000;

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
    meetingHash: 'hash',
    status: 'ended',
    tabIds: [],
    detectedAt: T0 - MIN,
    admittedAt: T0,
    endedAt: T0 + 45 * MIN,
    endReason: 'left',
    outcome: 'agreed',
    decidedAt: T0 + 30_000,
    detectedBy: ['meet-participant-tiles'],
    updatedAt: T0 + 45 * MIN,
    ...over,
  };
}

function checklist(over: Partial<ChecklistFields> = {}, status: ChecklistRecord['status'] = 'done'): ChecklistRecord {
  return { callId: 'c1', status, fields: fields(over), pendingSince: T0 + 45 * MIN, completedAt: T0 + 60 * MIN, updatedAt: T0 + 60 * MIN };
}

function draft(statements: AiDraftRecord['statements'], source = 'Otter.ai'): AiDraftRecord {
  return { callId: 'c1', source, statements, createdAt: T0 + 50 * MIN, updatedAt: T0 + 55 * MIN };
}

/** A realistic discovery call: the sample shown in the closing note. */
const sample: CallBundle = {
  call: call(),
  tags: [
    { id: 't3', callId: 'c1', tag: 'risk', offsetMs: 1_812_000, text: 'Legal review could take 6 weeks', at: T0 + 1_812_000 },
    { id: 't1', callId: 'c1', tag: 'objection', offsetMs: 725_000, text: 'Price is 20% above their current tool', at: T0 + 725_000 },
    { id: 't2', callId: 'c1', tag: 'next-step', offsetMs: 940_000, at: T0 + 940_000 },
  ],
  checklist: checklist({
    qualification: 'Budget approved for Q3 (about €40k).\nChampion: Priya Nair, VP Operations.',
    nextSteps: [
      { text: 'Send security questionnaire', owner: 'Dana', due: '2025-03-21' },
      { text: 'Pilot kickoff with the ops team', owner: 'Priya (customer)', due: '2025-03-28' },
    ],
    timeline: 'Decision by end of April; pilot in May.',
    risks: 'Legal review could delay signature.',
    competition: 'Also evaluating Gong; they liked our consent flow.',
    humanNuance: '',
    powerDynamics: 'CFO has final say; Priya defers to him on pricing.',
    hesitation: 'Long pause when I mentioned annual billing.',
    emotion: '   ',
    urgency: 'Wants it live before the May hiring wave.',
    subtleObjections: 'Asked twice whether reps can opt out.',
  }),
  note: { callId: 'c1', text: 'Follow up on the SSO question — they use Okta.', author: 'rep', createdAt: T0 + 46 * MIN, updatedAt: T0 + 50 * MIN },
  aiDraft: draft([
    { id: 's1', text: 'Customer wants a pilot in May.', mark: 'correct' },
    { id: 's2', text: 'Budget is $100k.', mark: 'wrong' },
    { id: 's3', text: 'The team uses Okta for SSO.' },
  ]),
};

const SAMPLE_TEXT = `Call note — Google Meet
When: 2025-03-14 15:02–15:47 Europe/Berlin (45 min)
Consent: The customer agreed to recording.
Source: written by the rep, except the AI draft at the end, which is marked as AI.

Qualification details — written by the rep
Budget approved for Q3 (about €40k).
Champion: Priya Nair, VP Operations.

Next steps — written by the rep
• Send security questionnaire — owner: Dana, due: 2025-03-21
• Pilot kickoff with the ops team — owner: Priya (customer), due: 2025-03-28

Timeline clarity — written by the rep
Decision by end of April; pilot in May.

Risks — written by the rep
Legal review could delay signature.

Competitive dynamics — written by the rep
Also evaluating Gong; they liked our consent flow.

Human interpretation — written by the rep
Power dynamics: CFO has final say; Priya defers to him on pricing.
Hesitation: Long pause when I mentioned annual billing.
Urgency: Wants it live before the May hiring wave.
Subtle objections: Asked twice whether reps can opt out.

Tagged moments — tagged live by the rep
• 12:05 Objection — Price is 20% above their current tool
• 15:40 Next step
• 30:12 Risk — Legal review could take 6 weeks

Rep notes — written by the rep
Follow up on the SSO question — they use Okta.

────────────────────────────────────────
AI draft (unverified — from Otter.ai)
AI-generated, partly reviewed by the rep: 1 confirmed, 1 marked wrong, 1 not reviewed. Not the rep's record: check before relying on it.
• ✓ confirmed by rep: Customer wants a pilot in May.
• not reviewed: The team uses Okta for SSO.
Marked wrong by rep (do not use as fact):
• ✗ marked wrong by rep: Budget is $100k.
`;

const SAMPLE_MARKDOWN = `## Call note — Google Meet

- **When:** 2025-03-14 15:02–15:47 Europe/Berlin (45 min)
- **Consent:** The customer agreed to recording.
- **Source:** written by the rep, except the AI draft at the end, which is marked as AI.

## Qualification details — written by the rep

Budget approved for Q3 (about €40k).${'  '}
Champion: Priya Nair, VP Operations.

## Next steps — written by the rep

- Send security questionnaire — owner: Dana, due: 2025-03-21
- Pilot kickoff with the ops team — owner: Priya (customer), due: 2025-03-28

## Timeline clarity — written by the rep

Decision by end of April; pilot in May.

## Risks — written by the rep

Legal review could delay signature.

## Competitive dynamics — written by the rep

Also evaluating Gong; they liked our consent flow.

## Human interpretation — written by the rep

- **Power dynamics:** CFO has final say; Priya defers to him on pricing.
- **Hesitation:** Long pause when I mentioned annual billing.
- **Urgency:** Wants it live before the May hiring wave.
- **Subtle objections:** Asked twice whether reps can opt out.

## Tagged moments — tagged live by the rep

- 12:05 Objection — Price is 20% above their current tool
- 15:40 Next step
- 30:12 Risk — Legal review could take 6 weeks

## Rep notes — written by the rep

Follow up on the SSO question — they use Okta.

---

## AI draft (unverified — from Otter.ai)

_AI-generated, partly reviewed by the rep: 1 confirmed, 1 marked wrong, 1 not reviewed. Not the rep's record: check before relying on it._

- ✓ confirmed by rep: Customer wants a pilot in May.
- not reviewed: The team uses Okta for SSO.

### Marked wrong by rep (do not use as fact)

- ✗ marked wrong by rep: Budget is $100k.
`;

const text = (b: CallBundle, timeZone = 'Europe/Berlin') => crmNote(b, { format: 'text', timeZone });
const markdown = (b: CallBundle, timeZone = 'Europe/Berlin') => crmNote(b, { format: 'markdown', timeZone });

afterEach(() => {
  vi.useRealTimers();
});

describe('crmNote: the sample call', () => {
  it('renders the expected plain-text note', () => {
    expect(text(sample)).toBe(SAMPLE_TEXT);
  });

  it('renders the expected Markdown note', () => {
    expect(markdown(sample)).toBe(SAMPLE_MARKDOWN);
  });

  it('uses no Markdown syntax in plain text', () => {
    for (const line of text(sample).split('\n')) {
      expect(line).not.toMatch(/^(#|[-*+>] |\d+[.)] |---|===|```)/);
      expect(line).not.toMatch(/\*\*|__|`|\[.*\]\(/);
    }
  });

  it('is deterministic: same input, same output, whatever the clock says', () => {
    const first = text(sample);
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2031-07-01T00:00:00Z'));
    expect(text(sample)).toBe(first);
    expect(markdown(sample)).toBe(SAMPLE_MARKDOWN);
  });

  it('does not depend on the order tags were stored in', () => {
    expect(text({ ...sample, tags: [...sample.tags].reverse() })).toBe(SAMPLE_TEXT);
  });
});

describe('crmNote: when', () => {
  const when = (b: CallBundle, opts: { timeZone?: string; locale?: string } = {}) =>
    crmNote(b, { format: 'text', ...opts })
      .split('\n')
      .find((l) => l.startsWith('When: '));

  it('defaults to UTC, never the machine zone', () => {
    expect(when(sample)).toBe('When: 2025-03-14 14:02–14:47 UTC (45 min)');
  });

  it('falls back to UTC for an unknown zone', () => {
    expect(when(sample, { timeZone: 'Mars/Olympus_Mons' })).toBe('When: 2025-03-14 14:02–14:47 UTC (45 min)');
  });

  it('shows both dates across midnight, hours for long calls, and open or lobby-only calls', () => {
    const late = Date.UTC(2025, 2, 14, 23, 30);
    expect(when({ call: call({ admittedAt: late, endedAt: late + 45 * MIN }), tags: [] })).toBe('When: 2025-03-14 23:30 – 2025-03-15 00:15 UTC (45 min)');
    expect(when({ call: call({ endedAt: T0 + 65 * MIN }), tags: [] })).toBe('When: 2025-03-14 14:02–15:07 UTC (1 h 05 min)');
    expect(when({ call: call({ status: 'active', endedAt: undefined }), tags: [] })).toBe('When: 2025-03-14 14:02 UTC (still in progress)');
    expect(when({ call: call({ admittedAt: undefined, endedAt: T0 + 5 * MIN }), tags: [] })).toBe('When: 2025-03-14 14:01–14:07 UTC (not admitted to the call)');
  });

  it('uses the locale for the date when one is given', () => {
    const line = when(sample, { timeZone: 'Europe/Berlin', locale: 'en-US' });
    expect(line).toContain('Mar 14, 2025');
    expect(line).toContain('Europe/Berlin (45 min)');
  });
});

describe('crmNote: consent', () => {
  const consent = (over: Partial<CallRecord>) =>
    text({ call: call(over), tags: [] })
      .split('\n')
      .find((l) => l.startsWith('Consent: '));

  it('says "notes only" when the customer declined, withdrew, or the call was not recorded', () => {
    expect(consent({ outcome: 'declined' })).toBe('Consent: The customer declined recording — notes only.');
    expect(consent({ outcome: 'withdrawn' })).toBe('Consent: The customer withdrew consent during the call — recording stopped, notes only.');
    expect(consent({ outcome: 'not-recorded', reason: 'internal-call' })).toBe('Consent: Not recorded (internal call) — notes only.');
    expect(consent({ outcome: 'not-recorded', reason: 'declined-before-call' })).toBe(
      'Consent: Not recorded (the customer asked before the call not to record) — notes only.',
    );
    expect(consent({ outcome: 'not-recorded' })).toBe('Consent: Not recorded — notes only.');
    expect(consent({ outcome: undefined })).toBe('Consent: No consent decision was recorded.');
  });

  it('renders a declined call as a notes-only note', () => {
    const declined: CallBundle = {
      call: call({ platform: 'zoom', outcome: 'declined' }),
      tags: [],
      checklist: checklist({ nextSteps: [{ text: 'Send the deck', owner: 'me', due: '2025-03-17' }] }),
      note: { callId: 'c1', text: 'Customer preferred no recording; took notes by hand.', author: 'rep', createdAt: T0, updatedAt: T0 },
    };
    expect(text(declined, 'UTC')).toBe(`Call note — Zoom (web client)
When: 2025-03-14 14:02–14:47 UTC (45 min)
Consent: The customer declined recording — notes only.
Source: written by the rep.

Next steps — written by the rep
• Send the deck — owner: me, due: 2025-03-17

Rep notes — written by the rep
Customer preferred no recording; took notes by hand.
`);
  });

  it('warns when a notes-only call carries an AI draft', () => {
    const note = text({ call: call({ outcome: 'declined' }), tags: [], aiDraft: draft([{ id: 's', text: 'Something.' }]) });
    expect(note).toContain('Warning: this call was notes only (no consent to record). Check where this AI draft came from before sharing it.');
    expect(note.indexOf('Warning:')).toBeGreaterThan(note.indexOf('AI draft (unverified'));
  });
});

describe('crmNote: sections', () => {
  it('omits empty checklist fields, blank next steps and an empty interpretation block', () => {
    const b: CallBundle = {
      call: call(),
      tags: [],
      checklist: checklist({
        qualification: '  \n\nBudget holder identified.\n\n\n\nNeeds CFO sign-off.  \n\n',
        nextSteps: [{ text: ' ', owner: '', due: '' }],
        timeline: '   ',
        risks: '\n\n',
        powerDynamics: '\t',
      }),
      note: { callId: 'c1', text: '   ', author: 'rep', createdAt: T0, updatedAt: T0 },
    };
    expect(text(b, 'UTC')).toBe(`Call note — Google Meet
When: 2025-03-14 14:02–14:47 UTC (45 min)
Consent: The customer agreed to recording.
Source: written by the rep.

Qualification details — written by the rep
Budget holder identified.

Needs CFO sign-off.
`);
  });

  it('says so when the rep has written nothing, and flags an unfinished checklist', () => {
    expect(text({ call: call(), tags: [], checklist: checklist({}, 'pending') }, 'UTC')).toBe(`Call note — Google Meet
When: 2025-03-14 14:02–14:47 UTC (45 min)
Consent: The customer agreed to recording.
Checklist: not finished yet (pending).
Source: written by the rep.

Rep notes — written by the rep
The rep has not written anything for this call yet.
`);
  });

  it('formats partial next steps and multi-line interpretation fields', () => {
    const b: CallBundle = {
      call: call(),
      tags: [{ id: 't', callId: 'c1', tag: 'decision_maker', offsetMs: 3_725_000, at: T0 }],
      checklist: checklist({
        nextSteps: [
          { text: 'Intro to legal', owner: '', due: '2025-04-01' },
          { text: 'Share pricing', owner: 'Dana', due: '' },
          { text: '', owner: 'Sam', due: '' },
        ],
        emotion: 'Relieved at the end.\nBut tense about legal.',
      }),
    };
    expect(text(b, 'UTC')).toBe(`Call note — Google Meet
When: 2025-03-14 14:02–14:47 UTC (45 min)
Consent: The customer agreed to recording.
Source: written by the rep.

Next steps — written by the rep
• Intro to legal — due: 2025-04-01
• Share pricing — owner: Dana
• (no description) — owner: Sam

Human interpretation — written by the rep
Emotion: Relieved at the end.
  But tense about legal.

Tagged moments — tagged live by the rep
• 1:02:05 Decision maker
`);
    expect(markdown(b, 'UTC')).toContain('- **Emotion:** Relieved at the end.  \n  But tense about legal.\n');
  });

  it('has no AI section, and says so in the header, without an AI draft (or with an empty one)', () => {
    for (const aiDraft of [undefined, draft([]), draft([{ id: 's', text: '  ' }])]) {
      const note = text({ ...sample, aiDraft });
      expect(note).not.toContain('AI draft');
      expect(note).not.toContain('AI-generated');
      expect(note).toContain('Source: written by the rep.\n');
    }
  });
});

describe('crmNote: AI content stays in the AI section', () => {
  const aiHeading = 'AI draft (unverified — from ';

  it('lists wrong statements under their own heading, flagged, never as fact', () => {
    for (const note of [text(sample), markdown(sample)]) {
      const wrongHeading = note.indexOf('Marked wrong by rep (do not use as fact)');
      expect(wrongHeading).toBeGreaterThan(note.indexOf(aiHeading));
      const lines = note.split('\n').filter((l) => l.includes('Budget is $100k.'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^[•-] ✗ marked wrong by rep: Budget is \$100k\.$/);
      expect(note.indexOf('Budget is $100k.')).toBeGreaterThan(wrongHeading);
    }
  });

  it('shows AI text only after the AI heading, whatever the rep and the AI wrote (property)', () => {
    const repText = fc.string({ maxLength: 60 }).filter((s) => !s.includes('AIMARK') && !s.includes('AI draft'));
    const bundle = fc.record({
      qualification: repText,
      risks: repText,
      hesitation: repText,
      note: repText,
      tagText: repText,
      stepText: repText,
      statements: fc.array(
        fc.record({ text: fc.string({ maxLength: 40 }), mark: fc.constantFrom(undefined, 'correct' as const, 'wrong' as const) }),
        { minLength: 1, maxLength: 6 },
      ),
      source: fc.string({ maxLength: 20 }).filter((s) => !s.includes('AIMARK')),
    });
    fc.assert(
      fc.property(bundle, fc.constantFrom('text' as const, 'markdown' as const), (b, format) => {
        const input: CallBundle = {
          call: call(),
          tags: [{ id: 't', callId: 'c1', tag: 'objection', offsetMs: 1000, text: b.tagText, at: T0 }],
          checklist: checklist({
            qualification: b.qualification,
            risks: b.risks,
            hesitation: b.hesitation,
            nextSteps: [{ text: b.stepText, owner: 'Dana', due: '2025-04-01' }],
          }),
          note: { callId: 'c1', text: b.note, author: 'rep', createdAt: T0, updatedAt: T0 },
          aiDraft: draft(
            b.statements.map((s, i) => ({ id: `s${i}`, text: `AIMARK${i} ${s.text}`, mark: s.mark })),
            b.source,
          ),
        };
        const note = crmNote(input, { format });
        const start = note.indexOf(aiHeading);
        expect(start).toBeGreaterThan(0);
        expect(note.indexOf(aiHeading, start + 1)).toBe(-1);
        expect(note.indexOf('AIMARK')).toBeGreaterThan(start);
        // Every statement is listed with its mark.
        const marked = note.split('\n').filter((l) => l.includes('AIMARK'));
        expect(marked).toHaveLength(b.statements.length);
        for (const line of marked) expect(line).toMatch(/^[•-] (✓ confirmed by rep|✗ marked wrong by rep|not reviewed): AIMARK\d/);
      }),
      { numRuns: 200 },
    );
  });
});

describe('crmNote: Markdown escaping', () => {
  it('escapes user text that would change the structure', () => {
    const note = [
      '# Not a heading',
      '* not a bullet',
      '- not a dash item',
      '+ plus',
      '> not a quote',
      '1. not a list',
      '2) nor this',
      '```code```',
      '| a | b |',
      '[click](https://evil.example) ![img](x)',
      'snake_case and *stars* and ~~strike~~',
      '<script>alert(1)</script> &amp; AT&T',
      '    indented code?',
      '===',
      'back\\slash',
    ].join('\n');
    const md = markdown({ call: call(), tags: [], note: { callId: 'c1', text: note, author: 'rep', createdAt: T0, updatedAt: T0 } });
    const body = md.slice(md.indexOf('## Rep notes — written by the rep\n\n') + '## Rep notes — written by the rep\n\n'.length);
    expect(body).toBe(
      [
        '\\# Not a heading  ',
        '\\* not a bullet  ',
        '\\- not a dash item  ',
        '\\+ plus  ',
        '\\> not a quote  ',
        '1\\. not a list  ',
        '2\\) nor this  ',
        '\\`\\`\\`code\\`\\`\\`  ',
        '\\| a \\| b \\|  ',
        '\\[click\\](https://evil.example) !\\[img\\](x)  ',
        'snake\\_case and \\*stars\\* and \\~\\~strike\\~\\~  ',
        '\\<script\\>alert(1)\\</script\\> \\&amp; AT&T  ',
        'indented code?  ',
        '\\===  ',
        'back\\\\slash',
        '',
      ].join('\n'),
    );
  });

  it('escapes user text inside bullets, labels and headings', () => {
    const md = markdown({
      call: call(),
      tags: [{ id: 't', callId: 'c1', tag: 'objection', offsetMs: 5_000, text: '# not | a heading', at: T0 }],
      checklist: checklist({ nextSteps: [{ text: '- nested?', owner: '[Dana](x)', due: '2025-04-01' }], urgency: '> quote\n## heading' }),
      aiDraft: draft([{ id: 's', text: '1. *bold* claim', mark: 'wrong' }], 'Otter_ai [beta]'),
    }, 'America/New_York');
    expect(md).toContain('- **When:** 2025-03-14 10:02–10:47 America/New\\_York (45 min)\n');
    expect(md).toContain('\n- \\- nested? — owner: \\[Dana\\](x), due: 2025-04-01\n');
    expect(md).toContain('\n- **Urgency:** \\> quote  \n  \\## heading\n');
    expect(md).toContain('\n- 00:05 Objection — # not \\| a heading\n');
    expect(md).toContain('\n## AI draft (unverified — from Otter\\_ai \\[beta\\])\n');
    expect(md).toContain('\n- ✗ marked wrong by rep: 1. \\*bold\\* claim\n');
    // Plain text keeps the rep's characters as typed.
    const plain = text({
      call: call(),
      tags: [],
      checklist: checklist({ urgency: '> quote\n## heading' }),
    });
    expect(plain).toContain('Urgency: > quote\n  ## heading\n');
  });

  it('escapeMarkdown only adds line-start escapes at a line start', () => {
    expect(escapeMarkdown('- a_b', false)).toBe('- a\\_b');
    expect(escapeMarkdown('- a_b')).toBe('\\- a\\_b');
    expect(escapeMarkdown('10. x')).toBe('10\\. x');
    expect(escapeMarkdown('10.5 x')).toBe('10.5 x');
    expect(escapeMarkdown('3)')).toBe('3\\)');
    expect(escapeMarkdown('plain words')).toBe('plain words');
  });
});
