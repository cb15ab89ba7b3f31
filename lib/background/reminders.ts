import { browser } from 'wxt/browser';
import type { Services } from './services';

export const REMINDER_ALARM = 'checklist-reminder';

/** The toolbar badge shows how many post-call checklists are waiting. */
export async function refreshBadge(s: Services): Promise<number> {
  const pending = await s.db.checklists.where('status').equals('pending').count();
  await browser.action.setBadgeText({ text: pending ? String(pending) : '' });
  await browser.action.setBadgeBackgroundColor({ color: '#b35c00' });
  await browser.action.setTitle({ title: pending ? `Candor: ${pending} call checklist${pending === 1 ? '' : 's'} to complete` : 'Candor' });
  return pending;
}

/**
 * One alarm at the next reminder due (a pending checklist older than the policy's delay that was
 * not reminded yet). Alarms survive the worker being stopped; timers would not.
 */
export async function scheduleReminder(s: Services): Promise<void> {
  const { policy } = await s.policy();
  const delay = policy.checklistReminder.afterMinutes * 60_000;
  const pending = await s.db.checklists.where('status').equals('pending').filter((c) => c.remindedAt === undefined).toArray();
  if (pending.length === 0 || !policy.checklistReminder.enabled) {
    await browser.alarms.clear(REMINDER_ALARM);
    return;
  }
  const next = Math.min(...pending.map((c) => c.pendingSince + delay));
  await browser.alarms.create(REMINDER_ALARM, { when: Math.max(next, s.now() + 1_000) });
}

/** Shows one notification for every checklist whose reminder is due, then plans the next one. */
export async function remindDue(s: Services): Promise<number> {
  const { policy } = await s.policy();
  if (!policy.checklistReminder.enabled) return 0;
  const cutoff = s.now() - policy.checklistReminder.afterMinutes * 60_000;
  const { db } = s;
  const due = await db.transaction('rw', db.checklists, async () => {
    const list = await db.checklists.where('status').equals('pending').filter((c) => c.remindedAt === undefined && c.pendingSince <= cutoff).toArray();
    for (const c of list) await db.checklists.update(c.callId, { remindedAt: s.now() });
    return list.length;
  });
  if (due > 0) {
    await browser.notifications.create(REMINDER_ALARM, {
      type: 'basic',
      iconUrl: browser.runtime.getURL('/icon/128.png'),
      title: 'Candor: complete your call notes',
      message: due === 1 ? 'A call checklist is waiting: qualification, next steps, risks and the human nuance only you saw.' : `${due} call checklists are waiting. Open Candor from the toolbar to complete them.`,
    });
  }
  await scheduleReminder(s);
  return due;
}
