import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { fixtureHtml, type FixturePlatform } from '../lib/browser';

/**
 * The demo call pages (`npm start`, `npm run screenshots`, the prompt screens of
 * tests/e2e/layout.spec.ts): each platform's lobby and in-call fixture with a stylesheet that makes
 * it look like the real thing. The pages are the fixtures themselves, so Candor detects the demo
 * call exactly as it detects the fixtures.
 */
export const DEMO_DIR = resolve(import.meta.dirname);
export const demoStates = ['lobby', 'in-call'] as const;
export type DemoState = (typeof demoStates)[number];

/** The demo page of a state: the fixture itself, with the platform's look (icons.css and <platform>.css) inlined in its head (fixture routes serve documents only, no CSS requests). */
export function demoHtml(platform: FixturePlatform, state: DemoState): string {
  const styles = ['icons.css', `${platform}.css`].map((file) => `<style data-demo="${file}">\n${readFileSync(join(DEMO_DIR, file), 'utf8')}</style>`).join('');
  return fixtureHtml(platform, state).replace('</head>', `${styles}</head>`);
}

const isDemoState = (name: string): name is DemoState => (demoStates as readonly string[]).includes(name);

/** The demo page of a state, or the fixture for states without one (recording, late joiner…). */
export function pageHtml(platform: FixturePlatform, name: string): string {
  return isDemoState(name) ? demoHtml(platform, name) : fixtureHtml(platform, name);
}

const hostPlatform = (host: string): FixturePlatform | null =>
  host === 'meet.google.com' ? 'meet' : host.endsWith('zoom.us') || host.endsWith('zoom.com') ? 'zoom' : host.startsWith('teams.') ? 'teams' : null;

/**
 * Serves the demo pages at the real platform URLs. Other requests are aborted (no network), or,
 * with `others: 'fallback'`, left to routes registered before this one (a test's fixture routes).
 */
export async function routeDemo(context: BrowserContext, opts: { others?: 'abort' | 'fallback' } = {}) {
  const current: Partial<Record<FixturePlatform, string>> = {};
  await context.route(/^https?:\/\//, async (route) => {
    const platform = hostPlatform(new URL(route.request().url()).hostname);
    const body = platform ? current[platform] : undefined;
    const topDocument = route.request().resourceType() === 'document' && route.request().frame().parentFrame() === null;
    if (body !== undefined && topDocument) await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body });
    else if (opts.others === 'fallback') await route.fallback();
    else await route.abort();
  });
  return {
    /** The page the platform's URLs get from now on (a demo state, or any fixture name). */
    serve(platform: FixturePlatform, name: string) {
      current[platform] = pageHtml(platform, name);
    },
  };
}

/**
 * What the platform does on admission (or when recording starts): the page changes in place, the
 * URL stays. The demo styles in the head stay and fit the fixtures' bodies too.
 */
export async function switchDemo(page: Page | Frame, platform: FixturePlatform, name: string) {
  await page.evaluate((html) => {
    const next = new DOMParser().parseFromString(html, 'text/html');
    document.title = next.title;
    document.body.replaceWith(document.adoptNode(next.body));
  }, pageHtml(platform, name));
}
