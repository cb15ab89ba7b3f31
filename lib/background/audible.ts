import { NUDGES_KEY, type NudgeCounts } from '../detect/health';
import { t } from '../i18n';
import { platformForUrl } from '../platforms';

import type { Services } from './services';
import { clearTab, markTab } from './tab-badge';
import type { PlatformId } from '../model';

/**
 * The net under selector-based detection: a call-platform tab that starts playing sound is almost
 * certainly in a call. If no call was detected in it shortly after, the platform's page has
 * probably changed; the rep is nudged to start the consent check by hand (badge + the prompt's
 * manual start), and the miss is counted in detection health. `tabs.onUpdated` reports `audible`
 * without any extra permission; the tab's URL is visible to us only on the call platforms.
 */
export const AUDIBLE_GRACE_MS = 6_000;

export interface AudibleDeps {
  /** Whether the tab is in a call Candor detected (admitted). */
  inCall(tabId: number): Promise<boolean>;
  /** Asks the tab's content script to offer the manual start; false when none answers. */
  offerManualStart(tabId: number): Promise<boolean>;
  setTimer(run: () => void, ms: number): void;
}

export function createAudibleNet(s: Services, deps: AudibleDeps) {
  /** Tabs waiting out the grace period (in memory: a worker restart at worst skips one nudge). */
  const waiting = new Set<number>();
  const nudged = new Set<number>();

  async function nudge(tabId: number, platform: PlatformId) {
    nudged.add(tabId);
    await markTab(tabId, '?', t('badge_nudge_title'));
    await deps.offerManualStart(tabId);
    await s.db.transaction('rw', s.db.meta, async () => {
      const counts = ((await s.db.meta.get(NUDGES_KEY))?.value ?? {}) as NudgeCounts;
      const mine = counts[platform] ?? { nudges: 0, lastAt: 0 };
      await s.db.meta.put({ key: NUDGES_KEY, value: { ...counts, [platform]: { nudges: mine.nudges + 1, lastAt: s.now() } } });
    });
  }

  return {
    /** A tab's audible state changed (tabs.onUpdated). Returns once the check is scheduled. */
    audible(tabId: number, audible: boolean, url: string | undefined) {
      if (!audible || !url || waiting.has(tabId) || nudged.has(tabId)) return;
      let platform: PlatformId | undefined;
      try {
        platform = platformForUrl(new URL(url))?.id;
      } catch {
        return;
      }
      if (!platform) return;
      waiting.add(tabId);
      deps.setTimer(() => {
        waiting.delete(tabId);
        void deps.inCall(tabId).then((inCall) => (inCall ? undefined : nudge(tabId, platform)));
      }, AUDIBLE_GRACE_MS);
    },
    /** A call was detected in the tab, or the tab navigated or closed: the nudge is over. */
    clear(tabId: number) {
      waiting.delete(tabId);
      if (!nudged.delete(tabId)) return;
      void clearTab(tabId, '?');
    },
  };
}
