import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalize, CanonicalizeError } from '../../lib/ledger/canonical';
import {
  appendRecord,
  entryHash,
  GENESIS_HASH,
  REASONS,
  verifyChain,
  type ChainRecord,
  type Checkpoint,
} from '../../lib/ledger/chain';
import { describeIssues, ledgerEntrySchema, ledgerEventTypes, ledgerPurposes, type LedgerEntry } from '../../lib/ledger/entry';
import { buildExport, ledgerExportSchema, verifyExport } from '../../lib/ledger/export';

// ---------------------------------------------------------------------------------------------
// Fixtures

const sample: LedgerEntry = {
  v: 1,
  type: 'agreed',
  at: '2025-03-04T09:30:15.123Z',
  eventId: '3b2e8f0a-6c1d-4e5f-9a7b-1c2d3e4f5a6b',
  callId: '9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f',
  platform: 'meet',
  meetingRef: 'ab'.repeat(32),
  rep: 'Zoë Müller',
  asked: { scope: 'all-present', audience: 'external' },
  notice: { textHash: 'cd'.repeat(32), language: 'de', version: '2025-02' },
  purposes: ['recording', 'ai-summary'],
  method: 'read-aloud-attested',
  outcome: 'agreed',
  reason: null,
  category: null,
  rule: null,
  policyVersion: 'policy-7',
  extensionVersion: '0.1.0',
  details: { sources: 'banner', durationMs: 1200, attested: true },
};

/** The canonical form of `sample`, written out by hand (not produced by the code under test). */
const sampleCanonical =
  '{"asked":{"audience":"external","scope":"all-present"},"at":"2025-03-04T09:30:15.123Z",' +
  '"callId":"9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f","category":null,' +
  '"details":{"attested":true,"durationMs":1200,"sources":"banner"},' +
  '"eventId":"3b2e8f0a-6c1d-4e5f-9a7b-1c2d3e4f5a6b","extensionVersion":"0.1.0",' +
  `"meetingRef":"${'ab'.repeat(32)}","method":"read-aloud-attested",` +
  `"notice":{"language":"de","textHash":"${'cd'.repeat(32)}","version":"2025-02"},` +
  '"outcome":"agreed","platform":"meet","policyVersion":"policy-7","purposes":["recording","ai-summary"],' +
  '"reason":null,"rep":"Zoë Müller","rule":null,"type":"agreed","v":1}';

/** SHA-256 of GENESIS + "\n" + sampleCanonical, computed with Python's hashlib (docs/ledger.md). */
const SAMPLE_HASH_FROM_PYTHON = 'e5f1ee3837fad72db3f169c164c631663af7684b61c15953ad3d34e7dadf96d9';

const hex64 = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 });
/** Any well-formed text: 'binary' units are whole code points, so at most 2 UTF-16 units each. */
const text = (min: number, maxCodePoints: number) => fc.string({ unit: 'binary', minLength: min, maxLength: maxCodePoints });
const nullableText = fc.option(text(1, 100), { nil: null });

const entryArb: fc.Arbitrary<LedgerEntry> = fc.record({
  v: fc.constant(1 as const),
  type: fc.constantFrom(...ledgerEventTypes),
  at: fc
    .date({ min: new Date('2000-01-01T00:00:00.000Z'), max: new Date('2099-12-31T23:59:59.999Z'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  eventId: fc.uuid({ version: 4 }),
  callId: fc.uuid({ version: 4 }),
  platform: fc.constantFrom('meet' as const, 'zoom' as const, 'teams' as const),
  meetingRef: hex64,
  rep: text(1, 60),
  asked: fc.record({
    scope: fc.constantFrom('all-present' as const, 'newcomers' as const, 'none' as const),
    audience: fc.constantFrom('external' as const, 'internal' as const, 'unknown' as const),
  }),
  notice: fc.record({ textHash: hex64, language: text(2, 5), version: text(1, 32) }),
  purposes: fc.shuffledSubarray([...ledgerPurposes], { minLength: 1 }),
  method: fc.constantFrom('read-aloud-attested' as const, 'platform-indicator' as const, 'rule' as const),
  outcome: nullableText,
  reason: nullableText,
  category: nullableText,
  rule: nullableText,
  policyVersion: text(1, 32),
  extensionVersion: text(1, 16),
  details: fc.dictionary(
    fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,20}$/),
    fc.oneof(text(0, 250), fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), fc.boolean(), fc.constant(null)),
    { maxKeys: 20 },
  ),
});

async function buildChain(entries: readonly LedgerEntry[], from: Checkpoint | null = null): Promise<ChainRecord[]> {
  const records: ChainRecord[] = [];
  let prev = from;
  for (const entry of entries) {
    const record = await appendRecord(prev, entry);
    records.push(record);
    prev = record;
  }
  return records;
}

/** The export as a file would hold it: plain JSON, no shared references with the originals. */
function roundTrip<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

const exportOf = (records: readonly ChainRecord<unknown>[], checkpoint: Checkpoint | null = null) =>
  roundTrip(buildExport({ records, checkpoint, extensionVersion: '0.1.0', exportedAt: new Date('2025-06-01T00:00:00.000Z') }));

const chainArb = fc.array(entryArb, { minLength: 1, maxLength: 30 });

// ---------------------------------------------------------------------------------------------

describe('canonicalize', () => {
  it('sorts keys, at every level, and writes no whitespace', () => {
    expect(canonicalize({ b: 1, a: { d: [3, { z: null, y: true }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":true,"z":null}]},"b":1}');
    expect(canonicalize([])).toBe('[]');
    expect(canonicalize({})).toBe('{}');
  });

  it('orders keys by UTF-16 code units, not by code points', () => {
    // U+1F600 is the surrogate pair D83D DE00, which sorts before U+FB01 in UTF-16 order
    // (and after it in code point order, where Python's sort_keys would put it).
    expect(canonicalize({ '\uFB01': 1, '\u{1F600}': 2, a: 3, B: 4 })).toBe('{"B":4,"a":3,"\u{1F600}":2,"\uFB01":1}');
  });

  it('escapes strings exactly as JSON.stringify does and leaves other characters alone', () => {
    const s = 'quote" backslash\\ nl\n cr\r tab\t bs\b ff\f nul\u0000 us\u001f del\u007f ls\u2028 ps\u2029 é 😀';
    expect(canonicalize(s)).toBe(JSON.stringify(s));
    expect(canonicalize(s)).toBe(
      '"quote\\" backslash\\\\ nl\\n cr\\r tab\\t bs\\b ff\\f nul\\u0000 us\\u001f del\u007f ls\u2028 ps\u2029 é 😀"',
    );
  });

  it('does not normalise Unicode: composed and decomposed forms stay different', () => {
    expect(canonicalize('\u00e9')).not.toBe(canonicalize('e\u0301'));
  });

  it('writes integers in shortest form, -0 as 0', () => {
    expect(canonicalize([0, -0, 1, -1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER])).toBe(
      '[0,0,1,-1,9007199254740991,-9007199254740991]',
    );
  });

  it('accepts objects without a prototype', () => {
    const o = Object.create(null) as Record<string, unknown>;
    o.b = 1;
    o.a = 2;
    expect(canonicalize(o)).toBe('{"a":2,"b":1}');
  });

  it.each([
    ['a float', { a: 1.5 }, '$.a: only safe integers are allowed, got 1.5'],
    ['NaN', [NaN], '$[0]: only safe integers are allowed, got NaN'],
    ['Infinity', Infinity, 'only safe integers'],
    ['an unsafe integer', 2 ** 53, 'only safe integers'],
    ['undefined', { a: { b: undefined } }, '$.a.b: undefined is not a JSON value'],
    ['a function', { f: () => 1 }, '$.f: a function is not a JSON value'],
    ['a bigint', { n: 1n }, 'a bigint is not a JSON value'],
    ['a symbol', [Symbol('s')], 'a symbol is not a JSON value'],
    ['a Date', { d: new Date(0) }, '$.d: only plain objects are allowed, got a Date object'],
    ['a Map', new Map(), 'only plain objects are allowed, got a Map object'],
    ['a class instance', new (class Thing {})(), 'got a Thing object'],
    ['an array hole', [1, , 3], '$[1]: arrays must not have holes'], // eslint-disable-line no-sparse-arrays
    ['a lone surrogate', { 'odd key': 'x\uD800y' }, '$["odd key"]: string contains a lone surrogate'],
    ['a lone surrogate in a key', { ['\uDC00']: 1 }, 'contains a lone surrogate'],
  ])('rejects %s with a clear error', (_name, value, message) => {
    expect(() => canonicalize(value)).toThrow(CanonicalizeError);
    expect(() => canonicalize(value)).toThrow(message);
  });

  it('rejects cycles instead of overflowing the stack', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => canonicalize(a)).toThrow(/nested deeper than 32 levels/);
  });

  it('for any JSON value without floats: parses back to the same value, and equals JSON.stringify of a key-sorted copy', () => {
    const sortDeep = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(sortDeep)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(
              Object.keys(v)
                .sort()
                .map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]),
            )
          : v;
    const noFloats = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constant(null),
        fc.boolean(),
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        fc.string({ unit: 'binary' }),
        fc.array(tie('value')),
        fc.dictionary(fc.string({ unit: 'binary' }), tie('value')),
      ),
    })).value;
    fc.assert(
      fc.property(noFloats, (v) => {
        const c = canonicalize(v);
        expect(JSON.parse(c)).toEqual(v);
        expect(c).toBe(JSON.stringify(sortDeep(v)));
      }),
    );
  });
});

describe('ledgerEntrySchema', () => {
  it('accepts the sample and generated entries', () => {
    expect(ledgerEntrySchema.parse(sample)).toEqual(sample);
    fc.assert(fc.property(entryArb, (entry) => ledgerEntrySchema.safeParse(entry).success));
  });

  const without = (key: keyof LedgerEntry) => {
    const copy: Record<string, unknown> = { ...sample };
    delete copy[key];
    return copy;
  };

  it.each<[string, unknown, RegExp]>([
    ['a missing field', without('rep'), /^rep: /],
    ['an unknown field', { ...sample, transcript: 'hello' }, /Unrecognized key: "transcript"/],
    ['another version', { ...sample, v: 2 }, /^v: v must be 1$/],
    ['an unknown type', { ...sample, type: 'maybe' }, /^type: type must be one of asked, agreed/],
    ['a time without milliseconds', { ...sample, at: '2025-03-04T09:30:15Z' }, /^at: at must be an ISO 8601 UTC time with milliseconds/],
    ['a time with an offset', { ...sample, at: '2025-03-04T09:30:15.123+01:00' }, /^at: at must be an ISO 8601 UTC time/],
    ['an impossible date', { ...sample, at: '2025-02-30T09:30:15.123Z' }, /^at: at is not a real date and time$/],
    ['a bad eventId', { ...sample, eventId: 'not-a-uuid' }, /^eventId: eventId must be a UUID$/],
    ['an unknown platform', { ...sample, platform: 'webex' }, /^platform: platform must be meet, zoom or teams$/],
    ['an uppercase meetingRef', { ...sample, meetingRef: 'AB'.repeat(32) }, /^meetingRef: meetingRef must be 64 lowercase hex/],
    ['an empty rep', { ...sample, rep: '' }, /^rep: rep must not be empty$/],
    ['a long rep', { ...sample, rep: 'r'.repeat(121) }, /^rep: rep must have at most 120 characters$/],
    ['a lone surrogate', { ...sample, rep: 'a\uD800' }, /^rep: rep must be well-formed Unicode/],
    ['a bad scope', { ...sample, asked: { scope: 'everyone', audience: 'external' } }, /^asked\.scope: asked\.scope must be/],
    ['a one-letter language', { ...sample, notice: { ...sample.notice, language: 'e' } }, /^notice\.language: notice\.language must have at least 2/],
    ['no purposes', { ...sample, purposes: [] }, /^purposes: purposes must name at least one purpose$/],
    ['a repeated purpose', { ...sample, purposes: ['recording', 'recording'] }, /^purposes: purposes must not repeat a purpose$/],
    ['an unknown purpose', { ...sample, purposes: ['marketing'] }, /^purposes\.0: purposes must be recording, transcript, ai-summary$/],
    ['an empty outcome', { ...sample, outcome: '' }, /^outcome: outcome must not be empty$/],
    ['a float in details', { ...sample, details: { durationMs: 1.5 } }, /^details\.durationMs: details values must be/],
    ['an object in details', { ...sample, details: { nested: { a: 1 } } }, /^details\.nested: details values must be/],
    ['a non-ASCII details key', { ...sample, details: { 'größe': 1 } }, /details keys must be ASCII identifiers/],
    ['a __proto__ details key', { ...sample, details: JSON.parse('{"__proto__": 1}') as unknown }, /details keys must be ASCII identifiers/],
    [
      '21 details keys',
      { ...sample, details: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i])) },
      /^details: details must have at most 20 keys$/,
    ],
  ])('rejects %s with a readable message', (_name, entry, message) => {
    const result = ledgerEntrySchema.safeParse(entry);
    expect(result.success).toBe(false);
    if (!result.success) expect(describeIssues(result.error)).toMatch(message);
  });
});

describe('entryHash', () => {
  it('is SHA-256 of prevHash + "\\n" + the canonical entry, as node:crypto and Python compute it', async () => {
    const independent = createHash('sha256').update(`${GENESIS_HASH}\n${sampleCanonical}`, 'utf8').digest('hex');
    expect(independent).toBe(SAMPLE_HASH_FROM_PYTHON);
    expect(await entryHash(GENESIS_HASH, sample)).toBe(independent);
  });

  it('depends on prevHash', async () => {
    expect(await entryHash('1'.repeat(64), sample)).not.toBe(await entryHash(GENESIS_HASH, sample));
  });
});

describe('appendRecord', () => {
  it('starts at seq 1 after genesis and links each record to the previous', async () => {
    const first = await appendRecord(null, sample);
    expect(first).toEqual({ seq: 1, prevHash: GENESIS_HASH, hash: SAMPLE_HASH_FROM_PYTHON, entry: sample });
    const second = await appendRecord(first, { ...sample, type: 'withdrawn' });
    expect(second.seq).toBe(2);
    expect(second.prevHash).toBe(first.hash);
  });

  it('continues from a checkpoint', async () => {
    const record = await appendRecord({ seq: 41, hash: 'f'.repeat(64) }, sample);
    expect(record.seq).toBe(42);
    expect(record.prevHash).toBe('f'.repeat(64));
  });

  it('stores a copy, so later changes to the caller object do not diverge from the hash', async () => {
    const entry = structuredClone(sample);
    const record = await appendRecord(null, entry);
    entry.rep = 'someone else';
    expect(record.entry.rep).toBe('Zoë Müller');
    expect(await verifyChain([record])).toMatchObject({ intact: true });
  });

  it('refuses an invalid entry or previous record', async () => {
    await expect(appendRecord(null, { ...sample, platform: 'webex' } as unknown as LedgerEntry)).rejects.toThrow(
      'appendRecord: entry is not valid: platform: platform must be meet, zoom or teams',
    );
    await expect(appendRecord({ seq: 1, hash: 'nope' }, sample)).rejects.toThrow('previous record is not valid');
  });
});

describe('verifyChain', () => {
  it('accepts an empty chain, at genesis or at a checkpoint', async () => {
    expect(await verifyChain([])).toEqual({ intact: true, count: 0, lastHash: GENESIS_HASH, lastSeq: 0 });
    expect(await verifyChain([], { seq: 9, hash: 'e'.repeat(64) })).toEqual({ intact: true, count: 0, lastHash: 'e'.repeat(64), lastSeq: 9 });
  });

  it('accepts an appended chain and reports its head', async () => {
    await fc.assert(
      fc.asyncProperty(chainArb, async (entries) => {
        const records = await buildChain(entries);
        const last = records[records.length - 1] as ChainRecord;
        const head = { intact: true, count: records.length, lastHash: last.hash, lastSeq: records.length };
        expect(await verifyChain(records)).toEqual(head);
        expect(await verifyChain(records, null, { expected: { count: records.length, lastHash: last.hash } })).toEqual(head);
      }),
      { numRuns: 30 },
    );
  });

  it('accepts unusual but valid entries (nil UUIDs)', async () => {
    const nilIds = { ...sample, eventId: '00000000-0000-0000-0000-000000000000' };
    expect(ledgerEntrySchema.safeParse(nilIds).success).toBe(true);
    expect(await verifyChain(await buildChain([nilIds]))).toMatchObject({ intact: true });
  });

  it('verifies more than one batch, yielding in between', async () => {
    const records = await buildChain(Array.from({ length: 2500 }, (_, i) => ({ ...sample, details: { i } })));
    expect(await verifyChain(records)).toMatchObject({ intact: true, count: 2500 });
    const tampered = records.map((r, i) => (i === 2100 ? { ...r, entry: { ...r.entry, rep: 'x' } } : r));
    expect(await verifyChain(tampered)).toMatchObject({
      intact: false,
      brokenAt: { index: 2100, seq: 2101, reason: REASONS.hash },
    });
  });

  it('names the reason in plain words', async () => {
    const records = await buildChain([sample, { ...sample, type: 'withdrawn' }, { ...sample, type: 'recording-stopped' }]);
    const at1 = (change: (r: ChainRecord<unknown>) => ChainRecord<unknown>) => records.map((r, i) => (i === 1 ? change(r) : r));
    const broken = async (list: ChainRecord<unknown>[]) => {
      const result = await verifyChain(list);
      return result.intact ? null : result.brokenAt;
    };
    expect(await broken(at1((r) => ({ ...r, entry: { ...(r.entry as LedgerEntry), rep: 'Mallory' } })))).toEqual({
      index: 1,
      seq: 2,
      reason: 'hash does not match the entry (entry changed)',
    });
    expect(await broken(at1((r) => ({ ...r, prevHash: '0'.repeat(64) })))).toEqual({
      index: 1,
      seq: 2,
      reason: 'prevHash does not link to the previous entry (entry inserted, deleted or reordered)',
    });
    expect(await broken(at1((r) => ({ ...r, seq: 7 })))).toEqual({ index: 1, seq: 7, reason: 'sequence number out of order' });
    expect(await broken(at1((r) => ({ ...r, entry: { ...(r.entry as LedgerEntry), type: 'maybe' } })))).toMatchObject({
      index: 1,
      reason: expect.stringMatching(/^entry is not valid: type: type must be one of/) as unknown,
    });
    expect(await broken(at1(() => null as unknown as ChainRecord<unknown>))).toEqual({
      index: 1,
      seq: null,
      reason: 'entry is not valid: record is not an object with seq, prevHash, hash and entry',
    });
    expect(await verifyChain(records, { seq: -1, hash: 'x' })).toMatchObject({ intact: false, brokenAt: { index: -1 } });
  });

  it('reports an entry that is schema-valid but not canonical JSON as invalid instead of throwing', async () => {
    const [record] = await buildChain([sample]);
    const odd = { ...(record as ChainRecord), entry: { ...sample, asked: Object.assign(new (class Asked {})(), sample.asked) } };
    const result = await verifyChain([odd]);
    expect(result).toMatchObject({ intact: false, brokenAt: { index: 0, reason: expect.stringMatching(/^entry is not valid: cannot canonicalize \$\.asked/) as unknown } });
  });
});

describe('tamper evidence (property tests on exported chains)', () => {
  /** Every path to a value inside a record: seq, prevHash, hash, entry and all its leaves and subtrees. */
  function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
    const here = prefix.length ? [prefix] : [];
    if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => paths(v, [...prefix, i]))];
    if (value !== null && typeof value === 'object') return [...here, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
    return here;
  }
  function setAt(root: unknown, path: (string | number)[], replacement: unknown): void {
    let parent = root as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    parent[path[path.length - 1] as string | number] = replacement;
  }
  function getAt(root: unknown, path: (string | number)[]): unknown {
    return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], root);
  }

  const chainWithChoice = chainArb.chain((entries) =>
    fc.record({ entries: fc.constant(entries), index: fc.nat({ max: entries.length - 1 }), pick: fc.nat(), other: fc.nat() }),
  );

  it('detects any change to any value of any record, at that record', async () => {
    await fc.assert(
      fc.asyncProperty(chainWithChoice, fc.jsonValue(), async ({ entries, index, pick }, replacement) => {
        const file = exportOf(await buildChain(entries));
        const record = file.records[index] as ChainRecord<unknown>;
        const all = paths(record);
        const path = all[pick % all.length] as (string | number)[];
        // A change is a different JSON value (key order inside objects is not a change).
        fc.pre(!isDeepStrictEqual(roundTrip(getAt(record, path)), roundTrip(replacement)));
        setAt(record, path, replacement);
        const result = await verifyExport(roundTrip(file));
        expect(result.intact).toBe(false);
        // -1: the change broke the file's shape (e.g. seq became a string), which is refused too.
        if (!result.intact) expect([index, -1]).toContain(result.brokenAt.index);
      }),
      { numRuns: 150 },
    );
  });

  it('detects a removed or added key in any entry', async () => {
    await fc.assert(
      fc.asyncProperty(chainWithChoice, fc.boolean(), async ({ entries, index, pick }, remove) => {
        const file = exportOf(await buildChain(entries));
        const objects = paths(file.records[index]).filter((p) => {
          const node = getAt(file.records[index], p);
          return p[0] === 'entry' && node !== null && typeof node === 'object' && !Array.isArray(node);
        });
        const target = getAt(file.records[index], objects[pick % objects.length] ?? ['entry']) as Record<string, unknown>;
        const keys = Object.keys(target);
        if (remove && keys.length > 0) delete target[keys[pick % keys.length] as string];
        else target.extra = 'added';
        const result = await verifyExport(roundTrip(file));
        expect(result).toMatchObject({ intact: false, brokenAt: { index } });
      }),
      { numRuns: 60 },
    );
  });

  it('detects deleting any record but the last; deleting the last is caught only with an anchor', async () => {
    await fc.assert(
      fc.asyncProperty(chainWithChoice, async ({ entries, index }) => {
        const records = await buildChain(entries);
        const last = records[records.length - 1] as ChainRecord;
        const anchor = { count: records.length, lastHash: last.hash };
        const file = exportOf(records);
        file.records.splice(index, 1);

        const plain = await verifyExport(roundTrip(file));
        if (index < records.length - 1) {
          expect(plain).toMatchObject({ intact: false, brokenAt: { index, reason: REASONS.link } });
        } else {
          // The honest limit: a chain cut short is still a valid chain. Its head says so.
          expect(plain).toMatchObject({ intact: true, count: records.length - 1 });
          if (plain.intact) expect(plain.lastHash).not.toBe(anchor.lastHash);
        }
        for (const expected of [anchor, { count: anchor.count }, { lastHash: anchor.lastHash }]) {
          expect((await verifyExport(roundTrip(file), { expected })).intact).toBe(false);
        }
        const truncated = await verifyExport(roundTrip(file), { expected: { count: anchor.count } });
        if (index === records.length - 1) {
          expect(truncated).toMatchObject({
            brokenAt: { index: records.length - 1, seq: null, reason: expect.stringMatching(/entries removed from the end/) as unknown },
          });
        }
      }),
      { numRuns: 60 },
    );
  });

  it('detects a forged record inserted anywhere; appended at the end it is caught only with an anchor', async () => {
    await fc.assert(
      fc.asyncProperty(chainArb, entryArb, fc.nat(), fc.boolean(), async (entries, forgedEntry, at, renumber) => {
        const records = await buildChain(entries);
        const position = at % (records.length + 1);
        const before = position === 0 ? null : (records[position - 1] as ChainRecord);
        // The best forgery without the rest of the chain: valid entry, correct link and hash.
        const forged = await appendRecord(before, forgedEntry);
        const list: ChainRecord[] = [...records.slice(0, position), forged, ...records.slice(position)];
        // Optionally renumber what follows, as a forger would to hide the insertion.
        if (renumber) list.forEach((r, i) => (list[i] = { ...r, seq: i + 1 }));

        const result = await verifyExport(exportOf(list));
        const last = records[records.length - 1] as ChainRecord;
        if (position < records.length) {
          expect(result).toMatchObject({ intact: false, brokenAt: { index: position + 1, reason: REASONS.link } });
        } else {
          expect(result.intact).toBe(true);
          const anchored = await verifyExport(exportOf(list), { expected: { count: records.length, lastHash: last.hash } });
          expect(anchored).toMatchObject({ intact: false, brokenAt: { index: records.length } });
        }
      }),
      { numRuns: 60 },
    );
  });

  it('detects any swap of two records', async () => {
    await fc.assert(
      fc.asyncProperty(
        chainArb.filter((e) => e.length >= 2),
        fc.nat(),
        fc.nat(),
        async (entries, a, b) => {
          const records = await buildChain(entries);
          const i = a % records.length;
          const j = b % records.length;
          fc.pre(i !== j);
          const list = [...records];
          [list[i], list[j]] = [list[j] as ChainRecord, list[i] as ChainRecord];
          expect(await verifyExport(exportOf(list))).toMatchObject({ intact: false, brokenAt: { index: Math.min(i, j), reason: REASONS.link } });
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('checkpoints (after a retention purge)', () => {
  it('the records after a purged prefix verify from the checkpoint, to the same head', async () => {
    await fc.assert(
      fc.asyncProperty(chainArb, fc.nat(), async (entries, cut) => {
        const records = await buildChain(entries);
        const k = cut % (records.length + 1); // records purged
        const checkpoint = k === 0 ? null : { seq: k, hash: (records[k - 1] as ChainRecord).hash };
        const rest = records.slice(k);
        const full = await verifyChain(records);
        expect(await verifyChain(rest, checkpoint)).toEqual({ ...full, count: rest.length });
        expect(await verifyExport(exportOf(rest, checkpoint))).toEqual({ ...full, count: rest.length });
        if (k > 0 && rest.length > 0) {
          expect(await verifyChain(rest)).toMatchObject({ intact: false, brokenAt: { index: 0, reason: REASONS.link } });
          expect(await verifyChain(rest, { seq: k, hash: GENESIS_HASH })).toMatchObject({ intact: false, brokenAt: { index: 0, reason: REASONS.link } });
          expect(await verifyChain(rest, { seq: k + 1, hash: (checkpoint as Checkpoint).hash })).toMatchObject({
            intact: false,
            brokenAt: { index: 0, reason: REASONS.seq },
          });
        }
      }),
      { numRuns: 40 },
    );
  });

  it('new records continue from the checkpoint and verify with it', async () => {
    const records = await buildChain([sample, sample, sample]);
    const checkpoint = { seq: 3, hash: (records[2] as ChainRecord).hash };
    const more = await buildChain([{ ...sample, type: 'withdrawn' }], checkpoint);
    expect(more[0]?.seq).toBe(4);
    expect(await verifyChain(more, checkpoint)).toMatchObject({ intact: true, count: 1, lastSeq: 4 });
  });
});

describe('export', () => {
  it('buildExport writes a document that ledgerExportSchema accepts and verifyExport verifies', async () => {
    const records = await buildChain([sample, { ...sample, type: 'withdrawn' }]);
    const withExtra = records.map((r) => ({ ...r, storedAt: 5 }));
    const file = buildExport({ records: withExtra, checkpoint: null, extensionVersion: '0.1.0', exportedAt: new Date('2025-06-01T00:00:00.000Z') });
    expect(Object.keys(file.records[0] ?? {})).toEqual(['seq', 'prevHash', 'hash', 'entry']);
    expect(file).toMatchObject({ format: 'candor-ledger/1', exportedAt: '2025-06-01T00:00:00.000Z', extensionVersion: '0.1.0', checkpoint: null });
    expect(ledgerExportSchema.safeParse(roundTrip(file)).success).toBe(true);
    expect(await verifyExport(roundTrip(file))).toMatchObject({ intact: true, count: 2, lastSeq: 2 });
  });

  it.each<[string, unknown, RegExp]>([
    ['null', null, /^not a Candor ledger export: /],
    ['an array', [], /^not a Candor ledger export: /],
    ['another format', { format: 'other/1', exportedAt: '2025-06-01T00:00:00.000Z', extensionVersion: '1', checkpoint: null, records: [] }, /format must be "candor-ledger\/1"/],
    ['missing records', { format: 'candor-ledger/1', exportedAt: '2025-06-01T00:00:00.000Z', extensionVersion: '1', checkpoint: null }, /records: /],
    ['a bad checkpoint', { format: 'candor-ledger/1', exportedAt: '2025-06-01T00:00:00.000Z', extensionVersion: '1', checkpoint: { seq: 1, hash: 'x' }, records: [] }, /checkpoint\.hash: /],
  ])('verifyExport refuses %s as not an export (index -1)', async (_name, json, reason) => {
    const result = await verifyExport(json);
    expect(result).toMatchObject({ intact: false, brokenAt: { index: -1, seq: null } });
    if (!result.intact) expect(result.brokenAt.reason).toMatch(reason);
  });

  it('reports an invalid entry inside an export at its record, not as an unreadable file', async () => {
    const file = exportOf(await buildChain([sample, sample]));
    (file.records[1] as { entry: Record<string, unknown> }).entry.platform = 'webex';
    expect(await verifyExport(file)).toMatchObject({
      intact: false,
      brokenAt: { index: 1, seq: 2, reason: 'entry is not valid: platform: platform must be meet, zoom or teams' },
    });
  });
});
