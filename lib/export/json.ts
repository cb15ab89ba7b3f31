/**
 * The machine-readable export: every call with the rep's narrative under `rep` and the AI draft
 * under `ai`, so provenance is part of the structure, not a label someone can drop. The meta
 * block says why the export was made (purpose, approval) and carries the policy line.
 * Pure: no browser APIs, no clock (the caller passes `exportedAt`).
 */
import { z } from 'zod';

import { describeZodError } from '../util/zod-error';
import {
  aiSourceLabel,
  aiStatements,
  callName,
  consentHistory,
  describePlatform,
  formatOffset,
  isNotesOnly,
  POLICY_LINE,
  sortedTags,
  tagLabel,
  toIso,
  type CallBundle,
  statementReviews,
} from './call-bundle';
import { callCategories, checklistDismissReasons, checklistStatuses, decisionChangeKinds, notRecordingReasons, outcomes, type UsePurpose } from '../model';

export const CALLS_JSON_FORMAT = 'candor-calls/1';

const usePurposes = ['coaching', 'performance'] as const satisfies readonly UsePurpose[];

/**
 * What the caller says about the export. Performance use requires an approval (who approved it
 * and a reference such as a ticket, and, when the organisation's console issued it, the approver's
 * role and the approval's id), as the policy line says; a coaching export carries none.
 */
export const exportMetaSchema = z
  .strictObject({
    purpose: z.enum(usePurposes),
    exportedAt: z.iso.datetime({ offset: true, error: 'exportedAt must be an ISO-8601 date-time' }),
    extensionVersion: z.string().trim().min(1, 'extensionVersion is required'),
    approval: z
      .strictObject({
        approver: z.string().trim().min(1, 'the approver is required'),
        reference: z.string().trim().min(1, 'the approval reference is required'),
        role: z.string().trim().min(1).optional(),
        id: z.string().trim().min(1).optional(),
      })
      .optional(),
    /** The consent ledger's head when the file was written: an anchor whoever holds the file keeps. */
    ledgerHead: z.strictObject({ seq: z.int().nonnegative(), hash: z.string().regex(/^[0-9a-f]{64}$/), at: z.string().nullable() }).optional(),
  })
  .refine((m) => m.purpose !== 'performance' || m.approval !== undefined, {
    message: 'Performance use requires approval: give the approver and a reference',
    path: ['approval'],
  })
  .refine((m) => m.purpose !== 'coaching' || m.approval === undefined, {
    message: 'A coaching export carries no approval',
    path: ['approval'],
  });

export type ExportMeta = z.input<typeof exportMetaSchema>;

const isoTime = z.iso.datetime({ error: 'must be an ISO 8601 UTC time' });
const isoOrNull = isoTime.nullable();

export const callsJsonStatementSchema = z.strictObject({
  id: z.string(),
  text: z.string(),
  /** The rep's review: confirmed, marked wrong, or not reviewed yet. */
  mark: z.enum(statementReviews),
});
export type CallsJsonStatement = z.infer<typeof callsJsonStatementSchema>;

const text = z.string();

/** One decision of the call, oldest first: a change names the decision it supersedes (nothing is edited). */
export const callsJsonDecisionSchema = z.strictObject({
  eventId: z.string(),
  at: isoTime,
  outcome: z.enum(outcomes),
  reason: z.enum(notRecordingReasons).nullable(),
  category: z.enum(callCategories).nullable(),
  via: z.enum(['prompt', 'toolbar']).nullable(),
  /** null for the first decision. */
  change: z.enum(decisionChangeKinds).nullable(),
  supersedes: z.string().nullable(),
  previous: z.enum(outcomes).nullable(),
});

export const callsJsonCallSchema = z.strictObject({
  id: z.string(),
  platform: z.string(),
  platformLabel: z.string(),
  /** The call's name: the rep's own, else the meeting title the platform showed; null when neither. */
  title: z.string().nullable(),
  /** The meeting title the platform showed, as read. */
  platformTitle: z.string().nullable(),
  /** The account or opportunity the rep typed. */
  account: z.string().nullable(),
  status: z.string(),
  admittedAt: isoOrNull,
  endedAt: isoOrNull,
  endReason: z.string().nullable(),
  consent: z.strictObject({
    /** The decision in force (the last of `history`). */
    outcome: z.string().nullable(),
    notRecordedReason: z.string().nullable(),
    decidedAt: isoOrNull,
    notesOnly: z.boolean(),
    history: z.array(callsJsonDecisionSchema),
  }),
  /** Written by the rep: the checklist, the moments they tagged, their notes. */
  rep: z.strictObject({
    checklist: z
      .strictObject({
        status: z.enum(checklistStatuses),
        completedAt: isoOrNull,
        /** Why the rep dismissed it (kept if it was filled in later after all). */
        dismissal: z.strictObject({ reason: z.enum(checklistDismissReasons), text: z.string().nullable(), at: isoTime }).nullable(),
        qualification: text,
        nextSteps: z.array(z.strictObject({ text, owner: text, due: text })),
        timeline: text,
        risks: text,
        competition: text,
        humanNuance: text,
        humanInterpretation: z.strictObject({ powerDynamics: text, hesitation: text, emotion: text, urgency: text, subtleObjections: text }),
      })
      .nullable(),
    tags: z.array(z.strictObject({ offsetMs: z.int().nonnegative(), offset: z.string(), tag: z.string(), label: z.string(), text: z.string().nullable() })),
    notes: z.strictObject({ text, updatedAt: isoOrNull }).nullable(),
  }),
  /** Generated by AI (a notetaker's summary the rep pasted): a draft, never the record. */
  ai: z
    .strictObject({
      generatedBy: z.literal('ai'),
      /** Always a draft: only the statements the rep marked "confirmed" were checked. */
      kind: z.literal('draft'),
      source: z.string(),
      statements: z.array(callsJsonStatementSchema),
      counts: z.strictObject({ confirmed: z.int(), wrong: z.int(), 'not-reviewed': z.int() }),
    })
    .nullable(),
});
export type CallsJsonCall = z.infer<typeof callsJsonCallSchema>;

/** The calls export file (docs/schemas/calls-export.schema.json is generated from this). */
export const callsJsonSchema = z
  .strictObject({
    format: z.literal(CALLS_JSON_FORMAT),
    meta: z.strictObject({
      purpose: z.enum(usePurposes),
      approval: z.strictObject({ approver: z.string(), reference: z.string(), role: z.string().optional(), id: z.string().optional() }).nullable(),
      ledgerHead: z.strictObject({ seq: z.int().nonnegative(), hash: z.string().regex(/^[0-9a-f]{64}$/), at: isoTime.nullable() }).optional(),
      exportedAt: isoTime,
      extensionVersion: z.string(),
      callCount: z.int().nonnegative(),
      policyLine: z.literal(POLICY_LINE),
    }),
    calls: z.array(callsJsonCallSchema),
  })
  .meta({ title: 'Candor calls export', description: 'Every call with the rep\'s narrative (rep) and the AI draft (ai) apart; see docs/exports.md' });
export type CallsJson = z.infer<typeof callsJsonSchema>;

function callJson(bundle: CallBundle): CallsJsonCall {
  const { call, checklist, note, aiDraft } = bundle;
  const f = checklist?.fields;
  const statements = aiStatements(aiDraft);
  return {
    id: call.id,
    platform: call.platform,
    platformLabel: describePlatform(call),
    title: callName(call),
    platformTitle: call.platformTitle || null,
    account: call.account || null,
    status: call.status,
    admittedAt: toIso(call.admittedAt),
    endedAt: toIso(call.endedAt),
    endReason: call.endReason ?? null,
    consent: {
      outcome: call.outcome ?? null,
      notRecordedReason: call.outcome === 'not-recorded' ? (call.reason ?? null) : null,
      decidedAt: toIso(call.decidedAt),
      notesOnly: isNotesOnly(call.outcome),
      history: consentHistory(bundle).map((step) => ({ ...step, at: toIso(step.at)! })),
    },
    rep: {
      checklist:
        checklist && f
          ? {
              status: checklist.status,
              completedAt: toIso(checklist.completedAt),
              dismissal: checklist.dismissal ? { reason: checklist.dismissal.reason, text: checklist.dismissal.text ?? null, at: toIso(checklist.dismissal.at)! } : null,
              qualification: f.qualification,
              nextSteps: f.nextSteps.map((s) => ({ text: s.text, owner: s.owner, due: s.due })),
              timeline: f.timeline,
              risks: f.risks,
              competition: f.competition,
              humanNuance: f.humanNuance,
              humanInterpretation: {
                powerDynamics: f.powerDynamics,
                hesitation: f.hesitation,
                emotion: f.emotion,
                urgency: f.urgency,
                subtleObjections: f.subtleObjections,
              },
            }
          : null,
      tags: sortedTags(bundle.tags).map((t) => ({
        offsetMs: t.offsetMs,
        offset: formatOffset(t.offsetMs),
        tag: t.tag,
        label: tagLabel(t.tag),
        text: t.text ?? null,
      })),
      notes: note ? { text: note.text, updatedAt: toIso(note.updatedAt) } : null,
    },
    ai:
      aiDraft && statements.length > 0
        ? {
            generatedBy: 'ai',
            kind: 'draft',
            source: aiSourceLabel(aiDraft),
            statements: statements.map((s) => ({ id: s.id, text: s.text, mark: s.review })),
            counts: {
              confirmed: statements.filter((s) => s.review === 'confirmed').length,
              wrong: statements.filter((s) => s.review === 'wrong').length,
              'not-reviewed': statements.filter((s) => s.review === 'not-reviewed').length,
            },
          }
        : null,
  };
}

/**
 * The calls as pretty-printed JSON (2-space indent, trailing newline), format "candor-calls/1".
 * Throws an Error with a readable message when `meta` is invalid, in particular a performance
 * export without an approval. Calls keep the order given. Internal fields (meeting hash, tab
 * ids, detection signals, concern links) are not exported.
 */
export function callsJson(bundles: readonly CallBundle[], meta: ExportMeta): string {
  const parsed = exportMetaSchema.safeParse(meta);
  if (!parsed.success) throw new Error(`Cannot export: ${describeZodError(parsed.error)}`);
  const m = parsed.data;
  const doc: CallsJson = {
    format: CALLS_JSON_FORMAT,
    meta: {
      purpose: m.purpose,
      approval: m.approval
        ? { approver: m.approval.approver, reference: m.approval.reference, ...(m.approval.role ? { role: m.approval.role } : {}), ...(m.approval.id ? { id: m.approval.id } : {}) }
        : null,
      ...(m.ledgerHead ? { ledgerHead: m.ledgerHead } : {}),
      exportedAt: m.exportedAt,
      extensionVersion: m.extensionVersion,
      callCount: bundles.length,
      policyLine: POLICY_LINE,
    },
    calls: bundles.map(callJson),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
