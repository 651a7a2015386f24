import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdaptiveCard } from '../../cards/adaptive.js';
import type { Delivery, DeliveryStatus } from '../../bot/messaging/index.js';
import { PEOPLE, type Person } from '../support/activities.js';
import { cardProblems, cardText, executeActions } from '../support/cards.js';
import {
  CARD,
  MELBA,
  RORY,
  cardOf,
  newForm,
  startConsultBot,
  type ConsultBot,
  type InvokeBody,
} from '../support/consult-harness.js';

/**
 * Invitations that may not have arrived, over HTTP: a delivery the fan-out left Unconfirmed (the bot
 * died between its claim and Teams' answer) or Failed is on the officer's status card by name, and
 * "Send their invitations again" sends exactly those once more, each once, and nothing on a
 * second click. Partners and chairs cannot; a closed consultation sends nothing.
 */

const REFUSAL =
  "Only board officers can send consultation invitations again. If you think you should be able to, ask one of the board's officers.";

const card = (body: InvokeBody): AdaptiveCard => {
  expect(body.type, JSON.stringify(body.value).slice(0, 300)).toBe(CARD);
  const c = body.value as AdaptiveCard;
  expect(cardProblems(c)).toEqual([]);
  return c;
};

const resendButtons = (c: AdaptiveCard) => executeActions(c).filter((a) => a.verb === 'consult.resend');

describe('invitations that may not have arrived', () => {
  let t: ConsultBot;
  let ref = '';

  const invitations = async (): Promise<Delivery[]> =>
    t.bot.messaging.deliveries.forCampaign(`consultation:${ref}:invitation`);
  const deliveryOf = async (who: Person): Promise<Delivery> => {
    const found = (await invitations()).find(
      (d) => d.recipient.kind === 'user' && d.recipient.aadObjectId === who.aadObjectId,
    );
    expect(found, `${who.name}'s invitation`).toBeDefined();
    return found!;
  };
  /** As the fan-out leaves it: Unconfirmed after a crash mid-send, Failed when Teams refused. */
  const mark = async (who: Person, status: Extract<DeliveryStatus, 'Failed' | 'Unconfirmed'>) => {
    const d = await deliveryOf(who);
    await t.bot.lists.repos.Deliveries.update(d.id, {
      Status: status,
      ActivityId: null,
      LastError:
        status === 'Unconfirmed'
          ? 'The process stopped between claiming this delivery and hearing back from Teams.'
          : 'Could not reach the person: 403 Forbidden',
    });
  };
  /** Invitation cards that reached a person's personal chat, all told. */
  const invitationsTo = async (who: Person) =>
    (await t.cardsFor(who)).filter((c) => cardText(c).includes('Your views are invited')).length;
  const counts = async () =>
    Object.fromEntries(
      await Promise.all(
        [PEOPLE.chair, PEOPLE.partner, PEOPLE.obrien, RORY, MELBA].map(
          async (p) => [p.name, await invitationsTo(p)] as const,
        ),
      ),
    );
  const statusFor = async (who: Person) => cardOf((await t.say(`consult status ${ref}`, who)).at(-1))!;
  const ledger = async () => (await invitations()).map((d) => [d.key, d.status, d.etag]).sort();

  beforeAll(async () => {
    t = await startConsultBot();
    const body = await t.press(
      'consult.open',
      newForm(t.clock.now),
      PEOPLE.officer,
      'channel',
      'form-card-1',
    );
    ref = /Consultation (C-\d{4})/.exec(cardText(card(body)))![1]!;
    await t.bot.consultations.service.settled();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('when every invitation arrived, the status card says nothing about them', async () => {
    expect((await invitations()).map((d) => d.status)).toEqual(Array(5).fill('Sent'));
    expect(Object.values(await counts())).toEqual([1, 1, 1, 1, 1]);
    const status = await statusFor(PEOPLE.officer);
    expect(cardProblems(status)).toEqual([]);
    expect(cardText(status)).not.toMatch(/invitation/i);
    expect(resendButtons(status)).toEqual([]);
  });

  it("the officer's status card names them; the chair's card does not", async () => {
    await mark(PEOPLE.obrien, 'Unconfirmed');
    await mark(RORY, 'Failed');
    const status = await statusFor(PEOPLE.officer);
    expect(cardProblems(status)).toEqual([]);
    const line = `2 invitations may not have arrived: ${PEOPLE.obrien.name}, ${RORY.name}.`;
    expect(cardText(status)).toContain(line);
    expect(cardText(status)).toContain('3 of 5 invitations delivered.');
    // People's names as Teams gave them, in a TextRun: never markdown.
    expect(JSON.stringify(status)).toContain(JSON.stringify({ type: 'TextRun', text: line }).slice(0, -1));
    expect(resendButtons(status)).toEqual([
      { verb: 'consult.resend', title: 'Send their invitations again', data: { ref } },
    ]);

    const chairs = await statusFor(PEOPLE.chair);
    expect(cardText(chairs)).toContain('Invited');
    expect(cardText(chairs)).not.toContain('may not have arrived');
    expect(resendButtons(chairs)).toEqual([]);
  });

  it('a partner or a chair pressing it is refused with the role message, and nothing changes', async () => {
    const before = await ledger();
    const sent = t.connector.sent().length;
    for (const who of [PEOPLE.partner, PEOPLE.chair]) {
      const body = await t.press('consult.resend', { ref }, who);
      expect(body.type).toBe('application/vnd.microsoft.activity.message');
      expect(body.value).toBe(REFUSAL);
    }
    await t.bot.consultations.service.settled();
    expect(await ledger()).toEqual(before);
    expect(t.connector.sent().length).toBe(sent);
  });

  it("the officer's click sends each of them one invitation, and their deliveries become Sent", async () => {
    const before = await counts();
    const status = card(await t.press('consult.resend', { ref }, PEOPLE.officer));
    expect(cardText(status)).toContain('Sending 2 invitations again, once each.');
    await t.bot.consultations.service.settled();

    const after = await counts();
    expect(after).toEqual({
      ...before,
      [PEOPLE.obrien.name]: before[PEOPLE.obrien.name]! + 1,
      [RORY.name]: before[RORY.name]! + 1,
    });
    for (const who of [PEOPLE.obrien, RORY]) {
      const d = await deliveryOf(who);
      expect(d.status).toBe('Sent');
      expect(d.attempts).toBe(1);
      expect(d.activityId).toMatch(/^activity-\d+$/);
      expect(d.lastError).toBeUndefined();
    }
    // What they got is the invitation, with its Answer button.
    const daras = (await t.cardsFor(PEOPLE.obrien)).filter((c) =>
      cardText(c).includes('Your views are invited'),
    );
    expect(executeActions(daras.at(-1)).map((a) => a.verb)).toContain('consult.answer');

    const refreshed = await statusFor(PEOPLE.officer);
    expect(cardText(refreshed)).not.toMatch(/invitation/i);
    expect(resendButtons(refreshed)).toEqual([]);
  });

  it('a second click sends nothing, changes nothing and says so', async () => {
    const before = await ledger();
    const received = await counts();
    const again = card(await t.press('consult.resend', { ref }, PEOPLE.officer));
    expect(cardText(again)).toContain(
      `No invitations to ${ref} are waiting to be sent again, so nothing was sent.`,
    );
    await t.bot.consultations.service.settled();
    expect(await ledger()).toEqual(before);
    expect(await counts()).toEqual(received);
  });

  it('two clicks at once still send each person one', async () => {
    await mark(MELBA, 'Unconfirmed');
    const received = await counts();
    const notices = (
      await Promise.all([
        t.press('consult.resend', { ref }, PEOPLE.officer),
        t.press('consult.resend', { ref }, PEOPLE.officer, 'personal', 'card-2'),
      ])
    ).map((b) => cardText(card(b)).split('\n')[1]);
    expect(notices.sort()).toEqual([
      `No invitations to ${ref} are waiting to be sent again, so nothing was sent.`,
      'Sending 1 invitation again, once each. Press Refresh in a minute to see it delivered.',
    ]);
    await t.bot.consultations.service.settled();
    expect(await counts()).toEqual({ ...received, [MELBA.name]: received[MELBA.name]! + 1 });
    expect((await deliveryOf(MELBA)).status).toBe('Sent');
  });

  it('once the consultation has closed, it sends nothing and says why', async () => {
    await mark(PEOPLE.obrien, 'Failed');
    expect(
      ((await t.say(`consult close ${ref}`, PEOPLE.officer)).at(-1) as { text?: string }).text,
    ).toContain(`${ref} is closed.`);
    await t.bot.consultations.service.settled();
    const before = await ledger();
    const received = await counts();
    const status = card(await t.press('consult.resend', { ref }, PEOPLE.officer));
    expect(cardText(status)).toMatch(
      new RegExp(
        `${ref} closed on \\w+day \\d+ \\w+ \\d{4} at \\d{2}:\\d{2}, so no invitations were sent again\\.`,
      ),
    );
    // The card still says whose never arrived, but offers nothing to press.
    expect(cardText(status)).toContain(`1 invitation may not have arrived: ${PEOPLE.obrien.name}.`);
    expect(resendButtons(status)).toEqual([]);
    await t.bot.consultations.service.settled();
    expect(await ledger()).toEqual(before);
    expect(await counts()).toEqual(received);
    expect((await deliveryOf(PEOPLE.obrien)).status).toBe('Failed');
  });
});
