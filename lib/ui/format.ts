import type { Outcome } from '../messages/schema';
import { platformById } from '../platforms';

export function platformLabel(id: string): string {
  return platformById(id)?.label ?? id;
}

export function formatWhen(epochMs: number, locale?: string): string {
  return new Date(epochMs).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

export const outcomeLabel: Record<Outcome | 'pending', string> = {
  agreed: 'Agreed',
  declined: 'Declined · notes only',
  'not-recorded': 'Not recorded',
  withdrawn: 'Withdrawn · notes only',
  pending: 'No decision',
};
