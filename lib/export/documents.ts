import { z } from 'zod';
import { AUDIT_REPORT_FORMAT, auditReportJsonSchema } from '../audit/report-json';
import { LEDGER_EXPORT_FORMAT, ledgerExportSchema } from '../ledger/export';
import { backupTableSchemas } from '../model';
import { POLICY_LINE } from './call-bundle';
import { CALLS_JSON_FORMAT, callsJsonSchema } from './json';

/**
 * Every JSON file Candor writes, by its `format` tag, with the zod schema it follows. The JSON
 * Schemas in docs/schemas/ are generated from these (tests/unit/export-schemas.test.ts fails on
 * drift and parses real exports with them); docs/exports.md describes each file.
 */

export const BACKUP_FORMAT = 'candor-backup/1';
/** What every backup file says about itself (docs/exports.md). */
export const BACKUP_NOTE =
  'A full backup to restore this browser profile. It holds the per-install meeting salt, with which a guessed meeting code can be checked against the stored meeting references: keep it private. Exports for a purpose never contain it.';

/**
 * A full backup: every table a restore needs, in its stored form (times as epoch ms, as stored), the
 * per-install meeting salt among the meta rows. It is for restoring this profile, so it stays with
 * the rep; purpose exports (calls, concerns) carry neither the salt nor stored internals.
 */
export const backupFileSchema = z
  .strictObject({
    format: z.literal(BACKUP_FORMAT),
    exportedAt: z.iso.datetime(),
    purpose: z.string(),
    policyLine: z.literal(POLICY_LINE),
    note: z.literal(BACKUP_NOTE).optional(),
    /** The consent ledger's head when the backup was written (absent in backups before it was recorded). */
    ledgerHead: z.strictObject({ seq: z.int().nonnegative(), hash: z.string().regex(/^[0-9a-f]{64}$/), at: z.iso.datetime().nullable() }).optional(),
    tables: z.strictObject(Object.fromEntries(Object.entries(backupTableSchemas).map(([name, schema]) => [name, z.array(schema).optional()])) as {
      [K in keyof typeof backupTableSchemas]: z.ZodOptional<z.ZodArray<(typeof backupTableSchemas)[K]>>;
    }),
  })
  .meta({ title: 'Candor backup', description: 'Every table a restore needs, as stored; see docs/exports.md' });

export const exportDocuments = {
  'ledger-export': { format: LEDGER_EXPORT_FORMAT, schema: ledgerExportSchema.meta({ title: 'Candor consent ledger export', description: 'See docs/ledger.md' }) },
  'calls-export': { format: CALLS_JSON_FORMAT, schema: callsJsonSchema },
  'audit-report': { format: AUDIT_REPORT_FORMAT, schema: auditReportJsonSchema },
  backup: { format: BACKUP_FORMAT, schema: backupFileSchema },
} as const;
export type ExportDocument = keyof typeof exportDocuments;

/** The JSON Schema (draft 2020-12) of one export file. */
export function exportJsonSchema(name: ExportDocument): Record<string, unknown> {
  // `unrepresentable: 'any'`: ledger details guard against a "__proto__" key with a custom check
  // JSON Schema cannot express; the pattern-keyed record after it still describes the shape.
  return z.toJSONSchema(exportDocuments[name].schema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
}
