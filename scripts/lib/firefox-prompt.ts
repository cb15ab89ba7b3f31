import type { Page } from 'puppeteer-core';
import type { FirefoxBrowser } from './firefox';

/**
 * The consent prompt, as a rep sees and uses it, in real Firefox: the page object of the Firefox
 * e2e suite (tests/e2e-firefox) and of the Firefox bench cases (bench/cases/firefox-*.ts), kept here
 * so the bench does not import tests/. Everything that finds, reads or clicks the prompt is here.
 *
 * The prompt is Candor's own frame (moz-extension://…/prompt.html) inside a CLOSED shadow root on
 * <candor-consent>. Page scripts reach neither; WebDriver BiDi reaches both:
 * - the frame is a child browsing context of the page (`browsingContext.getTree`): functions run in
 *   it with `script.evaluate` in a sandbox realm (`this` is the frame's document), so a hostile
 *   page's globals cannot lie to the test;
 * - the frame element's box in the page comes from the closed root: `script.evaluate` of the host
 *   with `serializationOptions: { includeShadowTree: 'all' }` returns the closed root's sharedId,
 *   and `script.callFunction` with `this: { sharedId }` measures the iframe in it.
 * Clicks are real input: the iframe's box plus the button's box inside it, checked with the frame's
 * elementFromPoint to be that button, then puppeteer's `page.mouse.click` = BiDi
 * `input.performActions`: Firefox dispatches them as trusted events, which the prompt requires.
 * A choice counts once the prompt is armed (visible for a moment: input-guard.ts); `click` waits.
 */
const SANDBOX = 'candor-e2e';

type RemoteNode = { type: 'node'; sharedId: string; value?: { shadowRoot?: { sharedId: string } | null } };
type EvalResult = { type: 'success'; result: RemoteNode | { type: string; value?: unknown } } | { type: 'exception'; exceptionDetails: { text: string } };
interface TreeNode { context: string; url: string; children?: TreeNode[] | null }

export class Prompt {
  constructor(
    private ff: FirefoxBrowser,
    readonly page: Page,
  ) {}

  /** The prompt frame's browsing context, or null when the page has none. */
  private async frameContext(): Promise<string | null> {
    const { contexts } = await this.ff.bidi<{ contexts: TreeNode[] }>('browsingContext.getTree', { root: this.ff.contextId(this.page) });
    const find = (nodes: TreeNode[] | null | undefined): string | null => {
      for (const n of nodes ?? []) {
        if (n.url.includes('/prompt.html')) return n.context;
        const inner = find(n.children);
        if (inner) return inner;
      }
      return null;
    };
    return find(contexts[0]?.children);
  }

  /**
   * Runs `fn` (function source; `this` is the prompt frame's document) with JSON arguments and
   * returns its JSON result, or null when there is no prompt frame.
   */
  async call<T>(fn: string, ...args: unknown[]): Promise<T | null> {
    const context = await this.frameContext();
    if (!context) return null;
    const r = await this.ff
      .bidi<EvalResult>('script.evaluate', {
        expression: `(async () => { const r = await (${fn}).apply(document, ${JSON.stringify(args)}); return JSON.stringify(r === undefined ? null : r); })()`,
        target: { context, sandbox: SANDBOX },
        awaitPromise: true,
      })
      .catch((error: Error) => {
        if (/no such (frame|node)|discarded|stale/i.test(error.message)) return null;
        throw error;
      });
    if (!r) return null;
    if (r.type === 'exception') throw new Error(`In the prompt: ${r.exceptionDetails.text}`);
    return JSON.parse((r.result as { value: string }).value) as T;
  }

  /** Whether the prompt's box is shown in the page (it is loaded, hidden, while in the lobby). */
  private async shown(): Promise<boolean> {
    return this.page.evaluate(() => document.querySelector('candor-consent')?.getAttribute('data-shown') === 'true').catch(() => false);
  }

  /** The prompt frame's box in the page, measured inside the closed shadow root. */
  private async frameBox(): Promise<{ x: number; y: number } | null> {
    const target = { context: this.ff.contextId(this.page), sandbox: SANDBOX };
    const host = await this.ff.bidi<EvalResult>('script.evaluate', {
      expression: 'document.querySelector("candor-consent")',
      target,
      awaitPromise: false,
      serializationOptions: { includeShadowTree: 'all', maxDomDepth: 0 },
    });
    if (host.type !== 'success' || host.result.type !== 'node') return null;
    const root = (host.result as RemoteNode).value?.shadowRoot?.sharedId;
    if (!root) return null;
    const r = await this.ff.bidi<EvalResult>('script.callFunction', {
      functionDeclaration: 'function () { const r = this.querySelector("iframe").getBoundingClientRect(); return JSON.stringify({ x: r.x, y: r.y }); }',
      this: { sharedId: root },
      target,
      awaitPromise: false,
    });
    if (r.type !== 'success') return null;
    return JSON.parse((r.result as { value: string }).value) as { x: number; y: number };
  }

  /** The prompt's visible text, or null when no prompt is shown on the page. */
  async text(): Promise<string | null> {
    if (!(await this.shown())) return null;
    const text = await this.call<string>('function () { return this.getElementById("root")?.innerText ?? ""; }');
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

  /** Names (text) of the prompt's buttons. */
  buttons(): Promise<string[] | null> {
    return this.call<string[]>('function () { return [...this.querySelectorAll("#root button")].map((b) => b.textContent.trim()); }');
  }

  /** Waits until the prompt takes choices (visible and unobstructed for a moment). */
  async armed(timeoutMs = 5_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (await this.call<boolean>('function () { return this.documentElement.dataset.armed === "true"; }')) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('The prompt never became armed');
  }

  /** Where a button's centre is on the page, checked to be that very button (visible, on top in the frame). */
  async buttonCenter(name: string): Promise<{ x: number; y: number }> {
    const found = await this.call<{ x: number; y: number; hit: boolean } | null>(
      `function (name) {
        const b = [...this.querySelectorAll("#root button")].find((el) => el.textContent.trim() === name);
        if (!b) return null;
        const r = b.getBoundingClientRect();
        const x = r.x + r.width / 2, y = r.y + r.height / 2;
        const top = this.elementFromPoint(x, y);
        return { x, y, hit: top === b || b.contains(top) };
      }`,
      name,
    );
    if (!found) throw new Error(`No prompt button named "${name}" (buttons: ${JSON.stringify(await this.buttons())})`);
    if (!found.hit) throw new Error(`The prompt button "${name}" is covered or off-screen in the frame at (${found.x}, ${found.y})`);
    const box = await this.frameBox();
    if (!box) throw new Error('The prompt frame has no box on the page');
    return { x: box.x + found.x, y: box.y + found.y };
  }

  /** Clicks a prompt button with the real (BiDi) mouse: a trusted click, like the rep's; a choice once armed. */
  async click(name: string): Promise<void> {
    const choice = await this.call<boolean>('function (name) { return !![...this.querySelectorAll("#root button")].find((el) => el.textContent.trim() === name)?.hasAttribute("data-choice"); }', name);
    if (choice) await this.armed();
    const { x, y } = await this.buttonCenter(name);
    await this.page.mouse.click(x, y);
  }

  /** Waits until the named button is enabled (outcomes wait for the background's confirmation). */
  async waitEnabled(name: string, timeoutMs = 5_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const ok = await this.call<boolean>('function (name) { const b = [...this.querySelectorAll("#root button")].find((el) => el.textContent.trim() === name); return !!b && !b.disabled; }', name);
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
    return this.call<string | null>('function () { const el = this.activeElement; return el && el !== this.body ? el.textContent.trim() : null; }');
  }

  /** A page script's view of the prompt (runs in the page's own realm, as the call site's code would). */
  async pageScriptView(): Promise<{ shadowRoot: boolean; width: number; height: number; text: string }> {
    return this.page.evaluate(() => {
      const host = document.querySelector('candor-consent') as HTMLElement | null;
      const r = host?.getBoundingClientRect();
      return { shadowRoot: !!host?.shadowRoot, width: r?.width ?? 0, height: r?.height ?? 0, text: host?.textContent ?? '' };
    });
  }

  /**
   * Clicks the named button with `HTMLElement.click()` (an untrusted event) from code that can reach
   * it: the prompt must ignore it. Returns false when there is no such button.
   */
  async untrustedClick(name: string): Promise<boolean> {
    return (await this.call<boolean>('function (name) { const b = [...this.querySelectorAll("#root button")].find((el) => el.textContent.trim() === name); if (!b) return false; b.click(); return true; }', name)) ?? false;
  }
}
