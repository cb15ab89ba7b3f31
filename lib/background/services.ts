import type { CandorDB } from '../db';
import type { ResolvedPolicy } from '../policy/resolve';
import { english } from '../i18n/english';
import { spoken } from '../i18n/says';
import type { Translate } from '../i18n/translate';

/** What background modules need from the outside world; tests pass a fake clock and a fresh DB. */
export interface Services {
  db: CandorDB;
  now(): number;
  policy(): Promise<ResolvedPolicy>;
  /** The browser UI language, e.g. "en-US". */
  uiLanguage(): string;
  /** The network, for the organisation service (default: the browser's fetch and host permissions). */
  net?: Net;
}

/** What the background needs from the network; tests pass Node's fetch and a permission stub. */
export interface Net {
  fetch: typeof fetch;
  hasPermission(pattern: string): Promise<boolean>;
  timeoutMs?: number;
}

/** Who sent a message, as told by the browser (never by the page). */
export interface SenderInfo {
  tabId?: number;
  /** The frame within the tab (0: the top frame, where the call page's content script runs). */
  frameId?: number;
  /**
   * The sending document (Chromium): unlike a tab id, never reused after a browser restart, and the
   * same across an extension update (content scripts are injected again into the same document).
   */
  documentId?: string;
  url?: string;
  /** True for the extension's own pages (popup, options, the prompt frame). */
  extensionPage: boolean;
}

/**
 * A request the background refuses. `message` is a sentence for a person, given as a `says`
 * reference (lib/i18n/says.ts): the router replies with it in the rep's language, while the
 * error's own message (logs, the access log, tests) is the English sentence. `detail` is the
 * technical part for the reply's "Details" (lib/protocol/replies.ts). A refusal only a broken or
 * hostile sender can cause says `error_wrong_sender`, with what was wrong in `detail`.
 */
export class RequestError extends Error {
  /** The `says` reference, or null when the message was already a sentence. */
  readonly said: string | null;
  constructor(message: string, readonly detail?: string) {
    const inEnglish = spoken(message, english);
    super(inEnglish ?? message);
    this.said = inEnglish === null ? null : message;
  }

  /** The sentence in `translate`'s language. */
  sentence(translate: Translate): string {
    return (this.said && spoken(this.said, translate)) ?? this.message;
  }
}

/** Client clocks are trusted only within a sane window; outside it the background's clock wins. */
export function clampTime(at: number, now: number): number {
  return at > now + 60_000 || at < now - 24 * 3_600_000 ? now : at;
}
