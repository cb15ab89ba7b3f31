// @vitest-environment node
// (The background runs in a service worker, without a DOM; node is also faster for these fuzz runs.)
/**
 * Fuzzing the one way into the background (routeMessage) over a real CandorDB on fake-indexeddb.
 *
 * Properties:
 * - any value (arbitrary JSON; objects with a valid `type` but broken fields, wrong types, extra or
 *   prototype-pollution keys, huge strings) from any sender never throws, is answered
 *   `{ ok: false, error: <readable sentence> }` and changes no row of any table;
 * - well-formed messages about calls, tags, concerns… that do not exist are refused readably and
 *   write nothing; well-formed messages from a sender that may not send them are refused the same way.
 *
 * The DB is seeded with a real call (two tabs, a decision, a note, a tag, a checklist, an AI draft,
 * a concern) so a message that slipped through validation would have something to corrupt: the
 * mutated messages target these real ids on purpose.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SenderInfo, Services } from '../../lib/background/services';
import { CandorDB } from '../../lib/db';
import { INVALID_DETAIL, routeMessage } from '../../lib/background/router';
import { routeAsInBrowser } from './support/senders';
import { exportRequest, requestSchema, type RequestType } from '../../lib/protocol/requests';
import type { Reply } from '../../lib/protocol/replies';
import { defaultPolicy } from '../../lib/policy/defaults';
import { resolvePolicy } from '../../lib/policy/resolve';
import { concernCategories, lateJoinerAnswers, notRecordingReasons, outcomes, callCategories } from '../../lib/model';

const MEET_A = 'https://meet.google.com/abc-defg-hij';
const T0 = Date.UTC(2025, 4, 6, 15, 0, 0);
const RUNS = 80;

let db: CandorDB;
let now: number;
let s: Services;

const tab = (tabId: number, url = MEET_A): SenderInfo => ({ tabId, url, extensionPage: false });
const popup: SenderInfo = { url: 'chrome-extension://test-extension-id/popup.html', extensionPage: true };

const SENDERS: readonly (readonly [string, SenderInfo])[] = [
  ['call tab 1', tab(1)],
  ['call tab 2', tab(2)],
  ['popup', popup],
  ['extension page in a tab', { tabId: 9, url: 'chrome-extension://test-extension-id/options.html', extensionPage: true }],
  ['neither (no tab, not ours)', { extensionPage: false }],
  ['neither (a url but no tab)', { url: MEET_A, extensionPage: false }],
];
const anySender = fc.constantFrom(...SENDERS);

const send = (msg: unknown, sender: SenderInfo) => routeAsInBrowser(s, msg, sender);

/** Every row of every table (whatever tables the schema has), read in one transaction. */
async function dump() {
  return db.transaction('r', db.tables, async () => {
    const rows = await Promise.all(db.tables.map((t) => t.toArray()));
    return Object.fromEntries(db.tables.map((t, i) => [t.name, rows[i]!])) as Record<string, unknown[]>;
  });
}

function ok<T extends RequestType>(reply: Reply<T>) {
  if (!reply.ok) throw new Error(`expected ok, got refusal: ${reply.error}`);
  return reply.data as never as Record<string, unknown>;
}

/** A refusal a person can read: a non-empty sentence, no stack, no "[object Object]", not "retry". */
function expectReadableRefusal(reply: unknown): string {
  expect(reply).toBeTypeOf('object');
  expect(reply).not.toBeNull();
  const r = reply as { ok: unknown; error?: unknown; retryable?: unknown };
  expect(r.ok).toBe(false);
  expect(typeof r.error).toBe('string');
  const error = r.error as string;
  expect(error.trim().length).toBeGreaterThan(8);
  expect(error).not.toMatch(/\[object |ZodError|TypeError|ReferenceError|\n\s+at /);
  expect(r.retryable).toBeFalsy();
  return error;
}

// ---- seed ----------------------------------------------------------------------------------------

interface Seed {
  callId: string;
  tagId: string;
  concernId: string;
}
let seed: Seed;
let snapshot: Record<string, unknown[]>;

beforeEach(async () => {
  db = new CandorDB(`fuzz-msg-${crypto.randomUUID()}`);
  now = T0;
  s = { db, now: () => now, policy: async () => resolvePolicy(undefined, undefined), uiLanguage: () => 'en-US' };

  const observed = (phase: string, sender: SenderInfo) =>
    send({ type: 'call/observed', eventId: crypto.randomUUID(), at: now, phase, url: MEET_A, signals: ['meet-participant-tile'] }, sender);
  ok(await observed('lobby', tab(1)));
  now += 5_000;
  const { callId } = ok(await observed('inCall', tab(1))) as { callId: string };
  ok(await observed('inCall', tab(2)));
  ok(await send({ type: 'call/decide', eventId: crypto.randomUUID(), at: now, callId, outcome: 'agreed', category: 'customer' }, tab(1)));
  now += 60_000;
  ok(await send({ type: 'note/save', callId, text: 'Asked about pricing tiers.' }, popup));
  const tagId = crypto.randomUUID();
  ok(await send({ type: 'tag/add', eventId: tagId, at: now, callId, tag: 'objection' }, tab(1)));
  ok(await send({ type: 'ai-draft/save', callId, source: 'Otter', text: '- Customer wants a pilot.\n- Budget is approved.' }, popup));
  const concernId = crypto.randomUUID();
  ok(await send({ type: 'concern/raise', eventId: concernId, category: 'privacy-concern', text: 'Was this recorded?', anonymous: false, callId }, popup));
  ok(await send({
    type: 'checklist/save', callId, complete: false,
    fields: { qualification: 'BANT ok', nextSteps: [], timeline: '', risks: '', competition: '', humanNuance: '', powerDynamics: '', hesitation: '', emotion: '', urgency: '', subtleObjections: '' },
  }, popup));
  seed = { callId, tagId, concernId };
  snapshot = await dump();
  expect(snapshot.calls).toHaveLength(1);
  expect(snapshot.events!.length).toBeGreaterThan(2);
});

afterEach(async () => {
  vi.restoreAllMocks();
  await db.delete();
});

// ---- value generators ----------------------------------------------------------------------------

const smallJson = fc.jsonValue({ maxDepth: 2 });
const dict = fc.dictionary(fc.string({ maxLength: 6 }), smallJson, { maxKeys: 3 });
const notString = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(smallJson, { maxLength: 3 }), dict);
const notNumber = fc.oneof(fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), dict, fc.integer().map(String));
const notBool = fc.oneof(fc.constantFrom('true', 'false', 0, 1, null, '', 'yes'), fc.array(fc.boolean(), { maxLength: 2 }), dict);
const notArray = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), dict);
const notObject = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(smallJson, { maxLength: 3 }));
/** A string longer than `max`; sometimes far longer (a 1 MB field). */
const tooLong = (max: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.integer({ min: max + 1, max: max + 2_000 }), fc.constantFrom('x', 'é', 'Z"', '\u0000')).map(([n, c]) => c.repeat(n).slice(0, n)) },
    { weight: 1, arbitrary: fc.constant('y'.repeat(1_000_000)) },
  );
const uuid = fc.uuid({ version: 4 });

/** Values a schema of the given kind must refuse. */
const invalid = {
  uuid: fc.oneof(notString, fc.string({ maxLength: 35 }), uuid.map((u) => `${u}x`), uuid.map((u) => u.replace(/-/g, '')), tooLong(36)),
  at: fc.oneof(notNumber, fc.integer({ max: 0 }), fc.double().filter((n) => !Number.isInteger(n)), fc.constant('1'.repeat(100_000))),
  enum: (values: readonly string[]) =>
    fc.oneof(notString, fc.string().filter((v) => !values.includes(v)), fc.constantFrom(...values).map((v) => `${v.toUpperCase()} `), tooLong(100)),
  nullableEnum: (values: readonly string[]) =>
    fc.oneof(fc.oneof(fc.integer(), fc.boolean(), fc.array(fc.integer(), { maxLength: 2 }), dict), fc.string().filter((v) => !values.includes(v))),
  text: (max: number, nonEmpty = false) =>
    nonEmpty ? fc.oneof(notString, tooLong(max), fc.constantFrom('', '   ', '\n\t ')) : fc.oneof(notString, tooLong(max)),
  bool: notBool,
  url: fc.oneof(notString, fc.constantFrom('', 'not a url', 'meet.google.com/abc-defg-hij', 'abc-defg-hij', '//meet.google.com'), fc.constant(`${MEET_A}?${'q'.repeat(5_000)}`)),
  signals: fc.oneof(notArray, fc.constant(['']), fc.array(notString, { minLength: 1, maxLength: 3 }), fc.constant(Array.from({ length: 41 }, () => 'sig')), fc.constant(['x'.repeat(81)])),
  joined: fc.oneof(notNumber, fc.integer({ max: 0 }), fc.integer({ min: 501 }), fc.double({ min: 1, max: 500 }).filter((n) => !Number.isInteger(n))),
  deleteWord: fc.oneof(notString, fc.string().filter((v) => v !== 'DELETE'), fc.constantFrom('delete', ' DELETE', 'DELETE ')),
  record: notObject,
  object: fc.oneof(notObject, fc.constant({ unexpected: true })),
};

const word = (max: number) => fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ,.]{0,30}[A-Za-z0-9]$/).map((w) => w.slice(0, max).trim() || 'x');
const signalId = fc.stringMatching(/^[a-z][a-z-]{0,20}$/);
const at = fc.integer({ min: T0 - 3_600_000, max: T0 + 120_000 });
const fieldsArb = fc.record({
  qualification: fc.string({ maxLength: 40 }), nextSteps: fc.constant([]), timeline: fc.string({ maxLength: 10 }), risks: fc.constant(''),
  competition: fc.constant(''), humanNuance: fc.constant(''), powerDynamics: fc.constant(''), hesitation: fc.constant(''),
  emotion: fc.constant(''), urgency: fc.constant(''), subtleObjections: fc.constant(''),
});

interface Ids {
  callId: fc.Arbitrary<string>;
  tagId: fc.Arbitrary<string>;
  concernId: fc.Arbitrary<string>;
  statementId: fc.Arbitrary<string>;
}

/** Per message type: a valid message, its required keys, all its keys and what each key must refuse. */
interface Spec {
  valid: (ids: Ids) => fc.Arbitrary<Record<string, unknown>>;
  required: readonly string[];
  bad: Record<string, fc.Arbitrary<unknown>>;
}

const decideArb = (ids: Ids) =>
  fc
    .record(
      { eventId: uuid, at, callId: ids.callId, outcome: fc.constantFrom(...outcomes), reason: fc.constantFrom(...notRecordingReasons), category: fc.constantFrom(...callCategories) },
      { requiredKeys: ['eventId', 'at', 'callId', 'outcome'] },
    )
    .map((m) => ({ type: 'call/decide', ...m, ...(m.outcome === 'not-recorded' && !m.reason ? { reason: 'other' } : {}) }));

const EXPORT_KINDS = exportRequest.shape.what.options as readonly string[];

/** Hand-written per type. A type added later without a spec here is still fuzzed generically (below). */
const SPECS: { [T in RequestType]?: Spec } = {
  'call/observed': {
    valid: () =>
      fc.record(
        { type: fc.constant('call/observed'), eventId: uuid, at, phase: fc.constantFrom('lobby', 'inCall', 'left'), url: fc.constant(MEET_A), signals: fc.array(signalId, { maxLength: 3 }), manual: fc.boolean() },
        { requiredKeys: ['type', 'eventId', 'at', 'phase', 'url', 'signals'] },
      ),
    required: ['type', 'eventId', 'at', 'phase', 'url', 'signals'],
    bad: { eventId: invalid.uuid, at: invalid.at, phase: invalid.enum(['lobby', 'inCall', 'left']), url: invalid.url, signals: invalid.signals, manual: invalid.bool },
  },
  'call/decide': {
    valid: decideArb,
    required: ['type', 'eventId', 'at', 'callId', 'outcome'],
    bad: { eventId: invalid.uuid, at: invalid.at, callId: invalid.uuid, outcome: invalid.enum(outcomes), reason: invalid.enum(notRecordingReasons), category: invalid.enum(callCategories) },
  },
  'call/prompt-shown': {
    valid: (ids) => fc.record({ type: fc.constant('call/prompt-shown'), eventId: uuid, at, callId: ids.callId }),
    required: ['type', 'eventId', 'at', 'callId'],
    bad: { eventId: invalid.uuid, at: invalid.at, callId: invalid.uuid },
  },
  'call/recording': {
    valid: (ids) => fc.record({ type: fc.constant('call/recording'), eventId: uuid, at, callId: ids.callId, active: fc.boolean(), sources: fc.array(signalId, { maxLength: 3 }) }),
    required: ['type', 'eventId', 'at', 'callId', 'active', 'sources'],
    bad: { eventId: invalid.uuid, at: invalid.at, callId: invalid.uuid, active: invalid.bool, sources: invalid.signals },
  },
  'call/late-joiner': {
    valid: (ids) =>
      fc.record({ type: fc.constant('call/late-joiner'), eventId: uuid, at, callId: ids.callId, joined: fc.integer({ min: 1, max: 500 }), answer: fc.constantFrom(...lateJoinerAnswers) }),
    required: ['type', 'eventId', 'at', 'callId', 'joined', 'answer'],
    bad: { eventId: invalid.uuid, at: invalid.at, callId: invalid.uuid, joined: invalid.joined, answer: invalid.enum(lateJoinerAnswers) },
  },
  'note/save': {
    valid: (ids) => fc.record({ type: fc.constant('note/save'), callId: ids.callId, text: fc.string({ maxLength: 200 }) }),
    required: ['type', 'callId', 'text'],
    bad: { callId: invalid.uuid, text: invalid.text(20_000) },
  },
  'tag/add': {
    valid: (ids) =>
      fc.record(
        { type: fc.constant('tag/add'), eventId: uuid, at, callId: ids.callId, tag: fc.constantFrom(...defaultPolicy.tags), text: word(200) },
        { requiredKeys: ['type', 'eventId', 'at', 'callId', 'tag'] },
      ),
    required: ['type', 'eventId', 'at', 'callId', 'tag'],
    bad: { eventId: invalid.uuid, at: invalid.at, callId: invalid.uuid, tag: invalid.text(40, true).filter((v) => v !== '   ' && v !== '\n\t '), text: invalid.text(280) },
  },
  'tag/update': {
    valid: (ids) => fc.record({ type: fc.constant('tag/update'), id: ids.tagId, text: word(200) }),
    required: ['type', 'id', 'text'],
    bad: { id: invalid.uuid, text: invalid.text(280) },
  },
  'checklist/save': {
    valid: (ids) => fc.record({ type: fc.constant('checklist/save'), callId: ids.callId, fields: fieldsArb, complete: fc.constant(false) }),
    required: ['type', 'callId', 'fields', 'complete'],
    bad: { callId: invalid.uuid, fields: invalid.object, complete: invalid.bool },
  },
  'ai-draft/save': {
    valid: (ids) => fc.record({ type: fc.constant('ai-draft/save'), callId: ids.callId, source: word(60), text: word(500) }),
    required: ['type', 'callId', 'source', 'text'],
    bad: { callId: invalid.uuid, source: invalid.text(60, true), text: invalid.text(50_000, true) },
  },
  'ai-draft/mark': {
    valid: (ids) => fc.record({ type: fc.constant('ai-draft/mark'), callId: ids.callId, statementId: ids.statementId, mark: fc.constantFrom('correct', 'wrong', null) }),
    required: ['type', 'callId', 'statementId', 'mark'],
    bad: { callId: invalid.uuid, statementId: fc.oneof(notString, fc.constant(''), tooLong(40)), mark: invalid.nullableEnum(['correct', 'wrong']) },
  },
  'concern/raise': {
    valid: (ids) =>
      fc.record(
        { type: fc.constant('concern/raise'), eventId: uuid, category: fc.constantFrom(...concernCategories), text: word(500), anonymous: fc.boolean(), callId: ids.callId, statementId: ids.statementId },
        { requiredKeys: ['type', 'eventId', 'category', 'text', 'anonymous', 'callId'] },
      ),
    required: ['type', 'eventId', 'category', 'text', 'anonymous'],
    bad: { eventId: invalid.uuid, category: invalid.enum(concernCategories), text: invalid.text(5_000, true), anonymous: invalid.bool, callId: invalid.uuid },
  },
  'concern/status': {
    valid: (ids) => fc.record({ type: fc.constant('concern/status'), id: ids.concernId, status: fc.constantFrom('open', 'acknowledged', 'resolved') }),
    required: ['type', 'id', 'status'],
    bad: { id: invalid.uuid, status: invalid.enum(['open', 'acknowledged', 'resolved']) },
  },
  'export/request': {
    valid: () =>
      fc.record({
        type: fc.constant('export/request'), what: fc.constantFrom(...EXPORT_KINDS), purpose: fc.constant('performance'),
        approval: fc.record({ role: word(60), reference: word(100) }),
      }),
    required: ['type', 'what'],
    bad: { what: invalid.enum(EXPORT_KINDS), purpose: invalid.enum(['coaching', 'performance']), approval: invalid.object, approvalCode: invalid.text(200, true) },
  },
  'org/enroll': {
    valid: () => fc.record({ type: fc.constant('org/enroll'), code: word(60) }, { requiredKeys: ['type'] }),
    required: ['type'],
    bad: { code: fc.oneof(notString, tooLong(200)) },
  },
  'data/import': {
    valid: () => fc.constant({ type: 'data/import', text: JSON.stringify({ format: 'candor-backup/1', tables: { notes: [] } }) }),
    required: ['type', 'text'],
    bad: { text: notString },
  },
  'data/delete-all': {
    valid: () => fc.constant({ type: 'data/delete-all', confirm: 'DELETE' }),
    required: ['type', 'confirm'],
    bad: { confirm: invalid.deleteWord },
  },
  'policy/save': {
    valid: () => fc.constant({ type: 'policy/save', policy: { purposeStatement: 'Coaching only.' } }),
    required: ['type', 'policy'],
    bad: { policy: invalid.record },
  },
  'ledger/verify': {
    valid: () => fc.constant({ type: 'ledger/verify' }),
    required: ['type'],
    bad: {},
  },
  'audit/report': {
    valid: () => fc.tuple(at, fc.integer({ min: 0, max: 400 * 86_400_000 })).map(([from, span]) => ({ type: 'audit/report', period: { from, to: from + span } })),
    required: ['type', 'period'],
    bad: {
      period: fc.oneof(
        notObject,
        fc.constantFrom({ from: 2, to: 1 }, { from: 0 }, { to: 0 }, { from: '0', to: 1 }, { from: 0, to: 1, extra: true }, { from: Number.NEGATIVE_INFINITY, to: 0 }, { from: 0, to: Number.NaN }),
      ),
    },
  },
};
/** Every type the schema accepts, read from the schema itself. */
const ALL_TYPES = requestSchema.options.map((o) => (o.shape.type as unknown as { value: RequestType }).value);
const TYPES = (Object.keys(SPECS) as RequestType[]).filter((t) => ALL_TYPES.includes(t));
const spec = (type: RequestType): Spec =>
  SPECS[type] ?? { valid: () => fc.constant({ type }), required: ['type'], bad: {} };

/** Keys a message may not carry: prototype-pollution names first, then anything else. */
const extraKey = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'then', 'pageTitle', 'Type', ' type') },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constant('k'.repeat(5_000)) },
);

/** Sets an own, enumerable property, even for "__proto__" (as JSON.parse and structured clone do). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

type Mutation =
  | { kind: 'drop'; key: string }
  | { kind: 'bad'; key: string; value: unknown }
  | { kind: 'extra'; key: string; value: unknown }
  | { kind: 'type'; value: unknown };

const mutationFor = (type: RequestType): fc.Arbitrary<Mutation> => {
  const { required, bad } = spec(type);
  const badKeys = Object.keys(bad);
  return fc.oneof(
    fc.constantFrom(...required).map((key): Mutation => ({ kind: 'drop', key })),
    ...(badKeys.length ? [fc.constantFrom(...badKeys).chain((key) => bad[key]!.map((value): Mutation => ({ kind: 'bad', key, value })))] : []),
    fc.tuple(extraKey, smallJson).map(([key, value]): Mutation => ({ kind: 'extra', key, value })),
    fc.oneof(notString, fc.string().filter((t) => !ALL_TYPES.includes(t as RequestType)), fc.constantFrom(...ALL_TYPES).map((t) => t.toUpperCase())).map((value): Mutation => ({ kind: 'type', value })),
  );
};

/** A message of a valid type, aimed at the seeded records, with 1–3 mutations that each make it invalid. */
const seededIds = (): Ids => ({
  callId: fc.constant(seed.callId),
  tagId: fc.constant(seed.tagId),
  concernId: fc.constant(seed.concernId),
  statementId: fc.constant('s1'),
});
const mutatedMessage = () =>
  fc.constantFrom(...ALL_TYPES).chain((type) =>
    fc.tuple(spec(type).valid(seededIds()), fc.array(mutationFor(type), { minLength: 1, maxLength: 3 })).map(([valid, mutations]) => {
      const msg: Record<string, unknown> = { ...valid };
      for (const m of mutations) {
        if (m.kind === 'drop') delete msg[m.key];
        else if (m.kind === 'bad') msg[m.key] = m.value;
        else if (m.kind === 'type') msg.type = m.value;
        else if (m.key in spec(type).bad || m.key === 'type' || Object.prototype.hasOwnProperty.call(valid, m.key)) msg.__extra__ = m.value;
        else setOwn(msg, m.key, m.value);
      }
      return { type, mutations, msg };
    }),
  );

async function expectParseRefusalAndNoWrites(msg: unknown, sender: SenderInfo) {
  let reply: unknown;
  try {
    reply = await send(msg, sender);
  } catch (error) {
    throw new Error(`routeMessage threw instead of replying: ${String(error)}`);
  }
  expectReadableRefusal(reply);
  // The sentence is general (the sender is at fault, not a person); what the schema said is under Details.
  expect((reply as { detail?: string }).detail).toMatch(new RegExp(`^${INVALID_DETAIL}\\S`));
  expect(await dump()).toEqual(snapshot);
}

// ---- properties ------------------------------------------------------------------------------------

describe('arbitrary values sent to routeMessage', () => {
  it('any JSON value from any sender is refused readably and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), anySender, async (value, [, sender]) => {
        await expectParseRefusalAndNoWrites(value, sender);
      }),
      { numRuns: 100 },
    );
  });

  it('objects with a valid type and broken fields (wrong types, missing, extra, prototype keys, huge strings) are refused and write nothing', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedMessage(), anySender, async ({ msg }, [, sender]) => {
        await expectParseRefusalAndNoWrites(msg, sender);
      }),
      { numRuns: 150 },
    );
  });

  it('the same broken objects as they arrive over the wire (JSON round trip, "__proto__" as an own key)', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedMessage(), anySender, async ({ msg }, [, sender]) => {
        const wire = JSON.parse(JSON.stringify(msg)) as unknown;
        await expectParseRefusalAndNoWrites(wire, sender);
      }),
      { numRuns: RUNS },
    );
  });

  it('prototype-pollution keys never reach a handler nor pollute Object.prototype', async () => {
    const valid = { type: 'note/save', callId: seed.callId, text: 'overwritten?' };
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const wire = JSON.parse(JSON.stringify(valid).replace('{', `{"${key}":{"polluted":true,"text":"evil"},`)) as unknown;
      await expectParseRefusalAndNoWrites(wire, popup);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await db.notes.get(seed.callId))?.text).toBe('Asked about pricing tiers.');
  });

  it('a message wrapped the wrong way (an array of it, its JSON text) is refused', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ALL_TYPES).chain((type) => spec(type).valid(seededIds())),
        fc.constantFrom('array', 'json-text', 'nested') as fc.Arbitrary<'array' | 'json-text' | 'nested'>,
        anySender,
        async (msg, wrap, [, sender]) => {
          const wrapped = wrap === 'array' ? [msg] : wrap === 'json-text' ? JSON.stringify(msg) : { type: msg.type, message: msg };
          await expectParseRefusalAndNoWrites(wrapped, sender);
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('well-formed messages that cannot apply are refused readably and write nothing', () => {
  /** Which sender each type is accepted from (tag/add: both). */
  // 'call-tab': the call page (its content script, or, for the rep's choices, its prompt frame: `send`
  // routes those through the tab's attached prompt as the browser does). A decision may also come
  // from the toolbar popup, so from any of the tests' own senders.
  const accepted: { [T in RequestType]?: 'call-tab' | 'extension-page' | 'any' } = {
    'call/observed': 'call-tab', 'call/decide': 'any', 'call/prompt-shown': 'call-tab', 'call/recording': 'call-tab', 'call/late-joiner': 'call-tab',
    'note/save': 'extension-page', 'tag/add': 'any', 'tag/update': 'extension-page', 'checklist/save': 'extension-page', 'ai-draft/save': 'extension-page',
    'ai-draft/mark': 'extension-page', 'concern/raise': 'extension-page', 'concern/status': 'extension-page', 'export/request': 'extension-page',
    'data/import': 'extension-page', 'data/delete-all': 'extension-page', 'policy/save': 'extension-page', 'ledger/verify': 'extension-page',
    'sync/status': 'extension-page', 'sync/retry': 'extension-page', 'audit/report': 'extension-page', 'ledger/anchor': 'extension-page',
    'org/enroll': 'extension-page', 'org/leave': 'extension-page', 'org/status': 'extension-page', 'org/checkpoint': 'extension-page', 'concern/refresh': 'extension-page',
  };
  const unknownIds = (): Ids => ({ callId: uuid, tagId: uuid, concernId: uuid, statementId: fc.constantFrom('s1', 's2', 's99') });
  /** Types whose valid form names a record; with an unknown id they must be refused. */
  const aboutARecord: RequestType[] = [
    'call/decide', 'call/prompt-shown', 'call/recording', 'call/late-joiner', 'note/save', 'tag/add', 'tag/update',
    'checklist/save', 'ai-draft/save', 'ai-draft/mark', 'concern/raise', 'concern/status',
  ];

  it('about a call, tag, concern or statement that does not exist, from a sender that may send it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...aboutARecord).chain((type) => fc.tuple(fc.constant(type), spec(type).valid(unknownIds()))),
        async ([type, msg]) => {
          const sender = accepted[type] === 'extension-page' ? popup : tab(1);
          const reply = await send(msg, sender);
          const error = expectReadableRefusal(reply);
          expect((reply as { detail?: string }).detail ?? '').not.toMatch(new RegExp(`^${INVALID_DETAIL}`));
          expect(error).toMatch(/not known|no longer exists|admitted|never recorded/);
          expect(await dump()).toEqual(snapshot);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('about the real call, but from a sender that may not send it (incl. delete-all and exports from a call tab)', async () => {
    const wrongSenders = (type: RequestType): SenderInfo[] => {
      const neither = SENDERS.slice(4).map(([, x]) => x);
      if (accepted[type] === 'any') return neither;
      return accepted[type] === 'call-tab' ? [...neither, popup, SENDERS[3]![1]] : [...neither, tab(1), tab(2)];
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TYPES.filter((t) => accepted[t])).chain((type) => fc.tuple(fc.constant(type), spec(type).valid(seededIds()), fc.constantFrom(...wrongSenders(type)))),
        async ([type, msg, sender]) => {
          const reply = await send(msg, sender);
          expect(expectReadableRefusal(reply)).toBe('Candor does not accept this request from here, so nothing was changed.');
          expect((reply as { detail?: string }).detail).toBe(`"${type}" is not accepted from this sender.`);
          expect(await dump()).toEqual(snapshot);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('sanity: the generators make messages that do apply to the seeded records', async () => {
    // Guards the properties above: if the "valid" arbitraries were not valid, the refusals would prove nothing.
    const [decide] = fc.sample(decideArb(seededIds()), { numRuns: 1, seed: 7 });
    // The seeded call was agreed: a withdrawal is the change it allows.
    ok(await send({ ...decide, at: now, outcome: 'withdrawn', reason: undefined, category: undefined }, tab(1)));
    for (const type of ['note/save', 'tag/update', 'ai-draft/mark', 'concern/status', 'checklist/save', 'ai-draft/save'] as const) {
      const [msg] = fc.sample(spec(type).valid(seededIds()), { numRuns: 1, seed: 11 });
      ok(await send(msg, popup));
    }
    expect(await dump()).not.toEqual(snapshot);
  });
});

describe('values only structured clone can carry (Firefox messaging) never make routeMessage throw', () => {
  // Firefox passes runtime messages by structured clone, not JSON: BigInt and cycles arrive intact.
  // The background does `void routeMessage(...).then(sendResponse)`: a rejection means no reply at
  // all, an unhandled rejection in the worker, and a sender that keeps retrying until its deadline.
  it.each([
    ['a BigInt type', () => ({ type: 10n })],
    ['a cyclic object as type', () => { const t: Record<string, unknown> = {}; t.self = t; return { type: t }; }],
    ['a BigInt field', () => ({ type: 'note/save', callId: 10n, text: 'x' })],
    ['a Map, a Date, a null-prototype object', () => ({ type: new Map([['a', 1]]), at: new Date(0), x: Object.create(null) as unknown })],
  ])('%s', async (_, make) => {
    let reply: unknown;
    await expect((async () => { reply = await send(make(), popup); })()).resolves.toBeUndefined();
    expectReadableRefusal(reply);
    expect(await dump()).toEqual(snapshot);
  });
});

describe('refusals stay short', () => {
  // The refusal is shown and logged; echoing untrusted input of any length makes it unreadable.
  it('a huge unknown type or a huge unknown key is not echoed back in full', async () => {
    for (const msg of [
      { type: `call/${'x'.repeat(100_000)}` },
      { type: 'note/save', callId: seed.callId, text: 'hi', ['k'.repeat(100_000)]: 1 },
    ]) {
      const error = expectReadableRefusal(await send(msg, popup));
      expect.soft(error.length, error.slice(0, 80)).toBeLessThan(1_000);
    }
    expect(await dump()).toEqual(snapshot);
  });
});
