import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_DIR } from '../../scripts/lib/browser';
import { callUrl, PromptDriver, readStore, startBrowser, switchFixture, waitFor, type TestBrowser } from './support';

let b: TestBrowser;
beforeAll(async () => {
  b = await startBrowser();
});
afterAll(async () => {
  await b?.close();
});

type WorkerGlobal = { chrome: { storage: { local: { set(v: object): Promise<void> } } } };

describe('hostile page', () => {
  it('cannot trigger an outcome with synthetic clicks, cannot message Candor, and policy HTML renders as text', async () => {
    // A policy string with markup: it must show as text, never as HTML.
    const hostile = 'We coach. <img src=x onerror="window.pwned=1"><b>bold</b>';
    const worker = await b.worker();
    await worker.evaluate((purpose) => (globalThis as unknown as WorkerGlobal).chrome.storage.local.set({ policy: { purposeStatement: purpose } }), hostile);
    b.fixtures.serve('meet', 'in-call');
    const page = await b.context.newPage();
    await page.goto(callUrl('meet', 500));
    const prompt = new PromptDriver(page);
    const text = await prompt.waitForText(/Ask for recording consent/);
    expect(text).toContain(hostile);
    expect(await prompt.call<number>('function () { return this.getElementById("root").querySelectorAll("img, b, script").length; }')).toBe(0);

    const attack = await page.evaluate(async (extensionId) => {
      const host = document.querySelector('candor-consent') as HTMLElement;
      // Everything a page script can try: click the host, dispatch events at every point of it, reach inside.
      host.click();
      const r = host.getBoundingClientRect();
      for (let y = r.top + 5; y < r.bottom; y += 12) {
        for (let x = r.left + 5; x < r.right; x += 24) {
          const el = document.elementFromPoint(x, y);
          el?.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: x, clientY: y }));
          (el as HTMLElement | null)?.click?.();
        }
      }
      let messaging = 'unavailable';
      const runtime = (window as unknown as { chrome?: { runtime?: { sendMessage?: (...a: unknown[]) => Promise<unknown> } } }).chrome?.runtime;
      if (runtime?.sendMessage) {
        try {
          await runtime.sendMessage(extensionId, { type: 'call/decide' });
          messaging = 'delivered';
        } catch (e) {
          messaging = `refused: ${(e as Error).message}`;
        }
      }
      // Pretend to be a newer Candor content script, to make this one tear itself down.
      const started = `${extensionId}:call:wxt:content-script-started`;
      document.dispatchEvent(new CustomEvent(started, { detail: { contentScriptName: 'call', messageId: 'forged' } }));
      window.postMessage({ type: started, contentScriptName: 'call', messageId: 'forged' }, '*');
      await new Promise((r) => setTimeout(r, 300));
      return {
        shadowRoot: host.shadowRoot === null,
        pwned: (window as unknown as { pwned?: number }).pwned ?? 0,
        messaging,
        promptStillMounted: document.querySelectorAll('candor-consent').length === 1 && host.isConnected,
      };
    }, b.extensionId);
    expect(attack).toMatchObject({ shadowRoot: true, pwned: 0, promptStillMounted: true });
    expect(attack.messaging).not.toBe('delivered');
    await page.waitForTimeout(500);
    expect((await readStore(b, 'events')).filter((e) => e.type === 'decision')).toHaveLength(0);
    expect(await prompt.text()).toMatch(/Ask for recording consent/);
    await worker.evaluate(() => (globalThis as unknown as WorkerGlobal).chrome.storage.local.set({ policy: {} }));
    await page.close();
  });
});

describe('privacy', () => {
  it('the built manifest asks only for what Candor needs', () => {
    const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8'));
    expect(manifest.permissions).toEqual(['storage', 'alarms', 'notifications', 'scripting']);
    expect(manifest.host_permissions).toEqual([
      'https://meet.google.com/*', 'https://*.zoom.us/*', 'https://*.zoom.com/*',
      'https://teams.microsoft.com/*', 'https://teams.live.com/*', 'https://teams.cloud.microsoft/*',
    ]);
    // Org sync (docs/sync.md): the endpoint's host is only ever requested at runtime, never granted at install.
    expect(manifest.optional_host_permissions).toEqual(['https://*/*', 'http://127.0.0.1/*', 'http://localhost/*']);
    expect(manifest.externally_connectable).toBeUndefined();
    expect(manifest.content_security_policy).toBeUndefined(); // the default MV3 CSP: no eval, no remote code
    // Only the consent prompt's own frame, only to the call pages, only under the session's dynamic id.
    expect(manifest.web_accessible_resources).toEqual([{ resources: ['prompt.html'], matches: manifest.host_permissions, use_dynamic_url: true }]);
  });

  it('makes no network request at all during a full call flow', async () => {
    const requests: { url: string; type: string; fromWorker: boolean }[] = [];
    b.context.on('request', (r) => requests.push({ url: r.url(), type: r.resourceType(), fromWorker: !!r.serviceWorker() }));
    b.fixtures.serve('teams', 'lobby');
    const page = await b.context.newPage();
    await page.goto(callUrl('teams', 501));
    await switchFixture(page, 'teams', 'in-call');
    const prompt = new PromptDriver(page);
    await prompt.waitForText(/Ask for recording consent/);
    await prompt.click('Customer declined');
    await prompt.waitForText(/Saved\./);
    await switchFixture(page, 'teams', 'recording');
    await prompt.waitForText(/Stop the recording/);
    await switchFixture(page, 'teams', 'left');
    await waitFor(() => readStore<{ status: string }>(b, 'calls'), (rows) => rows.some((r) => r.status === 'ended'));
    const popup = await b.context.newPage();
    await popup.goto(`chrome-extension://${b.extensionId}/popup.html`);
    await popup.getByRole('button', { name: /Microsoft Teams/ }).first().click();
    await popup.close();
    await page.close();

    // Every request the browser context saw: pages (content scripts run in them), extension pages
    // and the extension's service worker. Only the test's own call-page navigations are allowed.
    const unexpected = requests.filter(
      (r) => !r.url.startsWith(`chrome-extension://${b.extensionId}/`) && !(r.url.startsWith('https://teams.microsoft.com/') && r.type === 'document'),
    );
    expect(requests.some((r) => r.type === 'document' && r.url.startsWith('https://teams.microsoft.com/'))).toBe(true);
    expect(unexpected).toEqual([]);
    // Org sync is off by default: nothing was even queued for sending.
    expect(await readStore(b, 'outbox')).toEqual([]);
  });
});
