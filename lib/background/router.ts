import { callConfig, handleNotetaker, handleObserved, handlePromptShown, handleRecording } from './calls';
import { handleTitle, renameCall } from './call-names';
import { handleDecide, handleLateJoiner } from './decisions';
import { markStatement, saveAiDraft } from './ai-drafts';
import { auditReportBody } from './audit-cache';
import { importBackup } from './backup-import';
import { dismissChecklist, saveChecklist } from './checklists';
import { raiseConcern, setConcernStatus } from './concerns';
import { handleExport } from './exports';
import { anchorReceipt, verifyLedger } from './ledger';
import { enroll, fetchLatestCheckpoint, leave, orgView, refreshConcerns } from './org';
import { saveNote } from './notes';
import { savePolicy } from './policy-admin';
import { attachPrompt, isPromptFrame, mountPrompt, promptSize, promptStartManual, relayToPrompt } from './prompt';
import { retrySync, syncStatus } from './sync';
import { addTag, updateTag } from './tags';
import { RequestError, type SenderInfo, type Services } from './services';
import { deleteAllData, deleteCallData, deleteTag } from './deletion';
import { t } from '../i18n';
import { explainZodError } from '../util/zod-error';
import { requestSchema, type Request, type RequestType } from '../protocol/requests';
import type { Refusal, Replies, Reply } from '../protocol/replies';

/**
 * Who may send what. `call-tab`: the content script in a call page (detection only: it never
 * decides). `prompt`: Candor's prompt frame in that page, once attached with its token (the rep's
 * choices). `page`: the extension's own pages (popup, options, report).
 */
type Origin = 'call-tab' | 'prompt' | 'page';
type Handler<T extends RequestType> = (s: Services, msg: Extract<Request, { type: T }>, sender: SenderInfo) => Promise<Replies[T]>;

/**
 * Work that runs after a request succeeded, declared by each handler (the background's entrypoint
 * says how each is done):
 * - `ledger`: consent events were written: append them to the ledger, then send what the outbox holds;
 * - `checklists`: a post-call checklist may have opened, closed or gone: badge and reminder;
 * - `call-view`: the reply is the call's new view: the prompt frames of its tabs redraw it;
 * - `call-seen`: the tab is in a call: the audible-tab nudge stands down.
 * Requests that declare nothing leave the worker free for the next message.
 */
export type FollowUp = 'ledger' | 'checklists' | 'call-view' | 'call-seen';

interface Entry<T extends RequestType> { from: readonly Origin[]; handle: Handler<T>; after?: readonly FollowUp[] }

const TAB: Origin[] = ['call-tab'];
const PROMPT: Origin[] = ['prompt'];
const PAGE: Origin[] = ['page'];
/** A call changed: its consent events go to the ledger and its prompt frames redraw. */
const CALL_CHANGED: FollowUp[] = ['ledger', 'call-view'];

const handlers: { [T in RequestType]: Entry<T> } = {
  'call/config': { from: TAB, handle: (s, m, sender) => callConfig(s, sender) },
  'call/observed': { from: TAB, handle: handleObserved, after: ['ledger', 'checklists', 'call-view', 'call-seen'] },
  'call/recording': { from: TAB, handle: (s, m) => handleRecording(s, m), after: CALL_CHANGED },
  // The meeting title the page shows: stored with the call on this machine only (call-names.ts).
  'call/title': { from: TAB, handle: (s, m) => handleTitle(s, m) },
  'prompt/mount': { from: TAB, handle: (s, m, sender) => mountPrompt(sender) },
  'prompt/relay': { from: TAB, handle: (s, m, sender) => relayToPrompt(s, m, sender) },
  'prompt/attach': { from: PROMPT, handle: (s, m, sender) => attachPrompt(s, m, sender) },
  'prompt/size': { from: PROMPT, handle: (s, m, sender) => promptSize(m, sender) },
  'prompt/start-manual': { from: PROMPT, handle: (s, m, sender) => promptStartManual(sender) },
  // The rep's choices: in the prompt frame, or in the popup (the page obstructs the prompt, or a
  // change after the call). A change made after the call can open or close its checklist.
  'call/decide': { from: ['prompt', 'page'], handle: (s, m, sender) => handleDecide(s, m, isPromptPage(sender) ? 'prompt' : 'toolbar'), after: [...CALL_CHANGED, 'checklists'] },
  'call/rename': { from: PAGE, handle: (s, m) => renameCall(s, m) },
  'call/keep-alive': { from: PROMPT, handle: async () => null },
  'call/prompt-shown': { from: PROMPT, handle: (s, m) => handlePromptShown(s, m), after: CALL_CHANGED },
  'call/notetaker': { from: PROMPT, handle: (s, m) => handleNotetaker(s, m), after: CALL_CHANGED },
  'call/late-joiner': { from: PROMPT, handle: (s, m) => handleLateJoiner(s, m), after: CALL_CHANGED },
  'note/save': { from: PAGE, handle: (s, m) => saveNote(s, m) },
  // One click in the prompt, a keyboard shortcut in the call page, or with text from the popup.
  'tag/add': { from: ['prompt', 'call-tab', 'page'], handle: (s, m) => addTag(s, m) },
  'tag/update': { from: PAGE, handle: (s, m) => updateTag(s, m) },
  // A completed checklist queues the call's summary for org sync.
  'checklist/save': { from: PAGE, handle: (s, m) => saveChecklist(s, m), after: ['ledger', 'checklists'] },
  'checklist/dismiss': { from: PAGE, handle: (s, m) => dismissChecklist(s, m), after: ['checklists'] },
  // A call whose checklist is complete sends its summary again when its AI counts change.
  'ai-draft/save': { from: PAGE, handle: (s, m) => saveAiDraft(s, m), after: ['ledger'] },
  'ai-draft/mark': { from: PAGE, handle: (s, m) => markStatement(s, m), after: ['ledger'] },
  // Concerns, exports (the access log) and imports queue org-sync records.
  'concern/raise': { from: PAGE, handle: (s, m) => raiseConcern(s, m), after: ['ledger'] },
  'concern/status': { from: PAGE, handle: (s, m) => setConcernStatus(s, m), after: ['ledger'] },
  'export/request': { from: PAGE, handle: (s, m) => handleExport(s, m), after: ['ledger'] },
  'data/import': { from: PAGE, handle: (s, m) => importBackup(s, m), after: ['ledger', 'checklists'] },
  'data/delete-all': { from: PAGE, handle: (s) => deleteAllData(s), after: ['ledger', 'checklists'] },
  // The rep's own records of a call; a deleted checklist leaves the badge.
  'call-data/delete': { from: PAGE, handle: (s, m) => deleteCallData(s, m), after: ['checklists'] },
  'tag/delete': { from: PAGE, handle: (s, m) => deleteTag(s, m) },
  'policy/save': { from: PAGE, handle: (s, m) => savePolicy(s, m), after: ['ledger', 'checklists'] },
  'ledger/verify': { from: PAGE, handle: (s, m) => verifyLedger(s, { deep: m.deep === true }) },
  'ledger/anchor': { from: PAGE, handle: (s) => anchorReceipt(s) },
  'audit/report': { from: PAGE, handle: (s, m) => auditReportBody(s, m.period) },
  'sync/status': { from: PAGE, handle: (s) => syncStatus(s) },
  'sync/retry': { from: PAGE, handle: (s) => retrySync(s), after: ['ledger'] },
  // The organisation service: enrolling sends what waits; the rest reads or forgets.
  'org/enroll': { from: PAGE, handle: (s, m) => enroll(s, m), after: ['ledger'] },
  'org/leave': { from: PAGE, handle: (s) => leave(s) },
  'org/status': { from: PAGE, handle: (s) => orgView(s) },
  'org/checkpoint': { from: PAGE, handle: (s) => fetchLatestCheckpoint(s) },
  'concern/refresh': { from: PAGE, handle: (s) => refreshConcerns(s) },
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
  if (!call) return t('error_call_unknown');
  return call.tabIds.includes(sender.tabId!) ? null : t('error_call_other_tab');
}

/**
 * The one way into the background: parse, check the sender, run the handler, reply (with the
 * handler's follow-ups).
 * Invalid input is answered with a readable error and never reaches a handler, so nothing is written.
 */
export async function route(s: Services, raw: unknown, sender: SenderInfo): Promise<Routed> {
  const parsed = requestSchema.safeParse(raw);
  if (!parsed.success) {
    // What the person typed wrong, in their words when a schema says it for them; the field paths under Details.
    const { sentence, detail } = explainZodError(parsed.error, t);
    return refused(sentence ?? t('error_request_invalid'), `${INVALID_DETAIL}${detail}`);
  }
  const msg = parsed.data;
  const entry = handlers[msg.type] as Entry<typeof msg.type>;
  try {
    const origin = await originOf(sender, msg.type);
    if (!origin || !entry.from.includes(origin)) return refused(t('error_wrong_sender'), `"${msg.type}" is not accepted from this sender.`);
    const notOwn = await ownCall(s, msg, sender, origin);
    if (notOwn) return refused(notOwn);
    return { reply: { ok: true, data: await entry.handle(s, msg as never, sender) }, after: entry.after ?? [] };
  } catch (error) {
    if (error instanceof RequestError) return refused(error.sentence(t), error.detail);
    // Storage failures (quota, a closed database) are reported, never swallowed: the sender retries.
    return { reply: { ...storageFailure(error), retryable: true }, after: [] };
  }
}

/** The reply, and the follow-up work it calls for (none unless the request succeeded). */
export interface Routed { reply: Reply<RequestType>; after: readonly FollowUp[] }
const refused = (error: string, detail?: string): Routed => ({ reply: { ok: false, error, ...(detail ? { detail } : {}) }, after: [] });
/** How the detail of a message refused by the schema begins (tests tell it from other refusals by it). */
export const INVALID_DETAIL = 'Message refused by the schema: ';

/** The reply alone (tests, and callers that run no follow-ups). */
export const routeMessage = (s: Services, raw: unknown, sender: SenderInfo): Promise<Reply<RequestType>> => route(s, raw, sender).then((r) => r.reply);

/** A storage fault in words a rep can act on; the exception, for support, goes in `detail`. */
export function storageFailure(error: unknown): Refusal {
  const name = error instanceof Error ? error.name : '';
  const inner = (error as { inner?: { name?: string } })?.inner?.name ?? '';
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const full = name === 'QuotaExceededError' || inner === 'QuotaExceededError';
  return { ok: false, error: t(full ? 'error_storage_full' : 'error_storage_retry'), detail };
}
