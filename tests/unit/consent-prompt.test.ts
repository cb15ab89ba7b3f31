import { within } from '@testing-library/dom';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reasonChoiceKeys } from '../../lib/i18n/labels';
import { t } from '../../lib/i18n/content';
import { createConsentPrompt, outcomeButtons, type ConsentPrompt, type PromptHandlers } from '../../components/consent-prompt';
import type { CallView } from '../../lib/protocol/replies';
import { defaultPolicy } from '../../lib/policy/defaults';
import type { NotRecordingReason, Outcome } from '../../lib/model';

/*
 * About trusted events (investigated with happy-dom 21 + @testing-library/user-event 14):
 * happy-dom does not implement Event.isTrusted at all — it is `undefined` on every event, whether
 * from el.click(), fireEvent or user-event. The prompt only acts when `e.isTrusted` is truthy, so
 * none of those decide anything (which is also what happens in a real browser, where script-made
 * events have isTrusted === false). To stand in for a real user click, `userClick` dispatches a
 * MouseEvent whose own `isTrusted` property is defined as true; the listener sees that value.
 */
function userClick(el: Element) {
  const event = new MouseEvent('click', { bubbles: true, cancelable: true, composed: true });
  Object.defineProperty(event, 'isTrusted', { value: true });
  el.dispatchEvent(event);
}

const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function callView(overrides: Partial<CallView> = {}): CallView {
  return {
    callId: 'call-1',
    platformLabel: 'Google Meet',
    admitted: true,
    outcome: null,
    reason: null,
    decidedAt: null,
    promptShown: false,
    texts: {
      language: 'en',
      purposeStatement: defaultPolicy.purposeStatement,
      consentScript: defaultPolicy.consentScript.en!,
      declineLine: defaultPolicy.declineLine.en!,
    },
    recording: { active: false, since: null, sources: [] },
    suspectedBots: [],
    notetakerNames: [],
    tags: [],
    recordingStandards: defaultPolicy.recordingStandards,
    defaultCategory: null,
    category: null,
    ...overrides,
  };
}

/** A deferred promise: lets a test hold decide() "in flight". */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

let rootEl: HTMLElement;
let prompt: ConsentPrompt;
/** The input guard's verdict, set by each test (input-guard.test.ts tests the guard itself). */
let arm = { armed: true, obstructed: false };
type MockHandlers = { [K in keyof PromptHandlers]: ReturnType<typeof vi.fn<PromptHandlers[K]>> };
let handlers: MockHandlers;

/** The stored call after a decision, as the background would answer. */
const decidedView = (outcome: Outcome, reason: NotRecordingReason | null = null) =>
  callView({ outcome, reason, decidedAt: 1_700_000_000_000, promptShown: true });

/** The prompt drawn into a root, as the prompt frame (components/consent-prompt/frame.ts) does. */
function mount() {
  rootEl = document.createElement('div');
  const live = document.createElement('div');
  document.body.append(rootEl, live);
  prompt = createConsentPrompt(rootEl, live, { handlers, arm: { armed: () => arm.armed, obstructed: () => arm.obstructed } });
}

const ui = () => within(rootEl);

beforeEach(() => {
  document.body.innerHTML = '';
  handlers = {
    decide: vi.fn<PromptHandlers['decide']>(async (outcome, reason) => decidedView(outcome, reason ?? null)),
    shown: vi.fn<PromptHandlers['shown']>(),
    lateJoiner: vi.fn<PromptHandlers['lateJoiner']>(async () => decidedView('agreed')),
    tag: vi.fn<PromptHandlers['tag']>(async () => ({ offsetMs: 0 })),
    notetaker: vi.fn<PromptHandlers['notetaker']>(async () => decidedView('agreed')),
  };
  mount();
});

afterEach(() => {
  arm = { armed: true, obstructed: false };
});

describe('input protection', () => {
  it('a trusted click before the prompt is armed (just shown, moved, or covered) decides nothing', async () => {
    arm = { armed: false, obstructed: false };
    prompt.render(callView());
    userClick(ui().getByRole('button', { name: outcomeButtons.agreed }));
    await flush();
    expect(handlers.decide).not.toHaveBeenCalled();
    arm.armed = true;
    userClick(ui().getByRole('button', { name: outcomeButtons.agreed }));
    await flush();
    expect(handlers.decide).toHaveBeenCalledTimes(1);
  });

  it('when the page obstructs the prompt, it says so and points to the toolbar button; choices are marked unavailable', () => {
    arm = { armed: false, obstructed: true };
    prompt.render(callView());
    expect(ui().getByRole('alert').textContent).toMatch(/covering or hiding this prompt/);
    expect(ui().getByRole('button', { name: outcomeButtons.declined }).getAttribute('aria-disabled')).toBe('true');
    arm = { armed: true, obstructed: false };
    prompt.refresh();
    expect(ui().queryByText(/covering or hiding this prompt/)).toBeNull();
  });
});

describe('pending consent', () => {
  it('shows the purpose, the consent script and the three outcome buttons', () => {
    prompt.render(callView());
    const region = ui().getByRole('region', { name: 'Ask for recording consent' });
    expect(region.textContent).toContain(defaultPolicy.purposeStatement);
    expect(region.textContent).toContain(defaultPolicy.consentScript.en);
    const group = within(region).getByRole('group', { name: 'Outcome' });
    expect(within(group).getAllByRole('button').map((b) => b.textContent)).toEqual([
      'Customer agreed',
      'Customer declined',
      'Not recording this call',
    ]);
    for (const name of ['Customer agreed', 'Customer declined', 'Not recording this call']) {
      expect(within(group).getByRole('button', { name })).toBeTruthy();
    }
  });

  it('calls shown() once, not on re-render of the same call', () => {
    prompt.render(callView());
    prompt.render(callView());
    prompt.render(callView({ promptShown: true }));
    expect(handlers.shown).toHaveBeenCalledTimes(1);
  });

  it('drawn ahead of confirmation: the ask is visible, outcomes disabled and not counted as shown until confirmed', async () => {
    prompt.render(callView(), { pending: true });
    const agreed = ui().getByRole('button', { name: 'Customer agreed' }) as HTMLButtonElement;
    expect(ui().getByRole('region', { name: 'Ask for recording consent' }).textContent).toContain(defaultPolicy.consentScript.en);
    expect(agreed.disabled).toBe(true);
    await userEvent.click(agreed);
    expect(handlers.decide).not.toHaveBeenCalled();
    expect(handlers.shown).not.toHaveBeenCalled();

    prompt.render(callView()); // the background's reply: same call, same texts
    expect((ui().getByRole('button', { name: 'Customer agreed' }) as HTMLButtonElement).disabled).toBe(false);
    expect(handlers.shown).toHaveBeenCalledTimes(1);
  });

  it('does not call shown() when the background says the prompt was already shown', () => {
    prompt.render(callView({ promptShown: true }));
    expect(handlers.shown).not.toHaveBeenCalled();
    expect(ui().getByRole('button', { name: 'Customer agreed' })).toBeTruthy();
  });

  it('renders policy text as text, never as HTML', () => {
    const evil = '<img src=x onerror=alert(1)>';
    prompt.render(callView({ texts: { language: 'en', purposeStatement: evil, consentScript: `${evil} ok?`, declineLine: evil } }));
    expect(document.querySelector('img')).toBeNull();
    expect(ui().getByText(evil)).toBeTruthy();
    userClick(ui().getByRole('button', { name: 'Customer declined' }));
    expect(document.querySelector('img')).toBeNull();
  });

  it('marks the consent script with its language', () => {
    prompt.render(callView({ texts: { ...callView().texts, language: 'de', consentScript: defaultPolicy.consentScript.de! } }));
    expect(rootEl.querySelector('blockquote')?.getAttribute('lang')).toBe('de');
  });
});

describe('untrusted clicks', () => {
  it('el.click(), fireEvent-style and user-event clicks decide nothing (happy-dom leaves isTrusted unset)', async () => {
    prompt.render(callView());
    const agreed = ui().getByRole('button', { name: 'Customer agreed' });
    agreed.click();
    agreed.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await userEvent.setup().click(agreed);
    await flush();
    expect(handlers.decide).not.toHaveBeenCalled();
    expect(ui().getByRole('region', { name: 'Ask for recording consent' })).toBeTruthy();
  });
});

describe('deciding', () => {
  it('agreed: saves, then confirms', async () => {
    prompt.render(callView());
    const pending = deferred<CallView | string>();
    handlers.decide.mockReturnValueOnce(pending.promise);
    userClick(ui().getByRole('button', { name: 'Customer agreed' }));
    expect(handlers.decide).toHaveBeenCalledWith('agreed', undefined, 'external-prospect');
    expect(ui().getByRole('region', { name: 'Customer agreed' }).textContent).toContain('Saving…');
    pending.resolve(decidedView('agreed'));
    await flush();
    expect(ui().getByText('Consent recorded. Thank you.')).toBeTruthy();
  });

  it('declined: shows the decline line and the notes-only message', async () => {
    prompt.render(callView());
    userClick(ui().getByRole('button', { name: 'Customer declined' }));
    expect(handlers.decide).toHaveBeenCalledWith('declined', undefined, 'external-prospect');
    await flush();
    const region = ui().getByRole('region', { name: 'Customer declined' });
    expect(region.textContent).toContain(defaultPolicy.declineLine.en);
    expect(region.textContent).toMatch(/notes-only mode: nothing is recorded/);
    expect(within(region).getByText('Saved.')).toBeTruthy();
  });

  it('not recording: offers the reasons and decides with the chosen one', async () => {
    prompt.render(callView());
    userClick(ui().getByRole('button', { name: 'Not recording this call' }));
    expect(handlers.decide).not.toHaveBeenCalled();
    const group = ui().getByRole('group', { name: 'Why is this call not recorded?' });
    const labels = within(group).getAllByRole('button').map((b) => b.textContent);
    expect(labels).toEqual([...Object.values(reasonChoiceKeys).map((key) => t(key)), 'Back']);

    userClick(within(group).getByRole('button', { name: t(reasonChoiceKeys['sensitive-topic']) }));
    expect(handlers.decide).toHaveBeenCalledWith('not-recorded', 'sensitive-topic', 'external-prospect');
    await flush();
    expect(ui().getByRole('region', { name: 'Consent check' }).textContent).toContain('Not recorded');
  });

  it('not recording: Back returns to the outcome buttons without deciding', () => {
    prompt.render(callView());
    userClick(ui().getByRole('button', { name: 'Not recording this call' }));
    userClick(ui().getByRole('button', { name: 'Back' }));
    expect(ui().getByRole('button', { name: 'Customer agreed' })).toBeTruthy();
    expect(handlers.decide).not.toHaveBeenCalled();
  });

  it('ignores a second click while the first decision is saving', async () => {
    prompt.render(callView());
    const pending = deferred<CallView | string>();
    handlers.decide.mockReturnValueOnce(pending.promise);
    userClick(ui().getByRole('button', { name: 'Customer declined' }));
    userClick(ui().getByRole('button', { name: 'Done' })); // collapses; the save still runs
    userClick(ui().getByRole('button', { name: /consent check pending/ }));
    userClick(ui().getByRole('button', { name: 'Customer agreed' }));
    expect(handlers.decide).toHaveBeenCalledTimes(1);
    pending.resolve(decidedView('declined'));
    await flush();
  });

  it('shows an error from decide() as an alert, and the buttons work again', async () => {
    prompt.render(callView());
    handlers.decide.mockResolvedValueOnce('Candor could not save this (QuotaExceededError).');
    userClick(ui().getByRole('button', { name: 'Customer agreed' }));
    await flush();
    expect(ui().getByRole('alert').textContent).toContain('Candor could not save this (QuotaExceededError).');
    const agreed = ui().getByRole('button', { name: 'Customer agreed' });
    expect(agreed.hasAttribute('disabled')).toBe(false);

    userClick(agreed);
    expect(handlers.decide).toHaveBeenCalledTimes(2);
    await flush();
    expect(ui().queryByRole('alert')).toBeNull();
    expect(ui().getByText('Consent recorded. Thank you.')).toBeTruthy();
  });

  it('a decline that fails to save can be tried again from the decline panel', async () => {
    prompt.render(callView());
    handlers.decide.mockResolvedValueOnce('Storage is full.');
    userClick(ui().getByRole('button', { name: 'Customer declined' }));
    await flush();
    expect(ui().getByRole('alert').textContent).toContain('Storage is full.');
    userClick(ui().getByRole('button', { name: 'Try again' }));
    await flush();
    expect(handlers.decide).toHaveBeenLastCalledWith('declined', undefined, 'external-prospect');
    expect(ui().queryByRole('alert')).toBeNull();
    expect(ui().getByText('Saved.')).toBeTruthy();
  });
});

describe('decided calls', () => {
  it('start collapsed, showing the outcome, and never call shown()', () => {
    prompt.render(decidedView('declined'));
    expect(ui().queryByRole('region')).toBeNull();
    const pill = ui().getByRole('button', { name: /Declined: notes only/ });
    expect(pill.getAttribute('aria-expanded')).toBe('false');
    expect(handlers.shown).not.toHaveBeenCalled();
  });

  it('open to a summary; consent can be withdrawn after agreement', async () => {
    prompt.render(decidedView('agreed'));
    userClick(ui().getByRole('button', { name: /Consent: customer agreed/ }));
    expect(ui().getByRole('region', { name: 'Consent check' })).toBeTruthy();
    userClick(ui().getByRole('button', { name: 'Customer withdrew consent' }));
    expect(handlers.decide).toHaveBeenCalledWith('withdrawn', undefined, 'external-prospect');
    await flush();
    expect(ui().getByRole('region', { name: 'Consent check' }).textContent).toContain('Consent withdrawn: notes only');
  });
});

describe('accessibility', () => {
  it('the open prompt is a region with an accessible name; collapsing and expanding works', () => {
    prompt.render(callView());
    const region = ui().getByRole('region');
    expect(region.getAttribute('aria-labelledby')).toBe('candor-title');
    expect(ui().getByRole('region', { name: 'Ask for recording consent' })).toBe(region);

    userClick(ui().getByRole('button', { name: 'Collapse consent check' }));
    expect(ui().queryByRole('region')).toBeNull();
    prompt.expand();
    expect(ui().getByRole('region', { name: 'Ask for recording consent' })).toBeTruthy();
  });

  it('announces the ask in a polite live region', () => {
    prompt.render(callView());
    const status = rootEl.nextElementSibling;
    expect(status?.textContent).toMatch(/ask for recording consent now/);
  });
});
