/**
 * `npm start`: opens Chromium with the built extension on a simulated Google Meet call: the demo
 * pages of scripts/demo (the fixtures' DOM, styled to look like the platform). The call starts in
 * the lobby and admits the rep after a moment, so the consent prompt appears.
 * Without a display (or with --headless) it runs headless and saves a screenshot instead.
 *   npm start                  # window if a display is available
 *   npm start -- --headless    # screenshot to .output/start-screenshot.png
 *   npm start -- --platform zoom|teams|meet
 */
import { resolve } from 'node:path';
import { routeDemo, switchDemo } from './demo/pages';
import { callUrl, launchWithExtension, type FixturePlatform } from './lib/browser';

const args = process.argv.slice(2);
const platformArg = args.includes('--platform') ? args[args.indexOf('--platform') + 1] : 'meet';
const platform = platformArg as FixturePlatform;
if (!['meet', 'zoom', 'teams'].includes(platform)) {
  console.error(`Unknown platform "${platform}": use meet, zoom or teams.`);
  process.exit(2);
}
const headless = args.includes('--headless') || !process.env.DISPLAY;
const screenshot = resolve(import.meta.dirname, '../.output/start-screenshot.png');

let browser;
try {
  browser = await launchWithExtension({ headless });
} catch (error) {
  console.error(`Could not start Chromium: ${(error as Error).message}`);
  process.exit(1);
}
const demo = await routeDemo(browser.context);
demo.serve(platform, 'lobby');
const page = browser.context.pages()[0] ?? (await browser.context.newPage());
const url = callUrl(platform);
await page.goto(url);
console.log(`Simulated ${platform} call at ${url}: in the lobby (no prompt yet)…`);
await page.waitForTimeout(2_000);
await switchDemo(page, platform, 'in-call');
console.log('Admitted to the call: the Candor consent prompt is shown.');
await page.waitForFunction(() => document.querySelector('candor-consent') !== null, undefined, { timeout: 10_000 });
await page.waitForTimeout(400);

if (headless) {
  await page.screenshot({ path: screenshot });
  console.log(`Headless run: screenshot saved to ${screenshot}`);
  await browser.close();
} else {
  console.log('Close the browser window (or press Ctrl+C) to stop.');
  const stop = async () => {
    await browser.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  browser.context.on('close', () => process.exit(0));
}
