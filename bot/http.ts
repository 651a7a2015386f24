/**
 * An HTTP route as plain data and a function, so features and the messaging layer serve requests
 * (an export download, the scheduler's trigger) without knowing restify: the composition root mounts
 * them on the server (bot/routes.ts). Only the edge sees restify: bot/server.ts, bot/routes.ts and the tab's
 * routes (bot/tab-api/routes.ts).
 */

export interface HttpRequest {
  /** Path parameters, e.g. `:token` in the route's path. */
  params: Record<string, string | undefined>;
  query: Record<string, unknown>;
  header(name: string): string | undefined;
  remoteAddress?: string;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  /** Text or bytes are sent as they are (with the headers given); anything else as JSON. */
  body: string | Buffer | object;
}

export interface HttpRoute {
  method: 'get' | 'post';
  path: string;
  handle(request: HttpRequest): Promise<HttpResponse>;
}
