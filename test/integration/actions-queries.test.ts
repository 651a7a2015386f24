import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addDays, londonDate, toIsoDate } from '../../bot/dates/london.js';
import { ActionStore } from '../../bot/features/actions/store.js';
import type { ActionFields } from '../../bot/sharepoint/index.js';
import type { AdaptiveCard } from '../../cards/adaptive.js';
import { PEOPLE, cardAction } from '../support/activities.js';
import { cardOf, messageAt, textOf } from '../support/actions-activities.js';
import { useTestBot } from '../support/use-test-bot.js';
import { cardProblems, cardText, executeActions } from '../support/cards.js';

// Counts of "done in the last 30 days" read the list's Modified column, so these tests run in the present.
const NOW = new Date();
const today = londonDate(NOW);
const day = (offset: number) => toIsoDate(addDays(today, offset));

type Seed = Partial<ActionFields> & { Title: string };
const SEEDS: Seed[] = [
  {
    Title: 'Use all feedback on the strategy',
    Owners: 'Sonia Khan; Rachel Duke',
    OwnerIds: PEOPLE.officer.aadObjectId,
    DueDate: day(-10),
    Status: 'Open',
    MeetingRef: 'M-0007',
  },
  {
    Title: 'Revive the safe haven scheme',
    Owners: "Dara O'Brien",
    OwnerIds: 'aad-dara-obrien',
    DueDate: day(-1),
    Status: 'In progress',
  },
  {
    Title: 'Share the procurement strategy',
    Owners: 'Sonia Khan',
    OwnerIds: PEOPLE.officer.aadObjectId,
    DueDate: day(0),
    Status: 'Open',
  },
  {
    Title: 'Map VCS networks',
    Owners: 'Jake Ferguson',
    OwnerIds: PEOPLE.partner.aadObjectId,
    DueDate: day(30),
    Status: 'Open',
    MeetingRef: 'M-0007',
  },
  { Title: 'Look at longitudinal tracking', Owners: 'Sonia Patel', Status: 'Open' },
  {
    Title: 'Convene the evaluation meeting',
    Owners: 'Sonia Khan',
    DueDate: day(-40),
    Status: 'Done',
    MeetingRef: 'M-0007',
  },
  { Title: 'Old idea', Owners: 'Tim Shields', DueDate: day(-5), Status: 'Dropped' },
  ...Array.from({ length: 22 }, (_, i): Seed => ({
    Title: `Policy work item ${i + 1}`,
    Owners: 'LBH Policy Team',
    DueDate: day(40 + i),
    Status: 'Open',
  })),
];

describe("the chair's questions", () => {
  const t = useTestBot();
  beforeAll(async () => {
    await t.bot.lists.repos.Actions.createMany(
      SEEDS.map(
        (s, i) =>
          ({
            Status: 'Open',
            ...s,
            ActionRef: `A-${String(i + 1).padStart(4, '0')}`,
            SourceKey: `seed:${i}`,
          }) as ActionFields,
      ),
    );
  });
  beforeEach(() => {
    t.connector.reset();
    t.lists.setFaults({ rate: 0 });
  });
  const where = () => ({ serviceUrl: t.connector.serviceUrl });
  const ask = async (text: string, who = PEOPLE.chair) => {
    t.connector.reset();
    await t.post(messageAt(text, who, where(), { at: NOW }));
    const reply = t.connector.sent()[0];
    const card = cardOf(reply) as AdaptiveCard | undefined;
    if (card) expect(cardProblems(card)).toEqual([]);
    return { card, text: card ? cardText(card) : textOf(reply) };
  };
  const refsIn = (text: string) => [...text.matchAll(/A-\d{4}/g)].map((m) => m[0]);
  const countsIn = (text: string) => {
    const m = /(\d+)\nOpen\n(\d+)\nOverdue\n(\d+)\nDue this week\n(\d+)\nDone in the last 30 days/.exec(text);
    return m ? m.slice(1).map(Number) : undefined;
  };

  it('"actions": counts, then open actions by due date, ten at a time with More', async () => {
    const first = await ask('actions');
    expect(first.text).toContain('Open actions');
    expect(countsIn(first.text)).toEqual([27, 2, 1, 1]);
    expect(refsIn(first.text).slice(0, 5)).toEqual(['A-0001', 'A-0002', 'A-0003', 'A-0004', 'A-0008']);
    expect(first.text).toContain('1–10 of 27, by due date');
    const more = executeActions(first.card).find((a) => a.title === 'More');
    expect(more?.verb).toBe('actions.more');

    const second = (await t.post(cardAction('actions.more', more?.data ?? {}, PEOPLE.chair, where())))
      .body as { value: AdaptiveCard };
    expect(cardProblems(second.value)).toEqual([]);
    expect(cardText(second.value)).toContain('11–20 of 27');
    const third = (
      await t.post(
        cardAction(
          'actions.more',
          executeActions(second.value).find((a) => a.title === 'More')?.data ?? {},
          PEOPLE.chair,
          where(),
        ),
      )
    ).body as { value: AdaptiveCard };
    expect(cardText(third.value)).toContain('21–27 of 27');
    expect(executeActions(third.value).some((a) => a.title === 'More')).toBe(false);
    const all = [first.text, cardText(second.value), cardText(third.value)].flatMap(refsIn);
    expect(new Set(all).size).toBe(27);
    expect(all).not.toContain('A-0006'); // done
    expect(all).not.toContain('A-0007'); // dropped
  });

  it.each(["what's overdue?", 'actions overdue', 'What’s overdue', 'anything overdue?'])(
    '"%s" lists the overdue ones, marked Overdue in words',
    async (q) => {
      const answer = await ask(q);
      expect(answer.text).toContain('Overdue actions');
      expect(refsIn(answer.text)).toEqual(['A-0001', 'A-0002']);
      expect(answer.text.match(/· Overdue|Overdue\n/g)?.length).toBeGreaterThanOrEqual(2);
    },
  );

  it.each([
    ['what does Sonia owe?', ['A-0001', 'A-0003', 'A-0005'], 'Sonia Khan and Sonia Patel'],
    ['actions for Sonia Khan', ['A-0001', 'A-0003'], 'Sonia Khan'],
    ['actions for o’brien', ['A-0002'], "Dara O'Brien"],
    ["actions for Dara O'Brien", ['A-0002'], "Dara O'Brien"],
    ["show me Jake's actions", ['A-0004'], 'Jake Ferguson'],
    ['actions for rachel', ['A-0001'], 'Rachel Duke'],
  ])('"%s" finds the person by a loose name', async (q, refs, who) => {
    const answer = await ask(q);
    expect(answer.text).toContain(`Open actions for ${who}`);
    expect(refsIn(answer.text)).toEqual(refs);
  });

  it('"what\'s overdue for Sonia?" narrows to her overdue actions, with counts for her', async () => {
    const answer = await ask("what's overdue for Sonia Khan?");
    expect(answer.text).toContain('Overdue actions for Sonia Khan');
    expect(refsIn(answer.text)).toEqual(['A-0001']);
    expect(countsIn(answer.text)).toEqual([2, 1, 1, 1]);
  });

  it('"actions mine" is the asker\'s own', async () => {
    const answer = await ask('actions mine', PEOPLE.partner);
    expect(answer.text).toContain('Your open actions');
    expect(refsIn(answer.text)).toEqual(['A-0004']);
  });

  it('"actions from <meeting>" lists every action from it, done ones included', async () => {
    const answer = await ask('actions from M-0007');
    expect(answer.text).toContain('Actions from M-0007');
    expect(refsIn(answer.text).sort()).toEqual(['A-0001', 'A-0004', 'A-0006']);
    expect(countsIn(answer.text)).toEqual([2, 1, 0, 1]);
  });

  it('an unknown name or meeting says so', async () => {
    expect((await ask('actions for Zebedee Quibble')).text).toContain(
      'Nobody called "Zebedee Quibble" owns an open action',
    );
    expect((await ask('actions from M-9999')).text).toContain('I found no actions from M-9999');
  });

  it('each answer is at most two list queries, filtered on indexed columns', async () => {
    await ask('actions');
    for (const q of ['actions for o’brien', "what's overdue?", 'actions mine', 'actions from M-0007']) {
      t.lists.resetStats();
      await ask(q);
      const stats = t.lists.stats();
      expect(stats.requests).toBeLessThanOrEqual(2);
      expect(Object.keys(stats.byRoute)).toEqual(['GET /sites/{site}/lists/{list}/items']);
    }
  });

  it('buttons follow the asker: a chair may close any action, a partner only their own', async () => {
    const chair = await ask("what's overdue?");
    expect(
      executeActions(chair.card)
        .filter((a) => a.verb === 'actions.done')
        .map((a) => a.data?.ref),
    ).toEqual(['A-0001', 'A-0002']);
    const partner = await ask("what's overdue?", PEOPLE.obrien);
    expect(
      executeActions(partner.card)
        .filter((a) => a.verb === 'actions.done')
        .map((a) => a.data?.ref),
    ).toEqual(['A-0002']);
    expect(executeActions(partner.card).filter((a) => a.verb === 'actions.show')).toHaveLength(2);
  });

  it('Open on a list shows the action, with a way back to the list', async () => {
    const body = (
      await t.post(
        cardAction(
          'actions.show',
          { ref: 'A-0002', back: { scope: 'all', view: 'overdue' } },
          PEOPLE.chair,
          where(),
        ),
      )
    ).body as {
      value: AdaptiveCard;
    };
    expect(cardText(body.value)).toContain('A-0002 · In progress');
    const back = executeActions(body.value).find((a) => a.title === 'Back to the list');
    const list = (await t.post(cardAction('actions.more', back?.data ?? {}, PEOPLE.chair, where()))).body as {
      value: AdaptiveCard;
    };
    expect(cardText(list.value)).toContain('Overdue actions');
  });

  it('answers correctly while the lists throttle, and says so when they are down', async () => {
    t.lists.setFaults({ rate: 0.3, status: 429, retryAfterSeconds: 0, seed: 5 });
    const answer = await ask("what's overdue?");
    t.lists.setFaults({ rate: 0 });
    expect(refsIn(answer.text)).toEqual(['A-0001', 'A-0002']);
    t.lists.setFaults({ rate: 1, status: 503, retryAfterSeconds: 0, seed: 5 });
    const down = await ask('actions');
    t.lists.setFaults({ rate: 0 });
    expect(down.text).toContain('could not read the Actions list');
  });

  it('the store answers what reminders need: overdue, and due in a range of days', async () => {
    const store = new ActionStore(t.bot.lists.repos.Actions);
    t.lists.resetStats();
    expect((await store.overdue(day(0))).map((a) => a.ref)).toEqual(['A-0001', 'A-0002']);
    expect((await store.dueBetween(day(0), day(30))).map((a) => a.ref).sort()).toEqual(['A-0003', 'A-0004']);
    expect((await store.dueBetween(day(2), day(2))).map((a) => a.ref)).toEqual([]);
    expect(t.lists.stats().requests).toBe(3);
  });

  it('a forged More (bad query or cursor) gets a message', async () => {
    for (const data of [
      { q: { scope: 'all', view: 'everything' } },
      { q: { scope: 'all', view: 'open' }, after: 'x'.repeat(500) },
      { q: 'all' },
    ]) {
      const body = (await t.post(cardAction('actions.more', data, PEOPLE.chair, where()))).body as {
        type: string;
      };
      expect(body.type).toBe('application/vnd.microsoft.activity.message');
    }
  });
});
