import { z } from 'zod';
import { sha256Hex } from '../util/hash';
import { canonicalize } from './canonical';

/**
 * A witnessed checkpoint: the organisation's service signs "rep R's chain had seq N with head hash
 * H at time T" with its Ed25519 key. Whoever holds the service's public key can check it offline,
 * so a ledger later cut short, rolled back or rewritten before seq N contradicts a signed statement
 * held outside the rep's browser (docs/ledger.md, docs/org.md).
 *
 * signature = base64url( Ed25519( UTF-8( canonicalize({ format, rep, seq, hash, at, keyId }) ) ) )
 * keyId     = first 16 hex characters of SHA-256(raw 32-byte public key)
 *
 * Pure: zod, canonical JSON, lib/util/hash and WebCrypto (`{ name: 'Ed25519' }`: Node ≥ 20, Chromium ≥ 137,
 * Firefox ≥ 129). The extension, the CLI and the service import this one module.
 */

export const CHECKPOINT_FORMAT = 'candor-checkpoint/1';

const base64url = /^[A-Za-z0-9_-]+$/;

export const checkpointSchema = z.strictObject({
  format: z.literal(CHECKPOINT_FORMAT),
  rep: z.string().min(1).max(120),
  seq: z.int().positive(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.iso.datetime({ precision: 3 }),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  /** 64 signature bytes are 86 base64url characters without padding. */
  signature: z.string().length(86).regex(base64url),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;
export type CheckpointFields = Omit<Checkpoint, 'format' | 'signature'>;

/** A witness public key as the service publishes it (`witnessKeys` in its replies). */
export interface WitnessPublicKey {
  keyId: string;
  /** base64url of the raw 32-byte Ed25519 public key. */
  publicKey: string;
}

const encoder = new TextEncoder();

export function toBase64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64url(text: string): Uint8Array {
  if (!base64url.test(text)) throw new Error('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** The exact bytes signed: the canonical JSON of every field but the signature. */
export function checkpointSigningBytes(fields: CheckpointFields): Uint8Array {
  const { rep, seq, hash, at, keyId } = fields;
  return encoder.encode(canonicalize({ format: CHECKPOINT_FORMAT, rep, seq, hash, at, keyId }));
}

/** keyId of a raw 32-byte Ed25519 public key: the first 16 hex characters of its SHA-256. */
export function witnessKeyId(rawPublicKey: Uint8Array): string {
  return sha256Hex(rawPublicKey).slice(0, 16);
}

/** Signs the fields with the witness's private Ed25519 key. */
export async function signCheckpoint(privateKey: CryptoKey, fields: CheckpointFields): Promise<Checkpoint> {
  const bytes = checkpointSigningBytes(fields);
  const signature = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, privateKey, bytes as Uint8Array<ArrayBuffer>));
  return { format: CHECKPOINT_FORMAT, rep: fields.rep, seq: fields.seq, hash: fields.hash, at: fields.at, keyId: fields.keyId, signature: toBase64url(signature) };
}

export type CheckpointVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Checks a checkpoint against the witness's published keys (retired keys included: checkpoints
 * signed before a rotation stay valid). Never throws; a malformed checkpoint or key is a reason.
 */
export async function verifyCheckpoint(checkpoint: unknown, keys: readonly WitnessPublicKey[]): Promise<CheckpointVerdict> {
  const parsed = checkpointSchema.safeParse(checkpoint);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `not a Candor checkpoint: ${issue ? `${issue.path.join('.') || 'value'}: ${issue.message}` : 'invalid'}` };
  }
  const cp = parsed.data;
  const key = keys.find((k) => k.keyId === cp.keyId);
  if (!key) return { ok: false, reason: `signed with key ${cp.keyId}, which is not among the witness keys given` };
  let raw: Uint8Array;
  try {
    raw = fromBase64url(key.publicKey);
  } catch {
    return { ok: false, reason: `witness key ${key.keyId} is not base64url` };
  }
  if (raw.length !== 32) return { ok: false, reason: `witness key ${key.keyId} is not a 32-byte Ed25519 public key` };
  if (witnessKeyId(raw) !== key.keyId) return { ok: false, reason: `witness key ${key.keyId} does not match its keyId` };
  try {
    const publicKey = await crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify']);
    const signature = fromBase64url(cp.signature);
    const ok = await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, signature as Uint8Array<ArrayBuffer>, checkpointSigningBytes(cp) as Uint8Array<ArrayBuffer>);
    return ok ? { ok: true } : { ok: false, reason: 'signature does not match the checkpoint (changed, or signed by another key)' };
  } catch (error) {
    return { ok: false, reason: `signature cannot be checked: ${(error as Error).message}` };
  }
}
