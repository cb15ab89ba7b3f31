import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { callUrl, PromptDriver, readStore, startBrowser, waitFor, type TestBrowser } from './support';

interface CallRow { id: string; status: string; outcome?: string; endReason?: string }
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
});
