// @vitest-environment node
// (The background runs in a service worker, without a DOM; node is also faster for these fuzz runs.)
/**
 * Fuzzing resolvePolicy (managed > local > default, field by field).
 *
 * Whatever the organisation's managed storage or the options page holds — arbitrary JSON, or objects
 * mixing valid and invalid values field by field, unknown and prototype-pollution keys — the result:
 * - never throws and always passes `policySchema`;
 * - never switches consent off: every call category has one of the three rules, there is an English
 *   consent script, a jurisdiction mode;
 * - takes each valid managed field, else the valid local one, else the default, and says so in `sources`;
 * - reports every invalid or unknown field in `issues`, with its source and field name, readably.
 *
 * Valid values come from hand-written arbitraries (already trimmed, so parsing must not change them);
 * invalid values are hand-picked per field, each one wrong for a reason a person would name.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../lib/policy/defaults';
import { resolvePolicy, type ResolvedPolicy } from '../../lib/policy/resolve';
import { policyFields, policySchema, type PolicyField } from '../../lib/policy/schema';
import { callCategories, checklistFieldNames, dataViews, languages, recordingRules, retentionKinds } from '../../lib/model';

const RUNS = 200;

// ---- building blocks --------------------------------------------------------------------------------

/** Trimmed, non-empty text of at most `max` UTF-16 units, any code points inside; sometimes exactly `max`. */
const text = (max: number) =>
  fc.oneof(
    { weight: 5, arbitrary: fc.string({ unit: 'binary', maxLength: Math.min(20, max - 2) }).map((s) => `v${s}v`).filter((s) => s.length <= max && s.trim() === s) },
    { weight: 1, arbitrary: fc.constant('m'.repeat(max)) },
  );
const notString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}), fc.array(fc.string(), { minLength: 1, maxLength: 2 }));
const notObject = fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 2 }));
const badText = (max: number) => fc.oneof(notString, fc.constantFrom('', '   ', '\n\t', 'x'.repeat(max + 1), ` ${'y'.repeat(max + 1)} `));
const badInt = (min: number, max: number) => fc.oneof(fc.constantFrom(min - 1, max + 1, min + 0.5, -1, String(min), null, true, [min], {}), fc.integer({ max: min - 1 }), fc.integer({ min: max + 1 }));

const perLanguage = (max: number) =>
  fc.record({ en: text(max), es: text(max), de: text(max), fr: text(max) }, { requiredKeys: ['en'] });
const badPerLanguage = (max: number) =>
  fc.oneof(
    notObject,
    fc.constantFrom<unknown>(
      {}, { es: 'hola' }, { de: 'Hallo', fr: 'Salut' }, { en: '' }, { en: '   ' }, { en: 5 }, { en: null }, { en: ['May I?'] },
      { en: 'May I record?', de: ' ' }, { en: 'x'.repeat(max + 1) }, { en: 'May I record?', es: 'y'.repeat(max + 1) },
    ),
  );

const allCategories = <T>(value: fc.Arbitrary<T>) => fc.record(Object.fromEntries(callCategories.map((c) => [c, value])) as Record<(typeof callCategories)[number], fc.Arbitrary<T>>);
const validStandards = allCategories(fc.constantFrom(...recordingRules));
const badStandards = fc.oneof(
  notObject,
  fc.constant({}),
  // one category missing: consent cannot be half switched off
  fc.tuple(validStandards, fc.constantFrom(...callCategories)).map(([v, drop]) => { const o: Record<string, unknown> = { ...v }; delete o[drop]; return o; }),
  // one category with a rule that does not exist
  fc.tuple(validStandards, fc.constantFrom(...callCategories), fc.constantFrom<unknown>('off', 'record', 'never', '', null, 0, false, 'ASK-CONSENT')).map(([v, c, rule]) => ({ ...v, [c]: rule })),
  // an extra category
  validStandards.map((v) => ({ ...v, sales: 'never-record' })),
);

const retention = fc.record(Object.fromEntries(retentionKinds.map((k) => [k, fc.integer({ min: 1, max: 3650 })])) as Record<(typeof retentionKinds)[number], fc.Arbitrary<number>>);
const badRetention = fc.oneof(
  notObject,
  fc.constant({}),
  fc.tuple(retention, fc.constantFrom(...retentionKinds)).map(([v, drop]) => { const o: Record<string, unknown> = { ...v }; delete o[drop]; return o; }),
  fc.tuple(retention, fc.constantFrom(...retentionKinds), fc.constantFrom<unknown>(0, 3651, 1.5, -30, '365', null)).map(([v, k, days]) => ({ ...v, [k]: days })),
  retention.map((v) => ({ ...v, recordings: 30 })),
);

const role = fc.record({
  role: text(40),
  canView: fc.subarray([...dataViews]),
  purposes: fc.subarray(['coaching', 'performance'] as const),
  approvesPerformanceUse: fc.boolean(),
});
const badRoles = fc.oneof(
  notObject.filter((v) => !Array.isArray(v) || v.length === 0),
  fc.constant([]),
  fc.constant([{ role: 'rep' }]),
  role.map((r) => [{ ...r, extra: true }]),
  role.map((r) => [{ ...r, role: '  ' }]),
  role.map((r) => [{ ...r, canView: ['everything'] }]),
  role.map((r) => [{ ...r, purposes: ['scoring'] }]),
  role.map((r) => [{ ...r, approvesPerformanceUse: 'yes' }]),
  role.map((r) => Array.from({ length: 21 }, () => r)),
);

const signal = fc.record(
  { id: fc.stringMatching(/^[a-z0-9-]{3,20}$/), selector: fc.constantFrom('div', '[data-x="1"]', 'button[aria-label="Leave"]'), text: fc.string({ maxLength: 20 }), attribute: fc.constantFrom('aria-label', 'title') },
  { requiredKeys: ['id', 'selector'] },
);
const phases = ['lobby', 'inCall', 'left', 'recording', 'participants'] as const;
const platformOverrides = fc.record(Object.fromEntries(phases.map((p) => [p, fc.array(signal, { maxLength: 2 })])) as Record<(typeof phases)[number], fc.Arbitrary<unknown[]>>, { requiredKeys: [] });
const selectorOverrides = fc.record({ meet: platformOverrides, zoom: platformOverrides, teams: platformOverrides }, { requiredKeys: [] });
const badSelectorOverrides = fc.oneof(
  notObject,
  fc.constantFrom<unknown>(
    { webex: {} }, { meet: null }, { meet: 'div' }, { meet: { unknownPhase: [] } },
    { meet: { lobby: [{ id: 'BAD ID', selector: 'div' }] } }, { zoom: { inCall: [{ id: 'abc', selector: '' }] } },
    { teams: { left: [{ id: 'abc', selector: 'div', extra: 1 }] } },
    { meet: { lobby: Array.from({ length: 21 }, (_, i) => ({ id: `sig-${i}`, selector: 'div' })) } },
  ),
);

interface FieldGen {
  valid: fc.Arbitrary<unknown>;
  invalid: fc.Arbitrary<unknown>;
}

const GEN = {
  policyVersion: { valid: text(64), invalid: badText(64) },
  purposeStatement: { valid: text(500), invalid: badText(500) },
  consentScript: { valid: perLanguage(600), invalid: badPerLanguage(600) },
  declineLine: { valid: perLanguage(300), invalid: badPerLanguage(300) },
  language: { valid: fc.constantFrom('auto', ...languages), invalid: fc.constantFrom<unknown>('klingon', 'EN', 'en-US', '', 5, null, ['en'], {}) },
  jurisdictionMode: { valid: fc.constantFrom('all-party', 'one-party'), invalid: fc.constantFrom<unknown>('none', 'ALL-PARTY', 'two-party', '', 0, null, true) },
  recordingStandards: { valid: validStandards, invalid: badStandards },
  defaultCategory: { valid: fc.constantFrom(...callCategories, null), invalid: fc.constantFrom<unknown>('sales', '', 'HR-PEOPLE', 0, {}, [], true) },
  notetakerNames: {
    valid: fc.oneof(fc.array(text(60), { maxLength: 5 }), fc.constant(Array.from({ length: 200 }, (_, i) => `Bot ${i}`))),
    invalid: fc.oneof(fc.constantFrom<unknown>('Otter', 5, null, {}, [''], ['  '], [5], [null], ['x'.repeat(61)]), fc.constant(Array.from({ length: 201 }, (_, i) => `Bot ${i}`))),
  },
  tags: {
    valid: fc.array(text(40), { minLength: 1, maxLength: 12 }),
    invalid: fc.constantFrom<unknown>([], 'objection', [''], [' '], [null], {}, null, Array.from({ length: 13 }, (_, i) => `tag ${i}`), ['x'.repeat(41)]),
  },
  checklistRequired: {
    valid: fc.subarray([...checklistFieldNames]),
    invalid: fc.constantFrom<unknown>(['notAField'], 'qualification', null, {}, [5], Array.from({ length: 12 }, () => 'risks'), ['Qualification']),
  },
  checklistCategories: {
    valid: fc.subarray([...callCategories]),
    invalid: fc.constantFrom<unknown>(['sales'], 'customer', null, {}, [5], Array.from({ length: 7 }, () => 'customer'), ['Customer']),
  },
  decisionChangeMinutes: { valid: fc.integer({ min: 0, max: 7 * 24 * 60 }), invalid: badInt(0, 7 * 24 * 60) },
  retentionDays: { valid: retention, invalid: badRetention },
  allowDeletingConsentRecords: { valid: fc.boolean(), invalid: fc.constantFrom<unknown>('true', 'no', 0, 1, null, {}, []) },
  roles: { valid: fc.array(role, { minLength: 1, maxLength: 4 }), invalid: badRoles },
  checklistReminder: {
    valid: fc.record({ enabled: fc.boolean(), afterMinutes: fc.integer({ min: 1, max: 7 * 24 * 60 }) }),
    invalid: fc.oneof(badInt(1, 7 * 24 * 60), badInt(1, 7 * 24 * 60).map((afterMinutes) => ({ enabled: true, afterMinutes })), fc.constantFrom<unknown>({ enabled: 'yes', afterMinutes: 5 }, { afterMinutes: 5 }, { enabled: true, afterMinutes: 5, extra: 1 })),
  },
  selectorOverrides: { valid: selectorOverrides, invalid: badSelectorOverrides },
  orgSync: {
    valid: fc.oneof(
      fc.constant({ service: null, enrollmentKey: null }),
      fc.tuple(
        fc.constantFrom('https://candor.example.com', 'https://acme.example.org:8443/candor', 'http://127.0.0.1:9000', 'http://localhost/candor/'),
        fc.constantFrom('org-key-0123456789', 'k', null),
      ).map(([service, enrollmentKey]) => ({ service, enrollmentKey })),
    ),
    // http to anything but loopback, credentials, a query or a fragment, not a URL, unknown keys, and
    // the old endpoint (schema 3 and before), refused with a sentence saying what to set instead.
    invalid: fc.constantFrom<unknown>(
      null, 'https://candor.example.com', {}, { service: '' }, { service: 'candor.example.com' }, { service: 'http://candor.example.com' },
      { service: 'ftp://candor.example.com' }, { service: 'https://user:pw@candor.example.com/' }, { service: 'https://candor.example.com/#x' },
      { service: 'https://candor.example.com/?team=emea' }, { service: 'javascript:alert(1)' }, { service: 'http://[::1]/' }, { service: 'https://*/' },
      { service: 'https://*.example.com/' }, { service: 5 }, { service: 'https://candor.example.com/', token: 'secret' }, { service: `https://e.example/${'p'.repeat(2_000)}` },
      { service: 'https://candor.example.com', enrollmentKey: '' }, { service: 'https://candor.example.com', enrollmentKey: 'k'.repeat(201) },
      // ({ endpoint: null } alone is not here: a stored policy with sync off migrates to { service: null }, tests/unit/policy-migrate.test.ts.)
      { endpoint: 'https://ingest.example.com/candor/7bd1' }, { service: 'https://candor.example.com', endpoint: null },
    ),
  },
} satisfies Record<PolicyField, FieldGen>;

const FIELDS = Object.keys(GEN) as PolicyField[];

/** Keys no policy has; prototype-pollution names included (as own keys, the way JSON.parse makes them). */
const unknownKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'recordEverything', 'consent', 'PolicyVersion', ''),
  fc.string({ maxLength: 12 }),
).filter((k) => !Object.prototype.hasOwnProperty.call(policyFields, k));

type Choice = { kind: 'absent' } | { kind: 'valid'; value: unknown } | { kind: 'invalid'; value: unknown };

/** One source: per field absent, valid or invalid; some unknown keys; or not an object at all. */
const sourceArb = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('object' as const),
      choices: fc.record(
        Object.fromEntries(
          FIELDS.map((f) => [
            f,
            fc.oneof(
              { weight: 3, arbitrary: fc.constant<Choice>({ kind: 'absent' }) },
              { weight: 2, arbitrary: GEN[f].valid.map((value): Choice => ({ kind: 'valid', value })) },
              { weight: 2, arbitrary: GEN[f].invalid.map((value): Choice => ({ kind: 'invalid', value })) },
            ),
          ]),
        ) as Record<PolicyField, fc.Arbitrary<Choice>>,
      ),
      unknown: fc.uniqueArray(fc.tuple(unknownKey, fc.jsonValue({ maxDepth: 1 })), { maxLength: 2, selector: ([k]) => k }),
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null).map((value) => ({ kind: 'nothing' as const, value })) },
  { weight: 1, arbitrary: fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 })).map((value) => ({ kind: 'not-object' as const, value })) },
);
type Source = typeof sourceArb extends fc.Arbitrary<infer T> ? T : never;

function build(source: Source): unknown {
  if (source.kind !== 'object') return source.value;
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) {
    const c = source.choices[f];
    if (c.kind !== 'absent') out[f] = c.value;
  }
  for (const [k, v] of source.unknown) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

/** The guarantees that hold for any input. */
function expectSafe(resolved: ResolvedPolicy) {
  const parsed = policySchema.safeParse(resolved.policy);
  expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues)).toBe(true);
  const { policy } = resolved;
  // Consent is never off: every category has a rule, and the rule is one of the three.
  expect(Object.keys(policy.recordingStandards).sort()).toEqual([...callCategories].sort());
  for (const c of callCategories) expect(recordingRules).toContain(policy.recordingStandards[c]);
  expect(typeof policy.consentScript.en).toBe('string');
  expect(policy.consentScript.en!.trim().length).toBeGreaterThan(0);
  expect(policy.declineLine.en!.trim().length).toBeGreaterThan(0);
  expect(['all-party', 'one-party']).toContain(policy.jurisdictionMode);
  expect(policy.tags.length).toBeGreaterThan(0);
  expect(policy.roles.length).toBeGreaterThan(0);
  for (const f of Object.keys(policyFields) as PolicyField[]) expect(['managed', 'local', 'default']).toContain(resolved.sources[f]);
  for (const issue of resolved.issues) {
    expect(['managed', 'local']).toContain(issue.source);
    expect(typeof issue.field).toBe('string');
    expect(typeof issue.message).toBe('string');
    expect(issue.message.trim().length).toBeGreaterThan(3);
    expect(issue.message).not.toMatch(/\[object|ZodError/);
  }
}

describe('resolvePolicy under fuzzing', () => {
  it('the generators cover every policy field (a new field needs generators here)', () => {
    expect([...FIELDS].sort()).toEqual(Object.keys(policyFields).sort());
  });

  it('sanity: every hand-picked valid value is valid and every invalid one is invalid, per the field schema', () => {
    // Guards the oracle below (which classifies by hand, not by the schema).
    for (const f of FIELDS) {
      const gen: FieldGen = GEN[f];
      for (const v of fc.sample(gen.valid, { numRuns: 30, seed: 1 })) expect(policyFields[f].safeParse(v).success, `${f} valid ${JSON.stringify(v)?.slice(0, 200)}`).toBe(true);
      for (const v of fc.sample(gen.invalid, { numRuns: 30, seed: 1 })) expect(policyFields[f].safeParse(v).success, `${f} invalid ${JSON.stringify(v)?.slice(0, 200)}`).toBe(false);
    }
  });

  it('arbitrary JSON as managed and local never throws and never switches consent off', () => {
    fc.assert(
      fc.property(fc.option(fc.jsonValue(), { nil: undefined }), fc.option(fc.jsonValue(), { nil: undefined }), (managed, local) => {
        let resolved!: ResolvedPolicy;
        expect(() => { resolved = resolvePolicy(managed, local); }).not.toThrow();
        expectSafe(resolved);
        // A value the field schema accepts wins in order; anything else falls through.
        for (const f of FIELDS) {
          const pick = (src: unknown) => (src && typeof src === 'object' && !Array.isArray(src) && Object.prototype.hasOwnProperty.call(src, f) ? policyFields[f].safeParse((src as Record<string, unknown>)[f]) : undefined);
          const m = pick(managed);
          const l = pick(local);
          const expected = m?.success ? 'managed' : l?.success ? 'local' : 'default';
          expect(resolved.sources[f]).toBe(expected);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('mixed valid/invalid fields: valid managed wins, invalid falls back to local-or-default, every bad field is reported', () => {
    fc.assert(
      fc.property(sourceArb, sourceArb, (managedSrc, localSrc) => {
        const managed = build(managedSrc);
        const local = build(localSrc);
        const resolved = resolvePolicy(managed, local);
        expectSafe(resolved);

        const expectedIssues: string[] = [];
        for (const [name, src] of [['managed', managedSrc], ['local', localSrc]] as const) {
          if (src.kind === 'not-object') expectedIssues.push(`${name}|(policy)`);
          if (src.kind !== 'object') continue;
          for (const f of FIELDS) if (src.choices[f].kind === 'invalid') expectedIssues.push(`${name}|${f}`);
          for (const [k] of src.unknown) expectedIssues.push(`${name}|${k}`);
        }
        expect(resolved.issues.map((i) => `${i.source}|${i.field}`).sort()).toEqual(expectedIssues.sort());

        for (const f of FIELDS) {
          const m = managedSrc.kind === 'object' ? managedSrc.choices[f] : { kind: 'absent' as const };
          const l = localSrc.kind === 'object' ? localSrc.choices[f] : { kind: 'absent' as const };
          if (m.kind === 'valid') {
            expect(resolved.sources[f], f).toBe('managed');
            expect(resolved.policy[f], f).toEqual(m.value);
          } else if (l.kind === 'valid') {
            expect(resolved.sources[f], f).toBe('local');
            expect(resolved.policy[f], f).toEqual(l.value);
          } else {
            expect(resolved.sources[f], f).toBe('default');
            expect(resolved.policy[f], f).toEqual(defaultPolicy[f]);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('an invalid managed recordingStandards never weakens consent: the local or default rules apply whole', () => {
    fc.assert(
      fc.property(badStandards, fc.option(validStandards, { nil: undefined }), (bad, local) => {
        const resolved = resolvePolicy({ recordingStandards: bad }, local ? { recordingStandards: local } : undefined);
        expect(resolved.policy.recordingStandards).toEqual(local ?? defaultPolicy.recordingStandards);
        expect(resolved.issues.filter((i) => i.field === 'recordingStandards').map((i) => i.source)).toEqual(['managed']);
      }),
      { numRuns: 100 },
    );
  });

  it('resolving does not change its inputs nor the defaults', () => {
    fc.assert(
      fc.property(sourceArb, sourceArb, (managedSrc, localSrc) => {
        const managed = build(managedSrc);
        const local = build(localSrc);
        const before = JSON.stringify([managed, local, defaultPolicy]);
        resolvePolicy(managed, local);
        expect(JSON.stringify([managed, local, defaultPolicy])).toBe(before);
      }),
      { numRuns: 100 },
    );
  });
});
