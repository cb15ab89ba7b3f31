import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { platforms } from '../../lib/platforms';
import type { Signal } from '../../lib/platforms/types';
import { NOTETAKER_DEFAULTS } from '../../lib/policy/defaults';

/**
 * Every detection signal rests on a public source named in docs/platforms.md (or is marked a guess
 * there and in code). The doc's signal tables have the columns
 * | id | phase | matches | LI | evidence | source | seen |.
 */
const doc = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../docs/platforms.md'), 'utf8');

interface Row { id: string; phase: string; li: string; evidence: string; source: string }
const cells = (line: string) => line.split('|').slice(1, -1).map((c) => c.trim());
const rows: Row[] = doc
  .split('\n')
  .filter((line) => /^\| `[a-z0-9-]+` \| (?:lobby|inCall|left|recording|participants|title)\b/.test(line))
  .map((line) => {
    const [id, phase, , li, evidence, source] = cells(line);
    return { id: id!.replace(/`/g, ''), phase: phase!.split(' ')[0]!, li: li!, evidence: evidence!, source: source! };
  });

const phases = ['lobby', 'inCall', 'left', 'recording', 'participants', 'title'] as const;
const signals: { platform: string; phase: string; signal: Signal }[] = platforms.flatMap((p) =>
  phases.flatMap((phase) => p.signals[phase].map((signal) => ({ platform: p.id, phase, signal }))),
);

describe('docs/platforms.md: one source row per detection signal', () => {
  it('the tables were found (the parser works)', () => {
    expect(rows.length).toBeGreaterThan(30);
  });

  it.each(signals.map((s) => [s.signal.id, s] as const))('%s has exactly one row, in its phase, with a source', (_id, { phase, signal }) => {
    const found = rows.filter((r) => r.id === signal.id);
    expect(found, `docs/platforms.md has no row for ${signal.id}`).toHaveLength(1);
    const row = found[0]!;
    expect(row.phase).toBe(phase);
    expect(row.li).toBe(signal.languageIndependent ? 'yes' : 'no');
    expect(['source', 'secondary', 'guess']).toContain(row.evidence);
    expect(row.evidence === 'guess', `${signal.id}: a guess in the doc must be guess: true in code, and only then`).toBe(signal.guess === true);
    expect(row.source.length).toBeGreaterThan(10);
  });

  it('every row names a signal that exists', () => {
    const ids = new Set(signals.map((s) => s.signal.id));
    expect(rows.filter((r) => !ids.has(r.id)).map((r) => r.id)).toEqual([]);
  });

  it('guesses and supporting signals never decide admission alone: every platform has another in-call signal', () => {
    for (const p of platforms) {
      const deciding = p.signals.inCall.filter((s) => !s.guess && !s.supportOnly);
      expect(deciding.filter((s) => s.languageIndependent).length, p.id).toBeGreaterThan(0);
    }
  });
});

describe('docs/platforms.md: a source row per default notetaker name', () => {
  const section = doc.slice(doc.indexOf('## Notetaker names'));
  const entries = section.split('\n').filter((l) => l.startsWith('| `')).map((l) => cells(l)[0]!.replace(/`/g, ''));

  it.each(NOTETAKER_DEFAULTS.map((n) => [n]))('%s has a row', (name) => {
    expect(entries).toContain(name);
  });

  it('the table lists no name the defaults do not have', () => {
    expect(entries.filter((e) => !NOTETAKER_DEFAULTS.includes(e))).toEqual([]);
  });
});
