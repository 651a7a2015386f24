import { readDateOnly } from '../../bot/sharepoint/dates.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningBot } from '../../bot/index.js';
import type { AdaptiveCard } from '../../cards/adaptive.js';
import { PEOPLE, TENANT, cardAction } from '../support/activities.js';
import {
  ACTIONS_ROSTER,
  ROSTER_PEOPLE,
  cardOf,
  fromTenant,
  messageAt,
  textOf,
} from '../support/actions-activities.js';
import { startPeerBot } from '../support/bot-harness.js';
import { useTestBot } from '../support/use-test-bot.js';
import { cardProblems, cardText, executeActions } from '../support/cards.js';

// Monday 26 February 2018, 10:00 in London.
const AT = new Date('2018-02-26T10:00:00Z');

describe('logging actions from chat', () => {
  const t = useTestBot({ env: { MicrosoftAppTenantId: TENANT } });
  beforeEach(() => {
    t.connector.reset();
    t.lists.setFaults({ rate: 0 });
    t.connector.setMembers(ACTIONS_ROSTER);
  });
  const personal = () => ({ serviceUrl: t.connector.serviceUrl });
  const items = () => t.bot.lists.repos.Actions.all({});
  const itemByRef = async (ref: string) => (await items()).find((i) => i.fields.ActionRef === ref);
  const lastCard = () => cardOf(t.connector.sent().at(-1)) as AdaptiveCard;
  const refOf = (card: AdaptiveCard) => /A-\d{4}/.exec(cardText(card))?.[0] ?? '';

  it('"action …" in a personal chat writes the item at once and answers with what it understood', async () => {
    const res = await t.post(
      messageAt(
        'action Sonia Khan & Rachel Duke to share the procurement strategy by end of June 2018',
        PEOPLE.partner,
        personal(),
        { at: AT },
      ),
    );
    expect(res.status).toBe(200);
    const card = lastCard();
    expect(cardProblems(card)).toEqual([]);
    const ref = refOf(card);
    const item = await itemByRef(ref);
    expect(item?.fields).toMatchObject({
      Title: 'Sonia Khan & Rachel Duke to share the procurement strategy',
      Owners: 'Sonia Khan; Rachel Duke',
      OwnerIds: `${PEOPLE.officer.aadObjectId}; aad-rachel-duke`,
      DueText: 'end of June 2018',
      Tentative: false,
      Status: 'Open',
      LoggedBy: 'Jake Ferguson',
    });
    expect(readDateOnly(item?.fields.DueDate)).toBe('2018-06-30');
    expect(item?.fields.SourceKey).toMatch(/^msg:[a-f0-9]{40}$/);
    expect(item?.fields.Details).toContain('26 Feb 2018 10:00, Jake Ferguson: logged it from chat');
    const text = cardText(card);
    expect(text).toContain(`Action logged: ${ref}`);
    expect(text).toContain('Saturday 30 June 2018');
    expect(executeActions(card).map((a) => a.verb)).toEqual(['actions.edit', 'actions.undo']);
  });

  it('"action: …" in a channel takes owners from @mentions, with their ids', async () => {
    await t.post(
      messageAt(
        'action: Rachel Duke to book Committee Room 102 by 3/9/2018',
        PEOPLE.officer,
        { ...personal(), type: 'channel' },
        {
          at: AT,
          mentions: [ROSTER_PEOPLE.rachel],
        },
      ),
    );
    const item = await itemByRef(refOf(lastCard()));
    expect(item?.fields).toMatchObject({
      Owners: 'Rachel Duke',
      OwnerIds: 'aad-rachel-duke',
      Title: 'Rachel Duke to book Committee Room 102',
    });
    expect(readDateOnly(item?.fields.DueDate)).toBe('2018-09-03');
  });

  it('"ACTION - …" in a group chat keeps a tentative phrase as written, and a team as owner', async () => {
    await t.post(
      messageAt(
        'ACTION - LBH Policy Team to report back October 2018 (TBC)',
        PEOPLE.officer,
        { ...personal(), type: 'groupChat', conversationId: '19:group@thread.v2' },
        { at: AT },
      ),
    );
    const item = await itemByRef(refOf(lastCard()));
    expect(item?.fields).toMatchObject({
      Owners: 'LBH Policy Team',
      Tentative: true,
      DueText: 'October 2018 (TBC)',
    });
    expect(item?.fields.OwnerIds).toBeUndefined();
    expect(cardText(lastCard())).toContain('tentative');
  });

  it("names with apostrophes are matched to the roster (O'Brien); no owner named means the sender", async () => {
    await t.post(
      messageAt("action Dara O'Brien to check the figures by Friday", PEOPLE.chair, personal(), { at: AT }),
    );
    const obrien = await itemByRef(refOf(lastCard()));
    expect(obrien?.fields).toMatchObject({ Owners: "Dara O'Brien", OwnerIds: 'aad-dara-obrien' });
    expect(readDateOnly(obrien?.fields.DueDate)).toBe('2018-03-02');
    expect(cardText(lastCard())).toContain("Dara O'Brien");

    await t.post(
      messageAt('action book the venue for the March meeting', PEOPLE.partner, personal(), { at: AT }),
    );
    const mine = await itemByRef(refOf(lastCard()));
    expect(mine?.fields).toMatchObject({ Owners: 'Jake Ferguson', OwnerIds: PEOPLE.partner.aadObjectId });
  });

  it.each([
    ['action:', /for example/],
    ['action', /for example/],
    [`action Sonia to read ${'the papers '.repeat(1000)}`, /too long/],
    ['action Sonia Khan to report back by 31/02/2019', /31\/02\/2019/],
  ])('bad input (%#) gets a clear message and writes nothing', async (text, message) => {
    const before = (await items()).length;
    await t.post(messageAt(text, PEOPLE.partner, personal(), { at: AT }));
    expect(textOf(t.connector.sent()[0])).toMatch(message);
    expect(await items()).toHaveLength(before);
  });

  it('the same message delivered twice is logged once', async () => {
    const activity = messageAt(
      'action Tim Shields to set up bilateral discussions',
      PEOPLE.officer,
      personal(),
      { at: AT },
    );
    await t.post(activity);
    await t.post(activity);
    const matching = (await items()).filter(
      (i) => i.fields.Title === 'Tim Shields to set up bilateral discussions',
    );
    expect(matching).toHaveLength(1);
    expect(t.connector.sent()).toHaveLength(1);
  });

  it('when the lists are down, says the action was NOT saved, and writes nothing', async () => {
    const before = (await items()).length;
    t.lists.setFaults({ rate: 1, status: 503, retryAfterSeconds: 0, seed: 3 });
    await t.post(messageAt('action Sonia Khan to chase the CCG', PEOPLE.officer, personal(), { at: AT }));
    t.lists.setFaults({ rate: 0 });
    const reply = textOf(t.connector.sent()[0]);
    expect(reply).toContain('NOT saved');
    expect(reply).not.toMatch(/logged/i);
    expect(await items()).toHaveLength(before);
  });

  it('with the lists throttling (429) a third of the time, every action is still saved once', async () => {
    t.lists.setFaults({ rate: 0.3, status: 429, retryAfterSeconds: 0, seed: 1 });
    for (let i = 0; i < 5; i++) {
      await t.post(
        messageAt(`action Sonia Khan to send throttled paper ${i}`, PEOPLE.officer, personal(), { at: AT }),
      );
    }
    t.lists.setFaults({ rate: 0 });
    const saved = (await items()).filter((i) =>
      i.fields.Title.startsWith('Sonia Khan to send throttled paper'),
    );
    expect(saved).toHaveLength(5);
    expect(new Set(saved.map((i) => i.fields.ActionRef)).size).toBe(5);
    expect(t.connector.sent().map(textOf).join('\n')).not.toContain('NOT saved');
  });

  it('twenty people logging at once get twenty different references', async () => {
    const people = [PEOPLE.officer, PEOPLE.partner, PEOPLE.chair, PEOPLE.obrien];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.post(
          messageAt(
            `action Rachel Duke to write concurrent note ${i}`,
            people[i % 4]!,
            { ...personal(), conversationId: `a:c-${i}` },
            { at: AT },
          ),
        ),
      ),
    );
    const saved = (await items()).filter((i) =>
      i.fields.Title.startsWith('Rachel Duke to write concurrent note'),
    );
    expect(saved).toHaveLength(20);
    const refs = (await items()).map((i) => i.fields.ActionRef);
    expect(new Set(refs).size).toBe(refs.length);
  });

  it('Edit on the logged card changes the owners and due date, with a dated line', async () => {
    await t.post(
      messageAt('action Sonia Khan to draft the letter by 30 March 2018', PEOPLE.partner, personal(), {
        at: AT,
      }),
    );
    const ref = refOf(lastCard());
    const res = await t.post(
      cardAction(
        'actions.edit',
        {
          ref,
          text: 'Draft the letter to partners',
          owners: 'Rachel Duke; Tim Shields',
          dueDate: '2018-04-13',
          dueText: '',
          meeting: 'M-0007',
        },
        PEOPLE.partner,
        personal(),
      ),
    );
    const body = res.body as { type: string; value: AdaptiveCard };
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardProblems(body.value)).toEqual([]);
    expect(cardText(body.value)).toContain('Friday 13 April 2018');
    const item = await itemByRef(ref);
    expect(item?.fields).toMatchObject({
      Title: 'Draft the letter to partners',
      Owners: 'Rachel Duke; Tim Shields',
      OwnerIds: 'aad-rachel-duke; aad-tim-shields',
      MeetingRef: 'M-0007',
    });
    expect(readDateOnly(item?.fields.DueDate)).toBe('2018-04-13');
    expect(item?.fields.Details).toMatch(
      /Jake Ferguson: edited the text, owners to Rachel Duke; Tim Shields, due date (from [^,]+ )?to Friday 13 April 2018/,
    );
  });

  it('Undo drops it for the record; a second Undo changes nothing', async () => {
    await t.post(
      messageAt('action Sonia Khan to order the wrong thing', PEOPLE.partner, personal(), { at: AT }),
    );
    const ref = refOf(lastCard());
    const first = (await t.post(cardAction('actions.undo', { ref }, PEOPLE.partner, personal()))).body as {
      value: AdaptiveCard;
    };
    expect(cardText(first.value)).toContain('undone');
    expect(executeActions(first.value)).toEqual([]);
    const after = await itemByRef(ref);
    expect(after?.fields.Status).toBe('Dropped');
    const second = (await t.post(cardAction('actions.undo', { ref }, PEOPLE.partner, personal()))).body as {
      value: AdaptiveCard;
    };
    expect(cardText(second.value)).toContain(`${ref} has been undone.`);
    expect((await itemByRef(ref))?.etag).toBe(after?.etag);
  });

  it('someone else cannot edit or undo it, and is told who can', async () => {
    await t.post(messageAt('action Sonia Khan to send the minutes', PEOPLE.officer, personal(), { at: AT }));
    const ref = refOf(lastCard());
    const before = await itemByRef(ref);
    const res = (await t.post(cardAction('actions.undo', { ref }, PEOPLE.obrien, personal()))).body as {
      type: string;
      value: string;
    };
    expect(res.type).toBe('application/vnd.microsoft.activity.message');
    expect(res.value).toContain(
      "Only Sonia Khan (the owner), the board's officers and chairs can edit or undo",
    );
    expect((await itemByRef(ref))?.etag).toBe(before?.etag);
  });

  it('people from another organisation outside the board are told who can log actions', async () => {
    const before = (await items()).length;
    await t.post(
      fromTenant(
        messageAt('action Sonia Khan to share the data', PEOPLE.obrien, personal(), { at: AT }),
        'tenant-elsewhere',
      ),
    );
    expect(textOf(t.connector.sent()[0])).toBe(
      "Only board officers, chairs and partners can log actions. If you think you should be able to, ask one of the board's officers.",
    );
    expect(await items()).toHaveLength(before);
  });
});

describe('logging with two bot processes on one list', () => {
  const t = useTestBot();
  let second: RunningBot;
  beforeAll(async () => {
    second = await startPeerBot(t);
  });
  afterAll(async () => {
    await second?.close();
  });
  const post = (url: string, activity: unknown) =>
    fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });

  it('references stay unique when both processes log at the same time', async () => {
    const where = { serviceUrl: t.connector.serviceUrl };
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        post(
          i % 2 ? second.url : t.bot.url,
          messageAt(
            `action Sonia Khan to file report ${i}`,
            PEOPLE.officer,
            { ...where, conversationId: `a:p-${i}` },
            { at: AT },
          ),
        ),
      ),
    );
    const all = await t.bot.lists.repos.Actions.all({});
    expect(all).toHaveLength(20);
    expect(new Set(all.map((i) => i.fields.ActionRef)).size).toBe(20);
    expect(
      all
        .map((i) => i.fields.ActionRef)
        .sort()
        .at(-1),
    ).toBe('A-0020');
  });

  it('the same message delivered to both processes is one action; the second says it was already logged', async () => {
    const activity = messageAt(
      'action Rachel Duke to circulate the pack',
      PEOPLE.officer,
      { serviceUrl: t.connector.serviceUrl },
      { at: AT },
    );
    t.connector.reset();
    await post(t.bot.url, activity);
    await post(second.url, activity);
    const matching = (await t.bot.lists.repos.Actions.all({})).filter(
      (i) => i.fields.Title === 'Rachel Duke to circulate the pack',
    );
    expect(matching).toHaveLength(1);
    const texts = t.connector.sent().map((s) => cardText(cardOf(s)));
    expect(texts[0]).toContain('Action logged');
    expect(texts[1]).toContain(`Already logged as ${matching[0]?.fields.ActionRef}`);
  });
});
