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
import type { Access, AccessRequest, BoardChoice } from './features/boards/access.js';
import { stampBoard, takeStamp } from './routing/board-stamp.js';
import type { Router } from './routing/router.js';
import { inBoard } from './sharepoint/index.js';
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
import type { AdaptiveCard } from '../cards/adaptive.js';
import { helpCard } from '../cards/help.js';
import { toActivity } from './proactive.js';

/**
 * The edge between Teams and the features: translates activities into plain Turns and routes them
 * per activity family (messages, card actions, dialogs, message actions, installation). Nothing
 * here decides anything about the board. botbuilder is imported only here, in bot/server.ts and in
 * bot/proactive.ts (lint enforces it in every other folder).
 */

/** The boards as the edge sees them (bot/features/boards): who is on which, and installations. */
export interface BoardsEdge {
  resolve(request: AccessRequest): Promise<Access>;
  /** The app was added to a team: the team's board exists (made, or active again). */
  installed(team: TeamInstallation): Promise<{ name: string }>;
  /** The app was removed from a team: its board is kept, inactive. */
  removed(teamId: string, by?: string): Promise<void>;
  /** Whether the team has a board record (active or not). */
  known(teamId: string): Promise<boolean>;
  /** Teams said the team's members changed: read its roster again. */
  membershipChanged(teamId: string): void;
  /** Text that asks about every board the person is on at once ("actions mine"). */
  spansBoards(text: string): boolean;
  /** The members of a board's team (its roster, read through the team's own service URL). */
  roster(teamId: string): Promise<RosterMember[]>;
  /** The card asking which board a command is for. */
  chooser(text: string, boards: readonly BoardChoice[]): AdaptiveCard;
  /** One card holding each board's answer under its name. */
  grouped(parts: readonly { name: string; messages: OutgoingMessage[] }[]): AdaptiveCard;
}

export interface TeamInstallation {
  teamId: string;
  name?: string;
  groupId?: string;
  serviceUrl: string;
  installedBy?: string;
}

export interface BoardBotDeps {
  router: Router;
  boards: BoardsEdge;
  conversations: ConversationStore;
  logger: Logger;
  /** The welcome card's name where there is no board (a personal chat): the app's own. */
  appName: string;
}

const teamIdOf = (a: Partial<Activity>): string | undefined =>
  (a.channelData as { team?: { id?: string } } | undefined)?.team?.id || undefined;

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
    // In a team, the installation makes the team a board (issue 12). Both events carry the team
    // in channelData.team ("Conversation events in your Teams bot", installationUpdate and
    // conversationUpdate membersAdded: learn.microsoft.com/microsoftteams/platform/bots/how-to/
    // conversations/subscribe-to-conversation-events).
    this.onInstallationUpdateAdd(async (ctx, next) => {
      await this.welcomeOnce(ctx);
      await next();
    });
    this.onInstallationUpdateRemove(async (ctx, next) => {
      await this.uninstalled(ctx);
      await next();
    });
    this.onMembersAdded((ctx, next) =>
      this.membersChanged(ctx, ctx.activity.membersAdded, () => this.welcomeOnce(ctx), next),
    );
    this.onMembersRemoved((ctx, next) =>
      this.membersChanged(ctx, ctx.activity.membersRemoved, () => this.uninstalled(ctx), next),
    );
  }

  /**
   * The bot itself added or removed (installed, uninstalled), or someone else (teamMemberAdded or
   * teamMemberRemoved): then the team's roster is read again on the next turn.
   */
  private async membersChanged(
    ctx: TurnContext,
    members: readonly { id: string }[] | undefined,
    forTheBot: () => Promise<void>,
    next: () => Promise<void>,
  ): Promise<void> {
    const teamId = teamIdOf(ctx.activity);
    if ((members ?? []).some((m) => m.id === ctx.activity.recipient.id)) await forTheBot();
    else if (teamId) this.deps.boards.membershipChanged(teamId);
    await next();
  }

  private async uninstalled(ctx: TurnContext): Promise<void> {
    this.recent.forget(`welcomed:${ctx.activity.conversation.id}`);
    await this.deps.conversations.deactivate(ctx.activity.conversation.id);
    const teamId = teamIdOf(ctx.activity);
    if (teamId) await this.deps.boards.removed(teamId, ctx.activity.from?.aadObjectId);
  }

  /** The team's board, made or woken when the app is added to the team. */
  private async install(
    ctx: TurnContext,
    options: { byThisPerson?: boolean } = {},
  ): Promise<string | undefined> {
    const a = ctx.activity;
    const teamId = teamIdOf(a);
    if (!teamId) return undefined;
    // Team details give the team's name and its Microsoft 365 group id (aadGroupId), which Graph
    // needs for the team's owners (TeamsInfo.getTeamDetails).
    const details = await TeamsInfo.getTeamDetails(ctx, teamId).catch((err: unknown) => {
      this.deps.logger.warn({ err, teamId }, 'could not read the team details');
      return undefined;
    });
    const channelTeam = (a.channelData as { team?: { name?: string; aadGroupId?: string } }).team;
    const { name } = await this.deps.boards.installed({
      teamId,
      serviceUrl: a.serviceUrl,
      ...optional('name', details?.name ?? channelTeam?.name),
      ...optional('groupId', details?.aadGroupId ?? channelTeam?.aadGroupId),
      ...(options.byThisPerson === false ? {} : optional('installedBy', a.from?.aadObjectId)),
    });
    return name;
  }

  private async welcomeOnce(ctx: TurnContext): Promise<void> {
    const key = `welcomed:${ctx.activity.conversation.id}`;
    if (this.recent.seenBefore(key)) return;
    try {
      // The list decides, not this process's memory: with several instances, only the one whose
      // write made the conversation known says hello.
      const board = await this.install(ctx);
      const known = await this.rememberConversation(ctx);
      if (known === 'known') return;
      await ctx.sendActivity(
        MessageFactory.attachment(
          CardFactory.adaptiveCard(helpCard({ boardName: board ?? this.deps.appName, welcome: true })),
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
    void this.rememberConversationOnce(ctx);

    // Action.Submit fallback: the card's data arrives as the message value, with our verb in it.
    const value = activity.value as Record<string, unknown> | undefined;
    if (value && typeof value === 'object' && typeof value.verb === 'string') {
      const { board, data } = takeStamp(value);
      const { turn, access } = await this.prepare(ctx, board);
      const outcome = await this.inAccess(access, () => this.verb(value.verb, data, turn, access));
      if (outcome.kind === 'card' && activity.replyToId)
        await turn.update(activity.replyToId, { card: outcome.card });
      else if (outcome.kind === 'card') await turn.reply({ card: outcome.card });
      else await turn.reply({ text: outcome.message });
      return;
    }
    const { turn, access } = await this.prepare(ctx);
    if (access.choose && !access.board) {
      // A personal chat across several boards: "actions mine" answers for each, grouped by board;
      // a command that works on one board asks which; help and anything unknown need none.
      if (this.deps.boards.spansBoards(turn.text)) {
        const parts: { name: string; messages: OutgoingMessage[] }[] = [];
        for (const choice of access.choose) {
          const one = await this.prepare(ctx, choice.id);
          if (!one.access.board) continue;
          const messages: OutgoingMessage[] = [];
          const boardId = one.access.board.id;
          // Each board's answer is kept (its buttons naming its board) and sent as one card.
          one.turn.reply = async (message) => {
            messages.push(stamped(message, boardId));
            return undefined;
          };
          await this.inAccess(one.access, () => this.deps.router.handleText(one.turn));
          parts.push({ name: choice.name, messages });
        }
        await turn.reply({ card: this.deps.boards.grouped(parts) });
        return;
      }
      if (this.deps.router.textNeedsBoard(turn.text)) {
        await turn.reply({ card: this.deps.boards.chooser(turn.text, access.choose) });
        return;
      }
    }
    await this.inAccess(access, () => this.deps.router.handleText(turn));
  }

  /** A Turn for the features, with the board it acts on and the person's role there. */
  private async prepare(ctx: TurnContext, requested?: string): Promise<{ turn: Turn; access: Access }> {
    const turn = await this.buildTurn(ctx);
    const a = ctx.activity;
    // A team the app was installed in before boards existed (or whose installation event was
    // missed) has no board yet: the activity shows the app is there, so the board is made now,
    // named after the team, with nobody recorded as its installer.
    if (
      turn.where.type === 'channel' &&
      turn.where.teamId &&
      !(await this.deps.boards.known(turn.where.teamId))
    )
      await this.install(ctx, { byThisPerson: false });
    const access = await this.deps.boards.resolve({
      type: turn.where.type,
      person: { ...optional('aadObjectId', a.from?.aadObjectId) },
      text: turn.text,
      ...optional('teamId', turn.where.teamId),
      ...optional('requested', requested),
      ...(turn.where.type === 'groupChat' ? { chatMembers: () => turn.roster() } : {}),
    });
    turn.actor.role = access.role;
    if (access.board) {
      const boardId = access.board.id;
      turn.board = { id: boardId, name: access.board.name };
      const { reply, update } = turn;
      // Outside the board's own team (a personal or group chat), "the members" are still the
      // board's: its team's roster, for audiences and owners.
      if (turn.where.type !== 'channel') turn.roster = () => this.deps.boards.roster(boardId);
      turn.reply = (message) => reply(stamped(message, boardId));
      turn.update = (id, message) => update(id, stamped(message, boardId));
    }
    if (access.text !== undefined) turn.text = access.text;
    if (access.why) turn.why = access.why;
    return { turn, access };
  }

  /** Runs a route inside the turn's board, when it has one. */
  private inAccess<T>(access: Access, work: () => Promise<T>): Promise<T> {
    return access.board ? inBoard(access.board, work) : work();
  }

  private async verb(name: unknown, data: unknown, turn: Turn, access: Access): Promise<VerbOutcome> {
    if (access.choose && !access.board && !this.deps.router.verbOpenToAll(name))
      return {
        kind: 'message',
        message: `This card does not say which of your boards it is for. Ask again in the board's channel, or add "for" and the board's name (${access.choose.map((c) => c.name).join(', ')}).`,
      };
    const outcome = await this.deps.router.handleVerb(name, data, turn);
    return outcome.kind === 'card' && access.board
      ? { ...outcome, card: stampBoard(outcome.card, access.board.id) }
      : outcome;
  }

  protected override async onInvokeActivity(ctx: TurnContext): Promise<InvokeResponse> {
    if (ctx.activity.name === 'adaptiveCard/action') return this.handleCardAction(ctx);
    // botbuilder's handlers read fields of the invoke's value without checking it is there (a
    // fileConsent/invoke without a value throws a TypeError): refuse such a request as malformed.
    const value = ctx.activity.value as unknown;
    if (ctx.activity.name !== 'healthCheck' && (value === null || typeof value !== 'object'))
      return invokeError(400, 'BadRequest', 'This request carried nothing to act on.') as InvokeResponse;
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
    const { board, data } = takeStamp(action.data ?? {});
    const { turn, access } = await this.prepare(ctx, board);
    const outcome = await this.inAccess(access, () => this.verb(action.verb, data, turn, access));
    return { status: 200, body: verbResponse(outcome) };
  }

  /** A dialog's request: its board stamp taken off, and the turn prepared in that board. */
  private async dialogRequest(ctx: TurnContext, req: TaskModuleRequest) {
    const { board, data } = takeStamp(asRecord(req?.data));
    const { turn, access } = await this.prepare(ctx, board);
    return { turn, access, record: asRecord(data) };
  }

  protected override async handleTeamsTaskModuleFetch(
    ctx: TurnContext,
    req: TaskModuleRequest,
  ): Promise<TaskModuleResponse> {
    const { turn, access, record } = await this.dialogRequest(ctx, req);
    return this.dialog(access, () => this.deps.router.handleDialog('fetch', record.dialog, record, turn));
  }

  protected override async handleTeamsTaskModuleSubmit(
    ctx: TurnContext,
    req: TaskModuleRequest,
  ): Promise<TaskModuleResponse> {
    const { turn, access, record } = await this.dialogRequest(ctx, req);
    return this.dialog(access, async () => {
      const outcome = await this.deps.router.handleDialog('submit', record.dialog, record, turn);
      if (outcome.kind === 'close' && outcome.post) await turn.reply(outcome.post);
      return outcome;
    });
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
    const { turn, access } = await this.prepare(ctx);
    return this.dialog(access, () =>
      this.deps.router.handleMessageAction('fetch', action?.commandId, message, turn),
    );
  }

  protected override async handleTeamsMessagingExtensionSubmitAction(
    ctx: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    const { board, data } = takeStamp(asRecord(action?.data));
    const { turn, access } = await this.prepare(ctx, board);
    return this.dialog(access, async () => {
      const outcome = await this.deps.router.handleMessageAction(
        'submit',
        action?.commandId,
        asRecord(data),
        turn,
      );
      if (outcome.kind === 'close' && outcome.post) await turn.reply(outcome.post);
      return outcome;
    });
  }

  /** A dialog or message action in its board; its card's buttons say which board it is for. */
  private async dialog(
    access: Access,
    work: () => Promise<DialogOutcome>,
  ): Promise<TaskModuleResponse & MessagingExtensionActionResponse> {
    if (access.choose && !access.board)
      return dialogResponse({
        kind: 'message',
        message: `Which board is this for? Open it from the board's channel (you are on ${access.choose.map((c) => c.name).join(', ')}).`,
      });
    const outcome = await this.inAccess(access, work);
    return dialogResponse(
      outcome.kind === 'dialog' && access.board
        ? {
            ...outcome,
            dialog: { ...outcome.dialog, card: stampBoard(outcome.dialog.card, access.board.id) },
          }
        : outcome,
    );
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
      // Until the board says otherwise (prepare): nobody is on a board by being in the tenant.
      role: 'stranger',
      ...optional('aadObjectId', a.from?.aadObjectId),
      ...optional('tenantId', where.tenantId),
    };
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
    // A malformed activity with no conversation has nothing to remember (and this promise is not
    // awaited, so it must not reject).
    const conversationId = (activity.conversation as Activity['conversation'] | undefined)?.id;
    if (!conversationId) return;
    const key = `known:${conversationId}`;
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

function stamped(message: OutgoingMessage, boardId: string): OutgoingMessage {
  return message.card ? { ...message, card: stampBoard(message.card, boardId) } : message;
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
