import { describe, expect, it } from 'vitest';
import { initialLifecycle, manualLifecycle, nextLifecycle, SIGNALS_GONE_MS, type LifecycleEffect, type LifecycleState } from '../../lib/call/lifecycle';
import type { Reading } from '../../lib/detect/read-signals';

const reading = (state: Reading['state'], signals: string[] = state === 'none' ? [] : [`${state}-signal`]): Reading => ({
  state,
  signals,
  recording: [],
  participants: [],
});

/** Feeds readings one after another (at the given times) and collects every effect. */
function run(steps: Array<[Reading['state'], number]>, from: LifecycleState = initialLifecycle) {
  let state = from;
  const effects: LifecycleEffect[] = [];
  for (const [s, at] of steps) {
    const next = nextLifecycle(state, reading(s), at);
    state = next.state;
    effects.push(...next.effects);
  }
  return { state, effects };
}

const phases = (effects: LifecycleEffect[]) => effects.filter((e) => e.type === 'phase').map((e) => e.phase);

const T0 = 1_700_000_000_000;

describe('nextLifecycle', () => {
  it('starts idle', () => {
    expect(initialLifecycle).toEqual({ phase: 'idle', goneSince: null });
  });

  it('goes idle → lobby → inCall → left with one phase effect each, carrying the signals', () => {
    const toLobby = nextLifecycle(initialLifecycle, reading('lobby', ['meet-join-button']), T0);
    expect(toLobby.state).toEqual({ phase: 'lobby', goneSince: null });
    expect(toLobby.effects).toEqual([{ type: 'phase', phase: 'lobby', signals: ['meet-join-button'] }]);

    const toCall = nextLifecycle(toLobby.state, reading('inCall', ['meet-participant-tile', 'meet-self-name']), T0 + 1);
    expect(toCall.state).toEqual({ phase: 'inCall', goneSince: null });
    expect(toCall.effects).toEqual([{ type: 'phase', phase: 'inCall', signals: ['meet-participant-tile', 'meet-self-name'] }]);

    const toLeft = nextLifecycle(toCall.state, reading('left', ['meet-left-heading']), T0 + 2);
    expect(toLeft.state).toEqual({ phase: 'left', goneSince: null });
    expect(toLeft.effects).toEqual([{ type: 'phase', phase: 'left', signals: ['meet-left-heading'] }]);
  });

  it('goes straight from idle to inCall when there was no lobby (reload during a call)', () => {
    const { state, effects } = run([['inCall', T0]]);
    expect(state.phase).toBe('inCall');
    expect(phases(effects)).toEqual(['inCall']);
  });

  it('produces no duplicate effects for repeated readings', () => {
    const { state, effects } = run([
      ['lobby', T0], ['lobby', T0 + 100], ['lobby', T0 + 200],
      ['inCall', T0 + 300], ['inCall', T0 + 400], ['inCall', T0 + 500],
      ['left', T0 + 600], ['left', T0 + 700], ['left', T0 + 800],
    ]);
    expect(state.phase).toBe('left');
    expect(effects).toHaveLength(3);
    expect(phases(effects)).toEqual(['lobby', 'inCall', 'left']);
  });

  it('a lobby can be left without ever being admitted', () => {
    expect(phases(run([['lobby', T0], ['left', T0 + 1]]).effects)).toEqual(['lobby', 'left']);
  });

  describe('out-of-order readings', () => {
    it('left before anything else stays idle and reports nothing', () => {
      const { state, effects } = run([['left', T0]]);
      expect(state).toEqual(initialLifecycle);
      expect(effects).toEqual([]);
    });

    it('none before anything else stays idle', () => {
      expect(run([['none', T0], ['none', T0 + SIGNALS_GONE_MS * 2]])).toEqual({ state: initialLifecycle, effects: [] });
    });

    it('a lobby after left is a lobby again (rejoin through the waiting room)', () => {
      const { state, effects } = run([['inCall', T0], ['left', T0 + 1], ['lobby', T0 + 2]]);
      expect(state).toEqual({ phase: 'lobby', goneSince: null });
      expect(phases(effects)).toEqual(['inCall', 'left', 'lobby']);
    });

    it('inCall after left is inCall again (direct rejoin)', () => {
      const { state, effects } = run([['inCall', T0], ['left', T0 + 1], ['inCall', T0 + 2]]);
      expect(state).toEqual({ phase: 'inCall', goneSince: null });
      expect(phases(effects)).toEqual(['inCall', 'left', 'inCall']);
    });

    it('left while already left, or none in the lobby, changes nothing', () => {
      const left: LifecycleState = { phase: 'left', goneSince: null };
      expect(nextLifecycle(left, reading('left'), T0)).toEqual({ state: left, effects: [] });
      const lobby: LifecycleState = { phase: 'lobby', goneSince: null };
      expect(nextLifecycle(lobby, reading('none'), T0)).toEqual({ state: lobby, effects: [] });
    });
  });

  describe('in-call signals disappearing', () => {
    const inCall: LifecycleState = { phase: 'inCall', goneSince: null };

    it('a first "none" stays inCall, remembers when, and asks for a recheck after SIGNALS_GONE_MS', () => {
      const { state, effects } = nextLifecycle(inCall, reading('none'), T0);
      expect(state).toEqual({ phase: 'inCall', goneSince: T0 });
      expect(effects).toEqual([{ type: 'recheck', inMs: SIGNALS_GONE_MS }]);
    });

    it('still "none" shortly before SIGNALS_GONE_MS: inCall, recheck for the remaining time', () => {
      const { state, effects } = run([['none', T0], ['none', T0 + SIGNALS_GONE_MS - 1]], inCall);
      expect(state).toEqual({ phase: 'inCall', goneSince: T0 });
      expect(effects.at(-1)).toEqual({ type: 'recheck', inMs: 1 });
      expect(phases(effects)).toEqual([]);
    });

    it('"none" for SIGNALS_GONE_MS or more: left, decided by signals-gone', () => {
      const atLimit = run([['none', T0], ['none', T0 + SIGNALS_GONE_MS]], inCall);
      expect(atLimit.state).toEqual({ phase: 'left', goneSince: null });
      expect(atLimit.effects.at(-1)).toEqual({ type: 'phase', phase: 'left', signals: ['signals-gone'] });

      const later = run([['none', T0], ['none', T0 + SIGNALS_GONE_MS * 3]], inCall);
      expect(later.state.phase).toBe('left');
      expect(phases(later.effects)).toEqual(['left']);
    });

    it('inCall → none → inCall clears goneSince without reporting anything', () => {
      const { state, effects } = run([['none', T0], ['inCall', T0 + 1_000]], inCall);
      expect(state).toEqual({ phase: 'inCall', goneSince: null });
      expect(phases(effects)).toEqual([]);
    });

    it('after signals came back, a new disappearance waits the full SIGNALS_GONE_MS again', () => {
      const { state, effects } = run(
        [['none', T0], ['inCall', T0 + SIGNALS_GONE_MS - 10], ['none', T0 + SIGNALS_GONE_MS + 10]],
        inCall,
      );
      expect(state).toEqual({ phase: 'inCall', goneSince: T0 + SIGNALS_GONE_MS + 10 });
      expect(effects.at(-1)).toEqual({ type: 'recheck', inMs: SIGNALS_GONE_MS });
    });

    it('a lobby reading while in the call is treated like signals gone', () => {
      const first = nextLifecycle(inCall, reading('lobby'), T0);
      expect(first.state).toEqual({ phase: 'inCall', goneSince: T0 });
      expect(first.effects).toEqual([{ type: 'recheck', inMs: SIGNALS_GONE_MS }]);

      const later = nextLifecycle(first.state, reading('lobby'), T0 + SIGNALS_GONE_MS);
      expect(later.state).toEqual({ phase: 'left', goneSince: null });
      expect(later.effects).toEqual([{ type: 'phase', phase: 'left', signals: ['signals-gone'] }]);
    });

    it('an explicit end screen while signals are gone ends the call at once', () => {
      const { state, effects } = run([['none', T0], ['left', T0 + 10]], inCall);
      expect(state).toEqual({ phase: 'left', goneSince: null });
      expect(effects.at(-1)).toEqual({ type: 'phase', phase: 'left', signals: ['left-signal'] });
    });
  });

  describe('started by hand (detection did not see the call)', () => {
    it('missing signals never end it', () => {
      const { state, effects } = run([['none', T0], ['none', T0 + SIGNALS_GONE_MS * 10], ['lobby', T0 + SIGNALS_GONE_MS * 20]], manualLifecycle);
      expect(state.phase).toBe('inCall');
      expect(effects).toEqual([]);
    });

    it('an end screen still ends it, and what follows is detected normally again', () => {
      const { state, effects } = run([['left', T0], ['inCall', T0 + 1], ['none', T0 + 2], ['none', T0 + 2 + SIGNALS_GONE_MS]], manualLifecycle);
      expect(phases(effects)).toEqual(['left', 'inCall', 'left']);
      expect(state.phase).toBe('left');
      expect(state.manual).toBeFalsy();
    });

    it('detected in-call signals keep it manual', () => {
      const { state } = run([['inCall', T0], ['none', T0 + 1], ['none', T0 + 1 + SIGNALS_GONE_MS]], manualLifecycle);
      expect(state.phase).toBe('inCall');
    });
  });
});
