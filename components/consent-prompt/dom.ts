/**
 * The prompt's one DOM helper. Text is only ever set as text nodes: policy strings and names the
 * page shows render as text, never as HTML.
 */
export type Child = Node | string | null | false | undefined;
export type Props = Record<string, string | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children) if (c) el.append(c);
  return el;
}
