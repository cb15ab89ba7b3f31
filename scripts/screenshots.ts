/**
 * `npm run screenshots`: renders Candor's main screens in headless Chromium with the built
 * extension, in English at 1280×800 (the popup at its own width), and saves them to docs/images/
 * for the README: the demo call with the prompt asking, the collapsed prompt with its tags, the
 * popup's call list and a call's detail, the rules page, the options page, the audit report.
 * The calls are made the way a rep makes them, on the demo call pages of scripts/demo.
 *   npm run screenshots                 # needs a build: the script line runs `wxt build` first
 *   npm run screenshots -- --out /tmp/x # somewhere else
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { routeDemo, switchDemo } from './demo/pages';
import { callUrl, launchWithExtension, type FixturePlatform } from './lib/browser';

const args = process.argv.slice(2);
const out = resolve(args.includes('--out') ? args[args.indexOf('--out') + 1]! : resolve(import.meta.dirname, '../docs/images'));
mkdirSync(out, { recursive: true });

const browser = await launchWithExtension({ headless: true, extraArgs: ['--lang=en-US', '--accept-lang=en-US', '--hide-scrollbars'] });
const demo = await routeDemo(browser.context);
const extensionPage = (path: string) => `chrome-extension://${browser.extensionId}/${path}`;
const saved: string[] = [];

async function shot(page: Page, name: string, clip?: { x: number; y: number; width: number; height: number }, fullPage = false) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 150)))));
  const path = join(out, `${name}.png`);
  await page.screenshot({ path, ...(clip ? { clip } : {}), fullPage, animations: 'disabled', caret: 'hide' });
  saved.push(path);
}

/** The prompt's frame in a call page (Candor's own page inside a closed shadow root). */
async function promptFrame(page: Page): Promise<Frame> {
  for (let i = 0; i < 200; i++) {
    const frame = page.frames().find((f) => f.url().includes('/prompt.html'));
    if (frame && (await frame.evaluate(() => document.getElementById('root')!.childElementCount).catch(() => 0)) > 0) return frame;
    await page.waitForTimeout(50);
  }
  throw new Error('The consent prompt did not appear');
}

async function promptText(frame: Frame, pattern: RegExp) {
  await frame.waitForFunction((source) => new RegExp(source).test(document.getElementById('root')!.innerText), pattern.source, { timeout: 10_000 });
}

/** A real mouse click on a prompt button (a trusted event), once the prompt takes choices. */
async function press(page: Page, frame: Frame, name: string, then: RegExp) {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await frame.locator('#root button', { hasText: name }).first().evaluate((b) => b.hasAttribute('data-choice'))) {
      await frame.waitForFunction(() => document.documentElement.dataset.armed === 'true', undefined, { timeout: 5_000 });
    }
    const box = await frame.locator('#root button', { hasText: name }).first().boundingBox();
    if (!box) throw new Error(`No prompt button "${name}"`);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    try {
      return await promptText(frame, then);
    } catch {
      // Clicked in the instant it stopped being armed (a redraw): that click counted for nothing.
    }
  }
  throw new Error(`"${name}" did not lead to ${then}`);
}

/** A call on a demo page: the lobby until the prompt is drawn ahead, then admitted. */
async function call(platform: FixturePlatform, n: number) {
  demo.serve(platform, 'lobby');
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(callUrl(platform, n));
  await promptFrame(page);
  await switchDemo(page, platform, 'in-call');
  const frame = await promptFrame(page);
  await promptText(frame, /Ask for recording consent/);
  return { page, frame };
}

try {
  // 1. The call, the prompt asking; 2. agreed, collapsed, a moment tagged.
  const meet = await call('meet', 11);
  await meet.page.mouse.move(640, 790); // the cursor away from the tiles
  await shot(meet.page, 'call-prompt');
  await press(meet.page, meet.frame, 'Customer agreed', /Consent recorded/);
  await press(meet.page, meet.frame, 'Done', /Consent: customer agreed/);
  // The rep closes Meet's People panel: the pill and the tag chips sit over the call's tiles.
  await meet.page.addStyleTag({ content: 'aside.WUFI9b { display: none !important; }' });
  await press(meet.page, meet.frame, 'pricing', /Tagged “pricing”/);
  await shot(meet.page, 'call-collapsed-tags', { x: 560, y: 0, width: 720, height: 340 });
  await meet.page.waitForTimeout(1_200);
  await press(meet.page, meet.frame, 'next step', /Tagged “next step”/);
  await switchDemo(meet.page, 'meet', 'left');

  // Two more calls for the list: a decline on Zoom, an internal call not recorded on Teams.
  const zoom = await call('zoom', 12);
  await press(zoom.page, zoom.frame, 'Customer declined', /Saved\./);
  await switchDemo(zoom.page, 'zoom', 'left');
  const teams = await call('teams', 13);
  await press(teams.page, teams.frame, 'Not recording this call', /Why is this call not recorded/);
  const reason = await teams.frame.locator('#root [data-choice]').first().textContent();
  await press(teams.page, teams.frame, reason!.trim(), /Not recorded/);
  await switchDemo(teams.page, 'teams', 'left');
  for (const p of [meet.page, zoom.page, teams.page]) await p.close();

  // The rules page (opened on install): shown, then marked read, so the popup shows the rep's calls.
  const rules = await browser.context.newPage();
  await rules.setViewportSize({ width: 1280, height: 800 });
  await rules.goto(extensionPage('rules.html'));
  await rules.getByRole('button', { name: 'I have read these rules' }).waitFor();
  await shot(rules, 'rules');
  await rules.getByRole('button', { name: 'I have read these rules' }).click();
  await rules.close();

  // 3. The popup: the call list; 4. the Meet call with its checklist, notes and an AI draft.
  const popup = await browser.context.newPage();
  await popup.setViewportSize({ width: 400, height: 600 });
  await popup.goto(extensionPage('popup.html'));
  await popup.getByRole('heading', { name: /Checklists to complete/ }).waitFor();
  // The three calls listed (a call with its checklist pending is listed once, under that heading).
  await popup.locator('.call-row').nth(2).waitFor();
  await shot(popup, 'popup-calls');
  await popup.locator('section[aria-labelledby="pending-title"] .call-row:has(.badge-agreed)').first().click();
  await popup.getByLabel('Your notes').fill('Dana (CFO) joined late and asked twice about the security review. Send the questionnaire before Friday.');
  await popup.getByLabel('Qualification details').fill('Budget approved for 40 seats; Dana (VP Sales) decides with the CFO.');
  await popup.getByRole('button', { name: '+ Add next step' }).click();
  await popup.getByLabel('Next step 1', { exact: true }).fill('Send the security questionnaire');
  await popup.getByLabel('Owner of next step 1').fill('Alex');
  await popup.getByLabel('Due date of next step 1').fill('2026-12-11');
  await popup.getByLabel('Timeline clarity').fill('Decision by end of January.');
  await popup.getByText('Paste the notetaker’s summary').click();
  await popup.getByLabel('Summary', { exact: true }).fill('- Acme wants a pilot for 40 seats starting in February.\n- The CFO is the decision maker.\n- Security review is the main risk.');
  await popup.getByRole('button', { name: 'Add as AI draft' }).click();
  await popup.locator('.statements li').nth(2).waitFor();
  await popup.locator('.statements li').nth(0).getByRole('button').first().click();
  await popup.locator('.statements li.mark-correct').waitFor();
  await popup.locator('#call-title').scrollIntoViewIfNeeded();
  await shot(popup, 'popup-call-detail', { x: 0, y: 0, width: 400, height: 980 }, true);
  await popup.close();

  // 5. The options page; 6. the audit report.
  const options = await browser.context.newPage();
  await options.setViewportSize({ width: 1280, height: 800 });
  await options.goto(extensionPage('options.html'));
  await options.getByRole('button', { name: 'Save policy' }).waitFor();
  await shot(options, 'options');
  await options.close();
  const report = await browser.context.newPage();
  await report.setViewportSize({ width: 1280, height: 800 });
  await report.goto(extensionPage('report.html'));
  await report.getByRole('heading', { name: 'Consent ledger integrity' }).waitFor();
  await shot(report, 'report');
  await report.close();
  console.log(`Saved:\n  ${saved.join('\n  ')}`);
} finally {
  await browser.close();
}
