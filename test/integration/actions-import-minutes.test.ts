import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readDateOnly } from '../../bot/sharepoint/dates.js';
import type { AdaptiveCard } from '../../cards/adaptive.js';
import { PEOPLE, installed } from '../support/activities.js';
import { cardOf, textOf } from '../support/actions-activities.js';
import { cardProblems, cardText, executeActions } from '../support/cards.js';
import { useTestBot } from '../support/use-test-bot.js';
import {
  ROSTER,
  cardLines,
  channel,
  click,
  formData,
  press,
  publishedPack,
  randomHex,
  say,
} from '../support/agenda-activities.js';

/**
 * Minutes brought in with "actions import M-0001": the actions written in their sentences (with
 * owners, due dates, "the next meeting" dated as the board's next scheduled meeting, the paragraph
 * kept), the officer's ticks, and the apologies written to the meeting's attendance, which
 * "agenda attendance" then shows. Over HTTP, with the SharePoint items checked.
 */

const AFTER_MEETING = new Date('2018-02-27T09:00:00Z');

const MINUTES = `Minutes:

1.1 Apologies for absence were received from Jim Gamble (Rory McCallum attended as substitute) and Cllr Kennedy.

2.1 The Board discussed the draft Community Strategy. It was agreed that the Director of Public Health would circulate the final plan to partners by end of March.

2.2 Members asked whether the figures were final. Sonia Khan said they were not.

2.3 ACTION: Jake Ferguson to map the VCS premises by 30 April 2018.

2.4 It was agreed that an update on the VCS strategy be brought back to the next meeting.

RESOLVED: To note the report.`;

describe('importing minutes against a meeting', () => {
  const t = useTestBot();
  let first: string;
  let next: string;
  beforeAll(async () => {
    t.connector.setMembers(ROSTER);
    await t.post(installed(PEOPLE.officer, channel(t)));
    first = await publishedPack(t);
    next = await publishedPack(t, { form: formData({ key: randomHex(), date: '2018-04-23' }) });
  });
  beforeEach(() => {
    t.connector.reset();
    t.lists.setFaults({ rate: 0 });
  });
  const items = () => t.bot.lists.repos.Actions.all({});
  const attendance = async (ref: string) =>
    (await t.bot.lists.repos.Attendance.all({})).filter((a) => a.fields.MeetingRef === ref);
  const preview = async (text: string) => {
    t.connector.reset();
    await t.post(say(`actions import ${text}`, PEOPLE.officer, channel(t), AFTER_MEETING));
    const reply = t.connector.sent()[0];
    return { card: cardOf(reply) as AdaptiveCard | undefined, text: textOf(reply) };
  };
  const confirm = async (card: AdaptiveCard | undefined, inputs: Record<string, unknown> = {}) => {
    const data = {
      ...(executeActions(card).find((a) => a.verb === 'actions.import')?.data ?? {}),
      ...inputs,
    };
    return (await press(t, click('actions.import', data, PEOPLE.officer, channel(t), AFTER_MEETING))).value;
  };

  it('proposes exactly the actions in the prose, the officer unticks one, and the apologies reach the attendance', async () => {
    const before = (await items()).length;
    const { card } = await preview(`${first}\n${MINUTES}`);
    expect(cardProblems(card!)).toEqual([]);
    const shown = cardLines(card);
    expect(shown).toContain('3 actions in the minutes');
    expect(shown).toContain(
      '2.1. It was agreed that the Director of Public Health would circulate the final plan to partners by end of March',
    );
    expect(shown).toContain(
      'Owner: Director of Public Health · Due: Saturday 31 March 2018 (end of March) · Status: Open',
    );
    expect(shown).toContain('2.3. Jake Ferguson to map the VCS premises by 30 April 2018');
    expect(shown).toContain(
      'Owner: nobody yet · Due: Monday 23 April 2018 (the next meeting) · Status: Open',
    );
    expect(shown).toContain('Jim Gamble (Rory McCallum attended as substitute); Cllr Kennedy');
    expect(shown).not.toContain('figures were final');
    expect(await items()).toHaveLength(before);
    expect(await attendance(first)).toEqual([]);

    // The officer unticks 2.1, the first action shown (its "Keep this action" toggle is keep_1).
    const done = await confirm(card, { keep_1: 'false', keep_2: 'true', keep_3: 'true', apologies: 'true' });
    expect(cardText(done)).toContain('Imported 2 actions');
    expect(cardText(done)).toContain(`Apologies recorded on the attendance of ${first}: 2.`);
    const created = (await items()).slice(before);
    expect(
      created.map((i) => [
        i.fields.LogRef,
        i.fields.Owners,
        readDateOnly(i.fields.DueDate),
        i.fields.MeetingRef,
      ]),
    ).toEqual([
      ['2.3', 'Jake Ferguson', '2018-04-30', first],
      ['2.4', undefined, '2018-04-23', first],
    ]);
    expect(created[0]?.fields.OwnerIds).toBe(PEOPLE.partner.aadObjectId);
    expect(created[0]?.fields.Details).toContain(`from minute 2.3 of ${first}`);
    const answers = await attendance(first);
    expect(answers.map((a) => [a.fields.Title, a.fields.Response, a.fields.SubstituteName]).sort()).toEqual([
      ['Cllr Kennedy', 'Apologies', undefined],
      ['Jim Gamble', 'Substitute', 'Rory McCallum'],
    ]);
    expect(answers.find((a) => a.fields.Title === 'Jim Gamble')?.fields.MemberId).toBe('aad-jim-gamble');
    expect(await attendance(next)).toEqual([]);

    // "agenda attendance" shows them.
    t.connector.reset();
    await t.post(say(`agenda attendance ${first}`, PEOPLE.officer, channel(t), AFTER_MEETING));
    const sheet = cardLines(cardOf(t.connector.sent()[0]));
    expect(sheet).toContain('Jim Gamble | Apologies | Rory McCallum');
    expect(sheet).toContain('Cllr Kennedy | Apologies');

    // Confirm again changes nothing.
    const again = await confirm(card, { keep_1: 'false', apologies: 'true' });
    expect(cardText(again)).toContain('Already imported');
    expect(cardText(again)).toContain(`The apologies were already on the attendance of ${first}.`);
    expect(await items()).toHaveLength(before + 2);
    expect(await attendance(first)).toHaveLength(2);
  });

  it('minutes with no meeting named: the apologies are shown with how to record them; an unknown meeting is said', async () => {
    const { card } = await preview(`\n${MINUTES}`);
    expect(cardLines(card)).toContain(
      'To put them on a meeting’s attendance sheet, import the minutes against it: "actions import M-0007" followed by the minutes.',
    );
    // Without a meeting, "the next meeting" is the next one after the import.
    expect(cardLines(card)).toContain(
      'Owner: nobody yet · Due: Monday 23 April 2018 (the next meeting) · Status: Open',
    );
    // Against a meeting with the apologies unticked: the actions are saved, the attendance is left alone.
    const unticked = await preview(`${next}\n${MINUTES}`);
    const saved = await confirm(unticked.card, { apologies: 'false' });
    expect(cardText(saved)).toContain('Imported 3 actions');
    expect(await attendance(next)).toEqual([]);
    const unknown = await preview(`M-0099\n${MINUTES}`);
    expect(unknown.text).toBe(
      'I can\'t find meeting M-0099. Check its reference with "agenda". Nothing was saved.',
    );
  });
});
