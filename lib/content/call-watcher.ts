import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { mountConsentPrompt, type ConsentPrompt, type PromptPosition } from '../../components/consent-prompt';
import { initialLifecycle, manualLifecycle, nextLifecycle, type LifecycleState } from '../call/lifecycle';
import { notetakerMatcher } from '../detect/notetakers';
import { readSignals, type ReadableRoot, type Reading } from '../detect/read-signals';
import { sendRequest } from '../messages/client';
import type { CallView, RequestInput } from '../messages/schema';
import { platformForUrl } from '../platforms';
import type { PlatformDefinition, PlatformId } from '../platforms/types';

/** Where the prompt sits so it never covers the platform's own call controls. */
const promptPosition: Record<PlatformId, PromptPosition> = {
  meet: 'top-right', // Meet's controls are at the bottom.
  zoom: 'top-right', // Zoom's footer holds the controls; the top bar is short.
  teams: 'bottom-right', // Teams puts its call controls in the top bar.
};

/**
 * Batching: at most one read of the page per interval, however many mutations arrive. Before the
 * call (idle, lobby) the rep is waiting for the prompt: the first change is read at once. In a
 * call with the prompt drawn, recording, late joiners and leaving are fine to notice within a
 * second, and call pages churn constantly (video tiles, captions): read at most once a second.
 */
const QUICK_INTERVAL_MS = 100;
const STEADY_INTERVAL_MS = 1_000;
/** While the prompt asks, keep the service worker awake so the rep's click never waits for it to start. */
export const KEEPALIVE_MS = 20_000;
/** A recording indicator must be gone this long before it counts as stopped (dialogs re-render). */
export const RECORDING_GONE_MS = 1_500;

/**
 * Watches one call page: one MutationObserver whose callback only schedules a read; the observer
 * is disconnected until that read runs (the read sees every change made meanwhile), so a busy page
 * costs one callback per read, not one per mutation batch. Lifecycle changes go to the background.
 * No timers run while nothing changes (except the keep-alive while the prompt asks). Everything is
 * torn down through `ctx`.
 */
export interface CallWatcher {
  /** The manual fallback ("Start consent check") for when detection does not see the call. */
  startManually(): void;
}

export function startCallWatcher(ctx: ContentScriptContext): CallWatcher | null {
  const platform = platformForUrl(new URL(location.href));
  if (!platform) return null;

  let href = location.href;
  let meeting = platform.meetingFromUrl(new URL(href));
  let lifecycle: LifecycleState = initialLifecycle;
  let call: CallView | null = null;
  let prompt: ConsentPrompt | null = null;
  let scheduled: number | null = null;
  /** When the scheduled read runs (performance.now() time). */
  let scheduledFor = 0;
  let lastCheck = 0;
  /** Sources last reported to the background ('' = none), and since when they are gone. */
  let reportedRecording = '';
  let recordingGoneSince: number | null = null;
  let isNotetaker: ((name: string) => string | null) | null = null;
  /** Participants already seen in this call (in memory only: names are never sent or stored). */
  let knownParticipants: Set<string> | null = null;
  let keepAlive: number | null = null;
  /** What the background said about this meeting while in the lobby: lets the prompt draw at once on admission. */
  let lobbyView: CallView | null = null;
  const aborter = new AbortController();
  ctx.onInvalidated(() => {
    aborter.abort();
    if (scheduled !== null) clearTimeout(scheduled);
  });

  const send = <M extends RequestInput>(msg: M) => sendRequest(msg, { signal: aborter.signal });

  function roots(p: PlatformDefinition): ReadableRoot[] {
    const list: ReadableRoot[] = [document];
    for (const selector of p.frames) {
      for (const frame of document.querySelectorAll<HTMLIFrameElement>(selector)) {
        try {
          if (frame.contentDocument) list.push(frame.contentDocument);
        } catch {
          // Cross-origin frame: not ours to read.
        }
      }
    }
    return list;
  }

  function ensurePrompt(): ConsentPrompt {
    prompt ??= mountConsentPrompt({
      position: promptPosition[platform!.id],
      platformLabel: platform!.label,
      handlers: {
        async tag(tag) {
          if (!call) return 'No call is active in this tab.';
          const reply = await send({ type: 'tag/add', eventId: crypto.randomUUID(), at: Date.now(), callId: call.callId, tag });
          return reply.ok ? reply.data : reply.error;
        },
        async lateJoiner(answer, joined) {
          if (!call) return 'No call is active in this tab.';
          const reply = await send({ type: 'call/late-joiner', eventId: crypto.randomUUID(), at: Date.now(), callId: call.callId, joined, answer });
          if (!reply.ok) return reply.error;
          call = reply.data;
          return reply.data;
        },
        async decide(outcome, reason, category) {
          if (!call) return 'No call is active in this tab.';
          const reply = await send({ type: 'call/decide', eventId: crypto.randomUUID(), at: Date.now(), callId: call.callId, outcome, reason, category });
          if (!reply.ok) return reply.error;
          call = reply.data;
          return reply.data;
        },
        shown() {
          if (call) void send({ type: 'call/prompt-shown', eventId: crypto.randomUUID(), at: Date.now(), callId: call.callId });
        },
      },
    });
    return prompt;
  }

  /** A cheap message every KEEPALIVE_MS while consent is undecided (MV3 stops an idle worker at 30 s). */
  function keepWorkerAwake(asking: boolean) {
    if (asking && keepAlive === null) {
      keepAlive = ctx.setInterval(() => {
        if (call) void send({ type: 'call/keep-alive', callId: call.callId });
      }, KEEPALIVE_MS);
    } else if (!asking && keepAlive !== null) {
      clearInterval(keepAlive);
      keepAlive = null;
    }
  }

  function closePrompt() {
    keepWorkerAwake(false);
    prompt?.remove();
    prompt = null;
    call = null;
    reportedRecording = '';
    recordingGoneSince = null;
    knownParticipants = null;
  }

  function showCall(view: CallView) {
    if (call?.callId !== view.callId) {
      isNotetaker = notetakerMatcher(view.notetakerNames);
      reportedRecording = view.recording.active ? [...view.recording.sources].sort().join('|') : '';
    }
    call = view;
    keepWorkerAwake(view.outcome === null);
    ensurePrompt().render(view);
  }

  async function reportRecording(active: boolean, sources: string[]) {
    if (!call) return;
    const reply = await send({ type: 'call/recording', eventId: crypto.randomUUID(), at: Date.now(), callId: call.callId, active, sources });
    if (reply.ok && call?.callId === reply.data.callId) showCall(reply.data);
  }

  /** Recording indicators and notetakers: report changes, with a grace period before "stopped". */
  function trackRecording(reading: Reading, now: number) {
    const bots = reading.participants.map((name) => isNotetaker?.(name)).filter((n): n is string => !!n);
    const sources = [...new Set([...reading.recording, ...bots])].sort();
    if (sources.length > 0) {
      recordingGoneSince = null;
      const key = sources.join('|');
      if (key !== reportedRecording) {
        reportedRecording = key;
        void reportRecording(true, sources);
      }
    } else if (reportedRecording) {
      recordingGoneSince ??= now;
      const waited = now - recordingGoneSince;
      if (waited >= RECORDING_GONE_MS) {
        reportedRecording = '';
        recordingGoneSince = null;
        void reportRecording(false, []);
      } else schedule(RECORDING_GONE_MS - waited);
    }
  }

  /** People who joined after consent was given get a gentle nudge to confirm with them. */
  function trackParticipants(reading: Reading) {
    const people = reading.participants.filter((name) => !isNotetaker?.(name));
    if (!knownParticipants) {
      knownParticipants = new Set(people);
      return;
    }
    const newcomers = people.filter((name) => !knownParticipants!.has(name));
    for (const name of newcomers) knownParticipants.add(name);
    if (newcomers.length > 0 && call?.outcome === 'agreed') prompt?.nudgeLateJoiner(newcomers.length);
  }

  async function report(phase: 'lobby' | 'inCall' | 'left', signals: string[], manual = false, url = href) {
    const reported = meeting;
    if (phase === 'inCall' && lobbyView && !call) {
      // Admitted: draw the prompt now from the lobby's texts (outcomes wait for the reply below).
      ensurePrompt().render(lobbyView, { pending: true });
    }
    lobbyView = null;
    const reply = await send({ type: 'call/observed', eventId: crypto.randomUUID(), at: Date.now(), phase, url, signals, manual });
    if (phase !== 'inCall') {
      closePrompt();
      if (phase === 'lobby' && reply.ok && meeting === reported && lifecycle.phase === 'lobby') lobbyView = reply.data;
      return;
    }
    if (aborter.signal.aborted || lifecycle.phase !== 'inCall') return;
    if (!reply.ok || !reply.data) {
      if (!call) closePrompt(); // a drawn-ahead prompt must not stay without a call behind it
      return;
    }
    showCall(reply.data);
    // The call is known now: evaluate recording and participants at once, not at the next mutation.
    schedule(0);
  }

  function check() {
    scheduled = null;
    lastCheck = performance.now();
    if (!ctx.isValid) return;
    watch();
    if (location.href !== href) {
      // Single-page navigation: a different meeting is a different call.
      const previous = href;
      href = location.href;
      const next = platform!.meetingFromUrl(new URL(href));
      if (next !== meeting) {
        if (lifecycle.phase === 'inCall' || lifecycle.phase === 'lobby') void report('left', ['meeting-switched'], false, previous);
        meeting = next;
        lifecycle = initialLifecycle;
        lobbyView = null;
        closePrompt();
      }
    }
    if (!meeting && lifecycle.phase !== 'inCall') return;
    const reading = readSignals(platform!, roots(platform!));
    const now = Date.now();
    const { state, effects } = nextLifecycle(lifecycle, reading, now);
    lifecycle = state;
    for (const effect of effects) {
      if (effect.type === 'phase') void report(effect.phase, effect.signals);
      else schedule(effect.inMs);
    }
    if (call && lifecycle.phase === 'inCall' && reading.state === 'inCall') {
      trackRecording(reading, now);
      trackParticipants(reading);
    }
  }

  function schedule(delay?: number) {
    if (aborter.signal.aborted) return;
    const now = performance.now();
    const interval = lifecycle.phase === 'inCall' && call ? STEADY_INTERVAL_MS : QUICK_INTERVAL_MS;
    const wait = delay ?? Math.max(0, interval - (now - lastCheck));
    if (scheduled !== null) {
      // An explicit earlier read (e.g. the call just became known) replaces a later one.
      if (delay === undefined || now + wait >= scheduledFor) return;
      clearTimeout(scheduled);
    }
    observer.disconnect();
    scheduledFor = now + wait;
    // Not ctx.setTimeout: it adds an abort listener per call that is never removed (one per read,
    // for hours). One listener below clears whatever is scheduled when the script is invalidated.
    scheduled = window.setTimeout(check, wait);
  }

  function watch() {
    observer.observe(document.documentElement, {
      childList: true,
      subtree: true,
      attributes: true,
      // Only attributes that signals depend on; style/class churn from video tiles is ignored.
      attributeFilter: ['hidden', 'aria-hidden', 'aria-label', 'data-participant-id', 'data-self-name', 'data-tid', 'data-call-ended', 'disabled'],
    });
  }

  // A copy left behind by an extension reload or update: the new copy takes over the page.
  for (const stale of document.querySelectorAll('candor-consent')) stale.remove();
  const observer = new MutationObserver(() => {
    // ctx.isValid notices an orphaned script (extension reloaded) and runs the teardown.
    if (ctx.isValid) schedule();
  });
  ctx.onInvalidated(() => {
    observer.disconnect();
    prompt?.remove();
  });
  schedule(0);

  // Tag shortcuts: Alt+1… (real key presses only; the page may see the keys, they carry no secret).
  ctx.addEventListener(window, 'keydown', (e) => {
    if (!e.isTrusted || !e.altKey || e.ctrlKey || e.metaKey || !prompt || lifecycle.phase !== 'inCall') return;
    const digit = /^Digit([1-9])$/.exec(e.code)?.[1];
    if (!digit) return;
    e.preventDefault();
    prompt.tagByIndex(Number(digit) - 1);
  }, { capture: true });

  return {
    startManually() {
      if (lifecycle.phase === 'inCall' && call) {
        prompt?.expand();
        return;
      }
      lifecycle = manualLifecycle;
      void report('inCall', ['manual'], true).then(() => prompt?.expand());
    },
  };
}
