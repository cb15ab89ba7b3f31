import { beforeEach, describe, expect, it } from 'vitest';
import { pendingCalls, searchCalls } from '../../components/popup/list-data';

import { readDb } from '../../lib/ui/db';
import { FIRST_PAGE_DB_NAME, readFirstPage } from '../../lib/ui/first-page';
import { DB_NAME, type CallRecord } from '../../lib/model';

const BASE = Date.UTC(2025, 4, 6, 9, 0, 0);
const call = (i: number, over: Partial<CallRecord> = {}): CallRecord => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, platform: 'meet', meetingHash: 'f'.repeat(64), status: 'ended', tabIds: [],
  detectedAt: BASE + i * 1000, admittedAt: BASE + i * 1000, detectedBy: ['meet-participant-tile'], updatedAt: BASE, ...over,
});
const fields = { qualification: '', nextSteps: [], timeline: '', risks: '', competition: '', humanNuance: '', powerDynamics: '', hesitation: '', emotion: '', urgency: '', subtleObjections: '' };

describe("the popup's start-up snapshot (plain IndexedDB)", () => {
  beforeEach(async () => {
    await Promise.all(readDb.tables.map((t) => t.clear()));
  });

  it('reads the database Dexie uses', () => {
    expect(FIRST_PAGE_DB_NAME).toBe(DB_NAME);
  });

  it('gives the same rows as the live queries: newest admitted calls, pending checklists most recent first', async () => {
    // 60 admitted calls, one lobby-only visit (never admitted), 3 pending checklists.
    await readDb.calls.bulkAdd([...Array.from({ length: 60 }, (_, i) => call(i)), call(99, { admittedAt: undefined })]);
    await readDb.checklists.bulkAdd([5, 40, 20].map((i) => ({ callId: call(i).id, status: 'pending' as const, fields, pendingSince: BASE + i, updatedAt: BASE })));
    await readDb.checklists.add({ callId: call(7).id, status: 'done', fields, pendingSince: BASE, completedAt: BASE, updatedAt: BASE });
    await readDb.open();
    const snapshot = await readFirstPage(50);
    expect(snapshot?.recent.map((c) => c.id)).toEqual((await searchCalls('', 50)).map((c) => c.id));
    expect(snapshot?.pending.map((c) => c.id)).toEqual((await pendingCalls()).map((c) => c.id));
    expect(snapshot?.recent).toHaveLength(50);
  });

});
