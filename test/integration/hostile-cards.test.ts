import { describe, expect, it } from 'vitest';
import { cardAction, invoke, message, PEOPLE, type Person, type Where } from '../support/activities.js';
import {
  CANARY,
  cardLeaks,
  cardsIn,
  changesBetween,
  fc,
  MARKUP,
  mutated,
  ODATA,
  realData,
  snapshotLists,
  startHostileBed,
  STRANGER,
  unentitled,
  userText,
  type Leak,
  unknownLeaks,
  textLeaks,
} from '../support/hostile.js';
import { useStarted } from '../support/use-test-bot.js';

/**
 * Card buttons (`adaptiveCard/action`) with hostile data, for every declared verb — those of the
 * features being written now included, as they appear in cards/verbs.ts and on the router. The
 * data starts from what real cards carry and is mutated: wrong types, keys missing or added,
 * huge, unicode and markup strings, OData quotes, and references to other people's actions,
 * consultations and meetings. From a partner and from someone outside the board, nothing may
 * answer 5xx, nothing may change that the sender was not entitled to change (the lists are read
 * before and after), and no card the bot sends back may render their text as markup.
 */

const bed = useStarted(startHostileBed, (b) => b.close());
/** Everything the bot answered with, to look for rendered markup at the end. */
const answered: unknown[] = [];

type Who = 'partner' | 'partnerInChannel' | 'stranger';

function activityFor(who: Who, verb: string, data: unknown) {
  const where: Where = who === 'partnerInChannel' ? bed.channel() : bed.personal();
  const from: Person = who === 'stranger' ? STRANGER : PEOPLE.partner;
  const activity = cardAction(verb, data as Record<string, unknown>, from, where);
  return who === 'stranger' ? bed.asStranger(activity) : activity;
}

async function press(activity: unknown): Promise<number> {
  const res = await bed.t.post(activity);
  answered.push(res.body);
  return res.status;
}

/** Conversations the sender talked to the bot from: leaving a trace there is bookkeeping. */
const conversationsOf = (who: Who) =>
  new Set(
    who === 'stranger'
      ? [`a:personal-${STRANGER.aadObjectId}`]
      : [`a:personal-${PEOPLE.partner.aadObjectId}`, '19:general@thread.tacv2'],
  );

/** Keys that carry references and keys rather than what people write. */
const REFERENCE_KEY = /^(ref|key|item|id|fp|verb|dialog|at|slot|messageKey|view|topic)$/i;

/** The same data with every string replaced; with `texts`, only what people write. */
const everyString = (data: Record<string, unknown>, value: string, texts = false) =>
  Object.fromEntries(
    Object.entries(data).map(([k, v]) => [
      k,
      typeof v === 'string' && !(texts && REFERENCE_KEY.test(k)) ? value : v,
    ]),
  );

/** The fixed ways each verb's real data is mutated, before the random ones. */
function variants(verb: string): { name: string; data: unknown; raw?: string }[] {
  const real = realData(bed, verb);
  const refKeys = Object.keys(real).filter((k) => /ref|item|key|id$/i.test(k));
  return [
    { name: 'as a real card sends it', data: real },
    { name: 'empty', data: {} },
    { name: 'null', data: null },
    { name: 'an array', data: [real] },
    { name: 'a string', data: JSON.stringify(real) },
    { name: 'every value a number', data: Object.fromEntries(Object.keys(real).map((k) => [k, 42])) },
    {
      name: 'every value an object',
      data: Object.fromEntries(Object.keys(real).map((k) => [k, { $ne: null }])),
    },
    { name: 'markup in every string', data: everyString(real, MARKUP.join(' ')) },
    { name: 'markup in what people write', data: everyString(real, MARKUP.join(' '), true) },
    { name: 'OData quotes in what people write', data: everyString(real, ODATA.join(' '), true) },
    {
      name: 'a long line in what people write',
      data: everyString(real, `${MARKUP[3]} ${'word '.repeat(600)}`, true),
    },
    { name: 'OData quotes in every string', data: everyString(real, ODATA.join(' ')) },
    { name: 'a huge string in every string', data: everyString(real, `${MARKUP[0]} ${'x'.repeat(70_000)}`) },
    {
      name: 'extra fields',
      data: { ...real, verb: 'actions.done', admin: true, role: 'officer', msteams: { x: 1 } },
    },
    {
      name: 'a prototype-polluting field',
      data: undefined,
      raw: `{"__proto__":{"role":"officer","isAdmin":true},"constructor":{"prototype":{"role":"officer"}},${JSON.stringify(real).slice(1)}`,
    },
    ...bed.forgedRefs.flatMap((ref) =>
      (refKeys.length ? refKeys : ['ref']).map((k) => ({
        name: `${k} = ${ref}`,
        data: { ...real, [k]: ref },
      })),
    ),
  ];
}

describe('card actions with hostile data', () => {
  it('declares and routes every verb the tests use, the new features’ included', () => {
    // The tables below are built from these: a verb added to cards/verbs.ts is attacked too.
    expect(bed.verbs.length).toBeGreaterThanOrEqual(bed.t.bot.router.verbNames().length);
    for (const v of bed.t.bot.router.verbNames()) expect(bed.verbs).toContain(v);
  });

  it.each<Who>(['partner', 'partnerInChannel', 'stranger'])(
    'every verb, each fixed mutation, from a %s: no 5xx, nothing they were not entitled to',
    async (who) => {
      const before = await snapshotLists(bed.t.bot.lists);
      const failures: string[] = [];
      for (const verb of bed.verbs) {
        for (const v of variants(verb)) {
          const activity = activityFor(who, verb, v.data ?? {});
          const status = v.raw
            ? (await bed.t.postRaw(JSON.stringify(activity).replace(/"data":\{\}/, `"data":${v.raw}`))).status
            : await press(activity);
          if (status >= 500) failures.push(`${verb} ${v.name}: HTTP ${status}`);
        }
      }
      expect(failures).toEqual([]);
      const changes = changesBetween(before, await snapshotLists(bed.t.bot.lists));
      expect(
        unentitled(changes, PEOPLE.partner, {
          stranger: who === 'stranger',
          conversations: conversationsOf(who),
        }),
      ).toEqual([]);
    },
  );

  it('a forged action.Execute of an undeclared verb, or no verb at all, changes nothing', async () => {
    const before = await snapshotLists(bed.t.bot.lists);
    for (const verb of [
      'actions.deleteAll',
      'actions.done ',
      'ACTIONS.DONE',
      '__proto__',
      'constructor',
      '',
      42,
      null,
    ]) {
      const activity = activityFor('partner', 'x', { ref: bed.refs.officers });
      (activity.value.action as { verb: unknown }).verb = verb;
      expect(await press(activity)).toBeLessThan(500);
    }
    for (const value of [
      null,
      'x',
      [],
      { action: null },
      { action: { type: 'Action.Execute' } },
      { action: { type: 42 } },
    ])
      expect(await press(invoke('adaptiveCard/action', value, PEOPLE.partner, bed.personal()))).toBeLessThan(
        500,
      );
    expect(changesBetween(before, await snapshotLists(bed.t.bot.lists))).toEqual([]);
  });

  it('random verbs, data and senders (property): no 5xx, nothing unentitled', async () => {
    const forged = fc.constantFrom(...bed.forgedRefs);
    const verb = fc.oneof(
      { weight: 9, arbitrary: fc.constantFrom(...bed.verbs) },
      { weight: 1, arbitrary: userText() },
    );
    const run = fc.record({
      who: fc.constantFrom<Who>('partner', 'partnerInChannel', 'stranger'),
      pick: verb.chain((v) => mutated(realData(bed, v), forged).map((data) => ({ verb: v, data }))),
    });
    await fc.assert(
      fc.asyncProperty(run, async ({ who, pick }) => {
        const before = await snapshotLists(bed.t.bot.lists);
        const status = await press(activityFor(who, pick.verb, pick.data));
        expect(status).toBeLessThan(500);
        const changes = changesBetween(before, await snapshotLists(bed.t.bot.lists));
        expect(
          unentitled(changes, PEOPLE.partner, {
            stranger: who === 'stranger',
            conversations: conversationsOf(who),
          }),
        ).toEqual([]);
      }),
      { numRuns: 150, seed: 7_2024, endOnFailure: true },
    );
  });

  it('as an officer and a chair, hostile data still gets no 5xx', async () => {
    const forged = fc.constantFrom(...bed.forgedRefs);
    const run = fc.record({
      who: fc.constantFrom(PEOPLE.officer, PEOPLE.chair),
      inChannel: fc.boolean(),
      pick: fc
        .constantFrom(...bed.verbs)
        .chain((v) => mutated(realData(bed, v), forged).map((data) => ({ verb: v, data }))),
    });
    await fc.assert(
      fc.asyncProperty(run, async ({ who, inChannel, pick }) => {
        const where = inChannel ? bed.channel() : bed.personal();
        expect(
          await press(cardAction(pick.verb, pick.data as Record<string, unknown>, who, where)),
        ).toBeLessThan(500);
      }),
      { numRuns: 100, seed: 2024_7, endOnFailure: true },
    );
  });

  it('never renders anyone’s text as markup, or a link that is not a web link, in a card it sent back', () => {
    const leaks: Leak[] = [];
    let cards = 0;
    let echoed = 0;
    for (const body of [...answered, ...bed.t.connector.calls.map((c) => c.body)])
      for (const card of cardsIn(body)) {
        cards++;
        leaks.push(...cardLeaks(card));
        if (JSON.stringify(card).includes(CANARY)) echoed++;
      }
    // The walk saw people's planted markup come back (shown as typed), so its silence means something.
    expect(cards).toBeGreaterThan(100);
    expect(echoed).toBeGreaterThan(0);
    expect(unknownLeaks(leaks)).toEqual([]);
    console.info(
      'text replies echoing markup:',
      textLeaks([...answered, ...bed.t.connector.calls.map((c) => c.body)]),
    );
  });

  it('keeps serving', async () => {
    const res = await bed.t.post(cardAction('help.role', {}, PEOPLE.partner, bed.personal()));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('you are a partner');
  });
});

describe('people’s text is never rendered as markup in action cards', () => {
  const PLANTED = `**${CANARY}** [${CANARY}](https://evil.invalid/${CANARY})`;
  /** A fresh action of Jake's, changed by Jake as the card would: what the card says back. */
  async function change(verb: string, data: Record<string, unknown>) {
    bed.t.connector.reset();
    await bed.t.post(
      message('action write to the VCS partners about markup', PEOPLE.partner, bed.personal()),
    );
    const ref = /\bA-\d{4,7}\b/.exec(JSON.stringify(bed.t.connector.sent()))?.[0] ?? '';
    const res = await bed.t.post(cardAction(verb, { ref, ...data }, PEOPLE.partner, bed.personal()));
    return cardsIn(res.body).flatMap((c) => cardLeaks(c));
  }

  it('a drop reason, in the notice of the action card', async () => {
    expect(await change('actions.drop', { reason: PLANTED })).toEqual([]);
  });

  it('new owners’ names, in the notice of the action card', async () => {
    expect(await change('actions.reassign', { owners: PLANTED })).toEqual([]);
  });

  it('an edited meeting, in the notice of the logged card', async () => {
    expect(await change('actions.edit', { meeting: PLANTED })).toEqual([]);
  });
});
