import { t, translatedRecord, type MessageKey } from '../i18n';
import type { Outcome } from '../messages/schema';
import { platformById } from '../platforms';

export function platformLabel(id: string): string {
  return platformById(id)?.label ?? id;
}

const whenFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * Date and time of a call, e.g. "May 6, 2025, 9:00 AM". One formatter per locale, reused:
 * `Date.prototype.toLocaleString` with options builds a new one on every call (~0.6 ms each), which
 * was a third of the popup's list render (docs/performance.md, row 5).
 */
export function formatWhen(epochMs: number, locale?: string): string {
  const key = locale ?? '';
  let format = whenFormats.get(key);
  if (!format) whenFormats.set(key, (format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })));
  return format.format(epochMs);
}

export const outcomeKeys: Record<Outcome | 'pending', MessageKey> = {
  agreed: 'outcome_agreed',
  declined: 'outcome_declined',
  'not-recorded': 'outcome_not_recorded',
  withdrawn: 'outcome_withdrawn',
  pending: 'outcome_pending',
};

/** The outcome of a call in the UI language ("Agreed", "Declined · notes only", …). */
export const outcomeLabel = translatedRecord(outcomeKeys, t);
