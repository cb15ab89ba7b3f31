import { z } from 'zod';

/**
 * The organisation's governance policy. One schema for the three sources (managed storage,
 * options page, defaults): see resolve.ts for how they combine field by field.
 */
export const languages = ['en', 'es', 'de', 'fr'] as const;
export type Language = (typeof languages)[number];

export const callCategories = ['external-prospect', 'customer', 'internal', 'hr-people', 'legal', 'personal'] as const;
export type CallCategory = (typeof callCategories)[number];
export const recordingRules = ['ask-consent', 'never-record', 'record-with-notice'] as const;

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const perLanguage = (max: number) =>
  z.partialRecord(z.enum(languages), text(max)).refine((v) => typeof v.en === 'string', 'needs an English ("en") text');

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
} as const;

export type PolicyField = keyof typeof policyFields;
export const policySchema = z.strictObject(policyFields);
export type Policy = z.infer<typeof policySchema>;
