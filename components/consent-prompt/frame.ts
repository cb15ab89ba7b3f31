import { browser } from 'wxt/browser';
import { t } from '../../lib/i18n/content';
import { sendRequest } from '../../lib/protocol/client';
import type { PromptEvent, RequestInput } from '../../lib/protocol/requests';
import type { CallView } from '../../lib/protocol/replies';
import { createConsentPrompt } from '.';
import { createInputGuard } from './input-guard';
import { promptCss } from './styles';

/** While the prompt asks, keep the service worker awake so the rep's click never waits for it to start. */
export const KEEPALIVE_MS = 20_000;
/** When a shown prompt still has no admitted call, it asks the background again after these delays. */
const RESYNC_DELAYS_MS = [1_000, 2_000, 4_000, 8_000];

/**
 * The prompt frame's runtime: presents its token, draws the tab's call, sends the rep's choices to
 * the background and reports its content size so the content script can size its box in the page.
 * Everything arrives from the background (`prompt/view`, `prompt/event`); the page cannot talk to
 * this frame at all.
 */
export function startPromptFrame() {
  const token = location.hash.slice(1);
  document.title = t('prompt_frame_title');
  document.documentElement.lang = t('lang');
  const style = document.createElement('style');
  style.textContent = promptCss;
  document.head.append(style);
  const root = document.getElementById('root')!;
  const live = document.getElementById('live')!;

  let call: CallView | null = null;
  let sent = '';
  let keepAlive: number | null = null;
  const send = <M extends RequestInput>(msg: M) => sendRequest(msg);
  const stamp = () => ({ eventId: crypto.randomUUID(), at: Date.now() });
  const reply = <T>(r: { ok: true; data: T } | { ok: false; error: string }): T | string => (r.ok ? r.data : r.error);

  const guard = createInputGuard(root, () => prompt.refresh(), (armed) => {
    document.documentElement.dataset.armed = String(armed);
    if (armed) resync(0);
  });
  /** Whether choices are on screen now (what is tracked for visibility, and guarded in the page). */
  let choices = false;
  const prompt = createConsentPrompt(root, live, {
    arm: guard,
    onDraw(shown) {
      if (shown === choices) return;
      choices = shown;
      // Visibility is tracked while choices show (tracking costs the call page a little every frame).
      guard.track(shown);
      sent = '';
      reportSize();
    },
    handlers: {
      async decide(outcome, reason, category) {
        if (!call) return t('prompt_no_call');
        return adopt(reply(await send({ type: 'call/decide', ...stamp(), callId: call.callId, outcome, reason, category })));
      },
      shown() {
        if (call) void send({ type: 'call/prompt-shown', ...stamp(), callId: call.callId });
      },
      async lateJoiner(answer, joined) {
        if (!call) return t('prompt_no_call');
        return adopt(reply(await send({ type: 'call/late-joiner', ...stamp(), callId: call.callId, joined, answer })));
      },
      async tag(tag) {
        if (!call) return t('prompt_no_call');
        return reply(await send({ type: 'tag/add', ...stamp(), callId: call.callId, tag }));
      },
      async notetaker(name, verdict) {
        if (!call) return t('prompt_no_call');
        return adopt(reply(await send({ type: 'call/notetaker', ...stamp(), callId: call.callId, name, verdict })));
      },
    },
  });

  function adopt<T>(result: T | string): T | string {
    if (typeof result !== 'string') show(result as unknown as CallView);
    return result;
  }

  function show(view: CallView | null) {
    const admittedNow = !!view && view.admitted && !(call?.callId === view.callId && call.admitted);
    // A prompt that just appeared takes no choice until it has been seen for a moment.
    if (admittedNow) guard.rearm();
    if (view && view.callId !== call?.callId) markShown();
    call = view;
    // Before admission (the lobby) the prompt is drawn ahead, hidden, with its choices off.
    if (view) prompt.render(view, { pending: !view.admitted });
    // Keep the worker awake while consent is undecided (MV3 stops an idle worker after 30 s).
    const asking = !!view && view.outcome === null;
    if (asking && keepAlive === null) {
      keepAlive = window.setInterval(() => {
        if (call) void send({ type: 'call/keep-alive', callId: call.callId });
      }, KEEPALIVE_MS);
    } else if (!asking && keepAlive !== null) {
      clearInterval(keepAlive);
      keepAlive = null;
    }
  }

  function onEvent(event: PromptEvent) {
    switch (event.kind) {
      case 'guard':
        guard.pageState(event.state);
        break;
      case 'late-joiner':
        prompt.nudgeLateJoiner(event.joined, event.names);
        break;
      case 'expand':
        prompt.expand();
        break;
      case 'nudge-start':
        prompt.offerManualStart(() => void send({ type: 'prompt/start-manual' }));
        break;
      case 'tagged':
        prompt.tagged(event.tag, event.offsetMs);
        break;
    }
  }

  // Only the background talks to this frame (tabs.sendMessage carries no tab); other extension
  // contexts' requests pass by here on their way to the background and are not ours to answer.
  browser.runtime.onMessage.addListener((msg: unknown, sender: { id?: string; tab?: unknown }) => {
    if (sender.id !== browser.runtime.id || sender.tab) return undefined;
    const m = msg as { type?: unknown; view?: CallView; event?: PromptEvent };
    if (m.type === 'prompt/view' && m.view) show(m.view);
    else if (m.type === 'prompt/event' && m.event) onEvent(m.event);
    return undefined;
  });

  /**
   * When the call was first drawn (epoch ms, the animation frame after): with the box shown in the
   * page (its `data-shown`), what bench row 2 measures. In the lobby the frame is loaded at full size
   * but hidden, so the call is drawn before the rep is let in and shows the moment they are.
   */
  function markShown() {
    requestAnimationFrame(() => (document.documentElement.dataset.viewAt = String(performance.timeOrigin + performance.now())));
  }

  // The content script sizes this frame's box to the content (rounded up; only real changes sent).
  let drawnOnce = false;
  function reportSize() {
    // Nothing drawn yet (the call not known yet): the box keeps the size it was given. Nothing drawn
    // any more (the nudge dismissed): size 0, the box goes away.
    const empty = !root.firstElementChild;
    if (empty && !drawnOnce) return;
    drawnOnce = true;
    const box = document.body.getBoundingClientRect();
    // Not laid out (the page hid the box, the frame is about to be moved back): no size to report.
    if (!empty && box.width === 0) return;
    const size = empty ? { width: 0, height: 0 } : { width: Math.ceil(box.width), height: Math.ceil(box.height) };
    const key = `${size.width}x${size.height}x${choices}`;
    if (key === sent) return;
    sent = key;
    void send({ type: 'prompt/size', ...size, choices });
  }
  new ResizeObserver(reportSize).observe(document.body);

  // Tag shortcuts (Alt+1…) when the keyboard focus is in this frame; the content script has them for the page.
  window.addEventListener('keydown', (e) => {
    if (!e.isTrusted || !e.altKey || e.ctrlKey || e.metaKey || !call) return;
    const digit = /^Digit([1-9])$/.exec(e.code)?.[1];
    if (!digit) return;
    e.preventDefault();
    prompt.tagByIndex(Number(digit) - 1);
  }, { capture: true });

  /** Presents the token: the tab's call as the background knows it now, and events that came first. */
  async function attach(): Promise<void> {
    const r = await send({ type: 'prompt/attach', token });
    if (!r.ok) return;
    const next = r.data.view;
    // An answer can arrive after a newer pushed view: an admitted call never goes back to its lobby view.
    const stale = !!next && !!call && call.callId === next.callId && call.admitted && !next.admitted;
    if (!stale && (next || !call)) show(next);
    for (const event of r.data.events) onEvent(event);
  }

  /**
   * Shown and armed, but still on the lobby's view (outcomes off): the admitted view the background
   * pushes has not arrived. Ask for the tab's call again, a few times, backing off, so a lost push
   * never leaves the rep in front of choices that cannot be pressed.
   */
  let resyncTimer: number | null = null;
  function resync(attempt: number) {
    if (resyncTimer !== null || attempt >= RESYNC_DELAYS_MS.length || !call || call.admitted) return;
    resyncTimer = window.setTimeout(() => {
      resyncTimer = null;
      if (!call || call.admitted || !guard.armed()) return;
      void attach().then(() => resync(attempt + 1));
    }, RESYNC_DELAYS_MS[attempt]);
  }

  void attach();
}
