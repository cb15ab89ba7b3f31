/** Pure export formatters: CRM note, CSV, JSON. No browser APIs, no Dexie, no DOM, no clock. */
export * from './call-bundle';
export * from './crm-note';
export * from './csv';
export * from './json';
