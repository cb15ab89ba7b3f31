import { applyChecklistScope } from './checklists';
import { callTables, callView, currentDecisionId, event } from './call-records';
import { currentNotice } from './ledger';
import type { Request } from '../protocol/requests';
import type { CallView } from '../protocol/replies';
import { categoryKeys } from '../i18n/labels';
import { changeWindowOpen, decisionChange, decisionChangeRefusal, forbidsRecording } from '../call/outcomes';
import { says } from '../i18n/says';
import { clampTime, RequestError, type Services } from './services';
import type { CallRecord, DecisionChangeKind } from '../model';

type Decide = Extract<Request, { type: 'call/decide' }>;
type LateJoiner = Extract<Request, { type: 'call/late-joiner' }>;

/*
 * The consent decision and its changes. A decision is never edited: every choice is a new
 * `decision` event (a consent record in the ledger), and a change names the decision it supersedes
 * (`supersedes`: that event's id, `previous`: its outcome, `change`: what kind of change). The call
 * record only points at the decision in force (`decisionId`). docs/ledger.md lists the fields.
 */

/** What a decision event says about the one before it (nothing for the first decision). */
function supersession(current: CallRecord, change: DecisionChangeKind | 'first', supersedes: string | undefined) {
  if (change === 'first' || !current.outcome) return {};
  return { previous: current.outcome, change, ...(supersedes ? { supersedes } : {}) };
}

/** "45 minutes" / "2 hours" / "3 days", for the refusal below. */
function elapsed(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} hours` : `${Math.round(hours / 24)} days`;
}

/** `via`: where the rep chose, the prompt in the call page or the toolbar popup (the page obstructed the prompt, or after the call). */
export async function handleDecide(s: Services, msg: Decide, via: 'prompt' | 'toolbar' = 'prompt'): Promise<CallView> {
  const at = clampTime(msg.at, s.now());
  const { db } = s;
  const { policy } = await s.policy();
  const rule = msg.category ? policy.recordingStandards[msg.category] : undefined;
  // The recording standard is enforced here, not only in the prompt.
  if (rule === 'never-record' && msg.outcome !== 'not-recorded' && msg.outcome !== 'withdrawn') {
    throw new RequestError(says('refusal_category_never_recorded', { key: categoryKeys[msg.category!] }));
  }
  const reason = rule === 'never-record' && msg.outcome === 'not-recorded' ? 'never-record-rule' : msg.reason;
  const notice = await currentNotice(s);
  const call = await db.transaction('rw', callTables(db), async () => {
    const current = await db.calls.get(msg.callId);
    if (!current) throw new RequestError(says('error_call_unknown'));
    if (await db.events.get(msg.eventId)) return current;
    if (current.admittedAt === undefined) throw new RequestError(says('refusal_consent_in_lobby'));
    const before = { outcome: current.outcome, reason: current.reason, category: current.category };
    const next = { outcome: msg.outcome, reason: reason ?? null, category: msg.category ?? null };
    const change = decisionChange(before, next);
    if (change === null) throw new RequestError(says(decisionChangeRefusal(before, next)));
    if (current.status === 'ended') {
      if (change === 'first') throw new RequestError(says('refusal_call_ended'));
      // Withdrawal is never limited: it must stay as easy as agreeing was.
      if (change !== 'withdrawn' && !changeWindowOpen(current, policy.decisionChangeMinutes, s.now())) {
        throw new RequestError(says('refusal_change_window', policy.decisionChangeMinutes), `The call ended ${elapsed(s.now() - current.endedAt!)} ago.`);
      }
    }
    const supersedes = change === 'first' ? undefined : await currentDecisionId(db, current);
    await db.calls.update(current.id, {
      outcome: msg.outcome, reason, decidedAt: at, decisionId: msg.eventId, updatedAt: s.now(),
      ...(msg.category ? { category: msg.category, rule } : {}),
    });
    await db.events.add(event(msg.eventId, current.id, 'decision', at, {
      outcome: msg.outcome,
      ...(reason ? { reason } : {}),
      ...(msg.category ? { category: msg.category, rule } : {}),
      policyVersion: policy.policyVersion,
      notice,
      via,
      ...supersession(current, change, supersedes),
    }));
    if (current.recordingSince !== undefined && forbidsRecording(msg.outcome)) {
      await db.events.add(event(crypto.randomUUID(), current.id, 'recording-after-decline', at, { sources: current.recordingSources ?? [] }));
    }
    const updated = (await db.calls.get(current.id))!;
    // A call type corrected after the call: its CRM checklist follows the new type.
    if (current.status === 'ended' && updated.category !== current.category) await applyChecklistScope(db, updated, s.now(), policy.checklistCategories);
    return (await db.calls.get(current.id))!;
  });
  return callView(s, call);
}

/**
 * Someone joined after consent was given and the rep confirmed with them (or not). Under
 * all-party consent one newcomer's "no" is the call's "no": the outcome becomes declined, a change
 * that supersedes the agreement.
 */
export async function handleLateJoiner(s: Services, msg: LateJoiner): Promise<CallView> {
  const at = clampTime(msg.at, s.now());
  const notice = await currentNotice(s);
  const { db } = s;
  const call = await db.transaction('rw', callTables(db), async () => {
    const current = await db.calls.get(msg.callId);
    if (!current) throw new RequestError(says('error_call_unknown'));
    if (await db.events.get(msg.eventId)) return current;
    await db.events.add(event(msg.eventId, current.id, 'late-joiner', at, { joined: msg.joined, answer: msg.answer, notice, policyVersion: notice.version }));
    if (msg.answer === 'declined' && !forbidsRecording(current.outcome)) {
      const decisionId = crypto.randomUUID();
      const change = current.outcome ? 'late-joiner-declined' : 'first';
      const supersedes = current.outcome ? await currentDecisionId(db, current) : undefined;
      await db.calls.update(current.id, { outcome: 'declined', reason: undefined, decidedAt: at, decisionId, updatedAt: s.now() });
      await db.events.add(event(decisionId, current.id, 'decision', at, { outcome: 'declined', lateJoiner: true, ...supersession(current, change, supersedes) }));
      if (current.recordingSince !== undefined) {
        await db.events.add(event(crypto.randomUUID(), current.id, 'recording-after-decline', at, { sources: current.recordingSources ?? [] }));
      }
    }
    return (await db.calls.get(current.id))!;
  });
  return callView(s, call);
}
