import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { remindOwners, type RemindersDeps } from '../../bot/features/actions/reminders.js';
import { ActionStore, type NewActionFields } from '../../bot/features/actions/store.js';
import { silentLogger } from '../../bot/logger.js';
import { createConversationStore } from '../../bot/messaging/conversations.js';
import { installed, PEOPLE } from '../support/activities.js';
import { cardOf } from '../support/actions-activities.js';
import { cardProblems, cardText } from '../support/cards.js';
import { useTestBot } from '../support/use-test-bot.js';

/**
 * Action reminders end to end: actions in the local lists service, the scheduler's HTTP trigger at
 * chosen London times, and what each person's chat received at the connector stand-in.
 */

const SECRET = 'reminders-test-secret-0123456789';
const DARA = { id: '29:dara', aadObjectId: 'aad-dara-obrien', name: "Dara O'Brien" };

let now = new Date('2018-03-05T08:35:00Z');
const t = useTestBot({
  env: { SCHEDULER_SECRET: SECRET, REMINDERS_AT: '08:30', DIGEST_AT: '09:00' },
  clock: () => now,
});

async function post(activity: unknown) {
  const res = await fetch(`${t.bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  expect(res.status).toBe(200);
}

type Run = { job: string; date: string; outcome: string };
async function trigger(): Promise<{ status: number; runs: Run[] }> {
  const res = await fetch(`${t.bot.url}/api/scheduler/run`, {
    method: 'POST',
    headers: { 'x-scheduler-secret': SECRET },
  });
  return { status: res.status, ...((await res.json()) as { runs: Run[] }) };
}
const outcomes = (runs: Run[]) => Object.fromEntries(runs.map((r) => [r.job, r.outcome]));

/** The conversation a person's messages go to (their personal chat, opened by the bot or by them). */
async function chatOf(aadObjectId: string): Promise<string | undefined> {
  return (await createConversationStore(t.bot.lists.repos.Conversations).personalFor(aadObjectId))
    ?.conversationId;
}

/** Cards Teams accepted for one person, oldest first. */
async function cardsFor(aadObjectId: string): Promise<unknown[]> {
  const chat = await chatOf(aadObjectId);
  return t.connector.calls
    .filter((c) => c.method === 'POST' && c.conversationId === chat && !c.path.endsWith('(429)'))
    .map((c) => cardOf(c.body));
}

const action = (key: string, fields: Partial<NewActionFields>): NewActionFields => ({
  Title: fields.Title ?? key,
  Details: fields.Title ?? key,
  Status: 'Open',
  Tentative: false,
  SourceKey: `test:reminders:${key}`,
  ...fields,
});

beforeAll(async () => {
  // The bot is in the board's team, and Jake has chatted with it; nobody else has yet.
  await post(installed(PEOPLE.officer, { serviceUrl: t.connector.serviceUrl, type: 'channel' }));
  await post(installed(PEOPLE.partner, { serviceUrl: t.connector.serviceUrl }));

  const store = new ActionStore(t.bot.lists.repos.Actions);
  for (const fields of [
    action('overdue', {
      Title: 'Circulate the draft strategy to the VCS',
      Owners: PEOPLE.partner.name,
      OwnerIds: PEOPLE.partner.aadObjectId,
      DueDate: '2018-03-01',
    }),
    action('soon', {
      Title: 'Book the venue for the March board',
      Owners: `${PEOPLE.partner.name}; ${PEOPLE.officer.name}`,
      OwnerIds: `${PEOPLE.partner.aadObjectId}; ${PEOPLE.officer.aadObjectId}`,
      DueDate: '2018-03-07',
    }),
    action('team', {
      Title: 'Use all feedback in the final version',
      Owners: 'LBH Policy Team',
      DueDate: '2018-02-28',
    }),
    action('later-this-week', {
      Title: 'Report on the homelessness strategy',
      Owners: DARA.name,
      OwnerIds: DARA.aadObjectId,
      DueDate: '2018-03-09',
    }),
    action('done', {
      Title: 'Already done',
      Owners: PEOPLE.partner.name,
      OwnerIds: PEOPLE.partner.aadObjectId,
      DueDate: '2018-02-20',
      Status: 'Done',
    }),
  ])
    await store.create(fields);
  t.connector.reset();
});

beforeEach(() => t.lists.setFaults({ rate: 0 }));

describe('action reminders', () => {
  it('nudges each owner once on Monday morning, however many times the job is run', async () => {
    now = new Date('2018-03-05T08:35:00Z');
    const first = await trigger();
    expect(first.status).toBe(200);
    expect(outcomes(first.runs)).toMatchObject({ 'action-reminders': 'ran', 'actions-digest': 'not due' });

    for (let i = 0; i < 3; i++)
      expect(outcomes((await trigger()).runs)['action-reminders']).toBe('already done');
    // Even run by hand, past the scheduler's record, the day's deliveries stop a second message.
    const deps: RemindersDeps = {
      store: new ActionStore(t.bot.lists.repos.Actions),
      fanOut: t.bot.messaging.fanOut,
      conversations: createConversationStore(t.bot.lists.repos.Conversations),
      chairs: [],
      boardName: 'Community Strategy Partnership Board',
      logger: silentLogger,
    };
    expect(await remindOwners(deps, '2018-03-05')).toMatchObject({ owners: 2, sent: 0, alreadySent: 2 });

    const jake = await cardsFor(PEOPLE.partner.aadObjectId);
    expect(jake).toHaveLength(1);
    expect(cardProblems(jake[0] as never)).toEqual([]);
    const jakeText = cardText(jake[0]);
    expect(jakeText).toContain('Circulate the draft strategy to the VCS');
    expect(jakeText).toContain('Overdue by 4 days');
    expect(jakeText).toContain('Book the venue for the March board');
    expect(jakeText).not.toContain('Already done');

    // Sonia had no chat with the bot: one was opened from the team, and she got one nudge.
    const sonia = await cardsFor(PEOPLE.officer.aadObjectId);
    expect(await chatOf(PEOPLE.officer.aadObjectId)).toMatch(/^a:proactive-/);
    expect(sonia).toHaveLength(1);
    expect(cardText(sonia[0])).toContain('Book the venue for the March board');
    expect(cardText(sonia[0])).not.toContain('Circulate the draft strategy');

    // Dara's action is not due for four days yet: no nudge.
    expect(await chatOf(DARA.aadObjectId)).toBeUndefined();
  });

  it('sends each chair the Monday digest, naming the owners it could not remind', async () => {
    now = new Date('2018-03-05T09:05:00Z');
    const run = await trigger();
    expect(outcomes(run.runs)).toMatchObject({ 'action-reminders': 'already done', 'actions-digest': 'ran' });

    const digest = await cardsFor(PEOPLE.chair.aadObjectId);
    expect(digest).toHaveLength(1);
    expect(cardProblems(digest[0] as never)).toEqual([]);
    const text = cardText(digest[0]);
    for (const part of [
      'Actions this week',
      'week of Monday 5 March 2018',
      'Circulate the draft strategy to the VCS',
      'Use all feedback in the final version',
      'Book the venue for the March board',
      'Report on the homelessness strategy',
      'Not reminded in Teams',
      'LBH Policy Team (no Teams account on record)',
      "Dara O'Brien (no chat with the bot)",
    ])
      expect(text).toContain(part);
    expect(text).not.toContain('Already done');

    expect(outcomes((await trigger()).runs)['actions-digest']).toBe('already done');
    expect(await cardsFor(PEOPLE.chair.aadObjectId)).toHaveLength(1);
  });

  it('nudges again the next day about what is still overdue, and only that', async () => {
    now = new Date('2018-03-06T08:40:00Z');
    const run = await trigger();
    expect(outcomes(run.runs)).toMatchObject({ 'action-reminders': 'ran', 'actions-digest': 'already done' });
    const jake = await cardsFor(PEOPLE.partner.aadObjectId);
    expect(jake).toHaveLength(2);
    expect(cardText(jake[1])).toContain('Overdue by 5 days');
    // The venue is due tomorrow now, not in two days: no second nudge about it.
    expect(cardText(jake[1])).not.toContain('Book the venue');
    expect(await cardsFor(PEOPLE.officer.aadObjectId)).toHaveLength(1);
  });

  it('with the Actions and Deliveries lists failing 30% of requests, still reaches the owner exactly once', async () => {
    now = new Date('2018-03-07T08:31:00Z');
    t.lists.setFaults({ rate: 0.3, status: 503, retryAfterSeconds: 0, seed: 2 });
    const runs: string[] = [];
    // A production timer calls every few minutes; a run the faults broke is tried again.
    for (let minutes = 0; minutes <= 60 && runs.at(-1) !== 'already done'; minutes += 6) {
      now = new Date(Date.parse('2018-03-07T08:31:00Z') + minutes * 60_000);
      const result = await trigger().catch(() => undefined);
      const outcome = result?.runs.find((r) => r.job === 'action-reminders')?.outcome;
      if (outcome) runs.push(outcome);
    }
    t.lists.setFaults({ rate: 0 });
    await t.bot.messaging.resumePending();

    expect(runs).toContain('ran');
    const jake = await cardsFor(PEOPLE.partner.aadObjectId);
    expect(jake).toHaveLength(3);
    expect(cardText(jake[2])).toContain('Overdue by 6 days');
    const [delivery] = await t.bot.messaging.deliveries.forCampaign('action-reminders:2018-03-07');
    expect(delivery?.status).toBe('Sent');
  });
});
