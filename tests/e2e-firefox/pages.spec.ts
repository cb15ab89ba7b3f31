import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtensionPage } from './pages/extension-page';
import { callUrl, managedStorage, openCall, readStore, sleep, startFirefox, waitFor, type FirefoxBrowser } from './support';

/**
 * The popup and the options page in Firefox: moz-extension:// pages in a tab, reading Candor's
 * IndexedDB (Firefox's backend) and talking to the MV2 background page.
 */
let ff: FirefoxBrowser;
beforeAll(async () => {
  ff = await startFirefox();
});
afterAll(async () => {
  await ff?.close();
});

interface CallRow { id: string; platform: string; outcome?: string; detectedBy: string[]; status: string }

describe('popup', () => {
  it('lists the call and keeps the rep’s note across closing and reopening; a note over the limit is refused readably', async () => {
    const { page: call, prompt } = await openCall(ff, 'teams', 'in-call', callUrl('teams', 900));
    await prompt.waitForText(/Ask for recording consent/);
    await prompt.waitEnabled('Customer agreed');
    await prompt.click('Customer agreed');
    await waitFor(() => readStore<CallRow>(ff, 'calls'), (rows) => rows.some((r) => r.platform === 'teams' && r.outcome === 'agreed'));

    let popup = new ExtensionPage(await ff.openExtensionPage('popup.html'));
    await popup.waitForText(/Agreed[\s\S]*Microsoft Teams/);
    await popup.clickMatching('button', /Microsoft Teams/);
    const note = 'Budget owner is the CFO; she hesitated on the timeline. Follow up Tuesday.';
    await popup.fill('#note-text', note);
    await waitFor(() => popup.roleText('status'), (t) => t === 'Saved');
    await popup.page.close();

    popup = new ExtensionPage(await ff.openExtensionPage('popup.html'));
    await popup.clickMatching('button', /Microsoft Teams/);
    await waitFor(() => popup.value('#note-text').catch(() => ''), (v) => v === note);
    expect(await readStore<{ text: string; author: string }>(ff, 'notes')).toEqual([expect.objectContaining({ text: note, author: 'rep' })]);

    await popup.paste('#note-text', 'x'.repeat(20_001));
    await popup.waitForText(/Notes are limited to 20,000 characters; this one has 20,001/, 5_000);
    expect((await readStore<{ text: string }>(ff, 'notes'))[0]?.text).toBe(note);
    await popup.page.close();
    await call.close();
  });

  it('starts the consent check from the popup when detection does not see the call', async () => {
    const { page, prompt } = await openCall(ff, 'meet', 'unknown-ui', callUrl('meet', 901));
    await sleep(700);
    expect(await prompt.text()).toBeNull();
    const popup = new ExtensionPage(await ff.openExtensionPage('popup.html'));
    await popup.click('Start consent check');
    await popup.waitForText(/Started: the consent prompt is open/);
    await prompt.waitForText(/Ask for recording consent/);
    const call = await waitFor(() => readStore<CallRow>(ff, 'calls'), (rows) => rows.some((c) => c.detectedBy.includes('manual')));
    expect(call.find((c) => c.detectedBy.includes('manual'))).toMatchObject({ platform: 'meet', status: 'active', detectedBy: ['manual'] });
    // The keyboard route (Alt+Shift+K) is registered in Firefox as well. BiDi key input is
    // dispatched inside the page, where browser-level shortcuts are not seen, so it is not pressed here.
    type Commands = { browser: { commands: { getAll(): Promise<Array<{ name: string; shortcut: string }>> } } };
    const commands = await popup.page.evaluate(() => (globalThis as unknown as Commands).browser.commands.getAll());
    expect(commands).toContainEqual(expect.objectContaining({ name: 'start-consent-check', shortcut: 'Alt+Shift+K' }));
    await popup.page.close();
    await page.close();
  });
});

describe('options page', () => {
  it('opens from the popup, and a purpose statement saved there is what the next prompt shows', async () => {
    const popup = new ExtensionPage(await ff.openExtensionPage('popup.html'));
    await popup.click('Settings, data and audit');
    // runtime.openOptionsPage(): Firefox opens options_ui (open_in_tab) in a new tab.
    const options = new ExtensionPage(await ff.waitForPage(ff.extensionUrl('options.html')));
    await popup.page.close();
    // No policies.json: Firefox's managed storage throws where Chromium's is empty; Candor reads
    // that as no organisation policy (nothing locked, no problem reported).
    expect((await managedStorage(ff)).error).toBe('Managed storage manifest not found');
    const before = await options.waitForText(/Purpose statement/);
    expect(before).not.toContain('🔒');
    expect(before).not.toContain('Policy problems');
    expect(before).not.toContain('restart Firefox');

    const purpose = 'We record calls to learn from each other; you can always say no.';
    await options.fill('Purpose statement', purpose);
    await options.click('Save policy');
    await options.waitForText(/Policy saved\./);

    const { page, prompt } = await openCall(ff, 'zoom', 'in-call', callUrl('zoom', 902));
    const text = await prompt.waitForText(/Ask for recording consent/);
    expect(text).toContain(purpose);
    await page.close();
    await options.page.close();
  });
});
