import { browser } from 'wxt/browser';
import { resolvePolicy, type ResolvedPolicy } from '../policy/resolve';

const LOCAL_KEY = 'policy';
/** Last managed policy seen: right after browser start storage.managed can take seconds to answer. */
const MANAGED_CACHE_KEY = 'managedPolicyCache';
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
 * The resolved policy, cached in memory while the worker lives. It never waits long for managed
 * storage: the prompt must not be held up, so the cached organisation policy is used meanwhile.
 */
export function createPolicyStore() {
  let current: Promise<ResolvedPolicy> | null = null;

  async function load(): Promise<ResolvedPolicy> {
    const stored = await browser.storage.local.get([LOCAL_KEY, MANAGED_CACHE_KEY]);
    const managedLive = readManaged().then(async (managed) => {
      await browser.storage.local.set({ [MANAGED_CACHE_KEY]: managed });
      return managed;
    });
    const timeout = new Promise<undefined>((resolve) => setTimeout(resolve, MANAGED_WAIT_MS, undefined));
    const managed = (await Promise.race([managedLive, timeout])) ?? stored[MANAGED_CACHE_KEY];
    if (managed === undefined) void managedLive.then(() => { current = null; });
    return resolvePolicy(managed, stored[LOCAL_KEY]);
  }

  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'managed' || (area === 'local' && LOCAL_KEY in changes)) current = null;
  });

  return {
    get(): Promise<ResolvedPolicy> {
      current ??= load();
      return current;
    },
  };
}
