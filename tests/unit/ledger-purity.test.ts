import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * lib/ledger must stay pure: zod, @noble/hashes (through lib/util/hash) and WebCrypto only, so the same
 * code verifies in Node and the extension.
 */
const dir = resolve(import.meta.dirname, '../../lib/ledger');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

describe('lib/ledger purity', () => {
  it('has source files to check', () => {
    expect(files).toEqual(expect.arrayContaining(['blocks.ts', 'canonical.ts', 'chain.ts', 'checkpoint.ts', 'entry.ts', 'export.ts']));
  });

  it.each(files)('%s imports only zod and its siblings, and touches no extension, storage or DOM API', (file) => {
    // Comments may mention anything; only code counts.
    const src = readFileSync(join(dir, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/(^|\s)\/\/.*$/gm, '$1');
    const imports = [...src.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]);
    for (const spec of imports) expect(spec, `${file} imports ${spec}`).toMatch(/^(zod|@noble\/hashes\/utils\.js|\.\/[\w-]+|\.\.\/model|\.\.\/util\/hash)$/);
    expect(src).not.toMatch(/\b(browser|chrome)\.\w/);
    expect(src).not.toMatch(/\b(document|window|navigator|localStorage|indexedDB|Dexie)\b/);
    expect(src).not.toMatch(/\bimport\(/);
  });
});
