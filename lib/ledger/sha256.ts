/**
 * SHA-256 (FIPS 180-4) two ways, both returning lowercase hex of the UTF-8 bytes of a string:
 *
 * - `sha256HexWebCrypto`: the platform's WebCrypto. This is the reference: new records are hashed
 *   with it (`entryHash`).
 * - `sha256HexSync`: a small synchronous pure-JS implementation, used only to *verify* long chains.
 *   WebCrypto's `digest` is asynchronous and pays a fixed cost per call whatever the input size
 *   (measured on ~625-byte inputs: 22–56 µs per call in Node 20, 12–27 µs in Chromium, however
 *   the calls are batched), so a 500,000-entry ledger takes 6–28 s with it; this is 2.5–3x faster
 *   (numbers in docs/ledger.md, Performance). The same bytes give the same digest with either:
 *   tests/unit/ledger-sha256.test.ts cross-checks this implementation against WebCrypto and
 *   node:crypto on NIST vectors and thousands of random strings (ASCII, multi-byte and astral
 *   characters, every length around the 55/56/64-byte padding edges).
 */

/** Round constants: first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** Initial hash value: first 32 bits of the fractional parts of the square roots of the first 8 primes. */
const H0 = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

/** "00".."ff": hex output without per-byte toString/padStart, which dominated the profile. */
const HEX_BYTE: string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

const encoder = new TextEncoder();

// Scratch space reused across calls: verification hashes hundreds of thousands of short strings
// and allocating per call would make the garbage collector a large part of the cost. The
// function is synchronous, so no two calls can interleave on these buffers.
let buffer = new Uint8Array(4096);
const W = new Int32Array(64);
const state = new Int32Array(8);

function wordHex(word: number): string {
  return (
    (HEX_BYTE[(word >>> 24) & 0xff] as string) +
    (HEX_BYTE[(word >>> 16) & 0xff] as string) +
    (HEX_BYTE[(word >>> 8) & 0xff] as string) +
    (HEX_BYTE[word & 0xff] as string)
  );
}

/** Runs the compression function over every 64-byte block of `bytes[0..length)`. */
function compress(bytes: Uint8Array, length: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, length);
  for (let offset = 0; offset < length; offset += 64) {
    for (let t = 0; t < 16; t++) W[t] = view.getInt32(offset + t * 4); // big-endian words
    for (let t = 16; t < 64; t++) {
      const w15 = W[t - 15] as number;
      const w2 = W[t - 2] as number;
      const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
      const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
      W[t] = ((W[t - 16] as number) + s0 + (W[t - 7] as number) + s1) | 0;
    }
    let a = state[0] as number;
    let b = state[1] as number;
    let c = state[2] as number;
    let d = state[3] as number;
    let e = state[4] as number;
    let f = state[5] as number;
    let g = state[6] as number;
    let h = state[7] as number;
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      // Ch and Maj in their 3-operation forms (equivalent to FIPS 180-4's, measurably faster).
      const ch = g ^ (e & (f ^ g));
      const t1 = (h + S1 + ch + (K[t] as number) + (W[t] as number)) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) | (c & (a | b));
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + S0 + maj) | 0;
    }
    state[0] = ((state[0] as number) + a) | 0;
    state[1] = ((state[1] as number) + b) | 0;
    state[2] = ((state[2] as number) + c) | 0;
    state[3] = ((state[3] as number) + d) | 0;
    state[4] = ((state[4] as number) + e) | 0;
    state[5] = ((state[5] as number) + f) | 0;
    state[6] = ((state[6] as number) + g) | 0;
    state[7] = ((state[7] as number) + h) | 0;
  }
}

/** Lowercase hex SHA-256 of the UTF-8 encoding of `text`, computed synchronously in JS. */
export function sha256HexSync(text: string): string {
  // UTF-8 needs at most 3 bytes per UTF-16 code unit; +72 leaves room for the padding.
  const worstCase = text.length * 3 + 72;
  if (buffer.length < worstCase) buffer = new Uint8Array(Math.max(worstCase, buffer.length * 2));
  // TextEncoder turns lone surrogates into U+FFFD, exactly as it does for the WebCrypto path.
  const length = encoder.encodeInto(text, buffer).written;

  // Padding: 0x80, zeros up to 56 mod 64, then the bit length as a 64-bit big-endian integer.
  const padded = (((length + 8) >> 6) + 1) << 6;
  buffer[length] = 0x80;
  buffer.fill(0, length + 1, padded - 8);
  const bits = length * 8;
  const high = Math.floor(bits / 0x100000000);
  buffer[padded - 8] = high >>> 24;
  buffer[padded - 7] = (high >>> 16) & 0xff;
  buffer[padded - 6] = (high >>> 8) & 0xff;
  buffer[padded - 5] = high & 0xff;
  buffer[padded - 4] = (bits >>> 24) & 0xff;
  buffer[padded - 3] = (bits >>> 16) & 0xff;
  buffer[padded - 2] = (bits >>> 8) & 0xff;
  buffer[padded - 1] = bits & 0xff;

  state.set(H0);
  compress(buffer, padded);
  return (
    wordHex(state[0] as number) +
    wordHex(state[1] as number) +
    wordHex(state[2] as number) +
    wordHex(state[3] as number) +
    wordHex(state[4] as number) +
    wordHex(state[5] as number) +
    wordHex(state[6] as number) +
    wordHex(state[7] as number)
  );
}

/** Lowercase hex SHA-256 of the UTF-8 encoding of `text`, with the platform's WebCrypto. */
export async function sha256HexWebCrypto(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
  let hex = '';
  for (const byte of digest) hex += HEX_BYTE[byte] as string;
  return hex;
}
