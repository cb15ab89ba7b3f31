import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../lib/util/hash';

// The one SHA-256 helper (ledger hashes, meeting references, notice hashes, server tokens): checked
// against published vectors and node:crypto (OpenSSL), on text and on bytes. A ledger hash that
// came out differently would report every existing ledger as broken.

const nodeSha = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('sha256Hex', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
    [
      'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
      'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
    ],
  ])('gives the FIPS 180 test vector for %j', (input, digest) => {
    expect(sha256Hex(input)).toBe(digest);
    expect(sha256Hex(new TextEncoder().encode(input))).toBe(digest);
  });

  it('gives the FIPS 180 test vector for one million "a"', () => {
    expect(sha256Hex('a'.repeat(1_000_000))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('hashes the UTF-8 bytes, at every length around the padding edges (1- to 4-byte characters)', () => {
    for (const unit of ['a', 'é', '€', '😀']) {
      for (let n = 0; n <= 140; n++) expect(sha256Hex(unit.repeat(n)), `${n} × ${unit}`).toBe(nodeSha(unit.repeat(n)));
    }
  });

  it('agrees with node:crypto on random text and bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 700 }), fc.uint8Array({ maxLength: 700 }), (text, bytes) => {
        expect(sha256Hex(text)).toBe(nodeSha(text));
        expect(sha256Hex(bytes)).toBe(nodeSha(bytes));
      }),
      { numRuns: 1000 },
    );
  });

  it('encodes lone surrogates as U+FFFD, like TextEncoder', () => {
    for (const text of ['\uD800', 'a\uDC00b', '\uDBFF\uDBFF']) expect(sha256Hex(text)).toBe(nodeSha(text.replace(/[\uD800-\uDFFF]/g, '\uFFFD')));
  });
});
