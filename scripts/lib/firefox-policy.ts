import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findFirefox } from './firefox';

/**
 * Runs Firefox with an enterprise policies file, the way an administrator deploys one, without
 * touching the machine: Firefox starts in a private mount namespace (`unshare -Urm`, a user
 * namespace, no root needed) where an overlay puts the test's policies.json at the real path and
 * every other file of that folder stays as it is. Nothing is written outside a temp folder.
 *
 * - 'etc': /etc/firefox/policies/policies.json — the system-wide file on Linux. Debian's
 *   firefox-esr reads this path too (not /etc/firefox-esr/), and it wins over the other one.
 * - 'distribution': policies.json in the `distribution` folder beside the Firefox binary
 *   (Debian's firefox-esr: /usr/lib/firefox-esr/distribution, a link to /usr/share/firefox-esr/distribution).
 *
 * An overlay rather than a bind mount because /etc/firefox usually does not exist: creating it,
 * even inside the namespace, would write to the real /etc.
 */
export type PolicyLocation = 'etc' | 'distribution';

export interface FirefoxWithPolicies {
  executablePath: string;
  /** Where Firefox sees the file (inside its namespace). */
  policiesPath: string;
  /** Replaces the file Firefox reads (Firefox itself only reads it when it starts). */
  write(policies: unknown): void;
  cleanup(): void;
}

function overlayWorks(): boolean {
  const probe = mkdtempSync(join(tmpdir(), 'candor-overlay-probe-'));
  try {
    for (const d of ['lower', 'upper', 'work', 'merged']) mkdirSync(join(probe, d));
    execFileSync('unshare', ['-Urm', 'sh', '-c', `mount -t overlay overlay -o lowerdir=${probe}/lower,upperdir=${probe}/upper,workdir=${probe}/work ${probe}/merged`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

const distributionDir = () => join(dirname(realpathSync(findFirefox())), 'distribution');

/** Why a policies.json cannot be put in place this way on this machine, or null when it can. */
export function policiesUnavailable(location: PolicyLocation = 'etc'): string | null {
  try {
    execFileSync('unshare', ['-Urm', 'true'], { stdio: 'ignore' });
  } catch {
    return 'user namespaces (unshare -Urm) are not available on this machine';
  }
  if (!overlayWorks()) return 'overlay mounts inside a user namespace are not available on this machine (Linux < 5.11?)';
  if (location === 'distribution') {
    if (existsSync('/etc/firefox/policies/policies.json')) return "this machine's /etc/firefox/policies/policies.json takes precedence over the distribution folder";
    if (!existsSync(distributionDir())) return `${distributionDir()} does not exist: this Firefox has no distribution folder to overlay`;
  }
  return null;
}

/** The wrapper to use as executablePath (check policiesUnavailable() first). */
export function firefoxWithPolicies(policies: unknown, location: PolicyLocation = 'etc'): FirefoxWithPolicies {
  const unavailable = policiesUnavailable(location);
  if (unavailable) throw new Error(`Cannot give Firefox a policies.json here: ${unavailable}`);
  const firefox = findFirefox();
  // The folder overlaid, and where policies.json sits inside it.
  let lower: string;
  let relative: string[];
  let policiesPath: string;
  if (location === 'etc') {
    lower = '/etc';
    relative = ['firefox', 'policies'];
    policiesPath = '/etc/firefox/policies/policies.json';
  } else {
    lower = realpathSync(distributionDir());
    relative = [];
    policiesPath = join(distributionDir(), 'policies.json');
  }
  const dir = mkdtempSync(join(tmpdir(), 'candor-firefox-policy-'));
  const upper = join(dir, 'upper');
  const work = join(dir, 'work');
  mkdirSync(join(upper, ...relative), { recursive: true });
  mkdirSync(work);
  const file = join(upper, ...relative, 'policies.json');
  const write = (p: unknown) => writeFileSync(file, `${JSON.stringify(p, null, 2)}\n`);
  write(policies);
  const wrapper = join(dir, 'firefox-with-policies');
  writeFileSync(
    wrapper,
    `#!/bin/sh\n# Firefox in a private mount namespace with ${policiesPath} from ${file}\n` +
      `exec unshare -Urm sh -c 'mount -t overlay candor-policies -o lowerdir="$1",upperdir="$2",workdir="$3" "$1" && shift 3 && exec "$@"' sh "${lower}" "${upper}" "${work}" "${firefox}" "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  return { executablePath: wrapper, policiesPath, write, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The Firefox build packed as an .xpi (a zip of .output/firefox-mv2, made by web-ext as for the
 * store), for a policy's `install_url`. Returns the file's path; the caller removes it.
 */
export function packXpi(sourceDir: string): string {
  const out = mkdtempSync(join(tmpdir(), 'candor-xpi-'));
  const webExt = join(import.meta.dirname, '../../node_modules/.bin/web-ext');
  execFileSync(webExt, ['build', '--source-dir', sourceDir, '--artifacts-dir', out, '--filename', 'candor.xpi', '--overwrite-dest'], { stdio: 'ignore' });
  return join(out, 'candor.xpi');
}
