import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callUrl, PromptDriver, readStore, startBrowser, switchFixture, waitFor, type TestBrowser } from './support';

let b: TestBrowser;
beforeAll(async () => {
  b = await startBrowser();
});
afterAll(async () => {
  await b?.close();
});

const root = resolve(import.meta.dirname, '../..');
const metric = (page: import('playwright-core').Page, label: string) =>
  page.locator('.metric', { has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd').textContent();

describe('ledger and audit report', () => {
  it('a few calls → the report shows the matching numbers → the exported ledger verifies with the CLI', async () => {
    // Call 1 (Meet): agreed.
    b.fixtures.serve('meet', 'in-call');
    const meet = await b.context.newPage();
    await meet.goto(callUrl('meet', 800));
    const p1 = new PromptDriver(meet);
    await p1.waitForText(/Ask for recording consent/);
    await p1.click('Customer agreed');
    await p1.waitForText(/Consent recorded/);
    await switchFixture(meet, 'meet', 'left');

    // Call 2 (Zoom): declined, then the platform records anyway, then stops.
    b.fixtures.serve('zoom', 'in-call');
    const zoom = await b.context.newPage();
    await zoom.goto(callUrl('zoom', 801));
    const p2 = new PromptDriver(zoom);
    await p2.waitForText(/Ask for recording consent/);
    await p2.click('Customer declined');
    await p2.waitForText(/Saved\./);
    await switchFixture(zoom, 'zoom', 'recording');
    await p2.waitForText(/Stop the recording/);
    await switchFixture(zoom, 'zoom', 'in-call');
    await p2.waitForText(/Recording stopped/, 6_000);
    await zoom.close();

    // Call 3 (Teams): HR call, never recorded by rule.
    b.fixtures.serve('teams', 'in-call');
    const teams = await b.context.newPage();
    await teams.goto(callUrl('teams', 802));
    const p3 = new PromptDriver(teams);
    await p3.waitForText(/Ask for recording consent/);
    await p3.focus('#candor-category');
    await teams.keyboard.press('h');
    await p3.click('Confirm: not recording');
    await waitFor(() => readStore<{ outcome?: string }>(b, 'calls'), (rows) => rows.filter((r) => r.outcome).length === 3);
    await waitFor(() => readStore<{ type: string; chain?: number }>(b, 'events'), (rows) => rows.every((e) => e.chain === undefined));

    const report = await b.context.newPage();
    await report.goto(`chrome-extension://${b.extensionId}/report.html`);
    await expect.poll(() => metric(report, 'Calls admitted')).toBe('3');
    expect(await metric(report, 'Decisions logged, changes included')).toBe('3');
    expect(await metric(report, 'Decisions changed')).toBe('0');
    expect(await metric(report, 'Recording after a decline')).toBe('1');
    expect(await metric(report, 'Never-record calls respected')).toBe('1 of 1');
    expect(await metric(report, 'Performance exports without approval')).toBe('0');
    expect(await report.getByRole('img', { name: /^Current outcome of each admitted call: Agreed 1, Declined 1, Not recorded 1, Withdrawn 0, No decision yet 0$/ }).count()).toBe(1);
    // The report names its check, and says "verified" only once every entry was re-hashed.
    await expect.poll(() => report.locator('#s-ledger + p').textContent()).toMatch(/^Every entry re-hashed: intact, \d+ entries verified\.$/);
    const head = await report.locator('#s-ledger ~ p code').textContent();
    expect(head).toMatch(/^[0-9a-f]{64}$/);
    // The anchor receipt, from the report as from the options page: the same head.
    const receipt = report.waitForEvent('download');
    await report.getByRole('button', { name: 'Download anchor receipt' }).click();
    const receiptFile = join(mkdtempSync(join(tmpdir(), 'candor-anchor-')), 'anchor.json');
    await (await receipt).saveAs(receiptFile);
    expect(JSON.parse(readFileSync(receiptFile, 'utf8'))).toMatchObject({ format: 'candor-anchor/1', hash: head });
    // The docs' screenshot is refreshed on request only (UPDATE_SCREENSHOTS=1), so a test run leaves the tree clean.
    if (process.env.UPDATE_SCREENSHOTS) await report.screenshot({ path: join(root, 'docs/images/audit-report.png'), fullPage: true });

    const options = await b.context.newPage();
    await options.goto(`chrome-extension://${b.extensionId}/options.html`);
    const download = options.waitForEvent('download');
    await options.getByRole('button', { name: 'Export ledger (JSON)' }).click();
    const file = join(mkdtempSync(join(tmpdir(), 'candor-ledger-')), 'ledger.json');
    await (await download).saveAs(file);
    const exported = JSON.parse(readFileSync(file, 'utf8')) as { records: { entry: Record<string, unknown> }[] };
    expect(exported.records.map((r) => r.entry.type)).toEqual(expect.arrayContaining(['asked', 'agreed', 'declined', 'recording-after-decline', 'recording-stopped', 'not-recorded']));
    // No raw meeting code anywhere (the whole code: 'abc-' alone also ends a random UUID's segment now and then).
    const meetCode = new URL(callUrl('meet', 800)).pathname.slice(1);
    expect(JSON.stringify(exported)).not.toContain(meetCode);
    expect(JSON.stringify(exported)).not.toContain('8123456');

    const cli = (path: string) => spawnSync('npx', ['tsx', 'scripts/verify-ledger.ts', path], { cwd: root, encoding: 'utf8' });
    const ok = cli(file);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/intact/i);
    // Change who asked in one entry of the export: the CLI names the broken entry.
    exported.records[1]!.entry.rep = 'someone-else';
    writeFileSync(file, JSON.stringify(exported));
    const broken = cli(file);
    expect(broken.status).toBe(1);
    expect(broken.stdout + broken.stderr).toMatch(/BROKEN at entry #1/);
  });
});
