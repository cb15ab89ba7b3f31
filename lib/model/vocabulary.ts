/**
 * The domain's words, each list written once. Everything else (schemas, labels, exports, the audit,
 * the forms) is derived from these lists. Imports nothing of the app.
 */

/** The name of Candor's IndexedDB database (the background writes it; the extension's pages read it). */
export const DB_NAME = 'candor';

/** The page that shows the rep the policy's rules in words: opened on install, linked from the popup. */
export const RULES_PAGE = '/rules.html';

export const platformIds = ['meet', 'zoom', 'teams'] as const;
export type PlatformId = (typeof platformIds)[number];

export const languages = ['en', 'es', 'de', 'fr'] as const;
export type Language = (typeof languages)[number];

/** A call's consent outcome: the customer's answer, or "not recorded" by the rep's choice or a rule. */
export const outcomes = ['agreed', 'declined', 'not-recorded', 'withdrawn'] as const;
export type Outcome = (typeof outcomes)[number];

export const notRecordingReasons = [
  'internal-call',
  'declined-before-call',
  'sensitive-topic',
  'technical-issue',
  'other',
  /** The call's category is never recorded under the organisation's policy: no ask. */
  'never-record-rule',
] as const;
export type NotRecordingReason = (typeof notRecordingReasons)[number];

export const callCategories = ['external-prospect', 'customer', 'internal', 'hr-people', 'legal', 'personal'] as const;
export type CallCategory = (typeof callCategories)[number];

export const recordingRules = ['ask-consent', 'never-record', 'record-with-notice'] as const;
export type RecordingRule = (typeof recordingRules)[number];

/**
 * How a later decision changes the one before it (each change is a new decision event naming the
 * one it supersedes; nothing is edited): the customer agreed after declining; the rep asked after
 * first not recording; a never-record rule was undone because the call type was wrong; consent
 * was withdrawn; a late joiner declined after the others agreed.
 */
export const decisionChangeKinds = ['agreed-after-decline', 'asked-again', 'rule-undone', 'withdrawn', 'late-joiner-declined'] as const;
export type DecisionChangeKind = (typeof decisionChangeKinds)[number];

export const lateJoinerAnswers = ['agreed', 'declined', 'dismissed'] as const;
export type LateJoinerAnswer = (typeof lateJoinerAnswers)[number];

export const callStatuses = ['lobby', 'active', 'ended'] as const;
export type CallStatus = (typeof callStatuses)[number];

export const endReasons = ['left', 'tab-closed', 'navigated-away', 'meeting-switched', 'ended-unknown'] as const;
export type EndReason = (typeof endReasons)[number];

export const callEventTypes = [
  'lobby',
  'admitted',
  'prompt-shown',
  'decision',
  'recording-before-consent',
  'recording-after-decline',
  'recording-started',
  'recording-stopped',
  'late-joiner',
  'notetaker-suspected',
  'notetaker-confirmed',
  'notetaker-not-bot',
  'left',
  /** The rep dismissed the call's pending CRM checklist, with a reason. */
  'checklist-dismissed',
] as const;
export type CallEventType = (typeof callEventTypes)[number];

/**
 * The post-call CRM-hygiene checklist: the seed's six (qualification, next steps, timeline, risks,
 * competitive dynamics, human nuance) and the human layer AI cannot see. `nextSteps` is a list of
 * { text, owner, due }; every other field is text.
 */
export const checklistFieldNames = [
  'qualification', 'nextSteps', 'timeline', 'risks', 'competition', 'humanNuance',
  'powerDynamics', 'hesitation', 'emotion', 'urgency', 'subtleObjections',
] as const;
export type ChecklistFieldName = (typeof checklistFieldNames)[number];
export type ChecklistTextField = Exclude<ChecklistFieldName, 'nextSteps'>;
export const checklistTextFields = checklistFieldNames.filter((f): f is ChecklistTextField => f !== 'nextSteps');
/** The seed's six CRM-hygiene sections, in the order reps are asked for them. */
export const crmSectionFields = ['qualification', 'nextSteps', 'timeline', 'risks', 'competition', 'humanNuance'] as const satisfies readonly ChecklistFieldName[];
/** The human layer beyond the six sections (the seed: what AI does not understand). */
export const interpretationFields = ['powerDynamics', 'hesitation', 'emotion', 'urgency', 'subtleObjections'] as const satisfies readonly ChecklistTextField[];
/** The fields that hold the call's human nuance: its section and the human layer. */
export const humanNuanceFields = ['humanNuance', 'powerDynamics', 'hesitation', 'emotion', 'urgency', 'subtleObjections'] as const satisfies readonly ChecklistFieldName[];

/** A post-call checklist: waiting, completed, or dismissed by the rep with a reason. */
export const checklistStatuses = ['pending', 'done', 'dismissed'] as const;
export type ChecklistStatus = (typeof checklistStatuses)[number];

/** Why a rep dismissed a pending checklist ('other' carries the rep's own words). */
export const checklistDismissReasons = ['no-crm-record', 'internal-call', 'other'] as const;
export type ChecklistDismissReason = (typeof checklistDismissReasons)[number];

/**
 * How a stored ledger was checked: `seals-and-links` recomputes each sealed block's seal and checks
 * the links between blocks and the unsealed entries in full; `every-entry` re-hashes every entry.
 * Only the second detects an entry rewritten inside a block whose seal was recomputed (docs/ledger.md).
 */
export const ledgerCheckKinds = ['seals-and-links', 'every-entry'] as const;
export type LedgerCheckKind = (typeof ledgerCheckKinds)[number];

export const concernCategories = [
  'privacy-concern',
  'ai-summary-error',
  'coaching-misuse',
  'consent-confusion',
  'access-issue',
  'cultural-friction',
] as const;
export type ConcernCategory = (typeof concernCategories)[number];

export const concernStatuses = ['open', 'acknowledged', 'resolved'] as const;
export type ConcernStatus = (typeof concernStatuses)[number];

export const usePurposes = ['coaching', 'performance'] as const;
export type UsePurpose = (typeof usePurposes)[number];
/**
 * Why the rep's data left Candor, as the access log records it: a use of the calls (coaching,
 * performance), or record keeping (a full backup, the consent ledger, an import), which is not a use.
 */
export const accessPurposes = [...usePurposes, 'record-keeping'] as const;
export type AccessPurpose = (typeof accessPurposes)[number];

/** What an export is: the rep's calls, their concerns, a full backup, the consent ledger. */
export const exportKinds = ['calls-csv', 'calls-json', 'backup', 'concerns-csv', 'ledger'] as const;
export type ExportKind = (typeof exportKinds)[number];
/** Exports that are uses of the calls: they declare coaching or performance (and performance needs an approval). */
export const useExportKinds = ['calls-csv', 'calls-json', 'concerns-csv'] as const satisfies readonly ExportKind[];

export const retentionKinds = ['consent', 'calls', 'notes', 'tags', 'checklists', 'aiDrafts', 'concerns', 'accessLog'] as const;
export type RetentionKind = (typeof retentionKinds)[number];

/**
 * The rep's own records of a call: the rep may delete them at any time. Consent records (calls,
 * their events, the ledger, purge receipts, access log) are kept for their retention unless the
 * policy allows deleting them (lib/policy/deletion.ts).
 */
export const repDataKinds = ['notes', 'tags', 'checklists', 'aiDrafts'] as const satisfies readonly RetentionKind[];
export type RepDataKind = (typeof repDataKinds)[number];

export const dataViews = ['consent', 'notes', 'tags', 'checklists', 'aiDrafts', 'concerns', 'audit'] as const;
export type DataView = (typeof dataViews)[number];

export const statementMarks = ['correct', 'wrong'] as const;
export type StatementMark = (typeof statementMarks)[number];

/** What org sync sends (docs/sync.md): governance facts only, never the rep's narrative. */
export const outboxKinds = ['consent', 'purge-receipt', 'access-log', 'concern', 'call-summary'] as const;
export type OutboxKind = (typeof outboxKinds)[number];

/** The content script's verdict on the prompt's box in the call page. */
export const pageGuardStates = ['ok', 'hidden', 'covered', 'shrunk', 'removed'] as const;
export type PageGuardState = (typeof pageGuardStates)[number];
