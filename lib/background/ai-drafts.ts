import type { Request } from '../protocol/requests';
import { says } from '../i18n/says';
import { RequestError, type Services } from './services';
import { syncEnabled } from '../sync/payload';
import { queueCallSummary } from './call-summary';

type AiDraftSave = Extract<Request, { type: 'ai-draft/save' }>;
type AiDraftMark = Extract<Request, { type: 'ai-draft/mark' }>;

/** One statement per line or bullet; bullets and numbering are stripped, empty lines dropped. */
export function splitStatements(text: string): string[] {
  return text
    .split(/\r?\n|(?<=[.!?])\s+(?=[-•*]\s)/)
    .map((line) => line.replace(/^\s*(?:[-•*‣◦]|\d+[.)])\s+/, '').trim())
    .filter((line) => line.length > 0)
    .slice(0, 500);
}

/** Stores a notetaker's summary as an AI draft next to (never over) the rep's own fields. */
export async function saveAiDraft(s: Services, msg: AiDraftSave): Promise<{ statements: number }> {
  const { db } = s;
  const syncOn = syncEnabled((await s.policy()).policy);
  return db.transaction('rw', [db.calls, db.checklists, db.aiDrafts, db.outbox], async () => {
    if (!(await db.calls.get(msg.callId))) throw new RequestError(says('error_call_unknown'));
    const now = s.now();
    const statements = splitStatements(msg.text).map((text, i) => ({ id: `s${i + 1}`, text }));
    const existing = await db.aiDrafts.get(msg.callId);
    await db.aiDrafts.put({ callId: msg.callId, source: msg.source, statements, createdAt: existing?.createdAt ?? now, updatedAt: now });
    if (syncOn) await queueCallSummary(db, msg.callId, now);
    return { statements: statements.length };
  });
}

export async function markStatement(s: Services, msg: AiDraftMark): Promise<{ statementId: string }> {
  const { db } = s;
  const syncOn = syncEnabled((await s.policy()).policy);
  return db.transaction('rw', [db.calls, db.checklists, db.aiDrafts, db.outbox], async () => {
    const draft = await db.aiDrafts.get(msg.callId);
    const statement = draft?.statements.find((st) => st.id === msg.statementId);
    if (!draft || !statement) throw new RequestError(says('error_statement_gone'));
    const statements = draft.statements.map((st) =>
      st.id === msg.statementId ? { ...st, ...(msg.mark ? { mark: msg.mark } : { mark: undefined }) } : st,
    );
    await db.aiDrafts.update(msg.callId, { statements, updatedAt: s.now() });
    if (syncOn && statement.mark !== (msg.mark ?? undefined)) await queueCallSummary(db, msg.callId, s.now());
    return { statementId: msg.statementId };
  });
}
