import type { Page } from 'puppeteer-core';
import type { FirefoxBrowser } from './firefox';

/**
 * The in-page consent prompt, as a rep sees and uses it, in real Firefox: the page object of the
 * Firefox e2e suite (tests/e2e-firefox) and of the Firefox bench cases (bench/cases/firefox-*.ts),
 * kept here so the bench does not import tests/. Everything that finds, reads or clicks the prompt
 * is in this file, so a change of how the prompt is built (today: plain DOM in a CLOSED shadow root
 * on <candor-consent>; possibly an extension-origin iframe inside that host later) is adapted here.
 *
 * How it reaches a closed shadow root in Firefox 153 ESR (verified): page scripts cannot
 * (`host.shadowRoot` is null), but WebDriver BiDi can. `script.evaluate` of the host with
 * `serializationOptions: { includeShadowTree: 'all', maxDomDepth: 0 }` returns the host node with
 * `value.shadowRoot.sharedId` even for mode "closed"; `script.callFunction` with
 * `this: { sharedId }` then runs a function on the shadow root itself (querySelector, innerText,
 * getBoundingClientRect, activeElement). The functions run in a BiDi sandbox realm (an isolated
 * world with Xray wrappers), so a hostile page's globals cannot lie to the test.
 * `browsingContext.locateNodes` with the same serialization option also returns the shadow root
 * (not needed here).
 * Clicks are real input: the button's centre from getBoundingClientRect, checked with the shadow
 * root's elementFromPoint to be that button (not covered, not off-screen), then puppeteer's
 * `page.mouse.click` = BiDi `input.performActions` (pointerMove/Down/Up): Firefox dispatches them
 * as trusted events, which is what the prompt requires (`event.isTrusted`). Keys go through
 * `page.keyboard` (BiDi key actions), also trusted.
 * If the prompt moves into an extension-origin iframe: that frame is a child browsing context of
 * the page in `browsingContext.getTree` (find it through the host's shadow root, then
 * `script.callFunction` with `target: { context: <iframe context> }`), and the iframe's box plus
 * the button's box inside it give the click coordinates on the page.
 */
const SANDBOX = 'candor-e2e';

type RemoteNode = { type: 'node'; sharedId: string; value?: { shadowRoot?: { sharedId: string } | null } };
type EvalResult = { type: 'success'; result: RemoteNode | { type: string } } | { type: 'exception'; exceptionDetails: { text: string } };

export class Prompt {
  constructor(
    private ff: FirefoxBrowser,
    readonly page: Page,
  ) {}

  private get target() {
    return { context: this.ff.contextId(this.page), sandbox: SANDBOX };
  }

  /** The shadow root's BiDi reference, or null when no prompt is on the page. */
  private async shadowRoot(): Promise<string | null> {
    const r = await this.ff.bidi<EvalResult>('script.evaluate', {
      expression: 'document.querySelector("candor-consent")',
      target: this.target,
      awaitPromise: false,
      serializationOptions: { includeShadowTree: 'all', maxDomDepth: 0 },
    });
    if (r.type !== 'success' || r.result.type !== 'node') return null;
    return (r.result as RemoteNode).value?.shadowRoot?.sharedId ?? null;
  }

  /**
   * Runs `fn` (function source; `this` is the prompt's shadow root) with JSON arguments and returns
   * its JSON result, or null when there is no prompt (or it was replaced between the two commands).
   */
  async call<T>(fn: string, ...args: unknown[]): Promise<T | null> {
    const root = await this.shadowRoot();
    if (!root) return null;
    const r = await this.ff
      .bidi<EvalResult>('script.callFunction', {
        functionDeclaration: `async function (json) { const r = await (${fn}).apply(this, JSON.parse(json)); return JSON.stringify(r === undefined ? null : r); }`,
        this: { sharedId: root },
        arguments: [{ type: 'string', value: JSON.stringify(args) }],
        target: this.target,
        awaitPromise: true,
      })
      .catch((error: Error) => {
        if (/no such node|stale/i.test(error.message)) return null;
        throw error;
      });
    if (!r) return null;
    if (r.type === 'exception') throw new Error(`In the prompt: ${r.exceptionDetails.text}`);
    return JSON.parse((r.result as unknown as { value: string }).value) as T;
  }

  /** The prompt's visible text, or null when no prompt is on the page. */
  text(): Promise<string | null> {
    return this.call<string>('function () { return this.querySelector(".root")?.innerText ?? ""; }');
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

  /** Names (text) of the prompt's buttons. */
  buttons(): Promise<string[] | null> {
    return this.call<string[]>('function () { return [...this.querySelectorAll("button")].map((b) => b.textContent.trim()); }');
  }

  /** Where a button's centre is on the page, checked to be that very button (visible, on top). */
  async buttonCenter(name: string): Promise<{ x: number; y: number }> {
    const found = await this.call<{ x: number; y: number; hit: boolean; disabled: boolean } | null>(
      `function (name) {
        const b = [...this.querySelectorAll("button")].find((el) => el.textContent.trim() === name);
        if (!b) return null;
        const r = b.getBoundingClientRect();
        const x = r.x + r.width / 2, y = r.y + r.height / 2;
        const top = this.elementFromPoint(x, y);
        return { x, y, hit: top === b || b.contains(top), disabled: b.disabled };
      }`,
      name,
    );
    if (!found) throw new Error(`No prompt button named "${name}" (buttons: ${JSON.stringify(await this.buttons())})`);
    if (!found.hit) throw new Error(`The prompt button "${name}" is covered or off-screen at (${found.x}, ${found.y})`);
    return { x: found.x, y: found.y };
  }

  /** Clicks a prompt button with the real (BiDi) mouse: a trusted click, like the rep's. */
  async click(name: string): Promise<void> {
    const { x, y } = await this.buttonCenter(name);
    await this.page.mouse.click(x, y);
  }

  /** Waits until the named button is enabled (outcomes wait for the background's confirmation). */
  async waitEnabled(name: string, timeoutMs = 5_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const ok = await this.call<boolean>('function (name) { const b = [...this.querySelectorAll("button")].find((el) => el.textContent.trim() === name); return !!b && !b.disabled; }', name);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`The prompt button "${name}" never became enabled`);
  }

  /** The value of a form control in the prompt (e.g. the call-type select). */
  value(selector: string): Promise<string | null> {
    return this.call<string | null>('function (sel) { return this.querySelector(sel)?.value ?? null; }', selector);
  }

  /** The element focused inside the prompt, as its text, or null. */
  focused(): Promise<string | null> {
    return this.call<string | null>('function () { return this.activeElement ? this.activeElement.textContent.trim() : null; }');
  }

  /** A page script's view of the prompt (runs in the page's own realm, as the call site's code would). */
  async pageScriptView(): Promise<{ shadowRoot: boolean; width: number; height: number }> {
    return this.page.evaluate(() => {
      const host = document.querySelector('candor-consent') as HTMLElement | null;
      const r = host?.getBoundingClientRect();
      return { shadowRoot: !!host?.shadowRoot, width: r?.width ?? 0, height: r?.height ?? 0 };
    });
  }

  /**
   * Clicks the named button with `HTMLElement.click()` (an untrusted event) from code that can reach
   * it: the prompt must ignore it. Returns false when there is no such button.
   */
  async untrustedClick(name: string): Promise<boolean> {
    return (await this.call<boolean>('function (name) { const b = [...this.querySelectorAll("button")].find((el) => el.textContent.trim() === name); if (!b) return false; b.click(); return true; }', name)) ?? false;
  }
}
