import { defineConfig } from 'wxt';
import { EXTENSION_PUBLIC_KEY } from './lib/extension-key';
import { meet } from './lib/platforms/meet';
import { teams } from './lib/platforms/teams';
import { zoom } from './lib/platforms/zoom';

const callPageMatches = [...meet.matches, ...zoom.matches, ...teams.matches];
const syncHostPatterns = ['https://*/*', 'http://127.0.0.1/*', 'http://localhost/*'];

// The manifest is the extension's privacy contract: tests/unit/manifest.test.ts asserts it exactly.
export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  imports: false,
  // CANDOR_OUT_DIR lets parallel work build and test without replacing each other's extension.
  outDir: process.env.CANDOR_OUT_DIR ?? '.output',
  manifest: ({ browser }) => ({
    // Name and description from public/_locales/<lang>/messages.json (English is the default).
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // storage: IndexedDB + settings; alarms: reminders and retention without timers in the worker;
    // notifications: the post-call checklist reminder; scripting: after an update, re-inject the
    // content script into call tabs that are already open (limited to the host permissions below).
    permissions: ['storage', 'alarms', 'notifications', 'scripting'],
    // Host access only for the call platforms: the content script runs there, and the background
    // reads a call tab's URL (to tell a reload from leaving) without the `tabs` permission.
    host_permissions: callPageMatches,
    // Org sync (off by default, docs/sync.md): the host of the organisation's endpoint is asked for at
    // runtime, from the options page, only once a policy names it; nothing is granted at install.
    // Plain http only to loopback (a collector on this machine), matching the policy schema.
    ...(browser === 'firefox' ? { optional_permissions: syncHostPatterns } : { optional_host_permissions: syncHostPatterns }),
    action: { default_title: 'Candor' },
    // The consent prompt's own frame, embedded only by the content script in call pages. Chrome's
    // dynamic URL changes every session, so a page cannot embed the frame itself (it also needs a
    // token from the background to show anything).
    web_accessible_resources:
      browser === 'firefox' ? ['prompt.html'] : [{ resources: ['prompt.html'], matches: callPageMatches, use_dynamic_url: true }],
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
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'candor@candor.dev',
              // 142 is the first Firefox that reads the data-collection declaration: Candor sends nothing.
              strict_min_version: '142.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
});
