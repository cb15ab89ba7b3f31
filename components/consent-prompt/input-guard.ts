
import type { ArmState } from '.';
import type { PageGuardState } from '../../lib/model';

/**
 * Input protection for the prompt's choices, in the spirit of Chrome's own permission prompts: a
 * click counts only once the prompt has been visible and unobstructed for ARM_DELAY_MS without a
 * break, and while it still is. Two witnesses:
 * - IntersectionObserver v2 (`trackVisibility`), where the browser has it (Chromium): it reports
 *   the frame as not visible whenever anything is drawn over it (a transparent top-layer element
 *   with swapped labels included), or it is transformed, filtered or made transparent.
 * - The content script's guard in the call page (lib/content/prompt-host.ts): removed, hidden,
 *   shrunk (zoom) or covered by a top-layer element. Firefox has no IntersectionObserver v2, so
 *   there this is the only witness.
 * A page that slides the prompt under a cursor the rep keeps clicking gets nothing either: every
 * obstruction or move restarts the delay.
 */
export const ARM_DELAY_MS = 500;

export interface InputGuard extends ArmState {
  /** The content script's latest verdict on the frame's host in the page. */
  pageState(state: PageGuardState): void;
  /** Clicks from now on wait a full delay again (a new call shown). */
  rearm(): void;
  /**
   * Whether choices are on screen (an expanded panel). Tracking visibility has a cost for the call
   * page, so the collapsed pill is not tracked; expanding arms after a full delay.
   */
  track(on: boolean): void;
}

/**
 * `onChange`: the obstruction state changed (redraw). `onArmed`: called whenever the prompt becomes
 * armed or stops being armed (the frame marks it on its root for tests and assistive tech).
 */
export function createInputGuard(target: Element, onChange: () => void, onArmed: (armed: boolean) => void = () => {}, now: () => number = () => performance.now()): InputGuard {
  const hasV2 = typeof IntersectionObserverEntry !== 'undefined' && 'isVisible' in IntersectionObserverEntry.prototype;
  /** Since when both witnesses say "visible and unobstructed" (null: not now). */
  let clearSince: number | null = null;
  let seenVisible = !hasV2;
  let page: PageGuardState = 'ok';
  let reported = false;
  /** IntersectionObserver v2 has reported the frame visible at least once (a new frame is not "covered"). */
  let visibleOnce = false;

  const clear = () => seenVisible && page === 'ok';
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** Tells onArmed when the delay has passed (or at once that the prompt is no longer armed). */
  function schedule() {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (clearSince === null) return onArmed(false);
    const left = ARM_DELAY_MS - (now() - clearSince);
    if (left <= 0) return onArmed(true);
    onArmed(false);
    timer = setTimeout(schedule, left + 1);
  }
  function update() {
    const wasObstructed = reported;
    const wasClear = clearSince !== null;
    if (clear()) clearSince ??= now();
    else clearSince = null;
    if (wasClear !== (clearSince !== null)) schedule();
    // "Obstructed" is what the rep is told; a prompt that merely just appeared is not obstructed.
    reported = page !== 'ok' || (hasV2 && tracking && !seenVisible && visibleOnce);
    if (reported !== wasObstructed) onChange();
  }

  let observer: IntersectionObserver | null = null;
  let tracking = false;
  if (hasV2) {
    observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const visible = (entry as IntersectionObserverEntry & { isVisible?: boolean }).isVisible === true && entry.intersectionRatio >= 0.99;
          if (visible) visibleOnce = true;
          seenVisible = visible;
        }
        update();
      },
      // trackVisibility needs a delay of at least 100 ms; the whole frame must be in view.
      { threshold: [0.99], trackVisibility: true, delay: 100 } as IntersectionObserverInit,
    );
  }

  // Without IntersectionObserver v2 the page's guard is the witness: clear until it says otherwise.
  if (!hasV2) update();

  return {
    armed: () => clearSince !== null && now() - clearSince >= ARM_DELAY_MS,
    obstructed: () => reported,
    pageState(state) {
      page = state;
      update();
    },
    rearm() {
      if (clearSince === null) return;
      clearSince = now();
      schedule();
    },
    track(on) {
      if (!observer || on === tracking) return;
      tracking = on;
      visibleOnce = false;
      if (on) observer.observe(target);
      else {
        observer.unobserve(target);
        seenVisible = false;
        update();
      }
    },
  };
}
