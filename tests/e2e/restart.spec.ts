import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { callUrl, PromptDriver, readStore, startBrowser, waitFor, type TestBrowser } from './support';

interface CallRow { id: string; status: string; outcome?: string; endReason?: string; tabIds: number[]; platform: string }
interface EventRow { callId: string; type: string; data: { reason?: string } }
interface ChecklistRow { callId: string; status: string }

let first: TestBrowser | undefined;
let second: TestBrowser | undefined;
afterAll(async () => {
  await second?.close();
  if (first) rmSync(first.profile, { recursive: true, force: true });
});

describe('browser restart', () => {
  it('a call open when the browser died is closed as "ended (unknown)" at the next start, its checklist still pending', async () => {
    first = await startBrowser();
    first.fixtures.serve('meet', 'in-call');
    const page = await first.context.newPage();
    await page.goto(callUrl('meet', 700));
    const prompt = new PromptDriver(page);
    await prompt.waitForText(/Ask for recording consent/);
    await prompt.click('Customer agreed');
    await prompt.waitForText(/Consent recorded/);
    const [call] = await waitFor(() => readStore<CallRow>(first!, 'calls'), (rows) => rows.some((c) => c.outcome === 'agreed'));
    expect(call).toMatchObject({ status: 'active', outcome: 'agreed' });

    // No tab closes and no extension event runs: the worker never hears that the call ended.
    await first.crash();

    second = await startBrowser({ profile: first.profile });
    const calls = await waitFor(() => readStore<CallRow>(second!, 'calls'), (rows) => rows.every((c) => c.status === 'ended'), 15_000);
    expect(calls).toEqual([expect.objectContaining({ id: call!.id, status: 'ended', endReason: 'ended-unknown', outcome: 'agreed' })]);
    const events = (await readStore<EventRow>(second, 'events')).filter((e) => e.callId === call!.id);
    // Nothing lost, nothing twice: one admission, one decision, one end.
    expect(events.filter((e) => e.type === 'admitted')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'decision')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'left').map((e) => e.data.reason)).toEqual(['ended-unknown']);
    const checklists = await readStore<ChecklistRow>(second, 'checklists');
    expect(checklists).toEqual([expect.objectContaining({ callId: call!.id, status: 'pending' })]);
    // The rep sees it: the toolbar badge counts the pending checklist.
    const worker = await second.worker();
    await expect.poll(() => worker.evaluate(() => (globalThis as unknown as { chrome: { action: { getBadgeText(d: object): Promise<string> } } }).chrome.action.getBadgeText({}))).toBe('1');
  });

  it('a call left open by a killed browser whose tab id a new tab now carries is ended as "unknown", not kept or "navigated away"', async () => {
    // Tab ids start over with each browser session, so after a kill a new tab may carry an old open
    // call's id. That state is set up directly: the stored call names a tab that exists now, with
    // the document id of a page from the killed session; then the worker starts, as after a restart.
    await second?.close();
    second = undefined;
    const b = await startBrowser();
    second = b;
    b.fixtures.serve('meet', 'in-call');
    const page = await b.context.newPage();
    await page.goto(callUrl('meet', 711));
    await new PromptDriver(page).waitForText(/Ask for recording consent/);
    const [live] = await waitFor(() => readStore<CallRow & { documents?: Record<string, string> }>(b, 'calls'), (rows) => rows.some((c) => c.status === 'active'));
    const tabId = live!.tabIds[0]!;
    expect(live!.documents?.[tabId]).toMatch(/^[0-9A-F]{32}$/);

    const stale = { ...live!, id: crypto.randomUUID(), meetingHash: 'f'.repeat(64), documents: { [tabId]: '0'.repeat(32) }, detectedAt: Date.now() - 60_000, updatedAt: Date.now() - 60_000 };
    const ext = await b.context.newPage();
    await ext.goto(`chrome-extension://${b.extensionId}/manifest.json`);
    await ext.evaluate((call) => new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('candor');
      open.onsuccess = () => {
        const tx = open.result.transaction('calls', 'readwrite');
        tx.objectStore('calls').put(call);
        tx.oncomplete = () => { open.result.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
      };
    }), stale);
    // A new browser session: its session storage starts empty (the worker then trusts documents, not tab ids).
    const worker = await b.worker();
    await worker.evaluate(() => (globalThis as unknown as { chrome: { storage: { session: { clear(): Promise<void> } } } }).chrome.storage.session.clear());
    const cdp = await ext.context().newCDPSession(ext);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    // The popup's first request wakes the worker, which checks open calls' pages before anything else.
    const popup = await b.context.newPage();
    await popup.goto(`chrome-extension://${b.extensionId}/popup.html`);

    const calls = await waitFor(() => readStore<CallRow>(b, 'calls'), (rows) => rows.find((c) => c.id === stale.id)?.status === 'ended', 10_000);
    expect(calls.find((c) => c.id === stale.id)).toMatchObject({ status: 'ended', endReason: 'ended-unknown' });
    // The real call in that tab goes on: its page is the same document.
    expect(calls.find((c) => c.id === live!.id)).toMatchObject({ status: 'active' });
    await page.goto('about:blank');
    const after = await waitFor(() => readStore<CallRow>(b, 'calls'), (rows) => rows.find((c) => c.id === live!.id)?.status === 'ended');
    expect(after.find((c) => c.id === stale.id)?.endReason).toBe('ended-unknown');
  });
});
