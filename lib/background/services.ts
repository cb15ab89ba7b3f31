import type { CandorDB } from '../db';
import type { ResolvedPolicy } from '../policy/resolve';

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
 * A request the background refuses: `message` is the sentence a person reads (in their language:
 * built with lib/i18n's `t`), `detail` the technical part for the reply's "Details" (lib/protocol/replies.ts).
 */
export class RequestError extends Error {
  constructor(message: string, readonly detail?: string) {
    super(message);
  }
}

/** Client clocks are trusted only within a sane window; outside it the background's clock wins. */
export function clampTime(at: number, now: number): number {
  return at > now + 60_000 || at < now - 24 * 3_600_000 ? now : at;
}
