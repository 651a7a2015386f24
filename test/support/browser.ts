import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { BOARD, BOT } from '../../scripts/board-fixture.js';
import { chromiumLaunchOptions } from '../../scripts/chromium.js';

/**
 * Driving the Microsoft 365 Agents Playground (0.2.x) in headless Chromium. Journeys read like
 * "send help, wait for the card headed Actions, click Edit": every wait is on a condition (a
 * locator), never a fixed sleep.
 *
 * What the Playground's page looks like (found by exploring it; keep this in step if it changes):
 * - conversations are `role=treeitem` buttons named "Personal Chat", the group chat's name, and
 *   "<team name> - General";
 * - the compose box is a Lexical editor (`[data-lexical-editor]`); in the personal chat Enter
 *   sends; in a channel the "new post" editor sits in the `role=group` card with the "Post"
 *   button, and each thread below is its own `role=group` (newest thread first) with a reply box;
 * - typing "@" + a name opens `#typeahead-menu`, whose `menuitem`s insert a real mention;
 * - Adaptive Cards render with Microsoft's renderer as `.ac-adaptiveCard`; each action is a
 *   button whose accessible name is its title; an `Action.Execute` result replaces the card in place.
 */

const DEFAULT_TIMEOUT_MS = 20_000;
const CARD = '.ac-adaptiveCard';
const EDITOR = '[data-lexical-editor="true"]';
/** A message from the bot in the chat view (text or card). */
const BOT_MESSAGE = '.fai-OutputCard';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions());
}

export interface OpenOptions {
  viewport?: { width: number; height: number };
  /** Leave the Playground's log panel open (it is hidden by default, to keep text searches on the chat). */
  keepLogPanel?: boolean;
  timeoutMs?: number;
  /** The team this Playground models (its configuration's `team.name`); default the first board's. */
  team?: string;
}

/**
 * Opens the Playground in a fresh browser context (en-GB, Europe/London) on the personal chat, and
 * waits until the bot has handled the chat's install (and whatever it sent then is on screen), so
 * that the next card is the answer to the next message. Requests to anywhere but the Playground
 * itself (its web fonts) are refused: runs are offline and do not wait on DNS.
 */
export async function openPlayground(
  browser: Browser,
  url: string,
  options: OpenOptions = {},
): Promise<Playground> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 860 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  });
  const origin = new URL(url).origin;
  await context.route(
    (u) => u.origin !== origin,
    (route) => route.abort(),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const playground = new Playground(page, context, options.team ?? BOARD.teamName);
  await page.goto(url);
  await page.getByRole('treeitem', { name: 'Personal Chat' }).waitFor();
  await playground.settle();
  if (!options.keepLogPanel) await playground.hideLogPanel();
  return playground;
}

/** One exchange between the Playground and the bot, from the Playground's own log. */
export interface PlaygroundActivity {
  /** `toBot`: the Playground called the bot (logged once the bot answered); `fromBot`: the bot called the connector. */
  direction: 'toBot' | 'fromBot';
  /** message, invoke, installationUpdate, conversationUpdate, … */
  activityName: string;
  conversationId: string;
  /** personal, groupChat or channel (from the activity, when logged). */
  conversationType: string | undefined;
  status: number | undefined;
  /** The activity's text, when it has one. */
  text: string | undefined;
  /** The logged request body (the activity). */
  activity: Record<string, unknown> | undefined;
}

interface LogFrame {
  log?: {
    activityName?: string;
    conversationId?: string;
    from?: string;
    request?: { body?: Record<string, unknown> };
    response?: { statusCode?: number };
  };
}

/**
 * The verb of an `Action.Execute` click the Playground sent to the bot (`actions.done`), or
 * undefined when the exchange is not one.
 */
export function invokeVerb(a: PlaygroundActivity): string | undefined {
  if (a.activityName !== 'invoke') return undefined;
  const value = a.activity?.value as { action?: { verb?: unknown } } | undefined;
  return typeof value?.action?.verb === 'string' ? value.action.verb : undefined;
}

/** Names of the months, for typing a date the way the date picker reads it (local time). */
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Escapes text for use inside a RegExp. */
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface CardQuery {
  /** The card's first text (its heading) starts with this. */
  heading?: string;
  /** The card's text contains this (string: case-insensitive substring). */
  text?: string | RegExp;
  /** Where to look (a thread, say); default the whole page. */
  within?: Locator;
}

export class Playground {
  /** Everything the Playground logged about its traffic with the bot, in order. */
  readonly activities: PlaygroundActivity[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly page: Page,
    readonly context: BrowserContext,
    /** The team this Playground models: its channels are "<team> - <channel>". */
    readonly team: string = BOARD.teamName,
  ) {
    // The log panel's feed: one frame per request either way, sent once it has been answered.
    page.on('websocket', (ws) => {
      if (!ws.url().includes('/_ws/log/')) return;
      ws.on('framereceived', (frame) => this.onLogFrame(String(frame.payload)));
    });
  }

  private onLogFrame(payload: string): void {
    let frame: LogFrame;
    try {
      frame = JSON.parse(payload) as LogFrame;
    } catch {
      return;
    }
    const log = frame.log;
    if (!log?.activityName || !log.conversationId) return;
    const body = log.request?.body;
    this.activities.push({
      direction: log.from === 'User Application' ? 'fromBot' : 'toBot',
      activityName: log.activityName,
      conversationId: log.conversationId,
      conversationType: (body?.conversation as { conversationType?: string } | undefined)?.conversationType,
      status: log.response?.statusCode,
      text: typeof body?.text === 'string' ? body.text : undefined,
      activity: body,
    });
    for (const wake of [...this.waiters]) wake();
  }

  /** Waits until the Playground's log holds an exchange matching `predicate`; resolves with it. */
  async waitForActivity(
    predicate: (a: PlaygroundActivity) => boolean,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<PlaygroundActivity> {
    return this.waitUntil(() => this.activities.find(predicate), timeoutMs);
  }

  /**
   * Waits until the Playground's log holds at least `count` exchanges matching `predicate` (a
   * double click sends two invokes, say); resolves with all of them, in order.
   */
  async waitForActivities(
    predicate: (a: PlaygroundActivity) => boolean,
    count: number,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<PlaygroundActivity[]> {
    return this.waitUntil(() => {
      const found = this.activities.filter(predicate);
      return found.length >= count ? found : undefined;
    }, timeoutMs);
  }

  /** Resolves with `probe()` once it is defined, re-checking on every new log entry. */
  private async waitUntil<T>(probe: () => T | undefined, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<T> {
    const now = probe();
    if (now !== undefined) return now;
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = probe();
        if (value === undefined) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(
            `The Playground did not log the expected exchange within ${timeoutMs} ms; it logged:\n${this.describeActivities()}`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /** The Playground's traffic log, one line per exchange (for failure reports). */
  describeActivities(): string {
    return this.activities
      .map(
        (a) =>
          `${a.direction === 'toBot' ? '-> bot' : '<- bot'} ${a.activityName} ${a.status ?? ''} [${a.conversationId}]` +
          (a.text ? ` ${JSON.stringify(a.text.slice(0, 120))}` : ''),
      )
      .join('\n');
  }

  /**
   * Waits for the bot to have handled the personal chat's install (the Playground sends
   * installationUpdate and conversationUpdate on every load) and for every message it sent to the
   * chat to be on screen.
   */
  async settle(): Promise<void> {
    const isInstall = (name: string) => (a: PlaygroundActivity) =>
      a.direction === 'toBot' && a.activityName === name && a.conversationType === 'personal';
    await this.waitForActivity(isInstall('installationUpdate'));
    const update = await this.waitForActivity(isInstall('conversationUpdate'));
    const sent = this.activities.filter(
      (a) =>
        a.direction === 'fromBot' &&
        a.activityName === 'message' &&
        a.conversationId === update.conversationId,
    ).length;
    if (sent > 0)
      await this.page
        .locator(BOT_MESSAGE)
        .nth(sent - 1)
        .waitFor();
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  async hideLogPanel(): Promise<void> {
    const hide = this.page.locator('button[title="Hide log panel"]');
    if (await hide.isVisible()) {
      await hide.click();
      await hide.waitFor({ state: 'hidden' });
    }
  }

  // ---- conversations -------------------------------------------------------------------------

  async openPersonalChat(): Promise<void> {
    await this.page.getByRole('treeitem', { name: 'Personal Chat' }).click();
    // The channel view has a "Post" button; the chat view has one compose box and no "Post".
    await this.page.getByRole('button', { name: 'Post', exact: true }).waitFor({ state: 'detached' });
    await this.page.locator(EDITOR).last().waitFor();
  }

  /**
   * Opens a channel of the board's team. The first time, the Playground installs the bot there
   * (as Teams does); this waits until the bot has handled that and its posts are on screen.
   */
  async openChannel(channel: string = BOARD.generalChannelName, team: string = this.team): Promise<void> {
    const seen = (a: PlaygroundActivity) =>
      a.direction === 'toBot' && a.activityName === 'conversationUpdate' && a.conversationType === 'channel';
    const installedBefore = this.activities.some(seen);
    await this.page.getByRole('treeitem', { name: `${team} - ${channel}` }).click();
    await this.newPostBox().waitFor();
    if (installedBefore) return;
    const update = await this.waitForActivity(seen);
    const botPosts = this.activities.filter(
      (a) =>
        a.direction === 'fromBot' &&
        a.activityName === 'message' &&
        a.conversationId === update.conversationId,
    ).length;
    if (botPosts > 0)
      await this.threads()
        .nth(botPosts - 1)
        .waitFor();
  }

  /** The "Start a new post" editor of the channel on screen. */
  newPostBox(): Locator {
    return this.page
      .getByRole('group')
      .filter({ has: this.page.getByRole('button', { name: 'Post', exact: true }) })
      .locator(EDITOR);
  }

  /** The threads of the channel on screen, newest first; `containing` narrows them by text. */
  threads(containing?: string | RegExp): Locator {
    const all = this.page
      .getByRole('group')
      .filter({ has: this.page.getByRole('button', { name: 'Send Message' }) })
      .filter({ hasNot: this.page.getByRole('button', { name: 'Post', exact: true }) });
    return containing === undefined ? all : all.filter({ hasText: containing });
  }

  /** Types `text` into an editor, after a real @mention of `mention` when given. */
  private async compose(editor: Locator, text: string, mention?: string): Promise<void> {
    await editor.click();
    if (mention) {
      await this.page.keyboard.type(`@${mention.slice(0, 6)}`);
      await this.page.locator('#typeahead-menu').getByRole('menuitem', { name: mention }).click();
      await this.page.keyboard.type(' ');
    }
    await this.page.keyboard.type(text);
  }

  /** Messages the bot has handled whose text contains `text` (it counts repeats). */
  private turns(text: string): number {
    return this.activities.filter(
      (a) =>
        a.direction === 'toBot' &&
        a.activityName === 'message' &&
        a.status !== undefined &&
        a.text?.includes(text),
    ).length;
  }

  /** Waits until the bot has answered one more message containing `text` than `before`. */
  private async waitForTurn(text: string, before: number): Promise<void> {
    await this.waitUntil(() => (this.turns(text) > before ? true : undefined));
  }

  /**
   * Sends `text` in the personal chat (opening it first). Resolves once the bot has handled it,
   * so everything the bot replied is on its way to the screen.
   */
  async sendPersonal(text: string): Promise<void> {
    await this.openPersonalChat();
    const before = this.turns(text);
    await this.compose(this.page.locator(EDITOR).last(), text);
    await this.page.keyboard.press('Enter');
    await this.waitForTurn(text, before);
  }

  /**
   * Starts a new post in the channel, @mentioning the bot unless `mention: false` (then, as in
   * Teams, the bot never sees it). Resolves with the post's thread, once the bot has handled it.
   */
  async postInChannel(text: string, options: { mention?: boolean; channel?: string } = {}): Promise<Locator> {
    await this.openChannel(options.channel);
    const mention = options.mention !== false;
    const beforeTurns = this.turns(text);
    const beforeThreads = await this.threads(text).count();
    await this.compose(this.newPostBox(), text, mention ? BOT.name : undefined);
    await this.page.getByRole('button', { name: 'Post', exact: true }).click();
    await this.threads(text).nth(beforeThreads).waitFor();
    if (mention) await this.waitForTurn(text, beforeTurns);
    return this.threads(text).first();
  }

  /** Replies in a thread, @mentioning the bot unless `mention: false`; resolves once it is handled. */
  async replyInThread(thread: Locator, text: string, options: { mention?: boolean } = {}): Promise<void> {
    const mention = options.mention !== false;
    const before = this.turns(text);
    const editor = thread.locator(EDITOR);
    await this.compose(editor, text, mention ? BOT.name : undefined);
    await thread.getByRole('button', { name: 'Send Message' }).click();
    if (mention) await this.waitForTurn(text, before);
    else await editor.filter({ hasText: text }).waitFor({ state: 'detached' });
  }

  // ---- cards ---------------------------------------------------------------------------------

  /** All rendered Adaptive Cards matching the query, oldest first (within a thread: in order). */
  cards(query: CardQuery = {}): Locator {
    let cards = (query.within ?? this.page).locator(CARD);
    if (query.heading !== undefined) {
      // A card's text starts with its first TextBlock, so "headed X" is "text starts with X".
      cards = cards.filter({ hasText: new RegExp(`^\\s*${escapeRegExp(query.heading)}`) });
    }
    if (query.text !== undefined) cards = cards.filter({ hasText: query.text });
    return cards;
  }

  /** Waits for the newest card matching the query and returns it. */
  async waitForCard(query: CardQuery = {}, timeoutMs?: number): Promise<Locator> {
    const card = this.cards(query).last();
    await card.waitFor({ state: 'visible', ...(timeoutMs ? { timeout: timeoutMs } : {}) });
    return card;
  }

  /**
   * Runs `act` (a send, a click) and waits for one more card matching the query than there was
   * before: the answer to this turn, not an older card that happens to match.
   */
  async expectNewCard(query: CardQuery, act: () => Promise<unknown>, timeoutMs?: number): Promise<Locator> {
    const before = await this.cards(query).count();
    await act();
    const card = this.cards(query).nth(before);
    await card.waitFor({ state: 'visible', ...(timeoutMs ? { timeout: timeoutMs } : {}) });
    return card;
  }

  /** Clicks the card's button titled `title` (an Action.Execute, Submit or ShowCard). */
  async clickCardButton(card: Locator, title: string): Promise<void> {
    await card.getByRole('button', { name: title, exact: true }).click();
  }

  /**
   * Clicks an `Action.Execute` button, waits for the bot to answer the invoke, then for the newest
   * card matching `then`: the one that replaced the clicked card in place (e.g. `{ heading:
   * 'Actions' }`, or `{ text: 'Due 30 June' }` when a card is edited and keeps its heading).
   */
  async clickAndWaitForCard(card: Locator, title: string, then: CardQuery): Promise<Locator> {
    const invokes = () =>
      this.activities.filter((a) => a.direction === 'toBot' && a.activityName === 'invoke').length;
    const before = invokes();
    await this.clickCardButton(card, title);
    await this.waitUntil(() => (invokes() > before ? true : undefined));
    return this.waitForCard(then);
  }

  /**
   * The smallest part of a card (a Container, a row of a list card) that holds `text` and a button:
   * the row whose own "Done" to click when a list card has one per action.
   */
  cardSection(card: Locator, text: string | RegExp): Locator {
    const withButton = (l: Locator) =>
      l.filter({ hasText: text }).filter({ has: this.page.getByRole('button') });
    return withButton(card.locator('.ac-container')).filter({
      hasNot: withButton(this.page.locator('.ac-container')),
    });
  }

  /**
   * Sets a card's `Input.Date` (labelled `label`; open its ShowCard form first) to `isoDate`
   * (YYYY-MM-DD), typing it as the picker reads text, and checks the box then shows that day.
   */
  async fillCardDate(card: Locator, label: string, isoDate: string): Promise<void> {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
    if (!match) throw new Error(`fillCardDate wants YYYY-MM-DD, not "${isoDate}"`);
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const input = card.getByRole('combobox', { name: label, exact: true });
    await input.fill(`${day} ${MONTHS[month - 1]} ${year}`);
    // Enter would open the calendar over the form; leaving the box commits the typed date.
    await input.press('Tab');
    const shown = await input.inputValue();
    const parsed = new Date(Date.parse(shown));
    if (parsed.getFullYear() !== year || parsed.getMonth() !== month - 1 || parsed.getDate() !== day) {
      throw new Error(`The date picker "${label}" shows "${shown}", not ${isoDate}`);
    }
  }

  /**
   * Types `value` into a card's text input labelled `label` (open its ShowCard form first). A
   * required input's name ends with the renderer's " *", which the label here leaves out.
   */
  async fillCardField(card: Locator, label: string, value: string): Promise<void> {
    const input = card.getByLabel(new RegExp(`^${escapeRegExp(label)}(?:\\s*\\*)?$`));
    await input.fill(value);
    if ((await input.inputValue()) !== value) throw new Error(`The field "${label}" did not take "${value}"`);
  }

  /**
   * Picks `option` in a card's compact `Input.ChoiceSet` labelled `label` (a Fluent combobox whose
   * options open in a list outside the card), and checks the box then shows it.
   */
  async chooseCardOption(card: Locator, label: string, option: string): Promise<void> {
    const box = card.getByRole('combobox', { name: new RegExp(`^${escapeRegExp(label)}(?:\\s*\\*)?$`) });
    await box.click();
    const choice = this.page.getByRole('option', { name: option, exact: true });
    await choice.click();
    await choice.waitFor({ state: 'hidden' });
    const shown = await box.inputValue();
    if (shown !== option) throw new Error(`The choice "${label}" shows "${shown}", not "${option}"`);
  }

  /**
   * Picks `choice` (its title) in a card's compact `Input.ChoiceSet` labelled `label`. The
   * Playground draws it as a Fluent combobox, not a `<select>`: open it, click the option (its
   * list is drawn outside the card), and check the box then shows the choice.
   */
  async selectCardChoice(card: Locator, label: string | RegExp, choice: string): Promise<void> {
    const box = card.getByRole('combobox', { name: label });
    await box.click();
    const listbox = this.page.getByRole('listbox');
    await listbox.getByRole('option', { name: choice, exact: true }).click();
    await listbox.waitFor({ state: 'detached' });
    const shown = await box.inputValue();
    if (shown !== choice) throw new Error(`The choice "${String(label)}" shows "${shown}", not "${choice}"`);
  }

  /** The card's text as a person reads it (blocks on separate lines). */
  async cardText(card: Locator): Promise<string> {
    return (await card.innerText()).replace(/\n{2,}/g, '\n').trim();
  }

  /** The card's button titles, in order. */
  async cardButtons(card: Locator): Promise<string[]> {
    return card
      .getByRole('button')
      .evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? e.textContent ?? ''));
  }

  // ---- plain text ----------------------------------------------------------------------------

  /** Waits for a chat message (from anyone) containing `text`, outside the conversation list. */
  async waitForText(text: string | RegExp, within?: Locator): Promise<Locator> {
    const match = (within ?? this.page)
      .getByText(text)
      .and(this.page.locator(':not([role="treeitem"] *):not([role="treeitem"])'));
    await match.last().waitFor();
    return match.last();
  }

  // ---- evidence ------------------------------------------------------------------------------

  async screenshot(path: string, options: { fullPage?: boolean } = {}): Promise<void> {
    mkdirSync(dirname(path), { recursive: true });
    await this.page.screenshot({ path, fullPage: options.fullPage ?? false });
  }
}
