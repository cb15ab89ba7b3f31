import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** lib/audit must stay pure: no extension APIs, no Dexie, no DOM, no clock (time comes in as `now`). */
const dir = join(__dirname, '../../lib/audit');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

describe('lib/audit purity', () => {
  it('has source files to check', () => {
    expect(files).toEqual(expect.arrayContaining(['report.ts', 'csv.ts', 'stats.ts']));
  });

  it.each(files)('%s uses no extension APIs, Dexie, DOM or clock', (file) => {
    // Comments may mention anything; only code counts.
    const src = readFileSync(join(dir, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/(^|\s)\/\/.*$/gm, '$1');
    // Type-only imports vanish at runtime; runtime imports are this folder and the CSV writer.
    const runtimeImports = [...src.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]);
    for (const spec of runtimeImports) {
      expect(spec, `${file} imports ${spec}`).toMatch(/^(\.\/[\w-]+|\.\.\/export\/csv|\.\.\/model)$/);
    }
    expect(src).not.toMatch(/\b(browser|chrome)\.\w/);
    expect(src).not.toMatch(/\b(document|window|navigator|localStorage|indexedDB)\b/);
    expect(src).not.toMatch(/\bdexie\b/i);
    expect(src).not.toMatch(/Date\.now\(|new Date\(\)|performance\.now|Math\.random/);
  });
});
