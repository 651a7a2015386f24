import { pathToFileURL } from 'node:url';
import { BoardBot } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, silentLogger, type Logger } from './logger.js';
import { createConversationStore } from './messaging/conversations.js';
import type { Clock } from './messaging/clock.js';
import { createMessaging, registerSchedulerTrigger, type Messaging } from './messaging/index.js';
import { BotProactiveSender } from './proactive.js';
import { RoleResolver } from './routing/roles.js';
import { Router } from './routing/router.js';
import { startServer, type RunningServer } from './server.js';
import { createListsLayer, type ListsLayer } from './sharepoint/index.js';
import { registerHelp } from './features/help/index.js';
import { ActionStore, registerActions } from './features/actions/index.js';
import { registerActionReminders } from './features/actions/reminders.js';
import {
  agendaContext,
  attachedItemsFiles,
  registerAgenda,
  registerAgendaReminders,
  type RegisterAgendaDeps,
} from './features/agenda/index.js';
import {
  registerExportRoute,
  wireConsultations,
  type ConsultationsFeature,
  type ConsultationsWiring,
} from './features/consultations/index.js';
import { startTelemetry } from './telemetry.js';
import { registerTab } from './tab-api/index.js';

/**
 * The composition root: config → Graph client → stores → router with features → bot → server.
 * `startBot` is the whole app as a function, so tests start it in-process on a free port.
 */

export interface RunningBot extends RunningServer {
  lists: ListsLayer;
  router: Router;
  /** Fan-out, delivery log and scheduler, for features and tests. */
  messaging: Messaging;
  /** Consultations: their service (deadlines, background sends) for tests. */
  consultations: ConsultationsFeature;
}

export interface StartOptions {
  /** The scheduler's and delivery log's clock; tests stand on a chosen London day. */
  clock?: Clock;
}

export function buildRouter(
  config: Config,
  lists?: ListsLayer,
  logger: Logger = silentLogger,
  consultations: ConsultationsWiring = {},
  agendaMessaging?: () => Messaging | undefined,
): Router {
  const router = new Router();
  registerHelp(router, { boardName: config.boardName });
  if (lists) registerActions(router, { actions: lists.repos.Actions, logger });
  if (lists) wireConsultations(router, config, lists.repos, logger, consultations);
  if (lists) registerAgenda(router, agendaDeps(config, lists, logger, agendaMessaging));
  return router;
}

/** Agenda packs read actions (for Matters arising) through the actions store's own queries. */
function agendaDeps(
  config: Config,
  lists: ListsLayer,
  logger: Logger,
  messaging?: () => Messaging | undefined,
): RegisterAgendaDeps {
  return {
    lists: lists.repos,
    logger,
    boardName: config.boardName,
    officers: config.roles.officers,
    chairs: config.roles.chairs,
    actions: new ActionStore(lists.repos.Actions),
    // A CSV or spreadsheet attached to "agenda import" (Teams sends a download link).
    files: (turn) => attachedItemsFiles(turn.attachments ?? [], { allowLoopback: !config.production }),
    ...(messaging ? { messaging } : {}),
  };
}

export async function startBot(
  config: Config,
  logger: Logger,
  options: StartOptions = {},
): Promise<RunningBot> {
  const lists = createListsLayer(config.graph, logger);
  // Consultations send through the messaging layer, made further down: they ask for it when sending.
  const wiring: ConsultationsWiring & { messagingLayer?: Messaging; url?: string } = {
    messaging: () => wiring.messagingLayer,
    listeningUrl: () => wiring.url,
    ...(options.clock ? { clock: options.clock } : {}),
  };
  const router = buildRouter(config, lists, logger, wiring, () => wiring.messagingLayer);
  const consultations = wiring.feature!;
  const roles = new RoleResolver({
    officers: config.roles.officers,
    chairs: config.roles.chairs,
    ...(config.botAuth.tenantId ? { tenantId: config.botAuth.tenantId } : {}),
  });
  const conversations = createConversationStore(lists.repos.Conversations);
  const bot = new BoardBot({
    router,
    roles,
    conversations,
    logger,
    boardName: config.boardName,
  });
  // The adapter is made by startServer; proactive sends ask for it only once the server is up.
  const edge: { adapter?: RunningServer['adapter'] } = {};
  const messaging = createMessaging({
    deliveries: lists.repos.Deliveries,
    conversations,
    sender: new BotProactiveSender({
      adapter: () => {
        if (!edge.adapter) throw new Error('The bot is not listening yet');
        return edge.adapter;
      },
      appId: config.botAuth.appId ?? '',
    }),
    logger,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  registerActionReminders(
    messaging.scheduler,
    {
      store: new ActionStore(lists.repos.Actions),
      fanOut: messaging.fanOut,
      conversations,
      chairs: config.roles.chairs,
      boardName: config.boardName,
      logger: logger.child({ feature: 'reminders' }),
    },
    config.scheduler,
  );
  wiring.messagingLayer = messaging;
  registerAgendaReminders(
    messaging.scheduler,
    agendaContext(agendaDeps(config, lists, logger, () => messaging)),
    config.scheduler.remindersAt,
  );
  // Deadlines fall on any minute: checked on every scheduler tick, in-process or from the HTTP trigger.
  const deadlineLog = logger.child({ feature: 'consultations' });
  messaging.scheduler.everyTick('consultation deadlines', async () => {
    const { closed } = await consultations.service.tick();
    if (closed.length) deadlineLog.info({ closed }, 'consultations closed at their deadline');
  });
  const server = await startServer(
    {
      auth: config.botAuth,
      logger,
      bot,
      health: async () => {
        const health = await lists.health();
        return { ok: health.ok, lists: health, auth: config.botAuth.enabled ? 'on' : 'off' };
      },
      routes: (restifyServer) => {
        registerSchedulerTrigger(restifyServer, {
          secret: config.scheduler.secret,
          scheduler: messaging.scheduler,
          logger,
        });
        registerTab(restifyServer, {
          config,
          lists,
          roles,
          logger,
          ...(options.clock ? { clock: options.clock } : {}),
        });
        registerExportRoute(restifyServer, {
          store: consultations.service.store,
          secret: config.consultations.secret,
          logger,
          clock: options.clock ?? (() => new Date()),
        });
      },
    },
    { port: config.port, host: config.host },
  );
  edge.adapter = server.adapter;
  wiring.url = server.url;
  if (config.scheduler.enabled) messaging.scheduler.start();
  return {
    ...server,
    lists,
    router,
    messaging,
    consultations,
    async close() {
      // Fan-outs stop first (what is unsent stays Pending), so waiting for background work is short.
      await messaging.stop();
      await consultations.service.settled();
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
