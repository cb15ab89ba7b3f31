import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_DIST } from '../app';
import type { TestServer } from '../testing';
import { chain, concernBody, consentBody, enroll, request, server, type Client } from './support';

/**
 * The console in real headless Chromium: sign in, see a call's decline and a concern that were
 * ingested over HTTP, triage the concern (the rep's status endpoint then shows it), issue an
 * approval (the install redeems it). Record text stays text: a concern carrying HTML is shown
 * literally and runs nothing.
 */
const HOSTILE = '<img src=x onerror="window.__pwned=1">Recording felt pushy';

describe('leadership console in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let page: Page;
  let rep: Client;
  let callId: string;
  let concernId: string;

  beforeAll(async () => {
    if (!existsSync(join(CONSOLE_DIST, 'index.html'))) {
      const { build } = await import('vite');
      await build({ configFile: join(import.meta.dirname, '..', 'console', 'vite.config.ts'), logLevel: 'warn' });
    }
    s = await server('pglite');
    rep = await enroll(s);
    callId = crypto.randomUUID();
    const at = new Date(Date.now() - 86_400_000).toISOString();
    const records = await chain(rep.installId, 2, null, (i) => (i === 0
      ? { type: 'asked', outcome: null, callId, category: 'customer', at }
      : { type: 'declined', outcome: 'declined', callId, category: 'customer', at }));
    for (const r of records) expect((await rep.post('/api/v1/ingest', consentBody(rep.installId, r))).status).toBe(200);
    const concern = concernBody(rep.installId, { text: HOSTILE });
    concernId = concern.record.id;
    expect((await rep.post('/api/v1/ingest', concern)).json.stored).toBe(true);

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it('signs in, shows the decline and the concern, triages it, issues an approval', async () => {
    await page.goto(`${s.url}/`);
    await page.getByLabel('Email').fill(s.adminLogin.email);
    await page.getByLabel('Password').fill(s.adminLogin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Accuracy of the consent process' }).waitFor();
    const declined = page.locator('.metric', { hasText: /^Declined/ });
    await expect.poll(() => declined.locator('dd').textContent()).toBe('1');
    await expect.poll(() => page.locator('table').first().textContent()).toContain('customer');

    await page.getByRole('button', { name: 'Consent events' }).click();
    const row = page.locator('tr', { hasText: callId }).filter({ hasText: 'declined' });
    await row.waitFor();
    expect(await row.textContent()).toContain(rep.installId);

    await page.getByRole('button', { name: 'Concerns' }).click();
    const concernRow = page.locator('tr', { hasText: 'Recording felt pushy' });
    await concernRow.waitFor();
    expect(await concernRow.locator('td.text').textContent()).toBe(HOSTILE);
    expect(await page.locator('td.text img').count()).toBe(0);
    await concernRow.getByLabel('Status').selectOption('acknowledged');
    await concernRow.getByLabel('Reply to the rep').fill('Thanks, we are looking into it.');
    await concernRow.getByRole('button', { name: 'Save' }).click();
    await concernRow.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const seen = await rep.post('/api/v1/concerns/status', { ids: [concernId] });
    expect(seen.json.concerns).toEqual([{ id: concernId, status: 'acknowledged', reply: 'Thanks, we are looking into it.', updatedAt: expect.any(String) }]);

    await page.getByRole('button', { name: 'Approvals' }).click();
    await page.getByLabel('Reference').fill('HR-2026-17');
    await page.getByLabel('Rep id (empty: any rep)').fill(rep.installId);
    await page.getByRole('button', { name: 'Issue approval' }).click();
    const code = (await page.getByTestId('approval-code').textContent())!;
    expect(code).toMatch(/^APR-/);
    const redeemed = await rep.post('/api/v1/approvals/redeem', { code, action: 'calls-csv', callCount: 4 });
    expect(redeemed.status).toBe(200);
    expect(redeemed.json.approval).toMatchObject({ purpose: 'performance', reference: 'HR-2026-17', approver: { name: 'Administrator', role: 'admin' }, scope: rep.installId });
    const usedUp = await rep.post('/api/v1/approvals/redeem', { code, action: 'calls-csv', callCount: 4 });
    expect(usedUp.json).toEqual({ error: 'This approval has been used up.', code: 'approval-used-up' });

    // The access review lists the export with its approval.
    await page.getByRole('button', { name: 'Review' }).click();
    await page.locator('tr', { hasText: 'HR-2026-17' }).waitFor();

    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    const cookie = (await page.context().cookies()).find((c) => c.name === 'candor_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect((await request(`${s.url}/api/console/review`, 'GET')).status).toBe(401);
  });
});
