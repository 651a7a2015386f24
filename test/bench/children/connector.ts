import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

/**
 * A Bot Framework connector stand-in for load: it answers the sends a bot makes to its
 * `serviceUrl` and only counts them (no recording, so its memory stays flat and cheap). Run alone
 * it prints `{"url": "<serviceUrl>"}` when ready; `GET /_stats` gives the counters.
 */

export interface BenchConnector {
  serviceUrl: string;
  server: Server;
  close(): Promise<void>;
}

export interface ConnectorStats {
  /** POSTs to /v3/conversations/{id}/activities[/{replyTo}]: new messages and replies. */
  sends: number;
  /** Of those, sends carrying an Adaptive Card attachment. */
  cards: number;
  /** Anything else (updates, roster, proactive conversations). */
  other: number;
  /** TCP connections the bot opened to us: shows whether its HTTP client reuses them. */
  connections: number;
}

const CARD = Buffer.from('application/vnd.microsoft.card.adaptive');

export async function startBenchConnector(port = 0): Promise<BenchConnector> {
  const stats: ConnectorStats = { sends: 0, cards: 0, other: 0, connections: 0 };
  let nextId = 1;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const json = (status: number, body: unknown) => {
        const text = JSON.stringify(body);
        res.writeHead(status, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        });
        res.end(text);
      };
      if (req.method === 'GET' && path === '/_stats') return json(200, stats);
      if (req.method === 'POST' && path === '/_reset') {
        stats.sends = stats.cards = stats.other = stats.connections = 0;
        return json(200, stats);
      }
      const parts = path.split('/').filter(Boolean);
      if (parts[0] === 'v3' && parts[1] === 'conversations') {
        if (parts[3] === 'activities' && req.method === 'POST') {
          stats.sends++;
          if (chunks.some((c) => c.includes(CARD))) stats.cards++;
          return json(200, { id: `activity-${nextId++}` });
        }
        stats.other++;
        if (parts[3] === 'activities' && req.method === 'PUT') return json(200, { id: parts[4] ?? '' });
        if (parts.length === 2 && req.method === 'POST') return json(200, { id: `a:proactive-${nextId++}` });
        if (parts[3] === 'pagedmembers') return json(200, { members: [] });
      }
      stats.other++;
      json(404, { error: { code: 'NotFound', message: 'not part of the bench stand-in' } });
    });
  });

  server.on('connection', () => stats.connections++);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    serviceUrl: `http://127.0.0.1:${actual}/`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const connector = await startBenchConnector(Number(process.env.PORT ?? 0));
  const stop = () => void connector.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`${JSON.stringify({ url: connector.serviceUrl })}\n`);
}
