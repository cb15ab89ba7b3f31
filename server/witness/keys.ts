import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createPrivateKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import { CHECKPOINT_FORMAT, checkpointSigningBytes, fromBase64url, toBase64url, witnessKeyId, type Checkpoint } from '../../lib/ledger/checkpoint';
import type { Queryable } from '../store/db';

/**
 * The witness's Ed25519 keys. The active private key comes from `CANDOR_WITNESS_KEY` (base64url of
 * the 32-byte seed) or from `<dataDir>/witness-keys.json` (created on first start, mode 0600).
 * Rotation (`npm run server -- rotate-witness-key`) writes a new active key to that file and keeps
 * the old one as retired; every public key ever used is also kept in the `witness_keys` table,
 * so checkpoints signed before a rotation still verify.
 */

export interface WitnessKeyInfo {
  keyId: string;
  algorithm: 'Ed25519';
  publicKey: string;
  createdAt: string;
  retiredAt: string | null;
}

interface StoredKey {
  keyId: string;
  seed: string;
  publicKey: string;
  createdAt: string;
  retiredAt: string | null;
}

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface ActiveKey {
  keyId: string;
  publicKey: string;
  createdAt: string;
  /** WebCrypto key (for lib/ledger's signCheckpoint) and the same key for node:crypto. */
  privateKey: CryptoKey;
  nodeKey: KeyObject;
}

async function fromSeed(seed: Uint8Array, createdAt: string): Promise<ActiveKey> {
  if (seed.length !== 32) throw new Error('CANDOR_WITNESS_KEY must be the base64url of a 32-byte Ed25519 seed');
  const privateKey = await crypto.subtle.importKey('pkcs8', Buffer.concat([PKCS8_PREFIX, seed]), { name: 'Ed25519' }, true, ['sign']);
  const jwk = await crypto.subtle.exportKey('jwk', privateKey);
  const raw = fromBase64url(jwk.x as string);
  // Re-import as non-extractable: nothing in the process can read the key back out.
  const sealed = await crypto.subtle.importKey('pkcs8', Buffer.concat([PKCS8_PREFIX, seed]), { name: 'Ed25519' }, false, ['sign']);
  const nodeKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  return { keyId: witnessKeyId(raw), publicKey: toBase64url(raw), createdAt, privateKey: sealed, nodeKey };
}

export function newSeed(): string {
  return toBase64url(crypto.getRandomValues(new Uint8Array(32)));
}

function keyFile(dataDir: string): string {
  return join(dataDir, 'witness-keys.json');
}

function readKeyFile(dataDir: string): StoredKey[] {
  const file = keyFile(dataDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as StoredKey[]) : [];
}

function writeKeyFile(dataDir: string, keys: StoredKey[]): void {
  const file = keyFile(dataDir);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(keys, null, 2), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

/** Adds a new active key to the data dir's key file, retiring the current one. */
export async function rotateKeyFile(dataDir: string, now = new Date()): Promise<StoredKey> {
  const keys = readKeyFile(dataDir);
  for (const k of keys) k.retiredAt ??= now.toISOString();
  const seed = newSeed();
  const active = await fromSeed(fromBase64url(seed), now.toISOString());
  const stored: StoredKey = { keyId: active.keyId, seed, publicKey: active.publicKey, createdAt: active.createdAt, retiredAt: null };
  keys.push(stored);
  writeKeyFile(dataDir, keys);
  return stored;
}

export class Witness {
  private constructor(readonly active: ActiveKey) {}

  /**
   * The active key (env first, then the data dir's file, created if missing), registered in
   * witness_keys; any other registered key that is not active is marked retired.
   */
  static async load(q: Queryable, opts: { envKey?: string | null; dataDir: string | null }): Promise<Witness> {
    let active: ActiveKey;
    if (opts.envKey) {
      active = await fromSeed(fromBase64url(opts.envKey.trim()), new Date().toISOString());
    } else if (opts.dataDir) {
      let current = readKeyFile(opts.dataDir).find((k) => k.retiredAt === null);
      current ??= await rotateKeyFile(opts.dataDir);
      active = await fromSeed(fromBase64url(current.seed), current.createdAt);
    } else {
      active = await fromSeed(fromBase64url(newSeed()), new Date().toISOString());
    }
    await q.query(
      `INSERT INTO witness_keys (key_id, public_key, created_at) VALUES ($1, $2, $3::timestamptz)
       ON CONFLICT (key_id) DO UPDATE SET retired_at = NULL`,
      [active.keyId, active.publicKey, active.createdAt],
    );
    await q.query('UPDATE witness_keys SET retired_at = now() WHERE key_id <> $1 AND retired_at IS NULL', [active.keyId]);
    return new Witness(active);
  }

  /**
   * The checkpoint for (rep, seq, hash), signed now. The signed bytes are lib/ledger's
   * checkpointSigningBytes; the Ed25519 signature is made with node:crypto's synchronous sign,
   * which gives the same bytes as WebCrypto's (Ed25519 is deterministic; server/tests checks it
   * against signCheckpoint) in ~40 µs, whereas WebCrypto's asynchronous sign waits for the
   * thread pool (p95 2.5 ms on a loaded 2-core machine) inside the ingest transaction.
   */
  sign(rep: string, seq: number, hash: string, at = new Date()): Checkpoint {
    const fields = { rep, seq, hash, at: at.toISOString(), keyId: this.active.keyId };
    const signature = toBase64url(new Uint8Array(nodeSign(null, checkpointSigningBytes(fields), this.active.nodeKey)));
    return { format: CHECKPOINT_FORMAT, ...fields, signature };
  }
}

/** Every public key ever used (the active one has retiredAt null). */
export async function publishedKeys(q: Queryable): Promise<WitnessKeyInfo[]> {
  const rows = await q.query<{ key_id: string; public_key: string; created_at: Date; retired_at: Date | null }>(
    'SELECT key_id, public_key, created_at, retired_at FROM witness_keys ORDER BY created_at, key_id',
  );
  return rows.map((r) => ({
    keyId: r.key_id,
    algorithm: 'Ed25519',
    publicKey: r.public_key,
    createdAt: new Date(r.created_at).toISOString(),
    retiredAt: r.retired_at ? new Date(r.retired_at).toISOString() : null,
  }));
}
