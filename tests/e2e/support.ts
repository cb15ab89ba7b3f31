import { launchWithExtension, routeFixtures } from '../../scripts/lib/browser';

export { callFrame, callUrl, switchFixture, type ExtensionBrowser } from '../../scripts/lib/browser';
export { readStore, waitFor } from '../../scripts/lib/extension-db';
export { PromptDriver } from '../../scripts/lib/prompt-driver';

export async function startBrowser(opts: { executablePath?: string; extraArgs?: string[]; profile?: string; keepRulesPage?: boolean } = {}) {
  const browser = await launchWithExtension(opts);
  const fixtures = await routeFixtures(browser.context);
  return { ...browser, fixtures };
}
export type TestBrowser = Awaited<ReturnType<typeof startBrowser>>;
