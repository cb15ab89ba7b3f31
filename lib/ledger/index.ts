/**
 * The tamper-evident consent ledger: entry schema, canonical JSON, hash chain, export format.
 * Pure (WebCrypto and zod only), so it runs the same in the extension, in Node and in tests.
 * Specification: docs/ledger.md.
 */
export { canonicalize, CanonicalizeError } from './canonical';
export {
  appendRecord,
  entryHash,
  GENESIS_HASH,
  hashInput,
  REASONS,
  verifyChain,
  type BrokenAt,
  type ChainRecord,
  type Checkpoint,
  type VerifyOptions,
  type VerifyResult,
} from './chain';
export {
  DETAILS_MAX_KEYS,
  describeIssues,
  LEDGER_ENTRY_VERSION,
  ledgerEntrySchema,
  ledgerEventTypes,
  ledgerPurposes,
  type LedgerEntry,
  type LedgerEventType,
  type LedgerPurpose,
} from './entry';
export {
  buildExport,
  checkpointSchema,
  LEDGER_EXPORT_FORMAT,
  ledgerExportSchema,
  ledgerRecordSchema,
  NOT_AN_EXPORT,
  verifyExport,
  type BuildExportInput,
  type ExportVerifyResult,
  type LedgerExport,
} from './export';
export { sha256HexSync, sha256HexWebCrypto } from './sha256';
