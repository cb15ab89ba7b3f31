import english from '../../public/_locales/en/messages.json';
import { createTranslate, type Messages, type MessageKey, type Translate } from './translate';

export { formatMessage, translatedRecord, type MessageKey, type Messages, type Substitution, type Translate } from './translate';

/**
 * For extension pages (popup, options, report): the browser's messages, with the bundled
 * English as the fallback (unit tests, and any key a browser could not resolve).
 */
export const t: Translate = /* @__PURE__ */ createTranslate(english as Messages);

/** The language the UI text is in (the `lang` message of the locale the browser picked). */
export const uiLanguage = (): string => t('lang');
