// @vitest-environment node
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLedgerVectors, type Vectors } from '../../scripts/lib/ledger-vectors';

/*
 * docs/ledger-vectors/: the committed files are exactly what scripts/lib/ledger-vectors.ts builds
 * (so a change to the ledger format cannot slip past them), and the reference verifier, run as an
 * auditor runs it, gives every vector its stated exit code and line.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const DIR = join(ROOT, 'docs/ledger-vectors');
const manifest = JSON.parse(readFileSync(join(DIR, 'vectors.json'), 'utf8')) as Vectors;

const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [relative(DIR, join(dir, n))]));

function verify(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('npx', ['tsx', 'scripts/verify-ledger.ts', ...args], { cwd: ROOT, encoding: 'utf8' }, (error, stdout, stderr) => {
      done({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

describe('ledger test vectors', () => {
  it('the committed files are exactly what npm run ledger-vectors writes', async () => {
    const { files, manifest: built } = await buildLedgerVectors();
    expect(manifest).toEqual(built);
    expect(walk(DIR).filter((f) => f !== 'vectors.json').sort()).toEqual([...files.keys()].sort());
    for (const [name, bytes] of files) expect(Buffer.from(readFileSync(join(DIR, name))).equals(Buffer.from(bytes)), name).toBe(true);
  });

  it('cover intact, broken and unreadable files', () => {
    expect(new Set(manifest.vectors.map((v) => v.exit))).toEqual(new Set([0, 1, 2]));
  });

  it('the reference verifier gives each vector its exit code and line', { timeout: 120_000 }, async () => {
    const results: string[] = [];
    // Two at a time: each run starts a Node process.
    for (let i = 0; i < manifest.vectors.length; i += 2) {
      const batch = manifest.vectors.slice(i, i + 2);
      const runs = await Promise.all(batch.map((v) => verify([join('docs/ledger-vectors', v.file), ...v.args])));
      batch.forEach((v, j) => {
        const run = runs[j]!;
        const line = v.exit === 2 ? run.stderr.trim() : run.stdout.trim();
        const expected = v.exit === 2 ? `${join('docs/ledger-vectors', v.file)}: ${v.output}` : v.output;
        if (run.code !== v.exit || line !== expected) results.push(`${v.file}: exit ${run.code}, "${line}" (expected exit ${v.exit}, "${expected}")`);
      });
    }
    expect(results).toEqual([]);
  });
});
