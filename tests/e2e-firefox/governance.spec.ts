import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIREFOX_ADDON_ID, FIREFOX_EXTENSION_DIR } from '../../scripts/lib/firefox';
import { firefoxWithPolicies, packXpi, policiesUnavailable, type FirefoxWithPolicies, type PolicyLocation } from '../../scripts/lib/firefox-policy';
import { ExtensionPage } from './pages/extension-page';
import { callUrl, managedStorage, openCall, readStore, startFirefox, type FirefoxBrowser } from './support';

/**
 * docs/admin.md's Firefox deployment, done as written: the policies.json shown there (read from
 * the page itself) with only install_url pointed at the local build, at the path the page names,
 * then Firefox ESR started as an administrator's users would start it. Firefox installs Candor
 * from the policy (no test install) and hands it the 3rdparty policy as managed storage.
 */
type Policies = { policies: { ExtensionSettings: Record<string, { installation_mode: string; install_url: string }>; '3rdparty': { Extensions: Record<string, Record<string, unknown>> } } };

function adminDocPolicies(): Policies {
  const doc = readFileSync(resolve(import.meta.dirname, '../../docs/admin.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Firefox'));
  const block = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
  if (!block) throw new Error('docs/admin.md has no JSON block in its Firefox section');
  return JSON.parse(block) as Policies;
}

const docPolicies = adminDocPolicies();
const orgPolicy = docPolicies.policies['3rdparty'].Extensions[FIREFOX_ADDON_ID]!;
let xpi: string | undefined;
afterAll(() => {
  if (xpi) rmSync(dirname(xpi), { recursive: true, force: true });
});

/** The doc's file, with the local build as the package to install. */
function deployed(extra: Record<string, unknown> = {}): Policies {
  const p = structuredClone(docPolicies);
  xpi ??= packXpi(FIREFOX_EXTENSION_DIR);
  p.policies.ExtensionSettings[FIREFOX_ADDON_ID]!.install_url = pathToFileURL(xpi).href;
  Object.assign(p.policies['3rdparty'].Extensions[FIREFOX_ADDON_ID]!, extra);
  return p;
}

type SelfInfo = { installType: string; mayDisable: boolean };
const self = (ff: FirefoxBrowser) => ff.openExtensionPage('manifest.json').then(async (page) => {
  const info = await page.evaluate(() => (globalThis as unknown as { browser: { management: { getSelf(): Promise<SelfInfo> } } }).browser.management.getSelf());
  await page.close();
  return info;
});

describe.each(['etc', 'distribution'] as const)('policies.json in the %s location of docs/admin.md', (location: PolicyLocation) => {
  const unavailable = policiesUnavailable(location);
  let wrapper: FirefoxWithPolicies | undefined;
  let ff: FirefoxBrowser | undefined;
  let profile: string | undefined;
  beforeAll(() => {
    if (unavailable) return;
    wrapper = firefoxWithPolicies({}, location);
    profile = mkdtempSync(join(tmpdir(), 'candor-firefox-profile-'));
  });
  afterAll(async () => {
    await ff?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    wrapper?.cleanup();
  });
  const start = async (w: FirefoxWithPolicies) => {
    ff = await startFirefox({ executablePath: w.executablePath, install: 'policy', profile });
    return ff;
  };

  const title = location === 'etc'
    ? 'installs Candor for the user and sets what the prompt shows; the options page locks those fields'
    : 'is read from the distribution folder too';
  // Skipped, with the reason in its title, only where user namespaces or overlays are unavailable.
  (unavailable ? it.skip : it)(unavailable ? `${title} (skipped: ${unavailable})` : title, async () => {
    wrapper!.write(deployed());
    const b = await start(wrapper!);
    expect(await self(b)).toMatchObject({ installType: 'admin', mayDisable: false });
    // Firefox has the policy at once: the first read after start is immediate.
    const managed = await managedStorage(b);
    expect(managed.value).toEqual(orgPolicy);
    expect(managed.ms).toBeLessThan(500);

    const { page, prompt } = await openCall(b, 'meet', 'in-call', callUrl('meet', location === 'etc' ? 400 : 401));
    const text = await prompt.waitForText(new RegExp(String(orgPolicy.purposeStatement).slice(0, 20)));
    expect(text).toContain(orgPolicy.purposeStatement);
    expect(text).toContain((orgPolicy.consentScript as { en: string }).en);
    expect(await prompt.value('#candor-category')).toBe(orgPolicy.defaultCategory);
    await prompt.waitEnabled('Customer agreed');
    await prompt.click('Customer agreed');
    await prompt.waitForText(/Consent recorded/);
    const decision = (await readStore<{ type: string; data: Record<string, unknown> }>(b, 'events')).find((e) => e.type === 'decision');
    expect(decision?.data).toMatchObject({ category: orgPolicy.defaultCategory, rule: 'ask-consent', policyVersion: orgPolicy.policyVersion });
    await page.close();
    if (location !== 'etc') return;

    const options = new ExtensionPage(await b.openExtensionPage('options.html'));
    const optionsText = await options.waitForText(/🔒 set by your organisation/);
    // Firefox applies a changed file only at its next start (checked below): the page says so.
    expect(optionsText).toContain("Firefox reads your organisation's policy when it starts: a change to it applies once you restart Firefox.");
    expect(await options.page.$eval('::-p-aria(Purpose statement 🔒 set by your organisation)', (el) => (el as HTMLTextAreaElement).disabled)).toBe(true);
    const locks = (await options.text()).split('🔒 set by your organisation').length - 1;
    expect(locks).toBeGreaterThanOrEqual(4); // purpose, scripts, default category, policy version
    expect(await options.page.$eval('::-p-aria(Jurisdiction mode)', (el) => (el as HTMLSelectElement).disabled)).toBe(false);
    await options.page.close();
  });

  if (location !== 'etc') return;
  const restartTitle = 'a changed policies.json applies at the next Firefox start; a value of the wrong type is named, not dropped';
  (unavailable ? it.skip : it)(unavailable ? `${restartTitle} (skipped: ${unavailable})` : restartTitle, async () => {
    const changed = 'Acme records calls only to coach: say no any time.';
    wrapper!.write(deployed({ purposeStatement: changed, retentionDays: 'forever' }));
    // Firefox read the file when it started: the running browser keeps the old policy.
    expect((await managedStorage(ff!)).value).toEqual(orgPolicy);
    await ff!.close();
    const b = await start(wrapper!);
    const managed = await managedStorage(b);
    expect(managed.value).toMatchObject({ purposeStatement: changed, retentionDays: 'forever' });

    const { page, prompt } = await openCall(b, 'zoom', 'in-call', callUrl('zoom', 402));
    expect(await prompt.waitForText(/Acme records calls only to coach/)).toContain(changed);
    await page.close();
    // Chromium would have dropped the string against the schema; Firefox passes it on, and the
    // rep and the administrator see which setting fell back to its default, by its name on the
    // options page (the field path is under "Details").
    const setByOrg = /“Retention in days”, set by your organisation, is not valid, so Candor uses its default for it\./;
    const popup = new ExtensionPage(await b.openExtensionPage('popup.html'));
    expect(await popup.waitForText(setByOrg)).not.toMatch(/retentionDays/);
    await popup.page.close();
    const options = new ExtensionPage(await b.openExtensionPage('options.html'));
    const text = await options.waitForText(/Policy problems: these fields use a safe fallback/);
    expect(text).toMatch(setByOrg);
    await options.page.close();
  });
});
