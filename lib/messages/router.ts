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
import { attachPrompt, isPromptFrame, mountPrompt, promptSize, promptStartManual, relayToPrompt } from '../background/prompt';
import { retrySync, syncStatus } from '../background/sync';
import { addTag, updateTag } from '../background/tags';
import { RequestError, type SenderInfo, type Services } from '../background/services';
import { describeZodError } from '../util/zod-error';
import { requestSchema, type Replies, type Reply, type Request, type RequestType } from './schema';

/**
 * Who may send what. `call-tab`: the content script in a call page (detection only: it never
 * decides). `prompt`: Candor's prompt frame in that page, once attached with its token (the rep's
 * choices). `page`: the extension's own pages (popup, options, report).
 */
type Origin = 'call-tab' | 'prompt' | 'page';
type Handler<T extends RequestType> = (s: Services, msg: Extract<Request, { type: T }>, sender: SenderInfo) => Promise<Replies[T]>;

const TAB: Origin[] = ['call-tab'];
const PROMPT: Origin[] = ['prompt'];
const PAGE: Origin[] = ['page'];

const handlers: { [T in RequestType]: { from: Origin[]; handle: Handler<T> } } = {
  'call/config': { from: TAB, handle: (s, m, sender) => callConfig(s, sender) },
  'call/observed': { from: TAB, handle: handleObserved },
  'call/recording': { from: TAB, handle: (s, m) => handleRecording(s, m) },
  'prompt/mount': { from: TAB, handle: (s, m, sender) => mountPrompt(sender) },
  'prompt/relay': { from: TAB, handle: (s, m, sender) => relayToPrompt(s, m, sender) },
  'prompt/attach': { from: PROMPT, handle: (s, m, sender) => attachPrompt(s, m, sender) },
  'prompt/size': { from: PROMPT, handle: (s, m, sender) => promptSize(m, sender) },
  'prompt/start-manual': { from: PROMPT, handle: (s, m, sender) => promptStartManual(sender) },
  // The rep's choices: in the prompt frame, or in the popup when the page obstructs the prompt.
  'call/decide': { from: ['prompt', 'page'], handle: (s, m, sender) => handleDecide(s, m, isPromptPage(sender) ? 'prompt' : 'toolbar') },
  'call/keep-alive': { from: PROMPT, handle: async () => null },
  'call/prompt-shown': { from: PROMPT, handle: (s, m) => handlePromptShown(s, m) },
  'call/notetaker': { from: PROMPT, handle: (s, m) => handleNotetaker(s, m) },
  'call/late-joiner': { from: PROMPT, handle: (s, m) => handleLateJoiner(s, m) },
  'note/save': { from: PAGE, handle: (s, m) => saveNote(s, m) },
  // One click in the prompt, a keyboard shortcut in the call page, or with text from the popup.
  'tag/add': { from: ['prompt', 'call-tab', 'page'], handle: (s, m) => addTag(s, m) },
  'tag/update': { from: PAGE, handle: (s, m) => updateTag(s, m) },
  'checklist/save': { from: PAGE, handle: (s, m) => saveChecklist(s, m) },
  'ai-draft/save': { from: PAGE, handle: (s, m) => saveAiDraft(s, m) },
  'ai-draft/mark': { from: PAGE, handle: (s, m) => markStatement(s, m) },
  'concern/raise': { from: PAGE, handle: (s, m) => raiseConcern(s, m) },
  'concern/status': { from: PAGE, handle: (s, m) => setConcernStatus(s, m) },
  'export/request': { from: PAGE, handle: (s, m) => handleExport(s, m) },
  'data/import': { from: PAGE, handle: (s, m) => importBackup(s, m) },
  'data/delete-all': { from: PAGE, handle: (s) => deleteAllData(s) },
  'policy/save': { from: PAGE, handle: (s, m) => savePolicy(s, m) },
  'ledger/verify': { from: PAGE, handle: (s, m) => verifyLedger(s, { deep: m.deep === true }) },
  'audit/report': { from: PAGE, handle: (s, m) => auditReportBody(s, m.period) },
  'sync/status': { from: PAGE, handle: (s) => syncStatus(s) },
  'sync/retry': { from: PAGE, handle: (s) => retrySync(s) },
};

/** The prompt frame is an extension page inside a call tab; `prompt/attach` is how it becomes the tab's prompt. */
export const PROMPT_PATH = '/prompt.html';
const isPromptPage = (sender: SenderInfo) => sender.extensionPage && sender.tabId !== undefined && !!sender.url && new URL(sender.url).pathname === PROMPT_PATH;

async function originOf(sender: SenderInfo, type: RequestType): Promise<Origin | null> {
  if (!sender.extensionPage) return sender.tabId !== undefined ? 'call-tab' : null;
  if (!isPromptPage(sender)) return 'page';
  return type === 'prompt/attach' || (await isPromptFrame(sender)) ? 'prompt' : null;
}

/**
 * A call message from a tab (its content script or its prompt) must name the tab's own call: the
 * prompt of tab A can never decide tab B's call.
 */
async function ownCall(s: Services, msg: Request, sender: SenderInfo, origin: Origin): Promise<string | null> {
  if (origin === 'page' || !('callId' in msg) || typeof msg.callId !== 'string') return null;
  const call = await s.db.calls.get(msg.callId);
  if (!call) return 'This call is not known to Candor.';
  return call.tabIds.includes(sender.tabId!) ? null : 'This call belongs to another tab.';
}

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
  const entry = handlers[msg.type] as { from: Origin[]; handle: Handler<typeof msg.type> };
  try {
    const origin = await originOf(sender, msg.type);
    if (!origin || !entry.from.includes(origin)) {
      return { ok: false, error: `"${msg.type}" is not accepted from this sender.` };
    }
    const refused = await ownCall(s, msg, sender, origin);
    if (refused) return { ok: false, error: refused };
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
