import { forbidsRecording } from '../../lib/call/outcomes';
import { categoryLabels, reasonChoiceLabels } from '../../lib/call/labels';
import type { CallView, NotRecordingReason, Outcome } from '../../lib/messages/schema';
import type { CallCategory } from '../../lib/policy/schema';
import { formatOffset } from '../../lib/util/time';
import { promptCss } from './styles';

/**
 * The in-page consent prompt. Plain DOM (no framework) so the content script stays small and
 * fast; a closed shadow root so page scripts cannot reach it and page CSS cannot restyle it.
 * Text is only ever set with textContent: policy strings render as text, never as HTML.
 * Only trusted (real user) events count: a page script's synthetic click() changes nothing.
 */
export type PromptPosition = 'top-right' | 'bottom-right';

export interface PromptHandlers {
  /** Stores the decision; resolves with the updated call, or an error message to show. */
  decide(outcome: Outcome, reason?: NotRecordingReason, category?: CallCategory): Promise<CallView | string>;
  /** Called once when the ask is first shown for a call. */
  shown(): void;
  /** Logs the answer of people who joined after consent was given. */
  lateJoiner(answer: 'agreed' | 'declined' | 'dismissed', joined: number): Promise<CallView | string>;
  /** Tags this moment of the call; resolves with the offset from admission, or an error message. */
  tag(tag: string): Promise<{ offsetMs: number } | string>;
}

export interface ConsentPrompt {
  /** Shows the prompt for this call: expanded while consent is pending, collapsed once decided. */
  render(view: CallView): void;
  expand(): void;
  /** People joined after consent was given: ask the rep to confirm consent with them. */
  nudgeLateJoiner(joined: number): void;
  /** Tags the moment with the policy's n-th tag (keyboard shortcut Alt+1…). */
  tagByIndex(index: number): void;
  remove(): void;
}

export const outcomeButtons = {
  agreed: 'Customer agreed',
  declined: 'Customer declined',
  notRecorded: 'Not recording this call',
} as const;


const decisionLabel: Record<Outcome, string> = {
  agreed: 'Consent: customer agreed',
  declined: 'Declined: notes only',
  'not-recorded': 'Not recorded',
  withdrawn: 'Consent withdrawn: notes only',
};

type Mode = 'ask' | 'reason' | 'declined' | 'agreed' | 'summary' | 'collapsed' | 'late-joiner' | 'violation' | 'stopped';

/** Bots by name; the platform's own indicators (signal ids) as one phrase. */
export function describeSources(sources: readonly string[], platformLabel: string): string {
  const bots = sources.filter((s) => !/^(meet|zoom|teams)-/.test(s));
  const platform = sources.length > bots.length ? [`${platformLabel} recording or transcription`] : [];
  return [...platform, ...bots].join(', ') || 'a recording';
}

type Child = Node | string | null | false | undefined;
type Props = Record<string, string | undefined>;
function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children) if (c) el.append(c);
  return el;
}

function button(label: string, onTrustedClick: () => void, props: Props = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', ...props }, label);
  b.addEventListener('click', (e) => {
    if (e.isTrusted) onTrustedClick();
  });
  return b;
}

export function mountConsentPrompt(opts: { position: PromptPosition; platformLabel: string; handlers: PromptHandlers; parent?: HTMLElement }): ConsentPrompt {
  const host = document.createElement('candor-consent');
  host.setAttribute('data-position', opts.position);
  const shadow = host.attachShadow({ mode: 'closed' });
  const style = h('style');
  style.textContent = promptCss;
  const root = h('div', { class: 'root' });
  const live = h('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  shadow.append(style, root, live);
  (opts.parent ?? document.documentElement).append(host);

  let view: CallView | null = null;
  let mode: Mode = 'collapsed';
  let saving = false;
  let error: string | null = null;
  let joined = 0;
  let tagStatus = '';
  /** The call category the rep picked; starts from the policy's preselection. */
  let category: CallCategory = 'external-prospect';

  async function decide(outcome: Outcome, reason: NotRecordingReason | undefined, then: Mode) {
    if (saving) return;
    saving = true;
    error = null;
    mode = then;
    draw();
    const result = await opts.handlers.decide(outcome, reason, category);
    saving = false;
    if (typeof result === 'string') {
      error = result;
      if (then !== 'declined') mode = outcome === 'withdrawn' ? 'summary' : 'ask';
    } else {
      view = result;
      announce(decisionLabel[outcome]);
    }
    draw();
  }

  async function answerLateJoiner(answer: 'agreed' | 'declined' | 'dismissed') {
    if (saving) return;
    saving = true;
    const result = await opts.handlers.lateJoiner(answer, joined);
    saving = false;
    if (typeof result === 'string') error = result;
    else {
      view = result;
      error = null;
      mode = answer === 'declined' ? 'declined' : 'collapsed';
    }
    draw();
  }

  async function addTag(tag: string) {
    const result = await opts.handlers.tag(tag);
    tagStatus = typeof result === 'string' ? `Not tagged: ${result}` : `Tagged “${tag}” at ${formatOffset(result.offsetMs)}. Add details in the Candor popup.`;
    announce(tagStatus);
    draw();
  }

  function announce(text: string) {
    live.textContent = `Candor: ${text}`;
  }

  function header(title: string) {
    return h('div', { class: 'head' },
      h('h2', { id: 'candor-title' }, title),
      button('Collapse', () => { mode = 'collapsed'; draw(); }, { class: 'icon', 'aria-expanded': 'true', 'aria-label': 'Collapse consent check' }),
    );
  }

  function categoryPicker(v: CallView) {
    const select = h('select', { id: 'candor-category', 'aria-label': 'Call type' },
      ...Object.entries(categoryLabels).map(([id, label]) => {
        const option = h('option', { value: id }, label);
        option.selected = id === category;
        return option;
      }));
    select.disabled = saving || v.outcome !== null;
    select.addEventListener('change', (e) => {
      if (!e.isTrusted) return;
      category = select.value as CallCategory;
      error = null;
      draw();
      root.querySelector<HTMLElement>('#candor-category')?.focus();
    });
    return h('label', { class: 'category', for: 'candor-category' }, h('span', {}, 'Call type'), select);
  }

  function errorLine() {
    return error ? h('p', { class: 'error', role: 'alert' }, `Not saved: ${error}`) : null;
  }

  function panel(...children: Child[]) {
    return h('section', { class: 'panel', role: 'region', 'aria-labelledby': 'candor-title' }, ...children);
  }

  function content(v: CallView): HTMLElement {
    const t = v.texts;
    switch (mode) {
      case 'collapsed':
        return h('div', { class: 'collapsed' },
          button(v.outcome ? decisionLabel[v.outcome] : 'Consent check: pending', () => { mode = v.outcome ? 'summary' : 'ask'; draw(); }, {
            class: 'pill', 'aria-expanded': 'false', 'aria-label': `Candor: ${v.outcome ? decisionLabel[v.outcome] : 'consent check pending'}. Open`,
          }),
          v.tags.length > 0 && h('div', { class: 'tagbar', role: 'toolbar', 'aria-label': 'Tag this moment (Alt+1…)' },
            ...v.tags.map((tag, i) => button(tag, () => void addTag(tag), { class: 'chip', 'aria-label': `Tag ${tag}`, title: i < 9 ? `Alt+${i + 1}` : undefined }))),
          tagStatus && h('p', { class: 'tagstatus' }, tagStatus),
        );
      case 'ask': {
        const disabled = saving ? { disabled: '' } : {};
        const rule = v.recordingStandards[category];
        if (rule === 'never-record') {
          return panel(
            header('Not recorded by rule'),
            categoryPicker(v),
            h('p', { class: 'status' }, `${categoryLabels[category]} calls are never recorded under your organisation's policy, so there is no consent to ask. The call continues in notes-only mode.`),
            h('div', { class: 'actions' }, button('Confirm: not recording', () => void decide('not-recorded', 'never-record-rule', 'summary'), { class: 'primary', ...disabled })),
            errorLine(),
          );
        }
        const notice = rule === 'record-with-notice';
        return panel(
          header(notice ? 'Give notice of recording' : 'Ask for recording consent'),
          categoryPicker(v),
          v.recording.active && h('p', { class: 'error', role: 'alert' },
            `Recording has already started (${describeSources(v.recording.sources, opts.platformLabel)}). Ask for consent now.`),
          h('p', { class: 'purpose' }, t.purposeStatement),
          h('p', { class: 'label', id: 'candor-script-label' }, notice ? 'Read this notice aloud' : 'Read aloud'),
          h('blockquote', { lang: t.language, 'aria-labelledby': 'candor-script-label' }, t.consentScript),
          h('div', { class: 'actions', role: 'group', 'aria-label': 'Outcome' },
            button(notice ? 'Notice given' : outcomeButtons.agreed, () => void decide('agreed', undefined, 'agreed'), { class: 'primary', ...disabled }),
            button(outcomeButtons.declined, () => void decide('declined', undefined, 'declined'), disabled),
            button(outcomeButtons.notRecorded, () => { mode = 'reason'; error = null; draw(); }, disabled),
          ),
          errorLine(),
        );
      }
      case 'reason':
        return panel(
          header('Not recording this call'),
          h('p', { class: 'status', id: 'candor-reason-q' }, 'Why is this call not recorded?'),
          h('div', { class: 'actions', role: 'group', 'aria-labelledby': 'candor-reason-q' },
            ...Object.entries(reasonChoiceLabels).map(([reason, label]) =>
              button(label, () => void decide('not-recorded', reason as NotRecordingReason, 'summary'), saving ? { disabled: '' } : {})),
            button('Back', () => { mode = 'ask'; draw(); }),
          ),
          errorLine(),
        );
      case 'declined':
        return panel(
          header('Customer declined'),
          h('p', { class: 'decline', lang: t.language }, t.declineLine),
          h('p', { class: 'status' }, 'This call continues in notes-only mode: nothing is recorded. You can still take notes and tag moments in Candor.'),
          saving ? h('p', { class: 'status' }, 'Saving…') : !error && h('p', { class: 'done' }, 'Saved.'),
          errorLine(),
          error ? button('Try again', () => void decide('declined', undefined, 'declined')) : null,
          button('Done', () => { mode = 'collapsed'; draw(); }, { class: 'primary' }),
        );
      case 'agreed':
        return panel(
          header('Customer agreed'),
          h('p', { class: saving ? 'status' : 'done' }, saving ? 'Saving…' : 'Consent recorded. Thank you.'),
          errorLine(),
          button('Done', () => { mode = 'collapsed'; draw(); }, { class: 'primary' }),
        );
      case 'late-joiner':
        return panel(
          header('Someone joined the call'),
          h('p', { class: 'status' }, `${joined === 1 ? 'A new participant has' : `${joined} new participants have`} joined since consent was given. Please check they are okay with the recording.`),
          h('div', { class: 'actions', role: 'group', 'aria-label': 'Newcomer’s answer' },
            button(joined === 1 ? 'They agreed' : 'They all agreed', () => void answerLateJoiner('agreed'), { class: 'primary' }),
            button(joined === 1 ? 'They declined' : 'Someone declined', () => void answerLateJoiner('declined')),
            button('Not now', () => void answerLateJoiner('dismissed')),
          ),
          errorLine(),
        );
      case 'violation':
        // Cannot be collapsed while it holds: recording against a decline must be stopped.
        return h('section', { class: 'panel', role: 'alert', 'aria-labelledby': 'candor-title' },
          h('div', { class: 'head' }, h('h2', { id: 'candor-title' }, 'Stop the recording')),
          h('p', { class: 'error' }, `${describeSources(v.recording.sources, opts.platformLabel)} is running, but ${v.outcome === 'not-recorded' ? 'this call is not to be recorded' : 'the customer declined'}. Stop the platform recording or remove the notetaker now.`),
          h('p', { class: 'status' }, 'This warning clears by itself once the recording has stopped.'),
        );
      case 'stopped':
        return panel(
          header('Recording stopped'),
          h('p', { class: 'done' }, 'Thank you. The call continues in notes-only mode.'),
          button('Done', () => { mode = 'collapsed'; draw(); }, { class: 'primary' }),
        );
      case 'summary':
        return panel(
          header('Consent check'),
          h('p', { class: 'status' }, v.outcome ? decisionLabel[v.outcome] : 'Consent check: pending'),
          v.outcome === 'agreed' ? button('Customer withdrew consent', () => void decide('withdrawn', undefined, 'summary')) : null,
          errorLine(),
        );
    }
  }

  function draw() {
    if (!view) return;
    // The recording rules override whatever the rep was looking at.
    const violating = view.recording.active && forbidsRecording(view.outcome);
    if (violating && mode !== 'violation') {
      mode = 'violation';
      announce('recording is running although the customer declined. Stop it now.');
    } else if (!violating && mode === 'violation') {
      mode = 'stopped';
      announce('recording stopped.');
    }
    const hadFocus = shadow.activeElement !== null;
    root.replaceChildren(content(view));
    // Keep keyboard users in the flow they are in; never take focus from the call otherwise.
    if (hadFocus) root.querySelector<HTMLElement>('button:not([disabled])')?.focus();
  }

  return {
    render(next) {
      const first = view === null || view.callId !== next.callId;
      view = next;
      if (first) {
        mode = next.outcome ? 'collapsed' : 'ask';
        category = next.category ?? next.defaultCategory ?? 'external-prospect';
        if (!next.outcome) {
          announce('ask for recording consent now');
          if (!next.promptShown) opts.handlers.shown();
        }
      }
      draw();
    },
    nudgeLateJoiner(count) {
      if (!view || view.outcome !== 'agreed') return;
      joined = mode === 'late-joiner' ? joined + count : count;
      mode = 'late-joiner';
      announce('someone joined. Confirm consent with them.');
      draw();
    },
    tagByIndex(index) {
      const tag = view?.tags[index];
      if (tag) void addTag(tag);
    },
    expand() {
      if (!view) return;
      mode = view.outcome ? 'summary' : 'ask';
      draw();
      root.querySelector<HTMLElement>('button:not([disabled])')?.focus();
    },
    remove() {
      host.remove();
    },
  };
}
