/**
 * Writes the ledger test vectors to docs/ledger-vectors/ (files and vectors.json):
 *   npm run ledger-vectors
 * tests/unit/ledger-vectors.test.ts fails when the committed files differ from what this writes.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { buildLedgerVectors } from './lib/ledger-vectors';

const DIR = resolve(import.meta.dirname, '../docs/ledger-vectors');
const { files, manifest } = await buildLedgerVectors();
rmSync(DIR, { recursive: true, force: true });
for (const [name, bytes] of files) {
  mkdirSync(dirname(join(DIR, name)), { recursive: true });
  writeFileSync(join(DIR, name), bytes);
}
writeFileSync(join(DIR, 'vectors.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`wrote ${files.size} vectors to ${DIR}`);
