import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type HTTPRequest, type Page } from 'puppeteer-core';
import { fixtureHtml, type FixturePlatform } from './browser';
import { readAllInPage } from './extension-db';
import { DB_NAME } from '../../lib/model';

/**
 * Real Firefox (Debian's firefox-esr) with the built Firefox extension, driven by puppeteer-core
 * over WebDriver BiDi. Used by the Firefox e2e suite (tests/e2e-firefox) and the Firefox bench
 * cases (bench/cases/firefox-*.ts); the Chromium counterpart is ./browser.ts.
 */

/** The built Firefox extension (`npm run build:firefox`); CANDOR_OUT_DIR as in wxt.config.ts. */
export const FIREFOX_EXTENSION_DIR = resolve(import.meta.dirname, '../..', process.env.CANDOR_OUT_DIR ?? '.output', 'firefox-mv2');
/** The gecko id from wxt.config.ts: what policies.json names. */
export const FIREFOX_ADDON_ID = 'candor@candor.dev';
/**
 * Firefox gives every installed add-on a random internal UUID (its moz-extension:// host). The
 * `extensions.webextensions.uuids` pref fixes it before install, so extension pages have a known URL.
 */
export const FIREFOX_EXTENSION_UUID = 'c4d0a11e-0f1e-4f0c-9a5e-ca11c0115e47';
export const FIREFOX_EXTENSION_ORIGIN = `moz-extension://${FIREFOX_EXTENSION_UUID}`;

/** Debian's firefox-esr first (what .ci/run installs), then other names; FIREFOX_PATH picks another. */
export function findFirefox(): string {
  const candidates = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox', '/usr/lib/firefox-esr/firefox-esr', '/usr/lib/firefox/firefox'];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (found) return found;
  throw new Error('No Firefox found. Install it with "sudo apt-get install -y firefox-esr" (Debian/Ubuntu) or set FIREFOX_PATH to a Firefox binary.');
}

export function assertFirefoxBuild(dir = FIREFOX_EXTENSION_DIR) {
  if (!existsSync(join(dir, 'manifest.json'))) {
    throw new Error(`The Firefox extension is not built (${dir} is missing). Run "npm run build:firefox" first.`);
  }
}

const hostPlatform = (host: string): FixturePlatform | null =>
  host === 'meet.google.com' ? 'meet' : host.endsWith('zoom.us') || host.endsWith('zoom.com') ? 'zoom' : host.startsWith('teams.') ? 'teams' : null;

export interface LaunchFirefoxOptions {
  /** A wrapper (e.g. firefoxWithPolicies) instead of the plain binary. */
  executablePath?: string;
  /** An existing profile folder (kept at close); default: a throwaway one. */
  profile?: string;
  /**
   * 'temporary': installed as a temporary add-on over BiDi (webExtension.install), like
   * about:debugging. 'policy': not installed by the test at all: the policies.json the
   * executablePath's wrapper provides installs it (ExtensionSettings, force_installed).
   */
  install?: 'temporary' | 'policy';
  extraPrefs?: Record<string, unknown>;
  headless?: boolean;
}

/**
 * Firefox with Candor installed, on a throwaway profile, with no network: platform pages are
 * served from the committed fixtures by request interception in every page made with `newPage()`
 * (any other http(s) request is aborted).
 */
export async function launchFirefoxWithExtension(opts: LaunchFirefoxOptions = {}) {
  const install = opts.install ?? 'temporary';
  if (install === 'temporary') assertFirefoxBuild();
  const ownProfile = opts.profile === undefined;
  const profile = opts.profile ?? mkdtempSync(join(tmpdir(), 'candor-firefox-profile-'));
  const browser: Browser = await puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: opts.executablePath ?? findFirefox(),
    headless: opts.headless ?? true,
    userDataDir: profile,
    // BiDi refuses to navigate a tab to moz-extension:// (not a "web-safe" URL) unless the remote
    // agent may reach privileged pages; the popup and options pages are opened that way.
    args: ['--remote-allow-system-access'],
    defaultViewport: { width: 1280, height: 800 },
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ADDON_ID]: FIREFOX_EXTENSION_UUID }),
      // The policy route installs the local build, which is not signed by Mozilla (ESR honours this).
      'xpinstall.signatures.required': false,
      ...opts.extraPrefs,
    },
  });
  const connection = (browser as unknown as { connection: { send(method: string, params: object): Promise<{ result: unknown }> } }).connection;
  /** A raw WebDriver BiDi command (what puppeteer does not expose). */
  const bidi = async <T = unknown>(method: string, params: object): Promise<T> => (await connection.send(method, params)).result as T;
  const contextId = (page: Page): string => (page.mainFrame() as unknown as { browsingContext: { id: string } }).browsingContext.id;

  try {
    if (install === 'temporary') {
      const id = await browser.installExtension(FIREFOX_EXTENSION_DIR);
      if (id !== FIREFOX_ADDON_ID) throw new Error(`Installed add-on has id ${id}, expected ${FIREFOX_ADDON_ID}`);
    } else {
      await waitForPolicyInstall(browser, bidi);
    }
  } catch (error) {
    await browser.close().catch(() => undefined);
    if (ownProfile) rmSync(profile, { recursive: true, force: true });
    throw error;
  }

  const current: Partial<Record<FixturePlatform, string>> = {};
  const exact = new Map<string, string>();
  const respond = (request: HTTPRequest) => {
    if (request.isInterceptResolutionHandled()) return;
    const url = new URL(request.url());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return void request.continue();
    const platform = hostPlatform(url.hostname);
    const body = exact.get(url.origin + url.pathname) ?? (platform && request.isNavigationRequest() ? current[platform] : undefined);
    if (body !== undefined) void request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body });
    else void request.abort();
  };

  const extensionUrl = (path: string) => `${FIREFOX_EXTENSION_ORIGIN}/${path.replace(/^\//, '')}`;
  /** Navigates with BiDi directly: puppeteer's goto waits for events a moz-extension load does not send it. */
  const navigate = async (page: Page, url: string) => {
    await bidi('browsingContext.navigate', { context: contextId(page), url, wait: 'complete' });
  };

  return {
    browser,
    profile,
    bidi,
    contextId,
    extensionOrigin: FIREFOX_EXTENSION_ORIGIN,
    extensionUrl,
    /** A new tab whose http(s) requests are served from the fixtures (or aborted). */
    async newPage(): Promise<Page> {
      const page = await browser.newPage();
      await page.setRequestInterception(true);
      page.on('request', respond);
      return page;
    },
    /** A new tab on one of Candor's own pages (popup.html, options.html…). */
    async openExtensionPage(path: string): Promise<Page> {
      const page = await browser.newPage();
      await navigate(page, extensionUrl(path));
      return page;
    },
    navigate,
    /**
     * Reads one object store of Candor's database (Firefox's own IndexedDB backend, in the
     * profile's moz-extension storage) from an extension-origin page that runs none of its code.
     */
    async readStore<T = Record<string, unknown>>(store: string): Promise<T[]> {
      const page = await browser.newPage();
      try {
        await navigate(page, extensionUrl('manifest.json'));
        return (await page.evaluate(readAllInPage, [DB_NAME, store] as const)) as T[];
      } finally {
        await page.close();
      }
    },
    /**
     * The tab showing `url` (e.g. options.html opened by the extension itself). Found through BiDi's
     * tree: puppeteer does not follow tabs onto moz-extension:// URLs (their url() stays about:blank).
     */
    async waitForPage(url: string, timeoutMs = 5_000): Promise<Page> {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const { contexts } = await bidi<{ contexts: Array<{ context: string; url: string }> }>('browsingContext.getTree', { maxDepth: 0 });
        const id = contexts.find((c) => c.url === url)?.context;
        const page = id === undefined ? undefined : (await browser.pages()).find((p) => contextId(p) === id);
        if (page) return page;
        if (Date.now() > end) throw new Error(`No tab showed ${url} within ${timeoutMs} ms (tabs: ${contexts.map((c) => c.url).join(', ')})`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    fixtures: {
      /** The page every navigation to this platform gets from now on. */
      serve(platform: FixturePlatform, name: string) {
        current[platform] = fixtureHtml(platform, name);
      },
    },
    /** Serves `html` at this exact URL (query and hash ignored). */
    serveAt(url: string, html: string) {
      const u = new URL(url);
      exact.set(u.origin + u.pathname, html);
    },
    async close() {
      await browser.close().catch(() => undefined);
      if (ownProfile) rmSync(profile, { recursive: true, force: true });
    },
  };
}
export type FirefoxBrowser = Awaited<ReturnType<typeof launchFirefoxWithExtension>>;

/**
 * A policy's force_installed add-on is installed by Firefox itself shortly after start: wait
 * until its manifest answers at the fixed moz-extension:// URL.
 */
async function waitForPolicyInstall(browser: Browser, bidi: <T>(method: string, params: object) => Promise<T>, timeoutMs = 20_000) {
  const page = await browser.newPage();
  const context = (page.mainFrame() as unknown as { browsingContext: { id: string } }).browsingContext.id;
  const end = Date.now() + timeoutMs;
  try {
    for (;;) {
      const ok = await bidi('browsingContext.navigate', { context, url: `${FIREFOX_EXTENSION_ORIGIN}/manifest.json`, wait: 'complete' })
        .then(() => page.evaluate(() => document.body?.innerText ?? ''))
        .then((text) => text.includes(FIREFOX_ADDON_ID), () => false);
      if (ok) return;
      if (Date.now() > end) throw new Error(`Firefox did not install ${FIREFOX_ADDON_ID} from the policy within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await page.close();
  }
}

/** What the platform does when the rep is admitted: the page changes in place, the URL stays. */
export async function switchFixtureFirefox(page: Page, platform: FixturePlatform, name: string) {
  await page.evaluate((html: string) => {
    const next = new DOMParser().parseFromString(html, 'text/html');
    document.title = next.title;
    document.body.replaceWith(document.adoptNode(next.body));
  }, fixtureHtml(platform, name));
}
