import type { PlatformDefinition, Signal } from '../platforms/types';

/** What the page shows right now, as read from the platform's signals. */
export interface Reading {
  state: 'lobby' | 'inCall' | 'left' | 'none';
  /** Ids of the signals that decided `state`. */
  signals: string[];
  /** Ids of recording/transcription indicators currently shown. */
  recording: string[];
  /** Display names of participants currently shown (de-duplicated, in page order). */
  participants: string[];
}

export type ReadableRoot = Pick<Document, 'querySelectorAll'>;

export function valueOf(el: Element, signal: Signal): string {
  return (signal.attribute ? el.getAttribute(signal.attribute) : el.textContent) ?? '';
}

/** The signal's elements in one root (none when its selector is broken, e.g. a policy override's). */
export function select(root: ReadableRoot, signal: Signal): Iterable<Element> {
  let found: NodeListOf<Element>;
  try {
    found = root.querySelectorAll(signal.selector);
  } catch {
    return [];
  }
  const { notInside, exclude } = signal;
  if (!notInside && !exclude) return found;
  try {
    return [...found].filter(
      (el) => !(notInside && el.closest(notInside)) && !(exclude && (exclude.test(el.getAttribute('aria-label') ?? '') || exclude.test(el.textContent ?? ''))),
    );
  } catch {
    return [];
  }
}

function matches(roots: readonly ReadableRoot[], signal: Signal): boolean {
  for (const root of roots) {
    for (const el of select(root, signal)) if (!signal.text || signal.text.test(valueOf(el, signal))) return true;
  }
  return false;
}

function matching(roots: readonly ReadableRoot[], signals: readonly Signal[]): string[] {
  const ids: string[] = [];
  for (const s of signals) if (matches(roots, s)) ids.push(s.id);
  return ids;
}

function any(roots: readonly ReadableRoot[], signals: readonly Signal[]): string | null {
  const ordered = [...signals.filter((s) => s.languageIndependent), ...signals.filter((s) => !s.languageIndependent)];
  for (const s of ordered) if (matches(roots, s)) return s.id;
  return null;
}

export function participantNames(roots: readonly ReadableRoot[], signals: readonly Signal[]): string[] {
  const names = new Set<string>();
  for (const signal of signals) {
    for (const root of roots) {
      for (const el of select(root, signal)) {
        const name = valueOf(el, signal).replace(/\s+/g, ' ').trim();
        if (name && (!signal.text || signal.text.test(name))) names.add(name);
      }
    }
  }
  return [...names];
}

/**
 * Reads the call state with the precedence left > lobby > inCall: a lobby that already shows a
 * leave button must never count as admitted, and an end screen beats stale call chrome.
 * Cost: a handful of querySelectorAll calls, language-independent signals first.
 */
export function readSignals(platform: PlatformDefinition, roots: readonly ReadableRoot[]): Reading {
  const { signals } = platform;
  const recording = matching(roots, signals.recording);
  const left = any(roots, signals.left);
  if (left) return { state: 'left', signals: [left], recording, participants: [] };
  // Guesses (no public source) and supporting signals add evidence but never decide admission alone.
  const inCall = any(roots, signals.inCall.filter((s) => !s.guess && !s.supportOnly));
  const lobby = any(roots, signals.lobby);
  if (lobby) return { state: 'lobby', signals: [lobby], recording, participants: [] };
  if (inCall) {
    return {
      state: 'inCall',
      signals: matching(roots, signals.inCall),
      recording,
      participants: participantNames(roots, signals.participants),
    };
  }
  return { state: 'none', signals: [], recording, participants: [] };
}
