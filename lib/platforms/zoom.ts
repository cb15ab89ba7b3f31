import type { PlatformDefinition } from './types';

/**
 * Zoom web client (app.zoom.us/wc/…, <vanity>.zoom.us/wc/…, app.zoom.com/wc/…). Every signal has a
 * row in docs/platforms.md naming its public source; a unit test fails when one is missing.
 *
 * "Join from browser" opens the Zoom web app (`/wc/<id>/join?fromPWA=1`), which runs the whole
 * call, from the preview to the end dialog, in a same-origin `iframe#webclient`
 * (`/wc/<id>/join?from=pwa`): hence `frames`, which the watcher reads and observes like the page.
 * Zoom's readable BEM classes and ids (`footer__leave-btn-container`, `#audioOptionMenu`) are what
 * open-source bots and extensions key on; they are language-independent. The waiting room renders
 * inside `.meeting-app` too, so containers are no sign of admission; the footer is.
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

  frames: ['iframe#webclient', 'iframe.pwa-webclient__iframe'],

  signals: {
    lobby: [
      {
        // Preview ("Join") page of the current client, and the classic client's join button.
        id: 'zoom-preview-join-button',
        selector: 'button.preview-join-button, #joinBtn',
        languageIndependent: true,
      },
      {
        id: 'zoom-preview-controls',
        selector: '#input-for-name, #inputname, #preview-audio-control-button, #preview-video-control-button',
        languageIndependent: true,
      },
      {
        // Waiting room of older builds: the `wr-` (waiting room) block and its own Leave button.
        id: 'zoom-waiting-room',
        selector: '.wr-leave-btn, .wr-default__text',
        languageIndependent: true,
      },
      {
        id: 'zoom-waiting-text',
        // No bare div: the textContent of a container div would read the whole page on every check.
        selector: 'span, p, h1, h2, [class*="waiting"]',
        text: /^\s*(?:Please wait, the meeting host will let you in soon|Waiting for the host to start (?:this|the) meeting|Host has joined\. We['’]ve let them know you['’]re here|Espere, el anfitrión de la reunión le permitirá entrar pronto|Bitte warten Sie, der Meeting-Host wird Sie in Kürze eintreten lassen|Veuillez patienter, l['’]hôte de la réunion va bientôt vous laisser entrer|Attendi, l['’]host della riunione ti farà entrare a breve|Aguarde, o anfitrião da reunião permitirá sua entrada em breve|ミーティングのホストがまもなく入室を許可します。?しばらくお待ちください)\s*[.。]?\s*$/i,
        languageIndependent: false,
      },
    ],
    inCall: [
      {
        // The meeting footer's Leave button container (the waiting room has no footer).
        id: 'zoom-footer-leave',
        selector: '.footer__leave-btn-container',
        languageIndependent: true,
      },
      {
        // The audio options caret in the footer: "meeting started" for TranscripTonic.
        id: 'zoom-audio-menu',
        selector: '#audioOptionMenu',
        languageIndependent: true,
      },
      {
        // The footer's Leave button ("End" for the host): never in the preview or the waiting room.
        id: 'zoom-leave-button-label',
        selector: '#wc-footer button[aria-label], #foot-bar button[aria-label], button.footer-button__button[aria-label]',
        attribute: 'aria-label',
        text: /^(?:Leave|End|Salir|Finalizar|Verlassen|Beenden|Quitter|Terminer|Esci|Termina|Sair|Encerrar|退出|終了)$/i,
        languageIndependent: false,
      },
    ],
    left: [
      {
        // "This meeting has been ended by host": a dialog over the still-present call toolbar.
        id: 'zoom-ended-dialog',
        selector: '[role="dialog"][aria-label="Meeting is end now"], [role="dialog"][aria-label="You have been removed"]',
        languageIndependent: false,
      },
      {
        // The same modal's title (its classes are shared by every Zoom modal: the text decides).
        id: 'zoom-ended-modal',
        selector: '.zm-modal-body-title, [role="alertdialog"]',
        text: /(?:meeting has been ended by (?:the )?host|This meeting has ended|You have been removed(?: from this meeting)?|The host has removed you from this meeting|La reunión ha sido finalizada por el anfitrión|El anfitrión finalizó esta reunión|Dieses Meeting wurde vom Host beendet|Cette réunion a été terminée par l['’]hôte|Questa riunione è stata terminata dall['’]host|Esta reunião foi encerrada pelo anfitrião|このミーティングはホストによって終了されました)/i,
        languageIndependent: false,
      },
    ],
    recording: [
      {
        // The meeting-info bar's recording container.
        id: 'zoom-recording-indicator',
        selector: '.recording-indication__recording-container',
        languageIndependent: true,
      },
      {
        // The top-bar "Recording…" pill text; the host's "Record" button does not match.
        id: 'zoom-recording-label',
        selector: '[class*="record"]',
        text: /^\s*(?:Recording(?: to the cloud| in the cloud)?|Grabando|Grabación en curso|Aufnahme läuft|Aufzeichnung läuft|Enregistrement(?: en cours)?|Registrazione in corso|Gravando|Gravação em andamento|レコーディング中|録画中)\s*(?:\.{1,3}|…)?\s*$/i,
        languageIndependent: false,
        guess: true,
      },
      {
        // The disclaimer shown to participants when recording starts.
        id: 'zoom-recording-disclaimer',
        selector: '.zm-modal-body-title, [role="dialog"]',
        text: /(?:This meeting is being recorded|is being recorded|se está grabando|wird aufgezeichnet|est en cours d['’]enregistrement|viene registrata|está sendo gravada|レコーディングされています)/i,
        languageIndependent: false,
        guess: true,
      },
    ],
    participants: [
      {
        // Video tile name: <div class="video-avatar__avatar-footer"><span>Name</span>.
        id: 'zoom-tile-name',
        selector: '.video-avatar__avatar-footer > span',
        languageIndependent: true,
      },
      {
        // Participants panel; "(Host, me)" lives in a sibling `participants-item__name-label`.
        id: 'zoom-participants-list',
        selector: '[id^="participants-list-"] .participants-item__display-name, .participants-item__display-name',
        notInside: '[id^="waitingRoom-li-"]',
        languageIndependent: true,
      },
    ],
    title: [
      {
        // The meeting-information pill in the header: its text is the meeting topic.
        id: 'zoom-title-pill',
        selector: '.meeting-info-icon__title',
        languageIndependent: true,
      },
      {
        // The topic in the meeting-information popover (an attendee's view).
        id: 'zoom-title-topic',
        selector: '.meeting-info-icon__meeting-topic-text',
        languageIndependent: true,
      },
    ],
  },
  // The web client's document title names the product, not the meeting.
  genericTitle: /^(?:Zoom(?: Meeting| Workplace)?|(?:My|Personal) Meeting Room)$/i,
};
