import { pathToFileURL } from 'node:url';
import { BoardBot } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { createConversationStore } from './messaging/conversations.js';
import { RoleResolver } from './routing/roles.js';
import { Router } from './routing/router.js';
import { startServer, type RunningServer } from './server.js';
import { createListsLayer, type ListsLayer } from './sharepoint/index.js';
import { registerHelp } from './features/help/index.js';

/**
 * The composition root: config → Graph client → stores → router with features → bot → server.
 * `startBot` is the whole app as a function, so tests start it in-process on a free port.
 */

export interface RunningBot extends RunningServer {
  lists: ListsLayer;
  router: Router;
}

export function buildRouter(config: Config): Router {
  const router = new Router();
  registerHelp(router, { boardName: config.boardName });
  return router;
}

export async function startBot(config: Config, logger: Logger): Promise<RunningBot> {
  const lists = createListsLayer(config.graph, logger);
  const router = buildRouter(config);
  const roles = new RoleResolver({
    officers: config.roles.officers,
    chairs: config.roles.chairs,
    ...(config.botAuth.tenantId ? { tenantId: config.botAuth.tenantId } : {}),
  });
  const bot = new BoardBot({
    router,
    roles,
    conversations: createConversationStore(lists.repos.Conversations),
    logger,
    boardName: config.boardName,
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
    },
    { port: config.port, host: config.host },
  );
  return { ...server, lists, router };
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
  const logger = createLogger({ level: config.logLevel, pretty: !config.production && process.stdout.isTTY, name: 'bot' });
  const running = await startBot(config, logger);
  logger.info(
    { url: running.url, lists: config.graph.local ? config.graph.baseUrl : 'SharePoint', auth: config.botAuth.enabled },
    `Partnership Board listening on ${running.url}/api/messages`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await running.close();
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
