import type { Page } from 'puppeteer-core';

/**
 * Candor's own pages (popup.html, options.html) open in a Firefox tab at their moz-extension://
 * URL. Elements are found by their accessible name (puppeteer's `::-p-aria(…)`, which BiDi
 * resolves through Firefox's accessibility tree) or by CSS; clicks and typing are BiDi input,
 * i.e. trusted, as a rep's.
 */
export class ExtensionPage {
  constructor(readonly page: Page) {}

  /** The page's visible text. */
  text(): Promise<string> {
    return this.page.evaluate(() => document.body.innerText);
  }

  async waitForText(pattern: RegExp, timeoutMs = 5_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < end) {
      last = await this.text().catch(() => '');
      if (pattern.test(last)) return last;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`The page never showed ${pattern}; last text: ${JSON.stringify(last.slice(0, 2_000))}`);
  }

  /** Clicks the element with this accessible name (and role, when given). */
  async click(name: string, role = 'button', timeoutMs = 5_000): Promise<void> {
    await this.page.locator(`::-p-aria([name=${JSON.stringify(name)}][role="${role}"])`).setTimeout(timeoutMs).click();
  }

  /** Clicks the first element of this role whose accessible name matches. */
  async clickMatching(role: string, pattern: RegExp, timeoutMs = 5_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      for (const handle of await this.page.$$(`::-p-aria([role="${role}"])`)) {
        const name = await handle.evaluate((el) => (el as HTMLElement).innerText || el.getAttribute('aria-label') || '');
        if (pattern.test(name)) {
          await handle.click();
          return;
        }
      }
      if (Date.now() > end) throw new Error(`No ${role} matching ${pattern}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Replaces the text of a field (CSS selector or accessible name) by typing it. */
  async fill(target: string, value: string, timeoutMs = 5_000): Promise<void> {
    const selector = /^[#.[]/.test(target) ? target : `::-p-aria(${target})`;
    await this.page.locator(selector).setTimeout(timeoutMs).fill(value);
  }

  /**
   * Types a date into an <input type="date"> the way a rep does: focus, then the digits in the
   * field order of the browser's locale (month, day, year in Firefox's en-US), then checks it took.
   */
  async typeDate(name: string, isoDate: string): Promise<void> {
    const [y, m, d] = isoDate.split('-');
    const field = await this.page.locator(`::-p-aria(${name})`).waitHandle();
    await field.focus();
    await this.page.keyboard.type(`${m}${d}${y}`);
    const value = await field.evaluate((el) => (el as HTMLInputElement).value);
    if (value !== isoDate) throw new Error(`Typed ${isoDate} into "${name}", which now holds "${value}"`);
  }

  /**
   * Sets a long value at once (typing 20,000 characters would take minutes), the way a paste
   * does: the native value setter, then an input event React listens to.
   */
  async paste(selector: string, value: string): Promise<void> {
    await this.page.$eval(
      selector,
      (el, v) => {
        const field = el as HTMLTextAreaElement | HTMLInputElement;
        const proto = field instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
        Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(field, v);
        field.dispatchEvent(new Event('input', { bubbles: true }));
      },
      value,
    );
  }

  value(selector: string): Promise<string> {
    return this.page.$eval(selector, (el) => (el as HTMLInputElement).value);
  }

  /** Text of the first element with this role (e.g. "status", "alert"), or null. */
  async roleText(role: string): Promise<string | null> {
    const handle = await this.page.$(`::-p-aria([role="${role}"])`);
    return handle ? handle.evaluate((el) => (el as HTMLElement).innerText) : null;
  }
}
