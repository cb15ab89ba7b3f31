import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendRecord, type ChainRecord } from '../../lib/ledger/chain';
import type { ChainEntry } from '../../lib/ledger/entry';
import { EXTENSION_DIR } from '../../scripts/lib/browser';
import { startTestServer, type TestServer } from '../../server/testing';
import { consoleLogin } from '../../server/tests/support';
import { callUrl, PromptDriver, readStore, startBrowser, waitFor, type TestBrowser } from './support';

/**
 * Issue 21 end to end: the built extension in Chromium, with org sync on, against the real service
 * (server/, in-process on PGlite). The console's API sees the call, the decline and the concern; the
 * status the console sets reaches the rep's "My concerns"; once the witness signed a checkpoint, a
 * forged backup is refused for contradicting it.
 *
 * One test-only change to the extension: its copy here lists http://127.0.0.1/* among the host
 * permissions granted at install. In real use the rep grants it with one click in the browser's own
 * dialog (options page, "Enroll"), which Playwright cannot click; the extension's checks are unchanged.
 */

let srv: TestServer;
let admin: Awaited<ReturnType<typeof consoleLogin>>;
let b: TestBrowser;
const extensionCopy = mkdtempSync(join(tmpdir(), 'candor-ext-org-'));
const dir = mkdtempSync(join(tmpdir(), 'candor-org-e2e-'));

beforeAll(async () => {
  srv = await startTestServer({ db: 'pglite' });
  admin = await consoleLogin(srv.url, srv.adminLogin);
  cpSync(EXTENSION_DIR, extensionCopy, { recursive: true });
  const manifestPath = join(extensionCopy, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { host_permissions: string[] };
  manifest.host_permissions.push('http://127.0.0.1/*');
  writeFileSync(manifestPath, JSON.stringify(manifest));
  // The later switches win: this copy is the extension loaded (same key, so the same id).
  b = await startBrowser({ extraArgs: [`--disable-extensions-except=${extensionCopy}`, `--load-extension=${extensionCopy}`] });
  // The fixtures' router aborts every other request: let the worker reach the service.
  await b.context.route((url) => url.origin === new URL(srv.url).origin, (route) => route.continue());
}, 180_000);
afterAll(async () => {
  await b?.close();
  await srv?.close();
  rmSync(extensionCopy, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

async function optionsPage(): Promise<Page> {
  const options = await b.context.newPage();
  await options.goto(`chrome-extension://${b.extensionId}/options.html`);
  await options.getByRole('heading', { name: 'Consent ledger' }).waitFor();
  return options;
}

interface ConsoleConcern { id: string; rep: string | null; category: string; text: string; status: string }
interface ConsoleEvent { rep: string; seq: number; type: string; callId: string; platform: string }

describe('the extension with org sync on, against the organisation service', () => {
  let rep: string;

  it('enrolls with the code from the console, then the call, its decline and a concern reach the service', { timeout: 120_000 }, async () => {
    const options = await optionsPage();
    await options.getByLabel('Service address (https://; empty turns sync off)').fill(srv.url);
    await options.getByRole('button', { name: 'Save address' }).click();
    const code = (await admin.post('/api/console/enrollment-codes', { team: 'emea', days: 1, maxUses: 1 })).json.code as string;
    await options.getByLabel('Enrollment code').fill(code);
    await options.getByRole('button', { name: 'Enroll', exact: true }).click();
    await expect.poll(() => options.locator('#sync').textContent(), { timeout: 15_000 }).toMatch(/Enrolled with http:\/\/127\.0\.0\.1:\d+ in team emea since /);
    const [meta] = (await readStore<{ key: string; value: string }>(b, 'meta')).filter((m) => m.key === 'repId');
    rep = meta!.value;

    // A call on Zoom, declined.
    b.fixtures.serve('zoom', 'in-call');
    const page = await b.context.newPage();
    await page.goto(callUrl('zoom', 401));
    const prompt = new PromptDriver(page);
    await prompt.waitForText(/Ask for recording consent/);
    await prompt.click('Customer declined');
    await prompt.waitForText(/Saved\./);
    await page.close();

    // A concern from the popup.
    const popup = await b.context.newPage();
    await popup.goto(`chrome-extension://${b.extensionId}/popup.html`);
    await popup.getByRole('button', { name: 'Raise a concern', exact: true }).click();
    await popup.getByLabel('What happened?').fill('I was asked to share a recording for my review.');
    await popup.getByRole('button', { name: 'Send concern' }).click();
    await popup.locator('section.my-concerns li').first().waitFor();
    await popup.close();

    // The console's API: the call's consent records (asked, then declined) and the concern, under this install.
    const events = await waitFor(async () => ((await admin.get('/api/console/consent-events')).json as { events: ConsoleEvent[] }).events, (e) => e.some((x) => x.type === 'declined'), 30_000, 500);
    const declined = events.find((e) => e.type === 'declined')!;
    expect(declined).toMatchObject({ rep, platform: 'zoom' });
    expect(events.filter((e) => e.callId === declined.callId).map((e) => e.type).sort()).toEqual(expect.arrayContaining(['asked', 'declined']));
    const concerns = await waitFor(async () => ((await admin.get('/api/console/concerns')).json as { concerns: ConsoleConcern[] }).concerns, (c) => c.length === 1, 30_000, 500);
    expect(concerns[0]).toMatchObject({ rep, category: 'privacy-concern', text: 'I was asked to share a recording for my review.', status: 'open' });

    // The witness signed the chain's head; the options page shows and checks it.
    await waitFor(() => readStore(b, 'witnessCheckpoints'), (rows) => rows.length > 0, 30_000, 500);
    await options.reload();
    await expect.poll(() => options.locator('#ledger').textContent(), { timeout: 10_000 }).toMatch(/Witnessed by http:\/\/127\.0\.0\.1:\d+/);
    await options.close();
  });

  it("the status and reply the console sets reach the rep's \"My concerns\"", { timeout: 60_000 }, async () => {
    const [concern] = ((await admin.get('/api/console/concerns')).json as { concerns: ConsoleConcern[] }).concerns;
    expect((await admin.post(`/api/console/concerns/${concern!.id}`, { status: 'acknowledged', reply: 'Thanks, that is not allowed; we are on it.' })).status).toBe(200);
    const popup = await b.context.newPage();
    await popup.goto(`chrome-extension://${b.extensionId}/popup.html`);
    await popup.getByRole('button', { name: 'My concerns' }).click();
    const item = popup.locator('section.my-concerns li').first();
    await expect.poll(() => item.textContent(), { timeout: 15_000 }).toMatch(/Privacy concern · Acknowledged · raised .*Reply from your organisation: Thanks, that is not allowed; we are on it\./);
    await popup.close();
  });

  it('once a checkpoint exists, a forged backup (a decline turned into agreement, re-chained) is refused for contradicting it', { timeout: 60_000 }, async () => {
    const options = await optionsPage();
    const event = options.waitForEvent('download');
    await options.getByRole('button', { name: 'Export Full backup (JSON)' }).click();
    const backupPath = join(dir, 'backup.json');
    await (await event).saveAs(backupPath);
    type Row = ChainRecord<ChainEntry> & { at?: number };
    const backup = JSON.parse(readFileSync(backupPath, 'utf8')) as { tables: { ledger: Row[] } };
    const forged: Row[] = [];
    let prev: ChainRecord<ChainEntry> | null = null;
    let changed = false;
    for (const r of backup.tables.ledger) {
      const flip: boolean = !changed && r.entry.type === 'declined';
      changed ||= flip;
      const next: ChainRecord<ChainEntry> = changed ? await appendRecord(prev, (flip ? { ...r.entry, type: 'agreed', outcome: 'agreed' } : r.entry) as ChainEntry) : r;
      forged.push({ ...next, ...(r.at !== undefined ? { at: r.at } : {}) });
      prev = next;
    }
    expect(changed).toBe(true);
    const forgedPath = join(dir, 'forged.json');
    writeFileSync(forgedPath, JSON.stringify({ ...backup, tables: { ...backup.tables, ledger: forged } }));
    const before = (await readStore(b, 'ledger')).length;
    await options.getByLabel('Import a backup (JSON)').setInputFiles(forgedPath);
    await expect.poll(() => options.getByRole('alert').first().textContent(), { timeout: 10_000 })
      .toMatch(/^Refused \(recorded in the access log\): This backup contradicts what the organisation service witnessed\. Nothing was imported\.$/);
    // What the witness's checkpoint says, for support, under Details.
    expect(await options.locator('#data details.tech-details', { hasText: '(the chain was rewritten or rolled back).' }).count()).toBe(1);
    expect((await readStore(b, 'ledger')).length).toBe(before);
    const log = await readStore<{ action: string; refused?: string }>(b, 'accessLog');
    expect(log.filter((r) => r.action === 'import' && r.refused?.startsWith('This backup contradicts what the organisation service witnessed'))).toHaveLength(1);
    await options.close();
  });

  it('a performance export redeems an approval code from the console; the access log keeps what the service returned, the next coaching export none', { timeout: 60_000 }, async () => {
    const issued = (await admin.post('/api/console/approvals', { reference: 'HR-2026-41', scope: rep, days: 1, maxUses: 1 })).json as { id: string; code: string };
    const options = await optionsPage();
    await options.getByLabel(/Performance: compliance checks/).check();
    await options.getByLabel('Approval code').fill(issued.code);
    const csv = options.waitForEvent('download');
    await options.getByRole('button', { name: 'Export Calls (CSV)' }).click();
    await csv;
    // Used up: the same code again is refused with the service's sentence.
    await options.getByLabel('Approval code').fill(issued.code);
    await options.getByRole('button', { name: 'Export Calls (CSV)' }).click();
    await expect.poll(() => options.getByRole('alert').first().textContent()).toBe('This approval has been used up. Nothing was exported.');
    await options.getByLabel(/Coaching: skill development/).check();
    const json = options.waitForEvent('download');
    await options.getByRole('button', { name: 'Export Calls (JSON)' }).click();
    await json;
    type Row = { at: number; purpose: string; action: string; approval?: unknown };
    const log = (await readStore<Row>(b, 'accessLog')).filter((r) => r.action.startsWith('calls-')).sort((x, y) => x.at - y.at);
    expect(log.map(({ purpose, action, approval }) => ({ purpose, action, approval }))).toEqual([
      { purpose: 'performance', action: 'calls-csv', approval: { approver: 'Administrator', role: 'admin', reference: 'HR-2026-41', id: issued.id } },
      { purpose: 'coaching', action: 'calls-json', approval: undefined },
    ]);
    const redeemed = await waitFor(async () => (await admin.get('/api/console/approvals')).json as { approvals: { id: string; uses: number }[] }, (r) => r.approvals.some((a) => a.id === issued.id), 10_000);
    expect(redeemed.approvals.find((a) => a.id === issued.id)).toMatchObject({ uses: 1 });
    await options.close();
  });
});
