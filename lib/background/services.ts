import type { CandorDB } from '../db';
import type { ResolvedPolicy } from '../policy/resolve';

/** What background modules need from the outside world; tests pass a fake clock and a fresh DB. */
export interface Services {
  db: CandorDB;
  now(): number;
  policy(): Promise<ResolvedPolicy>;
  /** The browser UI language, e.g. "en-US". */
  uiLanguage(): string;
}

/** Who sent a message, as told by the browser (never by the page). */
export interface SenderInfo {
  tabId?: number;
  url?: string;
  /** True for the extension's own pages (popup, options). */
  extensionPage: boolean;
}

/** A request the background refuses, with a message a person can act on. */
export class RequestError extends Error {}

/** Client clocks are trusted only within a sane window; outside it the background's clock wins. */
export function clampTime(at: number, now: number): number {
  return at > now + 60_000 || at < now - 24 * 3_600_000 ? now : at;
}
