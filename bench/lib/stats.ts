/** Small, dependency-free statistics for benchmark samples. */

function sorted(xs: readonly number[]): number[] {
  if (xs.length === 0) throw new Error('no samples');
  return [...xs].sort((a, b) => a - b);
}

/** Median (mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  const s = sorted(xs);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Nearest-rank percentile: the smallest sample with at least p% of samples at or below it.
 * Conservative for small counts (p95 of 20 samples is the 19th; of 10, the largest).
 */
export function percentile(xs: readonly number[], p: number): number {
  const s = sorted(xs);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[Math.min(rank, s.length) - 1]!;
}

export function min(xs: readonly number[]): number {
  return sorted(xs)[0]!;
}

export function max(xs: readonly number[]): number {
  return sorted(xs).at(-1)!;
}

/** Rounds for display and storage: 0.1 ms resolution is all a browser timer gives anyway. */
export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
