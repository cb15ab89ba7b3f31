import { decisionChangeKinds } from '../model/vocabulary';
import type { MessageKey } from '../i18n/translate';
import type { CallCategory, DecisionChangeKind, NotRecordingReason, Outcome } from '../model';

/** Outcomes after which nothing may be recorded (notes-only mode). Zod-free: the content script uses it. */
export function forbidsRecording(outcome: Outcome | null | undefined): boolean {
  return outcome === 'declined' || outcome === 'not-recorded' || outcome === 'withdrawn';
}

/** A decision as the call holds it (or as the rep makes it). */
export interface DecisionState {
  outcome: Outcome | null | undefined;
  reason?: NotRecordingReason | null;
  category?: CallCategory | null;
}

/**
 * What the rep may do to a decision already made, shown in the prompt and the popup (the background
 * enforces the same rules with decisionChange):
 * - `agree`: the customer said no, then changed their mind;
 * - `ask`: nothing was recorded by the rep's choice; ask now after all;
 * - `recategorize`: a never-record rule applied, but the call type was wrong: choose it again;
 * - `withdraw`: the customer takes their consent back (at any time, also long after the call).
 * Nothing follows a withdrawal: asking again after it would be pressure, not consent.
 */
export type DecisionOffer = 'agree' | 'ask' | 'recategorize' | 'withdraw';

export function decisionOffers(current: DecisionState): DecisionOffer[] {
  switch (current.outcome) {
    case 'agreed':
      return ['withdraw'];
    case 'declined':
      return ['agree'];
    case 'not-recorded':
      return [current.reason === 'never-record-rule' ? 'recategorize' : 'ask'];
    default:
      return [];
  }
}

/**
 * The kind of change `next` makes to `current`: 'first' when nothing was decided yet, null when the
 * change is not allowed (the message says why, in decisionChangeRefusal). A change that changes
 * nothing (the same outcome, reason and category again) is not a change.
 */
export function decisionChange(current: DecisionState, next: DecisionState): DecisionChangeKind | 'first' | null {
  if (!current.outcome) return next.outcome === 'withdrawn' ? null : 'first';
  const same = current.outcome === next.outcome && (current.reason ?? null) === (next.reason ?? null) && (next.category == null || current.category === next.category);
  if (same) return null;
  switch (current.outcome) {
    case 'agreed':
      return next.outcome === 'withdrawn' ? 'withdrawn' : null;
    case 'declined':
      return next.outcome === 'agreed' ? 'agreed-after-decline' : null;
    case 'not-recorded':
      if (next.outcome === 'withdrawn') return null;
      return current.reason === 'never-record-rule' ? 'rule-undone' : 'asked-again';
    default:
      return null;
  }
}

/** Why a change is refused, in the rep's terms: the message that says it. */
export function decisionChangeRefusal(current: DecisionState, next: DecisionState): MessageKey {
  if (current.outcome === next.outcome && (current.reason ?? null) === (next.reason ?? null)) return 'refusal_decision_same';
  if (next.outcome === 'withdrawn' && current.outcome !== 'agreed' && current.outcome !== 'withdrawn') return 'refusal_withdraw_only_given';
  switch (current.outcome) {
    case 'agreed':
      return 'refusal_agreement_withdraw_only';
    case 'declined':
      return 'refusal_decline_to_agreed_only';
    case 'withdrawn':
      return 'refusal_withdrawn_final';
    default:
      return 'refusal_withdraw_only_given';
  }
}

/**
 * Whether a change (not a withdrawal) may still be made: always during the call, and until
 * `windowMinutes` after it ended. Withdrawal is never limited.
 */
export function changeWindowOpen(call: { status: string; endedAt?: number }, windowMinutes: number, now: number): boolean {
  if (call.status !== 'ended' || call.endedAt === undefined) return true;
  return now <= call.endedAt + windowMinutes * 60_000;
}

/**
 * The kind of change a stored decision event made: what it says (`change`), or, for events written
 * before changes were named, what its `previous` and outcome imply; null for a first decision (or a
 * change no kind describes).
 */
export function recordedChange(data: Readonly<Record<string, unknown>>): DecisionChangeKind | null {
  if ((decisionChangeKinds as readonly unknown[]).includes(data.change)) return data.change as DecisionChangeKind;
  if (typeof data.previous !== 'string') return null;
  if (data.lateJoiner === true) return 'late-joiner-declined';
  if (data.outcome === 'withdrawn') return 'withdrawn';
  if (data.previous === 'declined' && data.outcome === 'agreed') return 'agreed-after-decline';
  if (data.previous === 'not-recorded') return 'asked-again';
  return null;
}
