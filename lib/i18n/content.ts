import english from '../../public/_locales/en/messages.json';
import { createTranslate, type Messages, type Translate } from './translate';

/**
 * For the content script (the in-page consent prompt). A production build relies on the browser
 * alone: every key is in the default locale (tests/unit/i18n.test.ts) and browsers fall back to
 * it for a key missing in the user's locale. Only non-production builds (unit tests, `wxt` dev)
 * bundle the English messages, so the script injected into call pages stays small.
 */
export const t: Translate = /* @__PURE__ */ createTranslate(import.meta.env.MODE === 'production' ? undefined : (english as Messages));

/** The language the prompt's own text is in (its `lang` attribute). */
export const uiLanguage = (): string => t('lang');
