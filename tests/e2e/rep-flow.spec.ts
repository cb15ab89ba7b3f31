import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callUrl, PromptDriver, readStore, startBrowser, switchFixture, waitFor, type TestBrowser } from './support';

let b: TestBrowser;
beforeAll(async () => {
  b = await startBrowser();
});
afterAll(async () => {
  await b?.close();
});

type WorkerGlobal = { chrome: { action: { getBadgeText(details: object): Promise<string> } } };
const badge = async () => (await b.worker()).evaluate(() => (globalThis as unknown as WorkerGlobal).chrome.action.getBadgeText({}));

describe('tags, checklist and CRM note', () => {
  it('tag during the call → leave → badge 1 → checklist in the popup → badge clears → CRM note holds it', async () => {
    b.fixtures.serve('meet', 'in-call');
    const page = await b.context.newPage();
    await page.goto(callUrl('meet', 700));
    // A hostile page script: records every key event and scans the page for the rep's text.
    await page.evaluate(() => {
      const w = window as unknown as { seen: string[] };
      w.seen = [];
      for (const type of ['keydown', 'keypress', 'input', 'beforeinput']) {
        window.addEventListener(type, (e) => w.seen.push((e as KeyboardEvent).key ?? (e as InputEvent).data ?? ''), true);
      }
    });
    const prompt = new PromptDriver(page);
    await prompt.waitForText(/Ask for recording consent/);
    await prompt.click('Customer agreed');
    await prompt.waitForText(/Consent recorded/);
    await prompt.click('Done');
    await prompt.click('objection');
    await prompt.waitForText(/Tagged “objection” at 00:0\d/);
    await page.keyboard.press('Alt+3'); // the third policy tag: risk
    await prompt.waitForText(/Tagged “risk”/);
    expect(await prompt.call<number>('function () { return this.querySelectorAll("input, textarea, [contenteditable]").length; }')).toBe(0);

    await switchFixture(page, 'meet', 'left');
    await waitFor(badge, (t) => t === '1');

    const popup = await b.context.newPage();
    await popup.goto(`chrome-extension://${b.extensionId}/popup.html`);
    await popup.getByRole('heading', { name: 'Checklists to complete (1)' }).waitFor();
    await popup.getByRole('button', { name: /Google Meet.*Checklist pending/ }).click();

    const secret = 'CFO hesitated when we mentioned the Q3 rollout';
    await popup.getByLabel(/Details for objection/).fill(secret);
    await popup.getByLabel(/Details for objection/).blur();
    await popup.getByLabel('Qualification details').fill('Budget approved for 40 seats; Dana (VP Sales) decides.');
    await popup.getByRole('button', { name: '+ Add next step' }).click();
    await popup.getByLabel('Next step 1', { exact: true }).fill('Send security questionnaire');
    await popup.getByLabel('Owner of next step 1').fill('Alex');
    await popup.getByLabel('Due date of next step 1').fill('2026-12-04');
    await popup.getByRole('button', { name: 'Complete checklist' }).click();
    await expect.poll(() => popup.getByRole('alert').textContent()).toMatch(/Fill in the required fields first: Timeline clarity, Risks, Competitive dynamics, Human nuance/);
    await popup.getByLabel('Timeline clarity').fill('Decision by end of January.');
    await popup.getByLabel(/^Risks/).fill('Security review could slip.');
    await popup.getByLabel('Competitive dynamics').fill('Also talking to Acme.');
    await popup.getByLabel('Human nuance').fill(secret);
    await popup.getByRole('button', { name: 'Complete checklist' }).click();
    await expect.poll(() => popup.getByText('Checklist complete. Thank you.').count()).toBe(1);
    await waitFor(badge, (t) => t === '');

    // Headless Chromium cannot grant clipboard access to extension origins: record what is written.
    await popup.evaluate(() => {
      const clip = navigator.clipboard;
      const write = clip.writeText.bind(clip);
      clip.writeText = (text: string) => {
        (window as unknown as { copied: string }).copied = text;
        return write(text).catch(() => undefined);
      };
    });
    await popup.getByRole('button', { name: 'Copy CRM note' }).click();
    await expect.poll(() => popup.getByText(/CRM note copied/).count()).toBe(1);
    const note = await popup.evaluate(() => (window as unknown as { copied: string }).copied);
    expect(note).toContain('Budget approved for 40 seats');
    expect(note).toContain('Send security questionnaire');
    expect(note).toMatch(/00:0\d.*Objection/i);
    expect(note).toContain(secret);

    // Nothing the rep typed reached the call page.
    const seen = await page.evaluate(() => ({ keys: (window as unknown as { seen: string[] }).seen.join(''), html: document.documentElement.outerHTML }));
    expect(seen.keys).not.toContain('CFO');
    expect(seen.html).not.toContain('CFO hesitated');
    const checklist = (await readStore<{ status: string; completedAt?: number }>(b, 'checklists'))[0]!;
    expect(checklist.status).toBe('done');
    expect(checklist.completedAt).toBeGreaterThan(0);
    await popup.close();
    await page.close();
  });
});
