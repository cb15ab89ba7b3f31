import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAuditReport } from '../../lib/audit/report';
import { auditReportJson, auditReportJsonSchema } from '../../lib/audit/report-json';
import { callsJson } from '../../lib/export/json';
import { exportDocuments, exportJsonSchema, type ExportDocument } from '../../lib/export/documents';
import { auditDataArb, fullInput, periodArb } from './support/audit-data';
import { schemaProblems } from './support/json-schema';
import { buildLedgerVectors } from '../../scripts/lib/ledger-vectors';

/*
 * docs/schemas/<name>.schema.json is the JSON Schema generated from each export's zod schema
 * (regenerate after a deliberate change: CANDOR_WRITE_SCHEMAS=1 npx vitest run --project unit
 * tests/unit/export-schemas.test.ts), and real exports validate against it with Ajv.
 */

const names = Object.keys(exportDocuments) as ExportDocument[];

describe('export JSON Schemas', () => {
  it.each(names)('docs/schemas/%s.schema.json is generated from the zod schema (no drift)', (name) => {
    const file = resolve(import.meta.dirname, `../../docs/schemas/${name}.schema.json`);
    if (process.env.CANDOR_WRITE_SCHEMAS) writeFileSync(file, `${JSON.stringify(exportJsonSchema(name), null, 2)}\n`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(exportJsonSchema(name));
    expect(exportJsonSchema(name).$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('every file names its format', () => {
    for (const name of names) expect((exportJsonSchema(name).properties as Record<string, { const?: string }>).format?.const).toBe(exportDocuments[name].format);
  });

  it('real ledger exports validate (the intact test vectors, built with lib/ledger)', async () => {
    const { files, manifest } = await buildLedgerVectors();
    for (const v of manifest.vectors.filter((x) => x.exit === 0)) {
      const document = JSON.parse(new TextDecoder().decode(files.get(v.file)!));
      expect(schemaProblems('ledger-export', document), v.file).toEqual([]);
    }
  });

  it('a calls export validates, and one with a wrong time or field does not', () => {
    const json = JSON.parse(callsJson([], { purpose: 'coaching', exportedAt: '2025-03-15T09:00:00.000Z', extensionVersion: '1.0.0' }));
    expect(schemaProblems('calls-export', json)).toEqual([]);
    expect(schemaProblems('calls-export', { ...json, meta: { ...json.meta, exportedAt: 1742029200000 } })).not.toEqual([]);
    expect(schemaProblems('calls-export', { ...json, extra: true })).not.toEqual([]);
  });

  it('every audit report file parses with its zod schema and validates with the JSON Schema (format tag, ISO times)', () => {
    fc.assert(
      fc.property(auditDataArb, periodArb, (data, period) => {
        const file = JSON.parse(JSON.stringify(auditReportJson(buildAuditReport(fullInput(data, period, period.to)))));
        expect(auditReportJsonSchema.safeParse(file).error).toBeUndefined();
        expect(schemaProblems('audit-report', file)).toEqual([]);
        expect(file.format).toBe('candor-audit-report/1');
        expect(file.generatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      }),
      { numRuns: 60 },
    );
  });
});
