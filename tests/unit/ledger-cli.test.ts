import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendRecord, type ChainRecord } from '../../lib/ledger/chain';
import { signCheckpoint, toBase64url, witnessKeyId } from '../../lib/ledger/checkpoint';
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

  it('--expect-last-hash takes the full hash or a prefix of at least 16 hex characters, any case', { timeout: TIMEOUT }, async () => {
    const path = file('anchored.json', exportOf(records));
    const head = records[2]!.hash;
    const [full, prefix, upper, short, wrong] = await Promise.all([
      verify(path, '--expect-last-hash', head),
      verify(path, '--expect-last-hash', head.slice(0, 16)),
      verify(path, '--expect-last-hash', head.slice(0, 20).toUpperCase()),
      verify(path, '--expect-last-hash', head.slice(0, 12)),
      verify(path, '--expect-last-hash', 'f'.repeat(16)),
    ]);
    expect(full).toMatchObject({ code: 0, stdout: `intact: 3 entries, last hash ${head}\n` });
    expect(prefix.code).toBe(0);
    expect(upper.code).toBe(0);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/^--expect-last-hash: give the full hash \(64 hex characters\) or at least its first 16; this has 12\n/);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toBe(`BROKEN at entry #3 (seq none): last hash ${head} is not the expected ${'f'.repeat(16)} (entries removed from or added at the end, or the chain was rewritten)\n`);
    // The head of an earlier export: the chain went on after it.
    const later = await verify(path, '--expect-last-hash', records[1]!.hash.slice(0, 16));
    expect(later.stdout).toMatch(/^BROKEN at entry #2 \(seq 3\): the chain goes on after seq 2, .* up to seq 3 \(entries added at the end\)\n$/);
  });

  describe('an anchor receipt and a witnessed checkpoint catch what the chain alone cannot', () => {
    let longer: ChainRecord[];
    let rechained: ChainRecord[];
    let keyFile: string;
    let wrongKey: string;
    let checkpointFile: string;
    const receipt = () => ({ format: 'candor-anchor/1', rep: 'rep-1', seq: 3, hash: records[2]!.hash, entryAt: '2025-01-01T09:00:02.000Z', at: '2025-06-01T00:00:00.000Z' });

    beforeAll(async () => {
      longer = [...records, await appendRecord(records[2]!, entry(3))];
      // Entry 2 ("agreed") rewritten as declined, every later hash recomputed: a valid chain on its own.
      rechained = [records[0]!];
      for (let i = 1; i < 3; i++) rechained.push(await appendRecord(rechained[i - 1]!, i === 1 ? { ...entry(1), type: 'declined', outcome: 'declined' } : entry(i)));
      const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
      const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
      const keyId = await witnessKeyId(raw);
      const cp = await signCheckpoint(pair.privateKey, { rep: 'rep-1', seq: 2, hash: records[1]!.hash, at: '2025-01-02T00:00:00.000Z', keyId });
      checkpointFile = file('checkpoint.json', cp);
      // As the service publishes its keys (GET /api/v1/checkpoints/latest): { checkpoint, witnessKeys }.
      keyFile = file('keys.json', { checkpoint: cp, witnessKeys: [{ keyId, algorithm: 'Ed25519', publicKey: toBase64url(raw), createdAt: '2025-01-01T00:00:00.000Z', retiredAt: null }] });
      const other = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
      wrongKey = toBase64url(new Uint8Array(await crypto.subtle.exportKey('raw', other.publicKey)));
    });

    it('--anchor: the export must end exactly at the receipt\'s seq and hash', { timeout: TIMEOUT }, async () => {
      const anchor = file('receipt.json', receipt());
      const [same, truncated, appended, rewritten, notAnchor, otherRep] = await Promise.all([
        verify(file('a-same.json', exportOf(records)), '--anchor', anchor),
        verify(file('a-truncated.json', exportOf(records.slice(0, 2))), '--anchor', anchor),
        verify(file('a-appended.json', exportOf(longer)), '--anchor', anchor),
        verify(file('a-rechained.json', exportOf(rechained)), '--anchor', anchor),
        verify(file('a-same2.json', exportOf(records)), '--anchor', file('not-receipt.json', { format: 'candor-anchor/1', seq: -1 })),
        verify(file('a-same3.json', exportOf(records)), '--anchor', file('other-rep.json', { ...receipt(), rep: 'rep-2' })),
      ]);
      expect(same.code).toBe(0);
      expect(same.stdout).toContain(`matches the anchor receipt: ends at seq 3, hash ${records[2]!.hash}`);
      // Each of these is a valid chain: without the anchor it would pass.
      expect(truncated).toMatchObject({ code: 1, stdout: 'BROKEN at entry #2 (seq none): the chain ends at seq 2, before seq 3 that the anchor receipt taken 2025-06-01T00:00:00.000Z holds (entries removed from the end)\n' });
      expect(appended).toMatchObject({ code: 1, stdout: 'BROKEN at entry #3 (seq 4): the chain goes on after seq 3, where the anchor receipt taken 2025-06-01T00:00:00.000Z ends, up to seq 4 (entries added at the end)\n' });
      expect(rewritten.code).toBe(1);
      expect(rewritten.stdout).toBe(`BROKEN at entry #2 (seq 3): entry seq 3 has hash ${rechained[2]!.hash}, but the anchor receipt taken 2025-06-01T00:00:00.000Z says ${records[2]!.hash} (the chain was rewritten or rolled back)\n`);
      expect(notAnchor.code).toBe(2);
      expect(notAnchor.stderr).toMatch(/not-receipt\.json is not a Candor anchor receipt: /);
      expect(otherRep).toMatchObject({ code: 2, stderr: expect.stringMatching(/is about rep-2, but this export is the ledger of rep-1/) });
    });

    it('--checkpoint with --public-key: the signature is checked offline, and the export must hold that seq with that hash', { timeout: TIMEOUT }, async () => {
      const [held, longerToo, truncated, rewritten, wrong, alone] = await Promise.all([
        verify(file('c-same.json', exportOf(records)), '--checkpoint', checkpointFile, '--public-key', keyFile),
        verify(file('c-longer.json', exportOf(longer)), '--checkpoint', keyFile, '--public-key', keyFile),
        verify(file('c-truncated.json', exportOf(records.slice(0, 1))), '--checkpoint', checkpointFile, '--public-key', keyFile),
        verify(file('c-rechained.json', exportOf(rechained)), '--checkpoint', checkpointFile, '--public-key', keyFile),
        verify(file('c-same2.json', exportOf(records)), '--checkpoint', checkpointFile, '--public-key', wrongKey),
        verify(file('c-same3.json', exportOf(records)), '--checkpoint', checkpointFile),
      ]);
      expect(held.code).toBe(0);
      expect(held.stdout).toMatch(/\nwitnessed: seq 2 with hash [0-9a-f]{64}, signed by key [0-9a-f]{16} at 2025-01-02T00:00:00\.000Z, is in this export\n$/);
      expect(longerToo.code).toBe(0); // a checkpoint is a point the chain passed: it may go on
      expect(truncated.stdout).toBe('BROKEN at entry #1 (seq none): the chain ends at seq 1, before seq 2 that the checkpoint signed 2025-01-02T00:00:00.000Z holds (entries removed from the end)\n');
      expect(rewritten.stdout).toBe(`BROKEN at entry #1 (seq 2): entry seq 2 has hash ${rechained[1]!.hash}, but the checkpoint signed 2025-01-02T00:00:00.000Z says ${records[1]!.hash} (the chain was rewritten or rolled back)\n`);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(/does not verify with the public key given: signed with key [0-9a-f]{16}, which is not among the witness keys given/);
      expect(alone.code).toBe(2);
      expect(alone.stderr).toMatch(/^--checkpoint and --public-key go together/);
    });

    it('an export whose stated head is not its last entry (records cut off by hand) is broken', { timeout: TIMEOUT }, async () => {
      const headed = structuredClone(buildExport({ records, checkpoint: null, extensionVersion: '0.1.0', exportedAt: new Date('2025-06-01T00:00:00.000Z'), head: { seq: 3, hash: records[2]!.hash, at: '2025-01-01T09:00:02.000Z' } }));
      headed.records.pop();
      const run = await verify(file('head.json', headed));
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^BROKEN at entry #2 \(seq none\): the export says its last entry is seq 3 .* but its records end at seq 2 .*entries were removed or added after it was written\n$/);
    });
  });
});

