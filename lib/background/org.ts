import { browser } from 'wxt/browser';
import type { Request } from '../protocol/requests';
import type { OrgView } from '../protocol/replies';
import {
  API, approvalReplySchema, checkpointLatestReplySchema, concernStatusReplySchema, enrollReplySchema, MAX_STATUS_IDS, parseReply, serviceOrigin, serviceUrl,
  type ApprovalReply,
} from '../sync/service';
import { repId } from './ledger';
import { describeAnswer, netOf, permissionPattern, request, type Answer } from './org-http';
import { says } from '../i18n/says';
import type { MessageKey } from '../i18n/translate';
import { RequestError, type Services } from './services';
import { latestCheckpoint, storeCheckpoint, witnessedView } from './witness';
import { OUTBOX_PARKED, type ConcernRecord, type OrgEnrollmentRecord } from '../model';

/**
 * This install and the organisation service (docs/org.md): enrollment with a code from the console
 * or the managed policy's key, leaving, the concern statuses the console sets, approvals for
 * performance use, and the witness's latest checkpoint on demand. The token, the anonymous key and
 * the witness keys live in the `org` table, never in the policy or a backup, and no page is sent them.
 */

const ENROLLMENT = 'enrollment' as const;
const REVOKED = "This install's access was revoked; enroll again.";

type OrgEnroll = Extract<Request, { type: 'org/enroll' }>;

export async function enrollment(s: Services): Promise<OrgEnrollmentRecord | null> {
  return (await s.db.org.get(ENROLLMENT)) ?? null;
}

/** The enrollment to use now: for the service the policy names (after a change of service, none) and not revoked. */
export async function activeEnrollment(s: Services): Promise<OrgEnrollmentRecord | null> {
  const [record, { policy }] = await Promise.all([enrollment(s), s.policy()]);
  const service = policy.orgSync.service;
  if (!record || record.revoked || !service || serviceOrigin(record.service) !== serviceOrigin(service)) return null;
  return record;
}

/** Marks the token revoked (the service refused it): sending stops until the install enrolls again. */
export async function markRevoked(s: Services, detail: string): Promise<void> {
  await s.db.org.update(ENROLLMENT, { revoked: { at: s.now(), message: `${REVOKED} (${detail})` } });
}

/** A sentence ends with one full stop, whether or not the service's own sentence brought it. */
const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);
/** The service did not do what was asked: `key` says so in the rep's words, with the service's own answer. */
const refusal = (key: MessageKey, answer: Answer) => new RequestError(says(key, sentence(describeAnswer(answer))));

async function needPermission(s: Services, service: string): Promise<void> {
  if (!(await netOf(s).hasPermission(permissionPattern(service)))) {
    throw new RequestError(says('refusal_org_permission', serviceOrigin(service)));
  }
}

/**
 * Enrolls with the service the policy names, with the code the rep entered or the managed policy's
 * enrollment key. Re-enrolling replaces the stored token (the service revokes the old one), and
 * every waiting or refused outbox item is due again.
 */
export async function enroll(s: Services, msg: OrgEnroll): Promise<OrgView> {
  const { policy } = await s.policy();
  const service = policy.orgSync.service;
  if (!service) throw new RequestError(says('refusal_org_no_service'));
  const code = msg.code?.trim() || policy.orgSync.enrollmentKey;
  if (!code) throw new RequestError(says('refusal_enroll_code_needed'));
  await needPermission(s, service);
  const installId = await repId(s);
  const answer = await request(netOf(s), serviceUrl(service, API.enroll), {
    method: 'POST', body: { code, installId, extensionVersion: browser.runtime.getManifest().version },
  }, s.now());
  if (answer.kind !== 'answer' || answer.status !== 201) throw refusal('refusal_enroll_failed', answer);
  const reply = parseReply(enrollReplySchema, answer.text);
  if (!reply.ok) throw new RequestError(says('refusal_enroll_reply'), sentence(reply.error));
  if (reply.data.installId !== installId) throw new RequestError(says('refusal_enroll_reply'), 'The service enrolled another install id than this one.');
  const record: OrgEnrollmentRecord = { key: ENROLLMENT, service, ...reply.data, enrolledAt: s.now() };
  const { db } = s;
  await db.transaction('rw', db.org, db.outbox, async () => {
    await db.org.put(record);
    // Refused while not enrolled or revoked: worth sending with the new token.
    await db.outbox.where('nextAttemptAt').equals(OUTBOX_PARKED).modify({ nextAttemptAt: s.now(), attempts: 0 });
  });
  return orgView(s);
}

/** "Leave the organisation service": forgets the token. Checkpoints stay: they remain the witness's signed word. */
export async function leave(s: Services): Promise<OrgView> {
  await s.db.org.delete(ENROLLMENT);
  return orgView(s);
}

/** What the options page shows: never the token or the keys themselves. */
export async function orgView(s: Services): Promise<OrgView> {
  const [record, latest, { policy }] = await Promise.all([enrollment(s), latestCheckpoint(s.db), s.policy()]);
  const service = policy.orgSync.service;
  const forService = !!record && !!service && serviceOrigin(record.service) === serviceOrigin(service);
  return {
    service: service ? serviceOrigin(service) : null,
    hasEnrollmentKey: policy.orgSync.enrollmentKey !== null,
    enrolled: record && forService && !record.revoked
      ? { service: serviceOrigin(record.service), team: record.team, since: record.enrolledAt, installId: record.installId, witnessKeys: record.witnessKeys.map((k) => ({ keyId: k.keyId, publicKey: k.publicKey, retired: k.retiredAt !== null })) }
      : null,
    revoked: record?.revoked && forService ? record.revoked.message : null,
    otherService: record && !forService ? serviceOrigin(record.service) : null,
    latestCheckpoint: latest ? witnessedView(latest) : null,
  };
}

/** The witness's latest checkpoint for this install, fetched now (with its current keys) and stored if it verifies. */
export async function fetchLatestCheckpoint(s: Services): Promise<OrgView> {
  const active = await activeEnrollment(s);
  if (!active) throw new RequestError(says('refusal_org_not_enrolled'));
  await needPermission(s, active.service);
  const answer = await request(netOf(s), serviceUrl(active.service, API.checkpointLatest), { method: 'GET', bearer: active.token }, s.now());
  if (answer.kind !== 'answer' || answer.status !== 200) {
    if (answer.kind === 'answer' && [401, 403, 410].includes(answer.status)) await markRevoked(s, describeAnswer(answer));
    throw refusal('refusal_checkpoint_failed', answer);
  }
  const reply = parseReply(checkpointLatestReplySchema, answer.text);
  if (!reply.ok) throw new RequestError(says('refusal_checkpoint_failed', sentence(reply.error)));
  // The keys come with it: a rotation adds one, and retired keys stay published.
  const updated = { ...active, witnessKeys: reply.data.witnessKeys };
  await s.db.org.put(updated);
  if (reply.data.checkpoint) {
    const verdict = await storeCheckpoint(s, updated, reply.data.checkpoint);
    if ('error' in verdict) throw new RequestError(says('refusal_checkpoint_not_stored'), sentence(verdict.error));
  }
  return orgView(s);
}

/**
 * The console's triage of the rep's concerns, read from the service: this install's own concerns
 * with its token, anonymous ones with the org's anonymous key only (the service cannot tie them to
 * the install). Stored as the concern's `orgStatus`, beside the rep's own text and status.
 */
export async function refreshConcerns(s: Services): Promise<{ updated: number }> {
  const active = await activeEnrollment(s);
  if (!active) return { updated: 0 };
  if (!(await netOf(s).hasPermission(permissionPattern(active.service)))) return { updated: 0 };
  const concerns = await s.db.concerns.toArray();
  let updated = 0;
  for (const anonymous of [false, true]) {
    const ids = concerns.filter((c) => c.anonymous === anonymous).map((c) => c.id);
    for (let i = 0; i < ids.length; i += MAX_STATUS_IDS) {
      const answer = await request(netOf(s), serviceUrl(active.service, anonymous ? API.anonymousConcernStatus : API.concernStatus), {
        method: 'POST', bearer: anonymous ? active.anonymousKey : active.token, body: { ids: ids.slice(i, i + MAX_STATUS_IDS) },
      }, s.now());
      if (answer.kind !== 'answer' || answer.status !== 200) {
        if (!anonymous && answer.kind === 'answer' && [401, 403, 410].includes(answer.status)) await markRevoked(s, describeAnswer(answer));
        throw refusal('refusal_concern_status_failed', answer);
      }
      const reply = parseReply(concernStatusReplySchema, answer.text);
      if (!reply.ok) throw new RequestError(says('refusal_concern_status_failed', sentence(reply.error)));
      updated += await storeOrgStatus(s, reply.data.concerns);
    }
  }
  return { updated };
}

async function storeOrgStatus(s: Services, rows: { id: string; status: ConcernRecord['status']; reply: string | null; updatedAt: string }[]): Promise<number> {
  const { db } = s;
  return db.transaction('rw', db.concerns, async () => {
    let n = 0;
    for (const row of rows) {
      const concern = await db.concerns.get(row.id);
      if (!concern) continue;
      const updatedAt = Date.parse(row.updatedAt);
      const known = concern.orgStatus;
      if (known && known.status === row.status && known.reply === row.reply && known.updatedAt === updatedAt) continue;
      await db.concerns.update(row.id, { orgStatus: { status: row.status, reply: row.reply, updatedAt, readAt: s.now() } });
      n++;
    }
    return n;
  });
}

/**
 * Redeems an approval code from the console for one performance export (the service counts the
 * use, and checks the code's expiry, rep and number of uses). Returns the approval as issued.
 */
export async function redeemApproval(s: Services, active: OrgEnrollmentRecord, code: string, action: string, callCount: number): Promise<ApprovalReply['approval']> {
  await needPermission(s, active.service);
  const answer = await request(netOf(s), serviceUrl(active.service, API.redeemApproval), {
    method: 'POST', bearer: active.token, body: { code: code.trim(), action, callCount },
  }, s.now());
  if (answer.kind !== 'answer') throw new RequestError(says('refusal_approval_unchecked', sentence(answer.error)));
  if (answer.status !== 200) {
    if (answer.status === 401) await markRevoked(s, describeAnswer(answer));
    throw refusal('refusal_approval_refused', answer);
  }
  const reply = parseReply(approvalReplySchema, answer.text);
  if (!reply.ok) throw new RequestError(says('refusal_approval_unchecked', sentence(reply.error)));
  return reply.data.approval;
}
