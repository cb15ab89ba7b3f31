import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { appendRecord, type ChainRecord } from '../../lib/ledger/chain';
import type { ChainEntry } from '../../lib/ledger/entry';
import { readStore, startBrowser, waitFor, type TestBrowser } from './support';

/**
 * Issue 19 in Chromium: imports never rewrite the consent ledger, and the anchor receipt the
 * options page downloads catches what a chain alone cannot (docs/ledger.md, "Imports", "Anchors").
 *
 * One profile is copied mid-way (as a disk copy put back would be): the copy's ledger is a prefix of
 * the original's. The original's backup then extends the copy exactly (accepted, with a
 * `backup-imported` entry), while a forged backup (one "declined" turned into "agreed", every hash
 * after it recomputed) is refused by both, and every refusal is in the access log.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'candor-history-'));
const browsers: TestBrowser[] = [];
let copy: string | undefined;
afterAll(async () => {
  for (const b of browsers) await b.close().catch(() => undefined);
  if (copy) rmSync(copy, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

type LedgerRow = ChainRecord<ChainEntry> & { at?: number };
interface Backup { format: string; ledgerHead?: { seq: number; hash: string }; tables: { ledger?: LedgerRow[]; events?: { id: string; data: Record<string, unknown> }[] } }
interface AccessRow { purpose: string; action: string; refused?: string; fileHash?: string; approval?: unknown }

/** `pairs` consent asks and decisions for one call, waiting for the ledger (as the lifecycle writes them). */
async function consentEvents(options: Page, pairs: number, outcomes: readonly string[]): Promise<void> {
  await options.evaluate(async ([n, outs]) => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const q = indexedDB.open('candor');
      q.onsuccess = () => res(q.result);
      q.onerror = () => rej(q.error);
    });
    const callId = crypto.randomUUID();
    const t0 = Date.now() - 600_000;
    await new Promise<void>((res, rej) => {
      const tx = db.transaction(['calls', 'events'], 'readwrite');
      tx.objectStore('calls').put({ id: callId, platform: 'zoom', meetingHash: 'cd'.repeat(32), status: 'ended', tabIds: [], detectedAt: t0, admittedAt: t0, endedAt: t0 + 60_000, outcome: outs[n - 1], decidedAt: t0 + 1, detectedBy: ['manual'], updatedAt: t0 });
      for (let i = 0; i < n * 2; i++) {
        const decision = i % 2 === 1;
        tx.objectStore('events').put({ id: crypto.randomUUID(), callId, type: decision ? 'decision' : 'prompt-shown', at: t0 + i * 1_000, data: decision ? { outcome: outs[(i - 1) / 2] } : {}, chain: 0 });
      }
      tx.oncomplete = () => res();
      tx.onerror = () => rej(tx.error);
    });
    db.close();
  }, [pairs, outcomes] as const);
}

async function optionsPage(b: TestBrowser): Promise<Page> {
  const options = await b.context.newPage();
  await options.goto(`chrome-extension://${b.extensionId}/options.html`);
  await options.getByRole('heading', { name: 'Consent ledger' }).waitFor();
  return options;
}

/** Clicks a download button and returns the file's path and text. */
async function download(options: Page, button: string): Promise<{ path: string; text: string; name: string }> {
  const event = options.waitForEvent('download');
  await options.getByRole('button', { name: button }).click();
  const d = await event;
  const path = join(dir, `${Date.now()}-${d.suggestedFilename()}`);
  await d.saveAs(path);
  return { path, text: readFileSync(path, 'utf8'), name: d.suggestedFilename() };
}

const ledgerCount = (b: TestBrowser) => readStore(b, 'ledger').then((r) => r.length);

/** Makes the worker write waiting consent events to the ledger (any export does), until it holds `n`. */
async function flushLedger(b: TestBrowser, options: Page, n: number): Promise<void> {
  await download(options, 'Export ledger (JSON)');
  await waitFor(() => ledgerCount(b), (c) => c === n, 10_000);
}

/** Re-chains `records` from the first entry `change` alters, as a forger with the hash function would. */
async function rechain(records: readonly LedgerRow[], change: (e: ChainEntry) => ChainEntry | null): Promise<LedgerRow[]> {
  const out: LedgerRow[] = [];
  let prev: ChainRecord<ChainEntry> | null = null;
  let changed = false;
  for (const r of records) {
    const altered = changed ? null : change(structuredClone(r.entry));
    if (altered) changed = true;
    const next: ChainRecord<ChainEntry> = changed ? await appendRecord(prev, altered ?? r.entry) : r;
    out.push({ ...next, ...(r.at !== undefined ? { at: r.at } : {}) });
    prev = next;
  }
  if (!changed) throw new Error('nothing to forge');
  return out;
}

const declinedToAgreed = (e: ChainEntry): ChainEntry | null =>
  e.type === 'declined' ? { ...e, type: 'agreed', outcome: 'agreed' } as ChainEntry : null;

function cli(...args: string[]) {
  const run = spawnSync('npx', ['tsx', 'scripts/verify-ledger.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: run.status, out: run.stdout + run.stderr };
}

async function importFile(options: Page, name: string, content: string): Promise<void> {
  const path = join(dir, name);
  writeFileSync(path, content);
  await options.getByLabel('Import a backup (JSON)').setInputFiles(path);
}

describe('consent history in Chromium: imports never rewrite it, the anchor receipt catches what a chain cannot', () => {
  let original: TestBrowser;
  let backup: Backup;
  let backupText: string;
  let forged: string;

  it('the original: a backup, a ledger export and an anchor receipt; the page names the check it ran', { timeout: 120_000 }, async () => {
    original = await startBrowser();
    browsers.push(original);
    let options = await optionsPage(original);
    await consentEvents(options, 3, ['agreed', 'declined', 'agreed']);
    await flushLedger(original, options, 6);
    await options.close();
    // The profile as it is now, copied as a disk copy would be (the browser closed first, so the
    // copy is consistent): its ledger is a prefix of what follows.
    await original.context.close();
    copy = mkdtempSync(join(tmpdir(), 'candor-profile-copy-'));
    cpSync(original.profile, copy, { recursive: true });
    browsers.pop();
    original = await startBrowser({ profile: original.profile });
    browsers.push(original);

    options = await optionsPage(original);
    await consentEvents(options, 2, ['declined', 'agreed']);
    await flushLedger(original, options, 10);
    await options.reload();
    const status = options.locator('#ledger [data-check]');
    await expect.poll(() => status.textContent()).toBe('Check run: Routine check (each sealed block against its seal, every link between entries)');
    await options.getByRole('button', { name: 'Full check (re-hash every entry)' }).click();
    await expect.poll(() => status.textContent()).toBe('Check run: Full check (every entry re-hashed)');
    await expect.poll(() => options.locator('#ledger [role="status"]').first().textContent()).toMatch(/^Intact: 10 entries/);

    const receipt = await download(options, 'Download anchor receipt');
    expect(receipt.name).toMatch(/^candor-anchor-\d{4}-\d{2}-\d{2}-seq10\.json$/);
    const anchor = JSON.parse(receipt.text) as { format: string; seq: number; hash: string };
    const ledger = await download(options, 'Export ledger (JSON)');
    const exported = JSON.parse(ledger.text) as { head: { seq: number; hash: string }; records: LedgerRow[] };
    expect(anchor).toMatchObject({ format: 'candor-anchor/1', seq: 10, hash: exported.records[9]!.hash });
    // The full head hash is on the page, to copy.
    expect(await options.getByLabel('Hash of the last entry').inputValue()).toBe(anchor.hash);

    const b = await download(options, 'Export Full backup (JSON)');
    backupText = b.text;
    backup = JSON.parse(backupText) as Backup;
    expect(backup.ledgerHead).toMatchObject({ seq: 10, hash: anchor.hash });
    expect(exported.head).toMatchObject({ seq: 10, hash: anchor.hash });

    // The receipt, kept elsewhere, against the export as it is, cut short, appended to, and re-chained.
    // (The export's own `head` goes too: whoever edits the file would remove it.)
    const write = (name: string, records: LedgerRow[]) => {
      const { head: _head, ...envelope } = exported;
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify({ ...envelope, records: records.map(({ at: _at, ...r }) => r) }, null, 2));
      return path;
    };
    expect(cli(ledger.path, '--anchor', receipt.path)).toMatchObject({ code: 0 });
    const truncated = write('truncated.json', exported.records.slice(0, 8));
    expect(cli(truncated).code).toBe(0); // a shorter chain is itself a valid chain…
    const cut = cli(truncated, '--anchor', receipt.path);
    expect(cut.code).toBe(1); // …which the receipt catches
    expect(cut.out).toMatch(/ends at seq 8, before seq 10 .*entries removed from the end/);
    const extra = await appendRecord(exported.records[9]!, { ...exported.records[9]!.entry, eventId: crypto.randomUUID() } as ChainEntry);
    const appended = cli(write('appended.json', [...exported.records, extra]), '--anchor', receipt.path);
    expect(appended.code).toBe(1);
    expect(appended.out).toMatch(/goes on after seq 10.*up to seq 11 \(entries added at the end\)/);
    const rechained = write('rechained.json', await rechain(exported.records, declinedToAgreed));
    expect(cli(rechained).code).toBe(0);
    const rewritten = cli(rechained, '--anchor', receipt.path);
    expect(rewritten.code).toBe(1);
    expect(rewritten.out).toMatch(/entry seq 10 has hash [0-9a-f]{64}, but the anchor receipt .* says [0-9a-f]{64} \(the chain was rewritten or rolled back\)/);
    // The full hash, or a prefix of 16+ characters, as a person copies it.
    expect(cli(ledger.path, '--expect-last-hash', anchor.hash).code).toBe(0);
    expect(cli(ledger.path, '--expect-last-hash', anchor.hash.slice(0, 16).toUpperCase()).code).toBe(0);
    expect(cli(truncated, '--expect-last-hash', anchor.hash.slice(0, 16)).code).toBe(1);

    // The forged backup: the first "declined" is now "agreed", every hash after it recomputed.
    const forgedLedger = await rechain(backup.tables.ledger!, declinedToAgreed);
    forged = JSON.stringify({ ...backup, ledgerHead: { ...backup.ledgerHead, hash: forgedLedger.at(-1)!.hash }, tables: { ...backup.tables, ledger: forgedLedger } });
    await options.close();
  });

  it('the original refuses the forged backup with a sentence, logs the refusal, and its ledger is unchanged', { timeout: 60_000 }, async () => {
    const options = await optionsPage(original);
    await importFile(options, 'forged.json', forged);
    await expect.poll(() => options.getByRole('alert').first().textContent(), { timeout: 10_000 })
      .toMatch(/^Refused \(recorded in the access log\): Entry 4 of the backup's consent ledger differs from entry 4 in this browser: an import never changes recorded consent\. Nothing was imported\.$/);
    expect(await ledgerCount(original)).toBe(10);
    const log = await waitFor(() => readStore<AccessRow>(original, 'accessLog'), (rows) => rows.some((r) => r.action === 'import'));
    expect(log.filter((r) => r.action === 'import')).toEqual([expect.objectContaining({ purpose: 'record-keeping', refused: expect.stringMatching(/^Entry 4 of the backup's consent ledger differs/) })]);
    await options.close();
  });

  it('the rolled-back copy: the forged backup is refused; the real one extends it exactly, after a confirmation, and the import is a ledger entry', { timeout: 90_000 }, async () => {
    const b = await startBrowser({ profile: copy });
    browsers.push(b);
    copy = undefined; // closing the browser removes it
    expect(await ledgerCount(b)).toBe(6);
    const options = await optionsPage(b);

    await importFile(options, 'forged.json', forged);
    await expect.poll(() => options.getByRole('alert').first().textContent(), { timeout: 10_000 }).toMatch(/Entry 4 of the backup's consent ledger differs from entry 4 in this browser/);
    expect(await ledgerCount(b)).toBe(6);

    await importFile(options, 'backup.json', backupText);
    await expect.poll(() => options.locator('#import-plan').textContent(), { timeout: 10_000 })
      .toContain('4 consent ledger entries after this browser’s last one (entries 7 to 10)');
    expect(await ledgerCount(b)).toBe(6); // nothing is written before the confirmation
    await options.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => options.locator('#data [role="status"]').textContent(), { timeout: 10_000 }).toMatch(/^Imported: /);

    const ledger = await waitFor(() => readStore<LedgerRow>(b, 'ledger'), (rows) => rows.length === 11, 10_000);
    ledger.sort((x, y) => x.seq - y.seq);
    expect(ledger.slice(0, 10).map((r) => r.hash)).toEqual(backup.tables.ledger!.map((r) => r.hash));
    expect(ledger[10]!.entry).toMatchObject({ type: 'backup-imported', mode: 'extend', entriesAdded: 4, firstSeq: 7, lastSeq: 10 });
    const log = (await readStore<AccessRow>(b, 'accessLog')).filter((r) => r.action === 'import');
    expect(log).toHaveLength(2);
    expect(log.filter((r) => r.refused)).toHaveLength(1);
    expect(log.find((r) => !r.refused)).toMatchObject({ purpose: 'record-keeping', fileHash: (ledger[10]!.entry as { fileHash: string }).fileHash });

    // The page's full check agrees: intact, 11 entries.
    await options.reload();
    await options.getByRole('button', { name: 'Full check (re-hash every entry)' }).click();
    await expect.poll(() => options.locator('#ledger [role="status"]').first().textContent()).toMatch(/^Intact: 11 entries/);
    await options.close();
  });
});
