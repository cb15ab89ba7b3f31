import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendRecord, type ChainRecord } from '../../lib/ledger/chain';
import type { LedgerEntry } from '../../lib/ledger/entry';
import { buildExport } from '../../lib/ledger/export';

// scripts/verify-ledger.ts as an auditor runs it: a real process, real files, exit codes.

const ROOT = resolve(import.meta.dirname, '../..');
const TIMEOUT = 60_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function verify(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'scripts/verify-ledger.ts', ...args], { cwd: ROOT, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

const entry = (i: number): LedgerEntry => ({
  v: 1,
  type: i === 0 ? 'asked' : 'agreed',
  at: new Date(Date.UTC(2025, 0, 1, 9, 0, i)).toISOString(),
  eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  callId: '11111111-1111-4111-8111-111111111111',
  platform: 'zoom',
  meetingRef: '5'.repeat(64),
  rep: 'rep-1',
  asked: { scope: 'all-present', audience: 'unknown' },
  notice: { textHash: '6'.repeat(64), language: 'en', version: 'v3' },
  purposes: ['recording'],
  method: 'read-aloud-attested',
  outcome: i === 0 ? null : 'agreed',
  reason: null,
  category: null,
  rule: null,
  policyVersion: 'p1',
  extensionVersion: '0.1.0',
  details: {},
});

let dir: string;
let records: ChainRecord[];
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
};
/** A deep copy, as a file holds it: tampering with it must not reach the shared records. */
const exportOf = (list: ChainRecord<unknown>[]) =>
  structuredClone(buildExport({ records: list, checkpoint: null, extensionVersion: '0.1.0', exportedAt: new Date('2025-06-01T00:00:00.000Z') }));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'candor-ledger-cli-'));
  records = [];
  for (let i = 0; i < 3; i++) records.push(await appendRecord(records[i - 1] ?? null, entry(i)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scripts/verify-ledger.ts', () => {
  it('exits 0 and prints the head for an intact export', { timeout: TIMEOUT }, async () => {
    const run = await verify(file('intact.json', exportOf(records)));
    expect(run).toEqual({ code: 0, stdout: `intact: 3 entries, last hash ${records[2]?.hash}\n`, stderr: '' });
  });

  it('exits 1 and names the first broken entry for a tampered export', { timeout: TIMEOUT }, async () => {
    const tampered = exportOf(records);
    (tampered.records[1] as { entry: LedgerEntry }).entry.outcome = 'declined';
    const run = await verify(file('tampered.json', tampered));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('BROKEN at entry #1 (seq 2): hash does not match the entry (entry changed)\n');
  });

  it('exits 1 for a truncated export only when an anchor is given', { timeout: TIMEOUT }, async () => {
    const path = file('truncated.json', exportOf(records.slice(0, 2)));
    const [plain, anchored] = await Promise.all([verify(path), verify(path, '--expect-count', '3')]);
    expect(plain.code).toBe(0);
    expect(anchored.code).toBe(1);
    expect(anchored.stdout).toMatch(/^BROKEN at entry #2 \(seq none\): chain has 2 entries but 3 were expected \(entries removed from the end\)/);
  });

  it('exits 2 with a readable error when the file cannot be checked', { timeout: TIMEOUT }, async () => {
    const [none, missing, notJson, notLedger] = await Promise.all([
      verify(),
      verify(join(dir, 'no-such-file.json')),
      verify(file('broken.json', '{"format": "candor-ledger/1",')),
      verify(file('other.json', { hello: 'world' })),
    ]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^usage: npx tsx scripts\/verify-ledger\.ts <export\.json>/);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^cannot read .*no-such-file\.json: ENOENT/);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/broken\.json: The file is not valid JSON: /);
    expect(notLedger.code).toBe(2);
    expect(notLedger.stderr).toMatch(/other\.json: not a Candor ledger export: format: format must be "candor-ledger\/1"/);
  });
});
