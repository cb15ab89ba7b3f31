import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { mountConsentPrompt, type ConsentPrompt, type PromptPosition } from '../../components/consent-prompt';
import { initialLifecycle, nextLifecycle, type LifecycleState } from '../call/lifecycle';
import { readSignals, type ReadableRoot } from '../detect/read-signals';
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

/** Batching: at most one read of the page per interval, however many mutations arrive. */
const MIN_CHECK_INTERVAL_MS = 100;
const FIRST_CHECK_DELAY_MS = 16;

/**
 * Watches one call page: one MutationObserver whose callback only schedules a read, reads the
 * platform's signals at most every MIN_CHECK_INTERVAL_MS, and reports lifecycle changes to the
 * background. No timers run while nothing changes. Everything is torn down through `ctx`.
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
  let lastCheck = 0;
  const aborter = new AbortController();
  ctx.onInvalidated(() => aborter.abort());

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
      handlers: {
        async decide(outcome, reason) {
          if (!call) return 'No call is active in this tab.';
          const reply = await send({ type: 'call/decide', eventId: crypto.randomUUID(), at: Date.now(), callId: call.callId, outcome, reason });
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

  function closePrompt() {
    prompt?.remove();
    prompt = null;
    call = null;
  }

  async function report(phase: 'lobby' | 'inCall' | 'left', signals: string[], manual = false) {
    const reply = await send({ type: 'call/observed', eventId: crypto.randomUUID(), at: Date.now(), phase, signals, manual });
    if (phase !== 'inCall') {
      closePrompt();
      return;
    }
    if (!reply.ok || !reply.data || aborter.signal.aborted || lifecycle.phase !== 'inCall') return;
    call = reply.data;
    ensurePrompt().render(reply.data);
  }

  function check() {
    scheduled = null;
    lastCheck = performance.now();
    if (location.href !== href) {
      // Single-page navigation: a different meeting is a different call.
      href = location.href;
      const next = platform!.meetingFromUrl(new URL(href));
      if (next !== meeting) {
        if (lifecycle.phase === 'inCall' || lifecycle.phase === 'lobby') void report('left', ['meeting-switched']);
        meeting = next;
        lifecycle = initialLifecycle;
        closePrompt();
      }
    }
    if (!meeting && lifecycle.phase !== 'inCall') return;
    const reading = readSignals(platform!, roots(platform!));
    const { state, effects } = nextLifecycle(lifecycle, reading, Date.now());
    lifecycle = state;
    for (const effect of effects) {
      if (effect.type === 'phase') void report(effect.phase, effect.signals);
      else schedule(effect.inMs);
    }
  }

  function schedule(delay?: number) {
    if (scheduled !== null || aborter.signal.aborted) return;
    const wait = delay ?? Math.max(FIRST_CHECK_DELAY_MS, MIN_CHECK_INTERVAL_MS - (performance.now() - lastCheck));
    scheduled = ctx.setTimeout(check, wait);
  }

  const observer = new MutationObserver(() => schedule());
  observer.observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    // Only attributes that signals depend on; style/class churn from video tiles is ignored.
    attributeFilter: ['hidden', 'aria-hidden', 'aria-label', 'data-participant-id', 'data-self-name', 'data-tid', 'data-call-ended', 'disabled'],
  });
  ctx.onInvalidated(() => {
    observer.disconnect();
    prompt?.remove();
  });
  schedule(0);

  return {
    startManually() {
      lifecycle = { phase: 'inCall', goneSince: null };
      void report('inCall', ['manual'], true).then(() => prompt?.expand());
    },
  };
}
