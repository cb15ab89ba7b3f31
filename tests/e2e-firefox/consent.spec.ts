import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callUrl, openCall, readStore, sleep, startFirefox, switchFixture, waitFor, type FirefoxBrowser, type FixturePlatform } from './support';

/**
 * The consent path in real Firefox ESR: the built Firefox extension (MV2, background page),
 * fixture pages at the real platform URLs, trusted BiDi input. What each decision stored is read
 * back from the extension's IndexedDB (Firefox's own backend).
 */
let ff: FirefoxBrowser;
beforeAll(async () => {
  ff = await startFirefox();
});
afterAll(async () => {
  await ff?.close();
});

const SCRIPT = 'To make sure I capture everything accurately and share notes with my team, is it okay if I record this call?';
/** Long enough for several detection passes (the detector reacts within ~100 ms). */
const SETTLE_MS = 700;

let meetings = 0;
const open = (platform: FixturePlatform, first = 'lobby') => openCall(ff, platform, first, callUrl(platform, ++meetings));

interface Row { id: string; callId: string; type: string; data: Record<string, unknown>; outcome?: string; platform?: string; reason?: string; admittedAt?: number }
const newest = (rows: Row[], platform: string) => rows.filter((c) => c.platform === platform).sort((x, y) => (y.admittedAt ?? 0) - (x.admittedAt ?? 0))[0];

describe.each(['meet', 'zoom', 'teams'] as const)('%s', (platform) => {
  it('asks only once the rep is admitted, never in the lobby or waiting room', async () => {
    const { page, prompt } = await open(platform);
    await sleep(SETTLE_MS);
    expect(await prompt.text()).toBeNull();

    await switchFixture(page, platform, 'waiting');
    await sleep(SETTLE_MS);
    expect(await prompt.text()).toBeNull();

    await switchFixture(page, platform, 'in-call');
    const text = await prompt.waitForText(/Ask for recording consent/);
    expect(text).toContain('We use AI to strengthen coaching and accuracy.');
    expect(text).toContain(SCRIPT);
    expect(await prompt.buttons()).toEqual(expect.arrayContaining(['Customer agreed', 'Customer declined', 'Not recording this call']));
    // The lobby was seen first: the call's admission is stored, with no decision yet.
    const call = await waitFor(() => readStore<Row>(ff, 'calls'), (rows) => newest(rows, platform)?.admittedAt !== undefined);
    expect(newest(call, platform)?.outcome).toBeUndefined();
    await page.close();
  });
});

describe('decisions, each through a trusted click', () => {
  it('stores "Customer agreed" (Meet), exactly once, after the prompt was shown', async () => {
    const { page, prompt } = await open('meet', 'in-call');
    await prompt.waitForText(/Ask for recording consent/);
    await prompt.waitEnabled('Customer agreed');
    await prompt.click('Customer agreed');
    await prompt.waitForText(/Consent recorded/);
    const calls = await waitFor(() => readStore<Row>(ff, 'calls'), (rows) => newest(rows, 'meet')?.outcome === 'agreed');
    const call = newest(calls, 'meet')!;
    await sleep(300); // a late retry would land by now
    const events = (await readStore<Row>(ff, 'events')).filter((e) => e.callId === call.id);
    expect(events.filter((e) => e.type === 'decision').map((e) => e.data.outcome)).toEqual(['agreed']);
    expect(events.some((e) => e.type === 'prompt-shown')).toBe(true);
    await page.close();
  });

  it('stores "Customer declined" and shows the blameless decline line (Zoom)', async () => {
    const { page, prompt } = await open('zoom', 'in-call');
    await prompt.waitForText(/Ask for recording consent/);
    await prompt.waitEnabled('Customer declined');
    await prompt.click('Customer declined');
    const text = await prompt.waitForText(/Saved\./);
    expect(text).toContain('No problem — we’ll continue without it.');
    expect(text).toContain('notes-only mode');
    await waitFor(() => readStore<Row>(ff, 'calls'), (rows) => newest(rows, 'zoom')?.outcome === 'declined');
    await prompt.click('Done');
    await prompt.waitForText(/Declined: notes only/);
    await page.close();
  });

  it('asks a reason for "Not recording this call" and stores it (Teams)', async () => {
    const { page, prompt } = await open('teams', 'in-call');
    await prompt.waitForText(/Ask for recording consent/);
    await prompt.waitEnabled('Not recording this call');
    await prompt.click('Not recording this call');
    await prompt.waitForText(/Why is this call not recorded\?/);
    await prompt.click('Internal call');
    const calls = await waitFor(() => readStore<Row>(ff, 'calls'), (rows) => newest(rows, 'teams')?.outcome === 'not-recorded');
    expect(newest(calls, 'teams')?.reason).toBe('internal-call');
    await page.close();
  });

  it('ignores an untrusted click and stays out of reach of page scripts', async () => {
    const { page, prompt } = await open('meet', 'in-call');
    await prompt.waitForText(/Ask for recording consent/);
    await prompt.waitEnabled('Customer agreed');
    // The call page's own scripts see a host element with no shadow root (Firefox, mode "closed").
    const seen = await prompt.pageScriptView();
    expect(seen).toMatchObject({ shadowRoot: false });
    expect(seen.width).toBeGreaterThan(200);
    // Even code that reaches the button cannot decide for the rep: click() is not a trusted event.
    expect(await prompt.untrustedClick('Customer agreed')).toBe(true);
    await sleep(500);
    expect(await prompt.text()).toMatch(/Ask for recording consent/);
    const before = newest(await readStore<Row>(ff, 'calls'), 'meet')!;
    expect(before.outcome).toBeUndefined();
    // The keyboard works as well: Shift+Tab from the page start reaches the prompt's last control.
    await page.keyboard.down('Shift');
    await page.keyboard.press('Tab');
    await page.keyboard.up('Shift');
    expect(await prompt.focused()).toBe('Not recording this call');
    await page.keyboard.down('Shift');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab'); // declined, agreed
    await page.keyboard.up('Shift');
    expect(await prompt.focused()).toBe('Customer agreed');
    await page.keyboard.press('Enter');
    await prompt.waitForText(/Consent recorded/);
    await waitFor(() => readStore<Row>(ff, 'calls'), (rows) => rows.some((c) => c.id === before.id && c.outcome === 'agreed'));
    await page.close();
  });
});
