import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.js';
import { startBot, type RunningBot } from '../../bot/index.js';
import { silentLogger } from '../../bot/logger.js';
import type { AdaptiveCard } from '../../cards/adaptive.js';
import { startListsService, type ListsService } from '../../infra/local/server.js';
import { PEOPLE, ROLE_ENV, installed } from '../support/activities.js';
import { cardOf } from '../support/actions-activities.js';
import { cardProblems, executeActions } from '../support/cards.js';
import { startConnector, type ConnectorStandIn } from '../support/connector.js';
import type { TestBot } from '../support/bot-harness.js';
import { BEFORE, DAY_BEFORE } from '../fixtures/agenda-seed.js';
import {
  MEMBERS,
  ROSTER,
  cardLines,
  channel,
  click,
  press,
  publishedPack,
} from '../fixtures/agenda-activities.js';
import { seedBoard } from '../support/boards.js';

/**
 * The day-before reminder, run by the scheduler on a chosen London day: members the pack went to
 * who have not answered get one reminder each, however often the job runs.
 */

let lists: ListsService;
let connector: ConnectorStandIn;
let bot: RunningBot;
let dataDir: string;
let now = BEFORE;

/** The pieces of the shared harness these helpers need, around a bot on our clock. */
function harness(): TestBot {
  return {
    bot,
    lists,
    connector,
    dataDir,
    post: async (activity: unknown) => {
      const res = await fetch(`${bot.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    },
    postRaw: () => Promise.reject(new Error('not used')),
    close: () => Promise.resolve(),
  };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pb-agenda-reminders-'));
  lists = await startListsService({ port: 0, dataDir, provision: true });
  connector = await startConnector();
  connector.setMembers(ROSTER);
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    GRAPH_BASE_URL: lists.graphBaseUrl,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    REMINDERS_AT: '08:30',
    ...ROLE_ENV,
  });
  bot = await startBot(config, silentLogger, { clock: () => now });
  await seedBoard(bot.lists, { serviceUrl: connector.serviceUrl, chairs: config.roles.chairs });
});

afterAll(async () => {
  await bot?.close();
  await connector?.close();
  await lists?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the day-before attendance reminder', () => {
  it('reminds those who have not answered, once each', async () => {
    const t = harness();
    await t.post(installed(PEOPLE.officer, channel(t)));
    const ref = await publishedPack(t);
    await press(t, click('agenda.apologies', { ref }, MEMBERS.jake, channel(t), BEFORE));

    // Two weeks before: nothing is due tomorrow.
    connector.reset();
    const early = await bot.messaging.scheduler.runDue('agenda-reminders');
    expect(early[0]).toMatchObject({ outcome: 'ran', summary: { meetings: 0 } });
    expect(connector.sent()).toEqual([]);

    now = DAY_BEFORE;
    const runs = await bot.messaging.scheduler.runDue('agenda-reminders');
    expect(runs[0]).toMatchObject({ outcome: 'ran', summary: { meetings: 1, reminded: 4, sent: 4 } });
    const reminders = connector.sent().map((s) => cardOf(s) as AdaptiveCard);
    expect(reminders).toHaveLength(4);
    for (const card of reminders) {
      expect(cardProblems(card)).toEqual([]);
      expect(cardLines(card)).toContain('Will you attend tomorrow?');
      expect(executeActions(card).map((a) => a.verb)).toEqual([
        'agenda.attend',
        'agenda.apologies',
        'agenda.substitute',
        'agenda.show',
      ]);
    }
    const deliveries = await bot.messaging.deliveries.forCampaign(`agenda:${ref}:reminder`);
    expect(
      deliveries.map((d) => (d.recipient.kind === 'user' ? d.recipient.aadObjectId : '')).sort(),
    ).toEqual([PEOPLE.chair, MEMBERS.david, MEMBERS.jim, MEMBERS.claire].map((p) => p.aadObjectId).sort());

    // The same day again, and the fan-out itself again: nobody hears twice.
    connector.reset();
    const again = await bot.messaging.scheduler.runDue('agenda-reminders');
    expect(again[0]?.outcome).toBe('already done');
    const { remindTomorrow } = await import('../../bot/features/agenda/reminders.js');
    const { agendaContext } = await import('../../bot/features/agenda/index.js');
    const ctx = agendaContext({
      lists: bot.lists.repos,
      logger: silentLogger,
      boardName: 'Board',
      officers: [PEOPLE.officer.aadObjectId],
      chairs: [],
      messaging: bot.messaging,
    });
    const repeat = await remindTomorrow(ctx, '2018-02-25', DAY_BEFORE);
    expect(repeat).toMatchObject({ meetings: 1, reminded: 4, sent: 0 });
    expect(connector.sent()).toEqual([]);
  });
});
