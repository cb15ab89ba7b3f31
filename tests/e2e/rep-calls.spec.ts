import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callUrl, PromptDriver, readStore, startBrowser, switchFixture, waitFor, type TestBrowser } from './support';

/*
 * The rep's side of issue 20, items 1–3: a decision changed in the call and after it (each change
 * a new ledger entry naming the one it supersedes), a call found by its meeting title and named by
 * the rep, and CRM checklists only where the policy asks for one (a dismissal counted in the audit).
 */

let b: TestBrowser;
beforeAll(async () => {
  b = await startBrowser();
});
afterAll(async () => {
  await b?.close();
});

type WorkerGlobal = { chrome: { action: { getBadgeText(details: object): Promise<string> } } };
const badge = async () => (await b.worker()).evaluate(() => (globalThis as unknown as WorkerGlobal).chrome.action.getBadgeText({}));
interface CallRow { id: string; platform: string; outcome?: string; platformTitle?: string; title?: string; account?: string; status: string; checklistNotRequired?: true }
interface EventRow { id: string; callId: string; type: string; data: Record<string, unknown>; chain?: number }
const calls = () => readStore<CallRow>(b, 'calls');
const popupUrl = () => `chrome-extension://${b.extensionId}/popup.html`;
const metric = (page: import('playwright-core').Page, label: string) =>
  page.locator('.metric', { has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd').textContent();

describe('changing a decision', () => {
  it('declined → agreed in the call, withdrawn after it; not recorded → asked after the call; all in the ledger export', async () => {
    // Call 1 (Meet): the customer declines, then changes their mind during the call.
    b.fixtures.serve('meet', 'in-call');
    const meet = await b.context.newPage();
    await meet.goto(callUrl('meet', 1200));
    const prompt = new PromptDriver(meet);
    await prompt.waitForText(/Ask for recording consent/);
    await prompt.click('Customer declined');
    await prompt.waitForText(/Saved\./);
    await prompt.click('Done');
    await prompt.waitForText(/Declined: notes only/);
    await prompt.click('Customer changed their mind');
    // The question is read again before the answer counts.
    await prompt.waitForText(/Read aloud/i);
    await prompt.click('Customer agreed after all');
    await waitFor(calls, (rows) => rows.some((r) => r.platform === 'meet' && r.outcome === 'agreed'));
    await switchFixture(meet, 'meet', 'left');
    await waitFor(calls, (rows) => rows.some((r) => r.platform === 'meet' && r.status === 'ended'));

    // After the call, from the popup: the customer withdraws (at any time, one click).
    const popup = await b.context.newPage();
    await popup.goto(popupUrl());
    await popup.getByRole('button', { name: /Google Meet/ }).first().click();
    await popup.getByRole('heading', { name: 'Change the decision' }).waitFor();
    await popup.getByRole('button', { name: 'Customer withdrew consent' }).click();
    await expect.poll(() => popup.getByText('Saved. The earlier decision stays in the history.').count()).toBe(1);
    await waitFor(calls, (rows) => rows.some((r) => r.platform === 'meet' && r.outcome === 'withdrawn'));
    await popup.close();

    // Call 2 (Zoom): not recorded (a technical issue), then asked after the call: the customer agrees.
    b.fixtures.serve('zoom', 'in-call');
    const zoom = await b.context.newPage();
    await zoom.goto(callUrl('zoom', 1201));
    const p2 = new PromptDriver(zoom);
    await p2.waitForText(/Ask for recording consent/);
    await p2.click('Not recording this call');
    await p2.waitForText(/Why is this call not recorded\?/);
    await p2.click('Technical issue');
    await waitFor(calls, (rows) => rows.some((r) => r.platform === 'zoom' && r.outcome === 'not-recorded'));
    await switchFixture(zoom, 'zoom', 'left');
    await waitFor(calls, (rows) => rows.some((r) => r.platform === 'zoom' && r.status === 'ended'));
    const popup2 = await b.context.newPage();
    await popup2.goto(popupUrl());
    await popup2.getByRole('button', { name: /Zoom/ }).first().click();
    await popup2.getByText(/You can change it until/).waitFor();
    await popup2.getByRole('button', { name: 'Ask now' }).click();
    // The question is read again before the answer counts (the policy's script).
    await popup2.getByText(/is it okay if I record this call\?/).waitFor();
    await popup2.getByRole('button', { name: 'Customer agreed' }).click();
    await waitFor(calls, (rows) => rows.some((r) => r.platform === 'zoom' && r.outcome === 'agreed'));

    // The CRM note shows the final decision and the history.
    await popup2.evaluate(() => {
      const clip = navigator.clipboard;
      const write = clip.writeText.bind(clip);
      clip.writeText = (text: string) => {
        (window as unknown as { copied: string }).copied = text;
        return write(text).catch(() => undefined);
      };
    });
    await popup2.getByRole('button', { name: 'Copy CRM note' }).click();
    await expect.poll(() => popup2.evaluate(() => (window as unknown as { copied?: string }).copied ?? '')).toMatch(/Consent history/);
    const note = await popup2.evaluate(() => (window as unknown as { copied: string }).copied);
    expect(note).toMatch(/not recorded: technical issue → agreed \(asked after first not recording\)/);
    await popup2.close();

    // Every decision is its own ledger entry; each change names the entry it supersedes.
    await waitFor(() => readStore<EventRow>(b, 'events'), (rows) => rows.every((e) => e.chain === undefined));
    const options = await b.context.newPage();
    await options.goto(`chrome-extension://${b.extensionId}/options.html`);
    const download = options.waitForEvent('download');
    await options.getByRole('button', { name: 'Export ledger (JSON)' }).click();
    const file = join(mkdtempSync(join(tmpdir(), 'candor-ledger-')), 'ledger.json');
    await (await download).saveAs(file);
    const exported = JSON.parse(readFileSync(file, 'utf8')) as { records: { entry: { type: string; eventId: string; callId: string; details?: Record<string, unknown> } }[] };
    const entries = exported.records.map((r) => r.entry);
    const byId = new Map(entries.map((e) => [e.eventId, e]));
    const changes = entries.filter((e) => e.details?.supersedes !== undefined);
    expect(changes.map((e) => [e.type, e.details!.change, byId.get(e.details!.supersedes as string)?.type])).toEqual([
      ['agreed', 'agreed-after-decline', 'declined'],
      ['withdrawn', 'withdrawn', 'agreed'],
      ['agreed', 'asked-again', 'not-recorded'],
    ]);
    for (const c of changes) expect(byId.get(c.details!.supersedes as string)!.callId).toBe(c.callId);
    await options.close();
  });
});

describe('a name for each call', () => {
  it('reads the meeting title, finds the call by it, lists a pending call once, and keeps the rep’s name and account', async () => {
    b.fixtures.serve('meet', 'titled');
    const page = await b.context.newPage();
    await page.goto(callUrl('meet', 1210));
    const prompt = new PromptDriver(page);
    await prompt.waitForText(/Ask for recording consent/);
    await prompt.click('Customer agreed');
    await waitFor(calls, (rows) => rows.some((r) => r.platformTitle === 'Acme renewal: pricing & next steps'));
    await switchFixture(page, 'meet', 'left');
    // This call's checklist, and those of the two calls of the test before (both external).
    await waitFor(badge, (t) => t === '3');

    const popup = await b.context.newPage();
    await popup.goto(popupUrl());
    await popup.getByRole('heading', { name: 'Checklists to complete (3)' }).waitFor();
    // Listed once: in the pending list, not again among the recent calls.
    await expect.poll(() => popup.getByRole('button', { name: /Acme renewal/ }).count()).toBe(1);
    expect(await popup.getByRole('button', { name: /Acme renewal/ }).textContent()).toContain('Checklist pending');

    await popup.getByRole('searchbox').fill('acme renewal');
    await expect.poll(() => popup.getByRole('button', { name: /Acme renewal: pricing & next steps/ }).count()).toBe(1);
    // Only the match is listed.
    await expect.poll(() => popup.locator('.call-row').count()).toBe(1);
    await popup.getByRole('button', { name: /Acme renewal/ }).click();
    await popup.getByRole('heading', { name: 'Acme renewal: pricing & next steps' }).waitFor();
    await popup.getByText('Name this call').click();
    await popup.getByLabel('Call name').fill('Acme renewal — pricing call');
    await popup.getByLabel('Account or opportunity').fill('Acme Corp · Renewal 2027');
    await popup.getByRole('button', { name: 'Save name' }).click();
    await waitFor(calls, (rows) => rows.some((r) => r.title === 'Acme renewal — pricing call' && r.account === 'Acme Corp · Renewal 2027'));
    await popup.getByRole('heading', { name: 'Acme renewal — pricing call' }).waitFor();
    // The stored call changed under the form: it stays open and says so.
    await popup.locator('.call-name[open] [role="status"]', { hasText: 'Saved.' }).waitFor({ timeout: 3_000 });

    // Found by the account the rep typed.
    await popup.getByRole('button', { name: 'All calls' }).click();
    await popup.getByRole('searchbox').fill('renewal 2027');
    await expect.poll(() => popup.getByRole('button', { name: /Acme renewal — pricing call/ }).count()).toBe(1);
    // The platform's title stays as read; the rep's name is kept beside it.
    expect((await calls()).find((r) => r.title)?.platformTitle).toBe('Acme renewal: pricing & next steps');
    await popup.close();
  });
});

describe('checklist scope', () => {
  it('an internal call gets no checklist; a dismissed one leaves the badge and is counted in the audit', async () => {
    b.fixtures.serve('teams', 'in-call');
    const teams = await b.context.newPage();
    await teams.goto(callUrl('teams', 1220));
    const prompt = new PromptDriver(teams);
    await prompt.waitForText(/Ask for recording consent/);
    await prompt.focus('#candor-category');
    await teams.keyboard.press('i');
    await prompt.waitForText(/Internal/);
    await prompt.click('Customer agreed');
    await waitFor(calls, (rows) => rows.some((r) => r.platform === 'teams' && r.outcome === 'agreed'));
    await switchFixture(teams, 'teams', 'left');
    const ended = await waitFor(calls, (rows) => rows.some((r) => r.platform === 'teams' && r.status === 'ended'));
    const internal = ended.find((r) => r.platform === 'teams')!;
    expect(internal.checklistNotRequired).toBe(true);
    expect((await readStore<{ callId: string }>(b, 'checklists')).some((c) => c.callId === internal.id)).toBe(false);
    // The internal call adds nothing to the three checklists of the calls before.
    await waitFor(badge, (t) => t === '3');

    const popup = await b.context.newPage();
    await popup.goto(popupUrl());
    await popup.getByRole('button', { name: /Microsoft Teams/ }).click();
    await popup.getByText('No CRM checklist is needed for this type of call.').waitFor();
    expect(await popup.getByRole('button', { name: 'Complete checklist' }).count()).toBe(0);

    // The pending checklist of the named call: no CRM record for it.
    await popup.getByRole('button', { name: 'All calls' }).click();
    await popup.getByRole('button', { name: /Acme renewal — pricing call/ }).click();
    await popup.getByText('No checklist needed for this call?').click();
    await popup.getByLabel('Why not?').selectOption('no-crm-record');
    await popup.getByRole('button', { name: 'Dismiss the checklist' }).click();
    await popup.getByText('Checklist dismissed: No CRM record for this call.').waitFor();
    await waitFor(badge, (t) => t === '2');
    const events = await readStore<EventRow>(b, 'events');
    expect(events.filter((e) => e.type === 'checklist-dismissed').map((e) => e.data)).toEqual([{ reason: 'no-crm-record' }]);

    const report = await b.context.newPage();
    await report.goto(`chrome-extension://${b.extensionId}/report.html`);
    await expect.poll(() => metric(report, 'Checklists dismissed')).toBe('1 1 with no CRM record');
    expect(await metric(report, 'Calls needing no checklist')).toBe('1');
    // The three changes of the first test: declined → agreed, withdrawn, not recorded → agreed.
    expect(await metric(report, 'Decisions changed')).toBe('3');
  });
});
