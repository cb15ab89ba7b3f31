import type { CallView } from '../../lib/protocol/replies';
import type { NotRecordingReason, Outcome, CallCategory } from '../../lib/model';

/** What the prompt's content (index.ts) needs from its frame (frame.ts), and what it offers it. */

export interface PromptHandlers {
  /** Stores the decision; resolves with the updated call, or an error message to show. */
  decide(outcome: Outcome, reason?: NotRecordingReason, category?: CallCategory): Promise<CallView | string>;
  /** Called once when the ask is first shown for a call. */
  shown(): void;
  /** Logs the answer of people who joined after consent was given. */
  lateJoiner(answer: 'agreed' | 'declined' | 'dismissed', joined: number): Promise<CallView | string>;
  /** Tags this moment of the call; resolves with the offset from admission, or an error message. */
  tag(tag: string): Promise<{ offsetMs: number } | string>;
  /** The rep's answer about a participant named like a notetaker bot. */
  notetaker(name: string, verdict: 'bot' | 'not-bot'): Promise<CallView | string>;
}

/** Whether a click may count now (input-guard.ts), and what to tell the rep when it may not. */
export interface ArmState {
  armed(): boolean;
  /** The page covers, hides or shrinks the prompt: choices go to the toolbar button instead. */
  obstructed(): boolean;
}

export interface ConsentPrompt {
  /**
   * Shows the prompt for this call: expanded while consent is pending, collapsed once decided.
   * `pending`: drawn ahead of the background's confirmation (from what the lobby reply carried),
   * so the rep sees it at once; the outcomes stay disabled until a confirmed view arrives.
   */
  render(view: CallView, options?: { pending?: boolean }): void;
  expand(): void;
  /** People joined after consent was given (`names`: those the page showed): ask the rep to confirm consent with them. */
  nudgeLateJoiner(joined: number, names?: readonly string[]): void;
  /** Tags the moment with the policy's n-th tag (keyboard shortcut Alt+1…). */
  tagByIndex(index: number): void;
  /** No call was detected but the page plays sound: offer the manual start (until a call shows). */
  offerManualStart(start: () => void): void;
  /** The obstruction state changed: redraw (the notice, disabled choices). */
  refresh(): void;
  /** A tag was added from the keyboard shortcut: say so. */
  tagged(tag: string, offsetMs: number): void;
}
