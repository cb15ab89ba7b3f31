import { appendRecord, GENESIS_HASH, type ChainRecord } from '../../lib/ledger/chain';
import type { LedgerEntry } from '../../lib/ledger/entry';
import { buildExport } from '../../lib/ledger/export';

/**
 * The ledger test vectors in docs/ledger-vectors/: small valid and invalid export files, and what
 * the reference verifier (scripts/verify-ledger.ts) must say about each. Anyone writing their own
 * verifier runs it on the same files (docs/ledger.md, Test vectors). Built deterministically from
 * lib/ledger; `npm run ledger-vectors` writes them and tests/unit/ledger-vectors.test.ts checks that
 * the committed files are exactly these and that the CLI gives each expected answer.
 */

export interface Vector {
  file: string;
  /** What the file is, in a sentence. */
  about: string;
  /** Extra command-line arguments (an anchor). */
  args: string[];
  /** 0 intact, 1 broken, 2 cannot be checked. */
  exit: 0 | 1 | 2;
  /** The verifier's one line: on stdout for 0 and 1, on stderr after "<file>: " for 2. */
  output: string;
}

export interface Vectors {
  format: 'candor-ledger-vectors/1';
  vectors: Vector[];
}

const EXPORTED_AT = new Date('2025-06-01T12:00:00.000Z');

function entry(i: number, over: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    v: 1,
    type: i === 0 ? 'asked' : 'declined',
    at: new Date(Date.UTC(2025, 4, 6, 15, 0, i)).toISOString(),
    eventId: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
    callId: '11111111-1111-4111-8111-111111111111',
    platform: 'meet',
    meetingRef: 'a'.repeat(64),
    rep: 'rep-5c1d6a44-3b0e-4f1e-9a57-2c9d0f6b7e21',
    asked: { scope: 'all-present', audience: 'external' },
    notice: { textHash: 'b'.repeat(64), language: 'en', version: '2025-05' },
    purposes: ['recording', 'transcript', 'ai-summary'],
    method: 'read-aloud-attested',
    outcome: i === 0 ? null : 'declined',
    reason: null,
    category: 'customer',
    rule: 'ask-consent',
    policyVersion: '2025-05',
    extensionVersion: '1.0.0',
    details: { via: 'prompt' },
    ...over,
  };
}

async function chain(entries: LedgerEntry[], from: { seq: number; hash: string } | null = null): Promise<ChainRecord[]> {
  const records: ChainRecord[] = [];
  for (const e of entries) records.push(await appendRecord(records.at(-1) ?? from, e));
  return records;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** "line L, column C" (1-based, as the verifier reports them) of `needle` in `text`, plus `shift` characters. */
function position(text: string, needle: string, shift = 0): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`vector text lacks ${needle}`);
  const before = text.slice(0, index + shift).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}
const lineColumn = (p: { line: number; column: number }) => `line ${p.line}, column ${p.column}`;
const exportOf = (records: ChainRecord[], checkpoint: { seq: number; hash: string } | null = null) =>
  buildExport({ records, checkpoint, extensionVersion: '1.0.0', exportedAt: EXPORTED_AT });

/** The files (name → bytes) and the manifest. */
export async function buildLedgerVectors(): Promise<{ files: Map<string, Uint8Array>; manifest: Vectors }> {
  const files = new Map<string, Uint8Array>();
  const vectors: Vector[] = [];
  const add = (file: string, content: string | Uint8Array, v: Omit<Vector, 'file' | 'args'> & { args?: string[] }) => {
    files.set(file, typeof content === 'string' ? new TextEncoder().encode(content) : content);
    vectors.push({ file, args: v.args ?? [], about: v.about, exit: v.exit, output: v.output });
  };

  const three = await chain([entry(0), entry(1), entry(2, { type: 'withdrawn', outcome: 'withdrawn', details: { previous: 'agreed', via: 'toolbar' } })]);
  const head = three[2]!;
  add('valid/three-from-genesis.json', json(exportOf(three)), {
    about: 'Three entries from the genesis hash: asked, declined, withdrawn.',
    exit: 0,
    output: `intact: 3 entries, last hash ${head.hash}`,
  });
  add('valid/three-with-full-anchor.json', json(exportOf(three)), {
    about: 'The same file, checked against the full head hash kept as an anchor.',
    args: ['--expect-last-hash', head.hash],
    exit: 0,
    output: `intact: 3 entries, last hash ${head.hash}`,
  });

  const checkpoint = { seq: 41, hash: 'c'.repeat(64) };
  const afterPurge = await chain([entry(3), entry(4, { type: 'agreed', outcome: 'agreed' })], checkpoint);
  add('valid/after-checkpoint.json', json(exportOf(afterPurge, checkpoint)), {
    about: 'Two entries continuing from a retention checkpoint (seq 41): the first links to the checkpoint hash and has seq 42.',
    exit: 0,
    output: `intact: 2 entries, last hash ${afterPurge[1]!.hash}`,
  });

  const unicode = await chain([
    entry(5, {
      type: 'not-recorded', outcome: 'not-recorded', reason: 'sensitive-topic', category: 'hr-people',
      rep: 'Zoë Ångström 😀 \u2028 e\u0301 "quoted" \\ \u0007',
      notice: { textHash: 'b'.repeat(64), language: 'pt-BR', version: 'v3 — ünïcode' },
      details: { Sources: 'meet-recording-icon', durationMs: 9_007_199_254_740_991, afterDecline: false, zeroWidth: 'a\u200bb', nothing: null },
    }),
  ]);
  add('valid/unicode-and-limits.json', json(exportOf(unicode)), {
    about: 'Non-ASCII text, an emoji, U+2028, a combining mark, quotes, a backslash and a control character; the largest safe integer; mixed-case details keys.',
    exit: 0,
    output: `intact: 1 entries, last hash ${unicode[0]!.hash}`,
  });
  add('valid/empty.json', json(exportOf([])), { about: 'No entries and no checkpoint.', exit: 0, output: `intact: 0 entries, last hash ${GENESIS_HASH}` });

  // Broken chains: exit 1, the first broken entry.
  const changed = structuredClone(exportOf(three));
  changed.records[1]!.entry = { ...changed.records[1]!.entry, type: 'agreed', outcome: 'agreed' };
  add('invalid/declined-changed-to-agreed.json', json(changed), {
    about: 'The decline (entry #1) edited to "agreed" without recomputing anything.',
    exit: 1,
    output: 'BROKEN at entry #1 (seq 2): hash does not match the entry (entry changed)',
  });
  const deleted = structuredClone(exportOf(three));
  deleted.records.splice(1, 1);
  deleted.records[1]!.seq = 2;
  add('invalid/middle-entry-deleted.json', json(deleted), {
    about: 'Entry #1 removed and the next one renumbered.',
    exit: 1,
    output: 'BROKEN at entry #1 (seq 2): prevHash does not link to the previous entry (entry inserted, deleted or reordered)',
  });
  const gap = structuredClone(exportOf(three));
  gap.records[2]!.seq = 7;
  add('invalid/sequence-gap.json', json(gap), { about: 'Entry #2 has seq 7 instead of 3.', exit: 1, output: 'BROKEN at entry #2 (seq 7): sequence number out of order' });
  const invalid = structuredClone(exportOf(three));
  (invalid.records[1]!.entry as { platform: string }).platform = 'webex';
  add('invalid/entry-not-valid.json', json(invalid), {
    about: 'Entry #1 names a platform Candor does not know.',
    exit: 1,
    output: 'BROKEN at entry #1 (seq 2): entry is not valid: platform: platform must be meet, zoom or teams',
  });
  add('invalid/truncated-against-anchor.json', json(exportOf(three.slice(0, 2))), {
    about: 'The last entry cut off: intact on its own, caught only by the anchor (the full head hash of the three-entry file).',
    args: ['--expect-last-hash', head.hash],
    exit: 1,
    output: `BROKEN at entry #2 (seq none): last hash ${three[1]!.hash} is not the expected ${head.hash} (entries removed from or added at the end, or the chain was rewritten)`,
  });

  // Files that cannot be read the one way every verifier agrees on: exit 2.
  const text = json(exportOf(three));
  const duplicate = text.replace('"type": "declined",', '"type": "agreed",\n        "type": "declined",');
  add('invalid/duplicate-key.json', duplicate, {
    about: 'Entry #1 has "type" twice ("agreed", then the real "declined"): some readers take the first, some the last.',
    exit: 2,
    output: `The key "type" appears twice in one object (${lineColumn(position(duplicate, '"type": "declined"'))}); readers disagree on which one counts.`,
  });
  add('invalid/byte-order-mark.json', new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]), {
    about: 'An intact export with a UTF-8 byte order mark in front.',
    exit: 2,
    output: 'The file starts with a byte order mark (BOM); ledger files are UTF-8 without one.',
  });
  const utf8 = new TextEncoder().encode(text.replace('"rep-5c1d6a44', '"rep-\u00ff5c1d6a44'));
  const at = utf8.indexOf(0xc3);
  utf8[at + 1] = 0x28; // ÿ (C3 BF) becomes C3 28: not UTF-8
  add('invalid/not-utf8.json', utf8, { about: 'One byte of a rep id is not valid UTF-8.', exit: 2, output: `The file is not valid UTF-8 (first bad byte at offset ${at + 1}).` });
  const nan = text.replace('"via": "prompt"', '"via": NaN');
  const nanAt = position(nan, '"via": NaN', '"via": '.length);
  add('invalid/nan.json', nan, {
    about: 'A details value written as NaN, which is not JSON.',
    exit: 2,
    output: `The file is not valid JSON: Unexpected character 'N' found. (${nanAt.line}:${nanAt.column})`,
  });
  const unsafe = text.replace('"seq": 3', '"seq": 9007199254740993');
  add('invalid/unsafe-integer.json', unsafe, {
    about: 'A seq above 2^53 − 1: readers that use doubles see 9007199254740992.',
    exit: 2,
    output: `The number 9007199254740993 (${lineColumn(position(unsafe, '9007199254740993'))}) is not a whole number between -9007199254740991 and 9007199254740991; ledger files hold no others.`,
  });
  const fraction = text.replace('"seq": 2', '"seq": 2.0');
  add('invalid/fraction.json', fraction, {
    about: 'A seq written as 2.0: the same number to JavaScript, a float to other languages.',
    exit: 2,
    output: `The number 2.0 (${lineColumn(position(fraction, '"seq": 2.0', '"seq": '.length))}) is not a whole number between -9007199254740991 and 9007199254740991; ledger files hold no others.`,
  });
  add('invalid/not-an-export.json', json({ ...exportOf(three), format: 'candor-backup/1' }), {
    about: 'An export whose format tag names another kind of file.',
    exit: 2,
    output: 'not a Candor ledger export: format: format must be "candor-ledger/1"',
  });

  return { files, manifest: { format: 'candor-ledger-vectors/1', vectors } };
}
