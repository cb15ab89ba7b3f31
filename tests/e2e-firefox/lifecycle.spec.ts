import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtensionPage } from './pages/extension-page';
import { callUrl, openCall, readStore, sleep, startFirefox, switchFixture, toolbarBadge, waitFor, type FirefoxBrowser, type FixturePlatform, type Prompt } from './support';

/**
 * A call's end in Firefox: the platform's end screen or a closed tab ends it (Firefox's tabs
 * events reach the MV2 background page), a reload continues it, and an ended call leaves a pending
 * post-call checklist the rep sees on the toolbar button (browserAction badge in Firefox MV2) and
 * completes in the popup.
 */
let ff: FirefoxBrowser;
beforeAll(async () => {
  ff = await startFirefox();
});
afterAll(async () => {
  await ff?.close();
});

interface CallRow { id: string; platform: string; status: string; outcome?: string; endReason?: string; admittedAt?: number }
interface ChecklistRow { callId: string; status: string; pendingSince: number; completedAt?: number }
type AlarmGlobal = { browser: { alarms: { get(name: string): Promise<{ scheduledTime: number } | undefined> } } };

let meetings = 200;
const open = (platform: FixturePlatform, fixture = 'in-call', url = callUrl(platform, ++meetings)) => openCall(ff, platform, fixture, url);
const newestCall = async (platform: FixturePlatform) =>
  (await readStore<CallRow>(ff, 'calls')).filter((c) => c.platform === platform).sort((x, y) => (y.admittedAt ?? 0) - (x.admittedAt ?? 0))[0]!;

async function agree(prompt: Prompt) {
  await prompt.waitForText(/Ask for recording consent/);
  await prompt.waitEnabled('Customer agreed');
  await prompt.click('Customer agreed');
  await prompt.waitForText(/Consent recorded/);
}

describe('the end of a call', () => {
  it('continues the same call after a reload: no second prompt, the collapsed prompt shows the decision', async () => {
    const { page, prompt } = await open('teams');
    await agree(prompt);
    const call = await newestCall('teams');
    await page.reload();
    await prompt.waitForText(/^Consent: customer agreed(\n|$)/);
    await sleep(500);
    expect((await newestCall('teams')).id).toBe(call.id);
    const events = (await readStore<{ callId: string; type: string }>(ff, 'events')).filter((e) => e.callId === call.id);
    expect(events.filter((e) => e.type === 'prompt-shown')).toHaveLength(1);
    await page.close();
    const ended = await waitFor(() => newestCall('teams'), (c) => c.status === 'ended');
    expect(ended.endReason).toBe('tab-closed');
  });

  it('the end screen leaves a pending checklist: badge and reminder, completed in the popup, badge clears', async () => {
    const { page, prompt } = await open('meet');
    await agree(prompt);
    await prompt.click('Done');
    await prompt.click('objection');
    await prompt.waitForText(/Tagged “objection” at 00:0\d/);

    await switchFixture(page, 'meet', 'left');
    const call = await waitFor(() => newestCall('meet'), (c) => c.status === 'ended');
    expect(call.endReason).toBe('left');
    expect(await prompt.text()).toBeNull();
    const checklist = (await waitFor(() => readStore<ChecklistRow>(ff, 'checklists'), (rows) => rows.some((r) => r.callId === call.id))).find((r) => r.callId === call.id)!;
    expect(checklist.status).toBe('pending');

    // What the rep sees on the toolbar button, and the reminder planned for the policy's 30 minutes.
    // The tab closed in the first test left its call's checklist pending too: two are waiting.
    const badge = await waitFor(() => toolbarBadge(ff), (b) => b.text === '2');
    expect(badge.title).toBe('Candor: 2 call checklists to complete');
    const popupPage = await ff.openExtensionPage('popup.html');
    const alarm = await popupPage.evaluate(() => (globalThis as unknown as AlarmGlobal).browser.alarms.get('checklist-reminder'));
    expect(alarm?.scheduledTime).toBeGreaterThanOrEqual(checklist.pendingSince - 30_000 + 30 * 60_000);

    const popup = new ExtensionPage(popupPage);
    await popup.waitForText(/Checklists to complete \(2\)/);
    await popup.clickMatching('button', /Google Meet[\s\S]*Checklist pending/);
    await popup.fill('#cl-qualification', 'Budget approved for 40 seats; Dana (VP Sales) decides.');
    await popup.click('+ Add next step');
    await popup.fill('Next step 1', 'Send security questionnaire');
    await popup.fill('Owner of next step 1', 'Alex');
    await popup.typeDate('Due date of next step 1', '2026-12-04');
    await popup.click('Complete checklist');
    await popup.waitForText(/Fill in the required fields first: Timeline clarity, Risks, Competitive dynamics, Human nuance/);
    await popup.fill('#cl-timeline', 'Decision by end of January.');
    await popup.fill('#cl-risks', 'Security review could slip.');
    await popup.fill('#cl-competition', 'Also talking to Acme.');
    await popup.fill('#cl-humanNuance', 'CFO hesitated when we mentioned the Q3 rollout.');
    await popup.click('Complete checklist');
    await popup.waitForText(/Checklist complete\. Thank you\./);
    const done = (await readStore<ChecklistRow>(ff, 'checklists')).find((r) => r.callId === call.id)!;
    expect(done.status).toBe('done');
    expect(done.completedAt).toBeGreaterThan(0);
    const after = await waitFor(() => toolbarBadge(ff), (b) => b.text === '1');
    expect(after.title).toBe('Candor: 1 call checklist to complete');
    await popupPage.close();
    await page.close();
  });
});
