import type { Policy } from './schema';

/**
 * Notetaker bots' display names: whole names, or patterns where `*` stands for any text. Each entry's
 * source is in docs/platforms.md ("Notetaker names"); the test there fails on an entry without one.
 */
export const NOTETAKER_DEFAULTS = [
  // Specific names first: the first entry that matches is the one the rep sees.
  'Fireflies.ai Notetaker',
  'Fireflies.ai Notetaker *', // Fireflies adds the inviter's first name
  "*'s Notetaker (Otter.ai)",
  'Otter.ai',
  'OtterPilot',
  "*'s Fathom Notetaker",
  'Fathom AI Notetaker',
  'read.ai meeting notes',
  'Gong Recorder',
  '* Recorder by Gong',
  'Gong Notetaker',
  'Gong AI Notetaker',
  "*'s MeetGeek Notetaker",
  'Metaview Notetaker',
  'ScreenApp Notetaker',
  'ScreenApp AI Notes',
  'Modjo Assistant',
  'Avoma Assistant',
  'tl;dv recorder',
  'Bluedot recorder',
  'Clari Copilot',
  'VexaBot-*',
  'Facilitator',
  '* Notetaker', // any other "<something> Notetaker": the word vendors' bots share
];

/** Safe defaults: consent is always asked unless a rule says the call is never recorded. */
export const defaultPolicy: Policy = {
  policyVersion: 'default-1',
  purposeStatement: 'We use AI to strengthen coaching and accuracy.',
  consentScript: {
    en: 'To make sure I capture everything accurately and share notes with my team, is it okay if I record this call?',
    es: 'Para asegurarme de recoger todo con precisión y compartir notas con mi equipo, ¿le parece bien que grabe esta llamada?',
    de: 'Damit ich alles genau festhalte und Notizen mit meinem Team teilen kann: Ist es in Ordnung, wenn ich dieses Gespräch aufzeichne?',
    fr: 'Pour être sûr de tout noter avec précision et de partager mes notes avec mon équipe, puis-je enregistrer cet appel ?',
  },
  declineLine: {
    en: 'No problem — we’ll continue without it.',
    es: 'No hay problema — seguimos sin grabar.',
    de: 'Kein Problem — wir machen ohne Aufzeichnung weiter.',
    fr: 'Pas de problème — nous continuons sans enregistrement.',
  },
  language: 'auto',
  jurisdictionMode: 'all-party',
  recordingStandards: {
    'external-prospect': 'ask-consent',
    customer: 'ask-consent',
    internal: 'ask-consent',
    'hr-people': 'never-record',
    legal: 'never-record',
    personal: 'never-record',
  },
  defaultCategory: null,
  // The display names vendors' bots really use, as whole names or `*` patterns (sources: docs/platforms.md,
  // "Notetaker names"). Never a word inside a person's name: "Wei Gong (Acme)" is not Gong's recorder.
  notetakerNames: NOTETAKER_DEFAULTS,
  tags: ['objection', 'next step', 'risk', 'competitor', 'pricing', 'timeline', 'decision maker', 'champion'],
  checklistRequired: ['qualification', 'nextSteps', 'timeline', 'risks', 'competition', 'humanNuance'],
  // A CRM record exists for prospects and customers; internal, HR, legal and personal calls have none.
  checklistCategories: ['external-prospect', 'customer'],
  decisionChangeMinutes: 30,
  retentionDays: {
    consent: 1095, // 3 years: the proof outlives everything it proves
    calls: 365,
    notes: 365,
    tags: 365,
    checklists: 365,
    aiDrafts: 90,
    concerns: 730,
    accessLog: 1095,
  },
  // Consent proof outlives a rep's "Delete all data" unless the organisation decides otherwise.
  allowDeletingConsentRecords: false,
  roles: [
    { role: 'rep', canView: ['consent', 'notes', 'tags', 'checklists', 'aiDrafts', 'concerns'], purposes: ['coaching'], approvesPerformanceUse: false },
    { role: 'manager', canView: ['consent', 'tags', 'checklists'], purposes: ['coaching'], approvesPerformanceUse: false },
    { role: 'compliance', canView: ['consent', 'audit'], purposes: ['coaching', 'performance'], approvesPerformanceUse: true },
  ],
  checklistReminder: { enabled: true, afterMinutes: 30 },
  selectorOverrides: {},
  // Off: nothing leaves the browser unless the organisation names its service and the install enrolls (docs/sync.md).
  orgSync: { service: null, enrollmentKey: null },
};
