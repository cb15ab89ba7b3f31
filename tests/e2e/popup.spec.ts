import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callUrl, PromptDriver, readStore, startBrowser, switchFixture, waitFor, type TestBrowser } from './support';

let b: TestBrowser;
beforeAll(async () => {
  b = await startBrowser();
});
afterAll(async () => {
  await b?.close();
});

describe('popup', () => {
  it('lists the call and keeps the rep’s note across closing and reopening', async () => {
    b.fixtures.serve('teams', 'lobby');
    const call = await b.context.newPage();
    await call.goto(callUrl('teams', 900));
    await switchFixture(call, 'teams', 'in-call');
    const prompt = new PromptDriver(call);
    await prompt.waitForText(/Ask for recording consent/);
    await prompt.click('Customer agreed');
    await waitFor(() => readStore<{ outcome?: string }>(b, 'calls'), (rows) => rows.some((r) => r.outcome === 'agreed'));

    const popupUrl = `chrome-extension://${b.extensionId}/popup.html`;
    let popup = await b.context.newPage();
    await popup.goto(popupUrl);
    const row = popup.getByRole('button', { name: /Microsoft Teams/ });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('Agreed');
    await row.click();
    const note = 'Budget owner is the CFO; she hesitated on the timeline. Follow up Tuesday.';
    await popup.getByLabel('Your notes').fill(note);
    await expect.poll(() => popup.getByRole('status').textContent()).toBe('Saved');
    await popup.close();

    popup = await b.context.newPage();
    await popup.goto(popupUrl);
    await popup.getByRole('button', { name: /Microsoft Teams/ }).click();
    await expect.poll(() => popup.getByLabel('Your notes').inputValue()).toBe(note);
    const notes = await readStore<{ text: string; author: string }>(b, 'notes');
    expect(notes).toEqual([expect.objectContaining({ text: note, author: 'rep' })]);

    // Over the limit: a readable error, and the saved note is untouched.
    await popup.getByLabel('Your notes').fill('x'.repeat(20_001));
    await expect.poll(() => popup.getByRole('status').textContent()).toMatch(/Notes are limited to 20,000 characters; this one has 20,001/);
    expect((await readStore<{ text: string }>(b, 'notes'))[0]?.text).toBe(note);
    await popup.close();
    await call.close();
  });

  it('a call with thousands of tags (a restored backup) shows 50 at a time', async () => {
    const callId = crypto.randomUUID();
    const ext = await b.context.newPage();
    await ext.goto(`chrome-extension://${b.extensionId}/manifest.json`);
    // Stored as an import would store them (the import path itself is tested elsewhere).
    await ext.evaluate((id) => new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('candor');
      open.onsuccess = () => {
        const tx = open.result.transaction(['calls', 'tags'], 'readwrite');
        const at = Date.now() - 3_600_000;
        tx.objectStore('calls').put({ id, platform: 'zoom', meetingHash: 'e'.repeat(64), status: 'ended', tabIds: [], detectedAt: at, admittedAt: at, endedAt: at + 60_000, endReason: 'left', detectedBy: ['zoom-footer-leave'], updatedAt: at });
        for (let i = 0; i < 5_000; i++) tx.objectStore('tags').put({ id: crypto.randomUUID(), callId: id, tag: 'objection', offsetMs: i * 1_000, at: at + i });
        tx.oncomplete = () => { open.result.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
      };
    }), callId);
    await ext.close();
    const popup = await b.context.newPage();
    await popup.goto(`chrome-extension://${b.extensionId}/popup.html`);
    await popup.getByRole('button', { name: /Zoom/ }).first().click();
    await expect.poll(() => popup.locator('.tag-item').count()).toBe(50);
    await popup.getByRole('button', { name: 'Show 50 more (4,950 not shown)' }).click();
    await expect.poll(() => popup.locator('.tag-item').count()).toBe(100);
    await popup.close();
  });
});
