import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../lib/policy/defaults';
import { migratePolicy, POLICY_SCHEMA_VERSION } from '../../lib/policy/migrate';
import { resolvePolicy } from '../../lib/policy/resolve';
import { english } from '../../lib/i18n/english';
import { ENDPOINT_GONE } from '../../lib/policy/schema';

/** Policies saved by schema-1 builds: the options page's stored copy, and the managed example from docs/admin.md. */
const saved = (name: string) => JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/policy', name), 'utf8')) as Record<string, unknown>;
const v1Options = saved('v1-options-page.json');
const v1Managed = saved('v1-managed.json');

describe('policy schema versions', () => {
  it('the current version is 4 and a policy without a version is read as version 1', () => {
    expect(POLICY_SCHEMA_VERSION).toBe(4);
    expect(migratePolicy({ tags: ['x'] }).from).toBe(1);
    expect(migratePolicy({ schemaVersion: 4, tags: ['x'] })).toEqual({ fields: { tags: ['x'] }, from: 4 });
  });

  it('a saved schema-1 options-page policy loads with every setting kept and its reminder migrated', () => {
    const { policy, sources, issues } = resolvePolicy(undefined, v1Options);
    expect(issues).toEqual([]);
    expect(policy.checklistReminder).toEqual({ enabled: true, afterMinutes: 45 });
    // The old default notetaker words became the new default list (2 → 3), so that field reads as default.
    expect(policy.notetakerNames).toEqual(defaultPolicy.notetakerNames);
    for (const [field, value] of Object.entries(v1Options)) {
      if (field === 'reminderDelayMinutes' || field === 'notetakerNames') continue;
      expect.soft(policy[field as keyof typeof policy], field).toEqual(value);
      expect.soft(sources[field as keyof typeof sources], field).toBe('local');
    }
    expect(sources.checklistReminder).toBe('local');
    expect('reminderDelayMinutes' in policy).toBe(false);
  });

  it('a deployed schema-1 managed policy keeps working and still wins over the options page', () => {
    const { policy, sources, issues } = resolvePolicy(v1Managed, { schemaVersion: 2, checklistReminder: { enabled: false, afterMinutes: 5 } });
    expect(issues).toEqual([]);
    expect(policy.checklistReminder).toEqual({ enabled: true, afterMinutes: 20 });
    expect(sources.checklistReminder).toBe('managed');
    expect(policy.purposeStatement).toBe(v1Managed.purposeStatement);
    expect(policy.recordingStandards.internal).toBe('record-with-notice');
  });

  it('a bad schema-1 value is reported under its new name and falls back alone; consent stays on', () => {
    const { policy, issues } = resolvePolicy({ ...v1Managed, reminderDelayMinutes: 0 }, undefined);
    expect(issues).toEqual([expect.objectContaining({ source: 'managed', field: 'checklistReminder', message: expect.stringMatching(/afterMinutes/) })]);
    expect(policy.checklistReminder).toEqual(defaultPolicy.checklistReminder);
    expect(policy.purposeStatement).toBe(v1Managed.purposeStatement);
    expect(policy.consentScript.en).toBeTruthy();
  });

  it('a policy for a newer Candor applies the fields this version knows and says so', () => {
    const { policy, issues } = resolvePolicy({ schemaVersion: 5, purposeStatement: 'Coaching.', futureField: true }, undefined);
    expect(policy.purposeStatement).toBe('Coaching.');
    expect(issues.map((i) => i.field)).toEqual(['schemaVersion', 'futureField']);
    expect(issues[0]!.message).toMatch(/newer Candor \(schema 5; this version reads up to 4\)/);
  });

  it.each([0, -1, 1.5, '2', null, []])('an unusable schemaVersion %j is reported; the fields are read as the current version', (schemaVersion) => {
    const { policy, issues } = resolvePolicy({ schemaVersion, tags: ['objection'] }, undefined);
    expect(issues).toEqual([expect.objectContaining({ field: 'schemaVersion', message: expect.stringMatching(/whole number from 1 to 4/) })]);
    expect(policy.tags).toEqual(['objection']);
  });

  it('2 → 3: the old default notetaker words give way to the new whole-name list; an own list is kept', () => {
    const oldDefault = ['Otter', 'Fireflies', 'Gong', 'Fathom', 'tl;dv', 'Read.ai', 'Avoma', 'Chorus', 'Grain', 'Fellow'];
    const fromOld = resolvePolicy({ schemaVersion: 2, notetakerNames: oldDefault }, undefined);
    expect(fromOld.policy.notetakerNames).toEqual(defaultPolicy.notetakerNames);
    expect(fromOld.sources.notetakerNames).toBe('default');
    const own = resolvePolicy({ schemaVersion: 2, notetakerNames: ['Acme Recorder'] }, undefined);
    expect(own.policy.notetakerNames).toEqual(['Acme Recorder']);
    expect(own.sources.notetakerNames).toBe('managed');
  });

  it('3 → 4: a policy with sync off stays off; an old endpoint is refused with a sentence saying what to set, and nothing is sent', () => {
    const off = resolvePolicy({ schemaVersion: 3, orgSync: { endpoint: null } }, undefined);
    expect(off.issues).toEqual([]);
    expect(off.policy.orgSync).toEqual({ service: null, enrollmentKey: null });
    expect(off.sources.orgSync).toBe('managed');

    // A schema-3 managed policy with an endpoint (docs/sync.md before the organisation service): refused, consent unaffected.
    const managed = { schemaVersion: 3, purposeStatement: v1Managed.purposeStatement, orgSync: { endpoint: 'https://ingest.acme.example/candor/7bd1c0e6b5f54c0c9d3e' } };
    const old = resolvePolicy(managed, { orgSync: { service: 'https://candor.local.example' } });
    expect(old.issues).toEqual([{ source: 'managed', field: 'orgSync', kind: 'invalid', message: english('error_policy_endpoint_gone'), says: [ENDPOINT_GONE] }]);
    expect(english('error_policy_endpoint_gone')).toMatch(/^Org sync still names an endpoint, which Candor no longer supports: name the organisation service .*Nothing is sent until then\.$/);
    // The managed value was refused: the options page's choice (or the default, off) applies, never a guessed address.
    expect(old.policy.orgSync).toEqual({ service: 'https://candor.local.example', enrollmentKey: null });
    expect(old.policy.purposeStatement).toBe(v1Managed.purposeStatement);
    expect(resolvePolicy(managed, undefined).policy.orgSync.service).toBeNull();
    // Without a version (schema 1) the same holds.
    expect(resolvePolicy({ orgSync: { endpoint: 'https://x.example/in' } }, undefined).issues.map((i) => i.says)).toEqual([[ENDPOINT_GONE]]);

    const current = resolvePolicy({ schemaVersion: 4, orgSync: { service: 'https://candor.acme.example', enrollmentKey: 'acme-org-key' } }, undefined);
    expect(current.issues).toEqual([]);
    expect(current.policy.orgSync).toEqual({ service: 'https://candor.acme.example', enrollmentKey: 'acme-org-key' });
  });

  it('migration does not change its input', () => {
    const copy = structuredClone(v1Options);
    migratePolicy(v1Options);
    expect(v1Options).toEqual(copy);
  });
});
