import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { initialLifecycle, manualLifecycle, nextLifecycle, type LifecycleState } from '../call/lifecycle';
import { notetakerMatcher } from '../detect/notetakers';
import { readSignals, type ReadableRoot } from '../detect/read-signals';
import { readTitle } from '../detect/title';
import { sendRequest } from '../protocol/client';
import { MAX_JOINED, MAX_NAME_CHARS, MAX_NAMED_JOINERS } from '../protocol/limits';
import type { PromptEvent, RequestInput } from '../protocol/requests';
import type { CallView } from '../protocol/replies';
import { platformForUrl } from '../platforms';
import { withOverrides } from '../platforms/overrides';
import type { PlatformDefinition } from '../platforms/types';
import { createPageFacts } from './page-facts';
import { createRecordingTracker } from './recording-tracker';
import { createPromptHost, EXPANDED_SIZE, type PromptHost, type PromptPosition } from './prompt-host';
import type { PageGuardState, PlatformId } from '../model';

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
/**
 * How often the prompt's box is checked for interference (its place on screen: a few layout reads)
 * while it shows choices. Otherwise (the collapsed pill) only whether it is still in place is
 * checked, with each read of the page (no layout reads in a busy call page).
 */
const GUARD_CHOICES_MS = 250;

/**
 * Watches one call page: one MutationObserver whose callback only schedules a read; the observer
 * is disconnected until that read runs (the read sees every change made meanwhile), so a busy page
 * costs one callback per read, not one per mutation batch. Lifecycle changes go to the background.
 * No timers run while nothing changes (except the prompt box's guard while it is shown). Everything is
 * torn down through `ctx`.
 */
export interface CallWatcher {
  /** The manual fallback ("Start consent check") for when detection does not see the call. */
  startManually(): void;
  /** The tab plays sound but no call was detected: offer the manual start in the page. */
  offerManualStart(): void;
  /** The prompt frame's content size, and whether choices show (relayed by the background). */
  resizePrompt(width: number, height: number, choices: boolean): void;
  /** The call's outcome changed (decided in the prompt frame or the popup). */
  callState(callId: string, outcome: CallView['outcome']): void;
}

export function startCallWatcher(ctx: ContentScriptContext): CallWatcher | null {
  const platform = platformForUrl(new URL(location.href));
  if (!platform) return null;

  /** The URL that names the meeting (the page's, or its call frame's) and that meeting. */
  let { url: href, meeting } = currentMeeting();
  let lifecycle: LifecycleState = initialLifecycle;
  /** The platform's signals with the organisation's selector overrides, once the background sent them. */
  let detection: PlatformDefinition = platform;
  let configAsked = false;
  let call: CallView | null = null;
  /** The prompt's box in the page (created, hidden, in the lobby so its frame is loaded on admission). */
  let host: PromptHost | null = null;
  let hostPending: Promise<PromptHost | null> | null = null;
  let promptSize: { width: number; height: number } | null = null;
  /** The guard's last verdict sent to the frame (null: send the next one whatever it is). */
  let guardState: PageGuardState | null = null;
  let guardTimer: number | null = null;
  let scheduled: number | null = null;
  /** When the scheduled read runs (performance.now() time). */
  let scheduledFor = 0;
  let lastCheck = 0;
  const recording = createRecordingTracker((marks, suspected) => void reportRecording(marks, suspected), (inMs) => schedule(inMs));
  let isNotetaker: ((name: string) => string | null) | null = null;
  /** People already seen in this call and the title last sent (in memory only). */
  const facts = createPageFacts();
  const aborter = new AbortController();
  ctx.onInvalidated(() => {
    aborter.abort();
    if (scheduled !== null) clearTimeout(scheduled);
  });

  const send = <M extends RequestInput>(msg: M) => sendRequest(msg, { signal: aborter.signal });

  /**
   * The same-origin frames the platform renders its call in (Zoom's web app runs the whole call in
   * `iframe#webclient`). They are read and observed like the page itself; a frame that navigates
   * gets a new document, which its `load` event hands to the next read.
   */
  const attachedFrames = new WeakSet<HTMLIFrameElement>();
  function callFrames(): HTMLIFrameElement[] {
    const found: HTMLIFrameElement[] = [];
    for (const selector of platform!.frames) found.push(...document.querySelectorAll<HTMLIFrameElement>(selector));
    return found;
  }
  function frameDocument(frame: HTMLIFrameElement): Document | null {
    try {
      return frame.contentDocument;
    } catch {
      return null; // cross-origin: not ours to read
    }
  }
  function attachFrame(frame: HTMLIFrameElement) {
    if (attachedFrames.has(frame)) return;
    attachedFrames.add(frame);
    ctx.addEventListener(frame, 'load', () => {
      // A new document in the frame: its keys and mutations are ours to watch again.
      listenForTagKeys(frame.contentWindow);
      if (ctx.isValid) schedule(0);
    });
    listenForTagKeys(frame.contentWindow);
  }

  function roots(): ReadableRoot[] {
    const list: ReadableRoot[] = [document];
    for (const frame of callFrames()) {
      const doc = frameDocument(frame);
      if (doc) list.push(doc);
    }
    return list;
  }

  /** The meeting the page shows: from its own URL, else from the call frame's (a web-app shell). */
  function currentMeeting(): { meeting: string | null; url: string } {
    const own = platform!.meetingFromUrl(new URL(location.href));
    if (own) return { meeting: own, url: location.href };
    for (const frame of callFrames()) {
      const doc = frameDocument(frame);
      if (!doc || doc.location.origin !== location.origin) continue;
      const fromFrame = platform!.meetingFromUrl(new URL(doc.location.href));
      if (fromFrame) return { meeting: fromFrame, url: doc.location.href };
    }
    return { meeting: null, url: location.href };
  }

  /** The prompt's box, once the background gave the token its frame presents. */
  function ensureHost(): Promise<PromptHost | null> {
    if (host) return Promise.resolve(host);
    hostPending ??= send({ type: 'prompt/mount' }).then((reply) => {
      if (!reply.ok || aborter.signal.aborted) return null;
      host = createPromptHost({ position: promptPosition[platform!.id], token: reply.data.token });
      return host;
    });
    return hostPending;
  }

  /** Sends an event to the prompt frame, once the box (and its token) exists. */
  function relay(event: PromptEvent) {
    void ensureHost().then((h) => (h ? send({ type: 'prompt/relay', event }) : undefined));
  }

  function showPrompt() {
    void ensureHost().then((h) => {
      if (!h || host !== h) return;
      h.show(promptSize ?? EXPANDED_SIZE);
      watchHost();
    });
  }

  /** The page's interference with the prompt's box, reported on change (the frame then takes no choice). */
  function guardHost(full = !!host?.choices()) {
    if (!host) return;
    const state = host.check(full);
    if (state === guardState) return;
    guardState = state;
    relay({ kind: 'guard', state });
  }
  // The top layer (popovers, modal dialogs, fullscreen) is the one thing that paints over the box:
  // check at once when something enters it, not at the next poll. toggle does not bubble; the
  // capture phase on the document still sees it.
  for (const type of ['toggle', 'fullscreenchange'] as const) ctx.addEventListener(document, type, () => guardHost(), { capture: true });

  /** The full check runs on a timer only while a panel with choices shows. */
  function watchHost() {
    if (guardTimer !== null) clearInterval(guardTimer);
    guardTimer = host?.choices() ? ctx.setInterval(() => guardHost(true), GUARD_CHOICES_MS) : null;
    guardState = null;
    guardHost();
  }

  function closePrompt() {
    if (guardTimer !== null) clearInterval(guardTimer);
    guardTimer = null;
    guardState = null;
    host?.remove();
    host = null;
    hostPending = null;
    promptSize = null;
    call = null;
    recording.reset();
    facts.reset();
  }

  function showCall(view: CallView) {
    const decidedNow = !!call && call.outcome === null && view.outcome !== null;
    if (call?.callId !== view.callId) {
      isNotetaker = notetakerMatcher(view.notetakerNames);
      // Known to the background as recording or suspected: the next reading reports what it sees (or its end).
      recording.reset(view.recording.active || view.suspectedBots.length > 0);
    }
    call = view;
    if (!host || decidedNow) showPrompt();
  }

  async function reportRecording(marks: string[], suspected: string[]) {
    if (!call) return;
    const active = marks.length + suspected.length > 0;
    const reply = await send({ type: 'call/recording', eventId: crypto.randomUUID(), at: Date.now(), callId: call.callId, active, sources: marks, suspected });
    if (reply.ok && call?.callId === reply.data.callId) showCall(reply.data);
  }

  /**
   * People who joined after consent was given get a gentle nudge to confirm with them, by name when
   * the page shows names (relayed to the prompt only: names are never stored or logged).
   */
  function trackParticipants(people: readonly string[]) {
    const newcomers = facts.newcomers(people);
    // The background asks only after an agreement (it knows the outcome for sure). A name is page
    // text of any length: cut, so one long name never gets the whole nudge refused.
    const names = newcomers.slice(0, MAX_NAMED_JOINERS).map((name) => name.slice(0, MAX_NAME_CHARS));
    if (newcomers.length > 0 && call) relay({ kind: 'late-joiner', joined: Math.min(newcomers.length, MAX_JOINED), names });
  }

  /** The meeting title the page shows, reported when it changes (kept with the call on this machine only). */
  function trackTitle(pageRoots: readonly ReadableRoot[]) {
    const title = call && facts.newTitle(readTitle(detection, pageRoots, meeting));
    if (call && title) void send({ type: 'call/title', callId: call.callId, title });
  }

  async function report(phase: 'lobby' | 'inCall' | 'left', signals: string[], manual = false, url = href) {
    const mine = ++reports;
    // Admitted: the box shows at once (its frame was loaded in the lobby); the background draws the call in it.
    if (phase === 'inCall') showPrompt();
    const reply = await send({ type: 'call/observed', eventId: crypto.randomUUID(), at: Date.now(), phase, url, signals, manual });
    if (phase === 'left') {
      // Only if nothing was reported since: a reply that comes after the next call's (another meeting
      // in this tab, a rejoin) must not close that call's prompt, or its consent is never asked.
      if (mine === reports) closePrompt();
      return;
    }
    if (phase === 'lobby') {
      // Load the prompt's frame now, hidden, so it is ready the moment the rep is let in.
      if (lifecycle.phase === 'lobby') void ensureHost();
      return;
    }
    if (aborter.signal.aborted || lifecycle.phase !== 'inCall') return;
    if (!reply.ok || !reply.data) {
      if (!call) closePrompt(); // a shown box must not stay without a call behind it
      return;
    }
    showCall(reply.data);
    // The call is known now: evaluate recording and participants at once, not at the next mutation.
    schedule(0);
  }

  /** Phase reports sent so far: a late reply to an older one knows it is not the latest. */
  let reports = 0;

  function check() {
    scheduled = null;
    lastCheck = performance.now();
    if (!ctx.isValid) return;
    watch();
    const shown = currentMeeting();
    if (shown.url !== href) {
      // Single-page navigation (of the page or its call frame): a different meeting is a different call.
      const previous = href;
      href = shown.url;
      if (shown.meeting !== meeting) {
        if (lifecycle.phase === 'inCall' || lifecycle.phase === 'lobby') void report('left', ['meeting-switched'], false, previous);
        meeting = shown.meeting;
        lifecycle = initialLifecycle;
        closePrompt();
      }
    }
    if (!meeting && lifecycle.phase !== 'inCall') return;
    if (!configAsked) {
      // Asked once per page, only on call pages (not on every page of the platform's site).
      configAsked = true;
      void send({ type: 'call/config' }).then((reply) => {
        if (!reply.ok || !reply.data.overrides) return;
        detection = withOverrides(platform!, reply.data.overrides);
        schedule(0);
      });
    }
    const pageRoots = roots();
    const reading = readSignals(detection, pageRoots);
    const now = Date.now();
    const { state, effects } = nextLifecycle(lifecycle, reading, now);
    lifecycle = state;
    for (const effect of effects) {
      if (effect.type === 'phase') void report(effect.phase, effect.signals);
      else schedule(effect.inMs);
    }
    guardHost();
    if (call && lifecycle.phase === 'inCall' && reading.state === 'inCall') {
      // One match per name: the bots are suspected, the people may be late joiners.
      const suspected: string[] = [];
      const people: string[] = [];
      for (const name of reading.participants) {
        const bot = isNotetaker?.(name);
        if (bot) suspected.push(bot);
        else people.push(name);
      }
      recording.track(reading.recording, suspected, now);
      trackParticipants(people);
      trackTitle(pageRoots);
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

  const observed: MutationObserverInit = {
    childList: true,
    subtree: true,
    attributes: true,
    // Only attributes that signals depend on; style/class churn from video tiles is ignored.
    attributeFilter: ['hidden', 'aria-hidden', 'aria-label', 'data-participant-id', 'data-self-name', 'data-tid', 'data-call-ended', 'disabled'],
  };
  function watch() {
    observer.observe(document.documentElement, observed);
    for (const frame of callFrames()) {
      attachFrame(frame);
      const root = frameDocument(frame)?.documentElement;
      if (root) observer.observe(root, observed);
    }
  }

  // A copy left behind by an extension reload or update: the new copy takes over the page.
  for (const stale of document.querySelectorAll('candor-consent')) stale.remove();
  const observer = new MutationObserver(() => {
    // ctx.isValid notices an orphaned script (extension reloaded) and runs the teardown.
    if (ctx.isValid) schedule();
  });
  ctx.onInvalidated(() => {
    observer.disconnect();
    host?.remove();
  });
  schedule(0);

  // Tag shortcuts: Alt+1… (real key presses only; the page may see the keys, they carry no secret),
  // in the page and in its call frames (keys go to the frame that has focus).
  function onTagKey(e: KeyboardEvent) {
    if (!e.isTrusted || !e.altKey || e.ctrlKey || e.metaKey || !call || lifecycle.phase !== 'inCall') return;
    const digit = /^Digit([1-9])$/.exec(e.code)?.[1];
    const tag = digit ? call.tags[Number(digit) - 1] : undefined;
    if (!tag) return;
    e.preventDefault();
    const callId = call.callId;
    void send({ type: 'tag/add', eventId: crypto.randomUUID(), at: Date.now(), callId, tag }).then((reply) => {
      if (reply.ok) relay({ kind: 'tagged', tag, offsetMs: reply.data.offsetMs });
    });
  }
  function listenForTagKeys(target: Window | null) {
    if (target) ctx.addEventListener(target, 'keydown', onTagKey, { capture: true });
  }
  listenForTagKeys(window);

  const watcher: CallWatcher = {
    offerManualStart() {
      if (lifecycle.phase === 'inCall' && call) return;
      showPrompt();
      relay({ kind: 'nudge-start' });
    },
    startManually() {
      if (lifecycle.phase === 'inCall' && call) {
        relay({ kind: 'expand' });
        return;
      }
      lifecycle = manualLifecycle;
      void report('inCall', ['manual'], true);
    },
    callState(callId, outcome) {
      if (call?.callId !== callId || call.outcome === outcome) return;
      call = { ...call, outcome };
    },
    resizePrompt(width, height, choices) {
      // Nothing left to show (the nudge was dismissed): the box goes, so it never blocks the call page.
      if (width === 0 || height === 0) {
        host?.hide();
        return;
      }
      const hadChoices = host?.choices();
      promptSize = { width, height };
      host?.resize(width, height, choices);
      if (host && host.choices() !== hadChoices) watchHost();
      else guardHost();
    },
  };
  return watcher;
}
