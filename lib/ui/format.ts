import { t } from '../i18n';
import { dataKeyOf, dataViewKeys, outcomeKeys, purposeKeys } from '../i18n/labels';

import { platformById } from '../platforms';
import type { AccessPurpose, DataView, Outcome } from '../model';

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

/** The outcome of a call in the UI language ("Agreed", "Declined · notes only", …). */
export const outcomeLabel = (outcome: Outcome | undefined): string => t(outcomeKeys[outcome ?? 'pending']);

/** A kind of stored data in the UI language; an unknown name is shown as it is. */
export function dataLabel(kind: string): string {
  const key = dataKeyOf(kind);
  return key ? t(key) : kind;
}

/** What a role may see, in the UI language ("notes", "audit report"). */
export const dataViewLabel = (view: DataView): string => t(dataViewKeys[view]);

/** A purpose as a short word in the UI language ("coaching"); one Candor does not know as it is. */
export const purposeLabel = (purpose: string): string => (Object.hasOwn(purposeKeys, purpose) ? t(purposeKeys[purpose as AccessPurpose]) : purpose);
