import { browser } from 'wxt/browser';
import type { ResolvedPolicy } from '../policy/resolve';
import { LOCAL_POLICY_KEY, readPolicy } from '../db/policy-sources';

/**
 * The resolved policy, cached in memory while the worker lives. It never waits long for managed
 * storage: the prompt must not be held up, so the cached organisation policy is used meanwhile.
 */
export function createPolicyStore() {
  let current: Promise<ResolvedPolicy> | null = null;

  async function load(): Promise<ResolvedPolicy> {
    const { resolved, fresh } = await readPolicy();
    if (fresh) void fresh.then(() => (current = null));
    return resolved;
  }

  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'managed' || (area === 'local' && LOCAL_POLICY_KEY in changes)) current = null;
  });

  return {
    get(): Promise<ResolvedPolicy> {
      current ??= load();
      return current;
    },
  };
}
