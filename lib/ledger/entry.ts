import { z } from 'zod';
import { isWellFormed } from './canonical';

/**
 * One consent event in the ledger: everything GDPR Art. 7(1) needs to *demonstrate* consent
 * (when, which call, who asked whom, what they were told, for which purposes, how, with what
 * result, under which policy and extension version). Field meanings: docs/ledger.md.
 *
 * The schema is strict (unknown keys are errors) and bounded, because a ledger entry is evidence:
 * an entry that could carry arbitrary data could also carry page content, and an entry whose
 * shape drifts could not be re-verified by an auditor's independent script.
 * Every key that can appear in an entry is ASCII (including `details` keys, by the pattern below),
 * so key order is the same whether a verifier sorts by UTF-16 code units or by code points.
 */

export const LEDGER_ENTRY_VERSION = 1;

export const ledgerEventTypes = [
  'asked',
  'agreed',
  'declined',
  'not-recorded',
  'withdrawn',
  'recording-before-consent',
  'recording-after-decline',
  'recording-stopped',
  'late-joiner-agreed',
  'late-joiner-declined',
  'late-joiner-dismissed',
] as const;
export type LedgerEventType = (typeof ledgerEventTypes)[number];

export const ledgerPurposes = ['recording', 'transcript', 'ai-summary'] as const;
export type LedgerPurpose = (typeof ledgerPurposes)[number];

export const DETAILS_MAX_KEYS = 20;

const hex64 = (what: string) => z.string().regex(/^[0-9a-f]{64}$/, { error: `${what} must be 64 lowercase hex characters` });

/**
 * ISO 8601 UTC with exactly three fraction digits, the form `Date.prototype.toISOString` writes.
 * The round-trip check also rejects impossible dates such as 2025-02-30 that the pattern allows.
 */
const utcMillis = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, { error: 'at must be an ISO 8601 UTC time with milliseconds, e.g. 2025-01-31T09:30:00.000Z' })
  .refine((s) => {
    const time = Date.parse(s);
    return Number.isFinite(time) && new Date(time).toISOString() === s;
  }, 'at is not a real date and time');

/**
 * Free text. Lengths count code points (as zod measures strings). Lone surrogates are refused:
 * they have no UTF-8 encoding, so the hashed bytes would depend on the encoder (canonicalize
 * refuses them too; see canonical.ts).
 */
const text = (what: string, min: number, max: number) =>
  z
    .string()
    .min(min, { error: min === 1 ? `${what} must not be empty` : `${what} must have at least ${min} characters` })
    .max(max, { error: `${what} must have at most ${max} characters` })
    .refine(isWellFormed, `${what} must be well-formed Unicode (no lone surrogates)`);

/** Nullable short text (outcome, reason, category, rule): null when not applicable, never "". */
const optionalText = (what: string) => text(what, 1, 200).nullable();

const detailValue = z.union([text('details value', 0, 500), z.int(), z.boolean(), z.null()], {
  error: 'details values must be strings (≤ 500 chars), safe integers, booleans or null',
});

// ASCII identifiers only: keeps key order language-independent (see above).
const DETAILS_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const DETAILS_KEY_MESSAGE = 'details keys must be ASCII identifiers (a letter, then letters, digits, _ . -; at most 64)';

/** Small extra facts (sources, durationMs…): flat, bounded, never page content. */
const details = z
  // zod's records skip a "__proto__" key silently, but JSON.parse makes it an ordinary key that
  // would be hashed: refuse it before the record schema drops it from view.
  .custom<unknown>((v) => typeof v !== 'object' || v === null || !Object.hasOwn(v, '__proto__'), { error: DETAILS_KEY_MESSAGE })
  .pipe(
    z.record(z.string().regex(DETAILS_KEY), detailValue, {
      error: (issue) => (issue.code === 'invalid_key' ? DETAILS_KEY_MESSAGE : undefined),
    }),
  )
  .refine((record) => Object.keys(record).length <= DETAILS_MAX_KEYS, `details must have at most ${DETAILS_MAX_KEYS} keys`);

export const ledgerEntrySchema = z.strictObject({
  /** Format version of this entry shape: a new shape gets a new number, old entries stay valid. */
  v: z.literal(LEDGER_ENTRY_VERSION, { error: `v must be ${LEDGER_ENTRY_VERSION}` }),
  type: z.enum(ledgerEventTypes, { error: `type must be one of ${ledgerEventTypes.join(', ')}` }),
  at: utcMillis,
  eventId: z.uuid({ error: 'eventId must be a UUID' }),
  callId: z.uuid({ error: 'callId must be a UUID' }),
  platform: z.enum(['meet', 'zoom', 'teams'], { error: 'platform must be meet, zoom or teams' }),
  /** Salted SHA-256 of the meeting reference: identifies the call without revealing it. */
  meetingRef: hex64('meetingRef'),
  rep: text('rep', 1, 120),
  asked: z.strictObject({
    scope: z.enum(['all-present', 'newcomers', 'none'], { error: 'asked.scope must be all-present, newcomers or none' }),
    audience: z.enum(['external', 'internal', 'unknown'], { error: 'asked.audience must be external, internal or unknown' }),
  }),
  notice: z.strictObject({
    textHash: hex64('notice.textHash'),
    language: text('notice.language', 2, 10),
    version: text('notice.version', 1, 64),
  }),
  purposes: z
    .array(z.enum(ledgerPurposes, { error: `purposes must be ${ledgerPurposes.join(', ')}` }))
    .min(1, { error: 'purposes must name at least one purpose' })
    .max(ledgerPurposes.length)
    .refine((list) => new Set(list).size === list.length, 'purposes must not repeat a purpose'),
  method: z.enum(['read-aloud-attested', 'platform-indicator', 'rule'], {
    error: 'method must be read-aloud-attested, platform-indicator or rule',
  }),
  outcome: optionalText('outcome'),
  reason: optionalText('reason'),
  category: optionalText('category'),
  rule: optionalText('rule'),
  policyVersion: text('policyVersion', 1, 64),
  extensionVersion: text('extensionVersion', 1, 32),
  details,
});

export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

/** Issues listed in a reason; a badly damaged file could otherwise produce a megabyte of text. */
const MAX_ISSUES = 5;

/** "field: problem; other: problem": a zod error as one readable line (used in verify reasons). */
export function describeIssues(error: z.ZodError): string {
  const shown = error.issues
    .slice(0, MAX_ISSUES)
    .map((issue) => (issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message));
  const more = error.issues.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/**
 * Record-keeping entries: what happened to the ledger itself, not in a call. One kind so far: a
 * backup import that restored or extended the chain (docs/ledger.md, "Imports"). Its own strict
 * shape, without the call's fields (a call, platform or notice would be invented): the file's
 * SHA-256, how the chain was changed and which entries were added.
 */
export const recordKeepingEventTypes = ['backup-imported'] as const;
export type RecordKeepingEventType = (typeof recordKeepingEventTypes)[number];

export const importEntrySchema = z.strictObject({
  v: z.literal(LEDGER_ENTRY_VERSION, { error: `v must be ${LEDGER_ENTRY_VERSION}` }),
  type: z.literal('backup-imported'),
  at: utcMillis,
  eventId: z.uuid({ error: 'eventId must be a UUID' }),
  rep: text('rep', 1, 120),
  /** Lowercase hex SHA-256 of the imported file's text (UTF-8). */
  fileHash: hex64('fileHash'),
  /** restore: the chain was empty and is now the backup's; extend: the backup continued this chain. */
  mode: z.enum(['restore', 'extend'], { error: 'mode must be restore or extend' }),
  entriesAdded: z.int({ error: 'entriesAdded must be a whole number' }).nonnegative(),
  /** seq of the first and last entry added; null when none was. */
  firstSeq: z.int().positive().nullable(),
  lastSeq: z.int().positive().nullable(),
  policyVersion: text('policyVersion', 1, 64),
  extensionVersion: text('extensionVersion', 1, 32),
});
export type ImportEntry = z.infer<typeof importEntrySchema>;

/** Every kind of entry the chain holds: consent entries and record-keeping entries. */
export const chainEntrySchema = z.discriminatedUnion('type', [ledgerEntrySchema, importEntrySchema], {
  error: (issue) => (issue.code === 'invalid_union' ? `type must be one of ${[...ledgerEventTypes, ...recordKeepingEventTypes].join(', ')}` : undefined),
});
export type ChainEntry = z.infer<typeof chainEntrySchema>;

/**
 * Parses one stored entry of either kind. By its `type` it goes to one schema, so a consent entry's
 * problems are named exactly as ledgerEntrySchema names them.
 */
export function parseChainEntry(value: unknown): z.ZodSafeParseResult<ChainEntry> {
  const type = (value as { type?: unknown } | null)?.type;
  return typeof type === 'string' && (recordKeepingEventTypes as readonly string[]).includes(type) ? importEntrySchema.safeParse(value) : ledgerEntrySchema.safeParse(value);
}
