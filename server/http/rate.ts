/**
 * Per-install token buckets: `perMinute` records a minute, refilled continuously, bursts up to one
 * minute's worth. In memory: one service process (docs/org.md); a restart forgets the buckets.
 */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private perMinute: number, private now: () => number = Date.now) {}

  /** Takes n tokens; returns 0 when allowed, else the whole seconds to wait (nothing taken). */
  take(key: string, n: number): number {
    const now = this.now();
    const rate = this.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * rate);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= n) {
      bucket.tokens -= n;
      return 0;
    }
    if (this.buckets.size > 100_000) this.buckets.clear();
    return Math.max(1, Math.ceil((Math.min(n, this.perMinute) - bucket.tokens) / rate / 1000));
  }
}
