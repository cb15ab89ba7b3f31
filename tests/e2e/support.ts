import type { CDPSession, Page } from 'playwright-core';
import { launchWithExtension, routeFixtures, type ExtensionBrowser } from '../../scripts/lib/browser';

export { callFrame, callUrl, switchFixture } from '../../scripts/lib/browser';

export async function startBrowser(opts: { executablePath?: string; extraArgs?: string[]; profile?: string } = {}) {
  const browser = await launchWithExtension(opts);
  const fixtures = await routeFixtures(browser.context);
  return { ...browser, fixtures };
}
export type TestBrowser = Awaited<ReturnType<typeof startBrowser>>;

export interface DomNode {
  nodeId: number;
  nodeName: string;
  children?: DomNode[];
  shadowRoots?: DomNode[];
}

/** The prompt's host in a CDP DOM tree (pierced: shadow roots included). */
export function findHost(node: DomNode): DomNode | null {
  if (node.nodeName === 'CANDOR-CONSENT') return node;
  for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) {
    const found = findHost(child);
    if (found) return found;
  }
  return null;
}

/**
 * The consent prompt lives in a closed shadow root that page scripts (and Playwright locators)
 * cannot enter. The DevTools protocol can: it reads the prompt and finds where its buttons are,
 * and clicks go through the real mouse, so they are trusted events like a rep's.
 */
export class PromptDriver {
  private session: Promise<CDPSession> | null = null;
  constructor(private page: Page) {}

  private get cdp(): Promise<CDPSession> {
    this.session ??= this.page.context().newCDPSession(this.page);
    return this.session;
  }

  /**
   * Turns DevTools' DOM agent off and detaches. DOM.getDocument enables that agent for the page:
   * from then on every DOM change is mirrored to the client (~20 % more main-thread time on a
   * busy call page, bench row 1). Measurements release the driver first; the next call reattaches.
   */
  async release(): Promise<void> {
    const session = this.session;
    this.session = null;
    if (!session) return;
    const cdp = await session;
    await cdp.send('DOM.disable').catch(() => {});
    await cdp.detach().catch(() => {});
  }

  private async shadowRoot(): Promise<string | null> {
    const cdp = await this.cdp;
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const host = findHost(root);
    const shadow = host?.shadowRoots?.[0];
    if (!shadow) return null;
    try {
      const { object } = await cdp.send('DOM.resolveNode', { nodeId: shadow.nodeId });
      return object.objectId ?? null;
    } catch {
      return null; // the prompt was replaced between the two calls (a new call): read again
    }
  }

  async call<T>(fn: string, ...args: unknown[]): Promise<T | null> {
    const objectId = await this.shadowRoot();
    if (!objectId) return null;
    const cdp = await this.cdp;
    const { result, exceptionDetails } = await cdp.send('Runtime.callFunctionOn', {
      objectId,
      functionDeclaration: fn,
      arguments: args.map((value) => ({ value })),
      returnByValue: true,
    });
    if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
    return result.value as T;
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

  /** Names (accessible text) of the prompt's buttons. */
  buttons(): Promise<string[] | null> {
    return this.call<string[]>('function () { return [...this.querySelectorAll("button")].map((b) => b.textContent.trim()); }');
  }

  async buttonBox(name: string) {
    return this.call<{ x: number; y: number; width: number; height: number }>(
      `function (name) {
        const b = [...this.querySelectorAll("button")].find((el) => el.textContent.trim() === name);
        if (!b) return null;
        const r = b.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      }`,
      name,
    );
  }

  /** Where a prompt button's centre is on the page (a click there after `release()` needs no DevTools). */
  async buttonCenter(name: string): Promise<{ x: number; y: number }> {
    const box = await this.buttonBox(name);
    if (!box) throw new Error(`No prompt button named "${name}" (buttons: ${JSON.stringify(await this.buttons())})`);
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }

  /** Clicks a prompt button with the real mouse (a trusted event). */
  async click(name: string): Promise<void> {
    const { x, y } = await this.buttonCenter(name);
    await this.page.mouse.click(x, y);
  }

  /** Moves keyboard focus to a prompt element (what a Tab key would do); keys typed next are trusted. */
  async focus(selector: string): Promise<void> {
    const ok = await this.call<boolean>('function (sel) { const el = this.querySelector(sel); if (!el) return false; el.focus(); return true; }', selector);
    if (!ok) throw new Error(`No prompt element matches ${selector}`);
  }

  /** The element focused inside the prompt, as its text, or null. */
  focused(): Promise<string | null> {
    return this.call<string | null>('function () { return this.activeElement ? this.activeElement.textContent.trim() : null; }');
  }

  /** Whether the focused prompt element draws a visible focus outline. */
  focusOutline(): Promise<string | null> {
    return this.call<string | null>('function () { const el = this.activeElement; if (!el) return null; const s = getComputedStyle(el); return s.outlineStyle + " " + s.outlineWidth; }');
  }
}

/** Reads one object store of the extension's database from an extension page. */
export async function readStore<T = Record<string, unknown>>(b: ExtensionBrowser, store: string): Promise<T[]> {
  const page = await b.context.newPage();
  try {
    await page.goto(`chrome-extension://${b.extensionId}/popup.html`);
    return await page.evaluate(
      (name) =>
        new Promise<T[]>((resolve, reject) => {
          const open = indexedDB.open('candor');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            if (!db.objectStoreNames.contains(name)) return resolve([]);
            const req = db.transaction(name).objectStore(name).getAll();
            req.onsuccess = () => { resolve(req.result as T[]); db.close(); };
            req.onerror = () => reject(req.error);
          };
        }),
      store,
    );
  } finally {
    await page.close();
  }
}

export async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value)) {
    if (Date.now() > end) throw new Error(`Timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}
