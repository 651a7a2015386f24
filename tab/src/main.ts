import { pages } from '@microsoft/teams-js';
import type { Me, ViewSummary } from '../../bot/tab-api/contract.js';
import { Api, ApiFailure, ConsentNeeded } from './api.js';
import { clear, h } from './dom.js';
import { applyTheme, connect, finishSignIn, type Host } from './host.js';
import { consentFailedMessage } from './sign-in.js';
import { Tracker } from './tracker.js';
import { ViewPanel } from './views.js';

/**
 * The board tab in the browser. `data-page` on the body says which page this is: the channel tab
 * ("board": actions and the board's views), the personal tab ("actions": my actions) or the
 * channel tab's configuration page ("config").
 */

const ROLE_WORDS: Record<Me['role'], string> = { officer: 'officer', chair: 'chair', partner: 'partner' };

function main(): HTMLElement {
  return document.getElementById('main') ?? document.body;
}

function showProblem(text: string): void {
  const el = main();
  clear(el);
  el.append(h('p', { class: 'live live-error', attrs: { role: 'alert' } }, text));
}

/** Consent is missing: a button opens the consent window (a pop-up needs the person's click). */
function offerSignIn(host: Host): void {
  const el = main();
  clear(el);
  const button = h('button', { attrs: { type: 'button' } }, 'Sign in');
  const note = h('p', { attrs: { role: 'status' } });
  button.addEventListener('click', () => {
    button.setAttribute('disabled', '');
    host.signIn().then(
      () => void start(),
      (err: unknown) => {
        button.removeAttribute('disabled');
        note.textContent = consentFailedMessage(err);
      },
    );
  });
  el.append(h('p', null, new ConsentNeeded().message), button, note);
}

/** The channel tab's configuration: nothing to choose, so saving adds the Board tab as it is. */
function configure(host: Host): void {
  const el = main();
  clear(el);
  el.append(
    h('p', null, 'The Board tab shows the board’s actions, the next meeting and consultation results.'),
    h('p', null, 'Select Save to add it to this channel.'),
  );
  if (!host.inTeams) return;
  const base = window.location.origin;
  pages.config.registerOnSaveHandler((save) => {
    pages.config
      .setConfig({
        entityId: 'board',
        contentUrl: `${base}/tab/board`,
        websiteUrl: `${base}/tab/board`,
        suggestedDisplayName: 'Board',
      })
      .then(
        () => save.notifySuccess(),
        (err: unknown) => save.notifyFailure(String(err)),
      );
  });
  pages.config.setValidityState(true);
}

interface Section {
  id: string;
  title: string;
  element: HTMLElement;
  load(): Promise<void>;
  focus(): void;
}

function board(api: Api, views: ViewSummary[]): void {
  const tracker = new Tracker({ api, heading: 'Actions' });
  const sections: Section[] = [
    {
      id: 'actions',
      title: 'Actions',
      element: tracker.element,
      load: () => tracker.load(),
      focus: () => tracker.focus(),
    },
    ...views.map((v) => {
      const panel = new ViewPanel(api, v.id, v.title);
      return {
        id: v.id,
        title: v.title,
        element: panel.element,
        load: () => panel.load(),
        focus: () => panel.focus(),
      };
    }),
  ];
  const nav = h('nav', { class: 'tabs', attrs: { 'aria-label': 'Board views' } });
  const list = h('ul');
  nav.append(list);
  const holder = h('div', { class: 'section' });
  const el = main();
  clear(el);
  el.append(nav, holder);

  const show = async (id: string, moveFocus: boolean) => {
    const section = sections.find((s) => s.id === id) ?? sections[0]!;
    clear(list);
    for (const s of sections) {
      const a = h('a', { attrs: { href: `#${s.id}` } }, s.title);
      if (s === section) a.setAttribute('aria-current', 'page');
      list.append(h('li', null, a));
    }
    clear(holder);
    holder.append(section.element);
    await section.load();
    if (moveFocus) section.focus();
  };
  window.addEventListener('hashchange', () => void show(window.location.hash.slice(1), true));
  void show(window.location.hash.slice(1), false);
}

async function start(): Promise<void> {
  if (document.body.dataset.page === 'auth-end') {
    await finishSignIn().catch(() => showProblem('Signing in finished. You can close this window.'));
    return;
  }
  let host: Host;
  try {
    host = await connect();
  } catch {
    showProblem(
      'This is the Board tab for Microsoft Teams. Open it in Teams; for local development add ?as=officer to the address.',
    );
    return;
  }
  applyTheme(host.theme);
  host.onThemeChange(applyTheme);

  const page = document.body.dataset.page ?? 'board';
  if (page === 'config') return configure(host);

  const api = new Api(host);
  let me: Me;
  let views: ViewSummary[];
  try {
    [me, views] = await Promise.all([api.get<Me>('/tab/api/me'), api.get<ViewSummary[]>('/tab/api/views')]);
  } catch (err) {
    if (err instanceof ConsentNeeded) return offerSignIn(host);
    showProblem(err instanceof ApiFailure ? err.message : 'The board could not be loaded.');
    return;
  }
  const who = document.getElementById('who');
  if (who)
    who.textContent = `${me.boardName}. Signed in as ${me.name}, ${ROLE_WORDS[me.role]}${me.via === 'dev' ? ' (development identity)' : ''}.`;

  if (page === 'actions') {
    const tracker = new Tracker({ api, heading: 'Actions', defaults: { owner: 'me' } });
    const el = main();
    clear(el);
    el.append(tracker.element);
    await tracker.load();
    return;
  }
  board(api, views);
}

void start();
