import type { Policy } from './schema';

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
  notetakerNames: ['Otter', 'Fireflies', 'Gong', 'Fathom', 'tl;dv', 'Read.ai', 'Avoma', 'Chorus', 'Grain', 'Fellow'],
  tags: ['objection', 'next step', 'risk', 'competitor', 'pricing', 'timeline', 'decision maker', 'champion'],
  checklistRequired: ['qualification', 'nextSteps', 'timeline', 'risks', 'competition', 'humanNuance'],
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
  roles: [
    { role: 'rep', canView: ['consent', 'notes', 'tags', 'checklists', 'aiDrafts', 'concerns'], purposes: ['coaching'], approvesPerformanceUse: false },
    { role: 'manager', canView: ['consent', 'tags', 'checklists'], purposes: ['coaching'], approvesPerformanceUse: false },
    { role: 'compliance', canView: ['consent', 'audit'], purposes: ['coaching', 'performance'], approvesPerformanceUse: true },
  ],
  checklistReminder: { enabled: true, afterMinutes: 30 },
  selectorOverrides: {},
  // Off: nothing leaves the browser unless the organisation names an endpoint (docs/sync.md).
  orgSync: { endpoint: null },
};
