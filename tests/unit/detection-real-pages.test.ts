import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { notetakerMatcher } from '../../lib/detect/notetakers';
import { readSignals } from '../../lib/detect/read-signals';
import { meet } from '../../lib/platforms/meet';
import { withOverrides } from '../../lib/platforms/overrides';
import { teams } from '../../lib/platforms/teams';
import type { PlatformDefinition } from '../../lib/platforms/types';
import { zoom } from '../../lib/platforms/zoom';
import { NOTETAKER_DEFAULTS } from '../../lib/policy/defaults';

const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/');
const load = (file: string): Document => new DOMParser().parseFromString(readFileSync(`${fixturesDir}${file}`, 'utf8'), 'text/html');
const read = (platform: PlatformDefinition, ...docs: Document[]) => readSignals(platform, docs);

describe('Meet: the self preview and the waiting room never read as admitted', () => {
  it('the preview carries data-participant-id in the green room and the waiting room (the fixtures are real-shaped)', () => {
    for (const file of ['meet/lobby.html', 'meet/waiting.html', 'meet/waiting-hu.html']) {
      expect(load(file).querySelector('[data-participant-id][aria-label^="visual_effects"]'), file).not.toBeNull();
    }
  });

  it('a Hungarian waiting room (no Candor copy, text in divs, leave button on screen) reads none', () => {
    const doc = load('meet/waiting-hu.html');
    expect(doc.querySelector('button[jsname="CQylAd"]')).not.toBeNull();
    expect(read(meet, doc)).toEqual({ state: 'none', signals: [], recording: [], participants: [] });
  });

  it.each(['Asking to join…', 'Asking to be let in...', 'You’ve been sent to the waiting room'])('"%s" reads lobby', (copy) => {
    const doc = load('meet/waiting.html');
    doc.querySelector('.pnMyZd')!.textContent = copy;
    expect(read(meet, doc).state).toBe('lobby');
  });

  it('the English waiting copy in a <div> instead of a span still never reads inCall', () => {
    const doc = load('meet/waiting.html');
    const span = doc.querySelector('.pnMyZd')!;
    const div = doc.createElement('div');
    div.textContent = 'Asking to join…';
    span.replaceWith(div);
    doc.querySelector('.L7tLte')!.remove();
    expect(read(meet, doc).state).toBe('none');
  });

  it('a real tile supports admission but never decides it alone', () => {
    const doc = load('meet/waiting-hu.html');
    const tile = doc.createElement('div');
    tile.setAttribute('data-participant-id', 'spaces/x/devices/2');
    tile.innerHTML = '<span class="notranslate">Jordan Lee</span>';
    doc.body.append(tile);
    expect(read(meet, doc).state).toBe('none');
    const panel = doc.createElement('button');
    panel.setAttribute('data-panel-id', '1');
    doc.body.append(panel);
    const reading = read(meet, doc);
    expect(reading.state).toBe('inCall');
    expect(reading.signals).toEqual(expect.arrayContaining(['meet-panel-buttons', 'meet-participant-tile']));
  });

  it('in a call, the self preview is not a participant', () => {
    const reading = read(meet, load('meet/in-call.html'));
    expect(reading.participants).not.toContain('Backgrounds and effects');
    expect(reading.participants).toEqual(['Alex Rep', 'Jordan Lee', 'Sam Rivera']);
  });

  it('the end screen is read from its jsnames alone (French, "Your host ended the meeting for everyone")', () => {
    const reading = read(meet, load('meet/host-ended-fr.html'));
    expect(reading.state).toBe('left');
    expect(reading.signals[0]).toMatch(/^meet-(end-heading|rejoin-button)$/);
  });

  it('"Your host ended the meeting for everyone" in the end-screen container reads left', () => {
    const doc = load('meet/in-call.html');
    const box = doc.createElement('div');
    box.className = 'roSPhc';
    box.textContent = 'Your host ended the meeting for everyone';
    doc.body.append(box);
    expect(read(meet, doc).state).toBe('left');
  });
});

describe('Zoom web app: the call runs in the same-origin iframe#webclient', () => {
  const shell = load('zoom/webapp.html');

  it('the shell is real-shaped and holds no call signal itself', () => {
    expect(shell.querySelector('iframe#webclient.pwa-webclient__iframe')?.getAttribute('src')).toBe('join?from=pwa');
    expect(read(zoom, shell).state).toBe('none');
  });

  it.each([
    ['zoom/lobby.html', 'lobby'],
    ['zoom/waiting-host.html', 'lobby'],
    ['zoom/in-call.html', 'inCall'],
    ['zoom/ended.html', 'left'],
  ])('shell + frame %s reads %s', (frame, state) => {
    expect(read(zoom, shell, load(frame)).state).toBe(state);
  });

  it('the end dialog wins over the in-call footer still under it', () => {
    const doc = load('zoom/ended.html');
    expect(doc.querySelector('.footer__leave-btn-container')).not.toBeNull();
    expect(read(zoom, doc).signals).toEqual(['zoom-ended-dialog']);
  });
});

describe('Teams: lobby copy, retry screen, recording indicator', () => {
  it('a lobby without a join button reads lobby from its copy, hang-up on screen', () => {
    const doc = load('teams/waiting-v2.html');
    expect(doc.querySelector('#hangup-button')).not.toBeNull();
    expect(read(teams, doc)).toMatchObject({ state: 'lobby', signals: ['teams-lobby-text'] });
  });

  it('"Did you leave by mistake?" on the retry screen reads left', () => {
    expect(read(teams, load('teams/left-retry.html'))).toMatchObject({ state: 'left', signals: ['teams-retry-screen'] });
  });

  it('#recording-indicator-custom is a recording mark', () => {
    expect(read(teams, load('teams/recording.html')).recording).toContain('teams-recording-indicator');
  });
});

describe('organisation overrides (selectorOverrides)', () => {
  it('an added in-call signal detects a UI the built-in signals miss; a bad pattern is skipped', () => {
    const doc = load('meet/waiting-hu.html');
    const marker = doc.createElement('div');
    marker.setAttribute('data-new-call-ui', '');
    doc.body.append(marker);
    expect(read(meet, doc).state).toBe('none');
    const overridden = withOverrides(meet, { inCall: [{ id: 'org-new-ui', selector: '[data-new-call-ui]' }, { id: 'org-bad', selector: 'div', text: '(' }] });
    expect(read(overridden, doc)).toMatchObject({ state: 'inCall', signals: expect.arrayContaining(['org-new-ui']) });
    expect(overridden.signals.inCall.some((s) => s.id === 'org-bad')).toBe(false);
  });

  it('an override with a built-in id replaces that signal', () => {
    const overridden = withOverrides(meet, { lobby: [{ id: 'meet-join-button', selector: 'button.join-v2' }] });
    expect(overridden.signals.lobby.filter((s) => s.id === 'meet-join-button')).toEqual([expect.objectContaining({ selector: 'button.join-v2' })]);
    expect(meet.signals.lobby.find((s) => s.id === 'meet-join-button')!.selector).toBe('button[jsname="Qx7uuf"]');
  });
});

describe('notetaker names: whole names and bot patterns, never a word in a person’s name', () => {
  const match = notetakerMatcher(NOTETAKER_DEFAULTS);

  it.each([
    'Wei Gong (Acme)', 'Wei Gong', 'Gong', 'Otter Smith', 'Grace Fireflies', 'Fathom Jones', 'Read Ai', 'Ann Notetaker-Lee',
    'Notetaker', 'Alex Rep (Host, me)', 'Facilitator Team', 'Jordan (Gong)', 'Gonzalo', 'Chorus Line',
  ])('"%s" is a person', (name) => {
    expect(match(name)).toBeNull();
  });

  it.each([
    ['Fireflies.ai Notetaker', 'Fireflies.ai Notetaker'],
    ['Fireflies.ai Notetaker Bruno', 'Fireflies.ai Notetaker …'],
    ['Siddhartha’s Notetaker (Otter.ai)', "…'s Notetaker (Otter.ai)"],
    ["Dörte's Fathom Notetaker", "…'s Fathom Notetaker"],
    ['Fireflies.ai Notetaker (Guest)', 'Fireflies.ai Notetaker'],
    ['Liminal Notetaker', '… Notetaker'],
    ['Gong Recorder', 'Gong Recorder'],
    ['Acme Recorder by Gong', '… Recorder by Gong'],
    ['read.ai meeting notes', 'read.ai meeting notes'],
    ['OTTER.AI', 'Otter.ai'],
    ['VexaBot-3f9a1c', 'VexaBot-…'],
    ['Vexa Notetaker (Unverified)', '… Notetaker'],
    ['My Nоtеtаkеr', '… Notetaker'], // Cyrillic о, е, а: a bot hiding from keyword filters
  ])('"%s" is suspected as %s', (name, label) => {
    expect(match(name)).toBe(label);
  });

  it('an organisation entry matches as a whole name only', () => {
    const org = notetakerMatcher(['Acme Recorder', '*']);
    expect(org('Acme Recorder')).toBe('Acme Recorder');
    expect(org('Jane Acme Recorder')).toBeNull();
    expect(org('anyone')).toBeNull(); // a lone "*" would flag everybody: ignored
  });
});
