/**
 * A few lines of DOM building. Text always goes in as text (never as HTML), so nothing a partner
 * typed can become markup on the page.
 */

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string | undefined;
  id?: string | undefined;
  /** Attributes, including aria-* and data-*. */
  attrs?: Record<string, string | undefined>;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props?.class) el.className = props.class;
  if (props?.id) el.id = props.id;
  for (const [name, value] of Object.entries(props?.attrs ?? {}))
    if (value !== undefined) el.setAttribute(name, value);
  for (const [type, handler] of Object.entries(props?.on ?? {}))
    el.addEventListener(type, handler as EventListener);
  append(el, ...children);
  return el;
}

function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** Web links only: anything else is shown as text. */
export function link(text: string, url: string | undefined): HTMLElement {
  if (url && /^https?:\/\//i.test(url))
    return h('a', { attrs: { href: url, target: '_blank', rel: 'noopener noreferrer' } }, text);
  return h('span', null, text);
}

let ids = 0;
export function uniqueId(prefix: string): string {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** Hidden from sight, read by screen readers. */
export function srOnly(text: string): HTMLElement {
  return h('span', { class: 'visually-hidden' }, text);
}
