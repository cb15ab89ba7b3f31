import { browser } from 'wxt/browser';

import type { Services } from './services';
import { toolbarButton } from './tab-badge';
import type { ChecklistRecord } from '../model';

export const REMINDER_ALARM = 'checklist-reminder';
/** Checklists marked as reminded per transaction. */
const REMIND_CHUNK = 100;

/** The toolbar badge shows how many post-call checklists are waiting. */
export async function refreshBadge(s: Services): Promise<number> {
  const pending = await s.db.checklists.where('status').equals('pending').count();
  const button = toolbarButton();
  await button.setBadgeText({ text: pending ? String(pending) : '' });
  await button.setBadgeBackgroundColor({ color: '#b35c00' });
  await button.setTitle({ title: pending ? `Candor: ${pending} call checklist${pending === 1 ? '' : 's'} to complete` : 'Candor' });
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
  const isDue = (c: ChecklistRecord) => c.status === 'pending' && c.remindedAt === undefined && c.pendingSince <= cutoff;
  const keys = await db.checklists.where('status').equals('pending').filter(isDue).primaryKeys();
  // A backlog (thousands after an import or a long absence) is marked in small transactions: one
  // over all of it held every other write, and the reads behind them, for seconds.
  let due = 0;
  for (let i = 0; i < keys.length; i += REMIND_CHUNK) {
    due += await db.transaction('rw', db.checklists, async () => {
      const rows = await db.checklists.bulkGet(keys.slice(i, i + REMIND_CHUNK));
      const now = s.now();
      // Re-read in the transaction: completed or reminded meanwhile is left alone.
      const still = rows.filter((c): c is ChecklistRecord => c !== undefined && isDue(c));
      for (const c of still) await db.checklists.update(c.callId, { remindedAt: now });
      return still.length;
    });
  }
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
