import { readDateOnly } from '../../bot/sharepoint/dates.js';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AdaptiveCard } from '../../cards/adaptive.js';
import { PEOPLE } from '../support/activities.js';
import {
  ACTIONS_ROSTER,
  cardOf,
  logAsActionFetch,
  logAsActionSubmit,
} from '../support/actions-activities.js';
import { useTestBot } from '../support/use-test-bot.js';
import { cardProblems, cardText } from '../support/cards.js';

const LINK =
  'https://teams.microsoft.com/l/message/19:general@thread.tacv2/1519639200000?tenantId=tenant-council&parentMessageId=1519639200000';
type TaskBody = {
  task?: { type: string; value: { title?: string; card?: { content: AdaptiveCard } } | string };
};

/** The values of a dialog card's inputs, as Teams would submit them unchanged, plus its Submit data. */
function submitted(card: AdaptiveCard): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const el of card.body) if ('id' in el && el.id && 'value' in el) values[el.id] = el.value ?? '';
  const submit = card.actions?.[0] as unknown as { data: Record<string, unknown> };
  return { ...submit.data, ...values };
}

describe('"Log as action" on any message', () => {
  const t = useTestBot();
  beforeEach(() => {
    t.connector.reset();
    t.lists.setFaults({ rate: 0 });
    t.connector.setMembers(ACTIONS_ROSTER);
  });
  const channel = () => ({ serviceUrl: t.connector.serviceUrl, type: 'channel' as const });
  const items = () => t.bot.lists.repos.Actions.all({});
  const open = async (html: string, id = String(Date.now() + Math.random()), author = PEOPLE.officer) => {
    const res = await t.post(
      logAsActionFetch(PEOPLE.partner, channel(), { id, html, author, linkToMessage: LINK }),
    );
    const body = res.body as TaskBody;
    expect(body.task?.type).toBe('continue');
    const card = (body.task?.value as { card: { content: AdaptiveCard } }).card.content;
    expect(cardProblems(card)).toEqual([]);
    return card;
  };

  it('opens prefilled from the message (no markup, owners, due date) and logs it with a link back', async () => {
    const card = await open(
      '<p>Can <at>Rachel Duke</at> and Tim Shields circulate the &quot;final&quot; pack by 9 March 2018?</p>',
    );
    const values = submitted(card);
    expect(values.text).toBe('Can Rachel Duke and Tim Shields circulate the "final" pack by 9 March 2018?');
    expect(values.dueDate).toBe('2018-03-09');
    expect(values.sourceUrl).toBe(LINK);

    const before = (await items()).length;
    const res = await t.post(
      logAsActionSubmit(PEOPLE.partner, channel(), { ...values, owners: 'Rachel Duke; Tim Shields' }),
    );
    expect(res.status).toBe(200);
    const all = await items();
    expect(all).toHaveLength(before + 1);
    const item = all.at(-1);
    expect(item?.fields).toMatchObject({
      Owners: 'Rachel Duke; Tim Shields',
      OwnerIds: 'aad-rachel-duke; aad-tim-shields',
      SourceUrl: LINK,
      LoggedBy: 'Jake Ferguson',
      Status: 'Open',
    });
    expect(readDateOnly(item?.fields.DueDate)).toBe('2018-03-09');
    expect(item?.fields.SourceKey).toMatch(/^message:/);
    expect(item?.fields.Details).toContain('Jake Ferguson: logged it from a message');
    const posted = cardOf(t.connector.sent().at(-1)) as AdaptiveCard;
    expect(cardProblems(posted)).toEqual([]);
    expect(cardText(posted)).toContain(`Action logged: ${item?.fields.ActionRef}`);
  });

  it("works on someone else's message with no owner named: its author is suggested", async () => {
    const card = await open(
      '<p>I will send the safeguarding figures to the board</p>',
      undefined,
      PEOPLE.obrien,
    );
    expect(submitted(card).owners).toBe("Dara O'Brien");
  });

  it('the same message logged twice is one action', async () => {
    const card = await open('<p>Sonia Khan to check the venue</p>', 'same-message-1');
    const values = submitted(card);
    await t.post(logAsActionSubmit(PEOPLE.partner, channel(), values));
    const before = (await items()).length;
    const again = await open('<p>Sonia Khan to check the venue</p>', 'same-message-1');
    await t.post(logAsActionSubmit(PEOPLE.officer, channel(), submitted(again)));
    expect(await items()).toHaveLength(before);
    expect(cardText(cardOf(t.connector.sent().at(-1)))).toContain('Already logged as');
  });

  it('an empty action or an impossible date brings the dialog back with the reason, and saves nothing', async () => {
    const card = await open('<p>Sonia Khan to check the venue</p>');
    const before = (await items()).length;
    for (const change of [
      { text: '   ' },
      { dueDate: '2019-02-31' },
      { dueDate: '', dueText: '31/02/2019' },
    ]) {
      const body = (
        await t.post(logAsActionSubmit(PEOPLE.partner, channel(), { ...submitted(card), ...change }))
      ).body as TaskBody;
      expect(body.task?.type).toBe('continue');
      const again = (body.task?.value as { card: { content: AdaptiveCard } }).card.content;
      expect(cardText(again)).toMatch(/Say what needs doing|not a date|not a real date/);
    }
    expect(await items()).toHaveLength(before);
  });

  it('forged submits are refused: bad types, and links that are not web links are dropped', async () => {
    const before = (await items()).length;
    const bad = (
      await t.post(logAsActionSubmit(PEOPLE.partner, channel(), { text: ['x'], messageKey: 'zz' }))
    ).body as TaskBody;
    expect(bad.task).toEqual({ type: 'message', value: expect.stringContaining('nothing was saved') });
    expect(await items()).toHaveLength(before);
    await t.post(
      logAsActionSubmit(PEOPLE.partner, channel(), {
        text: 'Check the link',
        sourceUrl: 'javascript:alert(1)',
        messageKey: 'e'.repeat(24),
      }),
    );
    const item = (await items()).at(-1);
    expect(item?.fields.Title).toBe('Check the link');
    expect(item?.fields.SourceUrl).toBeUndefined();
  });

  it('when the lists are down, the person is told it was NOT saved', async () => {
    const card = await open('<p>Tim Shields to write up the bilateral notes</p>');
    const before = (await items()).length;
    t.lists.setFaults({ rate: 1, status: 503, retryAfterSeconds: 0, seed: 4 });
    const body = (await t.post(logAsActionSubmit(PEOPLE.partner, channel(), submitted(card))))
      .body as TaskBody;
    t.lists.setFaults({ rate: 0 });
    expect(body.task).toEqual({ type: 'message', value: expect.stringContaining('NOT saved') });
    expect(await items()).toHaveLength(before);
  });
});
