import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { PopupApp } from '../../components/popup/PopupApp';
import { usePopupStore } from '../../components/popup/usePopupStore';
import type { SenderInfo, Services } from '../../lib/background/services';

import { routeMessage } from '../../lib/background/router';
import { NOTE_MAX_CHARS } from '../../lib/protocol/requests';
import { meet } from '../../lib/platforms/meet';
import { teams } from '../../lib/platforms/teams';
import { zoom } from '../../lib/platforms/zoom';
import { resolvePolicy } from '../../lib/policy/resolve';
import { readDb } from '../../lib/ui/db';
import type { CallRecord } from '../../lib/model';

const HOUR = 3_600_000;
const BASE = Date.UTC(2025, 4, 6, 9, 0, 0);

function callRecord(id: string, overrides: Partial<CallRecord>): CallRecord {
  return {
    id,
    platform: 'meet',
    meetingHash: 'f'.repeat(64),
    status: 'ended',
    tabIds: [],
    detectedAt: BASE,
    detectedBy: ['meet-participant-tile'],
    updatedAt: BASE,
    ...overrides,
  };
}

// Three admitted calls (stored out of order) and a lobby-only visit that was never admitted.
const calls: CallRecord[] = [
  callRecord('11111111-1111-4111-8111-111111111111', { platform: 'zoom', admittedAt: BASE + 1 * HOUR, outcome: 'declined' }),
  callRecord('33333333-3333-4333-8333-333333333333', { platform: 'meet', admittedAt: BASE + 3 * HOUR, status: 'active', tabIds: [4] }),
  callRecord('22222222-2222-4222-8222-222222222222', { platform: 'teams', admittedAt: BASE + 2 * HOUR, outcome: 'agreed' }),
  callRecord('44444444-4444-4444-8444-444444444444', { platform: 'meet', status: 'ended', lobbyAt: BASE + 4 * HOUR }),
];
const labelOf = { meet: meet.label, zoom: zoom.label, teams: teams.label };

/** What the background does with the popup's messages: the real router over the same database. */
const popupSender: SenderInfo = { url: 'chrome-extension://test-extension-id/popup.html', extensionPage: true };
const services: Services = {
  db: readDb,
  now: () => Date.now(),
  policy: async () => resolvePolicy(undefined, undefined),
  uiLanguage: () => 'en-US',
};
let received: unknown[];

beforeEach(async () => {
  await Promise.all(readDb.tables.map((table) => table.clear()));
  await readDb.calls.bulkAdd(calls);
  usePopupStore.setState({ selectedCallId: null });
  received = [];
  // setup.ts resets fakeBrowser before each test, so the "background" is registered afresh.
  fakeBrowser.runtime.onMessage.addListener((raw: unknown, _sender: unknown, sendResponse: (reply: unknown) => void) => {
    received.push(raw);
    void routeMessage(services, raw, popupSender).then(sendResponse);
    return true;
  });
});

afterEach(() => {
  cleanup();
});

/** The note editor's own status line (the editor and its status share a container). */
const noteStatus = (editor: HTMLElement) => within(editor.parentElement!).getByRole('status');

async function rows() {
  const list = await screen.findByRole('list');
  return within(list).getAllByRole('button');
}

describe('call list', () => {
  it('shows admitted calls newest first, with platform label and outcome', async () => {
    render(<PopupApp />);
    const shown = await rows();
    const admitted = calls.filter((c) => c.admittedAt !== undefined).sort((a, b) => b.admittedAt! - a.admittedAt!);
    expect(shown).toHaveLength(admitted.length);
    shown.forEach((row, i) => expect(row.textContent).toContain(labelOf[admitted[i]!.platform]));

    const [first, second, third] = shown;
    expect(first?.textContent).toContain('Google Meet');
    expect(first?.textContent).toContain('No decision');
    expect(first?.textContent).toContain('In call');
    expect(second?.textContent).toContain('Microsoft Teams');
    expect(second?.textContent).toContain('Agreed');
    expect(second?.textContent).not.toContain('In call');
    expect(third?.textContent).toContain('Zoom');
    expect(third?.textContent).toContain('Declined · notes only');
  });

  it('says so when there are no calls yet', async () => {
    await readDb.calls.clear();
    render(<PopupApp />);
    expect(await screen.findByText(/No calls yet/)).toBeTruthy();
  });

  it('updates live when a call is stored while the popup is open', async () => {
    render(<PopupApp />);
    expect(await rows()).toHaveLength(3);
    await readDb.calls.add(callRecord('55555555-5555-4555-8555-555555555555', { platform: 'zoom', admittedAt: BASE + 9 * HOUR, outcome: 'not-recorded' }));
    await waitFor(async () => expect(await rows()).toHaveLength(4));
    expect((await rows())[0]?.textContent).toContain('Not recorded');
  });
});

describe('call detail and notes', () => {
  const teamsCall = calls[2]!;

  async function openTeamsCall() {
    render(<PopupApp />);
    const row = (await rows()).find((r) => r.textContent?.includes('Microsoft Teams'));
    expect(row).toBeDefined();
    await userEvent.setup().click(row!);
    return screen.findByRole('textbox', { name: 'Your notes' });
  }

  it('clicking a row shows that call with the note editor', async () => {
    const editor = await openTeamsCall();
    expect(editor).toBeTruthy();
    const detail = screen.getByRole('region', { name: /Microsoft Teams/ });
    expect(within(detail).getByText('Agreed')).toBeTruthy();
    expect((editor as HTMLTextAreaElement).value).toBe('');

    await userEvent.setup().click(screen.getByRole('button', { name: /All calls/ }));
    expect(await rows()).toHaveLength(3);
  });

  it('typing saves the note through the background; it is stored and "Saved" appears', async () => {
    const editor = await openTeamsCall();
    await userEvent.setup().type(editor, 'Budget owner is Dana.');
    await waitFor(() => expect(noteStatus(editor).textContent).toBe('Saved'), { timeout: 3_000 });

    const note = await readDb.notes.get(teamsCall.id);
    expect(note).toMatchObject({ callId: teamsCall.id, text: 'Budget owner is Dana.', author: 'rep' });
    // It went over the runtime as a note/save request, not as a direct write.
    expect(received).toContainEqual({ type: 'note/save', callId: teamsCall.id, text: 'Budget owner is Dana.' });
  });

  it('shows an existing note and its saved state', async () => {
    await readDb.notes.put({ callId: teamsCall.id, text: 'Earlier note', author: 'rep', createdAt: BASE, updatedAt: BASE });
    const editor = await openTeamsCall();
    await waitFor(() => expect((editor as HTMLTextAreaElement).value).toBe('Earlier note'));
    expect(noteStatus(editor).textContent).toBe('Saved');
  });

  it('a note over the limit is refused by the background and the reason is shown', async () => {
    const editor = await openTeamsCall();
    fireEvent.change(editor, { target: { value: 'x'.repeat(NOTE_MAX_CHARS + 1) } });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(noteStatus(editor).textContent).toContain('Notes are limited to 20,000 characters'));
    expect(editor.getAttribute('aria-invalid')).toBe('true');
    expect(await readDb.notes.get(teamsCall.id)).toBeUndefined();
  });
});
