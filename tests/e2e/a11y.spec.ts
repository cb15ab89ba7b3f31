import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureHtml } from '../../scripts/lib/browser';
import { callUrl, PromptDriver, readStore, startBrowser, switchFixture, waitFor, type TestBrowser } from './support';

/*
 * Accessibility with axe-core, in the real browser with the built extension: the consent prompt in
 * its own frame on a call page, the popup, the options page and the audit report, each in
 * light and dark mode. No "serious" or "critical" violation may remain; every violation found
 * (of any impact) is printed readably.
 */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeNode { target: unknown[]; html: string; failureSummary?: string }
interface AxeViolation { id: string; impact: string | null; help: string; helpUrl: string; nodes: AxeNode[] }

const blocking = (v: AxeViolation) => v.impact === 'serious' || v.impact === 'critical';

function describeViolations(where: string, violations: AxeViolation[]): string {
  if (violations.length === 0) return `${where}: no violations`;
  return [
    `${where}: ${violations.length} violation(s)`,
    ...violations.map((v) =>
      [
        `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`,
        ...v.nodes.slice(0, 6).map((n) => `      at ${JSON.stringify(n.target)}\n        ${n.html.slice(0, 200)}\n        ${(n.failureSummary ?? '').replace(/\n/g, '\n        ')}`),
        v.nodes.length > 6 ? `      … and ${v.nodes.length - 6} more` : '',
      ].filter(Boolean).join('\n'),
    ),
  ].join('\n');
}

/** Every axe result seen, for the summary printed at the end. */
const summary: string[] = [];

function check(where: string, violations: AxeViolation[]) {
  const text = describeViolations(where, violations);
  summary.push(`${where}: ${violations.length} violation(s)${violations.length ? ` (${violations.map((v) => `${v.id}/${v.impact}`).join(', ')})` : ''}`);
  if (violations.length) console.log(text);
  expect(violations.filter(blocking).map((v) => v.id), text).toEqual([]);
}

/** axe on a whole extension page (the page's CSP does not apply to DevTools evaluation). */
async function axePage(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Node, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
}


/**
 * axe on the consent prompt as it really is: its own frame (an extension page) inside the call
 * page, with the frame's layout and CSS. DevTools evaluation is not subject to the page's CSP.
 */
async function axePrompt(page: Page): Promise<AxeViolation[]> {
  const frame = new PromptDriver(page).frame();
  if (!frame) throw new Error('No consent prompt on the page');
  if (!(await frame.evaluate(() => 'axe' in window))) await frame.evaluate(axeSource);
  return frame.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Node, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })) }));
  });
}

const schemes = ['light', 'dark'] as const;

let b: TestBrowser;
beforeAll(async () => {
  b = await startBrowser();
});
afterAll(async () => {
  console.log(`axe summary (serious/critical fail the test):\n  ${summary.join('\n  ')}`);
  await b?.close();
});

describe('axe: the consent prompt in its frame on the call page', () => {
  it.each(schemes)('%s mode: asking, the reasons, a decline, collapsed with tags, a recording after the decline, the never-record rule', async (scheme) => {
    b.fixtures.serve('meet', 'in-call');
    const page = await b.context.newPage();
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(callUrl('meet', scheme === 'light' ? 600 : 601));
    const prompt = new PromptDriver(page);

    await prompt.waitForText(/Ask for recording consent/);
    check(`prompt/${scheme}/ask`, await axePrompt(page));
    await prompt.click('Not recording this call');
    await prompt.waitForText(/Why is this call not recorded/);
    check(`prompt/${scheme}/reasons`, await axePrompt(page));
    await prompt.click('Back');
    await prompt.click('Customer declined');
    await prompt.waitForText(/Saved\./);
    check(`prompt/${scheme}/declined`, await axePrompt(page));
    await prompt.click('Done');
    await prompt.click('objection');
    await prompt.waitForText(/Tagged “objection”/);
    check(`prompt/${scheme}/collapsed`, await axePrompt(page));
    // A recording starts although the customer declined: the prompt insists.
    await switchFixture(page, 'meet', 'recording');
    await prompt.waitForText(/Stop the recording/);
    check(`prompt/${scheme}/violation`, await axePrompt(page));
    await page.close();

    // The never-record rule: HR calls are not recorded, and the prompt says so.
    b.fixtures.serve('teams', 'in-call');
    const teams = await b.context.newPage();
    await teams.emulateMedia({ colorScheme: scheme });
    await teams.goto(callUrl('teams', scheme === 'light' ? 602 : 603));
    const p2 = new PromptDriver(teams);
    await p2.waitForText(/Ask for recording consent/);
    await p2.focus('#candor-category');
    await teams.keyboard.press('h');
    await p2.waitForText(/Not recorded by rule/);
    check(`prompt/${scheme}/never-record`, await axePrompt(teams));
    await teams.close();
  });
});

describe('axe: the extension pages', () => {
  beforeAll(async () => {
    // Data for the pages to show: an agreed call with a tag that ended (checklist pending).
    b.fixtures.serve('meet', 'in-call');
    const page = await b.context.newPage();
    await page.goto(callUrl('meet', 610));
    const prompt = new PromptDriver(page);
    await prompt.waitForText(/Ask for recording consent/);
    await prompt.click('Customer agreed');
    await prompt.waitForText(/Consent recorded/);
    await prompt.click('Done');
    await prompt.click('risk');
    await prompt.waitForText(/Tagged “risk”/);
    await switchFixture(page, 'meet', 'left');
    await waitFor(() => readStore<{ status: string }>(b, 'checklists'), (rows) => rows.length > 0, 10_000);
    await page.close();
  });

  it.each(schemes)('%s mode: the popup (call list, call detail, concern form)', async (scheme) => {
    const popup = await b.context.newPage();
    await popup.emulateMedia({ colorScheme: scheme });
    await popup.goto(`chrome-extension://${b.extensionId}/popup.html`);
    await popup.getByRole('heading', { name: /Checklists to complete/ }).waitFor();
    check(`popup/${scheme}/list`, await axePage(popup));
    await popup.getByRole('button', { name: /Google Meet Agreed.*Checklist pending/ }).click();
    await popup.getByLabel('Your notes').waitFor();
    check(`popup/${scheme}/detail`, await axePage(popup));
    await popup.getByRole('button', { name: 'Raise a concern about this call' }).click();
    await popup.getByLabel('What happened?').fill('The prompt covered the chat on my small screen.');
    check(`popup/${scheme}/concern-form`, await axePage(popup));
    if (scheme === 'light') {
      await popup.getByRole('button', { name: 'Send concern' }).click();
      await popup.getByRole('button', { name: 'Raise a concern about this call' }).waitFor();
    }
    await popup.close();
  });

  it.each(schemes)('%s mode: the options page', async (scheme) => {
    const options = await b.context.newPage();
    await options.emulateMedia({ colorScheme: scheme });
    await options.goto(`chrome-extension://${b.extensionId}/options.html`);
    await options.getByRole('button', { name: 'Save policy' }).waitFor();
    if (scheme === 'light') {
      // An export, so the access log has a row.
      const download = options.waitForEvent('download');
      await options.getByRole('button', { name: 'Export Calls (CSV)' }).click();
      await download;
      await options.getByRole('cell', { name: 'Calls (CSV)' }).waitFor();
    }
    await expect.poll(() => options.getByRole('status').filter({ hasText: /Intact/ }).count()).toBe(1);
    check(`options/${scheme}`, await axePage(options));
    await options.close();
  });

  it.each(schemes)('%s mode: the audit report', async (scheme) => {
    const report = await b.context.newPage();
    await report.emulateMedia({ colorScheme: scheme });
    await report.goto(`chrome-extension://${b.extensionId}/report.html`);
    await report.getByRole('heading', { name: 'Consent ledger integrity' }).waitFor();
    check(`report/${scheme}`, await axePage(report));
    await report.getByRole('radio', { name: 'Custom' }).check();
    await report.getByLabel('From').waitFor();
    check(`report/${scheme}/custom-period`, await axePage(report));
    await report.close();
  });
});

describe('keyboard only', () => {
  it('the popup: Tab to a call, open it, write a note, and come back to the same row', async () => {
    const popup = await b.context.newPage();
    await popup.goto(`chrome-extension://${b.extensionId}/popup.html`);
    await popup.getByRole('heading', { name: /Checklists to complete/ }).waitFor();
    const focused = () => popup.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el ? `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') ?? el.id ?? ''}:${(el.textContent ?? '').trim()}` : '';
    });
    const tabUntil = async (pattern: RegExp, key = 'Tab') => {
      for (let i = 0; i < 60; i++) {
        await popup.keyboard.press(key);
        const now = await focused();
        if (pattern.test(now)) return now;
      }
      throw new Error(`Focus never reached ${pattern}; last: ${await focused()}`);
    };
    const row = await tabUntil(/^button:.*Google Meet.*Agreed.*Checklist pending/);
    await popup.keyboard.press('Enter');
    await expect.poll(focused).toMatch(/^h2:call-title:Google Meet · /);
    await tabUntil(/^textarea:note-text:/);
    await popup.keyboard.type('Typed without a mouse.');
    await expect.poll(() => popup.locator('#note-status').textContent()).toBe('Saved');
    await tabUntil(/^button:.*← All calls/, 'Shift+Tab');
    await popup.keyboard.press('Enter');
    await expect.poll(focused).toBe(row);
    await popup.close();
  });
});

describe('screen readers, motion and colour', () => {
  it('the prompt announces itself in a polite live region without taking focus from the page', async () => {
    b.fixtures.serve('zoom', 'lobby');
    const page = await b.context.newPage();
    await page.goto(callUrl('zoom', 620));
    // The rep is typing in the call page (the page's own chat box, say) at the moment of admission.
    await page.evaluate((html) => {
      const next = new DOMParser().parseFromString(html, 'text/html');
      const input = document.createElement('input');
      input.id = 'page-chat';
      input.setAttribute('aria-label', 'Chat');
      next.body.append(input);
      document.body.replaceWith(document.adoptNode(next.body));
      input.focus();
    }, fixtureHtml('zoom', 'in-call'));
    const prompt = new PromptDriver(page);
    await prompt.waitForText(/Ask for recording consent/);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('page-chat');
    expect(await prompt.focused()).toBeNull();
    const live = await prompt.call<{ role: string | null; politeness: string | null; text: string }>(
      'function () { const el = this.querySelector("[role=status]"); return { role: el.getAttribute("role"), politeness: el.getAttribute("aria-live"), text: el.textContent }; }',
    );
    expect(live).toEqual({ role: 'status', politeness: 'polite', text: 'Candor: ask for recording consent now' });
    await page.close();
  });

  it('respects prefers-reduced-motion and prefers-color-scheme in the prompt', async () => {
    type Look = { animation: string; background: string; color: string; colorScheme: string };
    const look = (prompt: PromptDriver) =>
      prompt.call<Look>('function () { const panel = this.querySelector(".panel"); const s = getComputedStyle(panel); return { animation: s.animationName, background: s.backgroundColor, color: s.color, colorScheme: getComputedStyle(this.querySelector(".root")).colorScheme }; }');
    const luminance = (rgb: string) => {
      const [r, g, bl] = rgb.match(/\d+(\.\d+)?/g)!.slice(0, 3).map(Number).map((c) => {
        const v = c / 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
      return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
    };

    b.fixtures.serve('meet', 'in-call');
    const normal = await b.context.newPage();
    await normal.emulateMedia({ reducedMotion: 'no-preference', colorScheme: 'light' });
    await normal.goto(callUrl('meet', 630));
    const p1 = new PromptDriver(normal);
    await p1.waitForText(/Ask for recording consent/);
    const light = (await look(p1))!;
    expect(light.animation).not.toBe('none'); // the check below means something
    expect(luminance(light.background)).toBeGreaterThan(0.8);
    await normal.close();

    const calm = await b.context.newPage();
    await calm.emulateMedia({ reducedMotion: 'reduce', colorScheme: 'dark' });
    await calm.goto(callUrl('meet', 631));
    const p2 = new PromptDriver(calm);
    await p2.waitForText(/Ask for recording consent/);
    const dark = (await look(p2))!;
    expect(dark.animation).toBe('none');
    expect(luminance(dark.background)).toBeLessThan(0.05);
    expect(luminance(dark.color)).toBeGreaterThan(0.7);
    expect(dark.colorScheme).toBe('dark'); // native controls (the call type list) are dark too
    // Nothing in the prompt moves: no animation or transition on any element.
    const moving = await p2.call<string[]>(
      'function () { return [...this.querySelectorAll("*")].filter((el) => { const s = getComputedStyle(el); return s.animationName !== "none" || (s.transitionDuration.split(",").some((d) => parseFloat(d) > 0)); }).map((el) => el.tagName + "." + el.className); }',
    );
    expect(moving).toEqual([]);
    await calm.close();
  });

  it('respects prefers-color-scheme and prefers-reduced-motion on the extension pages', async () => {
    for (const path of ['popup.html', 'options.html', 'report.html', 'rules.html']) {
      const page = await b.context.newPage();
      await page.emulateMedia({ reducedMotion: 'reduce', colorScheme: 'dark' });
      await page.goto(`chrome-extension://${b.extensionId}/${path}`);
      await page.locator('h1').waitFor();
      const body = await page.evaluate(() => {
        const s = getComputedStyle(document.body);
        const moving = [...document.querySelectorAll('*')].filter((el) => {
          const st = getComputedStyle(el);
          return st.animationName !== 'none' || st.transitionDuration.split(',').some((d) => parseFloat(d) > 0);
        }).length;
        return { background: s.backgroundColor, color: s.color, scheme: getComputedStyle(document.documentElement).colorScheme, lang: document.documentElement.lang, moving };
      });
      expect(body, path).toEqual({ background: 'rgb(31, 35, 43)', color: 'rgb(238, 241, 246)', scheme: 'light dark', lang: 'en', moving: 0 });
      await page.close();
    }
  });
});

describe('in another language (Chromium started with --lang=de)', () => {
  let de: TestBrowser;
  beforeAll(async () => {
    de = await startBrowser({ extraArgs: ['--lang=de'] });
  });
  afterAll(async () => {
    await de?.close();
  });

  it('the prompt and the pages speak German, say so in their lang attribute, and still pass axe', async () => {
    de.fixtures.serve('meet', 'in-call');
    const page = await de.context.newPage();
    await page.goto(callUrl('meet', 640));
    const prompt = new PromptDriver(page);
    await prompt.waitForText(/Einwilligung zur Aufzeichnung einholen/);
    expect(await prompt.buttons()).toEqual(expect.arrayContaining(['Kunde hat zugestimmt', 'Kunde hat abgelehnt', 'Keine Aufzeichnung']));
    expect(await prompt.call<string>('function () { return this.querySelector(".root").lang; }')).toBe('de');
    check('prompt/de/ask', await axePrompt(page));
    await prompt.click('Kunde hat abgelehnt');
    await prompt.waitForText(/Nur-Notizen-Modus/);
    await page.close();

    const popup = await de.context.newPage();
    await popup.goto(`chrome-extension://${de.extensionId}/popup.html`);
    await popup.getByRole('heading', { name: 'Letzte Gespräche' }).waitFor();
    expect(await popup.evaluate(() => document.documentElement.lang)).toBe('de');
    expect(await popup.getByRole('button', { name: /Google Meet.*Abgelehnt · nur Notizen/ }).count()).toBeGreaterThan(0);
    check('popup/de', await axePage(popup));
    await popup.close();
  });
});
