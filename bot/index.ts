import { pathToFileURL } from 'node:url';
import { BoardBot } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { ActionStore, registerActions } from './features/actions/index.js';
import { registerActionReminders } from './features/actions/reminders.js';
import {
  attachedItemsFiles,
  minutesMeetings,
  registerAgenda,
  registerAgendaReminders,
  type AgendaContext,
} from './features/agenda/index.js';
import {
  ConsultationService,
  ConsultationStore,
  exportRoute,
  registerConsultations,
} from './features/consultations/index.js';
import { BoardService, BoardStore, boardsEdge, registerBoards, tabBoard } from './features/boards/index.js';
import { jobScope, scopeOf } from './features/boards/service.js';
import type { TeamRosterReader } from './features/boards/index.js';
import { registerHelp } from './features/help/index.js';
import type { HttpRoute } from './http.js';
import { createLogger, silentLogger, type Logger } from './logger.js';
import type { Clock } from './messaging/clock.js';
import { createConversationStore } from './messaging/conversations.js';
import { createMessaging, schedulerTriggerRoute, type Messaging } from './messaging/index.js';
import { BotProactiveSender } from './proactive.js';
import { mountRoutes } from './routes.js';
import { Router } from './routing/router.js';
import { createAdapter, startServer, type RunningServer } from './server.js';
import type { Job, Scheduler } from './messaging/scheduler.js';
import { createListsLayer, inBoard, type ListsLayer } from './sharepoint/index.js';
import { GraphTeamOwnersReader } from './teams/graph-members.js';
import { assignSoleBoard } from './sharepoint/board-migration.js';
import { registerTab } from './tab-api/index.js';
import { startTelemetry } from './telemetry.js';

/**
 * The composition root, top to bottom: config → lists and one store of each kind → the adapter and
 * the messaging layer (proactive sends need only those) → the router with every feature → scheduled
 * jobs → the bot → the server. `startBot` is the whole app as a function, so tests start it
 * in-process on a free port.
 */

export interface RunningBot extends RunningServer {
  lists: ListsLayer;
  router: Router;
  /** Fan-out, delivery log and scheduler, for features and tests. */
  messaging: Messaging;
  /** Consultations: their service (deadlines, background sends) for tests. */
  consultations: { service: ConsultationService };
}

export interface StartOptions {
  /** The scheduler's and delivery log's clock; tests stand on a chosen London day. */
  clock?: Clock;
}

/** What the features are built over: the lists' stores and, when the bot runs, the messaging layer. */
interface FeatureDeps {
  config: Config;
  lists: ListsLayer;
  boards: BoardService;
  actions: ActionStore;
  consultations: ConsultationService;
  logger: Logger;
  messaging?: Messaging;
  /** Where export links point (the bot's public address). */
  baseUrl: () => string;
}

/** Every feature on the router, each as `register(router, deps)`; the router logs what fails. */
function registerFeatures(router: Router, deps: FeatureDeps): AgendaContext {
  const { config, lists, logger, messaging } = deps;
  router.onError((err, { route, code }) => logger.error({ err, route, code }, 'route failed'));
  registerHelp(router, { boardName: config.boardName });
  registerBoards(router, {
    service: deps.boards,
    governanceOfficers: config.roles.officers,
    seedChairs: config.roles.chairs,
    logger,
  });
  registerActions(router, {
    store: deps.actions,
    logger,
    // Minutes imported against a meeting: its apologies and "the next meeting" come from the agenda
    // (the board's own: its scoped lists).
    meetings: minutesMeetings(lists.board),
    // An action log attached to "actions import" as .xlsx or CSV.
    files: (turn, read) =>
      attachedItemsFiles(turn.attachments ?? [], { allowLoopback: !config.production, ...read }),
  });
  registerConsultations(router, {
    service: deps.consultations,
    logger,
    officers: config.roles.officers,
    baseUrl: deps.baseUrl,
    ...(messaging
      ? { deliver: (recipient, message) => messaging.messenger.deliver(recipient, message) }
      : {}),
  });
  return registerAgenda(router, {
    lists: lists.board,
    logger,
    boardName: config.boardName,
    officers: config.roles.officers,
    chairs: config.roles.chairs,
    // Matters arising: the actions store's open and overdue queries.
    actions: deps.actions,
    // A CSV or spreadsheet attached to "agenda import" (Teams sends a download link).
    files: (turn) => attachedItemsFiles(turn.attachments ?? [], { allowLoopback: !config.production }),
    ...(messaging ? { messaging } : {}),
  });
}

/** The consultations service over its one store; it sends through messaging when there is one. */
function consultationService(
  config: Config,
  lists: ListsLayer,
  logger: Logger,
  messaging?: Messaging,
  clock?: Clock,
): ConsultationService {
  return new ConsultationService({
    store: new ConsultationStore(lists.board.Consultations, lists.board.Feedback),
    ...(messaging ? { messaging } : {}),
    clock: clock ?? (() => new Date()),
    secret: config.consultations.secret,
    logger: logger.child({ feature: 'consultations' }),
  });
}

/** Who is on which board: the Boards list, each team's roster, its owners from Graph. */
function boardService(
  config: Config,
  lists: ListsLayer,
  logger: Logger,
  rosters: TeamRosterReader,
  /** The team's owners and members from Graph (RSC TeamMember.Read.Group). */
  teams?: GraphTeamOwnersReader,
  clock?: Clock,
): BoardService {
  return new BoardService({
    store: new BoardStore(lists.repos.Boards, clock),
    rosters,
    ...(teams ? { owners: teams, members: teams } : {}),
    governanceOfficers: config.roles.officers,
    logger: logger.child({ feature: 'boards' }),
    ...(clock ? { clock } : {}),
  });
}

/**
 * The export download names a consultation (C-0003, unique across the installation) and carries a
 * signed token: it is built inside the board that holds that consultation.
 */
function inBoardHolding(
  boards: BoardService,
  store: ConsultationStore,
  governance: readonly string[],
  route: HttpRoute,
): HttpRoute {
  return {
    ...route,
    handle: async (request) => {
      const ref = /^(C-\d{4,7})\./.exec(request.params.file ?? '')?.[1];
      if (ref) {
        for (const board of await boards.store.active()) {
          const scope = scopeOf(board, governance);
          if (await inBoard(scope, () => store.get(ref))) return inBoard(scope, () => route.handle(request));
        }
      }
      return route.handle(request);
    },
  };
}

/** The router with every feature and no messaging layer: what tests of routing and the manifest read. */
export function buildRouter(config: Config, lists?: ListsLayer, logger: Logger = silentLogger): Router {
  const router = new Router();
  if (!lists) {
    registerHelp(router, { boardName: config.boardName });
    return router;
  }
  registerFeatures(router, {
    config,
    lists,
    boards: boardService(config, lists, logger, { teamMembers: async () => [] }),
    actions: new ActionStore(lists.board.Actions),
    consultations: consultationService(config, lists, logger),
    logger,
    baseUrl: () => config.consultations.publicBaseUrl ?? `http://127.0.0.1:${config.port}`,
  });
  return router;
}

export async function startBot(
  config: Config,
  logger: Logger,
  options: StartOptions = {},
): Promise<RunningBot> {
  const { clock } = options;

  // The lists, and one store of each kind over them.
  const lists = createListsLayer(config.graph, logger);
  const conversations = createConversationStore(lists.repos.Conversations);
  const actions = new ActionStore(lists.board.Actions);

  // The Bot Framework adapter, made before the server: proactive sends go out through it.
  const edge = createAdapter(config.botAuth, logger);
  const sender = new BotProactiveSender({ adapter: () => edge.adapter, appId: config.botAuth.appId ?? '' });
  // Each team's roster is read through the team's own service URL, as proactive sends are.
  // A team's owners are its board's officers: read through Graph with the resource-specific
  // permission TeamMember.Read.Group, by the lists' own Graph client.
  const teamsGraph = new GraphTeamOwnersReader(lists.client);
  const boards = boardService(config, lists, logger, sender, teamsGraph, clock);
  const messaging = createMessaging({
    deliveries: lists.repos.Deliveries,
    conversations,
    sender,
    logger,
    ...(clock ? { clock } : {}),
  });
  const consultations = consultationService(config, lists, logger, messaging, clock);

  // Export links need the bot's own address. Without a public one configured (local runs, tests on a
  // free port) it is the address the server listens on: asked when a link is made, once it listens.
  const baseUrl = () => config.consultations.publicBaseUrl ?? server.url;
  const router = new Router();
  const agenda = registerFeatures(router, {
    config,
    lists,
    boards,
    actions,
    consultations,
    logger,
    messaging,
    baseUrl,
  });

  // Scheduled work: reminders and digests at London times, consultation deadlines on every tick
  // (in-process, or from the HTTP trigger); each runs once for every active board, inside it.
  const eachBoard = async (work: () => Promise<Record<string, unknown> | void>) => {
    const totals: Record<string, unknown> = {};
    for (const board of await boards.store.active()) {
      const result = await inBoard(await jobScope(boards, board, config.roles.officers), work);
      for (const [k, v] of Object.entries(result ?? {}))
        totals[k] = typeof v === 'number' ? ((totals[k] as number | undefined) ?? 0) + v : v;
    }
    return totals;
  };
  const perBoard: Scheduler = Object.create(messaging.scheduler, {
    add: {
      value(job: Job) {
        messaging.scheduler.add({ ...job, run: (context) => eachBoard(() => job.run(context)) });
        return perBoard;
      },
    },
  }) as Scheduler;
  registerActionReminders(
    perBoard,
    {
      store: actions,
      fanOut: messaging.fanOut,
      conversations,
      chairs: config.roles.chairs,
      boardName: config.boardName,
      logger: logger.child({ feature: 'reminders' }),
    },
    config.scheduler,
  );
  registerAgendaReminders(perBoard, agenda, config.scheduler.remindersAt);
  const deadlineLog = logger.child({ feature: 'consultations' });
  messaging.scheduler.everyTick('consultation deadlines', () =>
    eachBoard(async () => {
      const { closed } = await consultations.tick();
      if (closed.length) deadlineLog.info({ closed }, 'consultations closed at their deadline');
    }),
  );

  // The bot: Teams activities → plain turns (with their board and role) → the router.
  const edgeBoards = boardsEdge({
    service: boards,
    governanceOfficers: config.roles.officers,
    seedChairs: config.roles.chairs,
    logger,
    ...(clock ? { clock } : {}),
  });
  const bot = new BoardBot({
    router,
    boards: edgeBoards,
    conversations,
    logger,
    appName: config.boardName,
  });

  // The HTTP edge: messages and health, the tab, the scheduler's trigger and the export downloads.
  const routes: HttpRoute[] = [
    inBoardHolding(
      boards,
      consultations.store,
      config.roles.officers,
      exportRoute({
        store: consultations.store,
        secret: config.consultations.secret,
        logger,
        clock: clock ?? (() => new Date()),
      }),
    ),
  ];
  const trigger = schedulerTriggerRoute({
    secret: config.scheduler.secret,
    scheduler: messaging.scheduler,
    logger,
  });
  if (trigger) routes.unshift(trigger);
  const server = await startServer(
    {
      auth: config.botAuth,
      edge,
      logger,
      bot,
      health: async () => {
        const health = await lists.health();
        return { ok: health.ok, lists: health, auth: config.botAuth.enabled ? 'on' : 'off' };
      },
      routes: (restifyServer) => {
        mountRoutes(restifyServer, routes);
        registerTab(restifyServer, {
          config,
          lists,
          actions,
          board: tabBoard(edgeBoards),
          logger,
          ...(clock ? { clock } : {}),
        });
      },
    },
    { port: config.port, host: config.host },
  );
  if (config.scheduler.enabled) messaging.scheduler.start();
  // Records from before boards (issue 12): with exactly one board they are surely its own.
  const migrated = assignSoleBoard(lists, logger.child({ component: 'migrate' })).catch((err: unknown) =>
    logger.warn(
      { err },
      'could not give older records their board; run npm run migrate -- --board <team id>',
    ),
  );

  return {
    ...server,
    lists,
    router,
    messaging,
    consultations: { service: consultations },
    async close() {
      // Fan-outs stop first (what is unsent stays Pending), so waiting for background work is short.
      await messaging.stop();
      await consultations.settled();
      await migrated;
      await server.close();
    },
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger({
    level: config.logLevel,
    pretty: !config.production && process.stdout.isTTY,
    name: 'bot',
  });
  // Before the first request, so every request is traced; nothing is loaded when it is off.
  // OpenTelemetry takes the role name Application Insights shows from the environment only.
  if (config.telemetry.connectionString) process.env.OTEL_SERVICE_NAME = config.telemetry.serviceName;
  const telemetry = await startTelemetry(config.telemetry, logger);
  const running = await startBot(config, logger);
  logger.info(
    {
      url: running.url,
      lists: config.graph.local ? config.graph.baseUrl : 'SharePoint',
      auth: config.botAuth.enabled,
    },
    `Partnership Board listening on ${running.url}/api/messages`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await running.close();
    await telemetry.shutdown();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
