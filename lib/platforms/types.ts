/**
 * What a call platform looks like to Candor: pure data plus URL parsing.
 * Detection logic lives in lib/detect; a platform change should only touch
 * its own file in this folder and its fixtures.
 */
import type { PlatformId } from '../model';

export interface Signal {
  /** Stable id, stored with each call so the options page can show which signal detected it. */
  id: string;
  /** CSS selector evaluated with querySelectorAll on the page (and on same-origin call frames). */
  selector: string;
  /** When set, at least one matched element's textContent (or `attribute` value) must match. */
  text?: RegExp;
  /** Read this attribute instead of textContent for `text` matching and participant names. */
  attribute?: string;
  /**
   * Matched elements inside an element matching this selector do not count (Meet's self preview
   * carries a participant id in the green room and the waiting room, so it is no sign of admission).
   */
  notInside?: string;
  /**
   * Matched elements whose own `aria-label` or text matches this do not count: Meet's self preview
   * is a `[data-participant-id]` element whose label leads with the `visual_effects` icon ligature.
   */
  exclude?: RegExp;
  /** True when the signal does not depend on the UI language (ids, data-*, icon ligatures, URL). */
  languageIndependent: boolean;
  /**
   * No public source shows this signal (docs/platforms.md marks it a guess). It adds evidence, but
   * admission is never decided by guesses alone.
   */
  guess?: true;
  /**
   * Counts toward admission only beside a deciding in-call signal: something very like it exists
   * before admission (Meet's tiles and its self preview).
   */
  supportOnly?: true;
}

export type CallState = 'lobby' | 'inCall' | 'left';

export interface PlatformDefinition {
  id: PlatformId;
  label: string;
  /** WebExtension match patterns for the content script and host permissions. */
  matches: string[];
  /**
   * The meeting reference for a call URL, or null when the URL is not a call page
   * (home, landing, settings…). Normalised so the same meeting always gives the same string.
   * Never stored raw: the background salts and hashes it.
   */
  meetingFromUrl(url: URL): string | null;
  /**
   * References that name no particular meeting (a call started inside the Teams app). Candor
   * scopes them to the tab and never continues an earlier call from them.
   */
  genericReferences?: readonly string[];
  /** Same-origin iframes that hold the call UI (Zoom's web app runs the whole call in `iframe#webclient`). */
  frames: string[];
  signals: {
    /** Pre-join screen or waiting room. Any lobby signal wins over inCall signals. */
    lobby: Signal[];
    /** Admitted into the call. */
    inCall: Signal[];
    /** Explicit "you left / meeting ended" screens. */
    left: Signal[];
    /** The platform's own recording / transcription / AI-notes indicators or dialogs. */
    recording: Signal[];
    /** Elements whose text (or `attribute`) is one participant's display name. */
    participants: Signal[];
    /**
     * Where the page shows the meeting's title, first match wins: elements whose text (or
     * `attribute`) is the title, and the document title (`head > title`) whose `text` pattern's
     * first group is the title without the platform's own words.
     */
    title: Signal[];
  };
  /** Titles that name no meeting (the platform's name, a generic page title): not a call's title. */
  genericTitle?: RegExp;
}
