import { pathToFileURL } from 'node:url';
import { startListsService } from '../../../infra/local/server.js';

/**
 * The local lists service as a bench child process: provisioned, on a free loopback port, its
 * data in `DATA_DIR` (a scratch directory the runner removes). Prints `{"url", "graphBaseUrl"}`
 * when ready and stops on SIGTERM.
 */

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dataDir = process.env.DATA_DIR;
  if (!dataDir) throw new Error('DATA_DIR is required');
  const lists = await startListsService({ port: 0, dataDir, provision: true });
  const stop = () => void lists.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`${JSON.stringify({ url: lists.url, graphBaseUrl: lists.graphBaseUrl })}\n`);
}
