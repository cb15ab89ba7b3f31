import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { exportJsonSchema, type ExportDocument } from '../../../lib/export/documents';

/*
 * Validates a file against the committed JSON Schema with Ajv (draft 2020-12, formats checked):
 * what a company's pipeline would run, independent of the zod schemas the files come from.
 */
const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
const validators = new Map<ExportDocument, ReturnType<typeof ajv.compile>>();

/** The problems Ajv finds ([] when the document is valid). */
export function schemaProblems(name: ExportDocument, document: unknown): string[] {
  let validate = validators.get(name);
  if (!validate) validators.set(name, (validate = ajv.compile(exportJsonSchema(name))));
  return validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
