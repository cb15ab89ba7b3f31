import { browser } from 'wxt/browser';

import { allLedgerRecords, ledgerCheckpoint, storedLedger } from '../db/ledger-store';
import { LEDGER_BLOCK_SIZE, sealBlock, verifyStoredLedger } from '../ledger/blocks';
import { appendRecord, GENESIS_HASH, type Checkpoint } from '../ledger/chain';
import type { LedgerEntry, LedgerEventType } from '../ledger/entry';
import { buildExport } from '../ledger/export';
import { ANCHOR_FORMAT, type AnchorReceipt } from '../ledger/anchor';
import type { LedgerCheck } from '../protocol/replies';
import { checkAgainstWitness, latestCheckpoint, witnessedView } from './witness';
import { promptTexts } from '../policy/resolve';
import { outboxRow, syncEnabled } from '../sync/payload';
import { sha256Hex } from '../util/hash';
import type { Services } from './services';
import type { CallEvent, CallRecord, LedgerCheckKind, LedgerRecord } from '../model';

/** Event types that are consent records and go into the tamper-evident ledger. */
export const LEDGERED_EVENTS = new Set<CallEvent['type']>([
  'prompt-shown', 'decision', 'recording-before-consent', 'recording-after-decline', 'recording-stopped', 'late-joiner',
]);
const REP_KEY = 'repId';
const BATCH = 500;

/** The notice the rep was shown (hash of the exact script text, its language, the policy version). */
export async function currentNotice(s: Services): Promise<{ textHash: string; language: string; version: string }> {
  const { policy } = await s.policy();
  const texts = promptTexts(policy, s.uiLanguage());
  return { textHash: await sha256Hex(texts.consentScript), language: texts.language, version: policy.policyVersion };
}

/** A pseudonymous, install-scoped rep id: the ledger proves who asked without naming them. */
export async function repId(s: Services): Promise<string> {
  const existing = await s.db.meta.get(REP_KEY);
  if (typeof existing?.value === 'string') return existing.value;
  const id = `rep-${crypto.randomUUID()}`;
  await s.db.meta.put({ key: REP_KEY, value: id });
  return id;
}

function ledgerType(e: CallEvent): LedgerEventType | null {
  switch (e.type) {
    case 'prompt-shown':
      return 'asked';
    case 'decision':
      return (e.data.outcome as LedgerEventType) ?? null;
    case 'late-joiner':
      return `late-joiner-${e.data.answer as 'agreed' | 'declined' | 'dismissed'}`;
    case 'recording-before-consent':
    case 'recording-after-decline':
    case 'recording-stopped':
      return e.type;
    default:
      return null;
  }
}

function toEntry(e: CallEvent, call: CallRecord, rep: string, fallbackNotice: LedgerEntry['notice'], extensionVersion: string): LedgerEntry | null {
  const type = ledgerType(e);
  if (!type) return null;
  const d = e.data;
  const category = (d.category as string | undefined) ?? call.category ?? null;
  const recordingEvent = type.startsWith('recording-');
  const details: Record<string, string | number | boolean | null> = {};
  if (Array.isArray(d.sources)) details.sources = (d.sources as string[]).join(',');
  if (typeof d.durationMs === 'number') details.durationMs = Math.round(d.durationMs);
  if (typeof d.afterDecline === 'boolean') details.afterDecline = d.afterDecline;
  if (typeof d.joined === 'number') details.joined = d.joined;
  if (typeof d.previous === 'string') details.previous = d.previous;
  // A changed decision names the entry it supersedes (its eventId) and the kind of change.
  if (typeof d.supersedes === 'string') details.supersedes = d.supersedes;
  if (typeof d.change === 'string') details.change = d.change;
  if (typeof d.via === 'string') details.via = d.via;
  return {
    v: 1,
    type,
    at: new Date(e.at).toISOString(),
    eventId: e.id,
    callId: call.id,
    platform: call.platform,
    meetingRef: call.meetingHash,
    rep,
    asked: {
      scope: recordingEvent ? 'none' : type.startsWith('late-joiner') ? 'newcomers' : 'all-present',
      audience: category === 'internal' ? 'internal' : category === 'external-prospect' || category === 'customer' ? 'external' : 'unknown',
    },
    notice: (d.notice as LedgerEntry['notice'] | undefined) ?? fallbackNotice,
    purposes: ['recording', 'transcript', 'ai-summary'],
    method: recordingEvent ? 'platform-indicator' : d.reason === 'never-record-rule' ? 'rule' : 'read-aloud-attested',
    outcome: type === 'asked' || recordingEvent ? (call.outcome ?? null) : ((d.outcome as string | undefined) ?? (d.answer as string | undefined) ?? null),
    reason: (d.reason as string | undefined) ?? null,
    category,
    rule: (d.rule as string | undefined) ?? call.rule ?? null,
    policyVersion: (d.policyVersion as string | undefined) ?? fallbackNotice.version,
    extensionVersion,
    details,
  };
}

/** The newest stored entry: the newest unsealed record, else the newest block's last entry. */
async function storedHead(s: Services): Promise<{ seq: number; hash: string; at: string } | null> {
  const last = await s.db.ledger.orderBy('seq').last();
  if (last) return { seq: last.seq, hash: last.hash, at: typeof last.entry.at === 'string' ? last.entry.at : new Date(last.at).toISOString() };
  const block = await s.db.ledgerBlocks.orderBy('first').last();
  return block ? { seq: block.last, hash: block.lastHash, at: new Date(block.lastAt).toISOString() } : null;
}

/** The head with the time of its entry (null after a purge of everything, or for an empty ledger). */
export async function headWithTime(s: Services): Promise<{ seq: number; hash: string; at: string | null }> {
  const stored = await storedHead(s);
  if (stored) return stored;
  const checkpoint = await ledgerCheckpoint(s.db);
  return { seq: checkpoint?.seq ?? 0, hash: checkpoint?.hash ?? GENESIS_HASH, at: null };
}

/** The chain's head: the newest stored entry, else the retention checkpoint. */
export async function head(s: Services): Promise<Checkpoint | null> {
  const stored = await storedHead(s);
  return stored ? { seq: stored.seq, hash: stored.hash } : ledgerCheckpoint(s.db);
}

/**
 * Appends pending consent events to the hash chain. Hashes are computed outside the transaction
 * (WebCrypto is async); the transaction then checks the chain head did not move, adds the records
 * and marks the events, all at once. A worker killed midway leaves the events pending: they are
 * appended on the next flush, exactly once.
 */
async function flushOnce(s: Services): Promise<number> {
  const { db } = s;
  const pending = (await db.events.where('chain').equals(0).limit(BATCH).toArray()).sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
  if (pending.length === 0) return 0;
  const calls = new Map((await db.calls.bulkGet([...new Set(pending.map((e) => e.callId))])).filter((c): c is CallRecord => !!c).map((c) => [c.id, c]));
  const [rep, notice, start] = [await repId(s), await currentNotice(s), await head(s)];
  const syncOn = syncEnabled((await s.policy()).policy);
  const version = browser.runtime.getManifest().version;
  let prev = start;
  const records: LedgerRecord[] = [];
  for (const e of pending) {
    const call = calls.get(e.callId);
    const entry = call ? toEntry(e, call, rep, notice, version) : null;
    if (!entry) continue;
    const record = await appendRecord(prev, entry);
    records.push({ ...record, at: e.at });
    prev = { seq: record.seq, hash: record.hash };
  }
  await db.transaction('rw', db.ledger, db.ledgerBlocks, db.events, db.meta, db.outbox, async () => {
    const now = await head(s);
    if (now?.seq !== start?.seq || now?.hash !== start?.hash) throw new Error('ledger head moved; retrying');
    if (records.length) await db.ledger.bulkAdd(records);
    // Org sync: each consent record is queued in the transaction that writes it (docs/sync.md).
    if (records.length && syncOn) await db.outbox.bulkAdd(records.map((r) => outboxRow('consent', r, s.now())));
    for (const e of pending) await db.events.update(e.id, { chain: undefined });
  });
  return pending.length;
}

/**
 * Seals the oldest LEDGER_BLOCK_SIZE unsealed records into a block (lib/ledger/blocks.ts) when
 * that many are waiting. The records are verified from their own first link (the link to the
 * previous block is checked by every verification); the block replaces them in one transaction,
 * and only if they are still exactly those records. Returns whether a block was sealed.
 */
async function sealOnce(s: Services): Promise<boolean> {
  const { db } = s;
  const records = await db.ledger.orderBy('seq').limit(LEDGER_BLOCK_SIZE).toArray();
  if (records.length < LEDGER_BLOCK_SIZE) return false;
  const first = records[0]!;
  const block = await sealBlock(records, { seq: first.seq - 1, hash: first.prevHash }, (_, i) => records[i]!.at);
  await db.transaction('rw', db.ledger, db.ledgerBlocks, async () => {
    const range = db.ledger.where('seq').between(block.first, block.last, true, true);
    const [oldest, inRange] = await Promise.all([db.ledger.orderBy('seq').first(), range.count()]);
    if (oldest?.seq !== block.first || inRange !== records.length) throw new Error('ledger changed while sealing; retrying');
    await db.ledgerBlocks.add(block);
    await range.delete();
  });
  return true;
}

/** One writer per worker: flushes (append, then seal) run one after another, never concurrently. */
export function createLedgerWriter(s: Services) {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    flush(): Promise<unknown> {
      queue = queue.then(async () => {
        while ((await flushOnce(s)) > 0);
        while (await sealOnce(s));
      }).catch((error) => console.warn('Candor ledger flush will be retried:', error));
      return queue;
    },
  };
}

/**
 * Verifies the stored ledger: routinely by the blocks' seals plus the unsealed records in full;
 * `deep` re-hashes every entry (lib/ledger/blocks.ts says what each proves). Then, when the chain
 * holds, against every checkpoint the organisation's witness signed: the entry at each witnessed
 * seq must have the witnessed hash, which a rewrite or rollback of the local copy cannot keep.
 */
export async function verifyLedger(s: Services, options: { deep?: boolean } = {}): Promise<LedgerCheck> {
  const result = await verifyStoredLedger(storedLedger(s.db, await ledgerCheckpoint(s.db)), options);
  const check: LedgerCheckKind = options.deep ? 'every-entry' : 'seals-and-links';
  const latest = await latestCheckpoint(s.db);
  const witness = { checked: 0, latest: latest ? witnessedView(latest) : null };
  if (!result.intact) return { ...result, check, head: null, witness };
  const against = await checkAgainstWitness(s.db);
  witness.checked = against.checked;
  if (against.problem) return { intact: false, count: result.count, brokenAt: against.problem, check, head: null, witness };
  return { ...result, check, head: await headWithTime(s), witness };
}

/** The anchor receipt: the head, to keep outside the ledger (npm run verify-ledger -- --anchor <file>). */
export async function anchorReceipt(s: Services): Promise<{ filename: string; mime: string; content: string }> {
  const now = new Date(s.now());
  const { seq, hash, at } = await headWithTime(s);
  const receipt: AnchorReceipt = { format: ANCHOR_FORMAT, rep: await repId(s), seq, hash, entryAt: at, at: now.toISOString() };
  return { filename: `candor-anchor-${now.toISOString().slice(0, 10)}-seq${seq}.json`, mime: 'application/json', content: `${JSON.stringify(receipt, null, 2)}\n` };
}

export async function ledgerExportJson(s: Services): Promise<string> {
  const [records, checkpoint, top] = await Promise.all([allLedgerRecords(s.db), ledgerCheckpoint(s.db), headWithTime(s)]);
  return JSON.stringify(buildExport({ records, checkpoint, extensionVersion: browser.runtime.getManifest().version, exportedAt: new Date(s.now()), head: top }), null, 2);
}
