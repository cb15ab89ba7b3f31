/**
 * Policy schema versions. A policy names the schema it was written for (`schemaVersion`); one
 * without it is version 1 (every policy written before versions existed). Older policies are
 * migrated step by step when read, so an organisation's deployed policy keeps working after a
 * Candor update. A shipped migration is never edited: a change to the schema adds the next one.
 */
export const POLICY_SCHEMA_VERSION = 2;
export const SCHEMA_VERSION_KEY = 'schemaVersion';

type Fields = Record<string, unknown>;

/** migrations[n] turns a version-n policy into version n + 1. */
const migrations: Record<number, (fields: Fields) => Fields> = {
  // 1 → 2: the checklist reminder became an object, so an organisation can switch it off.
  1: ({ reminderDelayMinutes, ...rest }) =>
    reminderDelayMinutes === undefined ? rest : { ...rest, checklistReminder: { enabled: true, afterMinutes: reminderDelayMinutes } },
};

export interface MigratedPolicy {
  /** The policy's fields in the current schema (without `schemaVersion`). */
  fields: Fields;
  /** The version it was written for (the current one when the stated version is unusable). */
  from: number;
  /** Why the stated version could not be used as is, in words an administrator understands. */
  problem?: string;
}

export function migratePolicy(raw: Fields): MigratedPolicy {
  const { [SCHEMA_VERSION_KEY]: stated, ...fields } = raw;
  if (stated === undefined) return { fields: migrateFrom(1, fields), from: 1 };
  if (typeof stated !== 'number' || !Number.isInteger(stated) || stated < 1) {
    return {
      fields,
      from: POLICY_SCHEMA_VERSION,
      problem: `must be a whole number from 1 to ${POLICY_SCHEMA_VERSION}; the fields were read as version ${POLICY_SCHEMA_VERSION}`,
    };
  }
  if (stated > POLICY_SCHEMA_VERSION) {
    return {
      fields,
      from: stated,
      problem: `this policy was written for a newer Candor (schema ${stated}; this version reads up to ${POLICY_SCHEMA_VERSION}): the fields it knows are applied, the others ignored`,
    };
  }
  return { fields: migrateFrom(stated, fields), from: stated };
}

function migrateFrom(version: number, fields: Fields): Fields {
  let out = fields;
  for (let v = version; v < POLICY_SCHEMA_VERSION; v++) out = migrations[v]!(out);
  return out;
}
