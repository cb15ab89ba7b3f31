import type { Frame, Page } from 'playwright-core';

/**
 * The consent prompt lives in Candor's own frame (prompt.html, an extension page) inside a closed
 * shadow root: page scripts cannot reach it, Playwright can (it drives every frame of the tab).
 * Clicks go through the real mouse, so they are trusted events like a rep's, and they wait until
 * the prompt is armed (visible and unobstructed for a moment, components/consent-prompt/input-guard.ts).
 */
export class PromptDriver {
  constructor(private page: Page) {}

  /** The prompt frame, if the page has one. */
  frame(): Frame | null {
    return this.page.frames().find((f) => f.url().includes('/prompt.html')) ?? null;
  }

  /** Kept for callers that released DevTools' DOM agent before measuring (the frame needs none). */
  async release(): Promise<void> {}

  /** Whether the prompt's box is shown in the page (it is loaded, hidden, while in the lobby). */
  private async shown(): Promise<boolean> {
    return this.page.evaluate(() => document.querySelector('candor-consent')?.getAttribute('data-shown') === 'true').catch(() => false);
  }

  /** Runs `fn` (a function's source) in the prompt frame with `this` = its document. */
  async call<T>(fn: string, ...args: unknown[]): Promise<T | null> {
    const frame = this.frame();
    if (!frame) return null;
    // An expression, not new Function(): the extension page's CSP forbids eval in the page itself.
    return (await frame.evaluate(`(${fn}).apply(document, ${JSON.stringify(args)})`)) as T;
  }

  /** The prompt's visible text, or null when no prompt is shown on the page. */
  async text(): Promise<string | null> {
    if (!(await this.shown())) return null;
    const text = await this.call<string>('function () { return this.getElementById("root")?.innerText ?? ""; }').catch(() => null);
    return text ? text : null;
  }

  async waitForText(pattern: RegExp, timeoutMs = 5_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    let last: string | null = null;
    while (Date.now() < end) {
      last = await this.text();
      if (last !== null && pattern.test(last)) return last;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`The prompt never showed ${pattern}; last text: ${JSON.stringify(last)}`);
  }

  /** Names (accessible text) of the prompt's buttons. */
  buttons(): Promise<string[] | null> {
    return this.call<string[]>('function () { return [...this.querySelectorAll("#root button")].map((b) => b.textContent.trim()); }');
  }

  /** Waits until the prompt takes choices (visible and unobstructed for a moment). */
  async armed(timeoutMs = 5_000): Promise<void> {
    const frame = this.frame();
    if (!frame) throw new Error('No prompt frame on the page');
    await frame.waitForFunction(() => document.documentElement.dataset.armed === 'true', undefined, { timeout: timeoutMs });
  }

  private async button(name: string) {
    const frame = this.frame();
    if (!frame) throw new Error('No prompt frame on the page');
    const index = (await this.buttons())?.indexOf(name) ?? -1;
    if (index < 0) throw new Error(`No prompt button named "${name}" (buttons: ${JSON.stringify(await this.buttons())})`);
    return frame.locator('#root button').nth(index);
  }

  /** Where a prompt button's centre is on the page (for a click by coordinates). */
  async buttonCenter(name: string): Promise<{ x: number; y: number }> {
    // A box just shown may take a frame to be laid out in the page.
    let box = await (await this.button(name)).boundingBox();
    for (let i = 0; !box && i < 40; i++) {
      await new Promise((r) => setTimeout(r, 50));
      box = await (await this.button(name)).boundingBox();
    }
    if (!box) throw new Error(`No prompt button named "${name}" (buttons: ${JSON.stringify(await this.buttons())})`);
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }

  /**
   * Clicks a prompt button with the real mouse (a trusted event); a choice once the prompt is armed
   * and the button takes it (the outcomes stay off until the background confirms the admission).
   */
  async click(name: string): Promise<void> {
    const choice = await (await this.button(name)).evaluate((el) => el.hasAttribute('data-choice'));
    if (choice) {
      await this.armed();
      // Both at once: the confirmed call's redraw enables the outcomes and restarts the arming delay.
      // Found again on each look: every redraw replaces the prompt's buttons.
      await this.frame()!.waitForFunction((label) => document.documentElement.dataset.armed === 'true'
        && [...document.querySelectorAll<HTMLButtonElement>('#root button')].some((b) => b.textContent?.trim() === label && !b.disabled), name, { timeout: 10_000 })
        .catch(() => Promise.reject(new Error(`The prompt's "${name}" stayed disabled or unarmed (no confirmed call)`)));
    }
    const { x, y } = await this.buttonCenter(name);
    await this.page.mouse.click(x, y);
  }

  /** Moves keyboard focus to a prompt element (what a Tab key would do); keys typed next are trusted. */
  async focus(selector: string): Promise<void> {
    const frame = this.frame();
    if (!frame) throw new Error('No prompt frame on the page');
    // Through DevTools, as a Tab key would: script in the frame may not pull the keyboard focus into it.
    await frame.locator(selector).first().focus();
  }

  /** The element focused inside the prompt, as its text, or null. */
  focused(): Promise<string | null> {
    return this.call<string | null>('function () { const el = this.activeElement; return el && el !== this.body ? el.textContent.trim() : null; }');
  }

  /** Whether the focused prompt element draws a visible focus outline. */
  focusOutline(): Promise<string | null> {
    return this.call<string | null>('function () { const el = this.activeElement; if (!el || el === this.body) return null; const s = getComputedStyle(el); return s.outlineStyle + " " + s.outlineWidth; }');
  }
}
