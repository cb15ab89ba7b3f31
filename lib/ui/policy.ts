import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { resolvePolicy, type ResolvedPolicy } from '../policy/resolve';

/** Resolves the policy exactly as the background does (read-only: pages never write it directly). */
export async function loadPolicy(): Promise<ResolvedPolicy> {
  const managed = await browser.storage.managed.get(null).catch(() => ({}));
  const { policy: local } = await browser.storage.local.get('policy');
  return resolvePolicy(managed, local);
}

export function usePolicy(): ResolvedPolicy | null {
  const [resolved, setResolved] = useState<ResolvedPolicy | null>(null);
  useEffect(() => {
    let live = true;
    const reload = () => void loadPolicy().then((r) => live && setResolved(r));
    reload();
    const onChanged = (_: unknown, area: string) => (area === 'managed' || area === 'local') && reload();
    browser.storage.onChanged.addListener(onChanged);
    return () => {
      live = false;
      browser.storage.onChanged.removeListener(onChanged);
    };
  }, []);
  return resolved;
}
