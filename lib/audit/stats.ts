/**
 * Small helpers for the audit report: statistics, counts, times. Pure: no browser APIs, no clock,
 * no I/O. Every statistic is null (never NaN or Infinity) when it is undefined.
 */

export const DAY_MS = 86_400_000;

/** True when `t` is a finite time within [from, to] (both ends inclusive). */
export function inPeriod(t: unknown, from: number, to: number): t is number {
  return typeof t === 'number' && t >= from && t <= to;
}

/**
 * The median of the values (mean of the two middle ones for an even count), or null when there
 * are none. Non-finite values are ignored. Sorts a copy (a Float64Array: numeric, fast), so the
 * caller's array is left as it is.
 */
export function median(values: readonly number[]): number | null {
  const sorted = Float64Array.from(values.filter((v) => Number.isFinite(v))).sort();
  const n = sorted.length;
  if (n === 0) return null;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The largest finite value, or null when there is none. */
export function maxOrNull(values: readonly number[]): number | null {
  let max: number | null = null;
  for (const v of values) if (Number.isFinite(v) && (max === null || v > max)) max = v;
  return max;
}

/** part / whole, or null when whole is 0 (a rate of nothing is undefined, not 0 and not NaN). */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** The UTC calendar month of a time as "YYYY-MM". */
export function monthKey(t: number): string {
  const d = new Date(t);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Every UTC month from the month of `first` to the month of `last`, both included, in order. */
export function monthsBetween(first: number, last: number): string[] {
  const a = new Date(first);
  const b = new Date(last);
  let y = a.getUTCFullYear();
  let m = a.getUTCMonth();
  const endY = b.getUTCFullYear();
  const endM = b.getUTCMonth();
  const out: string[] = [];
  while (y < endY || (y === endY && m <= endM)) {
    out.push(`${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}`);
    if (++m === 12) {
      m = 0;
      y++;
    }
  }
  return out;
}

/** Whole days from `then` to `now` (rounded down; 0 when `then` is in the future). */
export function ageDays(then: number, now: number): number {
  return Math.floor(Math.max(0, now - then) / DAY_MS);
}

export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A text with something other than white space in it. */
export const isFilled = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';

export const ascending = (a: number, b: number) => a - b;

/** Index of the first value ≥ x in an ascending array (length when none). */
export function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A count of 0 for each key, in the keys' order (the order of the report's keys). */
export function zeroCounts<K extends string>(keys: readonly K[]): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const k of keys) out[k] = 0;
  return out;
}

/** Adds each count of `part` into `sum` (both of the same shape). */
export function addCounts<K extends string>(sum: Record<K, number>, part: Readonly<Record<K, number>>): void {
  for (const key of Object.keys(sum) as K[]) sum[key] += part[key];
}
