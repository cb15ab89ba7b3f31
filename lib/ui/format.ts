import { t, translatedRecord, type MessageKey } from '../i18n';
import type { Outcome } from '../messages/schema';
import { platformById } from '../platforms';

export function platformLabel(id: string): string {
  return platformById(id)?.label ?? id;
}

export function formatWhen(epochMs: number, locale?: string): string {
  return new Date(epochMs).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
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
