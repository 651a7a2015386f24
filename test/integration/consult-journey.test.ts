import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toConsultation, toFeedback } from '../../bot/features/consultations/model.js';
import { formPrint } from '../../bot/features/consultations/answers.js';
import { PEOPLE } from '../support/activities.js';
import { cardProblems, cardText, executeActions } from '../support/cards.js';
import {
  CHANNEL,
  MELBA,
  RORY,
  cardOf,
  newForm,
  startConsultBot,
  type ConsultBot,
} from '../support/consult-harness.js';
import { card } from '../support/card-asserts.js';
import {
  INITIAL_RESPONSE,
  JAKE,
  MARKUP,
  RORY as RORY_SAID,
  THEMES,
  TITLE,
  WE_DID_POVERTY,
} from '../fixtures/consult-seed.js';

/**
 * A whole consultation round over HTTP, as the seed's February 2018 round would run in Teams: the
 * officer opens it in the channel, partners are invited personally, answer, change their answers,
 * get an initial response, are reminded, and the officer closes, exports and reports back.
 */

const text = (body: { type: string; value: unknown }) => {
  expect(body.type).toBe('application/vnd.microsoft.activity.message');
  return body.value as string;
};

describe('a consultation round', () => {
  let t: ConsultBot;
  let ref = '';
  let fp = '';
  const answers = (extra: Record<string, string> = {}) => ({
    ref,
    fp,
    org: JAKE.organisation,
    q1: JAKE.q1,
    q2: JAKE.q2,
    q3: JAKE.q3,
    r1: 'Partly',
    c1: JAKE.povertyComment,
    r2: 'Helps',
    ...extra,
  });
  const consultation = async () =>
    toConsultation(
      (await t.bot.lists.repos.Consultations.all({})).find((i) => i.fields.ConsultationRef === ref)!,
    );
  const feedback = async () =>
    (await t.bot.lists.repos.Feedback.all({})).map(toFeedback).filter((f) => f.ref === ref);

  beforeAll(async () => {
    t = await startConsultBot();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('"consult new" in the channel gives the officer the form, prefilled with the board\'s three questions', async () => {
    const replies = await t.say('consult new', PEOPLE.officer, 'channel');
    const form = cardOf(replies.at(-1))!;
    expect(cardProblems(form)).toEqual([]);
    expect(cardText(form)).toContain('New consultation');
    expect(JSON.stringify(form)).toContain('What are your top 3 strategic challenges?');
    expect(executeActions(form).map((a) => a.verb)).toEqual(['consult.open']);
  });

  it('an empty form comes back naming each problem, and nothing is opened', async () => {
    const body = await t.press(
      'consult.open',
      { key: 'a1b2c3d4e5f6a7b8c9d0', questions: '' },
      PEOPLE.officer,
      'channel',
    );
    const said = cardText(card(body));
    expect(said).toContain('Title: Give the consultation a title');
    expect(said).toContain('Questions, one per line: Ask at least one question');
    expect(said).toContain('Closing date: Pick the closing date.');
    expect(await t.bot.lists.repos.Consultations.all({})).toHaveLength(0);
  });

  it('a closing date in the past, repeated themes and a bad link are each named against their field', async () => {
    const past = newForm(t.clock.now, {
      closesOn: '2018-03-09',
      themes: 'Community cohesion\ncommunity cohesion',
      url: 'javascript:alert(1)',
    });
    const said = cardText(card(await t.press('consult.open', past, PEOPLE.officer, 'channel')));
    expect(said).toContain('The closing date and time have passed');
    expect(said).toContain('"community cohesion" is there twice');
    expect(said).toContain('must be a web address starting https://');
    // What the officer typed is kept.
    expect(JSON.stringify(card(await t.press('consult.open', past, PEOPLE.officer, 'channel')))).toContain(
      '2018-03-09',
    );
    expect(await t.bot.lists.repos.Consultations.all({})).toHaveLength(0);
  });

  it('partners cannot open, close, export or see the status; the refusal says who can', async () => {
    const opened = await t.press('consult.open', newForm(t.clock.now), PEOPLE.partner, 'channel');
    expect(text(opened)).toBe(
      "Only board officers can open a consultation. If you think you should be able to, ask one of the board's officers.",
    );
    const said = async (words: string) =>
      ((await t.say(words, PEOPLE.partner)).at(-1) as { text?: string }).text;
    expect(await said('consult new')).toMatch(/^Only board officers can open a consultation\./);
    expect(await said('consult close')).toMatch(/^Only board officers can close a consultation\./);
    expect(await said('consult export')).toMatch(
      /^Only board officers can export the feedback of a consultation\./,
    );
    expect(await said('consult status')).toMatch(
      /^Only board officers and chairs can see who has answered a consultation\./,
    );
  });

  it('opens: the form becomes the consultation card in place, and each partner is invited once', async () => {
    const body = await t.press(
      'consult.open',
      newForm(t.clock.now),
      PEOPLE.officer,
      'channel',
      'form-card-1',
    );
    const c = card(body);
    expect(cardText(c)).toContain('Personal invitations are on their way to 5 people.');
    expect(cardText(c)).toContain(TITLE);
    ref = /Consultation (C-\d{4})/.exec(cardText(c))![1]!;
    expect(ref).toBe('C-0001');
    await t.bot.consultations.service.settled();
    const stored = await consultation();
    expect(stored.status).toBe('Open');
    expect(stored.themes).toEqual(THEMES);
    expect(stored.activityId).toBe('form-card-1');
    expect(stored.conversationId).toBe(CHANNEL);
    // The chair and partners; not the officer.
    expect(stored.invitees.map((i) => i.name).sort()).toEqual(
      [PEOPLE.chair.name, PEOPLE.partner.name, PEOPLE.obrien.name, RORY.name, MELBA.name].sort(),
    );
    fp = formPrint(stored);
    const jakes = await t.cardsFor(PEOPLE.partner);
    expect(jakes.filter((x) => cardText(x).includes('Your views are invited'))).toHaveLength(1);
    for (const x of jakes) expect(cardProblems(x)).toEqual([]);
    const deliveries = await t.bot.messaging.deliveries.forCampaign(`consultation:${ref}:invitation`);
    expect(deliveries.map((d) => d.status)).toEqual(deliveries.map(() => 'Sent'));
    expect(deliveries).toHaveLength(stored.invitees.length);

    // A second press of Open (a double click) opens nothing new and invites nobody again.
    const sendsBefore = t.connector.sent().length;
    const again = card(
      await t.press('consult.open', newForm(t.clock.now), PEOPLE.officer, 'channel', 'form-card-1'),
    );
    expect(cardText(again)).toContain('already open');
    await t.bot.consultations.service.invite(stored);
    await t.bot.consultations.service.settled();
    expect(t.connector.sent().length).toBe(sendsBefore);
    expect(await t.bot.lists.repos.Consultations.all({})).toHaveLength(1);
  });

  it('a partner answers from the invitation: the form shows each question and theme, Submit gives a receipt', async () => {
    const form = card(await t.press('consult.answer', { ref }, PEOPLE.partner));
    const shown = JSON.stringify(form);
    for (const theme of THEMES) expect(shown).toContain(theme);
    expect(executeActions(form).map((a) => a.verb)).toEqual(['consult.submit', 'consult.save']);
    const receipt = card(await t.press('consult.submit', answers(), PEOPLE.partner));
    expect(cardText(receipt)).toContain('Your answers are recorded');
    // Shown back exactly as typed, line breaks and all, in TextRuns that never render markdown.
    expect(JSON.stringify(receipt)).toContain(JSON.stringify({ type: 'TextRun', text: JAKE.q1 }));
    const [item] = await feedback();
    expect(item?.name).toBe(PEOPLE.partner.name);
    expect(item?.respondentId).toBe(PEOPLE.partner.aadObjectId);
    expect(item?.organisation).toBe('HCVS');
    expect(item?.submitted).toBe(true);
    expect(item?.answers.map((a) => a.answer)).toEqual([JAKE.q1, JAKE.q2, JAKE.q3]);
    expect(item?.themes[0]).toEqual({ theme: THEMES[0], rating: 'Partly', comment: JAKE.povertyComment });
    expect(item?.history).toEqual([]);
  });

  it('the refresh shows each person their own answers; someone not invited sees the card as it is', async () => {
    const jakes = card(await t.press('consult.refresh', { ref, view: 'invitation' }, PEOPLE.partner));
    expect(cardText(jakes)).toContain('Your answers are recorded');
    expect(cardText(jakes)).toContain(JAKE.q3);
    const rorys = card(await t.press('consult.refresh', { ref, view: 'invitation' }, RORY));
    expect(cardText(rorys)).toContain('You have not answered yet.');
    expect(cardText(rorys)).not.toContain(JAKE.q3);
    const channel = card(
      await t.press('consult.refresh', { ref, view: 'channel' }, PEOPLE.partner, 'channel'),
    );
    expect(cardText(channel)).toContain('You answered on');
    expect(cardText(channel)).not.toContain(JAKE.q3);
    const officers = card(
      await t.press('consult.refresh', { ref, view: 'channel' }, PEOPLE.officer, 'channel'),
    );
    expect(cardText(officers)).not.toContain('You answered');
  });

  it('changing an answer keeps the earlier text in the history', async () => {
    const receipt = card(await t.press('consult.submit', answers({ q3: JAKE.q3Changed }), PEOPLE.partner));
    expect(cardText(receipt)).toContain('Your changes are recorded');
    const [item] = await feedback();
    expect(item?.answers[2]?.answer).toBe(JAKE.q3Changed);
    expect(item?.history).toHaveLength(1);
    expect(item?.history[0]?.answers[2]?.answer).toBe(JAKE.q3);
    // The same again (a double click) writes nothing.
    await t.press('consult.submit', answers({ q3: JAKE.q3Changed }), PEOPLE.partner);
    expect((await feedback())[0]?.history).toHaveLength(1);
  });

  it('a 10 KB answer is refused by name and nothing changes; markup is kept exactly as typed', async () => {
    const long = 'x'.repeat(10_240);
    const back = card(await t.press('consult.submit', answers({ q2: long }), PEOPLE.partner));
    expect(cardText(back)).toContain('Your answer to question 2 is 10,240 characters; the limit is 3,000');
    expect((await feedback())[0]?.answers[1]?.answer).toBe(JAKE.q2);

    const draft = card(await t.press('consult.save', { ref, fp, q1: MARKUP }, RORY));
    expect(cardText(draft)).toContain('Your draft is saved');
    expect(JSON.stringify(draft)).toContain(JSON.stringify({ type: 'TextRun', text: MARKUP }));
    const rorys = (await feedback()).find((f) => f.name === RORY.name);
    expect(rorys?.answers[0]?.answer).toBe(MARKUP);
    expect(rorys?.submitted).toBe(false);
  });

  it('a form from another consultation (or an older version) saves nothing and shows the right form', async () => {
    const wrong = card(
      await t.press(
        'consult.submit',
        answers({ fp: '0123456789abcdef', q1: 'from the wrong form' }),
        PEOPLE.partner,
      ),
    );
    expect(cardText(wrong)).toContain('That form was from another consultation');
    expect(JSON.stringify(wrong)).not.toContain('from the wrong form');
    expect((await feedback()).some((f) => f.answers.some((a) => a.answer === 'from the wrong form'))).toBe(
      false,
    );
    // Forged data (an input the card never had) is refused before anything runs.
    const forged = await t.press('consult.submit', { ...answers(), isOfficer: 'true' }, PEOPLE.partner);
    expect(text(forged)).toContain('That card sent something I could not read');
    // A button for a consultation that does not exist.
    expect(text(await t.press('consult.answer', { ref: 'C-0999' }, PEOPLE.partner))).toContain(
      'C-0999 no longer exists',
    );
  });

  it('someone not invited cannot answer, and is told who opened it', async () => {
    const said = text(await t.press('consult.answer', { ref }, PEOPLE.officer));
    expect(said).toContain('you are not among them');
    expect(said).toContain('Sonia Khan');
  });

  it('Answer on the channel card sends the form to the personal chat, never into the channel', async () => {
    const before = (await t.cardsFor(PEOPLE.partner)).length;
    const said = text(await t.press('consult.answer', { ref }, PEOPLE.partner, 'channel'));
    expect(said).toContain('personal chat');
    const jakes = await t.cardsFor(PEOPLE.partner);
    expect(jakes).toHaveLength(before + 1);
    expect(JSON.stringify(jakes.at(-1))).toContain(JAKE.q3Changed);
  });

  it('the officer sees the status by person and organisation with counts per theme; the chair too', async () => {
    const replies = await t.say(`consult status ${ref}`, PEOPLE.officer);
    const status = cardOf(replies.at(-1))!;
    expect(cardProblems(status)).toEqual([]);
    const said = cardText(status);
    expect(said).toMatch(/^5\nInvited\n1\nAnswered\n1\nDraft saved\n3\nNot yet$/m);
    expect(said).toContain('Organisations that answered (1): \nHCVS');
    expect(said).toContain(`Answered (1): \n${PEOPLE.partner.name} (HCVS)`);
    expect(said).toContain(`Draft saved (1): \n${RORY.name}`);
    expect(said).toContain(`${THEMES[0]}: \nhelps 0 · partly 1 · does not help 0`);
    expect(said).toContain(`${THEMES[1]}: \nhelps 1 · partly 0 · does not help 0`);
    const chairs = cardOf((await t.say('consult status', PEOPLE.chair)).at(-1))!;
    expect(cardText(chairs)).toContain(PEOPLE.partner.name);
    // In the channel, names go to the personal chat; the channel hears only that.
    const inChannel = await t.say('consult status', PEOPLE.officer, 'channel');
    expect((inChannel.at(-1) as { text?: string }).text).toContain('personal chat');
  });

  it('Respond posts the initial response to the partner and stores it on the feedback, once', async () => {
    const item = (await feedback()).find((f) => f.submitted)!;
    const before = (await t.cardsFor(PEOPLE.partner)).length;
    // As the status card sends it: the Respond box of the first entry is reply1.
    const status = card(
      await t.press(
        'consult.respond',
        { ref, item: item.id, slot: 1, reply1: INITIAL_RESPONSE, reply2: '' },
        PEOPLE.officer,
      ),
    );
    expect(cardText(status)).toContain(`Your initial response was sent to ${PEOPLE.partner.name}`);
    await t.press('consult.respond', { ref, item: item.id, response: INITIAL_RESPONSE }, PEOPLE.officer);
    const jakes = await t.cardsFor(PEOPLE.partner);
    expect(jakes).toHaveLength(before + 1);
    expect(cardText(jakes.at(-1))).toContain('Initial response from Sonia Khan');
    expect(cardText(jakes.at(-1))).toContain(INITIAL_RESPONSE);
    const stored = (await feedback()).find((f) => f.id === item.id)!;
    expect(stored.officerResponse).toMatch(
      new RegExp(`^Initial response from Sonia Khan \\(\\d{1,2} \\w{3} \\d{4} \\d{2}:\\d{2}\\): `),
    );
    expect(stored.officerResponse?.endsWith(INITIAL_RESPONSE)).toBe(true);
    expect(stored.officerResponse?.match(/Initial response from/g)).toHaveLength(1);
    expect(stored.respondedBy).toBe('Sonia Khan');
    // A partner cannot respond; a card from another consultation sends nothing.
    expect(
      text(await t.press('consult.respond', { ref, item: item.id, response: 'x' }, PEOPLE.partner)),
    ).toMatch(/^Only board officers/);
    expect(
      text(await t.press('consult.respond', { ref: 'C-0002', item: item.id, response: 'x' }, PEOPLE.officer)),
    ).toContain('no longer exists');
    expect(
      text(await t.press('consult.respond', { ref, item: item.id, response: '' }, PEOPLE.officer)),
    ).toContain('Write the initial response first');
  });

  it('Remind nudges only those who have not answered, at most once a day each', async () => {
    const status = card(await t.press('consult.remind', { ref }, PEOPLE.officer));
    expect(cardText(status)).toContain('Reminders are on their way to 4 people who have not answered.');
    await t.bot.consultations.service.settled();
    const reminded = (
      await t.bot.messaging.deliveries.forCampaign(
        `${`consultation:${ref}:reminder:`}${t.clock.now.toISOString().slice(0, 10)}`,
      )
    ).length;
    expect(reminded === 4 || reminded === 0).toBe(true);
    const again = (await t.say('consult remind', PEOPLE.officer)).at(-1) as { text?: string };
    expect(again.text).toContain('4 were already reminded today');
    await t.bot.consultations.service.settled();
    const jakes = await t.cardsFor(PEOPLE.partner);
    expect(jakes.some((c) => cardText(c).includes('A reminder'))).toBe(false);
    const roryCards = await t.cardsFor(RORY);
    expect(roryCards.filter((c) => cardText(c).includes('A reminder'))).toHaveLength(1);
    expect(cardText(roryCards.find((c) => cardText(c).includes('A reminder')))).toContain(
      'You saved a draft',
    );
  });

  it('closing makes every card read-only, posts the summary once, and refuses a late answer politely', async () => {
    const closed = (await t.say('consult close', PEOPLE.officer)).at(-1) as { text?: string };
    expect(closed.text).toContain(`${ref} is closed.`);
    await t.bot.consultations.service.settled();
    expect((await consultation()).status).toBe('Closed');
    const updates = t.connector.updated();
    const channelCard = t.connector.calls.find(
      (c) => c.method === 'PUT' && c.conversationId === CHANNEL && c.activityId === 'form-card-1',
    );
    expect(cardText(cardOf(channelCard?.body))).toMatch(/Closed on \w+day \d+ \w+ \d{4} at \d{2}:\d{2}/);
    expect(executeActions(cardOf(channelCard?.body)).filter((a) => a.verb !== 'consult.refresh')).toEqual([]);
    expect(updates.length).toBeGreaterThanOrEqual(6);
    const summaries = t.connector.calls.filter(
      (c) =>
        c.method === 'POST' &&
        c.conversationId === CHANNEL &&
        cardText(cardOf(c.body)).includes('Consultation closed'),
    );
    expect(summaries).toHaveLength(1);
    const summary = cardText(cardOf(summaries[0]?.body));
    expect(summary).toContain('1 response from 1 organisation (5 invited).');
    expect(summary).not.toContain(PEOPLE.partner.name);
    expect(summary).not.toContain('HCVS');
    // Closing again changes nothing and posts nothing.
    expect(
      ((await t.say('consult close ' + ref, PEOPLE.officer)).at(-1) as { text?: string }).text,
    ).toContain('already closed');
    await t.bot.consultations.service.afterClose(await consultation());
    expect(
      t.connector.calls.filter(
        (c) =>
          c.method === 'POST' &&
          c.conversationId === CHANNEL &&
          cardText(cardOf(c.body)).includes('Consultation closed'),
      ),
    ).toHaveLength(1);

    const late = card(await t.press('consult.submit', answers({ q1: 'too late' }), PEOPLE.partner));
    expect(cardText(late)).toContain(`Sorry, consultation ${ref} closed on`);
    expect(cardText(late)).toContain('Nothing was changed.');
    expect((await feedback()).some((f) => f.answers.some((a) => a.answer === 'too late'))).toBe(false);
  });

  it('the export is an .xlsx and a CSV behind a signed, expiring link, with everything said', async () => {
    const replies = await t.say('consult export', PEOPLE.officer);
    const exportCard = cardOf(replies.at(-1))!;
    expect(cardProblems(exportCard)).toEqual([]);
    const links = (exportCard.actions ?? []).map((a) => (a as { url?: string }).url ?? '');
    const xlsx = links.find((u) => u.endsWith('.xlsx'))!;
    const csv = links.find((u) => u.endsWith('.csv'))!;
    expect(xlsx.startsWith(t.bot.url)).toBe(true);
    const res = await fetch(xlsx);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const sheet = wb.getWorksheet('Feedback')!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headers).toContain('Respondent');
    const rows = sheet
      .getRows(2, sheet.rowCount - 1)!
      .map((r) => (r.values as unknown[]).slice(1).map((v) => (v ?? '') as string));
    const jakes = rows.find((r) => r.includes(PEOPLE.partner.name))!;
    expect(jakes).toContain(JAKE.q1);
    expect(jakes).toContain(JAKE.q3Changed);
    expect(jakes.some((v) => v.includes(INITIAL_RESPONSE))).toBe(true);
    const rorys = rows.find((r) => r.includes(RORY.name))!;
    expect(rorys).toContain(MARKUP);
    const csvRes = await fetch(csv);
    expect(csvRes.status).toBe(200);
    const csvBytes = Buffer.from(await csvRes.arrayBuffer());
    // The byte-order mark, so Excel reads UTF-8.
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csvText = csvBytes.toString('utf8');
    expect(csvText).toContain('"1) Shrinking resources');
    // A forged or altered link finds nothing; an expired one says so.
    expect(
      (await fetch(xlsx.replace(/\.([A-Za-z0-9_-]{32})\/C-/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/C-'))).status,
    ).toBe(404);
    expect((await fetch(xlsx.replace(ref, 'C-0002'))).status).toBe(404);
    const realNow = t.clock.now;
    t.clock.now = new Date(realNow.getTime() + 2 * 3_600_000);
    const expired = await fetch(xlsx);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('expired');
    t.clock.now = realNow;
  });

  it('"you said, we did" records per theme what changed and tells the partners who answered', async () => {
    const form = cardOf((await t.say('consult you said we did', PEOPLE.officer)).at(-1))!;
    expect(cardProblems(form)).toEqual([]);
    const empty = card(await t.press('consult.wedid.save', { ref }, PEOPLE.officer));
    expect(cardText(empty)).toContain('Say what changed for at least one theme.');
    const before = (await t.cardsFor(PEOPLE.partner)).length;
    const done = card(await t.press('consult.wedid.save', { ref, w1: WE_DID_POVERTY }, PEOPLE.officer));
    expect(cardText(done)).toContain('Sent to the 1 partner who answered, and posted to the channel.');
    await t.bot.consultations.service.settled();
    const jakes = await t.cardsFor(PEOPLE.partner);
    expect(jakes).toHaveLength(before + 1);
    expect(cardText(jakes.at(-1))).toContain('You said, we did');
    expect(cardText(jakes.at(-1))).toContain(WE_DID_POVERTY);
    expect((await t.cardsFor(RORY)).some((c) => cardText(c).includes('You said, we did'))).toBe(false);
    expect((await consultation()).weDid?.themes).toEqual([{ theme: THEMES[0], text: WE_DID_POVERTY }]);
    expect(text(await t.press('consult.wedid', { ref }, PEOPLE.partner))).toMatch(/^Only board officers/);
    expect(card(await t.press('consult.wedid', { ref }, PEOPLE.officer))).toBeTruthy();
    void RORY_SAID;
  });
});
