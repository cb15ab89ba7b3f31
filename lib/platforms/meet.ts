import type { PlatformDefinition } from './types';

/**
 * Google Meet (meet.google.com).
 *
 * Provenance of every signal is listed in docs/platforms.md. Rules of thumb used here:
 * - Meet's leave button (`call_end` ligature, aria-label "Leave call") is already on screen in the
 *   waiting room, so it is NOT an in-call signal.
 * - In-call signals are things Meet renders only after admission: participant tiles
 *   (`[data-participant-id]`, `[data-self-name]`) and the captions button (`closed_caption_off`).
 * - Text signals are fully anchored (^…$) so chat lines or captions that merely quote a phrase
 *   ("he's asking to be let in") cannot flip the state.
 */

/** 3-4-3 lowercase meeting code, e.g. abc-defg-hij. `/_meet/<code>` is the embedded variant. */
const MEET_CODE_PATH = /^\/(?:_meet\/)?([a-z]{3}-[a-z]{4}-[a-z]{3})\/?$/i;

/** Material icon ligature containers used by Meet's old and new UI generations. */
const ICONS = '.google-symbols, .google-material-icons, .material-icons-extended';

export const meet: PlatformDefinition = {
  id: 'meet',
  label: 'Google Meet',
  matches: ['https://meet.google.com/*'],

  meetingFromUrl(url: URL): string | null {
    if (url.hostname !== 'meet.google.com') return null;
    // Query (?authuser=1, ?hs=…, ?pli=1) and hash are ignored: the code alone names the meeting.
    // `/`, `/landing`, `/new`, `/lookup/<name>` do not match the code pattern and so return null.
    const code = MEET_CODE_PATH.exec(url.pathname)?.[1];
    return code ? code.toLowerCase() : null;
  },

  frames: [],

  signals: {
    lobby: [
      {
        // The pre-join "Join now" / "Ask to join" button. Its jsname is used by many public
        // Meet bots precisely because it survives translation.
        id: 'meet-join-button',
        selector: 'button[jsname="Qx7uuf"]',
        languageIndependent: true,
      },
      {
        // Waiting room. The join button is gone there and the leave button is already shown,
        // so only the copy identifies it. Fully anchored to avoid caption/chat matches.
        id: 'meet-waiting-text',
        // Leaf-ish elements only: textContent of a big container div would cost a whole-page read.
        selector: '[role="heading"], h1, h2, span',
        text: /^\s*(?:Asking to be let in|You['’]ll join the call when someone lets you in|Please wait until a meeting host brings you into the call|Solicitando unirse|Pidiendo unirse|Te unirás a la llamada cuando alguien te dé acceso|Teilnahme wird angefragt|Anfrage zur Teilnahme wird gesendet|Du nimmst am Anruf teil, sobald dich jemand hineinlässt|Demande de participation en cours|Vous participerez à l['’]appel lorsque quelqu['’]un vous y autorisera|Richiesta di partecipazione in corso|Parteciperai alla chiamata quando qualcuno ti farà entrare|Pedindo para participar|Pedindo para entrar|Você participará da chamada quando alguém permitir sua entrada|参加をリクエストしています|参加が許可されると通話に参加できます)\s*(?:\.{3}|…|\.|。)?\s*$/i,
        languageIndependent: false,
      },
    ],
    inCall: [
      {
        // Video tiles (and people-panel rows) carry the participant id; not rendered in the lobby.
        id: 'meet-participant-tile',
        selector: '[data-participant-id]',
        languageIndependent: true,
      },
      {
        // Every tile's name label carries data-self-name (its value is the localized word for
        // "You"); only present once admitted.
        id: 'meet-self-name',
        selector: '[data-self-name]',
        languageIndependent: true,
      },
      {
        // Captions toggle in the call toolbar. Open-source transcript extensions observe that
        // it is absent while waiting in the lobby, unlike `call_end`.
        id: 'meet-captions-icon',
        selector: ICONS,
        text: /^\s*closed_caption(?:_off)?\s*$/,
        languageIndependent: true,
      },
      {
        id: 'meet-captions-button-label',
        selector: 'button[aria-label]',
        attribute: 'aria-label',
        text: /^(?:Turn on captions|Turn off captions|Untertitel aktivieren|Untertitel deaktivieren|Activar subtítulos|Desactivar subtítulos|Activer les sous-titres|Désactiver les sous-titres|Attiva i sottotitoli|Disattiva i sottotitoli|Ativar legendas|Desativar legendas|字幕をオンにする|字幕をオフにする)(?:\s*\([^)]*\))?$/i,
        languageIndependent: false,
      },
    ],
    left: [
      {
        // Seen in two public extensions as Meet's "call ended" marker; unconfirmed (see docs).
        id: 'meet-call-ended-attr',
        selector: '[data-call-ended="true"]',
        languageIndependent: true,
      },
      {
        // Headings only: chat system lines must not be mistaken for the end screen.
        id: 'meet-left-heading',
        selector: '[role="heading"], h1, h2',
        text: /^\s*(?:You left the meeting|You['’]ve left the (?:meeting|call)|You['’]ve been removed from the meeting|You have been removed from the meeting|The call has ended|Has salido de la reunión|Saliste de la reunión|Du hast die Besprechung verlassen|Du hast das Meeting verlassen|Vous avez quitté la réunion|Hai abbandonato la riunione|Hai lasciato la riunione|Você saiu da reunião|会議から退出しました)\s*[.。]?\s*$/i,
        languageIndependent: false,
      },
    ],
    recording: [
      {
        // Persistent recording pill icon. Ligature assumed from the Material set; see docs.
        id: 'meet-recording-icon',
        selector: ICONS,
        text: /^\s*(?:radio_button_checked|fiber_manual_record)\s*$/,
        languageIndependent: true,
      },
      {
        // Modal announcements: recording, transcription, Gemini notes, third-party notetakers.
        id: 'meet-recording-dialog',
        selector: 'div[role="dialog"][aria-modal="true"], div[role="alertdialog"]',
        text: /(?:is being recorded|is being transcribed|Gemini is taking notes|is taking notes|call audio and video will be shared with|wird aufgezeichnet|wird transkribiert|erstellt Notizen|se está grabando|se está transcribiendo|está tomando notas|est en cours d['’]enregistrement|est enregistré|est transcrit|prend des notes|viene registrat|viene trascritt|sta prendendo appunti|está sendo gravad|está sendo transcrit|está fazendo anotações|録画されています|文字起こしされています|メモを作成しています)/i,
        languageIndependent: false,
      },
      {
        // The pill's accessible label ("This call is being recorded"); "Start recording" menu
        // items do not match.
        id: 'meet-recording-label',
        selector: '[aria-label]',
        attribute: 'aria-label',
        text: /(?:is being recorded|is being transcribed|is taking notes|wird aufgezeichnet|wird transkribiert|se está grabando|est en cours d['’]enregistrement|viene registrat|está sendo gravad|録画されています)/i,
        languageIndependent: false,
      },
    ],
    participants: [
      {
        // Tile name label: attribute present on every tile, its text is the display name.
        id: 'meet-tile-name',
        selector: '[data-participant-id] [data-self-name]',
        languageIndependent: true,
      },
      {
        // People panel rows: aria-label is exactly the display name (the "(You)" suffix is a
        // separate child, so we read the attribute rather than textContent).
        id: 'meet-people-panel-row',
        selector: '[role="listitem"][data-participant-id][aria-label]',
        attribute: 'aria-label',
        languageIndependent: true,
      },
    ],
  },
};
