import { meet } from './meet';
import { teams } from './teams';
import type { PlatformDefinition } from './types';
import { zoom } from './zoom';

export const platforms: readonly PlatformDefinition[] = [meet, zoom, teams];

function hostMatches(pattern: string, url: URL): boolean {
  const m = /^(\*|https?):\/\/([^/]+)\//.exec(pattern);
  if (!m) return false;
  const [, scheme, host] = m as unknown as [string, string, string];
  if (scheme !== '*' && `${scheme}:` !== url.protocol) return false;
  if (host.startsWith('*.')) {
    const base = host.slice(2);
    return url.hostname === base || url.hostname.endsWith(`.${base}`);
  }
  return url.hostname === host;
}

/** The platform whose host patterns cover this URL (the path decides later whether it is a call). */
export function platformForUrl(url: URL): PlatformDefinition | null {
  if (url.protocol !== 'https:') return null;
  return platforms.find((p) => p.matches.some((pattern) => hostMatches(pattern, url))) ?? null;
}

export function platformById(id: string): PlatformDefinition | null {
  return platforms.find((p) => p.id === id) ?? null;
}
