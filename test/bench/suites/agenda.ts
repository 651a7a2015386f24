import { LIMITS, type ItemState } from '../../../bot/features/agenda/model.js';
import { PACK_BUDGET_BYTES, renderPack } from '../../../bot/features/agenda/render.js';
import { toItemViews, whenText } from '../../../bot/features/agenda/views.js';
import { formatLongDate } from '../../../bot/dates/london.js';
import { cardBytes, type AdaptiveCard } from '../../../cards/adaptive.js';
import {
  attendanceReminderCard,
  supplementNoticeCard,
  type PackView,
  type ViewerView,
} from '../../../cards/agenda.js';
import { cardAction, installed, message, PEOPLE, type Person, type Where } from '../../support/activities.js';
import { cardText } from '../../support/cards.js';
import { startConnector, type ConnectorStandIn, type RecordedCall } from '../../support/connector.js';
import { formData } from '../../support/agenda-activities.js';
import { BOARD, CHAIR, ITEMS, SUPPLEMENT, VENUE } from '../../fixtures/agenda-seed.js';
import { postActivity, type BotAnswer } from '../lib/bot-client.js';
import { sleep } from '../lib/http.js';
import { startListsChild, startTsxBot } from '../lib/stack.js';
import { round } from '../lib/stats.js';
import { atMost, info, type BenchContext, type Row, type Suite, type SuiteResult } from '../types.js';

/**
 * Issue 5's figure: "the pack card stays under 40 KB: a long pack becomes a summary card plus item
 * cards, never a failed send". Two parts:
 *
 * 1. Every card a pack is sent as, built by the real card functions (`renderPack`, as publishing
 *    uses it): the seed's meeting (the Community Strategy Partnership Board of 26 February 2018),
 *    a long pack, and packs at every limit the validator allows, in English and in Bengali (three
 *    bytes a character). Each card's size against 40 KB, and how many cards each became.
 * 2. The publishing path over HTTP: the bot as its own process against the local lists service,
 *    an officer publishing the seed's pack and a long imported pack to the channel and to each of
 *    the board's partners, through a connector stand-in that records every message. The largest
 *    message, and the time to post to the channel and to every partner.
 */

const KB = 1024;
const TARGET_KB = 40;
const PARTNERS = 20;
const CHANNEL = '19:general@thread.tacv2';
const STARTS = '2031-03-03T10:00:00.000Z';

// ── packs ──

/** `unit` repeated to exactly `n` characters. */
const fill = (unit: string, n: number) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

interface PackCase {
  label: string;
  view: PackView;
  /** Why this pack. */
  about: string;
}

function packView(items: ItemState[], extra: Partial<PackView> = {}): PackView {
  return {
    ref: 'M-0042',
    board: BOARD,
    status: 'Published',
    version: 1,
    when: whenText(STARTS, items),
    venue: VENUE,
    chair: CHAIR,
    supplements: [],
    items: toItemViews(STARTS, items),
    counts: { attending: 12, apologies: 2, substitutes: 1, notAnswered: PARTNERS - 14 },
    started: false,
    ...extra,
  };
}

const seedItems = (): ItemState[] => ITEMS.map((i) => ({ ...i, papers: i.papers.map((p) => ({ ...p })) }));

/** A long agenda as boards write them: long titles, several papers, a line of detail. */
function longItems(n: number): ItemState[] {
  return Array.from({ length: n }, (_, i) => ({
    number: String(i + 1),
    title: `Partnership report ${i + 1} on the Community Strategy priorities: progress against the policy commitments on tackling poverty and inequality, the housing crisis and a greener borough, quarter ${(i % 4) + 1} update`,
    presenter: i % 2 ? 'Stephen Haynes, Director of Strategy, Policy and Economic Development' : 'Sonia Khan',
    minutes: 5,
    purpose: 'To note',
    papers: Array.from({ length: 5 }, (_, p) => ({
      title: `${['Report', 'Appendix A: policy commitments', 'Appendix B: equality impact assessment', 'Slides', 'Minutes of the working group'][p]}`,
      url: `https://example.org/hackney/community-strategy/2031/partnership-report-${i + 1}/${p + 1}-${'document'.repeat(6)}.pdf`,
    })),
    details: 'The board is asked to note the progress made and the risks set out in section 4. '.repeat(6),
  }));
}

/** Every item at every limit the validator allows (`LIMITS`), in the given script. */
function itemsAtLimits(unit: string, urlLength: number): ItemState[] {
  return Array.from({ length: LIMITS.items }, (_, i) => ({
    number: String(i + 1),
    title: fill(unit, LIMITS.title),
    presenter: fill(unit, LIMITS.presenter),
    minutes: 5,
    purpose: 'For discussion',
    papers: Array.from({ length: LIMITS.papersPerItem }, (_, p) => {
      const url = `https://example.org/hackney/${i + 1}/${p + 1}/`;
      return {
        title: fill(unit, LIMITS.paperTitle),
        url: `${url}${'x'.repeat(urlLength - url.length - 4)}.pdf`,
      };
    }),
    details: fill(unit, LIMITS.details),
  }));
}

function packCases(): PackCase[] {
  const seed = seedItems();
  const english = 'Partnership report on the Community Strategy priorities ';
  const bengali = 'কমিউনিটি স্ট্র্যাটেজি অংশীদারিত্ব বোর্ডের প্রতিবেদন ';
  const limitsExtra = (unit: string): Partial<PackView> => ({
    board: fill(unit, LIMITS.board),
    venue: fill(unit, LIMITS.venue),
    chair: fill(unit, LIMITS.chair),
  });
  return [
    {
      label: 'the seed meeting',
      view: packView(seed),
      about: `the Community Strategy Partnership Board of 26 February 2018: ${seed.length} items, 3 papers`,
    },
    {
      label: 'the seed meeting with supplement 1',
      view: packView(
        seed.map((i) =>
          i.number === SUPPLEMENT.item
            ? { ...i, papers: [...i.papers, { title: SUPPLEMENT.title, url: SUPPLEMENT.url, supplement: 1 }] }
            : i,
        ),
        { version: 2, supplements: [{ number: 1, date: '19 December', note: SUPPLEMENT.note }] },
      ),
      about: 'the same pack after the supplementary paper (slides for item 3)',
    },
    {
      label: 'a long pack of 50 items',
      view: packView(longItems(50)),
      about: '50 items, each with a 200-character title, 5 papers and a paragraph of detail',
    },
    {
      label: `${LIMITS.items} items at every limit`,
      view: packView(itemsAtLimits(english, 200), limitsExtra(english)),
      about: `${LIMITS.items} items (the most a pack may have), every text at its limit (title ${LIMITS.title}, presenter ${LIMITS.presenter}, ${LIMITS.papersPerItem} papers with ${LIMITS.paperTitle}-character titles, details ${LIMITS.details}), 200-character links`,
    },
    {
      label: `${LIMITS.items} items at every limit, in Bengali`,
      view: packView(itemsAtLimits(bengali, 200), limitsExtra(bengali)),
      about: 'as above with every text in Bengali, three bytes a character in UTF-8',
    },
    {
      label: `${LIMITS.items} items at every limit, ${LIMITS.url}-character links`,
      view: packView(itemsAtLimits(english, LIMITS.url), limitsExtra(english)),
      about: `as above with every link at the longest allowed (${LIMITS.url} characters)`,
    },
  ];
}

interface SentCard {
  pack: string;
  what: string;
  bytes: number;
}

/** Every card one pack goes out as (or is shown as), by the functions publishing and the handlers use. */
function cardsOf(c: PackCase): {
  cards: SentCard[];
  channelCards: number;
  parts: number;
  personalButtons: number;
  /** The first item the personal copy's summary has no button for, if any. */
  unreachableFrom?: string;
} {
  const vm = c.view;
  const cards: SentCard[] = [];
  const add = (what: string, card: AdaptiveCard) =>
    cards.push({ pack: c.label, what, bytes: cardBytes(card) });
  const member: ViewerView = { role: 'member' };
  // The channel post: the pack card, or the summary with the item cards in its thread.
  const channel = renderPack(vm, member, { inThread: true });
  add(channel.parts.length ? 'channel summary' : 'channel pack card', channel.main);
  channel.parts.forEach((p, i) => add(`item card ${i + 1} of ${channel.parts.length}`, p));
  // Each member's personal copy, and the same shown on request ("agenda show").
  const personal = renderPack(vm, { role: 'member', personal: true });
  add(personal.parts.length ? 'personal summary' : 'personal copy', personal.main);
  personal.parts.forEach((p, i) => add(`item card ${i + 1}, opened from the summary`, p));
  // The officer's view, with the supplement form.
  add('officer’s view', renderPack(vm, { role: 'officer' }, { supplementKey: 'c'.repeat(24) }).main);
  // What follows publication: the day-before reminder, a supplement's notice in the thread.
  add('attendance reminder', attendanceReminderCard(vm));
  const supplement = vm.supplements[0];
  if (supplement)
    add(
      'supplement notice',
      supplementNoticeCard(
        vm,
        supplement,
        vm.items.flatMap((i) => i.papers.filter((p) => p.supplement === supplement.number)),
      ),
    );
  const buttons = JSON.stringify(personal.main).match(/"verb":"agenda\.items"/g)?.length ?? 0;
  const unreachableFrom = personal.partViews[buttons]?.from;
  return {
    cards,
    channelCards: 1 + channel.parts.length,
    parts: channel.parts.length,
    personalButtons: buttons,
    ...(unreachableFrom ? { unreachableFrom } : {}),
  };
}

// ── the publishing path over HTTP ──

interface Published {
  ref: string;
  /** From the officer's click to the bot's answer: the channel post (and a long pack's item cards) sent. */
  channelMs: number;
  /** From the click until every partner's personal copy had arrived. */
  partnersMs: number;
  /** Messages the connector took: the channel post, item cards in its thread, personal copies. */
  channelPosts: number;
  /** Of those, a long pack's item cards (in the post's thread; the stand-in's activity ids are not Teams' numbers, so the bot addresses them to the channel itself). */
  itemCards: number;
  personalCopies: number;
  largestBytes: number;
  largestWhat: string;
  overTarget: number;
}

const isSend = (c: RecordedCall) =>
  (c.method === 'POST' || c.method === 'PUT') && c.path.includes('/activities');
const bytesOf = (c: RecordedCall) => Buffer.byteLength(JSON.stringify(c.body ?? {}));

async function publishOverHttp(
  post: (activity: unknown) => Promise<BotAnswer>,
  connector: ConnectorStandIn,
  where: Where,
  ref: string,
  timeoutMs = 60_000,
): Promise<Published> {
  const from = connector.calls.length;
  const started = performance.now();
  const answer = await post(cardAction('agenda.publish', { ref, members: true }, PEOPLE.officer, where));
  const channelMs = performance.now() - started;
  const text = cardText((answer.body as { value?: unknown } | undefined)?.value);
  if (answer.status !== 200 || !text.includes('Published'))
    throw new Error(
      `publishing ${ref} answered ${answer.status}: ${text.slice(0, 400) || JSON.stringify(answer.body)}`,
    );
  const personal = () =>
    connector.calls.slice(from).filter((c) => isSend(c) && c.conversationId?.startsWith('a:proactive'));
  const deadline = performance.now() + timeoutMs;
  while (personal().length < PARTNERS) {
    if (performance.now() > deadline)
      throw new Error(`only ${personal().length} of ${PARTNERS} personal copies of ${ref} arrived`);
    await sleep(10);
  }
  const partnersMs = performance.now() - started;
  const sends = connector.calls.slice(from).filter(isSend);
  const inChannel = sends.filter((c) => c.conversationId?.startsWith(CHANNEL));
  let largest: RecordedCall | undefined;
  for (const c of sends) if (!largest || bytesOf(c) > bytesOf(largest)) largest = c;
  const where_ = (c: RecordedCall) =>
    c.conversationId?.startsWith('a:proactive')
      ? 'a personal copy'
      : c === inChannel[0]
        ? 'the channel post'
        : 'an item card in its thread';
  return {
    ref,
    channelMs,
    partnersMs,
    channelPosts: inChannel.length,
    itemCards: Math.max(0, inChannel.length - 1),
    personalCopies: personal().length,
    largestBytes: largest ? bytesOf(largest) : 0,
    largestWhat: largest ? where_(largest) : '',
    overTarget: sends.filter((c) => bytesOf(c) >= TARGET_KB * KB).length,
  };
}

/** "agenda import" text for a long pack, in the board's own style, for a meeting four weeks ahead. */
function outline(items: ItemState[], day: string): string {
  return [
    'Community Strategy Partnership Board',
    `Date: ${formatLongDate(day)}, 10am`,
    `Venue: ${VENUE}`,
    `Chair: ${CHAIR}`,
    ...items.map((i) =>
      [
        `${i.number}. ${i.title} (${i.presenter}) (${i.minutes} minutes) to note`,
        ...i.papers.map((p) => `   paper: ${p.title} ${p.url}`),
      ].join('\n'),
    ),
  ].join('\n');
}

async function overHttp(ctx: BenchContext): Promise<{ seed: Published; long: Published; longItems: number }> {
  const lists = await startListsChild(ctx);
  const connector = await startConnector();
  try {
    const partners: Person[] = Array.from({ length: PARTNERS }, (_, i) => {
      const n = String(i + 1).padStart(2, '0');
      return { id: `29:partner-${n}`, aadObjectId: `aad-partner-${n}`, name: `Partner ${n}` };
    });
    connector.setMembers([PEOPLE.officer, ...partners]);
    const bot = await startTsxBot(ctx, {
      label: 'bot',
      graphBaseUrl: lists.graphBaseUrl,
      env: { BOARD_OFFICERS: PEOPLE.officer.aadObjectId },
      logName: 'agenda-bot.log',
    });
    const post = (activity: unknown) => postActivity(bot.url, activity);
    const where: Where = { serviceUrl: connector.serviceUrl, type: 'channel', conversationId: CHANNEL };
    await post(installed(PEOPLE.officer, where));
    const day = new Date(Date.now() + 28 * 86_400_000).toISOString().slice(0, 10);

    ctx.log('over HTTP: the seed pack, from the form, published to the channel and each partner');
    const created = await post(
      cardAction(
        'agenda.create',
        formData({ date: day, key: 'be0cbe0cbe0cbe0cbe0cbe0c' }),
        PEOPLE.officer,
        where,
      ),
    );
    const seedRef = /\bM-\d{4,7}\b/.exec(JSON.stringify(created.body))?.[0];
    if (!seedRef) throw new Error(`no draft from the form: ${JSON.stringify(created.body).slice(0, 400)}`);
    const seed = await publishOverHttp(post, connector, where, seedRef);

    const items = longItems(50).map(({ details: _details, ...i }) => i);
    ctx.log(`over HTTP: a long pack of ${items.length} items, pasted after "agenda import", then published`);
    const paste = message(`agenda import\n${outline(items, day)}`, PEOPLE.officer, where);
    await post(paste);
    const reply = connector.calls.find((c) => c.method === 'POST' && c.activityId === paste.id);
    const longRef = /\bM-\d{4,7}\b/.exec(JSON.stringify(reply?.body ?? {}))?.[0];
    if (!longRef || longRef === seedRef)
      throw new Error(`no draft from the paste: ${JSON.stringify(reply?.body ?? {}).slice(0, 400)}`);
    const long = await publishOverHttp(post, connector, where, longRef);
    await bot.child.stop();
    return { seed, long, longItems: items.length };
  } finally {
    await connector.close();
    await lists.child.stop();
  }
}

// ── the suite ──

const kb = (bytes: number) => round(bytes / KB, 1);

export const agenda: Suite = {
  name: 'agenda',
  issue: 5,
  title: 'Agenda packs: every card under 40 KB',
  description:
    'The size of every card an agenda pack is sent as (the seed’s meeting, a long pack, packs at every limit), how many cards a long pack becomes, and the time to publish a pack to the channel and to each partner over HTTP.',

  async run(ctx): Promise<SuiteResult> {
    const rows: Row[] = [];
    const cases = packCases();
    const all: SentCard[] = [];
    const perPack: Record<string, unknown> = {};
    ctx.log('cards from the card functions');
    for (const c of cases) {
      const { cards, channelCards, parts, personalButtons, unreachableFrom } = cardsOf(c);
      all.push(...cards);
      const largest = cards.reduce((a, b) => (b.bytes > a.bytes ? b : a));
      perPack[c.label] = {
        about: c.about,
        channelCards,
        cards: cards.map((x) => ({ what: x.what, bytes: x.bytes })),
      };
      rows.push(
        atMost(`largest card, ${c.label}`, kb(largest.bytes), 'KB', TARGET_KB, {
          note: `${largest.what}; ${cards.length} cards checked (channel, personal copy, officer’s view, reminder${c.view.supplements.length ? ', supplement notice' : ''}); ${c.about}`,
        }),
      );
      if (parts)
        rows.push(
          info(
            `cards in the channel, ${c.label}`,
            channelCards,
            'cards',
            `a summary and ${parts} item cards in its thread; ${
              unreachableFrom
                ? `the personal copy’s summary has buttons for the first ${personalButtons} item cards only: items ${unreachableFrom}–${c.view.items.length} cannot be opened from it`
                : 'the personal copy’s summary opens each of them'
            }`,
          ),
        );
      ctx.log(
        `  ${c.label}: ${channelCards} card(s) in the channel; largest ${kb(largest.bytes)} KB (${largest.what})`,
      );
    }
    const largest = all.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    rows.unshift(
      atMost('largest card of any pack', kb(largest.bytes), 'KB', TARGET_KB, {
        note: `${largest.what} of ${largest.pack}, of ${all.length} cards; the renderer splits at ${kb(PACK_BUDGET_BYTES)} KB to leave room for the message around the card`,
      }),
    );

    const http = await overHttp(ctx);
    ctx.log(
      `  seed: channel ${round(http.seed.channelMs)} ms, ${PARTNERS} partners ${round(http.seed.partnersMs)} ms; long: ${http.long.channelPosts} cards in the channel, ${round(http.long.channelMs)} ms, partners ${round(http.long.partnersMs)} ms`,
    );
    const largestSent = [http.seed, http.long].reduce((a, b) => (b.largestBytes > a.largestBytes ? b : a));
    rows.push(
      atMost('largest message sent over HTTP', kb(largestSent.largestBytes), 'KB', TARGET_KB, {
        note: `the whole activity as the connector received it (${largestSent.largestWhat} of the ${largestSent === http.long ? 'long' : 'seed'} pack); ${http.seed.channelPosts + http.seed.personalCopies + http.long.channelPosts + http.long.personalCopies} messages in all, ${http.seed.overTarget + http.long.overTarget} of them 40 KB or more`,
      }),
      info(
        `cards in the channel, the long pack of ${http.longItems} items published`,
        http.long.channelPosts,
        'cards',
        `pasted after "agenda import" (no detail lines) and published: a summary and ${http.long.itemCards} item cards in its thread`,
      ),
      info(
        'publish the seed pack: to the channel',
        round(http.seed.channelMs),
        'ms',
        'from the officer’s Publish to the bot’s answer, the channel post sent',
      ),
      info(
        `publish the seed pack: to the channel and ${PARTNERS} partners`,
        round(http.seed.partnersMs),
        'ms',
        `until the last of ${http.seed.personalCopies} personal copies arrived (each a new 1:1 chat and a send)`,
      ),
      info(
        `publish the long pack: to the channel`,
        round(http.long.channelMs),
        'ms',
        `the summary and its ${http.long.itemCards} item cards, paced to Teams’ per-conversation limits`,
      ),
      info(
        `publish the long pack: to the channel and ${PARTNERS} partners`,
        round(http.long.partnersMs),
        'ms',
        `until the last of ${http.long.personalCopies} personal copies (the summary) arrived`,
      ),
    );
    return {
      rows,
      notes: [
        'Sizes are of the card JSON as `renderPack` builds it for publishing (`bot/features/agenda/render.ts`), in UTF-8 bytes; Teams refuses a message over about 40 KB. Each pack is rendered as every viewer gets it: the channel post (and a long pack’s item cards in its thread), a member’s personal copy (and the item cards its buttons open), the officer’s view, the day-before reminder and, after a supplement, its notice.',
        `The packs at every limit are the worst the validator lets through (\`LIMITS\` in \`bot/features/agenda/model.ts\`: at most ${LIMITS.items} items, ${LIMITS.papersPerItem} papers an item, ${LIMITS.url}-character links); a longer agenda is refused with a message when it is saved, so it never reaches a send.`,
        `Over HTTP the bot runs as its own process against the local lists service and a connector stand-in in the runner; the channel has the officer and ${PARTNERS} partners. The seed pack comes from the form, the long pack from an "agenda import" paste; each is published with "send to each member", so every partner gets a personal copy through a new 1:1 chat. Times are from one run on loopback and include the bot pacing itself to Teams’ rate limits.`,
      ],
      raw: { cards: perPack, http },
    };
  },
};
