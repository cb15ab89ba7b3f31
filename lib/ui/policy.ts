import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import type { ResolvedPolicy } from '../policy/resolve';
import { LOCAL_POLICY_KEY, readPolicy } from '../db/policy-sources';

export function usePolicy(): ResolvedPolicy | null {
  const [resolved, setResolved] = useState<ResolvedPolicy | null>(null);
  useEffect(() => {
    let live = true;
    const reload = () =>
      void readPolicy().then(({ resolved: r, fresh }) => {
        if (live) setResolved(r);
        if (fresh) void fresh.then(reload);
      });
    reload();
    // Only a change of the policy itself: readPolicy() writes the managed-policy cache to local
    // storage, and reloading on that write would loop (some browsers report unchanged writes too).
    const onChanged = (changes: Record<string, unknown>, area: string) => (area === 'managed' || (area === 'local' && LOCAL_POLICY_KEY in changes)) && reload();
    browser.storage.onChanged.addListener(onChanged);
    return () => {
      live = false;
      browser.storage.onChanged.removeListener(onChanged);
    };
  }, []);
  return resolved;
}
