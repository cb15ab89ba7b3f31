// @vitest-environment node
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkpointSchema,
  checkpointSigningBytes,
  fromBase64url,
  signCheckpoint,
  toBase64url,
  verifyCheckpoint,
  witnessKeyId,
  type Checkpoint,
} from '../../lib/ledger/checkpoint';

/** Seed 00 01 … 1f; Ed25519 is deterministic, so the signature below is fixed. */
const SEED = Uint8Array.from({ length: 32 }, (_, i) => i);
const PUBLIC_KEY = 'A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg';
const KEY_ID = '56475aa75463474c';
const FIELDS = {
  rep: 'rep-6c1f0d0e-2f7a-4c51-8a9e-6a0b4f1e2d3c',
  seq: 42,
  hash: 'ab'.repeat(32),
  at: '2026-03-02T09:00:00.000Z',
  keyId: KEY_ID,
};
const VECTOR: Checkpoint = {
  format: 'candor-checkpoint/1',
  ...FIELDS,
  signature: 'Dl6OhT7YxqtnJ9dwIcRU7gQRq9FFKOei7kx8QIJ2usaiL0cWf6-LPsEHGEj1nlRq4hqNNQmvbKYQXAYx69anCw',
};
const KEYS = [{ keyId: KEY_ID, publicKey: PUBLIC_KEY }];

async function privateKey(seed = SEED): Promise<CryptoKey> {
  const pkcs8 = new Uint8Array([...Buffer.from('302e020100300506032b657004220420', 'hex'), ...seed]);
  return crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, false, ['sign']);
}

describe('witness checkpoints (lib/ledger/checkpoint.ts)', () => {
  it('signs the fixed vector byte for byte', async () => {
    expect(await witnessKeyId(fromBase64url(PUBLIC_KEY))).toBe(KEY_ID);
    expect(await signCheckpoint(await privateKey(), FIELDS)).toEqual(VECTOR);
    expect(new TextDecoder().decode(checkpointSigningBytes(FIELDS))).toBe(
      '{"at":"2026-03-02T09:00:00.000Z","format":"candor-checkpoint/1","hash":"' + 'ab'.repeat(32) +
        '","keyId":"56475aa75463474c","rep":"rep-6c1f0d0e-2f7a-4c51-8a9e-6a0b4f1e2d3c","seq":42}',
    );
    expect(checkpointSchema.parse(VECTOR)).toEqual(VECTOR);
  });

  it('verifies the vector, also with node:crypto as an independent Ed25519', async () => {
    expect(await verifyCheckpoint(VECTOR, KEYS)).toEqual({ ok: true });
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(fromBase64url(PUBLIC_KEY))]);
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    expect(nodeVerify(null, checkpointSigningBytes(VECTOR), key, Buffer.from(fromBase64url(VECTOR.signature)))).toBe(true);
  });

  it('refuses any changed field, an unknown key, a key that does not match its id, and junk', async () => {
    for (const change of [{ seq: 43 }, { hash: 'cd'.repeat(32) }, { rep: 'rep-other' }, { at: '2026-03-02T09:00:00.001Z' }]) {
      const verdict = await verifyCheckpoint({ ...VECTOR, ...change }, KEYS);
      expect(verdict).toEqual({ ok: false, reason: 'signature does not match the checkpoint (changed, or signed by another key)' });
    }
    expect((await verifyCheckpoint(VECTOR, [])).ok).toBe(false);
    const otherRaw = toBase64url(new Uint8Array(32).fill(7));
    const mismatch = await verifyCheckpoint(VECTOR, [{ keyId: KEY_ID, publicKey: otherRaw }]);
    expect(mismatch).toEqual({ ok: false, reason: 'witness key 56475aa75463474c does not match its keyId' });
    for (const junk of [null, 42, {}, { ...VECTOR, extra: 1 }, { ...VECTOR, signature: 'x' }, { ...VECTOR, seq: 0 }]) {
      const verdict = await verifyCheckpoint(junk, KEYS);
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) expect(verdict.reason).toMatch(/^not a Candor checkpoint: /);
    }
  });

  it('a signature from another key with the same keyId claim fails', async () => {
    const forged = await signCheckpoint(await privateKey(new Uint8Array(32).fill(9)), FIELDS);
    expect((await verifyCheckpoint(forged, KEYS)).ok).toBe(false);
  });

  it('base64url round-trips every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(fromBase64url(toBase64url(all))).toEqual(all);
    expect(toBase64url(all)).not.toMatch(/[+/=]/);
  });
});
