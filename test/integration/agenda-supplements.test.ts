import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AdaptiveCard } from '../../cards/adaptive.js';
import { PEOPLE, installed } from '../support/activities.js';
import { cardOf, textOf } from '../support/actions-activities.js';
import { useTestBot } from '../support/use-test-bot.js';
import { cardProblems, executeActions } from '../support/cards.js';
import { AFTER, BEFORE, HWB_RESOLVED, SUPPLEMENT } from '../fixtures/agenda-seed.js';
import {
  CARD,
  MEMBERS,
  MESSAGE,
  ROSTER,
  cardLines,
  channel,
  click,
  formData,
  press,
  publishedPack,
  randomHex,
  say,
  until,
} from '../support/agenda-activities.js';

/**
 * Supplements and decisions over HTTP: each supplement is the next version, updates the posted
 * card in place and leaves one notice in its thread; versions can be compared; decisions and the
 * minutes are recorded after the meeting; bad input changes nothing.
 */

describe('supplements and decisions', () => {
  const t = useTestBot();
  let ref: string;
  beforeAll(async () => {
    t.connector.setMembers(ROSTER);
    await t.post(installed(PEOPLE.officer, channel(t)));
    ref = await publishedPack(t, { members: true });
    // The personal copies go out in the background: wait until all five have.
    await until(
      async () =>
        (await t.bot.messaging.deliveries.forCampaign(`agenda:${ref}:members`)).filter(
          (d) => d.status === 'Sent',
        ).length === 5,
    );
  });
  beforeEach(() => {
    t.connector.reset();
    t.lists.setFaults({ rate: 0 });
  });

  const meeting = async () =>
    (await t.bot.lists.repos.Meetings.all({})).find((m) => m.fields.MeetingRef === ref)!;
  const items = async () =>
    (await t.bot.lists.repos.AgendaItems.all({}))
      .filter((i) => i.fields.MeetingRef === ref)
      .sort((a, b) => (a.fields.Sequence ?? 0) - (b.fields.Sequence ?? 0));
  const item = async (number: string) => (await items()).find((i) => i.fields.ItemNumber === number);
  const notices = () =>
    t.connector.sent().filter((s) => /Supplement \d+ to agenda pack/.test(cardLines(cardOf(s))));
  const typed = async (text: string, who = PEOPLE.officer, at = BEFORE) => {
    t.connector.reset();
    await t.post(say(text, who, channel(t), at));
    const sent = t.connector.sent().find((s) => !/Supplement \d+ to agenda pack/.test(cardLines(cardOf(s))));
    return { text: textOf(sent), card: cardOf(sent) as AdaptiveCard | undefined };
  };

  it('a supplementary paper from the card: version 2, the posted card and personal copies updated in place, one notice', async () => {
    const data = {
      ref,
      form: randomHex(),
      item: SUPPLEMENT.item,
      paperTitle: SUPPLEMENT.title,
      paperUrl: SUPPLEMENT.url,
      note: SUPPLEMENT.note,
    };
    const body = await press(t, click('agenda.supplement', data, PEOPLE.officer, channel(t), BEFORE));
    expect(body.type).toBe(CARD);
    expect(cardLines(body.value)).toContain(
      'Supplement 1 published: adds the slides for item 3. The posted pack now shows version 2, and a notice went to its thread.',
    );
    const m = await meeting();
    expect(m.fields.Version).toBe(2);
    const updates = t.connector.calls.filter((c) => c.method === 'PUT');
    const posted = updates.find((c) => c.activityId === m.fields.ActivityId);
    expect(cardLines(cardOf(posted?.body))).toContain(
      'Supplement 1, published 12 February: adds the slides for item 3',
    );
    // The five personal copies follow (in the background).
    console.log(t.connector.calls.map((c) => `${c.method} ${c.path}`).join('\n'));
    await until(() => t.connector.calls.filter((c) => c.method === 'PUT').length >= 6);
    expect(notices()).toHaveLength(1);
    const papers = JSON.parse((await item('3'))?.fields.Papers ?? '[]') as {
      title: string;
      supplement?: number;
    }[];
    expect(papers.map((p) => [p.title, p.supplement ?? 0])).toEqual([
      ['Draft Community Strategy', 0],
      [SUPPLEMENT.title, 1],
    ]);

    // The same form pressed again: nothing new.
    t.connector.reset();
    const again = await press(t, click('agenda.supplement', data, PEOPLE.officer, channel(t), BEFORE));
    expect(cardLines(again.value)).toContain('Supplement 1 was already published; nothing new was sent.');
    expect((await meeting()).fields.Version).toBe(2);
    expect(notices()).toHaveLength(0);
  });

  it.each([
    [{ item: '3', paperTitle: 'Slides', paperUrl: 'slides on the shared drive' }, 'is not a web address'],
    [
      { item: '42', paperTitle: 'Slides', paperUrl: 'https://example.org/s.pptx' },
      'There is no item 42 in the pack',
    ],
    [
      { item: 'eight', paperTitle: 'Slides', paperUrl: 'https://example.org/s.pptx' },
      '"eight" is not an item number',
    ],
  ])('%o: a clear message, and the version stays', async (fields, message) => {
    const before = (await meeting()).fields.Version;
    const body = await press(
      t,
      click('agenda.supplement', { ref, form: randomHex(), ...fields }, PEOPLE.officer, channel(t), BEFORE),
    );
    expect(body).toMatchObject({ type: MESSAGE, value: expect.stringContaining(message) });
    expect((await meeting()).fields.Version).toBe(before);
  });

  it('"agenda supplement" typed: a note, a paper, a new item and a withdrawn one, as version 3', async () => {
    const reply = await typed(
      [
        `agenda supplement ${ref}`,
        'note: adds the employment slides and an item on Hackney Works',
        'paper 5: Hackney Works slides https://example.org/hackney/hackney-works.pptx',
        '5.1 Hackney Works (Andrew Munk) (10 minutes) for discussion',
        'withdraw item 6',
      ].join('\n'),
    );
    expect(cardLines(reply.card)).toContain(
      'Supplement 2 published: adds the employment slides and an item on Hackney Works.',
    );
    expect((await meeting()).fields.Version).toBe(3);
    expect((await item('5.1'))?.fields).toMatchObject({
      Title: 'Hackney Works',
      Presenter: 'Andrew Munk',
      Minutes: 10,
    });
    expect((await item('6'))?.fields.Withdrawn).toBe(true);
    expect(notices()).toHaveLength(1);
    // Withdrawn items leave the pack; the new one sits in number order.
    const posted = cardLines(cardOf(t.connector.updated()[0]));
    expect(posted).not.toContain('6. Taking all this forward');
    expect(posted.indexOf('5.1. Hackney Works')).toBeGreaterThan(posted.indexOf('5. Prioritising'));
    expect(posted.indexOf('5.1. Hackney Works')).toBeLessThan(posted.indexOf('7. Close'));
  });

  it.each([
    ['agenda supplement', 'Say what the supplement adds'],
    [`agenda supplement ${'M-0999'} paper 1: Slides https://example.org/s`, "I can't find meeting M-0999"],
    ['agenda supplement\npaper 3: Slides slides.example', 'Nothing was published:'],
    ['agenda supplement\nsomething else entirely', 'I couldn\'t read line 1: "something else entirely"'],
  ])('"%s" gets a clear message', async (text, message) => {
    const before = (await meeting()).fields.Version;
    const reply = await typed(text);
    expect(reply.text).toContain(message);
    expect((await meeting()).fields.Version).toBe(before);
  });

  it('what changed between two versions, by button and typed', async () => {
    const body = await press(
      t,
      click('agenda.changes', { ref, from: 1, to: 3 }, MEMBERS.jake, channel(t), BEFORE),
    );
    const card = body.value as AdaptiveCard;
    expect(cardProblems(card)).toEqual([]);
    const lines = cardLines(card);
    expect(lines).toContain('From version 1 to version 3 (the current one).');
    expect(lines).toContain(`paper added: ${SUPPLEMENT.title}`);
    expect(lines).toContain('paper added: Hackney Works slides');
    expect(lines).toContain('5.1. Hackney Works');
    expect(lines).toContain('withdrawn from the pack');
    expect(executeActions(card).map((a) => a.title)).toEqual(['Open the pack']);
    const bad = await press(
      t,
      click('agenda.changes', { ref, from: 3, to: 2 }, MEMBERS.jake, channel(t), BEFORE),
    );
    expect(bad.value).toContain(`${ref} has versions 1 to 3.`);
    const reply = await typed(`agenda changes ${ref} 2 3`, MEMBERS.jake);
    expect(cardLines(reply.card)).toContain('From version 2 to version 3 (the current one).');
    expect(cardLines(reply.card)).not.toContain(`paper added: ${SUPPLEMENT.title}`);
  });

  it('a supplement to a draft is refused', async () => {
    const created = await press(
      t,
      click('agenda.create', formData({ key: randomHex() }), PEOPLE.officer, channel(t), BEFORE),
    );
    const draft = /M-\d{4}/.exec(cardLines(created.value))?.[0] ?? '';
    const body = await press(
      t,
      click(
        'agenda.supplement',
        { ref: draft, form: randomHex(), item: '3', paperTitle: 'S', paperUrl: 'https://example.org/s' },
        PEOPLE.officer,
        channel(t),
        BEFORE,
      ),
    );
    expect(body.value).toContain(`${draft} is still a draft`);
  });

  describe('decisions', () => {
    it('the form lists the items still on the pack; saving records decisions and the minutes link', async () => {
      const form = await press(t, click('agenda.decisions.form', { ref }, PEOPLE.officer, channel(t), AFTER));
      const card = form.value as AdaptiveCard;
      expect(cardProblems(card)).toEqual([]);
      const json = JSON.stringify(card);
      expect(json).toContain('"id":"decision:5.1"');
      expect(json).not.toContain('"id":"decision:6"');
      const saved = await press(
        t,
        click(
          'agenda.decisions',
          {
            ref,
            'decision:3': HWB_RESOLVED,
            'decision:7': '',
            minutesUrl: 'https://example.org/hackney/minutes.pdf',
          },
          PEOPLE.officer,
          channel(t),
          AFTER,
        ),
      );
      expect(cardLines(saved.value)).toContain(HWB_RESOLVED);
      expect(cardLines(saved.value)).toContain('Saved. The posted pack shows the changes.');
      expect((await item('3'))?.fields.Decision).toBe(HWB_RESOLVED);
      expect((await item('7'))?.fields.Decision ?? '').toBe('');
      const m = await meeting();
      expect(m.fields.MinutesUrl).toBe('https://example.org/hackney/minutes.pdf');
      // After the meeting started, recording decisions marks it held.
      expect(m.fields.Status).toBe('Held');
      const posted = t.connector.calls.find(
        (c) => c.method === 'PUT' && c.activityId === m.fields.ActivityId,
      );
      expect(cardLines(cardOf(posted?.body))).toContain(`Decision: ${HWB_RESOLVED}`);
    });

    it('typed: "agenda decision" records one; "agenda decisions" shows them; "-" clears', async () => {
      const reply = await typed(
        `agenda decision ${ref} 5: RESOLVED: To note the presentation.`,
        PEOPLE.officer,
        AFTER,
      );
      expect(cardLines(reply.card)).toContain('Decision on item 5 saved.');
      expect((await item('5'))?.fields.Decision).toBe('RESOLVED: To note the presentation.');
      const view = await typed('agenda decisions', MEMBERS.jake, AFTER);
      expect(cardLines(view.card)).toContain('RESOLVED: To note the presentation.');
      expect(executeActions(view.card).map((a) => a.verb)).toEqual(['agenda.show']);
      const cleared = await press(
        t,
        click('agenda.decisions', { ref, 'decision:5': '-' }, PEOPLE.officer, channel(t), AFTER),
      );
      expect(cardLines(cleared.value)).toContain('Saved.');
      expect((await item('5'))?.fields.Decision ?? '').toBe('');
    });

    it('bad input changes nothing: an item not in the pack, a minutes link that is not one; a partner is refused', async () => {
      const before = await item('3');
      const bad = await press(
        t,
        click(
          'agenda.decisions',
          { ref, 'decision:3': 'RESOLVED: changed', 'decision:99': 'x', minutesUrl: 'minutes.docx' },
          PEOPLE.officer,
          channel(t),
          AFTER,
        ),
      );
      expect(bad.type).toBe(MESSAGE);
      expect(bad.value).toContain('There is no item 99');
      expect(bad.value).toContain('The minutes link "minutes.docx" is not a web address');
      expect((await item('3'))?.etag).toBe(before?.etag);
      const partner = await typed(`agenda decision ${ref} 3: RESOLVED: mine`, MEMBERS.jake, AFTER);
      expect(partner.text).toContain('Only board officers can record decisions.');
      const held = await press(t, click('agenda.attend', { ref }, MEMBERS.jake, channel(t), AFTER));
      expect(held.value).toContain('attendance can no longer be changed');
      const supplement = await press(
        t,
        click(
          'agenda.supplement',
          { ref, form: randomHex(), item: '3', paperTitle: 'Late', paperUrl: 'https://example.org/l' },
          PEOPLE.officer,
          channel(t),
          AFTER,
        ),
      );
      expect(supplement.value).toContain('has been held');
    });
  });
});
