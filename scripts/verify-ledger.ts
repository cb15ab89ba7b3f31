/**
 * Verifies a Candor ledger export without the extension:
 *   npx tsx scripts/verify-ledger.ts <export.json> [--expect-count N] [--expect-last-hash HEX]
 *
 * Exit codes: 0 intact; 1 broken (the first broken entry and why); 2 the file cannot be checked
 * (missing argument, unreadable file, not strict JSON — see docs/ledger.md —, not a Candor ledger export).
 * --expect-count / --expect-last-hash compare the chain's end with an anchor kept elsewhere: only
 * with one can entries removed from the end be detected (see docs/ledger.md).
 */
import { readFileSync } from 'node:fs';
import { NOT_AN_EXPORT, verifyExport } from '../lib/ledger/export';
import { parseStrictJson, StrictJsonError } from '../lib/ledger/strict-json';
import type { VerifyOptions } from '../lib/ledger/chain';

const USAGE = 'usage: npx tsx scripts/verify-ledger.ts <export.json> [--expect-count N] [--expect-last-hash HEX]';

function cannotCheck(message: string): never {
  console.error(message);
  process.exit(2);
}

function parseArgs(argv: string[]): { file: string; options: VerifyOptions } {
  const options: VerifyOptions = {};
  const expected: NonNullable<VerifyOptions['expected']> = {};
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--expect-count') {
      const n = Number(argv[++i]);
      if (!Number.isSafeInteger(n) || n < 0) cannotCheck(`--expect-count needs a whole number\n${USAGE}`);
      expected.count = n;
    } else if (arg === '--expect-last-hash') {
      const hash = argv[++i] ?? '';
      if (!/^[0-9a-f]{64}$/.test(hash)) cannotCheck(`--expect-last-hash needs 64 lowercase hex characters\n${USAGE}`);
      expected.lastHash = hash;
    } else if (arg.startsWith('--')) cannotCheck(`unknown option ${arg}\n${USAGE}`);
    else if (file === undefined) file = arg;
    else cannotCheck(`only one file can be verified at a time\n${USAGE}`);
  }
  if (file === undefined) cannotCheck(USAGE);
  if (expected.count !== undefined || expected.lastHash !== undefined) options.expected = expected;
  return { file, options };
}

const { file, options } = parseArgs(process.argv.slice(2));

let bytes: Uint8Array;
try {
  bytes = readFileSync(file);
} catch (error) {
  cannotCheck(`cannot read ${file}: ${(error as Error).message}`);
}

// Strict reading (docs/ledger.md, Reading the file): no duplicate keys, BOM, invalid UTF-8 or unsafe numbers.
let json: unknown;
try {
  json = parseStrictJson(bytes);
} catch (error) {
  if (!(error instanceof StrictJsonError)) throw error;
  cannotCheck(`${file}: ${error.message}`);
}

const result = await verifyExport(json, options);
if (result.intact) {
  console.log(`intact: ${result.count} entries, last hash ${result.lastHash}`);
  process.exit(0);
}
const { index, seq, reason } = result.brokenAt;
// Index −1 means the problem is not at any entry: the file is not a valid export at all, or the
// checkpoint is malformed. Not being a ledger export cannot be called "broken".
if (index === -1 && reason.startsWith(NOT_AN_EXPORT)) cannotCheck(`${file}: ${reason}`);
console.log(index === -1 ? `BROKEN: ${reason}` : `BROKEN at entry #${index} (seq ${seq ?? 'none'}): ${reason}`);
process.exit(1);
