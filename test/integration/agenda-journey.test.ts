import { beforeAll, describe, expect, it } from 'vitest';
import type { AdaptiveCard } from '../../cards/adaptive.js';
import { PEOPLE, installed } from '../support/activities.js';
import { cardOf, textOf } from '../support/actions-activities.js';
import { useTestBot } from '../support/use-test-bot.js';
import { cardProblems, executeActions } from '../support/cards.js';
import { BEFORE, CHAIR, DRAFT_STRATEGY, ITEMS, SUPPLEMENT, TIMES, VENUE } from '../fixtures/agenda-seed.js';
import {
  CARD,
  CHANNEL,
  MEMBERS,
  MESSAGE,
  ROSTER,
  cardLines,
  channel,
  click,
  formData,
  press,
  say,
} from '../support/agenda-activities.js';

/**
 * The seed's meeting from form to decisions, over real HTTP: the officer fills the form in the
 * channel, publishes; members answer (apologies, a substitute); a supplement updates the posted
 * card in place and leaves a notice in its thread; the sheet lists everyone; decisions are recorded.
 */

describe('an agenda pack, from form to decisions', () => {
  const t = useTestBot();
  const ref = 'M-0001';
  let posted: { conversationId?: string | undefined; activityId?: string | undefined } = {};

  beforeAll(async () => {
    t.connector.setMembers(ROSTER);
    await t.post(installed(PEOPLE.officer, channel(t)));
  });

  const meeting = async () =>
    (await t.bot.lists.repos.Meetings.all({})).find((i) => i.fields.MeetingRef === ref);
  const items = async () =>
    (await t.bot.lists.repos.AgendaItems.all({}))
      .filter((i) => i.fields.MeetingRef === ref)
      .sort((a, b) => (a.fields.Sequence ?? 0) - (b.fields.Sequence ?? 0));
  const answers = async () =>
    (await t.bot.lists.repos.Attendance.all({})).filter((i) => i.fields.MeetingRef === ref);

  it('"agenda new" in the channel answers with the form', async () => {
    t.connector.reset();
    await t.post(say('agenda new', PEOPLE.officer, channel(t), BEFORE));
    const card = cardOf(t.connector.sent()[0]) as AdaptiveCard;
    expect(cardProblems(card)).toEqual([]);
    expect(cardLines(card)).toContain('New agenda pack');
    expect(executeActions(card).map((a) => a.verb)).toEqual(['agenda.create', 'agenda.form.rows']);
  });

  it('saves the draft with times that run on from 10:00', async () => {
    const body = await press(t, click('agenda.create', formData(), PEOPLE.officer, channel(t), BEFORE));
    expect(body.type).toBe(CARD);
    const card = body.value as AdaptiveCard;
    expect(cardProblems(card)).toEqual([]);
    const text = cardLines(card);
    expect(text).toContain(`Draft agenda pack ${ref}`);
    expect(text).toContain('Monday 26 February 2018, 10:00 to 12:00');
    expect(text).toContain(VENUE);
    ITEMS.forEach((item, i) => expect(text).toContain(`${TIMES[i]}`));
    expect(executeActions(card).map((a) => a.title)).toEqual([
      'Publish to this channel',
      'Publish and send to each member',
      'Edit',
      'Discard',
    ]);
    const m = await meeting();
    expect(m?.fields).toMatchObject({
      Status: 'Draft',
      Board: 'Community Strategy Partnership Board',
      Chair: CHAIR,
      Version: 0,
    });
    expect(new Date(m?.fields.StartsAt ?? '').toISOString()).toBe('2018-02-26T10:00:00.000Z');
    const list = await items();
    expect(list.map((i) => i.fields.ItemNumber)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(JSON.parse(list[2]!.fields.Papers ?? '[]')).toEqual([
      { title: 'Draft Community Strategy', url: DRAFT_STRATEGY },
    ]);
    // A second click of Save draft finds the same draft.
    const again = await press(t, click('agenda.create', formData(), PEOPLE.officer, channel(t), BEFORE));
    expect(cardLines(again.value)).toContain(`already saved as draft ${ref}`);
    expect((await t.bot.lists.repos.Meetings.all({})).length).toBe(1);
  });

  it('publishes to the channel and to each member, once', async () => {
    t.connector.reset();
    const body = await press(
      t,
      click('agenda.publish', { ref, members: true }, PEOPLE.officer, channel(t), BEFORE),
    );
    expect(cardLines(body.value)).toContain(`Published: version 1 of ${ref} is posted in this channel`);
    const m = await meeting();
    expect(m?.fields.Status).toBe('Published');
    expect(m?.fields.Version).toBe(1);
    expect(m?.fields.ConversationId).toBe(CHANNEL);
    posted = { conversationId: m?.fields.ConversationId, activityId: m?.fields.ActivityId };
    const post = t.connector.calls.find((c) => c.method === 'POST' && c.conversationId === CHANNEL);
    const pack = cardOf(post?.body) as AdaptiveCard;
    expect(cardProblems(pack)).toEqual([]);
    expect(cardLines(pack)).toContain(`Agenda pack ${ref}`);
    expect(executeActions(pack).map((a) => a.title)).toEqual(['Attending', 'Apologies', 'Send substitute']);
    // Personal copies go to everyone on the roster except the officer who published.
    await waitFor(
      async () =>
        (await t.bot.messaging.deliveries.forCampaign(`agenda:${ref}:members`)).filter(
          (d) => d.status === 'Sent',
        ).length === 5,
    );
    const again = await press(
      t,
      click('agenda.publish', { ref, members: true }, PEOPLE.officer, channel(t), BEFORE),
    );
    expect(cardLines(again.value)).toContain('was already published');
    expect(t.connector.calls.filter((c) => c.method === 'POST' && c.conversationId === CHANNEL)).toHaveLength(
      1,
    );
  });

  it('members answer: apologies, a substitute; the posted card counts them', async () => {
    t.connector.reset();
    const sorry = await press(t, click('agenda.apologies', { ref }, MEMBERS.jake, channel(t), BEFORE));
    expect(cardLines(sorry.value)).toContain('Your answer: apologies');
    const sub = await press(
      t,
      click(
        'agenda.substitute',
        { ref, substituteName: 'Rory McCallum', substituteOrganisation: "Children's Safeguarding Board" },
        MEMBERS.jim,
        channel(t),
        BEFORE,
      ),
    );
    expect(cardLines(sub.value)).toContain('Rory McCallum');
    const update = t.connector.updated().at(-1);
    expect(cardLines(cardOf(update))).toContain('Apologies 2 (1 sending a substitute) · Not answered 3');
    expect(
      t.connector.calls.filter((c) => c.method === 'PUT').every((c) => c.activityId === posted.activityId),
    ).toBe(true);
    const rows = await answers();
    expect(rows.map((r) => [r.fields.Title, r.fields.Response, r.fields.SubstituteName ?? ''])).toEqual(
      expect.arrayContaining([
        ['Jake Ferguson', 'Apologies', ''],
        ['Jim Gamble', 'Substitute', 'Rory McCallum'],
      ]),
    );
  });

  it('a supplement updates the posted card in place and leaves a notice in its thread', async () => {
    t.connector.reset();
    const body = await press(
      t,
      click(
        'agenda.supplement',
        {
          ref,
          form: 'b'.repeat(24),
          item: SUPPLEMENT.item,
          paperTitle: SUPPLEMENT.title,
          paperUrl: SUPPLEMENT.url,
          note: SUPPLEMENT.note,
        },
        PEOPLE.officer,
        channel(t),
        BEFORE,
      ),
    );
    expect(cardLines(body.value)).toContain('Supplement 1 published: adds the slides for item 3');
    const update = t.connector.updated().find((u) => cardLines(cardOf(u)).includes('Supplement 1'));
    expect(cardLines(cardOf(update))).toContain(
      'Supplement 1, published 12 February: adds the slides for item 3',
    );
    const notice = t.connector
      .sent()
      .find((s) => cardLines(cardOf(s)).includes('Supplement 1 to agenda pack'));
    expect(notice).toBeDefined();
    expect((await meeting())?.fields.Version).toBe(2);
    const item3 = (await items()).find((i) => i.fields.ItemNumber === '3');
    expect(JSON.parse(item3?.fields.History ?? '[]').map((e: { v: number }) => e.v)).toEqual([1, 2]);
    expect(textOf(notice)).toBe('');
  });

  it('the sheet lists everyone, answered or not; a partner cannot see it', async () => {
    t.connector.reset();
    await t.post(say('agenda attendance', PEOPLE.officer, channel(t), BEFORE));
    const sheet = cardOf(t.connector.sent()[0]) as AdaptiveCard;
    expect(cardProblems(sheet)).toEqual([]);
    const text = cardLines(sheet);
    expect(text).toContain('Chair');
    expect(text).toContain('Rory McCallum');
    expect(text).toContain('No answer yet');
    t.connector.reset();
    await t.post(say('agenda attendance', MEMBERS.jake, channel(t), BEFORE));
    expect(textOf(t.connector.sent()[0])).toContain(
      'Only board officers and chairs can see the attendance sheet',
    );
  });

  it('decisions are recorded and shown', async () => {
    const body = await press(
      t,
      click(
        'agenda.decisions',
        { ref, 'decision:6': 'RESOLVED: To note the feedback.', minutesUrl: 'https://example.org/minutes' },
        PEOPLE.officer,
        channel(t),
        BEFORE,
      ),
    );
    expect(body.type).toBe(CARD);
    expect(cardLines(body.value)).toContain('RESOLVED: To note the feedback.');
    const six = (await items()).find((i) => i.fields.ItemNumber === '6');
    expect(six?.fields.Decision).toBe('RESOLVED: To note the feedback.');
    expect((await meeting())?.fields.MinutesUrl).toBe('https://example.org/minutes');
    void MESSAGE;
  });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((r) => setTimeout(r, 20));
}
