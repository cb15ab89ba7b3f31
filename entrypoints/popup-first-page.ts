import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { FIRST_PAGE_KEY, readFirstPage } from '../lib/ui/first-page';

/**
 * Loaded by popup.html as a small classic async script next to the popup's module bundle: it
 * runs as soon as it arrives, before React and Dexie are evaluated, and starts reading the list's
 * first screen from IndexedDB. lib/ui/first-page.ts (prefetchFirstPage) picks the promise up.
 */
export default defineUnlistedScript(() => {
  (globalThis as Record<string, unknown>)[FIRST_PAGE_KEY] = readFirstPage(50); // CallList.PAGE (a value import would pull React in)
});
