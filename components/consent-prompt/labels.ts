import { t, uiLanguage } from '../../lib/i18n/content';
import type { MessageKey } from '../../lib/i18n/translate';
import type { DecisionOffer } from '../../lib/call/outcomes';
import type { Outcome } from '../../lib/model';

/** The three outcomes, in the UI language (in English exactly "Customer agreed", …). */
export const outcomeButtons = {
  get agreed() { return t('prompt_outcome_agreed'); },
  get declined() { return t('prompt_outcome_declined'); },
  get notRecorded() { return t('prompt_outcome_not_recorded'); },
};

const decisionKeys: Record<Outcome, MessageKey> = {
  agreed: 'prompt_decision_agreed',
  declined: 'prompt_decision_declined',
  'not-recorded': 'prompt_decision_not_recorded',
  withdrawn: 'prompt_decision_withdrawn',
};
export const decisionLabel = (outcome: Outcome) => t(decisionKeys[outcome]);

/** What the collapsed prompt offers for each change a decision allows (lib/call/outcomes.ts). */
export const offerKeys: Record<DecisionOffer, MessageKey> = {
  withdraw: 'prompt_offer_withdraw',
  agree: 'prompt_offer_agree',
  ask: 'prompt_offer_ask',
  recategorize: 'prompt_offer_recategorize',
};

/** Bots by name; the platform's own indicators (signal ids) as one phrase. */
export function describeSources(sources: readonly string[], platformLabel: string): string {
  const bots = sources.filter((s) => !/^(meet|zoom|teams)-/.test(s));
  const platform = sources.length > bots.length ? [t('prompt_platform_recording', platformLabel)] : [];
  return [...platform, ...bots].join(', ') || t('prompt_a_recording');
}

/**
 * Names as a list in the UI language: "Priya Shah and Sam Lee", or, when more people follow
 * ("… and 3 more"), just commas: "Priya Shah, Sam Lee".
 */
export function listNames(names: readonly string[], more = false): string {
  if (more) return names.join(', ');
  try {
    return new Intl.ListFormat(uiLanguage(), { type: 'conjunction' }).format(names);
  } catch {
    return names.join(', ');
  }
}

/** Who joined, by name when the page showed names ("Priya Shah joined…", "Priya Shah and 2 more…"). */
export function lateJoinerText(joined: number, names: readonly string[]): string {
  if (names.length === 0) return joined === 1 ? t('prompt_late_one') : t('prompt_late_many', joined);
  const others = joined - names.length;
  return others > 0 ? t('prompt_late_named_more', listNames(names, true), others) : t('prompt_late_named', listNames(names));
}
