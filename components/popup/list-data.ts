import { liveQuery } from 'dexie';

import { readDb } from '../../lib/ui/db';
import { outcomeLabel, platformLabel } from '../../lib/ui/format';
import type { CallRecord } from '../../lib/model';

/**
 * The list's live queries (Dexie). CallList loads this module on demand, after its first render:
 * the first screen comes from a plain-IndexedDB snapshot (lib/ui/first-page.ts), so Dexie is not
 * on the path to the first row (docs/performance.md, row 5).
 */
export { liveQuery };

/** Calls whose post-call checklist is still pending, most recent first (the status index keeps it cheap). */
export async function pendingCalls(): Promise<CallRecord[]> {
  const lists = await readDb.checklists.where('status').equals('pending').sortBy('pendingSince');
  const calls = await readDb.calls.bulkGet(lists.map((l) => l.callId));
  return calls.filter((c): c is CallRecord => !!c).reverse();
}

/**
 * Calls matching a search: the call's name (the rep's or the platform's meeting title), its account
 * or opportunity, platform, outcome or words in the rep's notes. Bounded to one page.
 */
export async function searchCalls(query: string, limit: number): Promise<CallRecord[]> {
  const q = query.trim().toLowerCase();
  const ordered = readDb.calls.orderBy('admittedAt').reverse();
  if (!q) return ordered.limit(limit).toArray();
  const noteHits = new Set((await readDb.notes.filter((n) => n.text.toLowerCase().includes(q)).primaryKeys()) as string[]);
  return ordered
    .filter((c) => noteHits.has(c.id) || [c.title, c.platformTitle, c.account].some((v) => !!v && v.toLowerCase().includes(q)) || platformLabel(c.platform).toLowerCase().includes(q) || outcomeLabel(c.outcome).toLowerCase().includes(q))
    .limit(limit)
    .toArray();
}
