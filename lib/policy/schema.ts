import { z } from 'zod';
import { says } from '../i18n/says';
import { callCategories, checklistFieldNames, dataViews, languages, recordingRules, retentionKinds, usePurposes, type CallCategory } from '../model';

/**
 * The organisation's governance policy. One schema for the three sources (managed storage,
 * options page, defaults): see resolve.ts for how they combine field by field. Problems an
 * administrator can make are said with `says` (lib/i18n/says.ts): a sentence in their language,
 * the field path under "Details".
 */
const signalOverride = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{3,60}$/, says('error_policy_signal_id')),
  selector: z.string().min(1).max(300),
  text: z.string().max(500).optional(),
  attribute: z.string().max(60).optional(),
});
const platformOverrides = z.strictObject({
  lobby: z.array(signalOverride).max(20).optional(),
  inCall: z.array(signalOverride).max(20).optional(),
  left: z.array(signalOverride).max(20).optional(),
  recording: z.array(signalOverride).max(20).optional(),
  participants: z.array(signalOverride).max(20).optional(),
});

const text = (max: number) => z.string().trim().min(1, says('error_policy_empty')).max(max, says('error_policy_too_long', max));
const perLanguage = (max: number) =>
  z.partialRecord(z.enum(languages), text(max)).refine((v) => typeof v.en === 'string', says('error_policy_needs_english'));
const wholeNumber = (min: number, max: number, key: 'error_policy_days' | 'error_policy_minutes') =>
  z.number({ error: says(key, min, max) }).int(says(key, min, max)).min(min, says(key, min, max)).max(max, says(key, min, max));

/**
 * The organisation service's base URL (docs/org.md). https:// only, except plain http:// to this
 * machine's loopback host (127.0.0.1, localhost: the hosts wxt.config.ts lists as optional), for a
 * service run on the rep's own machine and for the tests. No credentials, query or #fragment.
 */
export function isServiceUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password || url.hash || url.search) return false;
  // A plain host name (IDNs arrive as punycode): "*" would turn the permission request into "all sites".
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(url.hostname)) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(url.hostname));
}
const serviceUrl = z.string().trim().max(2_000, says('error_policy_too_long', 2_000))
  .refine(isServiceUrl, says('error_policy_endpoint'));

/**
 * Said when a policy still names the old endpoint (schema 3 and before): it cannot be used any more.
 * A `says` reference: the admin reads it in their language, the field path goes under "Details".
 */
export const ENDPOINT_GONE = says('error_policy_endpoint_gone');

/**
 * Org sync (docs/sync.md, docs/org.md): the organisation service and, in a managed policy, the org's
 * enrollment key (a rep without it enters a code from the console). Off while `service` is null.
 */
const orgSync = z
  .custom<unknown>((v) => typeof v !== 'object' || v === null || !Object.hasOwn(v, 'endpoint'), { error: ENDPOINT_GONE })
  .pipe(z.strictObject({
    service: serviceUrl.nullable(),
    enrollmentKey: z.string().trim().min(1, says('error_policy_empty')).max(200, says('error_policy_too_long', 200)).nullable().default(null),
  }));

export const policyFields = {
  policyVersion: text(64),
  purposeStatement: text(500),
  consentScript: perLanguage(600),
  declineLine: perLanguage(300),
  /** 'auto' follows the browser language. */
  language: z.enum(['auto', ...languages]),
  jurisdictionMode: z.enum(['all-party', 'one-party']),
  recordingStandards: z.strictObject(Object.fromEntries(callCategories.map((c) => [c, z.enum(recordingRules)])) as Record<CallCategory, z.ZodEnum<{ [K in (typeof recordingRules)[number]]: K }>>),
  defaultCategory: z.enum(callCategories).nullable(),
  notetakerNames: z.array(text(60)).max(200),
  /** Live tags offered in the call (one click each; Alt+1… in the call page). */
  tags: z.array(text(40)).min(1, says('error_policy_tags_min')).max(12, says('error_policy_tags_max')),
  checklistRequired: z.array(z.enum(checklistFieldNames)).max(checklistFieldNames.length),
  /** The call categories that need a CRM checklist after the call; other calls get none (and no badge). */
  checklistCategories: z.array(z.enum(callCategories)).max(callCategories.length),
  /**
   * Minutes after a call ends during which its decision may still be changed (declined → agreed,
   * not recorded → asked, a never-record rule undone). Withdrawing consent has no limit.
   */
  decisionChangeMinutes: z.number().int().min(0).max(7 * 24 * 60),
  /** Days each kind of data is kept; consent records are the proof and outlive the rest. */
  retentionDays: z.strictObject(Object.fromEntries(retentionKinds.map((k) => [k, wholeNumber(1, 3650, 'error_policy_days')])) as Record<(typeof retentionKinds)[number], z.ZodNumber>),
  /**
   * Whether "Delete all data" may delete consent records (calls, their events, the consent ledger,
   * purge receipts, the access log) before their retention ends. Off: the rep's own notes, tags,
   * checklists, AI drafts and concerns are deleted, the consent proof is kept (lib/policy/deletion.ts).
   */
  allowDeletingConsentRecords: z.boolean(),
  roles: z.array(z.strictObject({
    role: z.string().trim().min(1, says('error_role_name_empty')).max(40, says('error_role_name_too_long', 40)),
    canView: z.array(z.enum(dataViews)).max(dataViews.length),
    purposes: z.array(z.enum(usePurposes)).max(usePurposes.length),
    approvesPerformanceUse: z.boolean(),
  })).min(1, says('error_roles_min')).max(20, says('error_roles_max', 20)),
  /** The post-call checklist reminder (a notification once the delay has passed). */
  checklistReminder: z.strictObject({ enabled: z.boolean(), afterMinutes: wholeNumber(1, 7 * 24 * 60, 'error_policy_minutes') }),
  /** Extra detection signals per platform, for UI changes that ship before a Candor release. */
  selectorOverrides: z.strictObject({ meet: platformOverrides.optional(), zoom: platformOverrides.optional(), teams: platformOverrides.optional() }),
  /** Optional: governance records to the organisation service, once this install enrolled. Off when service is null. */
  orgSync,
} as const;

export type PolicyField = keyof typeof policyFields;
export const policySchema = z.strictObject(policyFields);
export type Policy = z.infer<typeof policySchema>;
