/**
 * The prompt frame's styles (entrypoints/prompt). The frame is sized to its content by the
 * content script, so nothing here depends on the frame's viewport. Sizes do not depend on the
 * outcome: the collapsed pill has one width and every expanded panel at least one height, so the
 * page, which can measure the frame's box, learns "collapsed" or "expanded" and nothing more.
 * Sizes are px (the page's zoom and root font size never reach this document anyway).
 */
export const promptCss = `
html { overflow: hidden auto; }
html, body { margin: 0; padding: 0; background: transparent; }
body { padding: 6px 8px 10px; width: max-content; }
* { box-sizing: border-box; }
.root {
  --bg: #ffffff; --fg: #1d2330; --muted: #4f5868; --line: #d5d9e0; --accent: #1a56db; --accent-fg: #ffffff;
  --ok: #0f7a43; --warn-bg: #fff4e5; --warn-fg: #7a3e00; --focus: #b35c00;
  /* Native parts (the call type list, scrollbars) follow the prompt's scheme, not the page's. */
  color-scheme: light;
  display: flex; justify-content: flex-end;
}
.panel {
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--fg); background: var(--bg);
  width: 360px; min-height: 440px;
  border: 1px solid var(--line); border-radius: 12px; box-shadow: 0 8px 28px rgba(0,0,0,.28);
  padding: 10px 14px 12px;
}
@media (prefers-color-scheme: dark) {
  .root { --bg: #1f232b; --fg: #eef1f6; --muted: #b6bdc9; --line: #3a404c; --accent: #8ab4f8; --accent-fg: #0b1526;
    --ok: #6fd39a; --warn-bg: #3d2a12; --warn-fg: #ffd699; --focus: #ffb347; color-scheme: dark; }
}
.head { display: flex; align-items: center; justify-content: space-between; gap: 8px; margin: 0 0 6px; }
h1 { font-size: 15px; font-weight: 650; margin: 0; }
.purpose { color: var(--muted); margin: 0 0 8px; }
.category { display: flex; align-items: center; justify-content: space-between; gap: 8px; margin: 0 0 8px; font-size: 13px; color: var(--muted); }
select { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 4px 6px; }
select:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.label { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0 0 4px; }
blockquote { margin: 0 0 10px; padding: 6px 10px; border-left: 3px solid var(--accent); background: rgba(127,127,127,.08); border-radius: 4px; font-size: 15px; }
.actions { display: grid; gap: 6px; }
button {
  font: inherit; cursor: pointer; border-radius: 8px; padding: 8px 12px; min-height: 36px; text-align: left;
  border: 1px solid var(--line); background: transparent; color: var(--fg);
}
button.primary { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); font-weight: 600; }
button.icon { padding: 4px 8px; min-height: 28px; }
button:focus-visible, input:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
button[disabled] { opacity: .6; cursor: progress; }
fieldset { border: 0; padding: 0; margin: 0 0 12px; display: grid; gap: 6px; }
legend { font-weight: 600; margin-bottom: 6px; padding: 0; }
label { display: flex; gap: 8px; align-items: center; cursor: pointer; }
.decline { font-size: 16px; font-weight: 600; margin: 0 0 6px; }
.status { color: var(--muted); margin: 0 0 12px; }
.done { color: var(--ok); font-weight: 600; }
.error { background: var(--warn-bg); color: var(--warn-fg); border-radius: 6px; padding: 6px 8px; margin: 8px 0 0; font-size: 13px; line-height: 1.35; }
.panel > .error:not(:last-child) { margin: 0 0 8px; }
.pill { all: unset; box-sizing: border-box; cursor: pointer; display: inline-flex; align-items: center; justify-content: center; gap: 8px;
  width: 240px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
  font: 600 13px/1 system-ui, sans-serif; padding: 9px 14px; border-radius: 999px; color: var(--fg); background: var(--bg);
  border: 1px solid var(--line); box-shadow: 0 4px 16px rgba(0,0,0,.25); }
.pill:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.dot { width: 8px; height: 8px; border-radius: 50%; background: var(--accent); }
.dot.agreed { background: var(--ok); }
.stack { position: relative; display: grid; justify-items: end; gap: 6px; }
/* Over the bottom of the panel, where its choices wait while the page obstructs the prompt: the
   notice adds no height, so on a short window it cannot push the prompt past the box it has
   (which would keep it obstructed). */
.obstructed { position: absolute; left: 8px; right: 8px; bottom: 10px; z-index: 1; margin: 0; background: var(--warn-bg); color: var(--warn-fg);
  border: 1px solid var(--warn-fg); border-radius: 10px; padding: 10px 12px; font: 600 13px/1.4 system-ui, sans-serif; box-shadow: 0 4px 16px rgba(0,0,0,.25); }
.botcheck { width: 360px; background: var(--warn-bg); color: var(--warn-fg); border: 1px solid var(--line);
  border-radius: 10px; padding: 6px 12px 8px; box-shadow: 0 4px 16px rgba(0,0,0,.2); font: 13px/1.35 system-ui, sans-serif; }
.botcheck .status { margin: 0 0 4px; color: inherit; }
.botcheck .actions { grid-template-columns: 1fr 1fr; }
.botcheck button { min-height: 32px; padding: 6px 10px; }
.collapsed { display: grid; justify-items: end; gap: 6px; width: 360px; }
.tagbar { display: flex; flex-wrap: wrap; justify-content: flex-end; align-items: center; gap: 4px; }
/* The chips' purpose, shown (its accessible name already says it: hidden from screen readers). */
.tagbar::before { content: attr(aria-label) / ""; font: 600 11px/1.2 system-ui, sans-serif; color: var(--muted); background: var(--bg);
  border-radius: 999px; padding: 6px 9px; box-shadow: 0 2px 8px rgba(0,0,0,.18); }
.chip { font: 600 12px/1 system-ui, sans-serif; padding: 6px 10px; min-height: 26px; border-radius: 999px; background: var(--bg); color: var(--fg);
  border: 1px solid var(--line); box-shadow: 0 2px 8px rgba(0,0,0,.18); text-align: center; }
.tagstatus { margin: 0; font: 12px/1.3 system-ui, sans-serif; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 4px 8px; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
/* Motion only for those who have not asked for less; nothing moves otherwise. */
@media (prefers-reduced-motion: no-preference) { .panel { animation: in .16s ease-out; } }
@media (prefers-reduced-motion: reduce) { *, *::before, *::after { animation: none !important; transition: none !important; } }
/* Movement only: fading in would pass through unreadable contrast. */
@keyframes in { from { transform: translateY(-4px); } }
/* Windows high contrast: system colours, and the focus ring stays visible. */
@media (forced-colors: active) {
  .panel, .pill, .chip, .tagstatus { border: 1px solid CanvasText; }
  button:focus-visible, select:focus-visible, .pill:focus-visible { outline-color: Highlight; }
}
`;
