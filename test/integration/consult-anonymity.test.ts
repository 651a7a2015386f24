import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formPrint } from '../../bot/features/consultations/answers.js';
import { toConsultation, toFeedback } from '../../bot/features/consultations/model.js';
import { PEOPLE } from '../support/activities.js';
import { cardText } from '../support/cards.js';
import { RORY, cardOf, newForm, startConsultBot, type ConsultBot } from '../support/consult-harness.js';
import { card } from '../support/card-asserts.js';
import { INITIAL_RESPONSE, JAKE, RORY as RORY_SAID } from '../fixtures/consult-seed.js';

/**
 * "Anonymous to everyone, officers included" and "one answer per organisation"; the deadline
 * closing a consultation by itself; and the lists throttling while partners answer.
 */

describe('anonymous to everyone, one answer per organisation, closed by the deadline', () => {
  let t: ConsultBot;
  let ref = '';
  let fp = '';
  const consultation = async () =>
    toConsultation(
      (await t.bot.lists.repos.Consultations.all({})).find((i) => i.fields.ConsultationRef === ref)!,
    );
  const feedback = async () =>
    (await t.bot.lists.repos.Feedback.all({})).map(toFeedback).filter((f) => f.ref === ref);

  beforeAll(async () => {
    t = await startConsultBot();
    const body = await t.press(
      'consult.open',
      newForm(t.clock.now, {
        anonymity: 'Anonymous to everyone',
        countPer: 'Organisation',
        key: 'feedfacefeedface0001',
      }),
      PEOPLE.officer,
      'channel',
      'form-card-9',
    );
    ref = /Consultation (C-\d{4})/.exec(cardText(card(body)))![1]!;
    await t.bot.consultations.service.settled();
    fp = formPrint(await consultation());
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps no name: the item has a one-way key and no title, and the status card names nobody', async () => {
    card(
      await t.press(
        'consult.submit',
        { ref, fp, org: JAKE.organisation, q1: JAKE.q1, r1: 'Partly' },
        PEOPLE.partner,
      ),
    );
    const [item] = await feedback();
    expect(item?.name).toBe('');
    expect(item?.respondentId).toMatch(/^anon:[a-f0-9]{48}$/);
    expect(JSON.stringify(item)).not.toContain(PEOPLE.partner.aadObjectId);
    expect(item?.organisation).toBe('HCVS');
    // Jake still finds his own answers.
    const mine = card(await t.press('consult.answer', { ref }, PEOPLE.partner));
    expect(JSON.stringify(mine)).toContain('Shrinking resources');

    const status = cardOf((await t.say('consult status', PEOPLE.officer)).at(-1))!;
    const said = cardText(status);
    expect(said).toContain('anonymous to everyone, officers included');
    expect(said).not.toContain(PEOPLE.partner.name);
    expect(said).not.toContain(RORY.name);
    expect(said).toContain('HCVS');
    expect(cardText(status)).toMatch(/^1\nAnswered$/m);
  });

  it('per organisation, the latest answer from an organisation is the one that counts', async () => {
    // Rory answers for the same organisation (he is standing in for it): his, the latest, counts.
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    const receipt = card(
      await t.press('consult.submit', { ref, fp, org: 'hcvs', q1: RORY_SAID.q1, r1: 'Helps' }, RORY),
    );
    expect(cardText(receipt)).toContain('this, the latest from hcvs, is the one that counts');
    const status = cardText(cardOf((await t.say('consult status', PEOPLE.officer)).at(-1))!);
    expect(status).toContain('helps 1 · partly 0 · does not help 0');
    expect(status).toContain('superseded by a later answer from the same organisation');
    // Without an organisation there is nothing to count it by.
    const none = card(await t.press('consult.submit', { ref, fp, q1: 'no org' }, PEOPLE.obrien));
    expect(cardText(none)).toContain('Say which organisation you answer for');
  });

  it("an officer's response reaches the anonymous partner without the officer learning who", async () => {
    const item = (await feedback()).find((f) => f.answers[0]?.answer === JAKE.q1)!;
    const status = card(
      await t.press('consult.respond', { ref, item: item.id, response: INITIAL_RESPONSE }, PEOPLE.officer),
    );
    expect(cardText(status)).toContain('sent to the partner (who stays anonymous)');
    const jakes = await t.cardsFor(PEOPLE.partner);
    expect(cardText(jakes.at(-1))).toContain(INITIAL_RESPONSE);
  });

  it('the deadline closes it: the scheduler tick closes it and a late answer is refused politely', async () => {
    const c = await consultation();
    t.clock.now = new Date(Date.parse(c.closesAt) + 60_000);
    const late = card(
      await t.press('consult.submit', { ref, fp, org: 'HCVS', q1: 'after the deadline' }, PEOPLE.partner),
    );
    expect(cardText(late)).toContain('Sorry, consultation');
    expect(cardText(late)).toContain('Nothing was changed.');
    const ticked = await t.bot.consultations.service.tick();
    expect(ticked.closed).toEqual([ref]);
    await t.bot.consultations.service.settled();
    expect((await consultation()).status).toBe('Closed');
    expect((await t.bot.consultations.service.tick()).closed).toEqual([]);
    expect((await feedback()).some((f) => f.answers.some((a) => a.answer === 'after the deadline'))).toBe(
      false,
    );
  });

  it('the export names nobody', async () => {
    const exportCard = cardOf((await t.say(`consult export ${ref}`, PEOPLE.officer)).at(-1))!;
    expect(cardText(exportCard)).toContain('the files name nobody');
    const url = (exportCard.actions ?? [])
      .map((a) => (a as { url?: string }).url ?? '')
      .find((u) => u.endsWith('.xlsx'))!;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await (await fetch(url)).arrayBuffer()) as never);
    const all = JSON.stringify(wb.getWorksheet('Feedback')!.getSheetValues());
    expect(all).not.toContain('Respondent');
    expect(all).not.toContain(PEOPLE.partner.name);
    expect(all).not.toContain(RORY.name);
    expect(all).toContain('Shrinking resources');
    const csv = await (await fetch(url.replace(/\.xlsx$/, '.csv'))).text();
    expect(csv).not.toContain(PEOPLE.partner.name);
  });
});

describe('the lists throttling while partners answer', () => {
  let t: ConsultBot;
  beforeAll(async () => {
    t = await startConsultBot();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers are saved through 429s (retried with Retry-After), once', async () => {
    const body = await t.press(
      'consult.open',
      newForm(t.clock.now, { key: 'beadbeadbeadbead0002' }),
      PEOPLE.officer,
      'channel',
    );
    const ref = /Consultation (C-\d{4})/.exec(cardText(body.value))![1]!;
    await t.bot.consultations.service.settled();
    const c = toConsultation((await t.bot.lists.repos.Consultations.all({}))[0]!);
    t.lists.setFaults({ rate: 0.4, status: 429, retryAfterSeconds: 0, seed: 7 });
    try {
      const receipt = await t.press('consult.submit', { ref, fp: formPrint(c), q1: JAKE.q1 }, PEOPLE.partner);
      expect(cardText(receipt.value)).toContain('Your answers are recorded');
    } finally {
      t.lists.setFaults({ rate: 0 });
    }
    const items = (await t.bot.lists.repos.Feedback.all({})).map(toFeedback);
    expect(items).toHaveLength(1);
    expect(items[0]?.answers[0]?.answer).toBe(JAKE.q1);
  });

  it('when the lists stay down, the person is told nothing was saved', async () => {
    t.lists.setFaults({ rate: 1, status: 503, retryAfterSeconds: 0 });
    try {
      const said = await t.say('consult status', PEOPLE.officer);
      expect((said.at(-1) as { text?: string }).text).toContain('not answering just now');
    } finally {
      t.lists.setFaults({ rate: 0 });
    }
  });
});
