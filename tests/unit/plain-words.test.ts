import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { english } from '../../lib/i18n/english';
import { says, spoken } from '../../lib/i18n/says';
import type { Translate } from '../../lib/i18n/translate';
import { noteSave, requestSchema } from '../../lib/protocol/requests';
import { resolvePolicy } from '../../lib/policy/resolve';
import { fieldProblem, policyFieldKeys, policyIssueWords } from '../../lib/policy/words';
import { policyFields } from '../../lib/policy/schema';
import { describeZodError, explainZodError, peopleMessages } from '../../lib/util/zod-error';

/*
 * Issue 20, item 8: what a person reads is a sentence in their language; field paths, zod's own
 * words and ids go to the technical detail ("Details"). Pure parts: `says`, the zod error in
 * words, and the policy's problems in words.
 */

/** A translator that marks its language, to tell which sentences went through it. */
const pseudo: Translate = (key, ...subs) => `«${english(key, ...subs)}»`;

describe('says: a message for people, stored where only a string fits', () => {
  it('is translated when shown, with its substitutions, and a label substitution translated too', () => {
    expect(spoken(says('error_note_too_long', '20,000', '20,001'), english)).toMatch(/20,000 characters.*20,001/);
    const withLabel = says('error_checklist_field_too_long', { key: 'checklist_qualification' });
    expect(spoken(withLabel, english)).toContain(english('checklist_qualification'));
  });

  it('any other text (zod’s own messages, a broken reference) is not a sentence for people', () => {
    expect(spoken('Invalid input: expected string, received number', english)).toBeNull();
    expect(spoken('candor-says:not json', english)).toBeNull();
    expect(spoken('candor-says:[5]', english)).toBeNull();
  });
});

describe('a zod error in words', () => {
  it('a note too long: the person reads the limit and the count in their language; the path stays in the detail', () => {
    const parsed = noteSave.safeParse({ type: 'note/save', callId: crypto.randomUUID(), text: 'x'.repeat(20_001) });
    expect(parsed.success).toBe(false);
    const { sentence, detail } = explainZodError(parsed.error!, pseudo);
    expect(sentence).toMatch(/^«Notes are limited to 20,000 characters; this one has 20,001\..*»$/);
    expect(sentence).not.toContain('text:');
    expect(detail).toMatch(/^text: Notes are limited/);
  });

  it('a fault of the sender (a callId that is no UUID, an unknown type) has no sentence: only technical detail', () => {
    for (const msg of [{ type: 'note/save', callId: 'nope', text: 'hi' }, { type: 'call/teleport' }, null, 'note/save']) {
      const parsed = requestSchema.safeParse(msg);
      expect(parsed.success).toBe(false);
      const { sentence, detail } = explainZodError(parsed.error!, pseudo);
      expect(sentence).toBeNull();
      expect(detail.length).toBeGreaterThan(5);
    }
  });

  it('says each problem once, at most five, whatever the number of issues', () => {
    const steps = Array.from({ length: 8 }, () => ({ text: '', owner: '', due: 'soon' }));
    const schema = z.array(z.strictObject({ text: z.string().min(1, says('error_step_text')), owner: z.string().min(1, says('error_step_owner')), due: z.iso.date({ error: says('error_step_due') }) }));
    const parsed = schema.safeParse(steps);
    expect(peopleMessages(parsed.error!).length).toBeLessThanOrEqual(3);
    expect(describeZodError(parsed.error!).split('; ')).toHaveLength(5);
  });
});

describe('the policy’s problems in words', () => {
  it('every policy field has a name people read (none falls back to its JSON name)', () => {
    expect(Object.keys(policyFieldKeys).sort()).toEqual(Object.keys(policyFields).sort());
    for (const key of Object.values(policyFieldKeys)) expect(english(key)).not.toBe(key);
  });

  it('a role without a name, from the organisation: its setting by name, the problem, the path in the detail', () => {
    const resolved = resolvePolicy({ roles: [{ role: ' ', canView: [], purposes: [], approvesPerformanceUse: false }] }, undefined);
    expect(resolved.issues).toHaveLength(1);
    const { sentence, detail } = policyIssueWords(resolved.issues[0]!, english);
    expect(sentence).toContain(english('policy_field_roles'));
    expect(sentence).toContain(english('error_role_name_empty'));
    expect(sentence).not.toMatch(/roles[.:]|\b0\.role/);
    expect(detail).toMatch(/^roles: 0\.role: /);
  });

  it('unknown fields, an unusable schemaVersion and a policy that is no object are sentences too', () => {
    const issues = [
      ...resolvePolicy({ recordEverything: true }, undefined).issues,
      ...resolvePolicy(undefined, { schemaVersion: 99 }).issues,
      ...resolvePolicy('ask-consent', undefined).issues,
    ];
    expect(issues.map((i) => i.kind)).toEqual(['unknown', 'version', 'not-object']);
    for (const issue of issues) {
      const { sentence, detail } = policyIssueWords(issue, pseudo);
      expect(sentence).toMatch(/^«/);
      expect(sentence).not.toMatch(/recordEverything|schemaVersion|\(policy\)/);
      expect(detail).toContain(issue.field);
    }
  });

  it('a value only zod could describe (a number for a text) gets a general sentence, not zod’s words', () => {
    const parsed = policyFields.purposeStatement.safeParse(42);
    const sentence = fieldProblem('purposeStatement', peopleMessages(parsed.error!), english);
    expect(sentence).toBe(english('policy_field_problem', english('options_purpose_statement'), english('policy_value_invalid')));
    expect(sentence).not.toMatch(/expected|received/i);
  });
});
