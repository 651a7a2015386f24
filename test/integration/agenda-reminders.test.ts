import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../bot/logger.js';
import type { AdaptiveCard } from '../../cards/adaptive.js';
import { PEOPLE, installed } from '../support/activities.js';
import { cardOf } from '../support/actions-activities.js';
import { cardProblems, executeActions } from '../support/cards.js';
import { useTestBot } from '../support/use-test-bot.js';
import { BEFORE, DAY_BEFORE } from '../fixtures/agenda-seed.js';
import {
  MEMBERS,
  ROSTER,
  cardLines,
  channel,
  click,
  press,
  publishedPack,
} from '../support/agenda-activities.js';

/**
 * The day-before reminder, run by the scheduler on a chosen London day: members the pack went to
 * who have not answered get one reminder each, however often the job runs.
 */

let now = BEFORE;

const t = useTestBot({ env: { REMINDERS_AT: '08:30' }, clock: () => now });
beforeAll(() => t.connector.setMembers(ROSTER));

describe('the day-before attendance reminder', () => {
  it('reminds those who have not answered, once each', async () => {
    await t.post(installed(PEOPLE.officer, channel(t)));
    const ref = await publishedPack(t);
    await press(t, click('agenda.apologies', { ref }, MEMBERS.jake, channel(t), BEFORE));

    // Two weeks before: nothing is due tomorrow.
    t.connector.reset();
    const early = await t.bot.messaging.scheduler.runDue('agenda-reminders');
    expect(early[0]).toMatchObject({ outcome: 'ran', summary: { meetings: 0 } });
    expect(t.connector.sent()).toEqual([]);

    now = DAY_BEFORE;
    const runs = await t.bot.messaging.scheduler.runDue('agenda-reminders');
    expect(runs[0]).toMatchObject({ outcome: 'ran', summary: { meetings: 1, reminded: 4, sent: 4 } });
    const reminders = t.connector.sent().map((s) => cardOf(s) as AdaptiveCard);
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
    const deliveries = await t.bot.messaging.deliveries.forCampaign(`agenda:${ref}:reminder`);
    expect(
      deliveries.map((d) => (d.recipient.kind === 'user' ? d.recipient.aadObjectId : '')).sort(),
    ).toEqual([PEOPLE.chair, MEMBERS.david, MEMBERS.jim, MEMBERS.claire].map((p) => p.aadObjectId).sort());

    // The same day again, and the fan-out itself again: nobody hears twice.
    t.connector.reset();
    const again = await t.bot.messaging.scheduler.runDue('agenda-reminders');
    expect(again[0]?.outcome).toBe('already done');
    const { remindTomorrow } = await import('../../bot/features/agenda/reminders.js');
    const { agendaContext } = await import('../../bot/features/agenda/index.js');
    const ctx = agendaContext({
      lists: t.bot.lists.repos,
      logger: silentLogger,
      boardName: 'Board',
      officers: [PEOPLE.officer.aadObjectId],
      chairs: [],
      messaging: t.bot.messaging,
    });
    const repeat = await remindTomorrow(ctx, '2018-02-25', DAY_BEFORE);
    expect(repeat).toMatchObject({ meetings: 1, reminded: 4, sent: 0 });
    expect(t.connector.sent()).toEqual([]);
  });
});
