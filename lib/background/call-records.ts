import type { CandorDB } from '../db';
import { LEDGERED_EVENTS } from './ledger';
import type { CallView } from '../protocol/replies';
import { platformById } from '../platforms';
import { promptTexts } from '../policy/resolve';
import type { Services } from './services';
import type { CallEvent, CallRecord } from '../model';

/*
 * What the call handlers (calls.ts: the call's life; decisions.ts: consent and its changes;
 * call-names.ts: titles) share: the tables a call change touches, how an event is written, and the
 * view the prompt draws.
 */

/** Everything a call change may touch, in one transaction. */
export const callTables = (db: CandorDB) => [db.calls, db.events, db.checklists];

/** Consent events wait (chain: 0) to be appended to the ledger once their transaction commits. */
export function event(id: string, callId: string, type: CallEvent['type'], at: number, data: CallEvent['data'] = {}): CallEvent {
  return { id, callId, type, at, data, ...(LEDGERED_EVENTS.has(type) ? { chain: 0 as const } : {}) };
}

/**
 * The decision event that holds the call's outcome (a change names it as superseded): the call
 * says which, or, for calls decided before it did, the latest decision event (ties: the larger id,
 * as the audit breaks them). Runs inside the caller's transaction (it must include `events`).
 */
export async function currentDecisionId(db: CandorDB, call: CallRecord): Promise<string | undefined> {
  if (call.decisionId) return call.decisionId;
  if (call.outcome === undefined) return undefined;
  const decisions = await db.events.where('callId').equals(call.id).filter((e) => e.type === 'decision').toArray();
  let latest: CallEvent | undefined;
  for (const e of decisions) if (!latest || e.at > latest.at || (e.at === latest.at && e.id > latest.id)) latest = e;
  return latest?.id;
}

export async function callView(s: Services, call: CallRecord): Promise<CallView> {
  const { policy } = await s.policy();
  return {
    callId: call.id,
    platformLabel: platformById(call.platform)?.label ?? call.platform,
    admitted: call.status === 'active',
    outcome: call.outcome ?? null,
    reason: call.reason ?? null,
    decidedAt: call.decidedAt ?? null,
    promptShown: call.promptShownAt !== undefined,
    texts: promptTexts(policy, s.uiLanguage()),
    recording: { active: call.recordingSince !== undefined, since: call.recordingSince ?? null, sources: call.recordingSources ?? [] },
    suspectedBots: (call.suspectedBots ?? []).filter((name) => !call.confirmedBots?.includes(name)),
    notetakerNames: policy.notetakerNames,
    tags: policy.tags,
    recordingStandards: policy.recordingStandards,
    defaultCategory: policy.defaultCategory,
    category: call.category ?? null,
  };
}
