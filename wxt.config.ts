import { defineConfig } from 'wxt';
import { meet } from './lib/platforms/meet';
import { teams } from './lib/platforms/teams';
import { zoom } from './lib/platforms/zoom';

export const EXTENSION_PUBLIC_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAo6Cyuo4jn0XxczpPLA4HkHSa9q0F+5BvcP3hvO5oEWMy+FutYTzHeNBbNRDyBCeD4ibYJSyYa/RAgBYsHMHCZb2RK5TzH0WOHjDDUj05b0UGSSoaZxyspHBRAlDKXHxcI7BvuWw5tN2BT77PqWy4n5uKLXmm/EfDyumdIO1VVkuS+DtnB9sWA7HllRT43iVcrqfNbERefE4+fVLTnKtastz3sq+3ArpvtPJVBuoJQwKNaUA7KxI2QtQMzWfp7141R+IhUoWB5iZY3YoZlha4sLJ0xK42MN/MzPeuAm7DwKGxX8XC+QGrW0DX44sYd4Oe5iZfLVxqQWV/Ak+D3UZlfQIDAQAB';
export const EXTENSION_ID = 'bobdnpkakkioelfhdkpjbkkoadljjpmf';

const callPageMatches = [...meet.matches, ...zoom.matches, ...teams.matches];

// The manifest is the extension's privacy contract: tests/unit/manifest.test.ts asserts it exactly.
export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  imports: false,
  manifest: ({ browser }) => ({
    name: 'Candor',
    description: 'Consent-first, coaching-first companion for recorded sales calls.',
    // storage: IndexedDB + settings; alarms: reminders and retention without timers in the worker;
    // notifications: the post-call checklist reminder.
    permissions: ['storage', 'alarms', 'notifications'],
    // Host access only for the call platforms: the content script runs there, and the background
    // reads a call tab's URL (to tell a reload from leaving) without the `tabs` permission.
    host_permissions: callPageMatches,
    action: { default_title: 'Candor' },
    // Organisation policy through chrome.storage.managed (see docs/admin.md).
    storage: { managed_schema: 'managed_schema.json' },
    // The manual fallback when detection misses a call (a new platform UI, an unusual URL).
    commands: {
      'start-consent-check': { suggested_key: { default: 'Alt+Shift+K' }, description: 'Start consent check' },
    },
    // A fixed id (bobdnpkakkioelfhdkpjbkkoadljjpmf) so administrators can target the extension in
    // policies. Public key only; Firefox identifies the add-on by its gecko id instead.
    ...(browser === 'firefox' ? {} : { key: EXTENSION_PUBLIC_KEY }),
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'candor@candor.dev', strict_min_version: '128.0' } } }
      : {}),
  }),
});
