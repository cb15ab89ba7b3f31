import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import german from '../../public/_locales/de/messages.json';
import { routeMessage } from '../../lib/background/router';
import { RequestError, type SenderInfo, type Services } from '../../lib/background/services';
import { decisionChangeRefusal } from '../../lib/call/outcomes';
import { CandorDB } from '../../lib/db';
import { english } from '../../lib/i18n/english';
import { says } from '../../lib/i18n/says';
import { formatMessage, type MessageKey, type Messages } from '../../lib/i18n/translate';
import { resolvePolicy } from '../../lib/policy/resolve';
import type { Policy } from '../../lib/policy/schema';
import type { CallView, Reply } from '../../lib/protocol/replies';
import type { RequestType } from '../../lib/protocol/requests';
import type { Outcome } from '../../lib/model';
import { routeAsInBrowser } from './support/senders';

/*
 * What the background refuses, a person reads in their language: every refusal is a message
 * (lib/i18n/says.ts), never an English sentence written in the code. The router says it in the
 * browser's language; the technical part stays in English under "Details".
 */

const root = resolve(import.meta.dirname, '../..');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Text written in the code itself: a string literal, or a template literal with words outside its `${…}`. */
const WRITTEN = /^\s*(['"]|`(?:[^`$]|\$(?!\{))*[A-Za-z]{3})/;

describe('refusals are messages, not English sentences in the code', () => {
  const files = [...walk(join(root, 'lib/background')), join(root, 'lib/call/outcomes.ts'), join(root, 'lib/ledger/import-rules.ts')];

  it('no `new RequestError(…)` is given a sentence written in the code', () => {
    const problems: string[] = [];
    for (const file of files) {
      const src = readFileSync(file, 'utf8');
      for (const match of src.matchAll(/RequestError\(/g)) {
        const rest = src.slice(match.index + match[0].length, match.index + match[0].length + 200);
        if (WRITTEN.test(rest)) {
          const line = src.slice(0, match.index).split('\n').length;
          problems.push(`${relative(root, file)}:${line} refuses with text written in the code; a person reads the refusal, so give says('refusal_…') (a message in public/_locales), and put technical text in the second argument (Details).`);
        }
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('the ledger import rules give their reason as a message, not as a sentence', () => {
    const src = readFileSync(join(root, 'lib/ledger/import-rules.ts'), 'utf8');
    const written = [...src.matchAll(/reason: (['"`])/g)].map((m) => `lib/ledger/import-rules.ts:${src.slice(0, m.index).split('\n').length}`);
    expect(written, `${written.join(', ')}: an import's refusal is read by a person; give says('refusal_import_…') as the reason`).toEqual([]);
  });

  it('every refused decision change names a message English has', () => {
    const states: { outcome: Outcome | null; reason: null }[] = [null, 'agreed', 'declined', 'not-recorded', 'withdrawn'].map((o) => ({ outcome: o as Outcome | null, reason: null }));
    for (const current of states) {
      for (const next of states) {
        const key = decisionChangeRefusal(current, next);
        expect(english(key), key).not.toBe(key);
      }
    }
  });

  it('a RequestError keeps its English sentence as its message (logs, the access log) and says it in any language', () => {
    const error = new RequestError(says('refusal_import_ledger_shorter', 3, 5), 'detail');
    expect(error.message).toBe(english('refusal_import_ledger_shorter', 3, 5));
    expect(error.sentence((key, ...subs) => `«${english(key, ...subs)}»`)).toBe(`«${error.message}»`);
    expect(error.detail).toBe('detail');
  });
});

// ---- in German, through the router --------------------------------------------------------------

const MEET = 'https://meet.google.com/abc-defg-hij';
const tab: SenderInfo = { tabId: 1, url: MEET, extensionPage: false };
const popup: SenderInfo = { url: 'chrome-extension://test-extension-id/popup.html', extensionPage: true };
let db: CandorDB;
let now: number;
let s: Services;
let policy: Partial<Policy>;
const de = (key: MessageKey, ...subs: (string | number)[]) => formatMessage((german as Messages)[key]!, subs.map(String));

beforeEach(() => {
  db = new CandorDB(`test-${crypto.randomUUID()}`);
  now = Date.UTC(2025, 4, 6, 15, 0, 0);
  policy = {};
  s = { db, now: () => now, policy: async () => { const r = resolvePolicy(undefined, undefined); return { ...r, policy: { ...r.policy, ...policy } }; }, uiLanguage: () => 'de-DE' };
  // The browser's language is German: its messages are the German locale's.
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation(((key: string, subs?: string | string[]) => {
    const entry = (german as Messages)[key];
    return entry ? formatMessage(entry, subs === undefined ? [] : Array.isArray(subs) ? subs : [subs]) : '';
  }) as never);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await db.delete();
});

const refusal = (reply: Reply<RequestType>) => {
  if (reply.ok) throw new Error(`expected a refusal, got ${JSON.stringify(reply.data)}`);
  return reply;
};
const observed = (phase: 'lobby' | 'inCall' | 'left') => ({ type: 'call/observed', eventId: crypto.randomUUID(), at: now, phase, url: MEET, signals: [phase === 'lobby' ? 'meet-join-button' : 'meet-participant-tile'] });
const decide = (callId: string, outcome: string) => ({ type: 'call/decide', eventId: crypto.randomUUID(), at: now, callId, outcome });

describe('a refusal in the rep’s language', () => {
  it('a decision changed after the window: the sentence in German, the technical part in English under Details', async () => {
    policy = { decisionChangeMinutes: 10 };
    await routeAsInBrowser(s, observed('lobby'), tab);
    now += 5_000;
    const joined = await routeAsInBrowser(s, observed('inCall'), tab);
    const callId = (joined.ok ? (joined.data as CallView) : null)!.callId;
    expect((await routeAsInBrowser(s, decide(callId, 'declined'), tab)).ok).toBe(true);
    now += 60_000;
    expect((await routeAsInBrowser(s, observed('left'), tab)).ok).toBe(true);
    now += 30 * 60_000;
    const reply = refusal(await routeAsInBrowser(s, decide(callId, 'agreed'), popup));
    expect(reply.error).toBe(de('refusal_change_window', 10));
    expect(reply.error).toMatch(/^Eine Entscheidung kann bis 10 Minuten/);
    expect(reply.detail).toBe('The call ended 30 minutes ago.');
    // A change the rules never allow, in German too.
    const again = refusal(await routeAsInBrowser(s, decide(callId, 'declined'), popup));
    expect(again.error).toBe(de('refusal_decision_same'));
  });

  it('a refused import: German sentence, and the access log keeps the English one', async () => {
    const reply = refusal(await routeMessage(s, { type: 'data/import', text: 'not json' }, popup));
    expect(reply.error).toBe(de('refusal_import_not_json'));
    expect(reply.error).toContain('Es wurde nichts importiert.');
    const [log] = await db.accessLog.toArray();
    expect(log).toMatchObject({ action: 'import', refused: english('refusal_import_not_json') });
  });

  it('a sender at fault gets the general sentence in German; what was wrong stays technical', async () => {
    const reply = refusal(await routeMessage(s, { type: 'prompt/mount' }, { extensionPage: false, url: MEET }));
    expect(reply.error).toBe(de('error_wrong_sender'));
  });
});
