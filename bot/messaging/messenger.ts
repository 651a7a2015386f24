import type { Logger } from '../logger.js';
import type { OutgoingMessage } from '../conversation.js';
import type { ConversationRecord, ConversationStore } from './conversations.js';
import type { RateHold, RateLimiter } from './rate-limiter.js';
import {
  ProactiveSendError,
  ProactiveThrottledError,
  type ConversationRef,
  type ProactiveSender,
  type SentActivity,
} from './sender.js';

/**
 * Who a proactive message is for, and how to reach them: a person (by Entra object id) through
 * their 1:1 chat with the bot, opened where none exists and kept in `Conversations`; or a chat or
 * channel the bot already knows. Every request to Teams passes the rate limiter first.
 */

export type Recipient =
  | { kind: 'user'; aadObjectId: string; name?: string }
  | {
      kind: 'conversation';
      /** A stored conversation; add `;messageid=<id>` to reply in a channel thread. */
      conversationId: string;
      name?: string;
    };

export interface Target {
  conversationId: string;
  reference: ConversationRef;
}

/** A person or conversation the bot has no way to reach (said plainly, for the delivery log). */
export class UnreachableError extends ProactiveSendError {
  constructor(message: string) {
    super(message, 'unreachable', undefined);
  }
}

export function describeRecipient(r: Recipient): string {
  if (r.name) return r.name;
  return r.kind === 'user' ? `person ${r.aadObjectId}` : `conversation ${r.conversationId.slice(0, 40)}`;
}

export interface MessengerDeps {
  sender: ProactiveSender;
  conversations: ConversationStore;
  limiter: RateLimiter;
  logger: Logger;
}

const THREAD_SUFFIX = /;messageid=\d+$/;

export class Messenger {
  private via: { record: ConversationRecord; until: number } | undefined;

  constructor(private readonly deps: MessengerDeps) {}

  /** Where a recipient's message goes; opens a person's personal chat when they have none yet. */
  async resolve(recipient: Recipient, signal?: AbortSignal): Promise<Target> {
    if (recipient.kind === 'conversation') {
      const record = await this.deps.conversations.get(recipient.conversationId);
      if (!record) {
        throw new UnreachableError(
          `The bot does not know ${describeRecipient(recipient)}: it is not installed there, or was removed`,
        );
      }
      const thread = THREAD_SUFFIX.test(recipient.conversationId);
      const conversation = { ...(record.reference.conversation as Record<string, unknown> | undefined) };
      if (thread) conversation.id = recipient.conversationId;
      return {
        conversationId: thread ? recipient.conversationId : record.conversationId,
        reference: { ...record.reference, conversation },
      };
    }

    const known = await this.deps.conversations.personalFor(recipient.aadObjectId);
    if (known) return { conversationId: known.conversationId, reference: known.reference };
    const via = await this.installedSomewhere();
    if (!via) {
      throw new UnreachableError(
        `${describeRecipient(recipient)} has no chat with the bot, and the bot is in no team or chat to start one from`,
      );
    }
    await this.deps.limiter.acquire(undefined, signal);
    const opened = await this.throttleAware(() =>
      this.deps.sender.createPersonalConversation(
        { aadObjectId: recipient.aadObjectId, ...(via.tenantId ? { tenantId: via.tenantId } : {}) },
        via.reference,
      ),
    );
    const record: ConversationRecord = {
      conversationId: opened.conversationId,
      type: 'personal',
      name: recipient.name ?? 'Personal chat',
      userId: recipient.aadObjectId,
      serviceUrl: String(opened.reference.serviceUrl ?? via.serviceUrl),
      reference: opened.reference,
      ...(via.tenantId ? { tenantId: via.tenantId } : {}),
    };
    try {
      await this.deps.conversations.remember(record);
    } catch (err) {
      // Teams gives the same chat next time; losing the note costs one more request, not a message.
      this.deps.logger.warn({ err }, 'could not store a new personal chat reference');
    }
    return { conversationId: opened.conversationId, reference: opened.reference };
  }

  /** A fan-out may open hundreds of chats: the reference they are opened from is read once a minute. */
  private async installedSomewhere(): Promise<ConversationRecord | undefined> {
    if (this.via && this.via.until > Date.now()) return this.via.record;
    const record = await this.deps.conversations.anyActive();
    this.via = record ? { record, until: Date.now() + 60_000 } : undefined;
    return record;
  }

  /** Waits for room under the rate limits for one send to this conversation. */
  ready(target: Target, signal?: AbortSignal): Promise<void> {
    return this.deps.limiter.acquire(target.conversationId, signal);
  }

  /**
   * Holds room for one send to this conversation; `take()` it right before the send. For work
   * between "there is room" and the send (a fan-out's claim), so that work's time is neither
   * counted as the send's (bunched sends, 429s) nor spent waiting with the delivery claimed.
   */
  reserve(target: Target, signal?: AbortSignal): Promise<RateHold> {
    return this.deps.limiter.hold(target.conversationId, signal);
  }

  /** Sends now (call `ready` first); a 429 pauses every send of this process for Retry-After. */
  send(target: Target, message: OutgoingMessage): Promise<SentActivity> {
    return this.throttleAware(() => this.deps.sender.sendToConversation(target.reference, message));
  }

  /** One message, paced but not recorded: for replies that need no delivery log. */
  async deliver(recipient: Recipient, message: OutgoingMessage, signal?: AbortSignal) {
    const target = await this.resolve(recipient, signal);
    await this.ready(target, signal);
    const sent = await this.send(target, message);
    return { ...sent, conversationId: target.conversationId };
  }

  /** Replaces a message the bot sent earlier (e.g. a pack card after a supplement). */
  async update(conversationId: string, activityId: string, message: OutgoingMessage, signal?: AbortSignal) {
    const target = await this.resolve({ kind: 'conversation', conversationId }, signal);
    await this.ready(target, signal);
    await this.throttleAware(() =>
      this.deps.sender.updateInConversation(target.reference, activityId, message),
    );
  }

  private async throttleAware<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof ProactiveThrottledError) this.deps.limiter.pause(err.retryAfterMs ?? 1_000);
      throw err;
    }
  }
}
