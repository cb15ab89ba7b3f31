/**
 * Policy schema versions. A policy names the schema it was written for (`schemaVersion`); one
 * without it is version 1 (every policy written before versions existed). Older policies are
 * migrated step by step when read, so an organisation's deployed policy keeps working after a
 * Candor update. A shipped migration is never edited: a change to the schema adds the next one.
 */
export const POLICY_SCHEMA_VERSION = 4;
export const SCHEMA_VERSION_KEY = 'schemaVersion';

type Fields = Record<string, unknown>;

/** migrations[n] turns a version-n policy into version n + 1. */
/** The notetaker list before version 3, when an entry matched any word of a name. */
const NOTETAKER_WORDS_V2 = ['Otter', 'Fireflies', 'Gong', 'Fathom', 'tl;dv', 'Read.ai', 'Avoma', 'Chorus', 'Grain', 'Fellow'];

const migrations: Record<number, (fields: Fields) => Fields> = {
  // 1 → 2: the checklist reminder became an object, so an organisation can switch it off.
  1: ({ reminderDelayMinutes, ...rest }) =>
    reminderDelayMinutes === undefined ? rest : { ...rest, checklistReminder: { enabled: true, afterMinutes: reminderDelayMinutes } },
  // 2 → 3: notetaker entries became whole display names or `*` patterns ("Gong" no longer matches
  // "Wei Gong"). The old default word list gives way to the new default list; an organisation's own
  // list is kept as whole names (docs/admin.md says how to write patterns).
  2: ({ notetakerNames, ...rest }) =>
    Array.isArray(notetakerNames) && notetakerNames.length === NOTETAKER_WORDS_V2.length && notetakerNames.every((n, i) => n === NOTETAKER_WORDS_V2[i])
      ? rest
      : { ...rest, ...(notetakerNames === undefined ? {} : { notetakerNames }) },
  // 3 → 4: org sync enrolls with the organisation service instead of posting to a secret URL. A
  // policy with sync off stays off; an endpoint cannot become a service address and an enrollment,
  // so it is kept as it is and the schema refuses it with a sentence saying what to set instead
  // (schema.ts, ENDPOINT_GONE): nothing is sent to a guessed address.
  3: ({ orgSync, ...rest }) => {
    if (orgSync === undefined) return rest;
    const old = orgSync as { endpoint?: unknown } | null;
    const off = typeof old === 'object' && old !== null && Object.keys(old).length === 1 && old.endpoint === null;
    return { ...rest, orgSync: off ? { service: null } : orgSync };
  },
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
