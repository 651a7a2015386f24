import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../bot/index.js';
import { silentLogger } from '../../bot/logger.js';
import type { Clock } from '../../bot/messaging/clock.js';
import { createConversationStore } from '../../bot/messaging/conversations.js';
import { DeliveryLog, type Delivery, type DeliveryEvent } from '../../bot/messaging/deliveries.js';
import { FanOut } from '../../bot/messaging/fanout.js';
import type { Recipient } from '../../bot/messaging/messenger.js';
import { startListsService, type ListsService } from '../../infra/local/server.js';
import { installed, PEOPLE } from '../support/activities.js';
import { startConnector, type ConnectorStandIn } from '../support/connector.js';
import { testConfig } from '../support/bot-harness.js';

/**
 * The fan-out over real HTTP: the bot's messaging layer, the local lists service holding the
 * delivery log, and the connector stand-in receiving what Teams would. Bots are started and
 * stopped here (not through the shared harness) to play a crash and a second instance.
 */

let lists: ListsService;
let connector: ConnectorStandIn;
let dataDir: string;
const bots: RunningBot[] = [];

async function startInstance(clock?: Clock): Promise<RunningBot> {
  const bot = await startBot(testConfig(lists, dataDir), silentLogger, clock ? { clock } : {});
  bots.push(bot);
  return bot;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pb-fanout-'));
  lists = await startListsService({ port: 0, dataDir, provision: true });
  connector = await startConnector();
});

afterAll(async () => {
  for (const bot of bots) await bot.close().catch(() => undefined);
  await connector?.close();
  await lists?.close();
  await rm(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  connector.reset();
  lists.setFaults({ rate: 0 });
});

const people = (prefix: string, n: number): Recipient[] =>
  Array.from({ length: n }, (_, i) => ({
    kind: 'user',
    aadObjectId: `aad-${prefix}-${String(i + 1).padStart(3, '0')}`,
  }));
const invitation = (r: Recipient) => ({ text: `Invitation for ${r.kind === 'user' ? r.aadObjectId : ''}` });

/** Messages Teams accepted (the stand-in also lists the sends it answered with 429). */
const delivered = () =>
  connector.calls
    .filter((c) => c.method === 'POST' && c.conversationId && !c.path.endsWith('(429)'))
    .map((c) => c.body ?? {});

/** How many messages each recipient received, by the text addressed to them. */
function received(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const body of delivered()) {
    const to = /^Invitation for (.+)$/.exec(String(body.text ?? ''))?.[1];
    if (to) counts.set(to, (counts.get(to) ?? 0) + 1);
  }
  return counts;
}

const creates = () => connector.calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations');

/** People who have talked to the bot already: their personal chats are on the Conversations list. */
async function withPersonalChats(bot: RunningBot, recipients: Recipient[]) {
  const store = createConversationStore(bot.lists.repos.Conversations);
  for (let i = 0; i < recipients.length; i += 10) {
    await Promise.all(
      recipients.slice(i, i + 10).map((r) => {
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
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('fan-out over HTTP', () => {
  let bot: RunningBot;
  beforeAll(async () => {
    bot = await startInstance();
    // Installed in the board's team: the channel's reference lets the bot open personal chats.
    await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(installed(PEOPLE.officer, { serviceUrl: connector.serviceUrl, type: 'channel' })),
    });
  });

  it('sends 50 invitations, one each, and records 50 Sent deliveries', async () => {
    const recipients = people('fifty', 50);
    await withPersonalChats(bot, recipients.slice(0, 10));
    connector.reset();

    const report = await bot.messaging.fanOut({
      campaign: 'consultation:C-0001:invitation',
      title: 'Consultation C-0001 invitation',
      recipients,
      message: invitation,
    });

    expect(report).toMatchObject({
      total: 50,
      sent: 50,
      alreadySent: 0,
      failed: 0,
      unconfirmed: 0,
      pending: 0,
    });
    expect(delivered()).toHaveLength(50);
    expect([...received().values()].every((n) => n === 1)).toBe(true);
    expect(received().size).toBe(50);
    // Forty had no chat with the bot: one was opened for each, and kept for next time.
    expect(creates()).toHaveLength(40);
    const store = createConversationStore(bot.lists.repos.Conversations);
    expect((await store.personalFor('aad-fifty-050'))?.conversationId).toMatch(/^a:proactive-/);

    const log = await bot.messaging.deliveries.forCampaign('consultation:C-0001:invitation');
    expect(log).toHaveLength(50);
    expect(
      log.every((d) => d.status === 'Sent' && d.attempts === 1 && d.activityId?.startsWith('activity-')),
    ).toBe(true);
    expect(new Set(log.map((d) => d.key)).size).toBe(50);

    // Published again (a double click, a retry): nobody hears twice.
    const again = await bot.messaging.fanOut({
      campaign: 'consultation:C-0001:invitation',
      title: 'Consultation C-0001 invitation',
      recipients,
      message: invitation,
    });
    expect(again).toMatchObject({ sent: 0, alreadySent: 50 });
    expect(delivered()).toHaveLength(50);
  });

  it('waits out 429s with Retry-After and drops nobody', async () => {
    const recipients = people('throttled', 20);
    await withPersonalChats(bot, recipients);
    connector.reset();
    connector.throttleNext(6, 1);

    const report = await bot.messaging.fanOut({
      campaign: 'agenda:M-0001:pack',
      title: 'Agenda pack M-0001',
      recipients,
      message: invitation,
    });

    expect(report).toMatchObject({ sent: 20, failed: 0, pending: 0 });
    expect(connector.calls.filter((c) => c.path.endsWith('(429)'))).toHaveLength(6);
    expect(delivered()).toHaveLength(20);
    expect([...received().values()].every((n) => n === 1)).toBe(true);
    const log = await bot.messaging.deliveries.forCampaign('agenda:M-0001:pack');
    expect(log.filter((d) => d.status === 'Sent')).toHaveLength(20);
  });

  it('keeps trying, within bounds, when Teams goes on answering 429 past the connector’s own retries', async () => {
    const [one] = people('persistent', 1);
    await withPersonalChats(bot, [one!]);
    connector.reset();
    // botbuilder's client retries a 429 three times itself; the fourth reaches the fan-out.
    connector.throttleNext(5, 0);

    const report = await bot.messaging.fanOut({
      campaign: 'agenda:M-0002:pack',
      title: 'Agenda pack M-0002',
      recipients: [one!],
      message: invitation,
    });

    expect(report.sent).toBe(1);
    expect(connector.calls.filter((c) => c.path.endsWith('(429)'))).toHaveLength(5);
    expect(delivered()).toHaveLength(1);
    const [delivery] = await bot.messaging.deliveries.forCampaign('agenda:M-0002:pack');
    expect(delivery).toMatchObject({ status: 'Sent', attempts: 2 });
  });

  it('survives Graph faults on the delivery log (503 with Retry-After 0)', async () => {
    const recipients = people('faulty', 15);
    await withPersonalChats(bot, recipients);
    connector.reset();
    lists.setFaults({ rate: 0.3, status: 503, retryAfterSeconds: 0, seed: 2 });

    let report = await bot.messaging.fanOut({
      campaign: 'consultation:C-0002:invitation',
      title: 'Consultation C-0002 invitation',
      recipients,
      message: invitation,
    });
    lists.setFaults({ rate: 0 });
    // Anything a fault left unsettled is picked up by the next resume, never sent twice.
    if (report.pending)
      report = await bot.messaging.resumePending({ campaign: 'consultation:C-0002:invitation' });

    expect(received().size).toBe(15);
    expect([...received().values()].every((n) => n === 1)).toBe(true);
    const log = await bot.messaging.deliveries.forCampaign('consultation:C-0002:invitation');
    expect(log.filter((d) => d.status === 'Sent')).toHaveLength(15);
  });
});

describe('a fan-out cut short', () => {
  it('stopped half-way (a redeploy), is finished by a fresh instance: everyone exactly once', async () => {
    const first = await startInstance();
    const recipients = people('redeploy', 120);
    await withPersonalChats(first, recipients);
    connector.reset();

    const running = first.messaging.fanOut({
      campaign: 'consultation:C-0003:invitation',
      title: 'Consultation C-0003 invitation',
      recipients,
      message: invitation,
    });
    await connector.waitForSent(10);
    await first.close();
    const partial = await running;
    expect(partial.pending).toBeGreaterThan(0);
    expect(partial.sent + partial.pending).toBe(120);
    const sentBefore = delivered().length;
    expect(sentBefore).toBe(partial.sent);

    const second = await startInstance();
    const resumed = await second.messaging.resumePending();
    expect(resumed).toMatchObject({ sent: partial.pending, failed: 0, unconfirmed: 0, pending: 0 });
    expect(received().size).toBe(120);
    expect([...received().values()].every((n) => n === 1)).toBe(true);
    const log = await second.messaging.deliveries.forCampaign('consultation:C-0003:invitation');
    expect(log.every((d) => d.status === 'Sent')).toBe(true);
  });

  it('crashed between a send and its record, is finished without sending anything twice', async () => {
    const first = await startInstance();
    const recipients = people('crash', 30);
    await withPersonalChats(first, recipients);
    connector.reset();

    // The first instance dies after recording 8 sends: from then on nothing it writes lands.
    const dying = new CrashingLog(first.lists.repos.Deliveries, 8);
    const doomed = new FanOut({
      log: dying,
      messenger: first.messaging.messenger,
      logger: silentLogger,
      concurrency: 4,
    });
    void doomed.fanOut({
      campaign: 'consultation:C-0004:invitation',
      title: 'Consultation C-0004 invitation',
      recipients,
      message: invitation,
    });
    await until(() => dying.crashed && dying.claimsInFlight === 0 && dying.sentCalls === dying.claimsLanded);
    const sentBeforeCrash = delivered().length;
    expect(sentBeforeCrash).toBeGreaterThan(8);
    await first.close();

    // A fresh instance, started once the dead one's claims have expired.
    const later = () => new Date(Date.now() + 11 * 60_000);
    const second = await startInstance(later);
    const resumed = await second.messaging.resumePending({ campaign: 'consultation:C-0004:invitation' });

    expect(received().size).toBe(30);
    expect([...received().values()].every((n) => n === 1)).toBe(true);
    const log = await second.messaging.deliveries.forCampaign('consultation:C-0004:invitation');
    const unconfirmed = log.filter((d) => d.status === 'Unconfirmed');
    // Sent but not recorded: they did arrive, so they are not sent again, and say so.
    expect(unconfirmed).toHaveLength(sentBeforeCrash - 8);
    expect(unconfirmed.every((d) => /may have arrived/.test(d.lastError ?? ''))).toBe(true);
    expect(log.filter((d) => d.status === 'Sent')).toHaveLength(30 - unconfirmed.length);
    expect(resumed.sent).toBe(30 - sentBeforeCrash);
  });
});

/**
 * A delivery log whose process dies after recording `sentLimit` sends: every write from then on
 * never completes, as if the machine had gone. Sends already claimed still reach Teams.
 */
class CrashingLog extends DeliveryLog {
  crashed = false;
  sentCalls = 0;
  claimsLanded = 0;
  claimsInFlight = 0;
  private sentRecorded = 0;

  constructor(
    repo: ConstructorParameters<typeof DeliveryLog>[0],
    private readonly sentLimit: number,
  ) {
    super(repo);
  }

  override async apply(
    d: Delivery,
    e: DeliveryEvent,
    options?: { unconditional?: boolean },
  ): Promise<Delivery> {
    if (e.type === 'sent') this.sentCalls++;
    if (this.crashed) return new Promise<Delivery>(() => {});
    if (e.type === 'sent' && this.sentRecorded >= this.sentLimit) {
      this.crashed = true;
      return new Promise<Delivery>(() => {});
    }
    if (e.type === 'claim') this.claimsInFlight++;
    try {
      const next = await super.apply(d, e, options);
      if (e.type === 'sent') this.sentRecorded++;
      if (e.type === 'claim') this.claimsLanded++;
      return next;
    } finally {
      if (e.type === 'claim') this.claimsInFlight--;
    }
  }
}
