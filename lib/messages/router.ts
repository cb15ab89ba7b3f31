import { callConfig, handleDecide, handleLateJoiner, handleNotetaker, handleObserved, handlePromptShown, handleRecording } from '../background/calls';
import { markStatement, saveAiDraft } from '../background/ai-drafts';
import { auditReportBody } from '../background/audit-days';
import { deleteAllData, importBackup } from '../background/backup';
import { saveChecklist } from '../background/checklists';
import { raiseConcern, setConcernStatus } from '../background/concerns';
import { handleExport } from '../background/exports';
import { verifyLedger } from '../background/ledger';
import { saveNote } from '../background/notes';
import { savePolicy } from '../background/policy-admin';
import { retrySync, syncStatus } from '../background/sync';
import { addTag, updateTag } from '../background/tags';
import { RequestError, type SenderInfo, type Services } from '../background/services';
import { describeZodError } from '../util/zod-error';
import { requestSchema, type Replies, type Reply, type Request, type RequestType } from './schema';

type Origin = 'call-tab' | 'extension-page' | 'any';
type Handler<T extends RequestType> = (s: Services, msg: Extract<Request, { type: T }>, sender: SenderInfo) => Promise<Replies[T]>;

/** Which surface may send what: call messages only from call tabs, the rest only from our own pages. */
const handlers: { [T in RequestType]: { from: Origin; handle: Handler<T> } } = {
  'call/config': { from: 'call-tab', handle: (s, m, sender) => callConfig(s, sender) },
  'call/observed': { from: 'call-tab', handle: handleObserved },
  'call/decide': { from: 'call-tab', handle: (s, m) => handleDecide(s, m) },
  'call/keep-alive': { from: 'call-tab', handle: async () => null },
  'call/prompt-shown': { from: 'call-tab', handle: (s, m) => handlePromptShown(s, m) },
  'call/recording': { from: 'call-tab', handle: (s, m) => handleRecording(s, m) },
  'call/notetaker': { from: 'call-tab', handle: (s, m) => handleNotetaker(s, m) },
  'call/late-joiner': { from: 'call-tab', handle: (s, m) => handleLateJoiner(s, m) },
  'note/save': { from: 'extension-page', handle: (s, m) => saveNote(s, m) },
  // One click in the call page, or with text from the popup.
  'tag/add': { from: 'any', handle: (s, m) => addTag(s, m) },
  'tag/update': { from: 'extension-page', handle: (s, m) => updateTag(s, m) },
  'checklist/save': { from: 'extension-page', handle: (s, m) => saveChecklist(s, m) },
  'ai-draft/save': { from: 'extension-page', handle: (s, m) => saveAiDraft(s, m) },
  'ai-draft/mark': { from: 'extension-page', handle: (s, m) => markStatement(s, m) },
  'concern/raise': { from: 'extension-page', handle: (s, m) => raiseConcern(s, m) },
  'concern/status': { from: 'extension-page', handle: (s, m) => setConcernStatus(s, m) },
  'export/request': { from: 'extension-page', handle: (s, m) => handleExport(s, m) },
  'data/import': { from: 'extension-page', handle: (s, m) => importBackup(s, m) },
  'data/delete-all': { from: 'extension-page', handle: (s) => deleteAllData(s) },
  'policy/save': { from: 'extension-page', handle: (s, m) => savePolicy(s, m) },
  'ledger/verify': { from: 'extension-page', handle: (s, m) => verifyLedger(s, { deep: m.deep === true }) },
  'audit/report': { from: 'extension-page', handle: (s, m) => auditReportBody(s, m.period) },
  'sync/status': { from: 'extension-page', handle: (s) => syncStatus(s) },
  'sync/retry': { from: 'extension-page', handle: (s) => retrySync(s) },
};

/**
 * The one way into the background: parse, check the sender, run the handler, reply.
 * Invalid input is answered with a readable error and never reaches a handler, so nothing is written.
 */
export async function routeMessage(s: Services, raw: unknown, sender: SenderInfo): Promise<Reply<RequestType>> {
  const parsed = requestSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, error: `Candor rejected a message: ${describeZodError(parsed.error)}` };
  }
  const msg = parsed.data;
  const entry = handlers[msg.type] as { from: Origin; handle: Handler<typeof msg.type> };
  const origin: Origin | null = sender.extensionPage ? 'extension-page' : sender.tabId !== undefined ? 'call-tab' : null;
  if (!origin || (entry.from !== 'any' && entry.from !== origin)) {
    return { ok: false, error: `"${msg.type}" is not accepted from this sender.` };
  }
  try {
    return { ok: true, data: await entry.handle(s, msg as never, sender) };
  } catch (error) {
    if (error instanceof RequestError) return { ok: false, error: error.message };
    // Storage failures (quota, a closed database) are reported, never swallowed: the sender retries.
    return { ok: false, error: storageFailureMessage(error), retryable: true };
  }
}

/** A storage fault in words a rep can act on; the technical detail stays in brackets for support. */
export function storageFailureMessage(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  const inner = (error as { inner?: { name?: string } })?.inner?.name ?? '';
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (name === 'QuotaExceededError' || inner === 'QuotaExceededError') {
    return `Your browser's storage for Candor is full, so this was not saved yet. Candor keeps it and tries again; free some disk space or export and delete old calls (Settings → Your data). [${detail}]`;
  }
  return `Candor could not save this yet and will try again. [${detail}]`;
}
