import type { PlatformDefinition } from '../platforms/types';
import { select, valueOf, type ReadableRoot } from './read-signals';

/** Longest title kept (lib/model CALL_TEXT_MAX; a value import would pull zod into the content script). */
const TITLE_MAX = 200;

/**
 * The meeting's title as the page shows it ('' when it shows none): the first title signal that
 * gives one, with the platform's own words (a document title's "Meet – ", "| Microsoft Teams")
 * taken off. The meeting reference itself (Meet shows the code when the meeting has no title) and
 * the platform's generic names are not titles. Page text: the background cleans it to one line and
 * keeps it on this machine only.
 */
export function readTitle(platform: PlatformDefinition, roots: readonly ReadableRoot[], meeting: string | null): string {
  for (const signal of platform.signals.title) {
    for (const root of roots) {
      for (const el of select(root, signal)) {
        let title = valueOf(el, signal).replace(/\s+/g, ' ').trim();
        if (signal.text) {
          const match = signal.text.exec(title);
          if (!match) continue;
          title = (match.slice(1).find((group) => group !== undefined) ?? title).trim();
        }
        if (!title || title.toLowerCase() === meeting?.toLowerCase() || platform.genericTitle?.test(title)) continue;
        return title.slice(0, TITLE_MAX);
      }
    }
  }
  return '';
}
