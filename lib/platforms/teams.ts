import type { PlatformDefinition } from './types';

/**
 * Microsoft Teams on the web (teams.microsoft.com, teams.live.com, teams.cloud.microsoft). Every
 * signal has a row in docs/platforms.md naming its public source; a unit test fails when one is
 * missing.
 *
 * Teams marks its UI with `data-tid` test ids and element ids, which are language-independent and
 * far more stable than its hashed Fluent UI classes. The hang-up button (`#hangup-button`) and the
 * mute/video toggles are shown in the lobby as well, so they are deliberately NOT in-call signals;
 * admission is read from things only the call stage renders (call timer, meeting controls toolbar,
 * "More" button, voice-level outlines on tiles). The retry screen ends a call, but it also shows
 * for a wrong meeting id or passcode: from the lobby it only ends the lobby visit.
 */

/** Generic reference for calls that run inside the Teams app with no meeting id in the URL. */
export const TEAMS_APP_CALL = 'teams-app-call';

/**
 * A meeting thread after a call route: `l/meetup-join/<thread>/<messageId>`,
 * `pre-join-calling/<thread>`, `modern-calling/<thread>`. Chat routes (`l/chat/19:…@thread.v2`,
 * `#/conversations/…`) are intentionally not matched: they carry chat threads, not calls.
 */
const THREAD_AFTER_CALL_ROUTE =
  /(?:meetup-join|pre-join-calling|modern-calling|calling)\/(19:[^/?#&\s@]+@thread\.[a-z0-9]+)(?:\/(\d+))?/i;

/** Short meeting links: /meet/<id>?p=<passcode> (work) and teams.live.com/meet/<id> (personal). */
const MEET_ID_ROUTE = /(?:^|\/)meet\/([A-Za-z0-9]{6,40})(?:[/?#]|$)/;

/** Classic-client hash routes that are a call screen even when they hold no meeting id. */
const CLASSIC_CALL_HASH = /^#\/(?:modern-calling|pre-join-calling|calling)(?:[/?]|$)/i;

const TEAMS_HOSTS = new Set(['teams.microsoft.com', 'teams.live.com', 'teams.cloud.microsoft']);

function fullyDecode(text: string): string {
  let out = text;
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(out);
    } catch {
      break;
    }
    if (next === out) break;
    out = next;
  }
  return out;
}

export const teams: PlatformDefinition = {
  id: 'teams',
  label: 'Microsoft Teams',
  matches: [
    'https://teams.microsoft.com/*',
    'https://teams.live.com/*',
    'https://teams.cloud.microsoft/*',
  ],

  genericReferences: [TEAMS_APP_CALL],

  meetingFromUrl(url: URL): string | null {
    if (!TEAMS_HOSTS.has(url.hostname)) return null;
    const path = url.pathname;

    // The "open in app / continue in browser" launcher is a chooser, not a call page; the
    // browser then navigates to /v2/?meetingjoin=true#/l/meetup-join/… which is matched below.
    if (path.startsWith('/dl/launcher/')) return null;

    // Path and hash only (the v2 app routes in the hash); query strings (?context=, ?p=,
    // ?anon=true, ?deeplinkId=) never change the reference.
    const route = fullyDecode(path + url.hash);

    const thread = THREAD_AFTER_CALL_ROUTE.exec(route);
    const raw = thread?.[1];
    if (raw) {
      // `19:meeting_…@thread.v2` is the meeting. Channel meetings reuse the channel thread and
      // are told apart by the message id after it; `/0` means "no message" and is dropped so
      // `/l/meetup-join/<t>/0` and `#/pre-join-calling/<t>` give the same reference.
      const messageId = thread?.[2];
      const at = raw.indexOf('@');
      const id = raw.slice(0, at) + raw.slice(at).toLowerCase();
      return messageId && messageId !== '0' ? `${id}/${messageId}` : id;
    }

    const meetId = MEET_ID_ROUTE.exec(route)?.[1];
    if (meetId) return meetId;

    // Calls started inside the app: the v2 client keeps the URL at /v2/ (or / on
    // teams.cloud.microsoft) whatever it shows, so the URL cannot tell a call from the calendar.
    // Returning null would stop detection entirely, so the app shell gets a generic reference
    // and the DOM signals decide; the background pairs it with the tab id. Classic-client
    // (/_#/…) routes do change with the view, so only its calling routes count.
    if (path === '/_' || (path === '/' && url.hash.startsWith('#/'))) {
      return CLASSIC_CALL_HASH.test(url.hash) ? TEAMS_APP_CALL : null; // e.g. /_#/calendarv2 → null
    }
    if (path === '/' || path === '/v2' || path.startsWith('/v2/')) return TEAMS_APP_CALL;
    if (path.startsWith('/light-meetings/')) return TEAMS_APP_CALL; // anonymous "light" join app
    return null;
  },

  frames: [],

  signals: {
    lobby: [
      {
        // Pre-join join button. It stays in the DOM (disabled) while waiting in the lobby, which is
        // what lets the lobby win over the hang-up button shown there.
        id: 'teams-prejoin-join-button',
        selector: '#prejoin-join-button, [data-tid="prejoin-join-button"]',
        languageIndependent: true,
      },
      {
        id: 'teams-prejoin-screen',
        selector: '[data-tid="calling-prejoin-screen"], [data-tid="prejoin-display-name-input"], [data-tid="calling-prejoin-render-content-container"]',
        languageIndependent: true,
      },
      {
        id: 'teams-lobby-screen',
        selector: '[data-tid="calling-lobby-screen"], [data-tid="lobby-screen-title"]',
        languageIndependent: true,
        guess: true,
      },
      {
        id: 'teams-lobby-text',
        // No bare div: the textContent of a container div would read the whole page on every check.
        selector: 'h1, h2, h3, [role="heading"], span, p',
        text: /^\s*(?:Someone (?:in the meeting )?(?:will|should) let you in (?:soon|shortly)|We['’]ve let people in the meeting know you['’]re waiting|When the meeting starts, we['’]ll let people (?:in|know you['’]re waiting)|We['’]ll let people in when the meeting starts|We['’]ve let the meeting organi[sz]er know you['’]re waiting|When someone lets you in, you['’]ll join the meeting|Waiting for someone to let you in|Quelqu['’]un (?:dans la réunion )?(?:devrait vous laisser entrer|va vous laisser entrer|vous permettra d['’]entrer) (?:sous peu|bientôt|dans un instant)|Jemand (?:in der Besprechung )?(?:sollte Sie in Kürze zulassen|wird Sie in Kürze zulassen|lässt Sie in Kürze eintreten|wird Sie in Kürze einlassen)|Alguien (?:de|en) la reunión (?:debería dejarle entrar|le dejará entrar|le permitirá entrar) (?:pronto|en breve)|Qualcuno (?:nella riunione )?(?:dovrebbe ammetterti|ti ammetterà|ti farà entrare) a breve|Alguém (?:na reunião )?(?:deve permitir sua entrada|permitirá sua entrada|deverá permitir sua entrada) em breve|会議の参加者がまもなく(?:参加を許可します|入室を許可します))\s*[.。]?\s*$/i,
        languageIndependent: false,
      },
    ],
    inCall: [
      {
        // Running call timer (00:51, 01:17…), rendered only while in the call.
        id: 'teams-call-duration',
        selector: '[data-tid="call-duration"], #call-duration-custom',
        languageIndependent: true,
      },
      {
        // "Meeting controls" toolbar (Record / Chat / People / Raise / React / View).
        id: 'teams-meeting-controls',
        selector: '[data-tid="ubar-horizontal-middle-end"], #horizontalMiddleEnd',
        languageIndependent: true,
      },
      {
        // The call toolbar's "More" button; bots wait for it as the "admitted" signal.
        id: 'teams-more-button',
        selector: '#callingButtons-showMoreBtn',
        languageIndependent: true,
      },
      {
        // Participant tiles on the call stage (voice-level outline / stage renderer).
        id: 'teams-call-stage',
        selector: '[data-tid="voice-level-stream-outline"], [data-tid="stage-layouts-renderer"]',
        languageIndependent: true,
      },
      {
        id: 'teams-meeting-controls-label',
        selector: '[role="toolbar"][aria-label]',
        attribute: 'aria-label',
        text: /^(?:Meeting controls|Contrôles de (?:la )?réunion|Besprechungssteuerelemente|Controles de (?:la )?reunión|Controlli (?:della )?riunione|Controles da reunião|会議のコントロール)$/i,
        languageIndependent: false,
      },
    ],
    left: [
      {
        // The screen after leaving, being removed or the meeting ending ("Did you leave by
        // mistake?", "You've been removed from this meeting"), with Rejoin and Dismiss.
        id: 'teams-retry-screen',
        selector: '[data-tid="calling-retry-screen"], #calling-retry-screen-title',
        languageIndependent: true,
      },
      {
        id: 'teams-call-ended-screen',
        selector: '[data-tid="call-ended-screen"], [data-tid="rejoin-title"]',
        languageIndependent: true,
        guess: true,
      },
      {
        // Headings and short lines only: meeting chat shows "Meeting ended" system lines for past occurrences.
        id: 'teams-left-heading',
        selector: 'h1, h2, h3, [role="heading"], span',
        text: /^\s*(?:You left the meeting|You['’]ve left the meeting|You have left the meeting|Did you leave by mistake\?|The meeting has ended|This meeting has ended|Call ended|You['’]ve been removed from this meeting|Removed from the meeting|Sorry, but you were denied access to the meeting|Your request to join was declined|Vous avez quitté la réunion|La réunion est terminée|Sie haben die Besprechung verlassen|Die Besprechung wurde beendet|Besprechung wurde beendet|Sie wurden entfernt|Has salido de la reunión|Saliste de la reunión|La reunión ha finalizado|Hai abbandonato la riunione|La riunione è terminata|Você saiu da reunião|A reunião terminou|会議から退出しました|会議は終了しました)\s*[.。]?\s*$/i,
        languageIndependent: false,
      },
    ],
    recording: [
      {
        // The header's recording indicator.
        id: 'teams-recording-indicator',
        selector: '#recording-indicator-custom',
        languageIndependent: true,
      },
      {
        // "Recording has started. By attending this meeting, you consent to…" banner.
        id: 'teams-recording-banner',
        selector: '[role="alert"], [role="status"]',
        text: /(?:Recording has started|Recording and transcription have started|Transcription has started|This meeting is being recorded|L['’]enregistrement a commencé|L['’]enregistrement et la transcription ont commencé|La transcription a commencé|Die Aufzeichnung wurde gestartet|Die Aufzeichnung hat begonnen|La grabación ha comenzado|Se ha iniciado la grabación|La registrazione è iniziata|A gravação foi iniciada|A gravação começou|レコーディングが開始されました|文字起こしが開始されました)/i,
        languageIndependent: false,
        guess: true,
      },
    ],
    participants: [
      {
        // Each video stream wrapper carries the display name in data-tid:
        // <div data-stream-type="Video" data-tid="Jane Doe">. Screen-share streams use another
        // stream type and are excluded.
        id: 'teams-stream-name',
        selector: '[data-stream-type="Video"][data-tid]',
        attribute: 'data-tid',
        languageIndependent: true,
      },
    ],
    title: [
      {
        // The call's title in the meeting header.
        id: 'teams-call-title',
        selector: '[data-tid="call-title"]',
        languageIndependent: true,
      },
      {
        // "(2) <title> | Microsoft Teams": the unread count and the product name are not the title.
        id: 'teams-page-title',
        selector: 'head > title',
        text: /^(?:\(\d+\)\s*)?(.+?)\s*\|\s*Microsoft Teams$/,
        languageIndependent: true,
      },
    ],
  },
  // App views the page title may still name while a call runs: not the meeting's title.
  genericTitle: /^(?:Microsoft Teams(?: meeting)?|Teams|Chat|Calendar|Activity|Calls?|Meeting|Meet)$/i,
};
