import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The project's structure, stated as rules (docs/architecture.md). Imports go one way:
 *
 *   entrypoints → components → lib/{background, ui, content} → lib/{protocol, db} → pure lib → lib/model
 *
 * Type-only imports count too: a type pulled "upwards" is how cycles start. Every rule failure is
 * reported as a sentence naming the file and the import.
 */

const root = resolve(import.meta.dirname, '../..');

/** Rank of each area: an import may only point to the same area or a lower rank. */
const PURE = ['util', 'i18n', 'platforms', 'detect', 'call', 'checklist', 'policy', 'ledger', 'export', 'audit', 'sync'];
const rankOf = (area: string): number => {
  if (area === 'lib/model') return 0;
  if (PURE.some((p) => area === `lib/${p}`)) return 1;
  if (area === 'lib/protocol' || area === 'lib/db') return 2;
  if (area === 'lib/background' || area === 'lib/ui' || area === 'lib/content') return 3;
  if (area.startsWith('components/')) return 4;
  if (area.startsWith('entrypoints/')) return 5;
  if (area === 'server') return 6;
  return -1;
};
/** Areas of one rank that may import each other (still without cycles). */
const SAME_RANK_ALLOWED = (from: string, to: string) => rankOf(from) === 1 || (from.startsWith('components/') && to.startsWith('components/'));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    return statSync(path).isDirectory() ? walk(path) : /\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function areaOf(file: string): string {
  const parts = relative(root, file).split('/');
  if (parts[0] === 'lib') return parts.length > 2 ? `lib/${parts[1]}` : `lib/${parts[1]!.replace(/\.tsx?$/, '')}`;
  if (parts[0] === 'components' || parts[0] === 'entrypoints') return `${parts[0]}/${parts[1]!.replace(/\.tsx?$/, '')}`;
  return parts[0]!;
}

function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

const stripComments = (src: string) => src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"])\/\/.*$/gm, '$1');

interface Edge { from: string; to: string; typeOnly: boolean }
function importsOf(file: string): Edge[] {
  const src = stripComments(readFileSync(file, 'utf8'));
  const edges: Edge[] = [];
  for (const m of src.matchAll(/^\s*(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gm)) {
    const to = resolveImport(file, m[3]!);
    if (to) edges.push({ from: file, to, typeOnly: !!m[2] });
  }
  for (const m of src.matchAll(/^\s*import\s+'([^']+)'/gm)) {
    const to = resolveImport(file, m[1]!);
    if (to) edges.push({ from: file, to, typeOnly: false });
  }
  for (const m of src.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) {
    const to = resolveImport(file, m[1]!);
    if (to) edges.push({ from: file, to, typeOnly: false });
  }
  return edges;
}

const files = ['lib', 'components', 'entrypoints', 'server'].flatMap((d) => walk(join(root, d)));
const edges = files.flatMap(importsOf).filter((e) => !relative(root, e.to).startsWith('public/'));
const rel = (file: string) => relative(root, file);

/** Strongly connected components with more than one file (Tarjan): each one is an import cycle. */
function cycles(): string[][] {
  const out = new Map<string, string[]>();
  for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e.to]);
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of out.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(rel(w));
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const f of files) if (!indexOf.has(f)) visit(f);
  return found;
}

describe('layering', () => {
  it('walks the source', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.length).toBeGreaterThan(300);
  });

  it('has no import cycle', () => {
    expect(cycles().map((c) => `These files import each other in a circle: ${c.join(", ")}`)).toEqual([]);
  });

  it('imports point one way: entrypoints → components → lib/{background, ui, content} → lib/{protocol, db} → pure lib → lib/model', () => {
    const wrong: string[] = [];
    for (const e of edges) {
      const [from, to] = [areaOf(e.from), areaOf(e.to)];
      if (from === to) continue;
      const [a, b] = [rankOf(from), rankOf(to)];
      if (a < 0 || b < 0) wrong.push(`${rel(e.from)} imports ${rel(e.to)}, which is outside the known layers.`);
      else if (b > a || (a === b && !SAME_RANK_ALLOWED(from, to))) {
        wrong.push(`${rel(e.from)} (${from}) imports ${rel(e.to)} (${to}) against the direction.`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the model imports nothing of the app, and lib imports nothing of the server', () => {
    const wrong = edges
      .filter((e) => (areaOf(e.from) === 'lib/model' && areaOf(e.to) !== 'lib/model') || (rel(e.from).startsWith('lib/') && rel(e.to).startsWith('server/')))
      .map((e) => `${rel(e.from)} imports ${rel(e.to)}.`);
    expect(wrong).toEqual([]);
  });

  it('components read storage only through lib/ui, and write only through the background', () => {
    const wrong = edges
      .filter((e) => areaOf(e.from).startsWith('components/') && ['lib/db', 'lib/background', 'lib/content'].includes(areaOf(e.to)))
      .map((e) => `${rel(e.from)} imports ${rel(e.to)}: pages go through lib/ui and the protocol.`);
    expect(wrong).toEqual([]);
  });

  it('pure lib and the model touch no extension API, storage or page', () => {
    const wrong: string[] = [];
    // The one exception: UI text comes from the locale the browser picked (browser.i18n, read-only).
    const readsBrowserLocale = (file: string) => rel(file) === 'lib/i18n/translate.ts';
    for (const file of files.filter((f) => rankOf(areaOf(f)) <= 1 && rankOf(areaOf(f)) >= 0)) {
      const src = stripComments(readFileSync(file, 'utf8'));
      if ((/\b(browser|chrome)\.\w/.test(src) || /from 'wxt\//.test(src)) && !readsBrowserLocale(file)) wrong.push(`${rel(file)} uses an extension API.`);
      if (/\b(document|window|localStorage|indexedDB)\b/.test(src) || /\bdexie\b/i.test(src)) wrong.push(`${rel(file)} touches the page or storage.`);
    }
    expect(wrong).toEqual([]);
  });

  it('reports, exports and the ledger are deterministic: time and randomness come in as arguments', () => {
    const wrong: string[] = [];
    for (const file of files.filter((f) => ['lib/audit', 'lib/export', 'lib/ledger'].includes(areaOf(f)))) {
      const src = stripComments(readFileSync(file, 'utf8'));
      // Verification yields to the event loop on a timer; the time never reaches a result.
      const yieldsOnly = rel(file) === 'lib/ledger/chain.ts' && !/new Date\(\)|Math\.random|performance\.now/.test(src);
      if (!yieldsOnly && /Date\.now\(|new Date\(\)|performance\.now|Math\.random/.test(src)) wrong.push(`${rel(file)} reads the clock or randomness itself.`);
    }
    expect(wrong).toEqual([]);
  });
});
