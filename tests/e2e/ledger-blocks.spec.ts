import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowser, type TestBrowser } from './support';

let b: TestBrowser;
beforeAll(async () => {
  b = await startBrowser();
});
afterAll(async () => {
  await b?.close();
});

const root = resolve(import.meta.dirname, '../..');
const EVENTS = 1_030;

/**
 * The worker seals the ledger into blocks in the real browser (CompressionStream and WebCrypto in
 * the service worker, IndexedDB): 1,030 consent events waiting for the ledger become one sealed
 * block of 1,000 entries and 30 unsealed ones; the routine and the full check both say intact; the
 * export is one record per entry and the offline CLI verifies it; a byte changed inside the stored
 * block is caught by the routine check.
 */
describe('sealed ledger blocks in Chromium', () => {
  it('1,030 consent events → one sealed block + 30 → intact (routine and full) → export verifies with the CLI → a changed block is caught', async () => {
    const options = await b.context.newPage();
    await options.goto(`chrome-extension://${b.extensionId}/options.html`);
    await options.getByRole('heading', { name: 'Consent ledger' }).waitFor();
    // Consent events as the lifecycle writes them (waiting for the ledger: chain 0), written
    // straight into IndexedDB so the test does not take 1,030 clicks.
    await options.evaluate(async (n) => {
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const q = indexedDB.open('candor');
        q.onsuccess = () => res(q.result);
        q.onerror = () => rej(q.error);
      });
      const callId = '0e0e0e0e-1111-4222-8333-444444444444';
      const t0 = Date.now() - 3_600_000;
      await new Promise<void>((res, rej) => {
        const tx = db.transaction(['calls', 'events'], 'readwrite');
        tx.objectStore('calls').put({ id: callId, platform: 'zoom', meetingHash: 'ab'.repeat(32), status: 'ended', tabIds: [], detectedAt: t0, admittedAt: t0, endedAt: t0 + 60_000, outcome: 'agreed', decidedAt: t0 + 1, detectedBy: ['manual'], updatedAt: t0 });
        for (let i = 0; i < n; i++) {
          tx.objectStore('events').put({ id: crypto.randomUUID(), callId, type: i % 2 ? 'decision' : 'prompt-shown', at: t0 + i, data: i % 2 ? { outcome: 'agreed' } : {}, chain: 0 });
        }
        tx.oncomplete = () => res();
        tx.onerror = () => rej(tx.error);
      });
      db.close();
    }, EVENTS);

    // Any request that can write consent events makes the worker flush the ledger afterwards.
    const download = options.waitForEvent('download');
    await options.getByRole('button', { name: 'Export ledger (JSON)' }).click();
    await download;
    const counts = () => options.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((res) => {
        const q = indexedDB.open('candor');
        q.onsuccess = () => res(q.result);
      });
      const count = (store: string) => new Promise<number>((res) => {
        const q = db.transaction(store).objectStore(store).count();
        q.onsuccess = () => res(q.result);
      });
      const out = { blocks: await count('ledgerBlocks'), unsealed: await count('ledger') };
      db.close();
      return out;
    });
    await expect.poll(counts, { timeout: 20_000 }).toEqual({ blocks: 1, unsealed: EVENTS - 1_000 });

    const status = options.locator('#ledger [role="status"]');
    await options.getByRole('button', { name: 'Verify again' }).click();
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/^Intact: 1,030 entries/);
    await options.getByRole('button', { name: 'Full check (re-hash every entry)' }).click();
    await options.getByText("Full check done: every entry's hash was recomputed.").waitFor();
    expect(await status.textContent()).toMatch(/^Intact: 1,030 entries/);

    // The export expands the block: one record per entry, verified offline by the CLI.
    const exported = options.waitForEvent('download');
    await options.getByRole('button', { name: 'Export ledger (JSON)' }).click();
    const file = join(mkdtempSync(join(tmpdir(), 'candor-blocks-')), 'ledger.json');
    await (await exported).saveAs(file);
    const json = JSON.parse(readFileSync(file, 'utf8')) as { records: { seq: number }[] };
    expect(json.records.map((r) => r.seq)).toEqual(Array.from({ length: EVENTS }, (_, i) => i + 1));
    const cli = spawnSync('npx', ['tsx', 'scripts/verify-ledger.ts', file], { cwd: root, encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(0);
    writeFileSync(file, ''); // leave no consent data behind in /tmp

    // One byte of the stored block changed: the routine check names the block's first entry.
    await options.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((res) => {
        const q = indexedDB.open('candor');
        q.onsuccess = () => res(q.result);
      });
      await new Promise<void>((res, rej) => {
        const store = db.transaction('ledgerBlocks', 'readwrite').objectStore('ledgerBlocks');
        const q = store.get(1);
        q.onsuccess = () => {
          const block = q.result as { body: ArrayBuffer };
          const bytes = new Uint8Array(block.body.slice(0));
          bytes[100] = bytes[100]! ^ 0x01;
          store.put({ ...block, body: bytes.buffer }).onsuccess = () => res();
        };
        q.onerror = () => rej(q.error);
      });
      db.close();
    });
    await options.getByRole('button', { name: 'Verify again' }).click();
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/^Broken at entry #0 \(seq 1\): block seal does not match/);
  }, 120_000);
});
