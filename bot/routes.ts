import type restify from 'restify';
import type { HttpRequest, HttpRoute } from './http.js';

/** Mounts plain HTTP routes (bot/http.ts) on the restify server: the edge's side of them. */
export function mountRoutes(server: restify.Server, routes: readonly HttpRoute[]): void {
  for (const route of routes) {
    server[route.method](route.path, async (req: restify.Request, res: restify.Response) => {
      const request: HttpRequest = {
        params: (req.params ?? {}) as Record<string, string | undefined>,
        query: (req.query ?? {}) as Record<string, unknown>,
        header: (name) => req.header(name) || undefined,
        ...(req.socket?.remoteAddress ? { remoteAddress: req.socket.remoteAddress } : {}),
      };
      const answer = await route.handle(request);
      if (typeof answer.body === 'string' || Buffer.isBuffer(answer.body)) {
        res.writeHead(answer.status, answer.headers ?? {});
        res.end(answer.body);
        return;
      }
      for (const [name, value] of Object.entries(answer.headers ?? {})) res.header(name, value);
      res.send(answer.status, answer.body);
    });
  }
}
