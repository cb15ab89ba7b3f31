import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signCheckpoint, verifyCheckpoint } from '../../lib/ledger/checkpoint';
import { openPglite } from '../store/db';
import { migrate } from '../store/migrate';
import { publishedKeys, rotateKeyFile, Witness } from '../witness/keys';

describe('witness keys', () => {
  it("signs exactly what lib/ledger's signCheckpoint signs, and the checkpoint verifies", async () => {
    const db = await openPglite(null);
    try {
      await migrate(db);
      const witness = await Witness.load(db, { envKey: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8', dataDir: null });
      expect(witness.active.keyId).toBe('56475aa75463474c');
      const at = new Date('2026-03-02T09:00:00.000Z');
      const cp = witness.sign('rep-a', 7, 'cd'.repeat(32), at);
      expect(cp).toEqual(await signCheckpoint(witness.active.privateKey, { rep: 'rep-a', seq: 7, hash: 'cd'.repeat(32), at: at.toISOString(), keyId: cp.keyId }));
      expect(await verifyCheckpoint(cp, await publishedKeys(db))).toEqual({ ok: true });
    } finally {
      await db.close();
    }
  });

  it('rotation: a new active key, the old one kept as retired, old checkpoints still verify', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'candor-witness-'));
    const db = await openPglite(null);
    try {
      await migrate(db);
      const first = await Witness.load(db, { dataDir: dir });
      expect(statSync(join(dir, 'witness-keys.json')).mode & 0o777).toBe(0o600);
      const old = first.sign('rep-a', 1, 'ab'.repeat(32));
      await rotateKeyFile(dir);
      const second = await Witness.load(db, { dataDir: dir });
      expect(second.active.keyId).not.toBe(first.active.keyId);
      const keys = await publishedKeys(db);
      expect(keys.map((k) => k.keyId).sort()).toEqual([first.active.keyId, second.active.keyId].sort());
      expect(keys.find((k) => k.keyId === first.active.keyId)!.retiredAt).not.toBeNull();
      expect(keys.find((k) => k.keyId === second.active.keyId)!.retiredAt).toBeNull();
      expect(await verifyCheckpoint(old, keys)).toEqual({ ok: true });
      expect(await verifyCheckpoint(second.sign('rep-a', 2, 'ab'.repeat(32)), keys)).toEqual({ ok: true });
      expect(JSON.parse(readFileSync(join(dir, 'witness-keys.json'), 'utf8'))).toHaveLength(2);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
