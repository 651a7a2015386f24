import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../bot/config.js';
import { startBot, type RunningBot } from '../../bot/index.js';
import { silentLogger } from '../../bot/logger.js';
import { startListsService, type ListsService, type StrictSettings } from '../../infra/local/server.js';
import {
  BOARD_KEYS,
  BOARDS,
  connectorRoster,
  graphTeams,
  PEOPLE,
  type BoardKey,
  type PersonKey,
} from '../../scripts/board-fixture.js';
import { botAdded, cardAction, installed, invoke, message, type Where } from './activities.js';
import { startConnector, type ConnectorStandIn, type ConnectorTeam } from './connector.js';
import { useStarted } from './use-test-bot.js';
import { messagesPoster } from './bot-harness.js';

/**
 * Two boards in one installation, for integration tests: the bot in-process, the local lists
 * service (which also answers Graph's `GET /teams/{group-id}/members` for both teams), and a
 * connector stand-in per team (as the Agents Playground gives each team its own service URL), each
 * serving its team's roster (UPNs, emails, Entra ids, tenants, guests) and details (`aadGroupId`).
 * The people and teams are the board fixture's (`scripts/board-fixture.ts`): Jake Ferguson sits on
 * both boards, David Maher is a partner of the Community Strategy Partnership Board and chairs the
 * Health and Wellbeing Board, Amara Okafor is a guest from another tenant on the second, Tom Price
 * is council staff on neither.
 *
 * `startTwoBoards()` installs the app in both teams (each by its officer, who owns the team) the way
 * Teams does: `installationUpdate` then `conversationUpdate` with the bot added, in each team's
 * General channel. No BOARD_OFFICERS / BOARD_CHAIRS are set unless `env` sets them: those are the
 * council's governance officers, officers of every board. `boardRoles(board)` in the fixture gives
 * each board's officers and chairs, e.g. to appoint them.
 *
 *   const boards = await startTwoBoards();
 *   await boards.post(boards.say('jake', 'action: Jake to …', 'cspb'));      // in the first board's channel
 *   await boards.post(boards.say('jake', 'actions mine'));                    // in Jake's personal chat
 *   boards.connector('hwb').sent()                                            // what the second team saw
 */

export type Place = BoardKey | 'personal' | { groupChat: BoardKey };

export interface TwoBoards {
  bot: RunningBot;
  lists: ListsService;
  /** Each team's connector stand-in (its own service URL). */
  connectors: Readonly<Record<BoardKey, ConnectorStandIn>>;
  connector(board: BoardKey): ConnectorStandIn;
  dataDir: string;
  /** Where a person speaks: a board's General channel, their personal chat (via `via`'s service URL), or a board's group chat. */
  where(person: PersonKey, place: Place, via?: BoardKey): Where & { conversationId: string };
  /** A message from `person` in `place` (in a channel or group chat it @mentions the bot). */
  say(person: PersonKey, text: string, place?: Place, via?: BoardKey): Record<string, unknown>;
  /** An `Action.Execute` click by `person` in `place`. */
  click(
    person: PersonKey,
    verb: string,
    data: Record<string, unknown>,
    place?: Place,
    replyToId?: string,
    via?: BoardKey,
  ): Record<string, unknown>;
  /** Any other invoke (`task/fetch`, `composeExtension/…`) by `person` in `place`. */
  invoke(
    person: PersonKey,
    name: string,
    value: unknown,
    place?: Place,
    via?: BoardKey,
  ): Record<string, unknown>;
  /** Installs the app in a board's team as Teams does (by its officer unless `by` says). */
  install(board: BoardKey, by?: PersonKey): Promise<void>;
  /** POST an activity to /api/messages; the HTTP status and the parsed body. */
  post(activity: unknown, headers?: Record<string, string>): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export interface TwoBoardsOptions {
  /** Extra bot configuration. */
  env?: Record<string, string>;
  strict?: Partial<StrictSettings>;
  /** Install the app in both teams at start (default true). */
  install?: boolean;
}

/** A board's team as its connector stand-in serves it. */
export function connectorTeam(board: BoardKey): ConnectorTeam {
  const b = BOARDS[board];
  return { id: b.teamId, name: b.teamName, aadGroupId: b.aadGroupId, members: connectorRoster(board) };
}

/**
 * Puts an activity built for the single-board tests into a board's conversation: the team's ids,
 * name and group id in `channelData`, the tenant the person came from.
 */
function placed(activity: Record<string, unknown>, person: PersonKey, place: Place): Record<string, unknown> {
  const p = PEOPLE[person];
  const conversation = activity.conversation as Record<string, unknown>;
  const channelData = activity.channelData as Record<string, unknown>;
  const tenant = {
    id: typeof place === 'string' && place !== 'personal' ? BOARDS[place].tenantId : p.homeTenantId,
  };
  const from = { id: p.id, name: p.name, aadObjectId: p.aadObjectId };
  if (typeof place === 'string' && place !== 'personal') {
    const b = BOARDS[place];
    return {
      ...activity,
      from,
      conversation: { ...conversation, tenantId: b.tenantId, name: b.generalChannelName },
      channelData: {
        ...channelData,
        tenant,
        team: { id: b.teamId, name: b.teamName, aadGroupId: b.aadGroupId },
        channel: { id: b.teamId, name: b.generalChannelName },
      },
    };
  }
  return {
    ...activity,
    from,
    conversation: { ...conversation, tenantId: tenant.id },
    channelData: { ...channelData, tenant },
  };
}

export async function startTwoBoards(options: TwoBoardsOptions = {}): Promise<TwoBoards> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pb-two-boards-'));
  const lists = await startListsService({
    port: 0,
    dataDir,
    provision: true,
    teams: graphTeams(),
    ...(options.strict ? { strict: options.strict } : {}),
  });
  const connectors = {} as Record<BoardKey, ConnectorStandIn>;
  for (const board of BOARD_KEYS) connectors[board] = await startConnector({ teams: [connectorTeam(board)] });
  let bot: RunningBot;
  try {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      GRAPH_BASE_URL: lists.graphBaseUrl,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      ...options.env,
    });
    bot = await startBot(config, silentLogger);
  } catch (err) {
    for (const c of Object.values(connectors)) await c.close();
    await lists.close();
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }

  const postRaw = messagesPoster(bot.url);

  const where = (person: PersonKey, place: Place, via?: BoardKey): Where & { conversationId: string } => {
    if (place === 'personal') {
      // One personal chat per person, whichever team's client it is opened from.
      const home = via ?? BOARD_KEYS.find((b) => PEOPLE[person].roles[b] !== undefined) ?? 'cspb';
      return {
        serviceUrl: connectors[home].serviceUrl,
        conversationId: `a:personal-${PEOPLE[person].aadObjectId}`,
        type: 'personal',
      };
    }
    if (typeof place === 'object') {
      return {
        serviceUrl: connectors[place.groupChat].serviceUrl,
        conversationId: BOARDS[place.groupChat].groupChatId,
        type: 'groupChat',
      };
    }
    return {
      serviceUrl: connectors[place].serviceUrl,
      conversationId: BOARDS[place].teamId,
      type: 'channel',
    };
  };

  const person = (key: PersonKey) => ({
    id: PEOPLE[key].id,
    aadObjectId: PEOPLE[key].aadObjectId,
    name: PEOPLE[key].name,
  });

  const boards: TwoBoards = {
    bot,
    lists,
    connectors,
    connector: (board) => connectors[board],
    dataDir,
    where,
    say: (key, text, place = 'personal', via) =>
      placed(message(text, person(key), where(key, place, via)), key, place),
    click: (key, verb, data, place = 'personal', replyToId = 'card-1', via) =>
      placed(cardAction(verb, data, person(key), where(key, place, via), replyToId), key, place),
    invoke: (key, name, value, place = 'personal', via) =>
      placed(invoke(name, value, person(key), where(key, place, via)), key, place),
    async install(board, by) {
      const installer = by ?? BOARDS[board].owners[0]!;
      for (const activity of [
        installed(person(installer), where(installer, board)),
        botAdded(person(installer), where(installer, board)),
      ]) {
        const res = await postRaw(JSON.stringify(placed(activity, installer, board)));
        if (res.status >= 400) {
          throw new Error(
            `Installing in the ${BOARDS[board].teamName} answered ${res.status}: ${JSON.stringify(res.body)}`,
          );
        }
      }
    },
    post: (activity, headers) => postRaw(JSON.stringify(activity), headers),
    async close() {
      await bot.close();
      for (const c of Object.values(connectors)) await c.close();
      await lists.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };

  if (options.install ?? true) {
    try {
      for (const board of BOARD_KEYS) await boards.install(board);
    } catch (err) {
      await boards.close();
      throw err;
    }
  }
  return boards;
}

/** Two boards for a describe (or a file): started before its first test, closed after its last. */
export function useTwoBoards(options: TwoBoardsOptions = {}): TwoBoards {
  return useStarted(
    () => startTwoBoards(options),
    (boards) => boards.close(),
  );
}
