/**
 * Canonical JSON for ledger hashing: one value, one byte sequence, so that anyone can recompute a
 * hash from an exported entry. The rules are RFC 8785 (JSON Canonicalization Scheme) restricted to
 * the values a ledger entry may hold, and for those values the output is identical to JCS:
 *
 * - allowed: null, true, false, strings, safe integers (|n| ≤ 2^53 − 1), arrays, plain objects;
 *   anything else (floats, NaN, ±Infinity, undefined, bigint, symbols, functions, Dates, Maps,
 *   class instances, sparse array holes) throws `CanonicalizeError` naming where it was found,
 *   because silently dropping or coercing it would hash something other than what the caller
 *   holds; only own enumerable string-keyed properties are members (symbol-keyed properties are
 *   not JSON data and are ignored, as JSON.stringify and every storage format ignore them);
 * - no whitespace anywhere;
 * - object members sorted by key, comparing keys as sequences of UTF-16 code units (JavaScript's
 *   default string order); keys are unique by construction of JS objects;
 * - strings serialised exactly as `JSON.stringify` does: `"` and `\` escaped, U+0008/09/0A/0C/0D
 *   as `\b \t \n \f \r`, other code units below U+0020 as `\u00xx` (lowercase hex), everything
 *   else (including non-ASCII, U+2028/U+2029 and U+007F) written as is;
 * - strings are NOT Unicode-normalised: the characters given are the characters hashed, since a
 *   notice text or identifier that was recorded must be proven as recorded. Strings must be
 *   well-formed UTF-16 (no lone surrogates), as JCS requires (I-JSON), so the UTF-8 encoding of
 *   the output is unambiguous in every language;
 * - integers in shortest decimal form, `-0` written as `0`.
 *
 * Hashing uses the UTF-8 encoding of the returned string.
 */

/** Objects nest only a few levels in an entry; the limit turns a cycle into a clear error. */
const MAX_DEPTH = 32;

export class CanonicalizeError extends Error {
  override name = 'CanonicalizeError';
}

/** `$`, `$.details.sources`, `$.purposes[1]`: where a rejected value sits, for the error message. */
function formatPath(path: readonly (string | number)[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : /^[A-Za-z_$][\w$]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`)).join('');
}

function fail(path: readonly (string | number)[], problem: string): never {
  throw new CanonicalizeError(`cannot canonicalize $${formatPath(path)}: ${problem}`);
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object' && value !== null) return `a ${value.constructor?.name ?? 'non-plain'} object`;
  return `a ${typeof value}`;
}

// String.prototype.isWellFormed exists from Node 20 and Chrome 111 / Firefox 119; the regex is the
// fallback for older engines.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const isWellFormed: (s: string) => boolean =
  typeof ''.isWellFormed === 'function' ? (s) => s.isWellFormed() : (s) => !LONE_SURROGATE.test(s);

function serialize(value: unknown, path: (string | number)[]): string {
  switch (typeof value) {
    case 'string':
      if (!isWellFormed(value)) fail(path, 'string contains a lone surrogate (not well-formed Unicode)');
      return JSON.stringify(value);
    case 'number':
      if (!Number.isSafeInteger(value)) fail(path, `only safe integers are allowed, got ${describeValue(value)}`);
      // String(-0) is already "0"; stated here because it is a rule of the format.
      return Object.is(value, -0) ? '0' : String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return fail(path, `${describeValue(value)} is not a JSON value`);
  }
  if (value === null) return 'null';
  if (path.length >= MAX_DEPTH) fail(path, `nested deeper than ${MAX_DEPTH} levels (or a cycle)`);

  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) fail([...path, i], 'arrays must not have holes');
      path.push(i);
      out += (i === 0 ? '' : ',') + serialize(value[i], path);
      path.pop();
    }
    return out + ']';
  }

  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) fail(path, `only plain objects are allowed, got ${describeValue(value)}`);

  const record = value as Record<string, unknown>;
  // Default sort compares UTF-16 code units, which is exactly the JCS key order.
  const keys = Object.keys(record).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (!isWellFormed(key)) fail(path, `key ${JSON.stringify(key)} contains a lone surrogate`);
    path.push(key);
    out += (i === 0 ? '' : ',') + JSON.stringify(key) + ':' + serialize(record[key], path);
    path.pop();
  }
  return out + '}';
}

/** The canonical JSON text of `value` (see the rules above); throws `CanonicalizeError` otherwise. */
export function canonicalize(value: unknown): string {
  return serialize(value, []);
}
