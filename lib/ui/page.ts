import { t, uiLanguage, type MessageKey } from '../i18n';

/** Sets the page's language and title from the messages (extension pages call this first). */
export function localizePage(titleKey: MessageKey): void {
  document.documentElement.lang = uiLanguage();
  document.title = t(titleKey);
}
