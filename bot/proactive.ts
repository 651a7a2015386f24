import {
  CardFactory,
  MessageFactory,
  TurnContext,
  type Activity,
  type CloudAdapter,
  type ConversationParameters,
  type ConversationReference,
} from 'botbuilder';
import { parseRetryAfter } from './http/retry-after.js';
import {
  failureKind,
  ProactiveSendError,
  ProactiveThrottledError,
  type ConversationRef,
  type OpenedChat,
  type ProactiveSender,
  type SentActivity,
} from './messaging/sender.js';
import type { OutgoingMessage } from './conversation.js';

/**
 * The botbuilder side of proactive messages: CloudAdapter's continueConversationAsync for a stored
 * reference, createConversationAsync for a person's first 1:1 chat. Errors come back as the
 * messaging layer's own (a 429 as ProactiveThrottledError with Retry-After), never botbuilder's.
 */

export interface BotSenderOptions {
  /** The adapter exists once the server is up; the sender is built before, so it asks late. */
  adapter: () => CloudAdapter;
  /** Our Microsoft App Id; '' with authentication off (local runs and tests). */
  appId: string;
  /**
   * How long to wait for Teams' answer before giving up on it (default 30 s). Without a bound, one
   * connection that never answers would hold a fan-out's worker and its claim until the lease ran out.
   */
  timeoutMs?: number;
}

const PROACTIVE_TIMEOUT_MS = 30_000;

/**
 * The logic of a proactive turn runs inside the adapter, whose onTurnError would swallow a throw. A
 * turn with no answer within `timeoutMs` fails as "unknown": the request went out, so the message
 * may still arrive (the request itself carries on; nothing here can recall it).
 */
async function inTurn<T>(
  run: (logic: (ctx: TurnContext) => Promise<void>) => Promise<void>,
  work: (ctx: TurnContext) => Promise<T>,
  timeoutMs: number,
): Promise<T> {
  let result: { value: T } | { error: unknown } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ProactiveSendError(`Teams did not answer within ${timeoutMs / 1000} s`, 'unknown', undefined),
        ),
      timeoutMs,
    );
  });
  try {
    await Promise.race([
      run(async (ctx) => {
        try {
          result = { value: await work(ctx) };
        } catch (error) {
          result = { error };
        }
      }),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
  if (!result) throw new ProactiveSendError('The proactive turn did not run', 'unknown', undefined);
  if ('error' in result) throw result.error;
  return result.value;
}

/** One message as botbuilder sends it, in a turn or proactively. */
export function toActivity(message: OutgoingMessage): Partial<Activity> {
  if (message.card) {
    const activity = MessageFactory.attachment(CardFactory.adaptiveCard(message.card));
    if (message.text) activity.text = message.text;
    return activity;
  }
  // Our text replies often quote what people typed; "plain" tells Teams not to render it as markdown.
  const activity = MessageFactory.text(message.text ?? '');
  activity.textFormat = 'plain';
  return activity;
}

interface ErrorLike {
  statusCode?: number;
  status?: number;
  code?: string;
  message?: string;
  response?: { status?: number; headers?: { get?(name: string): string | undefined | null } };
}

function headerOf(e: ErrorLike, name: string): string | undefined {
  const headers = e.response?.headers;
  if (!headers) return undefined;
  if (typeof headers.get === 'function') return headers.get(name) ?? undefined;
  const raw = headers as unknown as Record<string, string | undefined>;
  return raw[name] ?? raw[name.toLowerCase()];
}

/** botbuilder's RestError (statusCode, response.headers) or a network error, as our own error. */
export function toSendError(error: unknown, what: string): ProactiveSendError {
  if (error instanceof ProactiveSendError) return error;
  const e = (error && typeof error === 'object' ? error : {}) as ErrorLike;
  const status = e.statusCode ?? e.response?.status ?? (typeof e.status === 'number' ? e.status : undefined);
  const detail = e.message || String(error);
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(headerOf(e, 'retry-after'));
    return new ProactiveThrottledError(`${what}: Teams asked us to slow down (429)`, retryAfterMs, {
      cause: error,
    });
  }
  const kind = failureKind(status, typeof e.code === 'string' ? e.code : undefined);
  return new ProactiveSendError(`${what}: ${status ? `HTTP ${status}: ` : ''}${detail}`, kind, status, {
    cause: error,
  });
}

export class BotProactiveSender implements ProactiveSender {
  constructor(private readonly options: BotSenderOptions) {}

  private continueIn<T>(reference: ConversationRef, work: (ctx: TurnContext) => Promise<T>): Promise<T> {
    const adapter = this.options.adapter();
    return inTurn(
      (logic) =>
        adapter.continueConversationAsync(
          this.options.appId,
          reference as Partial<ConversationReference>,
          logic,
        ),
      work,
      this.timeoutMs,
    );
  }

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? PROACTIVE_TIMEOUT_MS;
  }

  async sendToConversation(reference: ConversationRef, message: OutgoingMessage): Promise<SentActivity> {
    try {
      const response = await this.continueIn(reference, (ctx) => ctx.sendActivity(toActivity(message)));
      return { activityId: response?.id ?? '' };
    } catch (error) {
      throw toSendError(error, 'Sending a message');
    }
  }

  async updateInConversation(
    reference: ConversationRef,
    activityId: string,
    message: OutgoingMessage,
  ): Promise<void> {
    try {
      await this.continueIn(reference, async (ctx) => {
        await ctx.updateActivity({
          ...toActivity(message),
          id: activityId,
          conversation: ctx.activity.conversation,
        });
      });
    } catch (error) {
      throw toSendError(error, 'Updating a message');
    }
  }

  async createPersonalConversation(
    user: { aadObjectId: string; tenantId?: string },
    via: ConversationRef,
  ): Promise<OpenedChat> {
    const template = via as Partial<ConversationReference>;
    const serviceUrl = template.serviceUrl;
    const tenantId = user.tenantId ?? template.conversation?.tenantId;
    if (!serviceUrl || !template.bot?.id) {
      throw new ProactiveSendError(
        'Opening a personal chat: the stored reference has no service URL or bot id',
        'unreachable',
        undefined,
      );
    }
    const parameters = {
      isGroup: false,
      bot: template.bot,
      members: [{ id: user.aadObjectId, name: '' }],
      ...(tenantId ? { tenantId, channelData: { tenant: { id: tenantId } } } : {}),
    } as ConversationParameters;
    try {
      const adapter = this.options.adapter();
      return await inTurn(
        (logic) =>
          adapter.createConversationAsync(
            this.options.appId,
            template.channelId ?? 'msteams',
            serviceUrl,
            // botbuilder falls back to its configured audience (the Bot Framework's scope).
            undefined as unknown as string,
            parameters,
            logic,
          ),
        async (ctx) => {
          const reference = TurnContext.getConversationReference(ctx.activity) as ConversationReference;
          // The created chat's reference names the bot but not the person: keep who it is for.
          const full = {
            ...reference,
            user: { id: user.aadObjectId, name: '', aadObjectId: user.aadObjectId },
          };
          return {
            conversationId: reference.conversation.id,
            reference: full as unknown as ConversationRef,
          };
        },
        this.timeoutMs,
      );
    } catch (error) {
      throw toSendError(error, 'Opening a personal chat');
    }
  }
}
