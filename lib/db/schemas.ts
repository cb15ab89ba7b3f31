import { z } from 'zod';
import { concernCategories } from '.';
import { notRecordingReasons, outcomes } from '../messages/schema';
import { callCategories, recordingRules } from '../policy/schema';

/**
 * zod schemas of every stored record: a backup is validated against them before anything is
 * written, so a bad file changes nothing and the error names the bad record.
 */
const id = z.string().min(1).max(100);
const time = z.number().int().nonnegative();
const json = z.record(z.string(), z.unknown());

export const callRecordSchema = z.strictObject({
  id, platform: z.enum(['meet', 'zoom', 'teams']), meetingHash: z.string().regex(/^[0-9a-f]{64}$/),
  status: z.enum(['lobby', 'active', 'ended']), tabIds: z.array(z.number().int()), documents: z.record(z.string(), z.string().max(100)).optional(),
  detectedAt: time, lobbyAt: time.optional(), admittedAt: time.optional(), endedAt: time.optional(),
  endReason: z.enum(['left', 'tab-closed', 'navigated-away', 'meeting-switched', 'ended-unknown']).optional(),
  promptShownAt: time.optional(), outcome: z.enum(outcomes).optional(), reason: z.enum(notRecordingReasons).optional(),
  decidedAt: time.optional(), category: z.enum(callCategories).optional(), rule: z.enum(recordingRules).optional(),
  recordingSince: time.optional(), recordingSources: z.array(z.string()).optional(),
  suspectedBots: z.array(z.string()).optional(), recordingEpisodes: z.number().int().nonnegative().optional(), recordingFlaps: z.number().int().nonnegative().optional(), confirmedBots: z.array(z.string()).optional(), notBots: z.array(z.string()).optional(),
  detectedBy: z.array(z.string()), updatedAt: time,
});
export const eventRecordSchema = z.strictObject({ id, callId: id, type: z.string().min(1).max(40), at: time, data: json, chain: z.literal(0).optional() });
export const noteRecordSchema = z.strictObject({ callId: id, text: z.string().max(20_000), author: z.literal('rep'), createdAt: time, updatedAt: time });
export const tagRecordSchema = z.strictObject({ id, callId: id, tag: z.string().min(1).max(40), offsetMs: time, text: z.string().max(280).optional(), at: time });
const nextStep = z.strictObject({ text: z.string().max(500), owner: z.string().max(120), due: z.string().max(10) });
export const checklistRecordSchema = z.strictObject({
  callId: id, status: z.enum(['pending', 'done']),
  fields: z.strictObject({
    qualification: z.string(), nextSteps: z.array(nextStep), timeline: z.string(), risks: z.string(), competition: z.string(),
    humanNuance: z.string(), powerDynamics: z.string(), hesitation: z.string(), emotion: z.string(), urgency: z.string(), subtleObjections: z.string(),
  }),
  pendingSince: time, completedAt: time.optional(), remindedAt: time.optional(), updatedAt: time,
});
export const aiDraftRecordSchema = z.strictObject({
  callId: id, source: z.string().max(60),
  statements: z.array(z.strictObject({ id: z.string().max(40), text: z.string(), mark: z.enum(['correct', 'wrong']).optional(), concernId: id.optional() })),
  createdAt: time, updatedAt: time,
});
export const concernRecordSchema = z.strictObject({
  id, category: z.enum(concernCategories), text: z.string().max(5_000), anonymous: z.boolean(), status: z.enum(['open', 'acknowledged', 'resolved']),
  callId: id.optional(), statementId: z.string().max(40).optional(), createdAt: time, updatedAt: time,
});
export const accessLogRecordSchema = z.strictObject({
  id, at: time, purpose: z.enum(['coaching', 'performance']), action: z.string().max(60), callCount: z.number().int().nonnegative(),
  approval: z.strictObject({ approver: z.string().max(120), reference: z.string().max(200) }).optional(),
});
export const purgeReceiptRecordSchema = z.strictObject({
  id, at: time, kind: z.string().max(20), count: z.number().int().nonnegative(), oldest: time.nullable(), newest: time.nullable(),
});
export const ledgerRecordSchema = z.strictObject({ seq: z.number().int().positive(), at: time, prevHash: z.string().regex(/^[0-9a-f]{64}$/), hash: z.string().regex(/^[0-9a-f]{64}$/), entry: json });
export const metaRecordSchema = z.strictObject({ key: z.string().min(1).max(100), value: z.unknown() });

/** Table name → record schema, in the order a backup lists them. */
export const tableSchemas = {
  calls: callRecordSchema,
  events: eventRecordSchema,
  notes: noteRecordSchema,
  tags: tagRecordSchema,
  checklists: checklistRecordSchema,
  aiDrafts: aiDraftRecordSchema,
  concerns: concernRecordSchema,
  accessLog: accessLogRecordSchema,
  purgeReceipts: purgeReceiptRecordSchema,
  ledger: ledgerRecordSchema,
  meta: metaRecordSchema,
} as const;
export type TableName = keyof typeof tableSchemas;
