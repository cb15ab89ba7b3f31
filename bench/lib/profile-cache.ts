import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sha256Hex } from '../../lib/util/hash';
import { startBench, type BenchBrowser } from './browser';

/**
 * Seeded browser profiles, kept between runs. Writing a row into Chromium's IndexedDB costs
 * ~0.25 ms here, so row 6's 650,000 rows take ~3 minutes to write: more than half the suite's
 * 5-minute budget for something that is not measured. The first run seeds a fresh profile and
 * keeps a copy under bench/.cache/profiles/ (git-ignored); later runs start from a copy of it.
 * The cache key covers everything that decides what is stored: the seeding code, the database
 * schema, the case's sizes and the extension's build of those (lib/db). `CANDOR_BENCH_FRESH=1`
 * ignores the cache (and refreshes it). A copy runs the current build's service worker, not the
 * one it was seeded with (see below).
 */
const ROOT = resolve(import.meta.dirname, '../..');
const CACHE = join(ROOT, 'bench/.cache/profiles');
const KEY_FILES = ['bench/lib/seed-page.ts', 'bench/lib/seed.ts', 'bench/lib/profile-cache.ts', 'lib/db/index.ts', 'lib/ledger/blocks.ts'];

export interface SeededProfile<T> {
  /** A throwaway copy: pass it to withBench, which deletes it at the end. */
  profile: string;
  /** What the seeding returned (kept with the cached profile). */
  seeded: T;
  /** true: copied from the cache; false: seeded in this run. */
  cached: boolean;
  /** Seeding time in this run (0 when cached). */
  seedMs: number;
}

/**
 * `keyFiles`: more files whose content decides what the seeding stores (a case that lets the
 * extension build something into the profile names the code that builds it).
 */
export async function seededProfile<T>(name: string, sizes: unknown, seed: (b: BenchBrowser) => Promise<T>, keyFiles: readonly string[] = []): Promise<SeededProfile<T>> {
  const key = sha256Hex(Buffer.concat([Buffer.from(JSON.stringify(sizes)), ...[...KEY_FILES, ...keyFiles].map((file) => readFileSync(join(ROOT, file)))]));
  const dir = join(CACHE, `${name}-${key.slice(0, 16)}`);
  const done = join(dir, '.seeded.json');
  const profile = mkdtempSync(join(tmpdir(), 'candor-bench-profile-'));
  if (!process.env.CANDOR_BENCH_FRESH && existsSync(done)) {
    cpSync(dir, profile, { recursive: true, verbatimSymlinks: true });
    // The profile keeps the extension's service worker as it was when seeded, and Chromium runs
    // that stored copy, not the build on disk (same extension id and version). Without it, the
    // worker is registered again from the current build.
    rmSync(join(profile, 'Default', 'Service Worker'), { recursive: true, force: true });
    return { profile, seeded: JSON.parse(readFileSync(done, 'utf8')) as T, cached: true, seedMs: 0 };
  }
  const start = performance.now();
  const b = await startBench({ profile });
  let seeded: T;
  try {
    seeded = await seed(b);
  } finally {
    await b.context.close(); // a clean shutdown writes everything to disk; the profile stays
  }
  const seedMs = performance.now() - start;
  // One cached profile per case and size: older keys are stale.
  if (existsSync(CACHE)) for (const old of readdirSync(CACHE).filter((d) => d.startsWith(`${name}-`))) rmSync(join(CACHE, old), { recursive: true, force: true });
  cpSync(profile, dir, { recursive: true, verbatimSymlinks: true });
  writeFileSync(done, JSON.stringify(seeded));
  return { profile, seeded, cached: false, seedMs };
}
