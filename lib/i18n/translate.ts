import { browser } from 'wxt/browser';
import type english from '../../public/_locales/en/messages.json';

/**
 * The core of the UI text helper: `browser.i18n.getMessage`, typed by the English messages file.
 * No zod, no framework and no messages of its own, so the content script stays small.
 */
export type MessageKey = keyof typeof english;
export type Substitution = string | number;
export interface MessageEntry {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}
export type Messages = Record<string, MessageEntry>;
export type Translate = (key: MessageKey, ...substitutions: Substitution[]) => string;

/**
 * A message with its substitutions, following the browser's rules: `$name$` is the named
 * placeholder (case-insensitive), whose content refers to the substitutions as `$1`…`$9`;
 * `$$` is a literal `$`.
 */
export function formatMessage(entry: MessageEntry, substitutions: readonly string[]): string {
  const named = new Map(Object.entries(entry.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content]));
  const direct = (text: string) => text.replace(/\$\$|\$([1-9])/g, (all, n?: string) => (n ? (substitutions[Number(n) - 1] ?? '') : '$'));
  return entry.message.replace(/\$\$|\$([A-Za-z0-9_@]+)\$|\$([1-9])/g, (all, name?: string, n?: string) => {
    if (name) return direct(named.get(name.toLowerCase()) ?? '');
    if (n) return substitutions[Number(n) - 1] ?? '';
    return '$';
  });
}

/**
 * `t(key, ...substitutions)`: the browser's message in its UI language; when the browser has
 * none (a test's fake browser, an unknown key), the given fallback messages; else the key itself.
 */
export function createTranslate(fallback?: Messages): Translate {
  return (key, ...substitutions) => {
    const subs = substitutions.map(String);
    try {
      const text = browser.i18n.getMessage(key, subs.length ? subs : undefined);
      if (text) return text;
    } catch {
      // Not implemented here (WXT's fake browser in unit tests): use the fallback below.
    }
    const entry = fallback?.[key];
    return entry ? formatMessage(entry, subs) : key;
  };
}

/** A record of labels in the UI language, each read from its message when used. */
export function translatedRecord<K extends string>(keys: Record<K, MessageKey>, translate: Translate): Readonly<Record<K, string>> {
  const labels = {} as Record<K, string>;
  for (const [id, key] of Object.entries(keys) as [K, MessageKey][]) {
    Object.defineProperty(labels, id, { enumerable: true, get: () => translate(key) });
  }
  return labels;
}
