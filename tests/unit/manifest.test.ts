import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXTENSION_ID, EXTENSION_PUBLIC_KEY } from '../../lib/extension-key';
import { platforms } from '../../lib/platforms';
import { policyFields } from '../../lib/policy/schema';

const root = resolve(import.meta.dirname, '../..');

describe('least privilege and policy plumbing', () => {
  it('the configured manifest asks for exactly these permissions', async () => {
    // Read the config the build uses (the built manifest is checked again in e2e/privacy.spec.ts).
    const config = (await import('../../wxt.config')).default as { manifest: (env: { browser: string }) => Record<string, unknown> };
    const manifest = config.manifest({ browser: 'chrome' });
    // storage: IndexedDB + settings; alarms: reminders + retention; notifications: checklist reminder;
    // scripting: re-inject into open call tabs after an update (host permissions limit it to call pages).
    // No `tabs` (tab URLs are visible only on the call platforms through host permissions), no
    // `<all_urls>`, no `externally_connectable` (pages cannot message Candor).
    expect(manifest.permissions).toEqual(['storage', 'alarms', 'notifications', 'scripting']);
    expect(manifest.host_permissions).toEqual(platforms.flatMap((p) => p.matches));
    // Org sync: the endpoint's host is requested at runtime (options page), never granted at install.
    expect(manifest.optional_host_permissions).toEqual(['https://*/*', 'http://127.0.0.1/*', 'http://localhost/*']);
    expect(manifest.optional_permissions).toBeUndefined();
    expect(JSON.stringify(manifest)).not.toMatch(/all_urls|externally_connectable|"tabs"|content_security_policy/);
    // The consent prompt's frame is the one page a call page may embed, and only under a per-session id.
    expect(manifest.web_accessible_resources).toEqual([{ resources: ['prompt.html'], matches: platforms.flatMap((p) => p.matches), use_dynamic_url: true }]);
    expect(config.manifest({ browser: 'firefox' }).web_accessible_resources).toEqual(['prompt.html']);
    for (const pattern of manifest.host_permissions as string[]) expect(pattern).toMatch(/^https:\/\/[^*/]*(\*\.)?[a-z.]+\/\*$/);
  });

  it('the fixed extension id is derived from the manifest key', () => {
    const hex = createHash('sha256').update(Buffer.from(EXTENSION_PUBLIC_KEY, 'base64')).digest('hex').slice(0, 32);
    expect([...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('')).toBe(EXTENSION_ID);
  });

  it('public/managed_schema.json declares exactly the policy fields, the schema version and the fields older schemas used', () => {
    const schema = JSON.parse(readFileSync(resolve(root, 'public/managed_schema.json'), 'utf8')) as { properties: Record<string, unknown> };
    // Chrome drops managed values its schema does not declare: a schema-1 policy must still arrive to be migrated.
    const olderFields = ['reminderDelayMinutes'];
    expect(Object.keys(schema.properties).sort()).toEqual([...Object.keys(policyFields), 'schemaVersion', ...olderFields].sort());
  });
});
