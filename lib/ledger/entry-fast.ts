import { isWellFormed } from './canonical';
import { DETAILS_MAX_KEYS, ledgerEventTypes, ledgerPurposes, type LedgerEntry } from './entry';

/**
 * A quick, conservative pre-check used when verifying long ledgers: `true` only for entries that
 * `ledgerEntrySchema` certainly accepts; `false` means "ask the schema" (which decides, and says
 * why). zod costs ~10 µs per entry, as much as hashing it; this costs ~1 µs. The schema stays the
 * authority: this check may be stricter than it (then the slow path runs), never looser.
 * tests/unit/ledger.test.ts checks both directions that matter: every generated valid entry
 * passes, and no entry that passes is refused by the schema (over thousands of mutated entries).
 * It also requires plain objects, so a `true` entry can take the canonicalEntry fast path.
 */

const TYPES: ReadonlySet<unknown> = new Set(ledgerEventTypes);
const PURPOSES: ReadonlySet<unknown> = new Set(ledgerPurposes);
const PLATFORMS: ReadonlySet<unknown> = new Set(['meet', 'zoom', 'teams']);
const SCOPES: ReadonlySet<unknown> = new Set(['all-present', 'newcomers', 'none']);
const AUDIENCES: ReadonlySet<unknown> = new Set(['external', 'internal', 'unknown']);
const METHODS: ReadonlySet<unknown> = new Set(['read-aloud-attested', 'platform-indicator', 'rule']);

const HEX64 = /^[0-9a-f]{64}$/;
// Narrower than zod's uuid (which also takes the nil and max UUIDs): those go the slow path.
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/;
const UTC_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DETAILS_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

// Written out, not derived from the schema: a field added there must be checked here too, and
// until it is, every entry has one key too many and simply takes the slow path.
const ENTRY_KEYS = 19;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * zod measures strings in code points. UTF-16 length ≥ code points, so `length ≤ max` is safe
 * (an astral-heavy string just over it takes the slow path); the minimum needs an exact count
 * only when the length is below twice the minimum.
 */
function isText(value: unknown, min: number, max: number): boolean {
  if (typeof value !== 'string' || value.length > max || value.length < min) return false;
  if (value.length < 2 * min && codePoints(value) < min) return false;
  return isWellFormed(value);
}

function codePoints(s: string): number {
  let count = s.length;
  for (let i = 0; i < s.length; i++) if ((s.charCodeAt(i) & 0xfc00) === 0xd800) count--;
  return count;
}

function isOptionalText(value: unknown): boolean {
  return value === null || isText(value, 1, 200);
}

/** The digit at `i` of a string known to have one there ('0'..'9' → 0..9). */
function digitAt(s: string, i: number): number {
  return s.charCodeAt(i) - 48;
}

/**
 * The schema's "parses and prints back identically" test, done arithmetically: the Date round
 * trip alone was a fifth of the verification time. After the pattern, that means a real
 * calendar date (proleptic Gregorian, as Date uses) and a time of day up to 23:59:59.
 */
function isUtcMillis(value: unknown): boolean {
  if (typeof value !== 'string' || !UTC_MILLIS.test(value)) return false;
  const year = digitAt(value, 0) * 1000 + digitAt(value, 1) * 100 + digitAt(value, 2) * 10 + digitAt(value, 3);
  const month = digitAt(value, 5) * 10 + digitAt(value, 6);
  const day = digitAt(value, 8) * 10 + digitAt(value, 9);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    digitAt(value, 11) * 10 + digitAt(value, 12) <= 23 &&
    digitAt(value, 14) * 10 + digitAt(value, 15) <= 59 &&
    digitAt(value, 17) * 10 + digitAt(value, 18) <= 59
  );
}

function isPurposes(value: unknown): boolean {
  if (!Array.isArray(value) || value.length < 1 || value.length > ledgerPurposes.length) return false;
  for (let i = 0; i < value.length; i++) {
    if (!PURPOSES.has(value[i]) || value.indexOf(value[i]) !== i) return false;
  }
  return true;
}

function isDetails(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  // zod's record also refuses symbol keys, which Object.keys does not show.
  if (keys.length > DETAILS_MAX_KEYS || Object.getOwnPropertySymbols(value).length > 0) return false;
  for (const key of keys) {
    if (!DETAILS_KEY.test(key)) return false;
    const v = value[key];
    if (!(v === null || typeof v === 'boolean' || Number.isSafeInteger(v) || isText(v, 0, 500))) return false;
  }
  return true;
}

export function isSurelyValidEntry(e: unknown): e is LedgerEntry {
  if (!isPlainObject(e) || Object.keys(e).length !== ENTRY_KEYS) return false;
  const { asked, notice } = e;
  return (
    e.v === 1 &&
    TYPES.has(e.type) &&
    isUtcMillis(e.at) &&
    typeof e.eventId === 'string' &&
    UUID.test(e.eventId) &&
    typeof e.callId === 'string' &&
    UUID.test(e.callId) &&
    PLATFORMS.has(e.platform) &&
    typeof e.meetingRef === 'string' &&
    HEX64.test(e.meetingRef) &&
    isText(e.rep, 1, 120) &&
    isPlainObject(asked) &&
    Object.keys(asked).length === 2 &&
    SCOPES.has(asked.scope) &&
    AUDIENCES.has(asked.audience) &&
    isPlainObject(notice) &&
    Object.keys(notice).length === 3 &&
    typeof notice.textHash === 'string' &&
    HEX64.test(notice.textHash) &&
    isText(notice.language, 2, 10) &&
    isText(notice.version, 1, 64) &&
    isPurposes(e.purposes) &&
    METHODS.has(e.method) &&
    isOptionalText(e.outcome) &&
    isOptionalText(e.reason) &&
    isOptionalText(e.category) &&
    isOptionalText(e.rule) &&
    isText(e.policyVersion, 1, 64) &&
    isText(e.extensionVersion, 1, 32) &&
    isDetails(e.details)
  );
}
