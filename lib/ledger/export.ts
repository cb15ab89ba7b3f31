import { z } from 'zod';
import { verifyChain, type BrokenAt, type ChainRecord, type Checkpoint, type VerifyOptions, type VerifyResult } from './chain';
import { chainEntrySchema, describeIssues } from './entry';

/**
 * The file a rep or an auditor receives: the stored records as they are, plus the checkpoint the
 * first of them continues from. It is self-contained, so it can be verified without Candor
 * (scripts/verify-ledger.ts, or any verifier written from docs/ledger.md).
 */

export const LEDGER_EXPORT_FORMAT = 'candor-ledger/1';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be 64 lowercase hex characters' });
const isoTime = z.iso.datetime({ error: 'must be an ISO 8601 UTC time' });

export const checkpointSchema = z.strictObject({
  seq: z.int().nonnegative(),
  hash: hex64,
});

export const ledgerRecordSchema = z.strictObject({
  seq: z.int().positive(),
  prevHash: hex64,
  hash: hex64,
  entry: chainEntrySchema,
});

/**
 * The ledger's head when the file was written: seq and hash of the last entry (0 and the genesis
 * hash for an empty ledger) and its time. Every export names it, so whoever holds any export holds
 * an anchor (docs/ledger.md, "Anchors"). Optional: files written before it existed have none.
 */
export const headSchema = z.strictObject({ seq: z.int().nonnegative(), hash: hex64, at: isoTime.nullable() });
export type ExportHead = z.infer<typeof headSchema>;

/** The envelope around the records; shared by the strict schema and the verifier's lenient one. */
const envelope = {
  format: z.literal(LEDGER_EXPORT_FORMAT, { error: `format must be "${LEDGER_EXPORT_FORMAT}"` }),
  exportedAt: isoTime,
  extensionVersion: z.string().min(1).max(32),
  checkpoint: checkpointSchema.nullable(),
  head: headSchema.optional(),
};

/** A well-formed export, as `buildExport` writes it from an intact ledger. */
export const ledgerExportSchema = z.strictObject({ ...envelope, records: z.array(ledgerRecordSchema) });
export type LedgerExport = z.infer<typeof ledgerExportSchema>;

/**
 * What `verifyExport` requires before looking at the chain: the envelope, and records that have
 * the four fields with JSON types. Their contents (seq order, hash format, entry validity) are
 * left to `verifyChain`, so a tampered record is reported as "entry #i is broken because …"
 * rather than as an unreadable file, and each entry is validated once, not twice.
 */
const exportEnvelopeSchema = z.strictObject({
  ...envelope,
  records: z.array(z.strictObject({ seq: z.number(), prevHash: z.string(), hash: z.string(), entry: z.unknown() })),
});

export interface BuildExportInput<E> {
  records: readonly ChainRecord<E>[];
  checkpoint: Checkpoint | null;
  extensionVersion: string;
  /** When the file is written (the caller's clock: exports are deterministic). */
  exportedAt: Date;
  /** The head as stored (its entry's time); omitted in files from before heads were written. */
  head?: ExportHead;
}

/**
 * The export document for the stored records, in seq order, ready for JSON.stringify. Records
 * are copied field by field (storage may add its own properties); entries are shared, not
 * copied. Nothing is re-validated: a damaged ledger is exported as it is, and the verifier says
 * where it breaks.
 */
export function buildExport<E>(input: BuildExportInput<E>): Omit<LedgerExport, 'records'> & { records: ChainRecord<E>[] } {
  return {
    format: LEDGER_EXPORT_FORMAT,
    exportedAt: input.exportedAt.toISOString(),
    extensionVersion: input.extensionVersion,
    checkpoint: input.checkpoint ? { seq: input.checkpoint.seq, hash: input.checkpoint.hash } : null,
    ...(input.head ? { head: { seq: input.head.seq, hash: input.head.hash, at: input.head.at } } : {}),
    records: input.records.map((r) => ({ seq: r.seq, prevHash: r.prevHash, hash: r.hash, entry: r.entry })),
  };
}

export type ExportVerifyResult = VerifyResult | { intact: false; count: number; brokenAt: BrokenAt & { index: -1; seq: null } };

/** Prefix of the reason when the input is not an export at all (index −1). */
export const NOT_AN_EXPORT = 'not a Candor ledger export: ';

/** Verifies a parsed export file (the result of JSON.parse) from its checkpoint to its last record. */
export async function verifyExport(json: unknown, options: VerifyOptions = {}): Promise<ExportVerifyResult> {
  const parsed = exportEnvelopeSchema.safeParse(json);
  if (!parsed.success) {
    const records = (json as { records?: unknown } | null)?.records;
    return {
      intact: false,
      count: Array.isArray(records) ? records.length : 0,
      brokenAt: { index: -1, seq: null, reason: NOT_AN_EXPORT + describeIssues(parsed.error) },
    };
  }
  const result = await verifyChain(parsed.data.records, parsed.data.checkpoint, options);
  const head = parsed.data.head;
  // The stated head must be the chain's end: a file cut short or extended by hand, envelope kept, shows here.
  if (result.intact && head && (head.seq !== result.lastSeq || head.hash !== result.lastHash)) {
    return {
      intact: false,
      count: result.count,
      brokenAt: { index: result.count, seq: null, reason: `the export says its last entry is seq ${head.seq} (hash ${head.hash.slice(0, 16)}…), but its records end at seq ${result.lastSeq} (hash ${result.lastHash.slice(0, 16)}…): entries were removed or added after it was written` },
    };
  }
  return result;
}
