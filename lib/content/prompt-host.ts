import { browser } from 'wxt/browser';
import type { PageGuardState } from '../model';

export type PromptPosition = 'top-right' | 'bottom-right';

/**
 * The prompt's box in the call page: a `<candor-consent>` element with a closed shadow root that
 * holds Candor's own frame (prompt.html, another origin: the page can neither read nor script it).
 * The box is sized to what the frame reports. Its guard checks, while the prompt is shown, that the
 * page has not removed, moved, hidden, shrunk or covered it: a removed or moved box is put back
 * (a few times, then the page has won and the rep decides from the toolbar button); anything else
 * is reported, and the frame takes no choice until it is clear again (input-guard.ts).
 */
export interface PromptHost {
  /** Shows the box (at `size`, or the frame's last reported size). */
  show(size?: { width: number; height: number }): void;
  hide(): void;
  resize(width: number, height: number, choices: boolean): void;
  /**
   * The page's interference with the box right now. `full`: also where it is drawn (a few layout
   * reads; while the prompt takes choices); else only whether it is still in place (no layout).
   */
  check(full: boolean): PageGuardState;
  /** Whether the frame shows choices now (what it last said with its size). */
  choices(): boolean;
  remove(): void;
}

/** What an expanded prompt takes before the frame says (components/consent-prompt/styles.ts). */
export const EXPANDED_SIZE = { width: 376, height: 456 };
/** More put-backs than this within REMOUNT_WINDOW_MS: the page keeps removing the prompt. */
const MAX_REMOUNTS = 5;
const REMOUNT_WINDOW_MS = 60_000;
/** The box may be this much smaller than set (subpixel rounding) before it counts as shrunk. */
const SHRINK_TOLERANCE = 0.9;

const hostCss = `
:host {
  all: initial !important;
  position: fixed !important;
  z-index: 2147483647 !important;
  display: block !important;
  visibility: visible !important;
  opacity: 1 !important;
  transform: none !important;
  filter: none !important;
  clip-path: none !important;
  mask: none !important;
  zoom: 1 !important;
  pointer-events: auto !important;
  contain: layout style !important;
  /* Its own compositor layer: the call page repaints video tiles all the time (bench row 1). */
  will-change: transform !important;
}
:host([data-position="top-right"]) { top: 64px !important; right: 8px !important; }
:host([data-position="bottom-right"]) { bottom: 16px !important; right: 8px !important; }
:host([data-shown="false"]) { visibility: hidden !important; pointer-events: none !important; }
/* A box taller than the room below the platform's top bar moves up over it, so it never scrolls. */
:host([data-position="top-right"][data-tall]) { top: 8px !important; }
iframe { display: block; border: 0; margin: 0; padding: 0; background: transparent; color-scheme: normal;
  max-width: calc(100vw - 16px); max-height: calc(100vh - 80px); }
:host([data-tall]) iframe { max-height: calc(100vh - 16px); }
`;

/** Chromium 133+ moves a node without reloading its frames; elsewhere the box is re-inserted. */
type Movable = Element & { moveBefore?: (node: Node, child: Node | null) => void };

export function createPromptHost(opts: { position: PromptPosition; token: string }): PromptHost {
  const host = document.createElement('candor-consent');
  host.setAttribute('data-position', opts.position);
  host.setAttribute('data-shown', 'false');
  const shadow = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = hostCss;
  const frame = document.createElement('iframe');
  frame.src = `${browser.runtime.getURL('/prompt.html')}#${opts.token}`;
  frame.title = browser.i18n.getMessage('prompt_frame_title') || 'Candor consent check';
  frame.setAttribute('scrolling', 'no');
  shadow.append(style, frame);
  frame.style.width = `${EXPANDED_SIZE.width}px`;
  frame.style.height = `${EXPANDED_SIZE.height}px`;
  // One prompt per page: a copy left by an older content script gives way.
  for (const other of document.querySelectorAll('candor-consent')) other.remove();
  document.documentElement.append(host);

  // A window made shorter or taller can move the box over the top bar or back (see data-tall).
  addEventListener('resize', () => apply(), { passive: true });

  // Hidden at the expanded size: the frame lays out and draws ahead, so showing it is instant.
  let size = { ...EXPANDED_SIZE };
  let shown = false;
  /** Choices on screen (an expanded panel, a question about a notetaker): shown until the frame says. */
  let choicesShown = true;
  const remounts: number[] = [];

  function apply() {
    frame.style.width = `${size.width}px`;
    frame.style.height = `${size.height}px`;
    host.toggleAttribute('data-tall', size.height > innerHeight - 80);
  }

  /** Puts the box back at the end of <html>, where only the top layer can paint over it. */
  function remount(): boolean {
    const now = Date.now();
    while (remounts.length && remounts[0]! < now - REMOUNT_WINDOW_MS) remounts.shift();
    if (remounts.length >= MAX_REMOUNTS) return false;
    remounts.push(now);
    const root = document.documentElement as Movable;
    if (host.isConnected && host.parentNode === root && root.moveBefore) root.moveBefore(host, null);
    else root.append(host);
    return true;
  }

  function covered(rect: DOMRect): boolean {
    // The top layer (modal dialogs, popovers, fullscreen) paints over any z-index.
    let top: NodeListOf<Element> | Element[] = [];
    try {
      top = document.querySelectorAll(':modal, :popover-open, :fullscreen');
    } catch {
      top = [...document.querySelectorAll('dialog[open]')];
    }
    for (const el of top) {
      if (el === host || host.contains(el)) continue;
      if (el.matches('dialog')) return true; // a modal dialog's backdrop covers the whole page
      const r = el.getBoundingClientRect();
      if (r.right > rect.left && r.left < rect.right && r.bottom > rect.top && r.top < rect.bottom) return true;
    }
    // Something that takes pointer events drawn over the box's centre.
    const hit = document.elementFromPoint(rect.left + rect.width / 2, rect.top + Math.min(rect.height / 2, 24));
    return hit !== null && hit !== host && !host.contains(hit);
  }

  return {
    show(next) {
      if (next) size = next;
      apply();
      shown = true;
      host.setAttribute('data-shown', 'true');
    },
    hide() {
      shown = false;
      host.setAttribute('data-shown', 'false');
    },
    resize(width, height, withChoices) {
      size = { width, height };
      choicesShown = withChoices;
      apply();
    },
    check(full) {
      const root = document.documentElement;
      if (!host.isConnected || host.parentNode !== root || host.nextElementSibling) {
        if (!remount()) return 'removed';
      }
      if (!full || !shown || size.height === 0) return 'ok';
      const visible = typeof host.checkVisibility === 'function' ? host.checkVisibility({ opacityProperty: true, visibilityProperty: true }) : true;
      const page = getComputedStyle(root);
      const veiled = Number(page.opacity) < 1 || page.filter !== 'none' || page.transform !== 'none' || (page.clipPath || 'none') !== 'none';
      const rect = host.getBoundingClientRect();
      const offscreen = rect.right <= 0 || rect.bottom <= 0 || rect.left >= innerWidth || rect.top >= innerHeight;
      if (!visible || veiled || offscreen) return 'hidden';
      const expected = frame.getBoundingClientRect();
      const set = { width: Math.min(size.width, innerWidth - 16), height: Math.min(size.height, innerHeight - (host.hasAttribute('data-tall') ? 16 : 80)) };
      if (expected.width < set.width * SHRINK_TOLERANCE || expected.height < set.height * SHRINK_TOLERANCE) return 'shrunk';
      return covered(rect) ? 'covered' : 'ok';
    },
    choices() {
      return shown && choicesShown;
    },
    remove() {
      host.remove();
    },
  };
}
