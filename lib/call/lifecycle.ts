import type { Reading } from '../detect/read-signals';

/**
 * The call lifecycle as seen from one tab: idle → lobby → inCall → left. Pure: it takes readings
 * of the page and says what changed; repeated or out-of-order readings produce no duplicate change.
 */
export type Phase = 'idle' | 'lobby' | 'inCall' | 'left';

export interface LifecycleState {
  phase: Phase;
  /** When in-call signals disappeared without an end screen (a re-render, or the call ended). */
  goneSince: number | null;
  /** Started by hand because detection did not see the call: missing signals do not end it. */
  manual?: boolean;
}

export type LifecycleEffect =
  | { type: 'phase'; phase: Exclude<Phase, 'idle'>; signals: string[] }
  | { type: 'recheck'; inMs: number };

/** How long in-call signals may vanish (page re-render) before the call counts as left. */
export const SIGNALS_GONE_MS = 4_000;

export const initialLifecycle: LifecycleState = { phase: 'idle', goneSince: null };

/** The rep started the consent check by hand: in a call until an end screen or the tab goes. */
export const manualLifecycle: LifecycleState = { phase: 'inCall', goneSince: null, manual: true };

export function nextLifecycle(state: LifecycleState, reading: Reading, now: number): { state: LifecycleState; effects: LifecycleEffect[] } {
  const to = (phase: Exclude<Phase, 'idle'>, signals: string[]) => ({
    state: { phase, goneSince: null },
    effects: [{ type: 'phase', phase, signals }] as LifecycleEffect[],
  });
  const same = { state, effects: [] as LifecycleEffect[] };

  switch (reading.state) {
    case 'inCall':
      return state.phase === 'inCall' ? { state: { ...state, goneSince: null }, effects: [] } : to('inCall', reading.signals);
    case 'left':
      return state.phase === 'inCall' || state.phase === 'lobby' ? to('left', reading.signals) : same;
    case 'lobby':
      if (state.phase === 'idle' || state.phase === 'left') return to('lobby', reading.signals);
      if (state.phase === 'lobby') return same;
      break; // in call and a lobby shows: moved back to the lobby, or a re-render. Treat as "gone".
    case 'none':
      if (state.phase !== 'inCall') return same;
      break;
  }
  // inCall, but its signals are gone: wait SIGNALS_GONE_MS before calling it left.
  if (state.manual) return same;
  const goneSince = state.goneSince ?? now;
  const waited = now - goneSince;
  if (waited >= SIGNALS_GONE_MS) return to('left', ['signals-gone']);
  return { state: { ...state, goneSince }, effects: [{ type: 'recheck', inMs: SIGNALS_GONE_MS - waited }] };
}
