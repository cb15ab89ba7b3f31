import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256HexSync, sha256HexWebCrypto } from '../../lib/ledger/sha256';

// Verification uses the pure-JS SHA-256 for speed while new records are hashed with WebCrypto:
// the two must agree on every input, or intact ledgers would be reported as broken (and a
// weaker function could hide tampering). Checked against published vectors, WebCrypto and
// node:crypto (OpenSSL).

const nodeSha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('sha256HexSync', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
    [
      'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
      'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
    ],
  ])('gives the FIPS 180 test vector for %j', (input, digest) => {
    expect(sha256HexSync(input)).toBe(digest);
  });

  it('gives the FIPS 180 test vector for one million "a" (multi-block, buffer growth)', () => {
    expect(sha256HexSync('a'.repeat(1_000_000))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('agrees with WebCrypto and node:crypto at every length around the padding edges (1- to 4-byte characters)', async () => {
    for (const unit of ['a', 'é', '€', '😀']) {
      for (let n = 0; n <= 140; n++) {
        const text = unit.repeat(n);
        const expected = nodeSha(text);
        expect(sha256HexSync(text), `${n} × ${unit}`).toBe(expected);
        expect(await sha256HexWebCrypto(text)).toBe(expected);
      }
    }
  });

  it('agrees with WebCrypto and node:crypto on random text, including after long inputs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 700 }), fc.boolean(), async (text, longFirst) => {
        // A long hash first leaves the reused buffer dirty: the next result must not depend on it.
        if (longFirst) sha256HexSync('z'.repeat(5000));
        const expected = nodeSha(text);
        expect(sha256HexSync(text)).toBe(expected);
        expect(await sha256HexWebCrypto(text)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('encodes lone surrogates as U+FFFD, like TextEncoder before WebCrypto does', async () => {
    for (const text of ['\uD800', 'a\uDC00b', '\uDBFF\uDBFF']) {
      expect(sha256HexSync(text)).toBe(await sha256HexWebCrypto(text));
      expect(sha256HexSync(text)).toBe(nodeSha(text.replace(/[\uD800-\uDFFF]/g, '\uFFFD')));
    }
  });
});
