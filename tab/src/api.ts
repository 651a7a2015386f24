import type { ApiError } from '../../bot/tab-api/contract.js';
import type { Host } from './host.js';

/** Calls to the tab's API on the same origin, identified by the host (SSO token or dev person). */

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export class Api {
  constructor(private readonly host: Host) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers: {
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(await this.host.authHeaders()),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      throw new ApiFailure(0, 'The board could not be reached. Check your connection and try again.');
    }
    const data = (await res.json().catch(() => ({}))) as Partial<ApiError>;
    if (!res.ok) throw new ApiFailure(res.status, data.error ?? `Something went wrong (${res.status}).`);
    return data as T;
  }

  get<T>(path: string, query: Record<string, string> = {}): Promise<T> {
    const search = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== '')).toString();
    return this.call<T>('GET', search ? `${path}?${search}` : path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }
}
