import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * Lowercase hex SHA-256 of a string's UTF-8 bytes (or of raw bytes): the one SHA-256 helper of the
 * extension, the CLI, the bench and the server (@noble/hashes, audited pure JS; synchronous, so a
 * ledger verification hashes record after record without a promise per entry). Strings are encoded
 * with TextEncoder, which writes a lone surrogate as U+FFFD (canonical JSON refuses them anyway).
 */
export function sha256Hex(data: string | Uint8Array): string {
  return bytesToHex(sha256(typeof data === 'string' ? utf8ToBytes(data) : data));
}
