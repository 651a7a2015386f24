/**
 * `npm run migrate -- --board <team id>`
 *
 * Gives every list item made before boards (no BoardId) to one board: the team id of the board
 * they belong to (`19:…@thread.tacv2`, the Boards list's TeamId). Safe to run again: items that
 * have a board keep it. Configuration comes from the environment like the bot's. Runs from the
 * compiled output too: `node dist/infra/migrate/cli.js --board <team id>`.
 */
import { argsOrExit, configOrExplain, runWhenEntry } from '../cli.js';
import { createLogger } from '../../bot/logger.js';
import { createListsLayer } from '../../bot/sharepoint/index.js';
import { assignBoard } from '../../bot/sharepoint/board-migration.js';

const USAGE = `Usage: npm run migrate -- --board <team id>

  --board    the team id of the board that older items belong to (the Boards list's TeamId,
             e.g. 19:abc…@thread.tacv2)

Lists and credentials come from the environment, as for the bot (SHAREPOINT_SITE_URL or
SHAREPOINT_SITE_ID, AZURE_* or GRAPH_USE_MANAGED_IDENTITY); without them, the local lists service.`;

class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): { board?: string; help: boolean } {
  const args: { board?: string; help: boolean } = { help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') args.help = true;
    else if (arg === '--board' || arg.startsWith('--board=')) {
      const value = arg === '--board' ? argv[++i] : arg.slice('--board='.length);
      if (!value || value.startsWith('--')) throw new UsageError('--board needs a team id');
      args.board = value;
    } else throw new UsageError(`Unknown argument ${arg}`);
  }
  return args;
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const args = argsOrExit(argv, parseArgs, USAGE);
  if (typeof args === 'number') return args;
  if (!args.board) {
    console.error(`--board is required\n\n${USAGE}`);
    return 2;
  }
  // The migration talks to Graph only: the bot's own Bot Framework settings are not its business
  // (and may be half-set on the machine it runs from).
  const {
    MicrosoftAppId: _id,
    MicrosoftAppPassword: _password,
    MicrosoftAppType: _type,
    MicrosoftAppTenantId: _tenant,
    ...graphEnv
  } = env;
  const config = configOrExplain(graphEnv);
  if (!config) return 2;
  const logger = createLogger({ level: env.LOG_LEVEL ?? 'warn', name: 'migrate' });
  const lists = createListsLayer(config.graph, logger);
  try {
    const board = await lists.repos.Boards.findByKey('TeamId', args.board);
    if (!board)
      console.log(
        `Note: no board in the Boards list has TeamId ${args.board} yet; the items are given it anyway.`,
      );
    const report = await assignBoard(lists, args.board, logger);
    for (const [name, counts] of Object.entries(report.lists))
      console.log(`${name}: ${counts.assigned} given the board, ${counts.alreadyHad} already had one`);
    return 0;
  } catch (e) {
    console.error(`Migration failed: ${(e as Error).message ?? String(e)}`);
    return 1;
  }
}

runWhenEntry(import.meta.url, main);
