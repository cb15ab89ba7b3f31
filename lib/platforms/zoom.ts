import type { PlatformDefinition } from './types';

/**
 * Zoom web client (app.zoom.us/wc/…, <vanity>.zoom.us/wc/…, app.zoom.com/wc/…).
 *
 * Zoom's web client uses readable BEM class names (`footer__leave-btn-container`,
 * `preview-join-button`) and a few ids (`#audioOptionMenu`), which is what open-source
 * transcript extensions and bots key on; those are language-independent. Older versions render
 * the call inside a same-origin `#webclient` iframe, hence `frames`.
 * Provenance of every signal is listed in docs/platforms.md.
 */

/** Zoom meeting/webinar ids are 9–13 digits (PMIs are 10, webinars 11). */
const WC_PATH = /^\/wc\/(?:join\/(\d{9,13})|(\d{9,13})(?:\/(?:join|start))?)\/?$/;

function isZoomHost(host: string): boolean {
  return (
    host === 'zoom.us' ||
    host.endsWith('.zoom.us') ||
    // Public code (bots, tests) shows the web client served at zoom.com/wc/join/<id> and
    // app.zoom.com/wc/<id>/join as well.
    host === 'zoom.com' ||
    host.endsWith('.zoom.com')
  );
}

export const zoom: PlatformDefinition = {
  id: 'zoom',
  label: 'Zoom (web client)',
  // Chrome's `*.` also matches the bare domain (zoom.us, zoom.com).
  matches: ['https://*.zoom.us/*', 'https://*.zoom.com/*'],

  meetingFromUrl(url: URL): string | null {
    if (!isZoomHost(url.hostname)) return null;
    // `/j/<id>` is only the launcher/redirect page; `/wc/home`, `/wc/<id>/leave` etc. are not calls.
    const m = WC_PATH.exec(url.pathname);
    if (!m) return null;
    return m[1] ?? m[2] ?? null; // digits only; ?pwd=…, ?fromPWA=1 and the hash are ignored
  },

  frames: ['iframe#webclient'],

  signals: {
    lobby: [
      {
        // Preview ("Join") page: join button, name field and preview A/V toggles.
        id: 'zoom-preview-join-button',
        selector: 'button.preview-join-button',
        languageIndependent: true,
      },
      {
        id: 'zoom-preview-controls',
        selector: '#input-for-name, #preview-audio-control-button, #preview-video-control-button',
        languageIndependent: true,
      },
      {
        // Waiting room: `wr-` (waiting room) BEM block and its own Leave button.
        id: 'zoom-waiting-room',
        selector: '.wr-leave-btn, [class*="wr-default__text"], [class*="waiting-room-container"]',
        languageIndependent: true,
      },
      {
        id: 'zoom-waiting-text',
        // No bare div: textContent of a container div would read the whole page on every check.
        selector: 'span, p, h1, h2, [class*="waiting"]',
        text: /^\s*(?:Please wait, the meeting host will let you in soon|Waiting for the host to start (?:this|the) meeting|Host has joined\. We['’]ve let them know you['’]re here|Espere, el anfitrión de la reunión le permitirá entrar pronto|Bitte warten Sie, der Meeting-Host wird Sie in Kürze eintreten lassen|Veuillez patienter, l['’]hôte de la réunion va bientôt vous laisser entrer|Attendi, l['’]host della riunione ti farà entrare a breve|Aguarde, o anfitrião da reunião permitirá sua entrada em breve|ミーティングのホストがまもなく入室を許可します。?しばらくお待ちください)\s*[.。]?\s*$/i,
        languageIndependent: false,
      },
    ],
    inCall: [
      {
        // Footer Leave button container: only exists in the meeting footer (the waiting room
        // uses `.wr-leave-btn`).
        id: 'zoom-footer-leave',
        selector: '.footer__leave-btn-container',
        languageIndependent: true,
      },
      {
        // The audio options caret in the footer; TranscripTonic treats it as "meeting started".
        id: 'zoom-audio-menu',
        selector: '#audioOptionMenu',
        languageIndependent: true,
      },
      {
        id: 'zoom-leave-button-label',
        selector: '#wc-footer button[aria-label], #foot-bar button[aria-label]',
        attribute: 'aria-label',
        text: /^(?:Leave|Salir|Verlassen|Quitter|Esci|Sair|退出)$/i,
        languageIndependent: false,
      },
    ],
    left: [
      {
        // "This meeting has been ended by host" modal (BEM title shared by all zm-modals, so the
        // text is what distinguishes it). No language-independent end marker is known.
        id: 'zoom-ended-modal',
        selector: '.zm-modal-body-title, [role="alertdialog"]',
        text: /(?:meeting has been ended by (?:the )?host|This meeting has ended|You have been removed from this meeting|The host has removed you from this meeting|La reunión ha sido finalizada por el anfitrión|El anfitrión finalizó esta reunión|Dieses Meeting wurde vom Host beendet|Cette réunion a été terminée par l['’]hôte|Questa riunione è stata terminata dall['’]host|Esta reunião foi encerrada pelo anfitrião|このミーティングはホストによって終了されました)/i,
        languageIndependent: false,
      },
    ],
    recording: [
      {
        // Top-bar "Recording…" pill. Class name assumed from Zoom's BEM naming; see docs.
        id: 'zoom-recording-indicator',
        selector: '[class*="recording-indicator"]',
        languageIndependent: true,
      },
      {
        id: 'zoom-recording-label',
        selector: '[class*="record"]',
        text: /^\s*(?:Recording(?: to the cloud| in the cloud)?|Grabando|Grabación en curso|Aufnahme läuft|Aufzeichnung läuft|Enregistrement(?: en cours)?|Registrazione in corso|Gravando|Gravação em andamento|レコーディング中|録画中)\s*(?:\.{1,3}|…)?\s*$/i,
        languageIndependent: false,
      },
      {
        // Recording disclaimer shown to attendees when recording starts.
        id: 'zoom-recording-disclaimer',
        selector: '.zm-modal-body-title, [role="dialog"]',
        text: /(?:This meeting is being recorded|is being recorded|se está grabando|wird aufgezeichnet|est en cours d['’]enregistrement|viene registrata|está sendo gravada|レコーディングされています)/i,
        languageIndependent: false,
      },
    ],
    participants: [
      {
        // Video tile name. Current client: <div class="video-avatar__avatar-footer"><span>Name</span>.
        id: 'zoom-tile-name',
        selector: '.video-avatar__avatar-footer > span',
        languageIndependent: true,
      },
      {
        // Older client versions.
        id: 'zoom-tile-name-legacy',
        selector: '.video-avatar__avatar-name',
        languageIndependent: true,
      },
      {
        // Participants panel; "(Host, me)" lives in a sibling `participants-item__name-label`.
        id: 'zoom-participants-list',
        selector: '.participants-item__display-name',
        languageIndependent: true,
      },
    ],
  },
};
