import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { remindDue, REMINDER_ALARM, scheduleReminder } from '../../lib/background/reminders';
import type { Services } from '../../lib/background/services';
import { CandorDB } from '../../lib/db';
import { resolvePolicy } from '../../lib/policy/resolve';

const T0 = Date.UTC(2026, 10, 2, 9, 0, 0);
let db: CandorDB;
let now: number;
let localPolicy: Record<string, unknown> | undefined;
let s: Services;

beforeEach(async () => {
  db = new CandorDB(`test-${crypto.randomUUID()}`);
  now = T0;
  localPolicy = undefined;
  s = { db, now: () => now, policy: async () => resolvePolicy(undefined, localPolicy), uiLanguage: () => 'en-US' };
  await db.checklists.add({ callId: crypto.randomUUID(), status: 'pending', pendingSince: T0, fields: {} } as never);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await db.delete();
});

describe('checklist reminder (policy checklistReminder)', () => {
  it('plans one alarm at the delay and reminds once when it is due', async () => {
    localPolicy = { schemaVersion: 2, checklistReminder: { enabled: true, afterMinutes: 45 } };
    const create = vi.spyOn(fakeBrowser.notifications, 'create').mockResolvedValue(REMINDER_ALARM as never);
    await scheduleReminder(s);
    expect((await fakeBrowser.alarms.get(REMINDER_ALARM))?.scheduledTime).toBe(T0 + 45 * 60_000);
    now = T0 + 44 * 60_000;
    expect(await remindDue(s)).toBe(0);
    now = T0 + 45 * 60_000;
    expect(await remindDue(s)).toBe(1);
    expect(await remindDue(s)).toBe(0);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('a backlog larger than one transaction holds (250 due, 1 completed, 1 not due yet): each due one reminded once, one notification', async () => {
    localPolicy = { schemaVersion: 2, checklistReminder: { enabled: true, afterMinutes: 45 } };
    const create = vi.spyOn(fakeBrowser.notifications, 'create').mockResolvedValue(REMINDER_ALARM as never);
    await db.checklists.bulkAdd(Array.from({ length: 249 }, (_, i) => ({ callId: `due-${i}`, status: 'pending', pendingSince: T0 - i, fields: {} }) as never));
    await db.checklists.add({ callId: 'done', status: 'done', pendingSince: T0, completedAt: T0 + 1, fields: {} } as never);
    await db.checklists.add({ callId: 'later', status: 'pending', pendingSince: T0 + 60 * 60_000, fields: {} } as never);
    now = T0 + 45 * 60_000;
    expect(await remindDue(s)).toBe(250);
    const reminded = await db.checklists.filter((c) => c.remindedAt !== undefined).primaryKeys();
    expect(reminded).toHaveLength(250);
    expect(reminded).not.toContain('done');
    expect(reminded).not.toContain('later');
    expect(create).toHaveBeenCalledTimes(1);
    expect(create.mock.calls[0]![1]).toMatchObject({ message: expect.stringContaining('250 call checklists') });
    expect(await remindDue(s)).toBe(0);
  });

  it('switched off: no alarm and no notification, the checklist stays pending', async () => {
    localPolicy = { schemaVersion: 2, checklistReminder: { enabled: false, afterMinutes: 45 } };
    const create = vi.spyOn(fakeBrowser.notifications, 'create').mockResolvedValue(REMINDER_ALARM as never);
    await scheduleReminder(s);
    expect(await fakeBrowser.alarms.get(REMINDER_ALARM)).toBeFalsy();
    now = T0 + 7 * 24 * 3_600_000;
    expect(await remindDue(s)).toBe(0);
    expect(create).not.toHaveBeenCalled();
    expect((await db.checklists.toArray())[0]).toMatchObject({ status: 'pending' });
  });

  it('a schema-1 policy (reminderDelayMinutes) still sets the delay', async () => {
    localPolicy = { reminderDelayMinutes: 10 };
    await scheduleReminder(s);
    expect((await fakeBrowser.alarms.get(REMINDER_ALARM))?.scheduledTime).toBe(T0 + 10 * 60_000);
  });
});
