import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSignals } from '../../lib/detect/read-signals';
import { readTitle } from '../../lib/detect/title';
import { platformById } from '../../lib/platforms';
import type { PlatformDefinition, Signal } from '../../lib/platforms/types';

interface Expected {
  state: 'lobby' | 'inCall' | 'left' | 'none';
  recording: boolean;
  participants: string[];
  /** The meeting title the page shows (docs/platforms.md, "Meeting title"); absent: none. */
  title?: string;
}

// A string, not `new URL(...)`: in happy-dom the global URL is the window's, which fileURLToPath rejects.
const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/');
const expected = JSON.parse(readFileSync(`${fixturesDir}expected.json`, 'utf8')) as Record<string, Expected>;
const entries = Object.entries(expected);

function platformOf(file: string): PlatformDefinition {
  const platform = platformById(file.split('/')[0]!);
  if (!platform) throw new Error(`no platform for fixture ${file}`);
  return platform;
}

function loadFixture(file: string): Document {
  return new DOMParser().parseFromString(readFileSync(`${fixturesDir}${file}`, 'utf8'), 'text/html');
}

/** The platform as it would read a page in a UI language none of its text signals know. */
function languageIndependentOnly(platform: PlatformDefinition): PlatformDefinition {
  const only = (list: Signal[]) => list.filter((s) => s.languageIndependent);
  const s = platform.signals;
  return {
    ...platform,
    signals: {
      lobby: only(s.lobby),
      inCall: only(s.inCall),
      left: only(s.left),
      recording: only(s.recording),
      participants: only(s.participants),
      title: only(s.title),
    },
  };
}

it('expected.json lists fixtures for all three platforms, and every listed file exists', () => {
  expect(new Set(entries.map(([file]) => file.split('/')[0]))).toEqual(new Set(['meet', 'zoom', 'teams']));
  for (const [file] of entries) expect(() => loadFixture(file), file).not.toThrow();
});

describe.each(entries)('fixture %s', (file, want) => {
  it(`reads ${want.state}${want.recording ? ', recording' : ''}, ${want.participants.length} participants`, () => {
    const reading = readSignals(platformOf(file), [loadFixture(file)]);
    expect(reading.state).toBe(want.state);
    expect(reading.recording.length > 0).toBe(want.recording);
    expect(new Set(reading.participants)).toEqual(new Set(want.participants));
    // Names are reported once each.
    expect(reading.participants.length).toBe(new Set(reading.participants).size);
    // A decided state names the signals that decided it; "none" names none.
    if (want.state === 'none') expect(reading.signals).toEqual([]);
    else expect(reading.signals.length).toBeGreaterThan(0);
  });

  it(`reads the meeting title ${JSON.stringify(want.title ?? '')}`, () => {
    expect(readTitle(platformOf(file), [loadFixture(file)], null)).toBe(want.title ?? '');
  });

  it('reads the same when loaded into the live happy-dom document', () => {
    const parsed = loadFixture(file);
    document.documentElement.innerHTML = `${parsed.head.outerHTML}${parsed.body.outerHTML}`;
    const reading = readSignals(platformOf(file), [document]);
    expect(reading.state).toBe(want.state);
    expect(reading.recording.length > 0).toBe(want.recording);
    expect(new Set(reading.participants)).toEqual(new Set(want.participants));
  });
});

describe('language-independent signals alone', () => {
  const inCallFixtures = entries.filter(([, want]) => want.state === 'inCall').map(([file]) => file);
  const lobbyFixtures = entries.filter(([, want]) => want.state === 'lobby').map(([file]) => file);

  it('the fixture set includes non-English in-call pages', () => {
    expect(inCallFixtures).toEqual(expect.arrayContaining(['meet/in-call-de.html', 'zoom/in-call-ja.html', 'teams/in-call-fr.html']));
  });

  it.each(inCallFixtures)('still read %s as inCall', (file) => {
    const reading = readSignals(languageIndependentOnly(platformOf(file)), [loadFixture(file)]);
    expect(reading.state).toBe('inCall');
    expect(reading.participants.length).toBeGreaterThan(0);
  });

  it.each(lobbyFixtures)('never read %s as inCall', (file) => {
    const reading = readSignals(languageIndependentOnly(platformOf(file)), [loadFixture(file)]);
    expect(reading.state).not.toBe('inCall');
  });
});

describe('a lobby that already shows a leave button', () => {
  it("Meet's waiting room (call_end \"Leave call\" on screen) reads lobby, never inCall", () => {
    const doc = loadFixture('meet/waiting.html');
    // Precondition: the fixture really has the leave button that exists in both lobby and call.
    expect(doc.querySelector('button[aria-label="Leave call"]')?.textContent).toContain('call_end');
    const reading = readSignals(platformOf('meet/waiting.html'), [doc]);
    expect(reading.state).toBe('lobby');
    expect(reading.participants).toEqual([]);
  });

  it("Meet's waiting room in a UI language the text signals do not know is still not inCall", () => {
    const doc = loadFixture('meet/waiting.html');
    for (const el of doc.querySelectorAll('.pnMyZd, .L7tLte, [role="heading"]')) el.textContent = 'Katılma isteği gönderiliyor…';
    const reading = readSignals(platformOf('meet/waiting.html'), [doc]);
    expect(reading.state).not.toBe('inCall');
  });

  it("Teams' waiting lobby (hang-up button on screen) reads lobby, never inCall", () => {
    const doc = loadFixture('teams/waiting.html');
    expect(doc.querySelector('#hangup-button, [data-tid="hangup-main-btn"]')).not.toBeNull();
    expect(readSignals(platformOf('teams/waiting.html'), [doc]).state).toBe('lobby');
  });

  it("Zoom's waiting room (its own Leave button) reads lobby, never inCall", () => {
    const doc = loadFixture('zoom/waiting.html');
    expect(doc.querySelector('.wr-leave-btn')).not.toBeNull();
    expect(readSignals(platformOf('zoom/waiting.html'), [doc]).state).toBe('lobby');
  });
});

describe('text lookalikes', () => {
  it('a chat line quoting the waiting-room copy does not turn a Meet call into a lobby', () => {
    const doc = loadFixture('meet/in-call.html');
    const line = doc.createElement('span');
    line.textContent = 'he said: Asking to be let in… but it worked';
    doc.body.append(line);
    expect(readSignals(platformOf('meet/in-call.html'), [doc]).state).toBe('inCall');
  });

  it('a broken selector (e.g. from a policy override) does not stop detection', () => {
    const platform = platformOf('meet/in-call.html');
    const broken: PlatformDefinition = {
      ...platform,
      signals: { ...platform.signals, left: [{ id: 'broken', selector: 'div[', languageIndependent: true }, ...platform.signals.left] },
    };
    expect(readSignals(broken, [loadFixture('meet/in-call.html')]).state).toBe('inCall');
  });
});
