import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../bot/config.js';
import { startBot } from '../../bot/index.js';
import { silentLogger } from '../../bot/logger.js';
import { addDays, londonDate, toIsoDate } from '../../bot/dates/london.js';
import { readDateOnly } from '../../bot/sharepoint/dates.js';
import type { ActionFields } from '../../bot/sharepoint/index.js';
import type { AdaptiveCard } from '../../cards/adaptive.js';
import { zonedMidnight } from '../../infra/local/strict.js';
import { PEOPLE, ROLE_ENV } from '../support/activities.js';
import { cardOf, messageAt, textOf } from '../support/actions-activities.js';
import { startTestBot, type TestBot } from '../support/bot-harness.js';
import { cardProblems, cardText } from '../support/cards.js';
import { forDefaultBoard } from '../support/boards.js';

/**
 * The actions journeys on a site as strict as SharePoint Online can be: a list view threshold of 500,
 * duplicates answered 500 (SPDuplicateValuesFoundException), a site in the Pacific and list creation
 * that drops column indexes. Logging, a retried delivery, the chair's questions over a list holding
 * 700 old done actions, and a status change by text lose nothing, double nothing, and keep every due
 * date and bucket right.
 */

// "Done in the last 30 days" reads the Modified column, so these tests run in the present.
const NOW = new Date();
const today = londonDate(NOW);
const day = (offset: number) => toIsoDate(addDays(today, offset));
const OLD = new Date(NOW.getTime() - 200 * 86_400_000);
const ref = (n: number) => `A-${String(n).padStart(4, '0')}`;

describe.each(['Pacific/Auckland', 'America/Los_Angeles'])('a strict site in %s', (timeZone) => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot(
      {},
      { strict: { threshold: 500, duplicateStatus: 500, timeZone, lossyCreate: true } },
    );
    // Seeded as the default board's, through its scoped repository (each item carries BoardId).
    const repo = forDefaultBoard(t.bot.lists.board.Actions);
    // 700 actions finished long ago: Created and Modified 200 days back.
    vi.useFakeTimers({ toFake: ['Date'], now: OLD });
    try {
      await repo.createMany(
        Array.from({ length: 700 }, (_, i): ActionFields => ({
          Title: `Old action ${i + 1}`,
          ActionRef: ref(i + 1),
          SourceKey: `old:${i + 1}`,
          Status: 'Done',
          Owners: 'LBH Policy Team',
          DueDate: toIsoDate(addDays(today, -220 + (i % 10))),
        })),
      );
    } finally {
      vi.useRealTimers();
    }
    await repo.createMany([
      { Title: 'Overdue one', ActionRef: ref(701), SourceKey: 'new:1', Status: 'Open', DueDate: day(-3) },
      { Title: 'Due today', ActionRef: ref(702), SourceKey: 'new:2', Status: 'Open', DueDate: day(0) },
      {
        Title: 'Due later',
        ActionRef: ref(703),
        SourceKey: 'new:3',
        Status: 'In progress',
        DueDate: day(20),
      },
      { Title: 'Finished lately', ActionRef: ref(704), SourceKey: 'new:4', Status: 'Done', DueDate: day(-1) },
    ]);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const where = () => ({ serviceUrl: t.connector.serviceUrl });
  const say = async (text: string, who = PEOPLE.chair, id?: string) => {
    t.connector.reset();
    await t.post(messageAt(text, who, where(), { at: NOW, ...(id ? { id } : {}) }));
    const reply = t.connector.sent()[0];
    const card = cardOf(reply) as AdaptiveCard | undefined;
    if (card) expect(cardProblems(card)).toEqual([]);
    const said = card ? cardText(card) : textOf(reply);
    expect(said).not.toContain('SharePoint will search'); // no threshold answer anywhere
    expect(said).not.toContain('something went wrong');
    return said;
  };
  const refsIn = (text: string) => [...text.matchAll(/A-\d{4}/g)].map((m) => m[0]);
  const countsIn = (text: string) => {
    const m = /(\d+)\nOpen\n(\d+)\nOverdue\n(\d+)\nDue this week\n(\d+)\nDone in the last 30 days/.exec(text);
    return m ? m.slice(1).map(Number) : undefined;
  };
  const all = () => t.bot.lists.repos.Actions.all({ top: 5000 });

  const due = addDays(today, 10);
  const britishDue = `${due.day}/${due.month}/${due.year}`;

  it('logs an action with the next reference and the due day the person said, stored as the site keeps it', async () => {
    const said = await say(
      `action Jake Ferguson to map VCS networks by ${britishDue}`,
      PEOPLE.partner,
      'log-1',
    );
    expect(refsIn(said)[0]).toBe(ref(705));
    const item = (await all()).find((i) => i.fields.ActionRef === ref(705));
    expect(readDateOnly(item?.fields.DueDate)).toBe(toIsoDate(due));
    // The site keeps its own midnight, in UTC: the day before for Auckland, the day itself for Los Angeles.
    expect(Date.parse(item!.fields.DueDate!)).toBe(zonedMidnight(toIsoDate(due), timeZone));
  });

  it('the same message delivered again to another instance (a duplicate answered 500) is the same action', async () => {
    // Teams retries a delivery that timed out, and the retry can reach another instance of the bot:
    // its create meets the SourceKey the first one wrote, which this site refuses with a 500.
    const other = await startBot(
      loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        GRAPH_BASE_URL: t.lists.graphBaseUrl,
        LOG_LEVEL: 'silent',
        ...ROLE_ENV,
      }),
      silentLogger,
    );
    try {
      t.connector.reset();
      const activity = messageAt(
        `action Jake Ferguson to map VCS networks by ${britishDue}`,
        PEOPLE.partner,
        where(),
        {
          at: NOW,
          id: 'log-1',
        },
      );
      const res = await fetch(`${other.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      expect(res.status).toBe(200);
      const reply = t.connector.sent()[0];
      expect(refsIn(cardText(cardOf(reply) as AdaptiveCard))[0]).toBe(ref(705));
    } finally {
      await other.close();
    }
    const items = await all();
    expect(items).toHaveLength(705);
    expect(new Set(items.map((i) => i.fields.ActionRef)).size).toBe(705);
  });

  it("the chair's questions count and bucket right over a list of 700 old done actions", async () => {
    const summary = await say('actions');
    expect(countsIn(summary)).toEqual([4, 1, 1, 1]);
    expect(refsIn(summary).slice(0, 4)).toEqual([ref(701), ref(702), ref(705), ref(703)]);
    const overdue = await say("what's overdue?");
    expect(refsIn(overdue)).toEqual([ref(701)]);
  });

  it('a status change by text lands once, and the counts follow', async () => {
    expect(await say(`action ${ref(701)} done`, PEOPLE.chair)).toContain(`${ref(701)} is done`);
    const item = (await all()).find((i) => i.fields.ActionRef === ref(701));
    expect(item?.fields.Status).toBe('Done');
    expect(readDateOnly(item?.fields.DueDate)).toBe(day(-3));
    expect(countsIn(await say('actions'))).toEqual([3, 0, 1, 2]);
    const items = await all();
    expect(items).toHaveLength(705);
    expect(items.filter((i) => i.fields.Status === 'Done')).toHaveLength(702);
  });
});
