import type { OutgoingMessage } from '../conversation.js';

/**
 * What the messaging layer needs from the Bot Framework to speak first: send into a conversation we
 * hold a reference for, update a message already sent, and open a person's 1:1 chat with the bot.
 * The edge (bot/proactive.ts) implements it with botbuilder; tests can implement it with anything.
 * Every failure is one of the errors below, so callers never read an SDK's error shape.
 */

/** botbuilder's ConversationReference as stored in the Conversations list (plain JSON). */
export type ConversationRef = Record<string, unknown>;

export interface SentActivity {
  activityId: string;
}

export interface OpenedChat {
  conversationId: string;
  reference: ConversationRef;
}

export interface ProactiveSender {
  sendToConversation(reference: ConversationRef, message: OutgoingMessage): Promise<SentActivity>;
  updateInConversation(
    reference: ConversationRef,
    activityId: string,
    message: OutgoingMessage,
  ): Promise<void>;
  /**
   * Opens (or finds: Teams answers with the same chat every time) the 1:1 chat between the bot and
   * a person, by Entra object id. `via` is any reference in the same tenant: it supplies the
   * service URL, the tenant and the bot's own id.
   */
  createPersonalConversation(
    user: { aadObjectId: string; tenantId?: string },
    via: ConversationRef,
  ): Promise<OpenedChat>;
}

/**
 * Why a send failed, as far as delivery is concerned:
 * - throttled: Teams said 429; nothing was delivered; wait `retryAfterMs` and try again;
 * - transient: a 5xx, 412 or a refused connection, which Teams documents as safe to retry;
 * - unreachable: this person or conversation cannot be reached (bot removed or blocked, no chat);
 * - rejected: the message itself was refused (too large, malformed); sending again will not help;
 * - unknown: the connection broke after the request went out, so it may have been delivered.
 */
export type SendFailureKind = 'throttled' | 'transient' | 'unreachable' | 'rejected' | 'unknown';

export class ProactiveSendError extends Error {
  constructor(
    message: string,
    readonly kind: SendFailureKind,
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  get retryable(): boolean {
    return this.kind === 'throttled' || this.kind === 'transient';
  }
}

/** Teams answered 429 Too Many Requests: nothing was delivered. */
export class ProactiveThrottledError extends ProactiveSendError {
  constructor(
    message: string,
    /** How long Teams asked us to wait (Retry-After), or undefined when it did not say. */
    readonly retryAfterMs: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, 'throttled', 429, options);
  }
}

/** Network errors that happen before a request reaches the connector: nothing was delivered. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * The kind of failure a connector answer means. Teams documents 429, 412, 502 and 504 as worth
 * retrying; we add the other 5xx. Without an answer only a refused connection is surely unsent.
 */
export function failureKind(status: number | undefined, networkCode?: string): SendFailureKind {
  if (status === 429) return 'throttled';
  if (status === undefined || status === 0)
    return networkCode && NOT_SENT_CODES.has(networkCode) ? 'transient' : 'unknown';
  if (status === 412 || status >= 500) return 'transient';
  if (status === 403 || status === 404 || status === 410) return 'unreachable';
  return 'rejected';
}
