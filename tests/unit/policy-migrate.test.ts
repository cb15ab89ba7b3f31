import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../lib/policy/defaults';
import { migratePolicy, POLICY_SCHEMA_VERSION } from '../../lib/policy/migrate';
import { resolvePolicy } from '../../lib/policy/resolve';

/** Policies saved by schema-1 builds: the options page's stored copy, and the managed example from docs/admin.md. */
const saved = (name: string) => JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/policy', name), 'utf8')) as Record<string, unknown>;
const v1Options = saved('v1-options-page.json');
const v1Managed = saved('v1-managed.json');

describe('policy schema versions', () => {
  it('the current version is 3 and a policy without a version is read as version 1', () => {
    expect(POLICY_SCHEMA_VERSION).toBe(3);
    expect(migratePolicy({ tags: ['x'] }).from).toBe(1);
    expect(migratePolicy({ schemaVersion: 3, tags: ['x'] })).toEqual({ fields: { tags: ['x'] }, from: 3 });
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
    const { policy, issues } = resolvePolicy({ schemaVersion: 4, purposeStatement: 'Coaching.', futureField: true }, undefined);
    expect(policy.purposeStatement).toBe('Coaching.');
    expect(issues.map((i) => i.field)).toEqual(['schemaVersion', 'futureField']);
    expect(issues[0]!.message).toMatch(/newer Candor \(schema 4; this version reads up to 3\)/);
  });

  it.each([0, -1, 1.5, '2', null, []])('an unusable schemaVersion %j is reported; the fields are read as the current version', (schemaVersion) => {
    const { policy, issues } = resolvePolicy({ schemaVersion, tags: ['objection'] }, undefined);
    expect(issues).toEqual([expect.objectContaining({ field: 'schemaVersion', message: expect.stringMatching(/whole number from 1 to 3/) })]);
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

  it('migration does not change its input', () => {
    const copy = structuredClone(v1Options);
    migratePolicy(v1Options);
    expect(v1Options).toEqual(copy);
  });
});
