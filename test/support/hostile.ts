import fc from 'fast-check';
import { pino, type Logger } from 'pino';
import type { Router } from '../../bot/routing/router.js';
import type { ListsLayer } from '../../bot/sharepoint/index.js';
import { LIST_NAMES, type ListName } from '../../bot/sharepoint/schema.js';
import { VERBS } from '../../cards/verbs.js';
import type { ListsService } from '../../infra/local/server.js';
import {
  click as agendaClick,
  formData as agendaForm,
  ROSTER as AGENDA_ROSTER,
} from './agenda-activities.js';
import { BEFORE as AGENDA_BEFORE } from '../fixtures/agenda-seed.js';
import { MEMBERS as CONSULT_MEMBERS, newForm as consultForm } from '../support/consult-harness.js';
import {
  cardAction,
  installed,
  invoke,
  message,
  PEOPLE,
  TENANT,
  type Person,
  type Where,
} from './activities.js';
import { logAsActionFetch } from './actions-activities.js';
import { startTestBot, type TestBot } from './bot-harness.js';

/**
 * Tools for the security and reliability suites: what the lists hold (to prove what changed and
 * what did not), a wait for the bot's background writes to settle, hostile strings and mutations
 * of real payloads for property-based tests, and a walk over the cards the bot sends back that
 * finds people's text rendered as markup.
 */

// ── the lists, before and after ──

interface StoredItem {
  etag: string;
  fields: Record<string, unknown>;
}

export type Snapshot = Record<ListName, Map<string, StoredItem>>;

/**
 * The columns that say whose an item is (and a title to read): enough to judge a change, while
 * the long ones (Details, Answers, References) stay on the server. The ETag tells any change.
 */
const OWNERSHIP: Record<ListName, readonly string[]> = {
  Actions: ['Title', 'ActionRef', 'Owners', 'OwnerIds', 'LoggedBy', 'Status', 'SourceKey'],
  Meetings: ['Title', 'MeetingRef', 'Status'],
  AgendaItems: ['Title', 'MeetingRef', 'ItemNumber'],
  Attendance: ['Title', 'MeetingRef', 'MemberId', 'Response'],
  Consultations: ['Title', 'ConsultationRef', 'Status'],
  Feedback: ['Title', 'ConsultationRef', 'RespondentId'],
  Deliveries: ['Title', 'Campaign', 'RecipientId', 'Status'],
  Conversations: ['Title', 'ConversationId', 'UserId', 'Active'],
};

/** Every item of every list (its ETag and whose it is), read through the bot's own lists layer. */
export async function snapshotLists(lists: ListsLayer): Promise<Snapshot> {
  const out = {} as Snapshot;
  for (const name of LIST_NAMES) {
    const repo = lists.repos[name] as unknown as {
      all(q: { select: readonly string[] }): Promise<{ id: string; etag: string; fields: unknown }[]>;
    };
    const items = await repo.all({ select: OWNERSHIP[name] });
    out[name] = new Map(
      items.map((i) => [i.id, { etag: i.etag, fields: i.fields as unknown as Record<string, unknown> }]),
    );
  }
  return out;
}

export interface Change {
  list: ListName;
  id: string;
  kind: 'added' | 'changed' | 'removed';
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

/** Items added, changed (by ETag) or removed between two snapshots. */
export function changesBetween(before: Snapshot, after: Snapshot): Change[] {
  const changes: Change[] = [];
  for (const list of LIST_NAMES) {
    const a = before[list];
    const b = after[list];
    for (const [id, item] of b) {
      const old = a.get(id);
      if (!old) changes.push({ list, id, kind: 'added', after: item.fields });
      else if (old.etag !== item.etag)
        changes.push({ list, id, kind: 'changed', before: old.fields, after: item.fields });
    }
    for (const [id, item] of a)
      if (!b.has(id)) changes.push({ list, id, kind: 'removed', before: item.fields });
  }
  return changes;
}

/**
 * Waits until the lists service has seen no request for a little while: the bot stores
 * conversation references in the background after it has answered, and a test that counts
 * requests must not count those.
 */
export async function listsSettled(lists: Pick<ListsService, 'stats'>, quietMs = 60): Promise<void> {
  let last = -1;
  for (;;) {
    const now = lists.stats().requests;
    if (now === last) return;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}

// ── hostile strings and payloads ──

/** Appears in every piece of markup the generators plant; the bot never writes it itself. */
export const CANARY = 'pwn';

/** Markdown and HTML that must never be rendered from someone's text, each carrying the canary. */
export const MARKUP = [
  `**${CANARY}**`,
  `*${CANARY}*`,
  `_${CANARY}_`,
  `[${CANARY}](https://evil.invalid/${CANARY})`,
  `- ${CANARY}`,
  `1. ${CANARY}`,
  `# ${CANARY}`,
  `<b>${CANARY}</b>`,
  `\`${CANARY}\``,
  `<at>${CANARY}</at>`,
] as const;

/** OData and URL syntax a filter built by string concatenation would trip over. */
export const ODATA = [
  "O'Brien",
  "' or 1 eq 1 or '",
  "x') or (ActionRef ne '",
  "''",
  '%27',
  '%27%20or%201%20eq%201',
  "\\'",
  "A-0001' or ActionRef ne 'x",
  '$filter=true',
  '../../lists',
  '?$top=5000',
  '#',
] as const;

const UNICODE = [
  '\u202eevil\u202c', // right-to-left override
  '\u200b\u200c\u200d\ufeff', // zero-width
  '👩🏽‍💼🏳️‍🌈', // emoji sequences
  'ﬁ Å Å', // ligature, composed and decomposed
  '\u0000\u0007\u001b[31m', // control characters
  '\ud800', // a lone surrogate
  'Ḁ̴̛͔̗̪̜̳̰̅̄̀̈́̈́͊̾͝', // stacked combining marks
  'ا‎لعربية עברית 中文 日本語',
] as const;

/** Text as a hostile or unlucky person might type it. */
export function userText(): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
    { weight: 3, arbitrary: fc.constantFrom(...MARKUP) },
    { weight: 2, arbitrary: fc.constantFrom(...ODATA) },
    { weight: 2, arbitrary: fc.constantFrom(...UNICODE) },
  );
  return fc.oneof(
    { weight: 8, arbitrary: fc.array(piece, { minLength: 1, maxLength: 5 }).map((p) => p.join(' ')) },
    // Long enough to pass every limit a card or column has, short of the HTTP body limit.
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...MARKUP), fc.integer({ min: 2_000, max: 70_000 }))
        .map(([m, n]) => `${m} ${'x'.repeat(n)}`),
    },
  );
}

/** Any JSON value, shallow, including the shapes forms never send. */
export function anyValue(extra: fc.Arbitrary<unknown> = userText()): fc.Arbitrary<unknown> {
  return fc.oneof(
    extra,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(''),
    fc.array(userText(), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 8 }), userText(), { maxKeys: 3 }),
  );
}

/** Keys forms never send, some of them dangerous to a careless merge. */
const EXTRA_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'verb',
  'msteams',
  'dialog',
  'id',
  'ActionRef',
  'etag',
  'role',
  'from',
] as const;

/**
 * A real payload, mutated: the same, a key dropped, a key given a value of the wrong type or
 * a forged one (someone else's reference), keys added, or no object at all.
 */
export function mutated(real: Record<string, unknown>, forged: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(real);
  const key = keys.length ? fc.constantFrom(...keys) : fc.constantFrom('ref', 'key', 'text');
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(real) },
    {
      weight: 2,
      arbitrary: key.map((k) => Object.fromEntries(Object.entries(real).filter(([x]) => x !== k))),
    },
    { weight: 4, arbitrary: fc.tuple(key, anyValue()).map(([k, v]) => ({ ...real, [k]: v })) },
    { weight: 3, arbitrary: fc.tuple(key, forged).map(([k, v]) => ({ ...real, [k]: v })) },
    {
      weight: 3,
      arbitrary: fc
        .dictionary(fc.oneof(fc.constantFrom(...EXTRA_KEYS), fc.string({ maxLength: 12 })), anyValue(), {
          minKeys: 1,
          maxKeys: 3,
        })
        .map((more) => Object.assign(JSON.parse(JSON.stringify(real)) as Record<string, unknown>, more)),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.shuffledSubarray(keys), userText())
        .map(([ks, text]) => ({ ...real, ...Object.fromEntries(ks.map((k) => [k, text])) })),
    },
    { weight: 1, arbitrary: fc.oneof(fc.constant(null), fc.constant([]), userText(), fc.integer()) },
  );
}

// ── what the bot sends back ──

export interface Leak {
  where: string;
  text: string;
}

const ESCAPED = /\\./g;
const RENDERED = [
  new RegExp(`\\*\\*${CANARY}\\*\\*`),
  new RegExp(`(^|[^*\\w])\\*${CANARY}\\*`),
  new RegExp(`(^|[^\\w])_${CANARY}_`),
  new RegExp(`\\[${CANARY}\\]\\(`),
  new RegExp(`(^|\\n)\\s*[-*+] ${CANARY}`),
  new RegExp(`(^|\\n)\\s*\\d+\\. ${CANARY}`),
  new RegExp(`(^|\\n)\\s*#+ ${CANARY}`),
  new RegExp(`\`${CANARY}\``),
];

/** True when this text, rendered as Adaptive Card markdown, would format planted markup. */
function rendersMarkup(text: string): boolean {
  const unescaped = text.replace(ESCAPED, '');
  return RENDERED.some((r) => r.test(unescaped));
}

/**
 * People's text rendered as markup: planted markup found unescaped where Adaptive Cards render
 * markdown (TextBlock text, Fact titles and values), and links or images that are not web links.
 * TextRuns are the right place for people's text and are not flagged.
 */
export function cardLeaks(node: unknown, path = 'card'): Leak[] {
  const leaks: Leak[] = [];
  const walk = (n: unknown, at: string): void => {
    if (Array.isArray(n)) return n.forEach((x, i) => walk(x, `${at}[${i}]`));
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (o.type === 'TextBlock' && typeof o.text === 'string' && rendersMarkup(o.text))
      leaks.push({ where: `${at} TextBlock`, text: o.text });
    if (o.type === 'FactSet' && Array.isArray(o.facts))
      for (const f of o.facts as { title?: unknown; value?: unknown }[])
        for (const part of [f.title, f.value])
          if (typeof part === 'string' && rendersMarkup(part))
            leaks.push({ where: `${at} Fact`, text: part });
    for (const key of ['url', 'iconUrl', 'backgroundImage'] as const) {
      const v = o[key];
      if (
        typeof v === 'string' &&
        (o.type === 'Action.OpenUrl' || o.type === 'Image' || key !== 'url') &&
        !/^https?:\/\//i.test(v)
      )
        leaks.push({ where: `${at} ${String(o.type)}.${key}`, text: v });
    }
    for (const [k, v] of Object.entries(o)) walk(v, `${at}.${k}`);
  };
  walk(node, path);
  return leaks;
}

/**
 * Leaks known and tolerated: none. A leak found later goes here with a test that reproduces it,
 * until it is fixed.
 */
const KNOWN_LEAKS: readonly { pattern: RegExp; what: string }[] = [];

/** Leaks other than the known ones. */
export function unknownLeaks(leaks: readonly Leak[]): string[] {
  return [
    ...new Set(
      leaks
        .filter((l) => !KNOWN_LEAKS.some((k) => k.pattern.test(l.text)))
        .map((l) => `${l.where.replace(/\[\d+\]/g, '[]')}: ${l.text.slice(0, 80)}`),
    ),
  ];
}

/** Text replies (not cards) that echo planted markup: Teams renders markdown in them too. */
export function textLeaks(bodies: readonly unknown[]): string[] {
  const found = new Set<string>();
  for (const b of bodies) {
    const o = (b ?? {}) as { type?: unknown; text?: unknown; value?: unknown; textFormat?: unknown };
    const text =
      // Teams shows a message with textFormat "plain" as written, markup and all.
      o.type === 'message' && typeof o.text === 'string' && o.textFormat !== 'plain'
        ? o.text
        : o.type === 'application/vnd.microsoft.activity.message' && typeof o.value === 'string'
          ? o.value
          : undefined;
    if (text && rendersMarkup(text)) found.add(text.slice(0, 100));
  }
  return [...found];
}

/** Adaptive Cards anywhere in something the bot sent: attachments, invoke answers, dialogs. */
export function cardsIn(body: unknown): unknown[] {
  const found: unknown[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (o.type === 'AdaptiveCard') {
      found.push(o);
      return;
    }
    Object.values(o).forEach(walk);
  };
  walk(body);
  return found;
}

// ── who may change what ──

export interface Sender {
  id: string;
  aadObjectId: string;
  name: string;
}

const has = (joined: unknown, value: string) =>
  String(joined ?? '')
    .split(';')
    .map((s) => s.trim().toLowerCase())
    .includes(value.toLowerCase());

/**
 * Changes a partner (or, with `stranger`, someone outside the board) was not entitled to make.
 * A partner may log actions, change actions they own or logged, answer consultations, answer for
 * their own attendance, and be sent messages; a stranger may do none of it. Either may leave
 * a trace of the conversations they talked to the bot from (`conversations`).
 */
export function unentitled(
  changes: Change[],
  sender: Sender,
  options: { stranger?: boolean; conversations?: ReadonlySet<string> } = {},
): string[] {
  const problems: string[] = [];
  const me = (v: unknown) => typeof v === 'string' && [sender.aadObjectId, sender.id].includes(v);
  for (const c of changes) {
    const before = c.before ?? {};
    const after = c.after ?? {};
    let ok = false;
    if (c.list === 'Conversations' && c.kind !== 'removed')
      ok = options.conversations?.has(String(after.ConversationId)) === true || me(after.UserId);
    else if (!options.stranger && c.kind !== 'removed') {
      switch (c.list) {
        case 'Actions':
          ok =
            c.kind === 'added'
              ? after.LoggedBy === sender.name
              : has(before.OwnerIds, sender.aadObjectId) ||
                has(before.Owners, sender.name) ||
                before.LoggedBy === sender.name;
          break;
        case 'Feedback':
          ok = me(after.RespondentId) && (c.kind === 'added' || me(before.RespondentId));
          break;
        case 'Attendance':
          ok = me(after.MemberId) && (c.kind === 'added' || me(before.MemberId));
          break;
        case 'Deliveries':
          ok = me(after.RecipientId);
          break;
        default:
          ok = false;
      }
    }
    if (!ok)
      problems.push(
        `${c.kind} in ${c.list} (${c.id}): ${JSON.stringify(c.before ?? {}).slice(0, 160)} → ${JSON.stringify(c.after ?? {}).slice(0, 160)}`,
      );
  }
  return problems;
}

// ── a bot with something to attack ──

const CHANNEL = '19:general@thread.tacv2';

/** Someone signed in to another organisation's tenant, talking to the bot in a personal chat. */
export const STRANGER: Person = {
  id: '29:mallory',
  aadObjectId: 'aad-mallory-outsider',
  name: 'Mallory Outsider',
};
const STRANGER_TENANT = 'tenant-elsewhere';

/** A real button or form as a card carried it: its data merged with its card's inputs. */
interface Harvested {
  verb: string;
  data: Record<string, unknown>;
}

export interface HostileBed {
  t: TestBot;
  /** Actions owned by the officer, by someone else, by the partner (logged by the officer), and logged by the partner. */
  refs: { officers: string; rachels: string; jakesByOfficer: string; jakesOwn: string };
  consultationRef?: string;
  meetingRef?: string;
  /** Every Action.Execute seen while using the bot as each role, by verb. */
  buttons: Map<string, Harvested[]>;
  /** Dialogs (task modules) by name, with what their forms submit. */
  dialogs: Map<string, Record<string, unknown>>;
  /** What "Log as action" submits for a real message. */
  logAsAction: Record<string, unknown>;
  /** Every declared verb, registered or not, and every registered one. */
  verbs: string[];
  /** References to other people's things, and ones that look like references but are not. */
  forgedRefs: string[];
  personal(who?: Person): Where;
  channel(): Where;
  /** As someone from another tenant. */
  asStranger<T extends { conversation: object; channelData: object }>(activity: T): T;
  close(): Promise<void>;
}

/** Inputs of a card as they would be submitted now: id → current value. */
export function inputsOf(card: unknown): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string')
      values[o.id] = typeof o.value === 'string' ? o.value : '';
    Object.values(o).forEach(walk);
  };
  walk(card);
  return values;
}

/** Inputs directly in a card, not in the cards its Action.ShowCard buttons reveal. */
function ownInputs(card: unknown): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const walk = (n: unknown, top: boolean): void => {
    if (Array.isArray(n)) return n.forEach((x) => walk(x, false));
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (o.type === 'AdaptiveCard' && !top) return;
    if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string')
      values[o.id] = typeof o.value === 'string' ? o.value : '';
    Object.values(o).forEach((x) => walk(x, false));
  };
  walk(card, true);
  return values;
}

/**
 * The buttons of a card, each with the inputs Teams would send with it: those of its own card
 * and of the cards around it (not of a sibling show-card), none with `associatedInputs: none`.
 */
function buttonsOf(card: unknown): { type: string; verb?: string; data: Record<string, unknown> }[] {
  const found: { type: string; verb?: string; data: Record<string, unknown> }[] = [];
  const walk = (n: unknown, inputs: Record<string, unknown>): void => {
    if (Array.isArray(n)) return n.forEach((x) => walk(x, inputs));
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (o.type === 'AdaptiveCard') inputs = { ...inputs, ...ownInputs(o) };
    if (o.type === 'Action.Execute' || o.type === 'Action.Submit') {
      const data = o.data && typeof o.data === 'object' ? (o.data as Record<string, unknown>) : {};
      found.push({
        type: o.type,
        ...(typeof o.verb === 'string' ? { verb: o.verb } : {}),
        data: { ...(o.associatedInputs === 'none' ? {} : inputs), ...data },
      });
    }
    Object.values(o).forEach((x) => walk(x, inputs));
  };
  walk(card, {});
  return found;
}

/** The dialogs registered on the router (it lists verbs and commands, not these). */
export function dialogNames(router: Router): string[] {
  const dialogs = (router as unknown as { dialogs?: Map<string, unknown> }).dialogs;
  return dialogs ? [...dialogs.keys()] : [];
}

/** Verbs whose buttons only show something: pressed while exploring, to find more cards. */
const LOOKING =
  /\.(show|topic|role|answer|refresh|status|sheet|items|more|edit|wedid|decisions\.form|changes)$/;

export async function startHostileBed(): Promise<HostileBed> {
  const t = await startTestBot({ MicrosoftAppTenantId: TENANT });
  const roster = new Map<string, { id: string; name: string; aadObjectId: string }>();
  for (const p of [...CONSULT_MEMBERS, ...AGENDA_ROSTER])
    roster.set(p.id, { id: p.id, name: p.name, aadObjectId: p.aadObjectId });
  t.connector.setMembers([...roster.values()]);
  const personal = (_who?: Person): Where => ({ serviceUrl: t.connector.serviceUrl });
  const channel = (): Where => ({
    serviceUrl: t.connector.serviceUrl,
    type: 'channel',
    conversationId: CHANNEL,
  });
  const verbs = t.bot.router.verbNames();
  const registered = new Set(verbs);

  const buttons = new Map<string, Harvested[]>();
  const dialogs = new Map<string, Record<string, unknown>>();
  const explored = new Set<string>();
  const toExplore: { who: Person; where: Where; verb: string; data: Record<string, unknown> }[] = [];
  const collect = (body: unknown, who: Person, where: Where) => {
    for (const card of cardsIn(body)) {
      for (const b of buttonsOf(card)) {
        if (b.type === 'Action.Execute' && b.verb) {
          const list = buttons.get(b.verb) ?? [];
          if (list.length < 4) list.push({ verb: b.verb, data: b.data });
          buttons.set(b.verb, list);
          const key = `${who.id}|${b.verb}|${JSON.stringify(b.data)}`;
          if (LOOKING.test(b.verb) && !explored.has(key)) {
            explored.add(key);
            toExplore.push({ who, where, verb: b.verb, data: b.data });
          }
        }
        const dialog = b.data.dialog;
        if (b.type === 'Action.Submit' && typeof dialog === 'string' && !dialogs.has(dialog))
          dialogs.set(dialog, b.data);
      }
    }
  };
  const say = async (text: string, who: Person, where: Where) => {
    const before = t.connector.calls.length;
    await t.post(message(text, who, where));
    for (const c of t.connector.calls.slice(before)) collect(c.body, who, where);
    return t.connector.calls.slice(before).map((c) => c.body ?? {});
  };
  const press = async (verb: string, data: Record<string, unknown>, who: Person, where: Where) => {
    const before = t.connector.calls.length;
    const res = await t.post(cardAction(verb, data, who, where));
    collect(res.body, who, where);
    for (const c of t.connector.calls.slice(before)) collect(c.body, who, where);
    return res.body as { type?: string; value?: unknown };
  };
  const refIn = (bodies: unknown[]) => /\bA-\d{4,7}\b/.exec(JSON.stringify(bodies))?.[0] ?? '';

  await t.post(installed(PEOPLE.officer, channel()));
  const refs = {
    officers: refIn(
      await say(
        'action Sonia Khan to circulate the draft strategy by 30 June 2031',
        PEOPLE.officer,
        personal(),
      ),
    ),
    rachels: refIn(
      await say('action Rachel Duke to book the venue by 30 June 2031', PEOPLE.officer, personal()),
    ),
    jakesByOfficer: refIn(
      await say('action Jake Ferguson to chase the CCG by 30 June 2031', PEOPLE.officer, personal()),
    ),
    jakesOwn: refIn(
      await say('action write to the VCS partners by 30 June 2031', PEOPLE.partner, personal()),
    ),
  };

  let consultationRef: string | undefined;
  if (registered.has('consult.open')) {
    const opened = await press('consult.open', consultForm(new Date()), PEOPLE.officer, channel());
    consultationRef = /\bC-\d{4,7}\b/.exec(JSON.stringify(opened))?.[0];
    await t.bot.consultations.service.settled();
  }
  let meetingRef: string | undefined;
  if (registered.has('agenda.create') && registered.has('agenda.publish')) {
    const created = (
      await t.post(agendaClick('agenda.create', agendaForm(), PEOPLE.officer, channel(), AGENDA_BEFORE))
    ).body;
    collect(created, PEOPLE.officer, channel());
    meetingRef = /\bM-\d{4,7}\b/.exec(JSON.stringify(created))?.[0];
    if (meetingRef) {
      const before = t.connector.calls.length;
      const published = await t.post(
        agendaClick(
          'agenda.publish',
          { ref: meetingRef, members: false },
          PEOPLE.officer,
          channel(),
          AGENDA_BEFORE,
        ),
      );
      collect(published.body, PEOPLE.officer, channel());
      for (const c of t.connector.calls.slice(before)) collect(c.body, PEOPLE.partner, channel());
    }
  }

  // Use the bot as each role would, keeping every button and form it shows.
  const people = [PEOPLE.officer, PEOPLE.chair, PEOPLE.partner];
  const texts = [
    'help',
    'actions',
    'actions mine',
    `action ${refs.jakesOwn}`,
    `action ${refs.officers}`,
    'consult',
    'agenda',
  ];
  for (const who of people) for (const text of texts) await say(text, who, personal(who));
  for (const text of [
    'consult new',
    'agenda new',
    'consult status',
    'actions import\nSend the minutes — Sonia Khan — 30 June 2031',
  ])
    await say(text, PEOPLE.officer, channel());
  while (toExplore.length) {
    const next = toExplore.shift()!;
    await press(next.verb, next.data, next.who, next.where);
  }
  for (const name of new Set([...dialogNames(t.bot.router), ...dialogs.keys()])) {
    const fetched = await t.post(
      invoke(
        'task/fetch',
        { data: { ...(dialogs.get(name) ?? {}), dialog: name } },
        PEOPLE.officer,
        channel(),
      ),
    );
    const card = cardsIn(fetched.body)[0];
    dialogs.set(name, { ...(dialogs.get(name) ?? {}), ...(card ? inputsOf(card) : {}), dialog: name });
    if (card) collect(card, PEOPLE.officer, channel());
  }
  const fetched = await t.post(
    logAsActionFetch(
      PEOPLE.partner,
      { ...channel() },
      { id: '1700000000001', html: '<p>Jake to send the figures by 30 June 2031</p>' },
    ),
  );
  const dialogCard = cardsIn(fetched.body)[0];
  const logAsAction = dialogCard ? inputsOf(dialogCard) : {};
  for (const b of dialogCard ? buttonsOf(dialogCard) : []) Object.assign(logAsAction, b.data);

  const forgedRefs = [
    ...Object.values(refs),
    ...(consultationRef ? [consultationRef] : []),
    ...(meetingRef ? [meetingRef] : []),
    'A-9999999',
    'C-0099',
    'M-0099',
    "A-0001' or 1 eq 1",
    'A-00001',
    '1',
    '../1',
  ];

  return {
    t,
    refs,
    ...(consultationRef ? { consultationRef } : {}),
    ...(meetingRef ? { meetingRef } : {}),
    buttons,
    dialogs,
    logAsAction,
    verbs: [...new Set([...Object.values(VERBS).map((v) => v.name), ...verbs])],
    forgedRefs,
    personal,
    channel,
    asStranger(activity) {
      return {
        ...activity,
        conversation: { ...activity.conversation, tenantId: STRANGER_TENANT },
        channelData: { ...activity.channelData, tenant: { id: STRANGER_TENANT } },
      };
    },
    close: () => t.close(),
  };
}

/** A verb's data as a real card carries it; for a verb not seen, the reference it would carry. */
export function realData(bed: HostileBed, verb: string): Record<string, unknown> {
  const seen = bed.buttons.get(verb)?.[0]?.data;
  if (seen) return seen;
  const ref = verb.startsWith('consult.')
    ? bed.consultationRef
    : verb.startsWith('agenda.')
      ? bed.meetingRef
      : verb.startsWith('actions.')
        ? bed.refs.jakesOwn
        : undefined;
  return ref ? { ref } : {};
}

// ── small deterministic helpers ──

export { seededRandom } from '../../infra/local/faults.js';

/** 1 → "a", 26 → "z", 27 → "aa": tokens without digits, which the date parser leaves alone. */
export function letters(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(97 + ((k - 1) % 26)) + s;
  return s;
}

// ── the bot's own logs ──

export interface CapturedLogs {
  logger: Logger;
  /** Every line logged at warn or above, parsed. */
  entries: { level: number; msg: string; [key: string]: unknown }[];
}

/** A pino logger that keeps what it logs, to count the retries a run caused. */
export function capturingLogger(level = 'warn'): CapturedLogs {
  const entries: CapturedLogs['entries'] = [];
  const logger = pino(
    { level },
    {
      write(line: string) {
        entries.push(JSON.parse(line) as CapturedLogs['entries'][number]);
      },
    },
  );
  return { logger, entries };
}

export { fc };
