import {
  CardFactory,
  MessageFactory,
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type ConversationReference,
  type InvokeResponse,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
  type TaskModuleRequest,
  type TaskModuleResponse,
  type TeamsChannelAccount,
} from 'botbuilder';
import type { Logger } from './logger.js';
import type { ConversationStore } from './messaging/conversations.js';
import type { RoleResolver } from './routing/roles.js';
import type { Router } from './routing/router.js';
import { plainText } from './routing/text.js';
import { RecentActivities } from './routing/recent-activities.js';
import type {
  Actor,
  ConversationType,
  DialogOutcome,
  Mention,
  OutgoingMessage,
  RosterMember,
  SourceMessage,
  Turn,
  VerbOutcome,
} from './routing/types.js';
import { helpCard } from '../cards/help.js';
import { toActivity } from './proactive.js';

/**
 * The edge between Teams and the features: translates activities into plain Turns and routes them
 * per activity family (messages, card actions, dialogs, message actions, installation). Nothing
 * here decides anything about the board. botbuilder is imported only here, in bot/server.ts and in
 * bot/proactive.ts (lint enforces it in every other folder).
 */

export interface BoardBotDeps {
  router: Router;
  roles: RoleResolver;
  conversations: ConversationStore;
  logger: Logger;
  boardName: string;
}

const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
const MESSAGE_CONTENT_TYPE = 'application/vnd.microsoft.activity.message';

export class BoardBot extends TeamsActivityHandler {
  private readonly recent = new RecentActivities(5_000);
  /** Conversations already stored, kept apart so a busy stream of activity ids cannot evict them. */
  private readonly known = new RecentActivities(20_000, 24 * 60 * 60_000);

  constructor(private readonly deps: BoardBotDeps) {
    super();

    this.onMessage(async (ctx, next) => {
      await this.handleMessage(ctx);
      await next();
    });

    // The bot added to a team, a chat or someone's personal scope: remember where, and say hello.
    // Teams announces an installation twice (installationUpdate and conversationUpdate with the bot
    // among membersAdded); whichever comes first stores the conversation and says hello, once.
    this.onInstallationUpdateAdd(async (ctx, next) => {
      await this.welcomeOnce(ctx);
      await next();
    });
    this.onInstallationUpdateRemove(async (ctx, next) => {
      this.recent.forget(`welcomed:${ctx.activity.conversation.id}`);
      await deps.conversations.deactivate(ctx.activity.conversation.id);
      await next();
    });
    this.onMembersAdded(async (ctx, next) => {
      const botAdded = (ctx.activity.membersAdded ?? []).some((m) => m.id === ctx.activity.recipient.id);
      if (botAdded) await this.welcomeOnce(ctx);
      await next();
    });
  }

  private async welcomeOnce(ctx: TurnContext): Promise<void> {
    const key = `welcomed:${ctx.activity.conversation.id}`;
    if (this.recent.seenBefore(key)) return;
    try {
      // The list decides, not this process's memory: with several instances, only the one whose
      // write made the conversation known says hello.
      const known = await this.rememberConversation(ctx);
      if (known === 'known') return;
      await ctx.sendActivity(
        MessageFactory.attachment(
          CardFactory.adaptiveCard(helpCard({ boardName: this.deps.boardName, welcome: true })),
        ),
      );
    } catch (err) {
      this.recent.forget(key);
      throw err;
    }
  }

  private async handleMessage(ctx: TurnContext): Promise<void> {
    const activity = ctx.activity;
    // Teams re-delivers a message it thinks we missed: act on each activity once.
    if (activity.id && this.recent.seenBefore(`${activity.conversation.id}|${activity.id}`)) {
      this.deps.logger.info({ activityId: activity.id }, 'duplicate delivery ignored');
      return;
    }
    const turn = await this.buildTurn(ctx);
    void this.rememberConversationOnce(ctx);

    // Action.Submit fallback: the card's data arrives as the message value, with our verb in it.
    const value = activity.value as Record<string, unknown> | undefined;
    if (value && typeof value === 'object' && typeof value.verb === 'string') {
      const outcome = await this.deps.router.handleVerb(value.verb, value, turn);
      if (outcome.kind === 'card' && activity.replyToId)
        await turn.update(activity.replyToId, { card: outcome.card });
      else if (outcome.kind === 'card') await turn.reply({ card: outcome.card });
      else await turn.reply({ text: outcome.message });
      return;
    }
    await this.deps.router.handleText(turn);
  }

  protected override async onInvokeActivity(ctx: TurnContext): Promise<InvokeResponse> {
    if (ctx.activity.name === 'adaptiveCard/action') return this.handleCardAction(ctx);
    const response = await super.onInvokeActivity(ctx);
    // botbuilder answers 501 to an invoke this bot does not handle (an unknown name, a capability
    // it does not offer): the caller's mistake, not a failure here, so 5xx keeps meaning ours.
    if (response?.status === 501)
      return invokeError(400, 'BadRequest', 'This bot does not handle that request.') as InvokeResponse;
    return response;
  }

  private async handleCardAction(ctx: TurnContext): Promise<InvokeResponse<AdaptiveCardInvokeResponse>> {
    const action = (
      ctx.activity.value as { action?: { type?: unknown; verb?: unknown; data?: unknown } } | undefined
    )?.action;
    if (!action || action.type !== 'Action.Execute') {
      return invokeError(400, 'BadRequest', 'This card action was not understood.');
    }
    const turn = await this.buildTurn(ctx);
    const outcome = await this.deps.router.handleVerb(action.verb, action.data ?? {}, turn);
    return { status: 200, body: verbResponse(outcome) };
  }

  protected override async handleTeamsTaskModuleFetch(
    ctx: TurnContext,
    req: TaskModuleRequest,
  ): Promise<TaskModuleResponse> {
    const data = asRecord(req?.data);
    return dialogResponse(
      await this.deps.router.handleDialog('fetch', data.dialog, data, await this.buildTurn(ctx)),
    );
  }

  protected override async handleTeamsTaskModuleSubmit(
    ctx: TurnContext,
    req: TaskModuleRequest,
  ): Promise<TaskModuleResponse> {
    const data = asRecord(req?.data);
    const turn = await this.buildTurn(ctx);
    const outcome = await this.deps.router.handleDialog('submit', data.dialog, data, turn);
    if (outcome.kind === 'close' && outcome.post) await turn.reply(outcome.post);
    return dialogResponse(outcome);
  }

  protected override async handleTeamsMessagingExtensionFetchTask(
    ctx: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    const payload = action?.messagePayload;
    const sentAt = payload?.createdDateTime ? new Date(payload.createdDateTime) : undefined;
    const message: SourceMessage = {
      text: plainText(payload?.body?.content ?? ''),
      ...optional('html', payload?.body?.content),
      ...optional('url', payload?.linkToMessage),
      ...optional('id', payload?.id),
      ...(payload?.from?.user
        ? {
            from: {
              id: payload.from.user.id ?? '',
              name: payload.from.user.displayName ?? '',
              ...optional('aadObjectId', payload.from.user.id),
            },
          }
        : {}),
      // Mentions in a message payload are Graph-shaped: the user's id there is the Entra object id.
      mentions: (payload?.mentions ?? []).flatMap((m) => {
        const user = m.mentioned?.user;
        return user?.id
          ? [{ id: user.id, name: user.displayName ?? m.mentionText ?? '', aadObjectId: user.id }]
          : [];
      }),
      ...(sentAt && !Number.isNaN(sentAt.getTime()) ? { sentAt } : {}),
    };
    const outcome = await this.deps.router.handleMessageAction(
      'fetch',
      action?.commandId,
      message,
      await this.buildTurn(ctx),
    );
    return dialogResponse(outcome);
  }

  protected override async handleTeamsMessagingExtensionSubmitAction(
    ctx: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    const turn = await this.buildTurn(ctx);
    const outcome = await this.deps.router.handleMessageAction(
      'submit',
      action?.commandId,
      asRecord(action?.data),
      turn,
    );
    if (outcome.kind === 'close' && outcome.post) await turn.reply(outcome.post);
    return dialogResponse(outcome);
  }

  /** A plain Turn for the features, built from botbuilder's TurnContext. */
  async buildTurn(ctx: TurnContext): Promise<Turn> {
    const a = ctx.activity;
    const where = {
      conversationId: a.conversation.id,
      type: conversationType(a),
      serviceUrl: a.serviceUrl,
      ...optional('teamId', (a.channelData as { team?: { id?: string } } | undefined)?.team?.id),
      ...optional('channelId', (a.channelData as { channel?: { id?: string } } | undefined)?.channel?.id),
      ...optional(
        'tenantId',
        a.conversation.tenantId ?? (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id,
      ),
    };
    const actor: Actor = {
      id: a.from?.id ?? '',
      name: a.from?.name ?? 'Someone',
      role: 'partner',
      ...optional('aadObjectId', a.from?.aadObjectId),
      ...optional('tenantId', where.tenantId),
    };
    actor.role = this.deps.roles.resolve({
      ...optional('aadObjectId', actor.aadObjectId),
      ...optional('tenantId', actor.tenantId),
      teamMember: where.type !== 'personal',
    });
    const botName = a.recipient?.name;
    const text =
      typeof a.text === 'string'
        ? plainText(TurnContext.removeRecipientMention(a) ?? a.text, botName ? [botName] : [])
        : '';
    return {
      actor,
      where,
      timestamp: a.timestamp ? new Date(a.timestamp) : new Date(),
      text,
      mentions: mentionsOf(a),
      ...optional('activityId', a.id),
      ...optional('replyToId', a.replyToId),
      ...(a.attachments?.length
        ? {
            attachments: a.attachments.map((x) => ({
              ...optional('contentType', x.contentType),
              ...optional('name', x.name),
              content: x.content as unknown,
            })),
          }
        : {}),
      reply: async (message: OutgoingMessage) => (await ctx.sendActivity(toActivity(message)))?.id,
      update: async (activityId: string, message: OutgoingMessage) => {
        await ctx.updateActivity({ ...toActivity(message), id: activityId, conversation: a.conversation });
      },
      roster: () => pagedRoster(ctx),
    };
  }

  private async rememberConversation(ctx: TurnContext): Promise<'new' | 'reactivated' | 'known'> {
    return this.rememberActivity(ctx.activity);
  }

  /** Takes the activity, not the context: the context is revoked once its turn has ended. */
  private async rememberActivity(a: Activity): Promise<'new' | 'reactivated' | 'known'> {
    const type = conversationType(a);
    // A message in a channel thread carries the thread in its conversation id (";messageid=…").
    // The channel is what we keep, so that a later post starts a new thread instead of replying.
    const conversationId =
      type === 'channel' ? (a.conversation.id.split(';')[0] ?? a.conversation.id) : a.conversation.id;
    const reference = TurnContext.getConversationReference(a) as ConversationReference;
    reference.conversation = { ...reference.conversation, id: conversationId };
    return this.deps.conversations.remember({
      conversationId,
      type,
      name: a.conversation.name ?? (type === 'personal' ? (a.from?.name ?? 'Personal chat') : 'Conversation'),
      ...optional('userId', type === 'personal' ? a.from?.aadObjectId : undefined),
      ...optional('teamId', (a.channelData as { team?: { id?: string } } | undefined)?.team?.id),
      ...optional('tenantId', a.conversation.tenantId),
      serviceUrl: a.serviceUrl,
      reference: reference as unknown as Record<string, unknown>,
    });
  }

  /** The first message from a conversation we have not stored (e.g. installed before we existed). */
  private async rememberConversationOnce(ctx: TurnContext): Promise<void> {
    // Runs alongside the turn and may outlive it, so it keeps its own copy of the activity.
    const activity = { ...ctx.activity } as Activity;
    const key = `known:${activity.conversation.id}`;
    if (this.known.seenBefore(key)) return;
    try {
      await this.rememberActivity(activity);
    } catch (err) {
      this.deps.logger.warn(
        { err },
        'could not store the conversation reference; will try on the next message',
      );
      this.known.forget(key);
    }
  }
}

function conversationType(a: Partial<Activity>): ConversationType {
  const t = a.conversation?.conversationType;
  return t === 'channel' || t === 'groupChat' ? t : 'personal';
}

function optional<K extends string, V>(key: K, value: V | undefined | null): { [P in K]?: V } {
  return value === undefined || value === null || value === '' ? {} : ({ [key]: value } as { [P in K]?: V });
}

function asRecord(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function mentionsOf(a: Activity): Mention[] {
  return (a.entities ?? [])
    .filter((e) => e.type === 'mention')
    .map(
      (e) =>
        (e as unknown as { mentioned?: { id?: string; name?: string; aadObjectId?: string } }).mentioned ??
        {},
    )
    .filter((m) => m.id && m.id !== a.recipient?.id)
    .map((m) => ({ id: m.id ?? '', name: m.name ?? '', ...optional('aadObjectId', m.aadObjectId) }));
}

async function pagedRoster(ctx: TurnContext): Promise<RosterMember[]> {
  const members: RosterMember[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await TeamsInfo.getPagedMembers(ctx, 500, continuationToken);
    members.push(...page.members.map(toRosterMember));
    continuationToken = page.continuationToken || undefined;
  } while (continuationToken);
  return members;
}

function toRosterMember(m: TeamsChannelAccount): RosterMember {
  return {
    id: m.id,
    name: m.name,
    ...optional('aadObjectId', m.aadObjectId),
    ...optional('email', m.email),
    ...optional('upn', m.userPrincipalName),
  };
}

function verbResponse(outcome: VerbOutcome): AdaptiveCardInvokeResponse {
  if (outcome.kind === 'card')
    return { statusCode: 200, type: CARD_CONTENT_TYPE, value: outcome.card as never };
  return { statusCode: 200, type: MESSAGE_CONTENT_TYPE, value: outcome.message as never };
}

function invokeError(
  status: number,
  code: string,
  message: string,
): InvokeResponse<AdaptiveCardInvokeResponse> {
  return {
    status,
    body: { statusCode: status, type: 'application/vnd.microsoft.error', value: { code, message } as never },
  };
}

function dialogResponse(outcome: DialogOutcome): TaskModuleResponse & MessagingExtensionActionResponse {
  switch (outcome.kind) {
    case 'dialog':
      return {
        task: {
          type: 'continue',
          value: {
            title: outcome.dialog.title,
            card: CardFactory.adaptiveCard(outcome.dialog.card),
            height: outcome.dialog.size ?? 'medium',
            width: outcome.dialog.size ?? 'medium',
          },
        },
      };
    case 'message':
      return { task: { type: 'message', value: outcome.message } };
    case 'close':
      return {};
  }
}
