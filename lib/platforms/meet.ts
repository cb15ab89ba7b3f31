import type { PlatformDefinition } from './types';

/**
 * Google Meet (meet.google.com). Every signal has a row in docs/platforms.md naming its public
 * source; a unit test fails when one is missing.
 *
 * - The leave button (`jsname="CQylAd"`, `call_end`) and "Return to home screen" are already on
 *   screen in the waiting room, so neither is an in-call signal.
 * - The self view / "Backgrounds and effects" preview carries `data-participant-id` in the green
 *   room and the waiting room (Vexa, verified live 2026): a participant-id element counts only when
 *   its label does not lead with the `visual_effects` ligature, which is the same in every language.
 * - Admission is read from what Meet renders only after it: side-panel buttons (`data-panel-id`),
 *   the captions and chat toolbar icons, the meeting-title container and real tiles. No copy is
 *   needed, so a waiting room in a language Candor has no text for reads `none`, never `inCall`.
 * - Text signals are fully anchored (^…$) so chat lines or captions that quote a phrase cannot flip
 *   the state.
 */

/** 3-4-3 lowercase meeting code, e.g. abc-defg-hij. `/_meet/<code>` is the embedded variant. */
const MEET_CODE_PATH = /^\/(?:_meet\/)?([a-z]{3}-[a-z]{4}-[a-z]{3})\/?$/i;

/** Material icon ligature containers used by Meet's old and new UI generations. */
const ICONS = '.google-symbols, .google-material-icons, .material-icons-extended';

/** The self preview's label leads with the effects ligature (or, in English, its text). */
const SELF_PREVIEW = /^\s*(?:visual_effects|Backgrounds and effects)/i;

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
        // The pre-join "Join now" / "Ask to join" button; the jsname survives translation.
        id: 'meet-join-button',
        selector: 'button[jsname="Qx7uuf"]',
        languageIndependent: true,
      },
      {
        // The green room's controller.
        id: 'meet-green-room',
        selector: '[jscontroller="dyDNGc"]',
        languageIndependent: true,
      },
      {
        // Waiting room copy. Leaf-ish elements only: the textContent of a container div would cost a
        // whole-page read on every check. Not needed for safety (admission needs in-call signals).
        id: 'meet-waiting-text',
        selector: '[role="heading"], h1, h2, span',
        text: /^\s*(?:Asking to be let in|Asking to join|You['’]ll join the call when someone lets you in|Please wait until a meeting host brings you into the call|You['’]ve been sent to the waiting room|Bitte warten Sie, bis Sie vom Organisator.{0,80}|Katılma isteği gönderiliyor|Biri sizi içeri aldığında görüşmeye katılacaksınız|Bekleme odasına gönderildiniz|Solicitando unirse|Pidiendo unirse|Te unirás a la llamada cuando alguien te dé acceso|Teilnahme wird angefragt|Anfrage zur Teilnahme wird gesendet|Du nimmst am Anruf teil, sobald dich jemand hineinlässt|Demande de participation en cours|Vous participerez à l['’]appel lorsque quelqu['’]un vous y autorisera|Richiesta di partecipazione in corso|Parteciperai alla chiamata quando qualcuno ti farà entrare|Pedindo para participar|Pedindo para entrar|Você participará da chamada quando alguém permitir sua entrada|参加をリクエストしています|参加が許可されると通話に参加できます)\s*(?:\.{3}|…|\.|。)?\s*$/i,
        languageIndependent: false,
      },
    ],
    inCall: [
      {
        // The call's side-panel buttons: People (1), Chat (2), Meeting details (5), Activities (10).
        id: 'meet-panel-buttons',
        selector: 'button[data-panel-id], [role="button"][data-panel-id]',
        languageIndependent: true,
      },
      {
        // Captions and chat toolbar icons: absent while waiting to be let in.
        id: 'meet-toolbar-icons',
        selector: ICONS,
        text: /^\s*(?:closed_caption(?:_off)?|chat)\s*$/,
        languageIndependent: true,
      },
      {
        // The meeting room's container, holding the meeting title.
        id: 'meet-meeting-title',
        selector: '[data-meeting-title]',
        languageIndependent: true,
      },
      {
        // A participant tile other than the self preview. Supporting only: should the preview ever
        // lose its ligature label, it would look like a tile.
        id: 'meet-participant-tile',
        selector: '[data-participant-id]',
        exclude: SELF_PREVIEW,
        languageIndependent: true,
        supportOnly: true,
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
        // The end screen's heading ("You left the meeting", "Your host ended the meeting for everyone"…).
        id: 'meet-end-heading',
        selector: 'h1[jsname="r4nke"]',
        languageIndependent: true,
      },
      {
        // The end screen's Rejoin button.
        id: 'meet-rejoin-button',
        selector: '[jsname="oI7Fj"] button',
        languageIndependent: true,
      },
      {
        id: 'meet-call-ended-attr',
        selector: '[data-call-ended="true"]',
        languageIndependent: true,
        guess: true,
      },
      {
        // End, removal and denial copy, in headings and the end screen's message container only:
        // chat system lines must not be mistaken for it.
        id: 'meet-left-heading',
        selector: '[role="heading"], h1, h2, .roSPhc',
        text: /^\s*(?:You left the meeting|You['’]ve left the (?:meeting|call)|You['’]ve been removed from the meeting|You have been removed from the meeting|Your host ended the meeting for everyone|The call (?:has )?ended(?: because everyone left)?|Someone in the call denied your request to join|No one responded to your request to join the call|You can['’]t join this (?:video )?call|Has salido de la reunión|Saliste de la reunión|Du hast die Besprechung verlassen|Du hast das Meeting verlassen|Niemand hat auf Ihre Teilnahmeanfrage geantwortet|Vous avez quitté la réunion|Hai abbandonato la riunione|Hai lasciato la riunione|Você saiu da reunião|会議から退出しました|你無法加入這場視訊通話)\s*[.。]?\s*$/i,
        languageIndependent: false,
      },
    ],
    recording: [
      {
        // Persistent recording pill icon (Material "record" glyphs); no public capture shows it.
        id: 'meet-recording-icon',
        selector: ICONS,
        text: /^\s*(?:radio_button_checked|fiber_manual_record)\s*$/,
        languageIndependent: true,
        guess: true,
      },
      {
        // Modal notices right after admission: recording, transcription, Gemini notes.
        id: 'meet-recording-dialog',
        selector: 'div[role="dialog"][aria-modal="true"], div[role="alertdialog"]',
        text: /(?:is being recorded|is being transcribed|Gemini is taking notes|is taking notes|call audio and video will be shared with|wird aufgezeichnet|wird transkribiert|erstellt Notizen|se está grabando|se está transcribiendo|está tomando notas|est en cours d['’]enregistrement|est enregistré|est transcrit|prend des notes|viene registrat|viene trascritt|sta prendendo appunti|está sendo gravad|está sendo transcrit|está fazendo anotações|録画されています|文字起こしされています|メモを作成しています)/i,
        languageIndependent: false,
      },
      {
        // The persistent pill's accessible label ("This call is being recorded", "Gemini is taking
        // notes"); "Start recording" menu items do not match.
        id: 'meet-recording-label',
        selector: '[aria-label]',
        attribute: 'aria-label',
        text: /(?:is being recorded|is being transcribed|is taking notes|wird aufgezeichnet|wird transkribiert|se está grabando|est en cours d['’]enregistrement|viene registrat|está sendo gravad|録画されています)/i,
        languageIndependent: false,
      },
    ],
    participants: [
      {
        // The name on a tile (the self preview excluded).
        id: 'meet-tile-name',
        selector: '[data-participant-id] span.notranslate',
        notInside: '[aria-label^="visual_effects"], [aria-label^="Backgrounds and effects"]',
        languageIndependent: true,
      },
      {
        // People panel rows: the accessible name is the display name (the "(You)" suffix is a
        // separate child, so the attribute is read).
        id: 'meet-people-panel-row',
        selector: '[role="listitem"][data-participant-id][aria-label]',
        attribute: 'aria-label',
        exclude: SELF_PREVIEW,
        languageIndependent: true,
      },
    ],
    title: [
      {
        // The meeting room's container carries the calendar title (the meeting code when there is none).
        id: 'meet-title-attr',
        selector: '[data-meeting-title]',
        attribute: 'data-meeting-title',
        languageIndependent: true,
      },
      {
        // The meeting name in the bottom-left corner.
        id: 'meet-title-text',
        selector: '.u6vdEc',
        languageIndependent: true,
      },
      {
        // "Meet – <title>" (or "<title> - Google Meet").
        id: 'meet-page-title',
        selector: 'head > title',
        text: /^(?:Meet\s*[-–—]\s*(.+)|(.+?)\s*[-–—]\s*Google Meet)$/,
        languageIndependent: true,
      },
    ],
  },
  // A meeting code (what Meet shows when the meeting has no title) or the product's name is not a title.
  genericTitle: /^(?:(?:Google )?Meet|[a-z]{3}-[a-z]{4}-[a-z]{3})$/i,
};
