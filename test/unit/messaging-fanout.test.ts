import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../bot/logger.js';
import type { ConversationRecord, ConversationStore } from '../../bot/messaging/conversations.js';
import {
  DeliveryLog,
  deliveryKey,
  transition,
  type Delivery,
  type DeliveryEvent,
  type PlannedMessage,
} from '../../bot/messaging/deliveries.js';
import { FanOut } from '../../bot/messaging/fanout.js';
import { Messenger, type Recipient } from '../../bot/messaging/messenger.js';
import { RateLimiter } from '../../bot/messaging/rate-limiter.js';
import {
  ProactiveSendError,
  ProactiveThrottledError,
  type ConversationRef,
  type ProactiveSender,
} from '../../bot/messaging/sender.js';
import type { OutgoingMessage } from '../../bot/routing/types.js';
import { PreconditionFailedError } from '../../bot/sharepoint/index.js';

/** The delivery log in memory, with the real transitions and ETags that change on every write. */
class MemoryLog extends DeliveryLog {
  readonly rows = new Map<string, Delivery>();
  private version = 0;
  /** Runs before a write lands: lets a test play another process moving first. */
  beforeApply?: ((d: Delivery, e: DeliveryEvent) => void) | undefined;

  constructor() {
    super(undefined as never);
  }

  override async plan(campaign: string, title: string, planned: readonly PlannedMessage[]) {
    for (const { recipient, message } of planned) {
      const key = deliveryKey(campaign, recipient);
      if (this.rows.has(key)) continue;
      this.rows.set(key, {
        id: key,
        etag: String(++this.version),
        key,
        campaign,
        title,
        recipient,
        status: 'Pending',
        attempts: 0,
        message,
      });
    }
    return planned.map((p) => this.rows.get(deliveryKey(campaign, p.recipient))!);
  }

  override async forCampaign(campaign: string) {
    return [...this.rows.values()].filter((d) => d.campaign === campaign);
  }

  override async open(campaign?: string) {
    return [...this.rows.values()].filter(
      (d) => (!campaign || d.campaign === campaign) && (d.status === 'Pending' || d.status === 'Sending'),
    );
  }

  override async get(id: string) {
    return { ...this.rows.get(id)! };
  }

  override async apply(d: Delivery, e: DeliveryEvent, options: { unconditional?: boolean } = {}) {
    this.beforeApply?.(d, e);
    const stored = this.rows.get(d.id)!;
    if (!options.unconditional && stored.etag !== d.etag)
      throw new PreconditionFailedError('stale', { status: 412 });
    const patch = transition(d, e);
    const next: Delivery = { ...stored, etag: String(++this.version) };
    if (patch.Status) next.status = patch.Status;
    if (typeof patch.Attempts === 'number') next.attempts = patch.Attempts;
    if (patch.AttemptedAt) next.attemptedAt = patch.AttemptedAt;
    if (patch.ActivityId === null) delete next.activityId;
    else if (patch.ActivityId) next.activityId = patch.ActivityId;
    if (patch.ConversationId) next.conversationId = patch.ConversationId;
    if (patch.LastError === null) delete next.lastError;
    else if (patch.LastError) next.lastError = patch.LastError;
    this.rows.set(d.id, next);
    return { ...next };
  }

  byRecipient(id: string) {
    return [...this.rows.values()].find(
      (d) => d.recipient.kind === 'user' && d.recipient.aadObjectId === id,
    )!;
  }
}

const TEMPLATE: ConversationRecord = {
  conversationId: '19:general@thread.tacv2',
  type: 'channel',
  name: 'General',
  serviceUrl: 'https://smba.example/',
  tenantId: 'tenant-council',
  reference: {
    serviceUrl: 'https://smba.example/',
    bot: { id: '28:bot' },
    conversation: { id: '19:general' },
  },
};

function memoryConversations(): ConversationStore & { records: ConversationRecord[] } {
  const records: ConversationRecord[] = [];
  return {
    records,
    async remember(r) {
      records.push(r);
      return 'new';
    },
    async deactivate() {},
    async personalFor(id) {
      return records.find((r) => r.userId === id);
    },
    async get(id) {
      return records.find((r) => r.conversationId === id);
    },
    async anyActive() {
      return records.find((r) => r.type === 'channel');
    },
  };
}

type Script = (conversationId: string, n: number) => void | Promise<void>;

/** A sender that records what reached "Teams" and fails as a test's script says. */
function scriptedSender(script: Script = () => {}) {
  const delivered: { conversationId: string; message: OutgoingMessage }[] = [];
  const attempts = new Map<string, number>();
  let chats = 0;
  const sender: ProactiveSender = {
    async sendToConversation(ref: ConversationRef, message: OutgoingMessage) {
      const id = String((ref.conversation as { id: string }).id);
      const n = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, n);
      await script(id, n);
      delivered.push({ conversationId: id, message });
      return { activityId: `activity-${delivered.length}` };
    },
    async updateInConversation() {},
    async createPersonalConversation(user) {
      chats++;
      const conversationId = `a:chat-${user.aadObjectId}`;
      return { conversationId, reference: { ...TEMPLATE.reference, conversation: { id: conversationId } } };
    },
  };
  return { sender, delivered, chatsOpened: () => chats };
}

function setUp(
  options: { script?: Script; maxAttempts?: number; now?: () => Date; installed?: boolean } = {},
) {
  const log = new MemoryLog();
  const conversations = memoryConversations();
  if (options.installed !== false) conversations.records.push(TEMPLATE);
  const { sender, delivered, chatsOpened } = scriptedSender(options.script);
  const pauses: number[] = [];
  // Pacing has its own tests: here the limits are wide so the real clock never has to move.
  const wide = [{ periodMs: 1000, max: 1_000_000 }];
  const limiter = new RateLimiter({ limits: { perConversation: wide, global: wide }, sleep: async () => {} });
  const pause = limiter.pause.bind(limiter);
  limiter.pause = (ms) => {
    pauses.push(ms);
    pause(0);
  };
  const messenger = new Messenger({ sender, conversations, limiter, logger: silentLogger });
  const fan = new FanOut({
    log,
    messenger,
    logger: silentLogger,
    sleep: async () => {},
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.now ? { clock: options.now } : {}),
  });
  return { log, conversations, fan, delivered, pauses, chatsOpened };
}

const people = (n: number): Recipient[] =>
  Array.from({ length: n }, (_, i) => ({ kind: 'user', aadObjectId: `aad-${i + 1}` }) as Recipient);
const hello = (r: Recipient) => ({ text: `Hello ${r.kind === 'user' ? r.aadObjectId : r.conversationId}` });

describe('fan-out', () => {
  it('sends once to each recipient, opening personal chats where none exist, and records Sent', async () => {
    const s = setUp();
    const report = await s.fan.fanOut({
      campaign: 'test:hello',
      title: 'Hello',
      recipients: [...people(5), { kind: 'user', aadObjectId: 'aad-1' }],
      message: hello,
    });
    expect(report).toMatchObject({ total: 5, sent: 5, alreadySent: 0, failed: 0, pending: 0 });
    expect(s.delivered.map((d) => d.message.text).sort()).toEqual(
      people(5)
        .map((r) => hello(r).text)
        .sort(),
    );
    expect(s.chatsOpened()).toBe(5);
    expect(s.conversations.records.filter((r) => r.type === 'personal')).toHaveLength(5);
    expect(
      [...s.log.rows.values()].every((d) => d.status === 'Sent' && d.activityId?.startsWith('activity-')),
    ).toBe(true);

    const again = await s.fan.fanOut({
      campaign: 'test:hello',
      title: 'Hello',
      recipients: people(6),
      message: hello,
    });
    expect(again).toMatchObject({ total: 6, sent: 1, alreadySent: 5 });
    expect(s.delivered).toHaveLength(6);
  });

  it('honours a 429: pauses for Retry-After, puts the delivery back to Pending, then sends it', async () => {
    const s = setUp({
      script: (id, n) => {
        if (id === 'a:chat-aad-2' && n === 1) throw new ProactiveThrottledError('slow down', 2500);
      },
    });
    const report = await s.fan.fanOut({
      campaign: 'test:429',
      title: 'T',
      recipients: people(3),
      message: hello,
    });
    expect(report.sent).toBe(3);
    expect(s.pauses).toEqual([2500]);
    expect(s.delivered.filter((d) => d.conversationId === 'a:chat-aad-2')).toHaveLength(1);
    expect(s.log.byRecipient('aad-2')).toMatchObject({ status: 'Sent', attempts: 2 });
  });

  it('gives up after the allowed attempts and says why', async () => {
    const s = setUp({
      maxAttempts: 3,
      script: (id) => {
        if (id === 'a:chat-aad-1') throw new ProactiveSendError('HTTP 502', 'transient', 502);
      },
    });
    const report = await s.fan.fanOut({
      campaign: 'test:502',
      title: 'T',
      recipients: people(2),
      message: hello,
    });
    expect(report).toMatchObject({ sent: 1, failed: 1 });
    const failed = s.log.byRecipient('aad-1');
    expect(failed).toMatchObject({ status: 'Failed', attempts: 3 });
    expect(failed.lastError).toMatch(/Gave up after 3 attempts/);
  });

  it('fails, without retrying, a person Teams will not let us reach', async () => {
    const s = setUp({
      script: (id) => {
        if (id === 'a:chat-aad-1') throw new ProactiveSendError('HTTP 403: bot blocked', 'unreachable', 403);
      },
    });
    const report = await s.fan.fanOut({
      campaign: 'test:403',
      title: 'T',
      recipients: people(2),
      message: hello,
    });
    expect(report).toMatchObject({ sent: 1, failed: 1 });
    expect(s.log.byRecipient('aad-1')).toMatchObject({ status: 'Failed', attempts: 1 });
  });

  it('fails a person with no chat when the bot is installed nowhere to open one from', async () => {
    const s = setUp({ installed: false });
    const report = await s.fan.fanOut({
      campaign: 'test:none',
      title: 'T',
      recipients: people(1),
      message: hello,
    });
    expect(report.failed).toBe(1);
    expect(report.outcomes[0]?.error).toMatch(/no chat with the bot/);
    expect(s.delivered).toHaveLength(0);
  });

  it('marks Unconfirmed, and never re-sends, a message whose answer was lost', async () => {
    const s = setUp({
      script: (id, n) => {
        if (id === 'a:chat-aad-1' && n === 1)
          throw new ProactiveSendError('socket hang up', 'unknown', undefined);
      },
    });
    const report = await s.fan.fanOut({
      campaign: 'test:lost',
      title: 'T',
      recipients: people(2),
      message: hello,
    });
    expect(report).toMatchObject({ sent: 1, unconfirmed: 1 });
    const resumed = await s.fan.resumePending();
    expect(resumed.total).toBe(0);
    expect(s.log.byRecipient('aad-1').status).toBe('Unconfirmed');
  });

  it('on resume: sends Pending, leaves a fresh claim to its owner, and marks a stale one Unconfirmed', async () => {
    let now = new Date('2018-03-05T09:00:00Z');
    const s = setUp({ now: () => now });
    await s.log.plan(
      'test:resume',
      'T',
      people(3).map((recipient) => ({ recipient, message: hello(recipient) })),
    );
    const claim = (id: string, at: Date) =>
      s.log.apply(s.log.byRecipient(id), { type: 'claim', at, conversationId: `a:chat-${id}`, token: id });
    await claim('aad-1', new Date('2018-03-05T08:58:00Z'));
    await claim('aad-2', new Date('2018-03-05T08:40:00Z'));

    const report = await s.fan.resumePending();
    expect(report).toMatchObject({ sent: 1, unconfirmed: 1, pending: 1 });
    expect(s.delivered.map((d) => d.conversationId)).toEqual(['a:chat-aad-3']);
    expect(s.log.byRecipient('aad-2').lastError).toMatch(/may have arrived/);

    now = new Date('2018-03-05T09:30:00Z');
    expect((await s.fan.resumePending()).unconfirmed).toBe(1);
    expect(s.delivered).toHaveLength(1);
  });

  it('does not send what another process claimed first', async () => {
    const s = setUp();
    await s.log.plan(
      'test:race',
      'T',
      people(1).map((recipient) => ({ recipient, message: hello(recipient) })),
    );
    s.log.beforeApply = (d, e) => {
      if (e.type !== 'claim') return;
      s.log.beforeApply = undefined;
      // The other process's claim lands first (same starting ETag, so ours is then stale).
      void s.log.apply(
        { ...d },
        { type: 'claim', at: new Date(), conversationId: 'a:chat-aad-1', token: 'other' },
      );
    };
    const report = await s.fan.resumePending();
    expect(report.pending).toBe(1);
    expect(s.delivered).toHaveLength(0);
    expect(s.log.byRecipient('aad-1').activityId).toBe('claim:other');
  });

  it('stops taking deliveries when stopped, leaving them Pending for the next instance', async () => {
    const s = setUp({
      script: () => {
        if (s.delivered.length >= 2) s.fan.stop();
      },
    });
    const report = await s.fan.fanOut({
      campaign: 'test:stop',
      title: 'T',
      recipients: people(40),
      message: hello,
    });
    expect(report.pending).toBeGreaterThan(0);
    expect(report.sent + report.pending).toBe(40);
    expect([...s.log.rows.values()].filter((d) => d.status === 'Pending')).toHaveLength(report.pending);
  });
});
