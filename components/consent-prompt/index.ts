import { decisionOffers, forbidsRecording, type DecisionOffer } from '../../lib/call/outcomes';
import { categoryKeys, reasonChoiceKeys } from '../../lib/i18n/labels';
import { t, uiLanguage } from '../../lib/i18n/content';
import { MAX_NAMED_JOINERS } from '../../lib/protocol/limits';
import type { CallView } from '../../lib/protocol/replies';

import { formatOffset } from '../../lib/util/time';
import type { NotRecordingReason, Outcome, CallCategory } from '../../lib/model';
import { h, type Child, type Props } from './dom';
import { decisionLabel, describeSources, lateJoinerText, offerKeys, outcomeButtons } from './labels';

import type { ArmState, ConsentPrompt, PromptHandlers } from './types';

export { describeSources, outcomeButtons } from './labels';
export type { ArmState, ConsentPrompt, PromptHandlers } from './types';

/**
 * The consent prompt's content. It runs in Candor's own frame (entrypoints/prompt), an extension
 * page the content script embeds in the call page: the page can neither read it (another origin:
 * no DOM access, no find/selection) nor script it. Plain DOM, no framework: the frame loads fast.
 * Text is only ever set with textContent: policy strings render as text, never as HTML.
 * The prompt's own words come from the browser's i18n messages (the browser's UI language); the
 * purpose, consent script and decline line come from the policy, in the policy's language.
 * A choice counts only from a trusted click while the prompt is armed (input-guard.ts): visible and
 * unobstructed for a moment, so a page cannot slip it under the rep's cursor or cover its labels.
 */

type Mode = 'ask' | 'reason' | 'declined' | 'agreed' | 'summary' | 'collapsed' | 'late-joiner' | 'violation' | 'stopped';

/**
 * The prompt's content, drawn into `root` (with `live` as its screen-reader status line). `arm`
 * decides whether a choice counts now; unarmed clicks on choices are ignored.
 * One closure of ~400 lines on purpose: every mode's view reads and sets the same few variables
 * (mode, view, saving, error), so splitting the modes apart would pass that state around instead.
 */
export function createConsentPrompt(
  root: HTMLElement,
  live: HTMLElement,
  opts: { handlers: PromptHandlers; arm: ArmState; onDraw?: (choicesShown: boolean) => void },
): ConsentPrompt {
  root.setAttribute('lang', uiLanguage());
  live.setAttribute('lang', uiLanguage());

  /** A control: a trusted click runs it. */
  function button(label: string, onTrustedClick: () => void, props: Props = {}): HTMLButtonElement {
    const b = h('button', { type: 'button', ...props }, label);
    b.addEventListener('click', (e) => {
      if (e.isTrusted) onTrustedClick();
    });
    return b;
  }
  /** A choice that is recorded: a trusted click counts only while the prompt is armed. */
  function choice(label: string, onArmedClick: () => void, props: Props = {}): HTMLButtonElement {
    const b = h('button', { type: 'button', 'data-choice': '', ...props, ...(opts.arm.obstructed() ? { 'aria-disabled': 'true' } : {}) }, label);
    b.addEventListener('click', (e) => {
      if (e.isTrusted && opts.arm.armed()) onArmedClick();
    });
    return b;
  }

  let view: CallView | null = null;
  let mode: Mode = 'collapsed';
  let saving = false;
  /** The background confirmed this call is admitted: outcomes may be chosen. */
  let confirmed = false;
  const busy = () => saving || !confirmed;
  let error: string | null = null;
  let joined = 0;
  /** Names of the newcomers the page showed (a few; page text, drawn as text only). */
  let joinedNames: string[] = [];
  /**
   * The rep went back to the question after a decision ("Ask now", a wrong call type): the next
   * choice is a change that supersedes the decision in force, which stays until then.
   */
  let changing = false;
  let tagStatus = '';
  /** The call category the rep picked; starts from the policy's preselection. */
  let category: CallCategory = 'external-prospect';

  async function decide(outcome: Outcome, reason: NotRecordingReason | undefined, then: Mode) {
    if (busy()) return;
    // Where the choice was made: a refused choice goes back there (a reason back to the question).
    const from: Mode = mode === 'reason' ? 'ask' : mode;
    saving = true;
    error = null;
    mode = then;
    draw();
    const result = await opts.handlers.decide(outcome, reason, category);
    saving = false;
    if (typeof result === 'string') {
      error = result;
      if (then !== 'declined') mode = from;
    } else {
      view = result;
      changing = false;
      announce(decisionLabel(outcome));
    }
    draw();
  }

  /** A change the collapsed prompt offers: the panel where the rep makes it. */
  function openOffer(offer: DecisionOffer) {
    error = null;
    if (offer === 'ask' || offer === 'recategorize') {
      changing = true;
      mode = 'ask';
    } else mode = 'summary';
    draw();
    root.querySelector<HTMLElement>(offer === 'recategorize' ? '#candor-category' : 'button:not([disabled])')?.focus();
  }

  async function answerLateJoiner(answer: 'agreed' | 'declined' | 'dismissed') {
    if (busy()) return;
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

  async function answerBot(name: string, verdict: 'bot' | 'not-bot') {
    if (saving) return;
    saving = true;
    const result = await opts.handlers.notetaker(name, verdict);
    saving = false;
    if (typeof result === 'string') error = result;
    else {
      view = result;
      error = null;
    }
    draw();
  }

  /** A participant named like a notetaker: only a suspicion until the rep answers (or the platform's mark shows). */
  function botCheck(v: CallView) {
    const name = v.suspectedBots[0];
    if (!name) return null;
    return h('div', { class: 'botcheck', role: 'group', 'aria-label': t('prompt_bot_group') },
      h('p', { class: 'status' }, t('prompt_bot_suspected', name)),
      h('div', { class: 'actions' },
        choice(t('prompt_bot_confirm'), () => void answerBot(name, 'bot')),
        choice(t('prompt_bot_not'), () => void answerBot(name, 'not-bot')),
      ),
    );
  }

  async function addTag(tag: string) {
    const result = await opts.handlers.tag(tag);
    tagStatus = typeof result === 'string' ? t('prompt_tag_failed', result) : t('prompt_tagged', tag, formatOffset(result.offsetMs));
    announce(tagStatus);
    draw();
  }

  function announce(text: string) {
    live.textContent = t('prompt_announce', text);
  }

  function header(title: string) {
    return h('div', { class: 'head' },
      h('h1', { id: 'candor-title' }, title),
      button(t('prompt_collapse'), () => { mode = 'collapsed'; draw(); }, { class: 'icon', 'aria-expanded': 'true', 'aria-label': t('prompt_collapse_label') }),
    );
  }

  function categoryPicker(v: CallView) {
    const select = h('select', { id: 'candor-category', 'aria-label': t('prompt_call_type') },
      ...Object.entries(categoryKeys).map(([id, key]) => {
        const option = h('option', { value: id }, t(key));
        option.selected = id === category;
        return option;
      }));
    // Fixed once decided, unless the rep went back to choose it again (a wrong call type).
    select.disabled = busy() || (v.outcome !== null && !changing);
    select.addEventListener('change', (e) => {
      if (!e.isTrusted) return;
      category = select.value as CallCategory;
      error = null;
      draw();
      root.querySelector<HTMLElement>('#candor-category')?.focus();
    });
    return h('label', { class: 'category', for: 'candor-category' }, h('span', {}, t('prompt_call_type')), select);
  }

  /** Back out of a change: the decision in force stays (nothing is written). */
  function keepDecision(v: CallView) {
    return changing && v.outcome ? button(t('prompt_keep_decision', decisionLabel(v.outcome)), () => { changing = false; error = null; mode = 'collapsed'; draw(); }) : null;
  }

  function errorLine() {
    return error ? h('p', { class: 'error', role: 'alert' }, t('prompt_not_saved', error)) : null;
  }

  function panel(...children: Child[]) {
    return h('section', { class: 'panel', role: 'region', 'aria-labelledby': 'candor-title' }, ...children);
  }

  function content(v: CallView): HTMLElement {
    const policyText = v.texts;
    switch (mode) {
      case 'collapsed':
        return h('div', { class: 'collapsed' },
          button(v.outcome ? decisionLabel(v.outcome) : t('prompt_pending'), () => { mode = v.outcome ? 'summary' : 'ask'; draw(); }, {
            class: 'pill', 'aria-expanded': 'false', 'aria-label': t('prompt_pill_label', v.outcome ? decisionLabel(v.outcome) : t('prompt_pending_spoken')),
          }),
          // The change the decision allows, one click away. The row is there (empty) without one:
          // the page can measure this frame, and must not learn the outcome from its size.
          h('div', { class: 'change' }, ...decisionOffers(v).map((offer) => button(t(offerKeys[offer]), () => openOffer(offer), { class: 'chip offer' }))),
          v.tags.length > 0 && h('div', { class: 'tagbar', role: 'toolbar', 'aria-label': t('prompt_tagbar_label') },
            // Tags are the rep's own markers (kept apart from consent, editable in the popup): not gated.
            ...v.tags.map((tag, i) => button(tag, () => void addTag(tag), { class: 'chip', 'aria-label': t('prompt_tag_label', tag), title: i < 9 ? `Alt+${i + 1}` : undefined }))),
          tagStatus && h('p', { class: 'tagstatus' }, tagStatus),
        );
      case 'ask': {
        const disabled = busy() ? { disabled: '' } : {};
        const rule = v.recordingStandards[category];
        if (rule === 'never-record') {
          return panel(
            header(t('prompt_rule_title')),
            categoryPicker(v),
            h('p', { class: 'status' }, t('prompt_rule_text', t(categoryKeys[category]))),
            h('div', { class: 'actions' },
              choice(t('prompt_rule_confirm'), () => void decide('not-recorded', 'never-record-rule', 'summary'), { class: 'primary', ...disabled }),
              keepDecision(v)),
            errorLine(),
          );
        }
        const notice = rule === 'record-with-notice';
        return panel(
          header(notice ? t('prompt_notice_title') : t('prompt_ask_title')),
          categoryPicker(v),
          v.recording.active && h('p', { class: 'error', role: 'alert' },
            t('prompt_recording_started', describeSources(v.recording.sources, v.platformLabel))),
          h('p', { class: 'purpose' }, policyText.purposeStatement),
          h('p', { class: 'label', id: 'candor-script-label' }, notice ? t('prompt_read_notice') : t('prompt_read_aloud')),
          h('blockquote', { lang: policyText.language, 'aria-labelledby': 'candor-script-label' }, policyText.consentScript),
          h('div', { class: 'actions', role: 'group', 'aria-label': t('prompt_outcome_group') },
            choice(notice ? t('prompt_notice_given') : outcomeButtons.agreed, () => void decide('agreed', undefined, 'agreed'), { class: 'primary', ...disabled }),
            choice(outcomeButtons.declined, () => void decide('declined', undefined, 'declined'), disabled),
            choice(outcomeButtons.notRecorded, () => { mode = 'reason'; error = null; draw(); }, disabled),
            keepDecision(v),
          ),
          errorLine(),
        );
      }
      case 'reason':
        return panel(
          header(outcomeButtons.notRecorded),
          h('p', { class: 'status', id: 'candor-reason-q' }, t('prompt_reason_question')),
          h('div', { class: 'actions', role: 'group', 'aria-labelledby': 'candor-reason-q' },
            ...Object.entries(reasonChoiceKeys).map(([reason, key]) =>
              choice(t(key), () => void decide('not-recorded', reason as NotRecordingReason, 'summary'), busy() ? { disabled: '' } : {})),
            button(t('prompt_back'), () => { mode = 'ask'; draw(); }),
          ),
          errorLine(),
        );
      case 'declined':
        return panel(
          header(outcomeButtons.declined),
          h('p', { class: 'decline', lang: policyText.language }, policyText.declineLine),
          h('p', { class: 'status' }, t('prompt_declined_status')),
          saving ? h('p', { class: 'status' }, t('prompt_saving')) : !error && h('p', { class: 'done' }, t('prompt_saved')),
          errorLine(),
          error ? choice(t('prompt_try_again'), () => void decide('declined', undefined, 'declined')) : null,
          button(t('prompt_done'), () => { mode = 'collapsed'; draw(); }, { class: 'primary' }),
        );
      case 'agreed':
        return panel(
          header(outcomeButtons.agreed),
          h('p', { class: saving ? 'status' : 'done' }, saving ? t('prompt_saving') : t('prompt_agreed_done')),
          errorLine(),
          button(t('prompt_done'), () => { mode = 'collapsed'; draw(); }, { class: 'primary' }),
        );
      case 'late-joiner':
        return panel(
          header(t('prompt_late_title')),
          h('p', { class: 'status' }, lateJoinerText(joined, joinedNames)),
          h('div', { class: 'actions', role: 'group', 'aria-label': t('prompt_late_group') },
            choice(joined === 1 ? t('prompt_late_agreed_one') : t('prompt_late_agreed_many'), () => void answerLateJoiner('agreed'), { class: 'primary' }),
            choice(joined === 1 ? t('prompt_late_declined_one') : t('prompt_late_declined_many'), () => void answerLateJoiner('declined')),
            choice(t('prompt_late_not_now'), () => void answerLateJoiner('dismissed')),
          ),
          errorLine(),
        );
      case 'violation':
        // Cannot be collapsed while it holds: recording against a decline must be stopped.
        return h('section', { class: 'panel', role: 'alert', 'aria-labelledby': 'candor-title' },
          h('div', { class: 'head' }, h('h1', { id: 'candor-title' }, t('prompt_violation_title'))),
          h('p', { class: 'error' }, v.outcome === 'not-recorded'
            ? t('prompt_violation_not_recorded', describeSources(v.recording.sources, v.platformLabel))
            : t('prompt_violation_declined', describeSources(v.recording.sources, v.platformLabel))),
          h('p', { class: 'status' }, t('prompt_violation_clears')),
        );
      case 'stopped':
        return panel(
          header(t('prompt_stopped_title')),
          h('p', { class: 'done' }, t('prompt_stopped_text')),
          button(t('prompt_done'), () => { mode = 'collapsed'; draw(); }, { class: 'primary' }),
        );
      case 'summary': {
        const offers = decisionOffers(v);
        return panel(
          header(t('prompt_summary_title')),
          h('p', { class: 'status' }, v.outcome ? decisionLabel(v.outcome) : t('prompt_pending')),
          // The customer changed their mind: the question is read again before the answer counts.
          offers.includes('agree') && h('p', { class: 'label', id: 'candor-script-label' }, t('prompt_read_aloud')),
          offers.includes('agree') && h('blockquote', { lang: policyText.language, 'aria-labelledby': 'candor-script-label' }, policyText.consentScript),
          h('div', { class: 'actions' },
            // As easy as agreeing: one choice, no confirmation, at any time.
            offers.includes('withdraw') && choice(t('prompt_withdraw'), () => void decide('withdrawn', undefined, 'summary')),
            offers.includes('agree') && choice(t('prompt_agreed_after_all'), () => void decide('agreed', undefined, 'agreed'), { class: 'primary', ...(busy() ? { disabled: '' } : {}) }),
            offers.includes('ask') && button(t('prompt_offer_ask'), () => openOffer('ask')),
            offers.includes('recategorize') && button(t('prompt_offer_recategorize'), () => openOffer('recategorize')),
          ),
          errorLine(),
        );
      }
    }
  }

  let startManually: (() => void) | null = null;
  function nudgePanel() {
    return h('section', { class: 'panel', role: 'region', 'aria-labelledby': 'candor-title' },
      h('div', { class: 'head' }, h('h1', { id: 'candor-title' }, t('prompt_nudge_title'))),
      h('p', { class: 'status' }, t('prompt_nudge_text')),
      h('div', { class: 'actions' },
        choice(t('prompt_nudge_start'), () => { const start = startManually; startManually = null; start?.(); }, { class: 'primary' }),
        button(t('prompt_nudge_dismiss'), () => { startManually = null; draw(); }),
      ),
    );
  }

  function draw() {
    if (!view) {
      root.replaceChildren(...(startManually ? [nudgePanel()] : []));
      opts.onDraw?.(root.querySelector('[data-choice]') !== null);
      return;
    }
    // The recording rules override whatever the rep was looking at.
    const violating = view.recording.active && forbidsRecording(view.outcome);
    if (violating && mode !== 'violation') {
      mode = 'violation';
      announce(view.outcome === 'not-recorded' ? t('prompt_announce_violation_not_recorded') : t('prompt_announce_violation_declined'));
    } else if (!violating && mode === 'violation') {
      mode = 'stopped';
      announce(t('prompt_announce_stopped'));
    }
    const focused = root.contains(document.activeElement) ? (document.activeElement as HTMLElement) : null;
    const bots = mode === 'violation' ? null : botCheck(view);
    const notice = opts.arm.obstructed() ? h('p', { class: 'obstructed', role: 'alert' }, t('prompt_obstructed')) : null;
    root.replaceChildren(notice || bots ? h('div', { class: 'stack' }, notice, bots, content(view)) : content(view));
    // Keep keyboard users in the flow they are in (the same control if it is still there, else the
    // first one); never take focus from the call otherwise.
    if (focused) {
      const same = [...root.querySelectorAll<HTMLElement>(focused.tagName)].find((el) => el.id === focused.id && el.textContent === focused.textContent);
      (same ?? root.querySelector<HTMLElement>('button:not([disabled])'))?.focus();
    }
    opts.onDraw?.(root.querySelector('[data-choice]') !== null);
  }

  return {
    render(next, options) {
      const first = view === null || view.callId !== next.callId;
      const confirming = !options?.pending && (first || !confirmed);
      // The same view again (the watcher re-sends on every lifecycle step): keep the DOM as it is,
      // so a click or keypress in progress is not lost to a rebuild.
      if (!first && !confirming && JSON.stringify(next) === JSON.stringify(view)) return;
      view = next;
      if (first) {
        confirmed = false;
        changing = false;
        mode = next.outcome ? 'collapsed' : 'ask';
        category = next.category ?? next.defaultCategory ?? 'external-prospect';
        if (!next.outcome) announce(t('prompt_announce_ask'));
      }
      if (confirming) {
        confirmed = true;
        if (!next.outcome && !next.promptShown) opts.handlers.shown();
      }
      draw();
    },
    nudgeLateJoiner(count, names = []) {
      if (!view || view.outcome !== 'agreed') return;
      const more = mode === 'late-joiner';
      joined = more ? joined + count : count;
      joinedNames = [...new Set([...(more ? joinedNames : []), ...names])].slice(0, MAX_NAMED_JOINERS);
      mode = 'late-joiner';
      announce(t('prompt_announce_late'));
      draw();
    },
    offerManualStart(start) {
      if (view) return;
      startManually = start;
      announce(t('prompt_nudge_title'));
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
    refresh() {
      draw();
    },
    tagged(tag, offsetMs) {
      tagStatus = t('prompt_tagged', tag, formatOffset(offsetMs));
      announce(tagStatus);
      draw();
    },
  };
}
