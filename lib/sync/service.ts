import { z } from 'zod';
import { checkpointSchema } from '../ledger/checkpoint';
import { describeZodError } from '../util/zod-error';

/**
 * The organisation service's HTTP API as the extension sees it (docs/org.md, "HTTP API for the
 * extension"): paths, and a zod schema for every reply. Whatever the service (or something in
 * front of it) answers is parsed before anything is stored; an answer that does not fit is a
 * readable error and changes nothing. Pure: the background does the requests.
 */

export const SYNC_BATCH_FORMAT = 'candor-sync-batch/1';
/** The service takes at most this many bodies per batch request. */
export const MAX_BATCH_ITEMS = 100;
/** At most this many concern ids per status request. */
export const MAX_STATUS_IDS = 200;

export const API = {
  enroll: '/api/v1/enroll',
  batch: '/api/v1/ingest/batch',
  checkpointLatest: '/api/v1/checkpoints/latest',
  anonymousConcern: '/api/v1/concerns/anonymous',
  concernStatus: '/api/v1/concerns/status',
  anonymousConcernStatus: '/api/v1/concerns/anonymous/status',
  redeemApproval: '/api/v1/approvals/redeem',
} as const;

/** The service's address for an API path: the base URL may carry a path prefix (a reverse proxy). */
export function serviceUrl(base: string, path: string): string {
  const url = new URL(base);
  url.pathname = url.pathname.replace(/\/+$/, '') + path;
  return url.toString();
}

/** Scheme, host and port: what the rep is shown ("Enrolled with https://candor.acme.example"). */
export const serviceOrigin = (base: string) => new URL(base).origin;

const iso = z.iso.datetime({ offset: true });
const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/);

export const witnessKeySchema = z.object({
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  algorithm: z.literal('Ed25519'),
  publicKey: base64url.min(43).max(44),
  createdAt: iso,
  retiredAt: iso.nullable(),
});

/** Every error the service sends: one sentence and a code. */
export const errorReplySchema = z.object({ error: z.string().min(1).max(1_000), code: z.string().min(1).max(60) });

export const enrollReplySchema = z.object({
  token: base64url.min(16).max(200),
  installId: z.string().min(1).max(120),
  team: z.string().min(1).max(200),
  anonymousKey: base64url.min(16).max(200),
  witnessKeys: z.array(witnessKeySchema).max(100),
  limits: z.object({ maxBodyBytes: z.int().positive(), maxRecordsPerMinute: z.int().positive() }),
});
export type EnrollReply = z.infer<typeof enrollReplySchema>;

const chainStatusSchema = z.object({ status: z.string().max(40), verifiedSeq: z.int().nullable(), firstSeq: z.int().nullable() }).nullable();

export const batchReplySchema = z.object({
  results: z.array(z.union([
    z.object({ id: z.string().nullable(), stored: z.boolean(), duplicate: z.boolean() }),
    z.object({ id: z.string().nullable(), error: z.string().min(1).max(1_000), code: z.string().max(60) }),
  ])).max(MAX_BATCH_ITEMS),
  chain: chainStatusSchema.optional(),
  checkpoint: checkpointSchema.optional(),
});
export type BatchReply = z.infer<typeof batchReplySchema>;

export const singleReplySchema = z.object({ stored: z.boolean(), duplicate: z.boolean() });

export const checkpointLatestReplySchema = z.object({
  checkpoint: checkpointSchema.nullable(),
  witnessKeys: z.array(witnessKeySchema).max(100),
});

export const concernStatusReplySchema = z.object({
  concerns: z.array(z.object({
    id: z.uuid(),
    status: z.enum(['open', 'acknowledged', 'resolved']),
    reply: z.string().max(5_000).nullable(),
    updatedAt: iso,
  })).max(MAX_STATUS_IDS),
});

export const approvalReplySchema = z.object({
  approval: z.object({
    id: z.string().min(1).max(100),
    purpose: z.literal('performance'),
    reference: z.string().max(200),
    approver: z.object({ name: z.string().max(120), role: z.string().max(60) }),
    issuedAt: iso,
    expiresAt: iso,
    scope: z.string().max(120).nullable(),
  }),
});
export type ApprovalReply = z.infer<typeof approvalReplySchema>;

/**
 * Parses an answer's JSON text with `schema`; an answer that is not JSON or does not fit gives a
 * sentence saying so (with the first problems, for support), never a partial result.
 */
export function parseReply<T>(schema: z.ZodType<T>, text: string): { ok: true; data: T } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'The organisation service answered with something that is not JSON' };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, error: `The organisation service answered in a form Candor does not understand (${describeZodError(parsed.error)})` };
}

/** The service's own sentence from an error answer, when it sent one. */
export function serviceError(text: string): { error: string; code: string } | null {
  const parsed = parseReply(errorReplySchema, text);
  return parsed.ok ? parsed.data : null;
}
