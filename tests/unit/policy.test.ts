import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../lib/policy/defaults';
import { promptTexts, resolvePolicy, type ResolvedPolicy } from '../../lib/policy/resolve';
import { policyFields, policySchema, type Policy, type PolicyField } from '../../lib/policy/schema';

const fields = Object.keys(policyFields) as PolicyField[];

function sourcesOtherThan(resolved: ResolvedPolicy, except: PolicyField[]) {
  return fields.filter((f) => !except.includes(f)).map((f) => resolved.sources[f]);
}

describe('defaultPolicy', () => {
  it('is itself a valid policy', () => {
    expect(policySchema.safeParse(defaultPolicy).success).toBe(true);
  });
});

describe('resolvePolicy', () => {
  it('gives the defaults, all from "default", with no issues when nothing is set', () => {
    for (const [managed, local] of [[undefined, undefined], [null, null], [{}, {}]] as const) {
      const resolved = resolvePolicy(managed, local);
      expect(resolved.policy).toEqual(defaultPolicy);
      expect(new Set(Object.values(resolved.sources))).toEqual(new Set(['default']));
      expect(Object.keys(resolved.sources).sort()).toEqual([...fields].sort());
      expect(resolved.issues).toEqual([]);
    }
  });

  it('does not share (or let callers mutate) the defaults object', () => {
    const resolved = resolvePolicy(undefined, undefined);
    resolved.policy.purposeStatement = 'changed';
    expect(resolvePolicy(undefined, undefined).policy.purposeStatement).not.toBe('changed');
  });

  it('takes managed over local over default, field by field, and says where each came from', () => {
    const resolved = resolvePolicy(
      { purposeStatement: 'Managed purpose', jurisdictionMode: 'one-party' },
      { purposeStatement: 'Local purpose', policyVersion: 'local-7', language: 'de' },
    );
    expect(resolved.policy.purposeStatement).toBe('Managed purpose');
    expect(resolved.policy.jurisdictionMode).toBe('one-party');
    expect(resolved.policy.policyVersion).toBe('local-7');
    expect(resolved.policy.language).toBe('de');
    expect(resolved.policy.consentScript).toEqual(defaultPolicy.consentScript);
    expect(resolved.sources.purposeStatement).toBe('managed');
    expect(resolved.sources.jurisdictionMode).toBe('managed');
    expect(resolved.sources.policyVersion).toBe('local');
    expect(resolved.sources.language).toBe('local');
    expect(new Set(sourcesOtherThan(resolved, ['purposeStatement', 'jurisdictionMode', 'policyVersion', 'language']))).toEqual(
      new Set(['default']),
    );
    expect(resolved.issues).toEqual([]);
  });

  it('a bad managed field falls back to the local value for that field only, and is reported', () => {
    const resolved = resolvePolicy(
      { purposeStatement: '   ', jurisdictionMode: 'one-party' },
      { purposeStatement: 'Local purpose' },
    );
    expect(resolved.policy.purposeStatement).toBe('Local purpose');
    expect(resolved.sources.purposeStatement).toBe('local');
    // The good managed field next to it still applies.
    expect(resolved.policy.jurisdictionMode).toBe('one-party');
    expect(resolved.sources.jurisdictionMode).toBe('managed');
    expect(resolved.issues).toEqual([{ source: 'managed', field: 'purposeStatement', kind: 'invalid', message: expect.stringMatching(/empty/i), says: [expect.stringContaining('error_policy_empty')] }]);
  });

  it('a bad managed field with no local value falls back to the default, and is reported readably', () => {
    const resolved = resolvePolicy({ language: 'klingon', notetakerNames: 'Otter', policyVersion: 'org-3' }, undefined);
    expect(resolved.policy.language).toBe(defaultPolicy.language);
    expect(resolved.sources.language).toBe('default');
    expect(resolved.policy.notetakerNames).toEqual(defaultPolicy.notetakerNames);
    expect(resolved.sources.notetakerNames).toBe('default');
    expect(resolved.policy.policyVersion).toBe('org-3');

    const byField = new Map(resolved.issues.map((i) => [i.field, i]));
    expect([...byField.keys()].sort()).toEqual(['language', 'notetakerNames']);
    for (const issue of resolved.issues) {
      expect(issue.source).toBe('managed');
      expect(issue.message.length).toBeGreaterThan(5);
      expect(issue.message).not.toMatch(/\[object|undefined|ZodError/);
    }
    // The language message names what is allowed; the list message says what was wrong.
    expect(byField.get('language')?.message).toMatch(/"auto"/);
    expect(byField.get('notetakerNames')?.message).toMatch(/array/i);
  });

  it('a bad local field falls back to the default and is reported as local', () => {
    const resolved = resolvePolicy(undefined, { defaultCategory: 'dinner', purposeStatement: 'x'.repeat(501) });
    expect(resolved.policy.defaultCategory).toBe(defaultPolicy.defaultCategory);
    expect(resolved.policy.purposeStatement).toBe(defaultPolicy.purposeStatement);
    expect(resolved.issues.map((i) => [i.source, i.field]).sort()).toEqual([
      ['local', 'defaultCategory'],
      ['local', 'purposeStatement'],
    ]);
    expect(resolved.issues.find((i) => i.field === 'purposeStatement')?.message).toMatch(/500 characters/);
  });

  it('a partial recordingStandards object is rejected as a whole (consent cannot be half switched off)', () => {
    const resolved = resolvePolicy({ recordingStandards: { customer: 'never-record' } }, undefined);
    expect(resolved.policy.recordingStandards).toEqual(defaultPolicy.recordingStandards);
    expect(resolved.sources.recordingStandards).toBe('default');
    expect(resolved.issues.map((i) => i.field)).toEqual(['recordingStandards']);
  });

  it('reports unknown fields and ignores them', () => {
    const resolved = resolvePolicy({ recordEverything: true }, { theme: 'dark', policyVersion: 'v9' });
    expect(resolved.policy).toEqual({ ...defaultPolicy, policyVersion: 'v9' });
    expect(resolved.issues).toEqual([
      { source: 'managed', field: 'recordEverything', kind: 'unknown', message: expect.stringMatching(/not a Candor policy field/), says: [] },
      { source: 'local', field: 'theme', kind: 'unknown', message: expect.stringMatching(/not a Candor policy field/), says: [] },
    ]);
  });

  it.each([['a string', 'ask-consent'], ['a number', 42], ['an array', [{ language: 'de' }]], ['true', true]])(
    'reports a policy that is %s instead of an object, and uses the defaults',
    (_, bad) => {
      const managed = resolvePolicy(bad, undefined);
      expect(managed.policy).toEqual(defaultPolicy);
      expect(managed.issues).toEqual([{ source: 'managed', field: '(policy)', kind: 'not-object', message: expect.stringMatching(/object/), says: [] }]);
      const local = resolvePolicy(undefined, bad);
      expect(local.issues).toEqual([{ source: 'local', field: '(policy)', kind: 'not-object', message: expect.stringMatching(/object/), says: [] }]);
    },
  );

  it('rejects a consentScript without an English text', () => {
    const resolved = resolvePolicy({ consentScript: { de: 'Darf ich aufnehmen?', es: '¿Puedo grabar?' } }, undefined);
    expect(resolved.policy.consentScript).toEqual(defaultPolicy.consentScript);
    expect(resolved.sources.consentScript).toBe('default');
    expect(resolved.issues).toEqual([{ source: 'managed', field: 'consentScript', kind: 'invalid', message: expect.stringMatching(/English/), says: [expect.stringContaining('error_policy_needs_english')] }]);
  });

  it('accepts a consentScript with English, trims texts, and rejects empty translations', () => {
    const ok = resolvePolicy({ consentScript: { en: '  May I record?  ', fr: 'Puis-je enregistrer ?' } }, undefined);
    expect(ok.policy.consentScript).toEqual({ en: 'May I record?', fr: 'Puis-je enregistrer ?' });
    expect(ok.sources.consentScript).toBe('managed');
    const empty = resolvePolicy({ consentScript: { en: 'May I record?', de: ' ' } }, undefined);
    expect(empty.sources.consentScript).toBe('default');
    expect(empty.issues[0]?.message).toMatch(/de/);
  });
});

describe('promptTexts', () => {
  const withScripts = (overrides: Partial<Policy>): Policy => ({ ...defaultPolicy, ...overrides });

  it('uses the browser language when the policy has it', () => {
    const t = promptTexts(defaultPolicy, 'de-DE');
    expect(t.language).toBe('de');
    expect(t.consentScript).toBe(defaultPolicy.consentScript.de);
    expect(t.declineLine).toBe(defaultPolicy.declineLine.de);
    expect(t.purposeStatement).toBe(defaultPolicy.purposeStatement);
    expect(promptTexts(defaultPolicy, 'FR').language).toBe('fr');
    expect(promptTexts(defaultPolicy, 'es-419').consentScript).toBe(defaultPolicy.consentScript.es);
  });

  it.each(['it-IT', 'pt-BR', 'ja', ''])('falls back to English for the browser language %j', (lang) => {
    const t = promptTexts(defaultPolicy, lang);
    expect(t.language).toBe('en');
    expect(t.consentScript).toBe(defaultPolicy.consentScript.en);
    expect(t.declineLine).toBe(defaultPolicy.declineLine.en);
  });

  it('honours a forced language over the browser language', () => {
    const t = promptTexts(withScripts({ language: 'fr' }), 'de-DE');
    expect(t.language).toBe('fr');
    expect(t.consentScript).toBe(defaultPolicy.consentScript.fr);
    expect(t.declineLine).toBe(defaultPolicy.declineLine.fr);
  });

  it('falls back to English when the forced language has no script', () => {
    const policy = withScripts({ language: 'es', consentScript: { en: 'May I record?' }, declineLine: { en: 'Fine.' } });
    expect(promptTexts(policy, 'de-DE')).toEqual({
      language: 'en',
      purposeStatement: defaultPolicy.purposeStatement,
      consentScript: 'May I record?',
      declineLine: 'Fine.',
    });
  });

  it('reports a language that matches both texts it returns (the prompt sets lang= from it)', () => {
    // A valid policy: German consent script, decline line only in English. The consent prompt puts
    // `lang={texts.language}` on both the script and the decline line, so an English fallback
    // decline line reported as "de" is announced by screen readers with a German voice.
    const policy = resolvePolicy({ consentScript: { en: 'May I record?', de: 'Darf ich aufnehmen?' }, declineLine: { en: 'Fine.' } }, undefined).policy;
    const t = promptTexts(policy, 'de-DE');
    expect(t.consentScript).toBe(policy.consentScript[t.language]);
    expect(t.declineLine, `declineLine is ${JSON.stringify(t.declineLine)} but language is "${t.language}"`).toBe(policy.declineLine[t.language]);
  });
});
