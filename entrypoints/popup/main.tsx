import { createRoot } from 'react-dom/client';
import { PAGE } from '../../components/popup/CallList';
import { PopupApp } from '../../components/popup/PopupApp';
import { localizePage } from '../../lib/ui/page';
import { prefetchFirstPage } from '../../lib/ui/first-page';
import '../../components/popup/popup.css';

/**
 * The popup's first chunk is React, the list and the labels: no zod (the views that validate load
 * on demand and configure it first, components/popup/lazy.ts) and no Dexie (the list's live
 * queries load after the first render). The first screen's rows come from popup-first-page.js,
 * which started reading IndexedDB while this bundle loaded (docs/performance.md, row 5).
 */
const FIRST_PAGE_WAIT_MS = 100;

localizePage('popup_page_title');
const root = createRoot(document.getElementById('root')!);
const render = () => root.render(<PopupApp />);
// Shell and rows in one render when the rows are read in time; never wait long for them.
void Promise.race([prefetchFirstPage(PAGE), new Promise((resolve) => setTimeout(resolve, FIRST_PAGE_WAIT_MS))]).then(render, render);
