import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** lib/export must stay pure: plain TS (and zod), runnable anywhere, deterministic. */
const dir = join(__dirname, '../../lib/export');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

describe('lib/export purity', () => {
  it('has source files to check', () => {
    expect(files).toEqual(expect.arrayContaining(['call-bundle.ts', 'crm-note.ts', 'csv.ts', 'json.ts']));
  });

  it.each(files)('%s uses no extension APIs, Dexie, DOM or clock', (file) => {
    // Comments may mention anything; only code counts.
    const src = readFileSync(join(dir, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/(^|\s)\/\/.*$/gm, '$1');
    const runtimeImports = [...src.matchAll(/^import\s+(?!type\s)[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]);
    for (const spec of runtimeImports) {
      expect(spec, `${file} imports ${spec}`).toMatch(/^(zod|\.\/[\w-]+|\.\.\/platforms|\.\.\/util\/zod-error|\.\.\/util\/time|\.\.\/call\/outcomes|\.\.\/model|\.\.\/i18n\/(english|labels))$/);
    }
    expect(src).not.toMatch(/\b(browser|chrome)\.\w/);
    expect(src).not.toMatch(/\b(document|window|navigator|localStorage|indexedDB)\b/);
    expect(src).not.toMatch(/Date\.now\(|new Date\(\)|performance\.now|Math\.random/);
  });
});
