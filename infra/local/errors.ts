import { randomUUID } from 'node:crypto';

/**
 * Errors carry Graph's status and `error.code` so every layer can throw and the transport (HTTP or a
 * `$batch` entry) renders the same body Graph would.
 */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

export const badRequest = (message: string): GraphError => new GraphError(400, 'invalidRequest', message);
export const notFound = (message: string): GraphError => new GraphError(404, 'itemNotFound', message);
export const conflict = (message: string): GraphError => new GraphError(409, 'nameAlreadyExists', message);

export interface GraphErrorBody {
  error: { code: string; message: string; innerError: Record<string, string> };
}

/** Graph's timestamps carry whole seconds. */
export function graphDate(d: Date = new Date()): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function errorBody(code: string, message: string, clientRequestId?: string): GraphErrorBody {
  const innerError: Record<string, string> = { date: graphDate(), 'request-id': randomUUID() };
  if (clientRequestId) innerError['client-request-id'] = clientRequestId;
  return { error: { code, message, innerError } };
}
