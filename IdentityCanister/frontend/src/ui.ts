// A tiny DOM helper: h() builds elements, show() swaps the page and moves focus to it.

type Child = Node | string | number | null | undefined | false;
type AttrValue = string | number | boolean | null | undefined | ((e: Event) => void);

/** Creates an element; `on*` attributes become listeners, `true` sets an empty attribute, false/null/undefined skip. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, AttrValue> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) {
      continue;
    }
    if (typeof v === 'function') {
      el.addEventListener(k.slice(2).toLowerCase(), v);
    } else if (v === true) {
      el.setAttribute(k, '');
    } else {
      el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el: HTMLElement, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) {
      continue;
    }
    el.append(c instanceof Node ? c : String(c));
  }
}

function root(): HTMLElement {
  const main = document.getElementById('app');
  if (!main) {
    throw new Error('missing #app');
  }
  return main;
}

/** The origin of the dapp when this page serves an authorization (shown in the header of every page). */
let banner: string | undefined;

export function setBanner(text: string | undefined): void {
  banner = text;
}

/** Replaces the page content; focus goes to the first [autofocus] element or else the heading. */
export function show(...children: Child[]): void {
  const main = root();
  main.replaceChildren();
  if (banner) {
    main.append(h('p', { class: 'banner', 'data-role': 'dapp-origin' }, banner));
  }
  append(main, children);
  const target = main.querySelector<HTMLElement>('[autofocus]') ?? main.querySelector<HTMLElement>('h1');
  if (target) {
    if (target.tagName === 'H1') {
      target.tabIndex = -1;
    }
    target.focus();
  }
}

/** A waiting page; the caller replaces it when the work is done. */
export function showBusy(text: string): void {
  show(h('div', { class: 'busy', role: 'status', 'aria-live': 'polite', 'data-role': 'busy' },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('p', {}, text)));
}

export interface Problem {
  title: string;
  message: string;
  /** What to do next, one sentence. */
  next?: string;
  detail?: string;
}

/** An error page with one button; resolves when the user clicks it. */
export function showProblem(p: Problem, button = 'Try again'): Promise<void> {
  return new Promise(resolve => {
    show(
      h('section', { class: 'card', 'data-page': 'error', role: 'alert' },
        h('h1', {}, p.title),
        h('p', {}, p.message),
        p.next ? h('p', {}, p.next) : null,
        p.detail ? h('details', {}, h('summary', {}, 'Technical details'), h('pre', {}, p.detail)) : null,
        h('button', { type: 'button', class: 'primary', id: 'errorContinue', 'data-action': 'dismiss', autofocus: true, onclick: () => resolve() }, button)));
  });
}

/** An inline alert inside the current page (e.g. a wrong captcha or code). */
export function alertBox(text: string): HTMLElement {
  return h('p', { class: 'alert', role: 'alert', 'data-role': 'alert' }, text);
}

/** A button that resolves a choice. */
export function choiceButton<T>(label: string, value: T, resolve: (v: T) => void, attrs: Record<string, AttrValue> = {}): HTMLButtonElement {
  return h('button', { type: 'button', ...attrs, onclick: () => resolve(value) }, label);
}
