/**
 * Verifies a Candor ledger export without the extension:
 *   npx tsx scripts/verify-ledger.ts <export.json> [--expect-count N] [--expect-last-hash HEX] [--anchor <receipt.json>]
 *     [--checkpoint <checkpoint.json> --public-key <key or file>]
 *
 * Exit codes: 0 intact (and as every anchor given says); 1 broken, or not as an anchor says (the
 * first entry that disagrees and why); 2 the file or an anchor cannot be checked (missing argument,
 * unreadable file, not strict JSON — see docs/ledger.md —, not a Candor ledger export, a malformed
 * anchor, a checkpoint whose
 * signature does not verify with the key given).
 * Anchors (docs/ledger.md, "Anchors") catch what the chain alone cannot: entries removed from or
 * added at the end, and a chain rewritten with every hash recomputed.
 * --expect-count / --expect-last-hash: the chain's end (the hash in full, or its first 16+ hex characters).
 * --anchor: a receipt from the options page ("Download anchor receipt"): the export must end at its seq and hash.
 * --checkpoint + --public-key: a checkpoint the organisation's witness signed, checked offline with
 *   the witness's Ed25519 public key; the export must hold that seq with that hash (it may go on).
 */
import { existsSync, readFileSync } from 'node:fs';
import { anchorReceiptSchema, checkAnchor, parseHashAnchor, type Anchor, type AnchorCheck } from '../lib/ledger/anchor';
import { checkpointSchema, fromBase64url, verifyCheckpoint, witnessKeyId, type WitnessPublicKey } from '../lib/ledger/checkpoint';
import { NOT_AN_EXPORT, verifyExport } from '../lib/ledger/export';
import { parseStrictJson, StrictJsonError } from '../lib/ledger/strict-json';
import type { ChainRecord, Checkpoint, VerifyOptions } from '../lib/ledger/chain';

const USAGE =
  'usage: npx tsx scripts/verify-ledger.ts <export.json> [--expect-count N] [--expect-last-hash HEX] [--anchor <receipt.json>] ' +
  '[--checkpoint <checkpoint.json> --public-key <key or file>]';

function cannotCheck(message: string): never {
  console.error(message);
  process.exit(2);
}

interface Args {
  file: string;
  options: VerifyOptions;
  lastHash?: string;
  anchor?: string;
  checkpoint?: string;
  publicKey?: string;
}

function parseArgs(argv: string[]): Args {
  const options: VerifyOptions = {};
  const args: Partial<Args> = {};
  const value = (i: number, flag: string) => {
    const v = argv[i];
    if (v === undefined || v.startsWith('--')) cannotCheck(`${flag} needs a value\n${USAGE}`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--expect-count') {
      const n = Number(value(++i, arg));
      if (!Number.isSafeInteger(n) || n < 0) cannotCheck(`--expect-count needs a whole number\n${USAGE}`);
      options.expected = { count: n };
    } else if (arg === '--expect-last-hash') {
      const parsed = parseHashAnchor(value(++i, arg));
      if (!parsed.ok) cannotCheck(`--expect-last-hash: ${parsed.error}\n${USAGE}`);
      args.lastHash = parsed.hash;
    } else if (arg === '--anchor') args.anchor = value(++i, arg);
    else if (arg === '--checkpoint') args.checkpoint = value(++i, arg);
    else if (arg === '--public-key') args.publicKey = value(++i, arg);
    else if (arg.startsWith('--')) cannotCheck(`unknown option ${arg}\n${USAGE}`);
    else if (args.file === undefined) args.file = arg;
    else cannotCheck(`only one file can be verified at a time\n${USAGE}`);
  }
  if (args.file === undefined) cannotCheck(USAGE);
  if (!!args.checkpoint !== !!args.publicKey) cannotCheck(`--checkpoint and --public-key go together: a checkpoint is checked with the witness's public key\n${USAGE}`);
  return { ...args, file: args.file, options };
}

// Strict reading (docs/ledger.md, Reading the file): no duplicate keys, BOM, invalid UTF-8 or unsafe numbers.
function readJson(path: string, what: string): unknown {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    cannotCheck(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
  try {
    return parseStrictJson(bytes);
  } catch (error) {
    if (!(error instanceof StrictJsonError)) throw error;
    cannotCheck(`${path}: ${error.message}`);
  }
}

/** The witness key(s): a base64url key, or a file holding one, a `{ publicKey }`, a `{ witnessKeys }` or a list of keys. */
async function publicKeys(arg: string): Promise<WitnessPublicKey[]> {
  const text = existsSync(arg) ? readFileSync(arg, 'utf8').trim() : arg.trim();
  let listed: unknown[];
  if (text.startsWith('{') || text.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      cannotCheck(`--public-key ${arg} is not valid JSON: ${(error as Error).message}`);
    }
    const o = json as { publicKey?: unknown; witnessKeys?: unknown };
    listed = Array.isArray(json) ? json : Array.isArray(o.witnessKeys) ? o.witnessKeys : [o];
  } else listed = [{ publicKey: text }];
  const keys: WitnessPublicKey[] = [];
  for (const k of listed) {
    const publicKey = (k as { publicKey?: unknown } | null)?.publicKey;
    let raw: Uint8Array | null = null;
    try {
      raw = typeof publicKey === 'string' ? fromBase64url(publicKey) : null;
    } catch {
      raw = null;
    }
    if (!raw || raw.length !== 32) cannotCheck(`--public-key: ${typeof publicKey === 'string' ? `"${publicKey.slice(0, 60)}"` : 'the value'} is not an Ed25519 public key (32 bytes, base64url)`);
    keys.push({ keyId: await witnessKeyId(raw), publicKey: publicKey as string });
  }
  return keys;
}

const args = parseArgs(process.argv.slice(2));
const json = readJson(args.file, 'the export');
const result = await verifyExport(json, args.options);
if (!result.intact) {
  const { index, seq, reason } = result.brokenAt;
  // Index −1 means the problem is not at any entry: the file is not a valid export at all, or the
  // checkpoint is malformed. Not being a ledger export cannot be called "broken".
  if (index === -1 && reason.startsWith(NOT_AN_EXPORT)) cannotCheck(`${args.file}: ${reason}`);
  console.log(index === -1 ? `BROKEN: ${reason}` : `BROKEN at entry #${index} (seq ${seq ?? 'none'}): ${reason}`);
  process.exit(1);
}

// The chain holds: now where it stands against each anchor given.
const exported = json as { checkpoint: Checkpoint | null; records: ChainRecord<{ rep?: unknown }>[] };
const rep = exported.records.find((r) => typeof r.entry?.rep === 'string')?.entry.rep as string | undefined;
const lines = [`intact: ${result.count} entries, last hash ${result.lastHash}`];
const check = (anchor: Anchor, mode: 'head' | 'contains'): void => {
  const verdict: AnchorCheck = checkAnchor(exported.records, exported.checkpoint, anchor, mode);
  if (verdict.ok) return;
  if ('uncheckable' in verdict) cannotCheck(`${args.file}: ${verdict.uncheckable}`);
  const { index, seq, reason } = verdict.brokenAt;
  console.log(index === -1 ? `BROKEN: ${reason}` : `BROKEN at entry #${index} (seq ${seq ?? 'none'}): ${reason}`);
  process.exit(1);
};
const sameRep = (other: string, what: string) => {
  if (rep !== undefined && other !== rep) cannotCheck(`${what} is about ${other.slice(0, 60)}, but this export is the ledger of ${rep.slice(0, 60)}`);
};

if (args.lastHash) {
  // No extra line: the published test vectors fix the output of --expect-* (docs/ledger-vectors/).
  check({ hash: args.lastHash, name: 'the expected last hash' }, 'head');
}
if (args.anchor) {
  const parsed = anchorReceiptSchema.safeParse(readJson(args.anchor, 'the anchor receipt'));
  if (!parsed.success) cannotCheck(`${args.anchor} is not a Candor anchor receipt: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')}`);
  sameRep(parsed.data.rep, `the anchor receipt ${args.anchor}`);
  check({ seq: parsed.data.seq, hash: parsed.data.hash, name: `the anchor receipt taken ${parsed.data.at}` }, 'head');
  lines.push(`matches the anchor receipt: ends at seq ${parsed.data.seq}, hash ${parsed.data.hash}`);
}
if (args.checkpoint && args.publicKey) {
  const raw = readJson(args.checkpoint, 'the checkpoint') as { checkpoint?: unknown } | null;
  // The checkpoint itself, or the service's answer around it ({ checkpoint, witnessKeys }).
  const candidate = raw && typeof raw === 'object' && 'checkpoint' in raw ? raw.checkpoint : raw;
  const cp = checkpointSchema.safeParse(candidate);
  if (!cp.success) cannotCheck(`${args.checkpoint} is not a Candor checkpoint: ${cp.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')}`);
  const verdict = await verifyCheckpoint(cp.data, await publicKeys(args.publicKey));
  if (!verdict.ok) cannotCheck(`the checkpoint ${args.checkpoint} does not verify with the public key given: ${verdict.reason}`);
  sameRep(cp.data.rep, `the checkpoint ${args.checkpoint}`);
  check({ seq: cp.data.seq, hash: cp.data.hash, name: `the checkpoint signed ${cp.data.at}` }, 'contains');
  lines.push(`witnessed: seq ${cp.data.seq} with hash ${cp.data.hash}, signed by key ${cp.data.keyId} at ${cp.data.at}, is in this export`);
}
console.log(lines.join('\n'));
process.exit(0);
