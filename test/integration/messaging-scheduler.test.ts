import { beforeAll, describe, expect, it } from 'vitest';
import { ActionStore } from '../../bot/features/actions/store.js';
import { writeInvitees } from '../../bot/features/consultations/model.js';
import { ConsultationStore } from '../../bot/features/consultations/store.js';
import { installed, PEOPLE } from '../support/activities.js';
import { cardOf } from '../support/actions-activities.js';
import { startTestBot } from '../support/bot-harness.js';
import { useTestBot } from '../support/use-test-bot.js';
import { cardText } from '../support/cards.js';

const SECRET = 'a-long-shared-secret-for-the-timer';

describe('POST /api/scheduler/run', () => {
  // Monday 5 March 2018, 08:45 in London (GMT): the owners' reminders (08:30) are due.
  const now = new Date('2018-03-05T08:45:00Z');

  const t = useTestBot({ env: { SCHEDULER_SECRET: SECRET }, clock: () => now });

  beforeAll(async () => {
    await post(installed(PEOPLE.partner, { serviceUrl: t.connector.serviceUrl }));
    await new ActionStore(t.bot.lists.repos.Actions).create({
      Title: 'Send the VCS the draft strategy',
      Details: 'Send the VCS the draft strategy',
      Owners: PEOPLE.partner.name,
      OwnerIds: PEOPLE.partner.aadObjectId,
      DueDate: '2018-03-01',
      Status: 'Open',
      Tentative: false,
      SourceKey: 'test:scheduler:1',
    });
    t.connector.reset();
  });

  async function post(activity: unknown) {
    await fetch(`${t.bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
  }

  const trigger = (headers: Record<string, string> = {}, query = '') =>
    fetch(`${t.bot.url}/api/scheduler/run${query}`, { method: 'POST', headers });

  it('refuses a call without the secret, or with a wrong one, and runs nothing', async () => {
    const none = await trigger();
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: string }).error).toMatch(/X-Scheduler-Secret/i);
    expect((await trigger({ 'x-scheduler-secret': `${SECRET}-not` })).status).toBe(401);
    expect((await trigger({ authorization: 'Bearer nope' })).status).toBe(401);
    expect(t.connector.sent()).toHaveLength(0);
    expect(await t.bot.messaging.deliveries.forCampaign('action-reminders:2018-03-05')).toHaveLength(0);
  });

  it('says which jobs exist when asked for one that does not', async () => {
    const res = await trigger({ 'x-scheduler-secret': SECRET }, '?job=tidy-up');
    expect(res.status).toBe(404);
    // Other features add their own jobs (e.g. the agenda's reminders); these two are the actions'.
    expect(((await res.json()) as { jobs: string[] }).jobs).toEqual(
      expect.arrayContaining(['action-reminders', 'actions-digest']),
    );
  });

  it('runs the due reminders with the secret, once, however often it is called', async () => {
    const res = await trigger({ 'x-scheduler-secret': SECRET });
    expect(res.status).toBe(200);
    const { runs } = (await res.json()) as { runs: { job: string; outcome: string; date: string }[] };
    expect(runs.filter((r) => r.job.startsWith('action'))).toEqual([
      expect.objectContaining({ job: 'action-reminders', date: '2018-03-05', outcome: 'ran' }),
      expect.objectContaining({ job: 'actions-digest', date: '2018-03-05', outcome: 'not due' }),
    ]);
    const sent = t.connector.sent();
    expect(sent).toHaveLength(1);
    expect(t.connector.calls.find((c) => c.method === 'POST' && c.conversationId)?.conversationId).toBe(
      `a:personal-${PEOPLE.partner.aadObjectId}`,
    );
    expect(cardText(cardOf(sent[0]))).toContain('Send the VCS the draft strategy');

    const again = await trigger({ authorization: `Bearer ${SECRET}` }, '?job=action-reminders');
    expect(((await again.json()) as { runs: { outcome: string }[] }).runs).toEqual([
      expect.objectContaining({ outcome: 'already done' }),
    ]);
    expect(t.connector.sent()).toHaveLength(1);
  });

  it('closes a consultation whose deadline has passed, with no in-process timer running', async () => {
    // The bot under test has the in-process scheduler off (not production): only the trigger ticks.
    const store = new ConsultationStore(t.bot.lists.repos.Consultations, t.bot.lists.repos.Feedback);
    const { consultation } = await store.create({
      Title: 'Draft Community Strategy 2018–2028',
      Summary: 'Five priorities for the borough over the next ten years.',
      Themes: JSON.stringify(['A greener and environmentally sustainable community']),
      Questions: JSON.stringify(['What are your top 3 strategic challenges?']),
      ClosesAt: '2018-03-05T08:00:00.000Z',
      Audience: JSON.stringify({ kind: 'people' }),
      Anonymity: 'Named',
      CountPer: 'Person',
      Status: 'Open',
      OpenedBy: PEOPLE.officer.name,
      Invitees: writeInvitees([{ aadObjectId: PEOPLE.partner.aadObjectId, name: PEOPLE.partner.name }]),
      SourceKey: 'test:scheduler:consultation',
    });
    const status = async () =>
      (await store.open()).some((c) => c.ref === consultation.ref) ? 'Open' : 'not open';
    expect(await status()).toBe('Open');
    expect((await trigger({ 'x-scheduler-secret': SECRET })).status).toBe(200);
    await t.bot.consultations.service.settled();
    expect(await status()).toBe('not open');
  });
});

describe('without SCHEDULER_SECRET', () => {
  it('has no trigger route at all', async () => {
    const t = await startTestBot();
    try {
      const res = await fetch(`${t.bot.url}/api/scheduler/run`, {
        method: 'POST',
        headers: { 'x-scheduler-secret': SECRET },
      });
      expect(res.status).toBe(404);
    } finally {
      await t.close();
    }
  });
});
