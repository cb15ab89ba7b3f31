import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Frame, type Page, type Worker } from 'playwright-core';

/** The built Chrome extension; CANDOR_OUT_DIR (as in wxt.config.ts) points at another build. */
export const EXTENSION_DIR = resolve(import.meta.dirname, '../..', process.env.CANDOR_OUT_DIR ?? '.output', 'chrome-mv3');
export const FIXTURES_DIR = resolve(import.meta.dirname, '../../tests/fixtures');

/** Debian's chromium first (what .ci/run installs), then the usual other names. */
export function findChromium(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (found) return found;
  throw new Error(
    'No Chromium found. Install it with "sudo apt-get install -y chromium" (Debian/Ubuntu) ' +
      'or set CHROMIUM_PATH to a Chromium or Chrome binary.',
  );
}

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  worker(): Promise<Worker>;
  close(): Promise<void>;
  /** Kills the browser like a crash or power loss: no tab closes, no extension event. Keeps the profile. */
  crash(): Promise<void>;
  /** The profile directory (relaunch on it with `profile` to test a browser restart). */
  profile: string;
}

/**
 * Chromium with the built extension loaded, on a throwaway profile, with no network at all.
 * `keepRulesPage`: Candor opens its rules page in a new active tab on install; it is closed
 * unless kept, so a call page opened next is the tab in front (a prompt in a background tab is
 * never visible, so never answerable) and tests and demos start from the tabs they open.
 */
export async function launchWithExtension(opts: { headless?: boolean; executablePath?: string; extraArgs?: string[]; profile?: string; keepRulesPage?: boolean } = {}): Promise<ExtensionBrowser> {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`The extension is not built (${EXTENSION_DIR} is missing). Run "npm run build" first.`);
  }
  const headless = opts.headless ?? true;
  const profile = opts.profile ?? mkdtempSync(join(tmpdir(), 'candor-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: opts.executablePath ?? findChromium(),
    headless: false, // the new headless mode is passed below: the old one cannot load extensions
    ignoreDefaultArgs: ['--disable-extensions'],
    viewport: { width: 1280, height: 800 },
    args: [
      ...(headless ? ['--headless=new'] : []),
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-features=DialMediaRouteProvider',
      ...(opts.extraArgs ?? []),
    ],
  });
  const worker = async () => context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  const extensionId = new URL((await worker()).url()).host;
  // Only a new profile gets the install event (a relaunch on `profile` is an update at most).
  if (!opts.profile && !opts.keepRulesPage) await closeRulesPage(context, extensionId);
  return {
    context,
    extensionId,
    worker,
    profile,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
    async crash() {
      // The browser's own process is the one started with this profile and no --type= (renderers etc. have one).
      for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
        let cmdline = '';
        try {
          cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        } catch {
          continue; // exited meanwhile
        }
        if (cmdline.includes(`--user-data-dir=${profile}`) && !cmdline.includes('--type=')) process.kill(Number(pid), 'SIGKILL');
      }
      await context.close().catch(() => undefined); // Playwright notices the disconnect
    },
  };
}

/** Waits (up to 10 s) for the rules page Candor opens on install, and closes it. */
async function closeRulesPage(context: BrowserContext, extensionId: string): Promise<void> {
  const url = `chrome-extension://${extensionId}/rules.html`;
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    const rules = context.pages().find((p) => p.url() === url);
    // Closed once loaded: closing an extension page mid-load can leave the extension's renderer
    // without its messages for the next extension frame (the prompt showed message names).
    // (Its heading is drawn once the page and its messages are there; a page that never gets one is closed all the same.)
    if (rules) return rules.locator('h1').waitFor({ timeout: 10_000 }).catch(() => undefined).then(() => rules.close());
  }
}

export type FixturePlatform = 'meet' | 'zoom' | 'teams';

/** A real-shaped call URL; `n` makes a different meeting (a new call) per test. */
export function callUrl(platform: FixturePlatform, n = 0): string {
  const letters = (k: number, len: number) => Array.from({ length: len }, (_, i) => String.fromCharCode(97 + ((k * 7 + i * 3) % 26))).join('');
  switch (platform) {
    case 'meet':
      return `https://meet.google.com/abc-${letters(n, 4)}-hij`;
    case 'zoom':
      return `https://app.zoom.us/wc/8123456${String(n).padStart(4, '0')}/join`;
    case 'teams':
      return `https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjA5ZTQ4${n}%40thread.v2/0`;
  }
}

export function fixtureHtml(platform: FixturePlatform, name: string): string {
  return readFileSync(join(FIXTURES_DIR, platform, `${name}.html`), 'utf8');
}

/**
 * Serves committed fixture pages at the real platform URLs (no network): every request to a
 * platform host gets the page currently chosen for that platform (a document loaded into a frame,
 * such as Zoom's web-app `iframe#webclient`, the one chosen with `serveFrame`); anything else is
 * aborted.
 */
export async function routeFixtures(context: BrowserContext) {
  const current: Partial<Record<FixturePlatform, string>> = {};
  const inFrame: Partial<Record<FixturePlatform, string>> = {};
  const hostPlatform = (host: string): FixturePlatform | null =>
    host === 'meet.google.com' ? 'meet' : host.endsWith('zoom.us') || host.endsWith('zoom.com') ? 'zoom' : host.startsWith('teams.') ? 'teams' : null;
  await context.route(/^https?:\/\//, async (route) => {
    const url = new URL(route.request().url());
    const platform = hostPlatform(url.hostname);
    const frameDocument = route.request().frame().parentFrame() !== null;
    const body = platform ? (frameDocument ? inFrame[platform] : current[platform]) : undefined;
    if (body !== undefined && route.request().resourceType() === 'document') {
      await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body });
    } else {
      await route.abort();
    }
  });
  return {
    serve(platform: FixturePlatform, name: string) {
      current[platform] = fixtureHtml(platform, name);
    },
    /** The page a frame on the platform's host gets (Zoom's web app loads the call into one). */
    serveFrame(platform: FixturePlatform, name: string) {
      inFrame[platform] = fixtureHtml(platform, name);
    },
  };
}

/** What the platform does when the rep is admitted: the page changes in place, the URL stays. */
export async function switchFixture(page: Page | Frame, platform: FixturePlatform, name: string) {
  await page.evaluate((html) => {
    const next = new DOMParser().parseFromString(html, 'text/html');
    document.title = next.title;
    document.body.replaceWith(document.adoptNode(next.body));
  }, fixtureHtml(platform, name));
}

/** The page's first child frame once it has loaded a document (Zoom's web-app call frame). */
export async function callFrame(page: Page, timeoutMs = 5_000): Promise<Frame> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const frame = page.mainFrame().childFrames()[0];
    if (frame && frame.url() !== 'about:blank' && (await frame.evaluate(() => document.readyState).catch(() => '')) === 'complete') return frame;
    if (Date.now() > end) throw new Error('The page has no loaded call frame');
    await new Promise((r) => setTimeout(r, 50));
  }
}
