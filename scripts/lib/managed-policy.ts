import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXTENSION_ID } from '../../lib/extension-key';
import { findChromium } from './browser';

/**
 * Runs Chromium with an enterprise policy for Candor, the way an administrator deploys one
 * (/etc/chromium/policies/managed/*.json), without touching the machine's /etc: Chromium starts in a
 * private mount namespace where a temporary folder is bind-mounted over /etc/chromium.
 * Returns the wrapper to use as executablePath, or the reason it cannot work here.
 */
export function chromiumWithManagedPolicy(policy: Record<string, unknown>): { executablePath: string } | { unavailable: string } {
  const chromium = findChromium();
  try {
    execFileSync('unshare', ['-Urm', 'true'], { stdio: 'ignore' });
  } catch {
    return { unavailable: 'user namespaces (unshare -Urm) are not available on this machine' };
  }
  if (!existsSync('/etc/chromium')) return { unavailable: '/etc/chromium does not exist (Debian chromium package not installed)' };
  const dir = mkdtempSync(join(tmpdir(), 'candor-policy-'));
  const etc = join(dir, 'etc-chromium');
  cpSync('/etc/chromium', etc, { recursive: true });
  mkdirSync(join(etc, 'policies/managed'), { recursive: true });
  writeFileSync(join(etc, 'policies/managed/candor.json'), JSON.stringify({ '3rdparty': { extensions: { [EXTENSION_ID]: policy } } }, null, 2));
  const wrapper = join(dir, 'chromium-with-policy');
  writeFileSync(
    wrapper,
    `#!/bin/sh\nexec unshare -Urm sh -c 'mount --bind "$0" /etc/chromium && c="$1" && shift && exec "$c" "$@"' "${etc}" "${chromium}" "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  return { executablePath: wrapper };
}
