import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.js';
import { addDays, londonDate, toIsoDate } from '../../bot/dates/london.js';
import { ActionStore, type NewActionFields } from '../../bot/features/actions/store.js';
import { startBot, type RunningBot } from '../../bot/index.js';
import { silentLogger } from '../../bot/logger.js';
import { createConversationStore } from '../../bot/messaging/conversations.js';
import type { Recipient } from '../../bot/messaging/messenger.js';
import { createListsLayer, type ListsLayer } from '../../bot/sharepoint/index.js';
import { startListsService, type ListsService } from '../../infra/local/server.js';
import { cardAction, installed, PEOPLE, ROLE_ENV } from '../support/activities.js';
import { messageAt } from '../support/actions-activities.js';
import { startConnector, type ConnectorStandIn } from '../support/connector.js';
import { seedBoard, forDefaultBoard, DEFAULT_TEAM_ID } from '../support/boards.js';

/**
 * Scale-out: the bot keeps nothing in memory that matters, so two instances behind one load
 * balancer, sharing one lists service, behave as one. Teams may deliver the same activity to
 * either instance (a retry after a timeout lands on the other one), and both run the scheduler.
 *
 * - Two bot processes (`node bot/index.ts`, as App Service runs them) get the same conversation's
 *   activities at once: every action is written once with its own reference, a card click
 *   delivered to both changes the action once, the conversation reference is stored once, and the
 *   reminders job triggered on both at the same moment reminds each owner once.
 * - Two instances in one process share a clock and a campaign: a fan-out started on both at once
 *   is sent once to each recipient, each delivery claimed by exactly one instance, and the
 *   reminders job run on both with the same clock sends once.
 */

const SECRET = 'scale-out-test-secret-0123456789';

let lists: ListsService;
let connector: ConnectorStandIn;
let dataDir: string;
let layer: ListsLayer;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pb-scale-out-'));
  lists = await startListsService({ port: 0, dataDir, provision: true });
  connector = await startConnector();
  layer = createListsLayer(loadConfig({ GRAPH_BASE_URL: lists.graphBaseUrl }).graph, silentLogger);
  await seedBoard(layer, { serviceUrl: connector.serviceUrl, chairs: [ROLE_ENV.BOARD_CHAIRS] });
});

afterAll(async () => {
  await connector?.close();
  await lists?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const where = (conversationId = '19:board-general@thread.tacv2') => ({
  serviceUrl: connector.serviceUrl,
  type: 'channel' as const,
  conversationId,
});

/** Sends of new messages Teams accepted, to one conversation. */
const sendsTo = (conversationId: string) =>
  connector.calls.filter(
    (c) => c.method === 'POST' && c.conversationId === conversationId && !c.path.endsWith('(429)'),
  );

async function allActions() {
  return (await layer.repos.Actions.all({})).map((i) => i.fields);
}

// ── two processes ──

interface BotProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

async function startBotProcess(name: string): Promise<BotProcess> {
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', '--import', 'tsx', 'bot/index.ts'], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      GRAPH_BASE_URL: lists.graphBaseUrl,
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
      SCHEDULER_ENABLED: 'false',
      SCHEDULER_SECRET: SECRET,
      // Due from midnight: whenever the test runs, today's reminders are due.
      REMINDERS_AT: '00:00',
      ...ROLE_ENV,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${out}`)));
  });
  return {
    url,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function post(bot: { url: string }, activity: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

describe('two bot processes against one lists service', () => {
  let a: BotProcess;
  let b: BotProcess;

  beforeAll(async () => {
    [a, b] = await Promise.all([startBotProcess('bot-a'), startBotProcess('bot-b')]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('writes each action once, with its own reference, when both get the same activities at once', async () => {
    connector.reset();
    const texts = Array.from(
      { length: 12 },
      (_, i) => `action Jake Ferguson to send the VCS premises survey, part ${i + 1}, by end of June`,
    );
    const activities = texts.map((text, i) =>
      messageAt(text, PEOPLE.officer, where(), { id: `1700000000${String(i).padStart(3, '0')}` }),
    );
    // Each activity reaches both instances at the same moment (a retry that landed elsewhere), and
    // all of them arrive together, so the two processes race for references too.
    const answers = await Promise.all(activities.flatMap((act) => [post(a, act), post(b, act)]));
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));

    const actions = await allActions();
    expect(actions).toHaveLength(12);
    const refs = actions.map((f) => f.ActionRef);
    expect(new Set(refs).size).toBe(12);
    expect(new Set(actions.map((f) => f.SourceKey)).size).toBe(12);
    // References may have gaps: when both instances write the same message at once, the one whose
    // write meets the other's SourceKey leaves its number unused. At most one number per repeated
    // delivery, so never past 24; never a reference twice.
    expect(refs.every((r) => /^A-\d{4}$/.test(r ?? ''))).toBe(true);
    expect(Math.max(...refs.map((r) => Number(r?.slice(2))))).toBeLessThanOrEqual(24);
    // Every part was logged, once.
    expect(actions.map((f) => /part (\d+)/.exec(f.Title)?.[1]).sort((x, y) => Number(x) - Number(y))).toEqual(
      texts.map((_, i) => String(i + 1)),
    );
  });

  it('stores the conversation reference once, however many instances saw it', async () => {
    const conversations = await layer.repos.Conversations.all({});
    const general = conversations.filter((c) => c.fields.ConversationId === where().conversationId);
    expect(general).toHaveLength(1);
    expect(JSON.parse(general[0]!.fields.Reference ?? '{}')).toMatchObject({
      conversation: { id: where().conversationId },
    });
  });

  it('changes an action once when the same card click reaches both', async () => {
    const ref = (await allActions()).find((f) => /\bpart 3\b/.test(f.Title))!.ActionRef;
    const click = cardAction('actions.done', { ref }, PEOPLE.chair, where());
    const answers = await Promise.all([post(a, click), post(b, click)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const item = (await allActions()).find((f) => f.ActionRef === ref)!;
    expect(item.Status).toBe('Done');
    expect(item.Details?.match(/marked it done/g)).toHaveLength(1);
  });

  it('reminds each owner once when the reminders job is triggered on both at once', async () => {
    const today = toIsoDate(londonDate(new Date()));
    // Jake and Sonia have talked to the bot; the bot is in the team.
    await post(a, installed(PEOPLE.partner, { serviceUrl: connector.serviceUrl }));
    await post(b, installed(PEOPLE.officer, { serviceUrl: connector.serviceUrl }));
    const store = forDefaultBoard(new ActionStore(layer.board.Actions));
    const overdue: NewActionFields = {
      Title: 'Circulate the draft strategy to the VCS',
      Owners: `${PEOPLE.partner.name}; ${PEOPLE.officer.name}`,
      OwnerIds: `${PEOPLE.partner.aadObjectId}; ${PEOPLE.officer.aadObjectId}`,
      DueDate: toIsoDate(addDays(londonDate(new Date()), -3)),
      Status: 'Open',
      Tentative: false,
      SourceKey: 'test:scale-out:overdue',
    };
    await store.create(overdue);
    connector.reset();

    const trigger = async (bot: BotProcess) => {
      const res = await fetch(`${bot.url}/api/scheduler/run`, {
        method: 'POST',
        headers: { 'x-scheduler-secret': SECRET },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { runs: { job: string; outcome: string }[] };
      return body.runs.find((r) => r.job === 'action-reminders')?.outcome;
    };
    const outcomes = await Promise.all([trigger(a), trigger(b)]);
    expect(outcomes.filter((o) => o === 'ran')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'ran')[0]).toMatch(/running elsewhere|already done/);
    // And again, one after the other: nothing more.
    expect(await trigger(b)).toBe('already done');
    expect(await trigger(a)).toBe('already done');

    const conversations = createConversationStore(layer.repos.Conversations);
    for (const person of [PEOPLE.partner, PEOPLE.officer]) {
      const chat = (await conversations.personalFor(person.aadObjectId))!.conversationId;
      expect(sendsTo(chat), `reminders to ${person.name}`).toHaveLength(1);
    }
    const deliveries = (await layer.repos.Deliveries.all({})).filter((d) =>
      d.fields.Campaign?.startsWith(`action-reminders:${today}`),
    );
    expect(deliveries.map((d) => d.fields.Status)).toEqual(['Sent', 'Sent']);
  });

  // The welcome is decided by whose write made the conversation known in the Conversations list.
  // (A message re-delivered to both instances is still answered by both: the second answer says
  // nothing new was written.)
  it('welcomes an installation once when both instances hear of it', async () => {
    connector.reset();
    const team = '19:welcome-once@thread.tacv2';
    const install = installed(PEOPLE.chair, {
      serviceUrl: connector.serviceUrl,
      type: 'channel',
      conversationId: team,
    });
    await Promise.all([post(a, install), post(b, install)]);
    expect(sendsTo(team)).toHaveLength(1);
  });

  it('left nothing failing in either process', () => {
    for (const p of [a, b]) expect(p.output()).not.toMatch(/"level":(50|60)/);
  });
});

// ── two instances, one clock ──

describe('two instances with one clock', () => {
  // Monday 5 March 2018, 08:35 in London: the reminders are due.
  const clock = () => new Date('2018-03-05T08:35:00Z');
  let one: RunningBot;
  let two: RunningBot;

  const start = () =>
    startBot(
      loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        GRAPH_BASE_URL: lists.graphBaseUrl,
        LOG_LEVEL: 'silent',
        REMINDERS_AT: '08:30',
        DIGEST_AT: '09:00',
        ...ROLE_ENV,
      }),
      silentLogger,
      { clock },
    );

  beforeAll(async () => {
    [one, two] = await Promise.all([start(), start()]);
  });

  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()]);
  });

  const people = (n: number): Recipient[] =>
    Array.from({ length: n }, (_, i) => ({
      kind: 'user',
      aadObjectId: `aad-member-${String(i + 1).padStart(3, '0')}`,
    }));

  async function withPersonalChats(recipients: Recipient[]): Promise<void> {
    const store = createConversationStore(layer.repos.Conversations);
    await Promise.all(
      recipients.map((r) => {
        const id = r.kind === 'user' ? r.aadObjectId : '';
        return store.remember({
          conversationId: `a:personal-${id}`,
          type: 'personal',
          name: id,
          userId: id,
          tenantId: 'tenant-council',
          serviceUrl: connector.serviceUrl,
          reference: {
            serviceUrl: connector.serviceUrl,
            channelId: 'msteams',
            bot: { id: '28:partnership-board', name: 'Partnership Board' },
            user: { id: `29:${id}`, aadObjectId: id },
            conversation: {
              id: `a:personal-${id}`,
              conversationType: 'personal',
              tenantId: 'tenant-council',
            },
          },
        });
      }),
    );
  }

  it('sends a fan-out started on both at once to each recipient once, each claimed by one instance', async () => {
    const recipients = people(40);
    await withPersonalChats(recipients);
    connector.reset();
    const request = {
      campaign: 'agenda:M-0007:pack',
      title: 'Agenda pack M-0007',
      recipients,
      message: (r: Recipient) => ({ text: `Pack for ${r.kind === 'user' ? r.aadObjectId : ''}` }),
    };
    const [first, second] = await Promise.all([one.messaging.fanOut(request), two.messaging.fanOut(request)]);

    for (const r of recipients) {
      const id = r.kind === 'user' ? r.aadObjectId : '';
      expect(sendsTo(`a:personal-${id}`), id).toHaveLength(1);
    }
    // Each instance sent some or none; together exactly one send per recipient, none failed.
    expect(first.sent + second.sent).toBe(40);
    expect(first.failed + second.failed + first.unconfirmed + second.unconfirmed).toBe(0);
    const log = await one.messaging.deliveries.forCampaign(request.campaign);
    expect(log).toHaveLength(40);
    expect(log.every((d) => d.status === 'Sent' && d.attempts === 1)).toBe(true);
    const sentBy = new Map<string, number>();
    for (const o of [...first.outcomes, ...second.outcomes].filter((o) => o.sentNow))
      sentBy.set(o.key, (sentBy.get(o.key) ?? 0) + 1);
    expect([...sentBy.values()].every((n) => n === 1)).toBe(true);
    expect(sentBy.size).toBe(40);
  });

  it('runs the reminders job on both with the same clock and sends each reminder once', async () => {
    // Owners with chats, and their actions overdue on 5 March 2018.
    const owners = people(6).map((r) => (r.kind === 'user' ? r.aadObjectId : ''));
    const store = forDefaultBoard(new ActionStore(layer.board.Actions));
    for (const [i, owner] of owners.entries())
      await store.create({
        Title: `Report on the homelessness strategy, part ${i + 1}`,
        Owners: `Member ${i + 1}`,
        OwnerIds: owner,
        DueDate: '2018-03-01',
        Status: 'Open',
        Tentative: false,
        SourceKey: `test:scale-out:reminder:${i}`,
      });
    connector.reset();

    const runs = await Promise.all([
      one.messaging.scheduler.runDue('action-reminders'),
      two.messaging.scheduler.runDue('action-reminders'),
    ]);
    const outcomes = runs.flat().map((r) => r.outcome);
    expect(outcomes.filter((o) => o === 'ran')).toHaveLength(1);
    expect(outcomes).toHaveLength(2);
    // Run again on both: already done for the day.
    const again = await Promise.all([
      one.messaging.scheduler.runDue('action-reminders'),
      two.messaging.scheduler.runDue('action-reminders'),
    ]);
    expect(again.flat().map((r) => r.outcome)).toEqual(['already done', 'already done']);

    for (const owner of owners) expect(sendsTo(`a:personal-${owner}`), owner).toHaveLength(1);
    const log = await one.messaging.deliveries.forCampaign(`action-reminders:2018-03-05|${DEFAULT_TEAM_ID}`);
    for (const owner of owners)
      expect(log.filter((d) => JSON.stringify(d.recipient).includes(owner))).toHaveLength(1);
  });
});
