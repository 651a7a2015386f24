import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AdaptiveCard } from '../../cards/adaptive.js';
import { PEOPLE, installed } from '../support/activities.js';
import { cardOf, textOf } from '../support/actions-activities.js';
import { useTestBot } from '../support/use-test-bot.js';
import { cardProblems, executeActions } from '../support/cards.js';
import { AFTER, BEFORE, BOARD, ITEMS, OUTLINE } from '../fixtures/agenda-seed.js';
import {
  CARD,
  MESSAGE,
  ROSTER,
  cardLines,
  channel,
  click,
  dialog,
  formData,
  personal,
  press,
  publishedPack,
  randomHex,
  say,
} from '../support/agenda-activities.js';

/**
 * Creating packs over HTTP: the form (card and dialog), a pasted outline, editing and discarding a
 * draft, Matters arising from the Actions list, and every kind of bad input changing nothing.
 */

describe('creating agenda packs', () => {
  const t = useTestBot();
  beforeAll(async () => {
    t.connector.setMembers(ROSTER);
    await t.post(installed(PEOPLE.officer, channel(t)));
  });
  beforeEach(() => {
    t.connector.reset();
    t.lists.setFaults({ rate: 0 });
  });

  const meetings = () => t.bot.lists.repos.Meetings.all({});
  const itemsOf = async (ref: string) =>
    (await t.bot.lists.repos.AgendaItems.all({}))
      .filter((i) => i.fields.MeetingRef === ref)
      .sort((a, b) => (a.fields.Sequence ?? 0) - (b.fields.Sequence ?? 0));
  const refOf = (card: unknown) => /(M-\d{4})/.exec(cardLines(card))?.[1] ?? '';
  const reply = async (text: string, who = PEOPLE.officer, at = BEFORE, where = channel(t)) => {
    t.connector.reset();
    await t.post(say(text, who, where, at));
    const sent = t.connector.sent()[0];
    return { text: textOf(sent), card: cardOf(sent) as AdaptiveCard | undefined };
  };

  describe('the form', () => {
    it('"agenda new" answers officers with the form, and tells partners who can', async () => {
      const form = await reply('agenda new');
      expect(cardProblems(form.card!)).toEqual([]);
      expect(cardLines(form.card)).toContain('New agenda pack');
      expect(JSON.stringify(form.card)).toContain('"id":"i8t"');
      const refused = await reply('agenda new', PEOPLE.partner);
      expect(refused.text).toBe(
        "Only board officers can create agenda packs. If you think you should be able to, ask one of the board's officers.",
      );
    });

    it.each([
      [
        'a meeting in the past',
        formData({ key: randomHex(), date: '2018-02-05' }),
        'That meeting is in the past (Monday 5 February 2018 at 10:00)',
      ],
      [
        'duplicate item numbers',
        formData({ key: randomHex(), extra: { i2n: '1' } }),
        'Item 1 appears twice (row 1 and row 2). Give each item its own number.',
      ],
      [
        'a paper link that is not a URL',
        formData({
          key: randomHex(),
          extra: { i3l: 'Draft Community Strategy www.hackney.gov.uk/strategy.pdf' },
        }),
        'The paper link "www.hackney.gov.uk/strategy.pdf" for item 3 is not a web address. Did you mean https://www.hackney.gov.uk/strategy.pdf?',
      ],
      [
        'a time that is not one',
        formData({ key: randomHex(), time: 'after lunch' }),
        '"after lunch" is not a time I can read',
      ],
      [
        'no venue or link',
        formData({ key: randomHex(), extra: { venue: '' } }),
        'Give the venue or the online meeting link (or both).',
      ],
    ])('%s: the form comes back saying so, and nothing is saved', async (_name, data, problem) => {
      const before = (await meetings()).length;
      const body = await press(t, click('agenda.create', data, PEOPLE.officer, channel(t), BEFORE));
      expect(body.type).toBe(CARD);
      const card = body.value as AdaptiveCard;
      expect(cardProblems(card)).toEqual([]);
      expect(cardLines(card)).toContain('Nothing was saved yet. Please fix:');
      expect(cardLines(card)).toContain(problem);
      // What was typed is still there.
      expect(JSON.stringify(card)).toContain(ITEMS[0]!.title);
      expect((await meetings()).length).toBe(before);
    });

    it('"More item rows" keeps what was typed and adds rows', async () => {
      const body = await press(
        t,
        click(
          'agenda.form.rows',
          { ...formData({ key: randomHex() }), rows: 14 },
          PEOPLE.officer,
          channel(t),
          BEFORE,
        ),
      );
      const json = JSON.stringify(body.value);
      expect(json).toContain('"id":"i14m"');
      expect(json).toContain(ITEMS[6]!.title);
      expect(executeActions(body.value).map((a) => a.verb)).toContain('agenda.create');
    });

    it('edits a draft: items changed, added and removed; a published pack cannot be edited', async () => {
      const created = await press(
        t,
        click('agenda.create', formData({ key: randomHex() }), PEOPLE.officer, channel(t), BEFORE),
      );
      const ref = refOf(created.value);
      const edit = await press(t, click('agenda.edit', { ref }, PEOPLE.officer, channel(t), BEFORE));
      expect(JSON.stringify(edit.value)).toContain(`"ref":"${ref}"`);
      const data = formData({ key: randomHex(), items: ITEMS.slice(0, 3) });
      const saved = await press(
        t,
        click(
          'agenda.update',
          { ...data, ref, i2t: 'Scene setting by the Mayor', i4n: '4', i4t: 'Any other business', i4m: '5' },
          PEOPLE.officer,
          channel(t),
          BEFORE,
        ),
      );
      expect(cardLines(saved.value)).toContain(`Draft ${ref} saved.`);
      expect((await itemsOf(ref)).map((i) => [i.fields.ItemNumber, i.fields.Title])).toEqual([
        ['1', 'Welcome and introductions'],
        ['2', 'Scene setting by the Mayor'],
        ['3', ITEMS[2]!.title],
        ['4', 'Any other business'],
      ]);
      await press(t, click('agenda.publish', { ref, members: false }, PEOPLE.officer, channel(t), BEFORE));
      const late = await press(
        t,
        click('agenda.update', { ...data, ref }, PEOPLE.officer, channel(t), BEFORE),
      );
      expect(late).toMatchObject({
        type: MESSAGE,
        value: expect.stringContaining('can no longer be edited'),
      });
      const editPublished = await press(t, click('agenda.edit', { ref }, PEOPLE.officer, channel(t), BEFORE));
      expect(editPublished.value).toContain('Add a supplement');
    });

    it('discards a draft (kept as Cancelled), and refuses to discard a published pack', async () => {
      const created = await press(
        t,
        click('agenda.create', formData({ key: randomHex() }), PEOPLE.officer, channel(t), BEFORE),
      );
      const ref = refOf(created.value);
      const gone = await press(t, click('agenda.discard', { ref }, PEOPLE.officer, channel(t), BEFORE));
      expect(cardLines(gone.value)).toContain(`Draft ${ref} discarded`);
      expect((await meetings()).find((m) => m.fields.MeetingRef === ref)?.fields.Status).toBe('Cancelled');
      const again = await press(t, click('agenda.discard', { ref }, PEOPLE.officer, channel(t), BEFORE));
      expect(again.value).toContain('already discarded');
      const published = await publishedPack(t);
      const refused = await press(
        t,
        click('agenda.discard', { ref: published }, PEOPLE.officer, channel(t), BEFORE),
      );
      expect(refused.value).toContain('stays on the record');
      const missing = await press(
        t,
        click('agenda.edit', { ref: 'M-9999' }, PEOPLE.officer, channel(t), BEFORE),
      );
      expect(missing.value).toContain("I can't find meeting M-9999");
    });

    it('opens as a dialog, and the dialog saves the draft and posts it', async () => {
      const fetched = await t.post(
        dialog('fetch', { dialog: 'agenda.new', form: 'c'.repeat(24) }, PEOPLE.officer, channel(t), BEFORE),
      );
      const task = (
        fetched.body as { task: { type: string; value: { title: string; card: { content: AdaptiveCard } } } }
      ).task;
      expect(task.type).toBe('continue');
      expect(task.value.title).toBe('New agenda pack');
      expect(cardProblems(task.value.card.content)).toEqual([]);
      const submitted = JSON.stringify(task.value.card.content);
      expect(submitted).toContain('"dialog":"agenda.new"');

      const bad = await t.post(
        dialog(
          'submit',
          { dialog: 'agenda.new', ...formData({ key: 'c'.repeat(24), date: '2018-01-01' }) },
          PEOPLE.officer,
          channel(t),
          BEFORE,
        ),
      );
      expect(JSON.stringify(bad.body)).toContain('That meeting is in the past');
      const more = await t.post(
        dialog(
          'submit',
          { dialog: 'agenda.new', more: true, ...formData({ key: 'c'.repeat(24) }), rows: 14 },
          PEOPLE.officer,
          channel(t),
          BEFORE,
        ),
      );
      expect(JSON.stringify(more.body)).toContain('"id":"i14t"');

      t.connector.reset();
      const ok = await t.post(
        dialog(
          'submit',
          { dialog: 'agenda.new', ...formData({ key: 'c'.repeat(24) }) },
          PEOPLE.officer,
          channel(t),
          BEFORE,
        ),
      );
      expect(ok.status).toBe(200);
      expect(cardLines(cardOf(t.connector.sent()[0]))).toMatch(/Saved as draft M-\d{4}/);
      const forged = await t.post(
        dialog('submit', { dialog: 'agenda.new', form: 'zz', rows: 8 }, PEOPLE.officer, channel(t), BEFORE),
      );
      expect(JSON.stringify(forged.body)).toContain('nothing was saved');
      const partner = await t.post(
        dialog('fetch', { dialog: 'agenda.new' }, PEOPLE.partner, channel(t), BEFORE),
      );
      expect(JSON.stringify(partner.body)).toContain('Only board officers can create agenda packs');
    });
  });

  describe('"agenda import"', () => {
    it('makes a draft from the pasted seed outline, once however often Teams delivers it', async () => {
      // Another board: no Matters arising from the packs the tests before this one published.
      const message = say(
        `agenda import\n${OUTLINE.replace(BOARD, 'Health and Wellbeing Board')}`,
        PEOPLE.officer,
        channel(t),
        BEFORE,
      );
      await t.post(message);
      const draft = cardOf(t.connector.sent()[0]) as AdaptiveCard;
      expect(cardProblems(draft)).toEqual([]);
      const ref = refOf(draft);
      expect(cardLines(draft)).toContain('Monday 26 February 2018, 10:00 to 12:00');
      expect((await itemsOf(ref)).map((i) => i.fields.Title)).toEqual(ITEMS.map((i) => i.title));
      // Teams delivers the same message again after a restart: the same key finds the draft.
      const count = (await meetings()).length;
      t.connector.reset();
      await t.post({ ...message, id: message.id });
      expect((await meetings()).length).toBe(count);
    });

    it.each([
      [
        'a 200-item pack',
        `Date: 26 February 2018, 10am\nVenue: Town Hall\n${Array.from({ length: 200 }, (_, i) => `${i + 1}. Item ${i + 1}`).join('\n')}`,
        'That is 200 items; a pack holds at most 100.',
      ],
      [
        'duplicate numbers',
        'Date: 26 February 2018, 10am\nVenue: Town Hall\n1. Welcome\n1. Scene setting',
        'Item 1 appears twice (line 3 and line 4).',
      ],
      [
        'a paper link that is not a URL',
        'Date: 26 February 2018, 10am\nVenue: Town Hall\n1. Welcome\npaper: Report hackney.gov.uk/report',
        'The paper link "hackney.gov.uk/report" for item 1 is not a web address.',
      ],
      [
        'a meeting in the past',
        'Date: Monday 5 February 2018, 10am\nVenue: Town Hall\n1. Welcome',
        'That meeting is in the past',
      ],
      [
        'a weekday that does not match',
        'Date: Tuesday 26 February 2018, 10am\nVenue: Town Hall\n1. Welcome',
        '26 February 2018 is a Monday, not a Tuesday.',
      ],
      ['no meeting details', '1. Welcome\n2. Scene setting', 'I read 2 items, but not the meeting.'],
      ['nothing at all', '', 'Paste the pack after "agenda import"'],
    ])('%s: a clear message, nothing saved', async (_name, outline, message) => {
      const before = (await meetings()).length;
      const answer = await reply(`agenda import\n${outline}`);
      expect(answer.text).toContain(message);
      expect((await meetings()).length).toBe(before);
    });

    it('with a reference, replaces the items of that draft', async () => {
      const created = await press(
        t,
        click('agenda.create', formData({ key: randomHex() }), PEOPLE.officer, channel(t), BEFORE),
      );
      const ref = refOf(created.value);
      const answer = await reply(
        `agenda import ${ref}\n1. Welcome (${'Mayor Philip Glanville'}) (5 minutes)\n2. Close`,
      );
      expect(cardLines(answer.card)).toContain(`Draft ${ref} now has the 2 items you pasted.`);
      expect((await itemsOf(ref)).map((i) => i.fields.Title)).toEqual(['Welcome', 'Close']);
    });
  });

  it('a second pack for the board carries Matters arising with its open actions', async () => {
    const first = await publishedPack(t);
    await t.bot.lists.repos.Actions.create({
      Title: 'LBH Policy Team to use all feedback on the strategy in the development of final version',
      ActionRef: 'A-0001',
      Owners: 'Sonia Khan; Rachel Duke',
      DueDate: '2018-01-31',
      Status: 'Open',
      MeetingRef: first,
      SourceKey: 'test:arising-1',
    });
    await t.bot.lists.repos.Actions.create({
      Title: 'An action of another board',
      ActionRef: 'A-0002',
      Status: 'Open',
      MeetingRef: 'M-0999',
      SourceKey: 'test:arising-2',
    });
    const body = await press(
      t,
      click(
        'agenda.create',
        formData({ key: randomHex(), date: '2018-03-26' }),
        PEOPLE.officer,
        channel(t),
        BEFORE,
      ),
    );
    const lines = cardLines(body.value);
    expect(lines).toContain('Item 2, Matters arising, was added with 1 open action');
    const ref = refOf(body.value);
    const items = await itemsOf(ref);
    expect(items.map((i) => i.fields.ItemNumber)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    const arising = items[1]!.fields;
    expect(arising.Title).toBe('Matters arising');
    expect(arising.Details).toContain('A-0001 LBH Policy Team to use all feedback');
    expect(arising.Details).toContain('OVERDUE');
    expect(arising.Details).not.toContain('A-0002');
    expect((await meetings()).find((m) => m.fields.MeetingRef === ref)?.fields.Board).toBe(BOARD);
  });

  it('when the lists fail, says nothing was saved, and nothing was', async () => {
    const before = (await meetings()).length;
    t.lists.setFaults({ rate: 1, status: 503, retryAfterSeconds: 0, seed: 7 });
    const body = await press(
      t,
      click('agenda.create', formData({ key: randomHex() }), PEOPLE.officer, channel(t), BEFORE),
    );
    t.lists.setFaults({ rate: 0 });
    expect(body).toMatchObject({
      type: MESSAGE,
      value: expect.stringContaining('Nothing was changed: the agenda lists are not answering'),
    });
    expect((await meetings()).length).toBe(before);
  });

  it('in a personal chat, drafts but will not publish there', async () => {
    const created = await press(
      t,
      click('agenda.create', formData({ key: randomHex() }), PEOPLE.officer, personal(t), BEFORE),
    );
    const ref = refOf(created.value);
    const publish = await press(
      t,
      click('agenda.publish', { ref, members: true }, PEOPLE.officer, personal(t), BEFORE),
    );
    expect(publish.value).toContain("Publish from the board's channel");
    expect((await meetings()).find((m) => m.fields.MeetingRef === ref)?.fields.Status).toBe('Draft');
    const late = await press(
      t,
      click('agenda.publish', { ref, members: false }, PEOPLE.officer, channel(t), AFTER),
    );
    expect(late.value).toContain('has already started');
  });
});
