import { afterEach, describe, expect, it, vi } from 'vitest';
import { ARM_DELAY_MS, createInputGuard } from '../../components/consent-prompt/input-guard';

/**
 * The prompt's input protection: a choice counts only after the prompt has been visible and
 * unobstructed for ARM_DELAY_MS without a break. Time is a fake clock; visibility comes from a
 * stand-in IntersectionObserver v2 (what Chromium gives the frame) or, without one (Firefox), from
 * the content script's verdict on the box in the page.
 */
let clock = 0;
const now = () => clock;

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('without IntersectionObserver v2 (the page guard is the witness)', () => {
  it('is armed only after a full delay, loses it at once when the page obstructs the prompt, and starts over', () => {
    clock = 1_000;
    const onChange = vi.fn();
    const guard = createInputGuard(document.createElement('div'), onChange, () => {}, now);
    expect(guard.armed()).toBe(false);
    clock += ARM_DELAY_MS - 1;
    expect(guard.armed()).toBe(false);
    clock += 1;
    expect(guard.armed()).toBe(true);

    guard.pageState('covered');
    expect(guard.armed()).toBe(false);
    expect(guard.obstructed()).toBe(true);
    expect(onChange).toHaveBeenCalledTimes(1);
    clock += 10 * ARM_DELAY_MS;
    expect(guard.armed()).toBe(false);

    guard.pageState('ok');
    expect(guard.obstructed()).toBe(false);
    clock += ARM_DELAY_MS - 1;
    expect(guard.armed()).toBe(false); // a prompt slid back under the cursor waits again
    clock += 1;
    expect(guard.armed()).toBe(true);
  });

  it('rearm() (a new call shown) restarts the delay', () => {
    clock = 0;
    const guard = createInputGuard(document.createElement('div'), () => {}, () => {}, now);
    clock += 2 * ARM_DELAY_MS;
    expect(guard.armed()).toBe(true);
    guard.rearm();
    expect(guard.armed()).toBe(false);
    clock += ARM_DELAY_MS;
    expect(guard.armed()).toBe(true);
  });
});

describe('with IntersectionObserver v2 (Chromium)', () => {
  type Callback = (entries: Array<{ isVisible: boolean; intersectionRatio: number }>) => void;
  let report: Callback = () => {};
  function stubV2() {
    class Entry {
      get isVisible() { return true; }
    }
    vi.stubGlobal('IntersectionObserverEntry', Entry);
    vi.stubGlobal('IntersectionObserver', class {
      constructor(cb: Callback, public options: IntersectionObserverInit & { trackVisibility?: boolean }) {
        expect(options.trackVisibility).toBe(true);
        report = cb;
      }
      observe() {}
      unobserve() {}
      disconnect() {}
    });
  }

  it('a prompt never seen visible takes nothing; covered by anything (a transparent overlay too), it stops at once', () => {
    stubV2();
    clock = 0;
    const armed = vi.fn();
    const guard = createInputGuard(document.createElement('div'), () => {}, armed, now);
    guard.track(true); // a panel with choices is shown
    clock += 5 * ARM_DELAY_MS;
    expect(guard.armed()).toBe(false); // hidden in the lobby: never reported visible
    report([{ isVisible: true, intersectionRatio: 1 }]);
    clock += ARM_DELAY_MS;
    expect(guard.armed()).toBe(true);
    report([{ isVisible: false, intersectionRatio: 1 }]); // occluded, transformed or faded by the page
    expect(guard.armed()).toBe(false);
    expect(guard.obstructed()).toBe(true);
    expect(armed).toHaveBeenLastCalledWith(false);
    report([{ isVisible: true, intersectionRatio: 0.5 }]); // half off screen is not "in view"
    clock += 2 * ARM_DELAY_MS;
    expect(guard.armed()).toBe(false);
    // Collapsed (no choices on screen): not tracked, not "obstructed", not armed; expanded again, it waits a full delay.
    guard.track(false);
    expect(guard.obstructed()).toBe(false);
    expect(guard.armed()).toBe(false);
    guard.track(true);
    report([{ isVisible: true, intersectionRatio: 1 }]);
    clock += ARM_DELAY_MS - 1;
    expect(guard.armed()).toBe(false);
    clock += 1;
    expect(guard.armed()).toBe(true);
  });
});
