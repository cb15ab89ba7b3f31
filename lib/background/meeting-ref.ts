import type { CandorDB } from '../db';
import { sha256Hex } from '../util/hash';

const SALT_KEY = 'meetingSalt';

/** The salt per open database, kept while the worker lives: every call message hashes with it. */
const saltCache = new WeakMap<CandorDB, Promise<string>>();

/** The per-install random salt; created once, never leaves this browser profile. */
export function installSalt(db: CandorDB): Promise<string> {
  let salt = saltCache.get(db);
  if (!salt) {
    salt = readOrCreateSalt(db);
    saltCache.set(db, salt);
    salt.catch(() => saltCache.delete(db)); // a storage fault is retried by the next message
  }
  return salt;
}

/** After "delete all" or a backup import the stored salt may differ from the one in memory. */
export function forgetSalt(db: CandorDB): void {
  saltCache.delete(db);
}

/**
 * Deletes the stored salt (inside the caller's transaction, which must include `meta`): the meeting
 * hashes already stored can no longer be linked to any meeting. The next call gets a new salt.
 */
export async function deleteSalt(db: CandorDB): Promise<void> {
  await db.meta.delete(SALT_KEY);
}

async function readOrCreateSalt(db: CandorDB): Promise<string> {
  const existing = await db.meta.get(SALT_KEY);
  if (typeof existing?.value === 'string') return existing.value;
  const salt = Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('');
  // add() fails with ConstraintError if a concurrent caller won the race; then use theirs so both
  // agree. Any other failure (quota, closed database) must not hash with a salt nobody stored.
  try {
    await db.meta.add({ key: SALT_KEY, value: salt });
    return salt;
  } catch (err) {
    if ((err as { name?: string })?.name !== 'ConstraintError') throw err;
    const winner = await db.meta.get(SALT_KEY);
    if (typeof winner?.value !== 'string') throw err;
    return winner.value;
  }
}

/** A non-reversible meeting reference: the raw meeting code or URL is never stored. */
export async function meetingHash(db: CandorDB, platform: string, reference: string): Promise<string> {
  return sha256Hex(`${await installSalt(db)}\u0000${platform}\u0000${reference}`);
}
