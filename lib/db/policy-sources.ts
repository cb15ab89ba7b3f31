import { browser } from 'wxt/browser';
import { resolvePolicy, type ResolvedPolicy } from '../policy/resolve';

export const LOCAL_POLICY_KEY = 'policy';
/** Last managed policy seen: right after browser start storage.managed can take seconds to answer. */
export const MANAGED_CACHE_KEY = 'managedPolicyCache';
const MANAGED_WAIT_MS = 300;

async function readManaged(): Promise<unknown> {
  try {
    return await browser.storage.managed.get(null);
  } catch {
    // Firefox without enterprise policies, or a browser without managed storage: no organisation policy.
    return {};
  }
}

/**
 * The policy from its three sources, never waiting long for managed storage: the cached copy of the
 * organisation's policy is used meanwhile. `fresh` resolves once the live managed policy is known
 * (the caller may re-resolve then); it also refreshes the cache.
 */
export async function readPolicy(): Promise<{ resolved: ResolvedPolicy; fresh: Promise<unknown> | null }> {
  const stored = await browser.storage.local.get([LOCAL_POLICY_KEY, MANAGED_CACHE_KEY]);
  const live = readManaged().then(async (managed) => {
    await browser.storage.local.set({ [MANAGED_CACHE_KEY]: managed });
    return managed;
  });
  const timeout = new Promise<undefined>((resolve) => setTimeout(resolve, MANAGED_WAIT_MS, undefined));
  const managed = await Promise.race([live, timeout]);
  return {
    resolved: resolvePolicy(managed ?? stored[MANAGED_CACHE_KEY], stored[LOCAL_POLICY_KEY]),
    fresh: managed === undefined ? live : null,
  };
}
