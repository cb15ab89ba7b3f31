
import type { Outcome } from '../model';

/** Outcomes after which nothing may be recorded (notes-only mode). Zod-free: the content script uses it. */
export function forbidsRecording(outcome: Outcome | null | undefined): boolean {
  return outcome === 'declined' || outcome === 'not-recorded' || outcome === 'withdrawn';
}
