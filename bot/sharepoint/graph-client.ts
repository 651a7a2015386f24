import { randomUUID } from 'node:crypto';
import { AuthenticationHandler, Client, HTTPMessageHandler } from '@microsoft/microsoft-graph-client';
import type {
  AuthenticationProvider,
  AuthenticationProviderOptions,
  Context,
  Middleware,
} from '@microsoft/microsoft-graph-client';
// The package has no "exports" map, so ESM needs the file path, not the folder.
import type { TokenCredential } from '@azure/identity';
import type { GraphCredential } from '../config.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { mentionsThreshold, RETRYABLE_STATUSES, parseRetryAfter } from './errors.js';
import { nextDelay, resolveRetryPolicy } from './retry.js';
import type { RetryOptions, RetryPolicy } from './retry.js';

export interface GraphClientOptions {
  /** e.g. `https://graph.microsoft.com/v1.0`, or the local service's `http://127.0.0.1:3979/v1.0`. */
  baseUrl: string;
  credential: GraphCredential;
  logger?: Logger;
  retry?: RetryOptions;
  /** Replaces the network at the end of the chain; for unit tests only. */
  transport?: Middleware;
}

const DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';

/**
 * SharePoint asks every app to name itself in `User-Agent` as `ISV|Company|App/Version` (or NONISV
 * for an organisation's own app): "Avoid getting throttled or blocked in SharePoint Online", section
 * "How to decorate your http traffic". Undecorated traffic is throttled first.
 */
export const USER_AGENT = 'NONISV|PartnershipBoard|PartnershipBoard/0.1.0';
/** National clouds take a token for their own Graph host. */
const GRAPH_CLOUD_HOSTS = new Set([
  'graph.microsoft.com',
  'graph.microsoft.us',
  'dod-graph.microsoft.us',
  'microsoftgraph.chinacloudapi.cn',
]);

/**
 * The SDK composes URLs as host + version + path, so a base URL such as
 * `http://127.0.0.1:3979/v1.0` is split into `http://127.0.0.1:3979` and `v1.0`.
 */
export function splitBaseUrl(baseUrl: string): { host: string; version: string } {
  const url = new URL(baseUrl);
  const segments = url.pathname.split('/').filter(Boolean);
  const version = segments.pop() ?? 'v1.0';
  const prefix = segments.length ? `/${segments.join('/')}` : '';
  return { host: `${url.origin}${prefix}`, version };
}

/**
 * An absolute `@odata.nextLink` as a path relative to the version root. The SDK only understands
 * absolute `https://` links, and a relative path keeps the request on the configured host.
 */
export function relativeGraphPath(link: string): string {
  if (!/^https?:\/\//i.test(link)) return link;
  const url = new URL(link);
  const segments = url.pathname.split('/');
  const at = segments.findIndex((s) => /^(v\d+(\.\d+)?|beta)$/i.test(s));
  if (at < 0) return link;
  return `/${segments.slice(at + 1).join('/')}${url.search}`;
}

async function tokenCredential(
  credential: Exclude<GraphCredential, { kind: 'none' }>,
): Promise<TokenCredential> {
  const { ClientSecretCredential, ManagedIdentityCredential } = await import('@azure/identity');
  switch (credential.kind) {
    case 'clientSecret':
      return new ClientSecretCredential(credential.tenantId, credential.clientId, credential.clientSecret);
    case 'managedIdentity':
      return credential.clientId
        ? new ManagedIdentityCredential({ clientId: credential.clientId })
        : new ManagedIdentityCredential();
  }
}

/**
 * `@azure/identity` is loaded on the first token request, not at start: the local lists service
 * needs no token, and the library costs a third of a second and tens of megabytes to load.
 */
class LazyCredentialProvider implements AuthenticationProvider {
  private provider: Promise<AuthenticationProvider> | undefined;

  constructor(
    private readonly credential: Exclude<GraphCredential, { kind: 'none' }>,
    private readonly scope: string,
  ) {}

  async getAccessToken(options?: AuthenticationProviderOptions): Promise<string> {
    this.provider ??= (async () => {
      const { TokenCredentialAuthenticationProvider } =
        await import('@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js');
      return new TokenCredentialAuthenticationProvider(await tokenCredential(this.credential), {
        scopes: [this.scope],
      });
    })();
    return (await this.provider).getAccessToken(options);
  }
}

/**
 * A Graph client whose middleware chain is ours: retry (honouring `Retry-After`) → authentication
 * (absent for the local service) → fetch. The SDK's own RetryHandler is left out on purpose: it
 * does not bound total waiting, and we need to record and test every sleep.
 */
export function createGraphClient(options: GraphClientOptions): Client {
  const logger = options.logger ?? silentLogger;
  const { host, version } = splitBaseUrl(options.baseUrl);
  const hostname = new URL(options.baseUrl).hostname;
  const middleware: Middleware[] = [new RetryMiddleware(resolveRetryPolicy(options.retry), logger)];

  if (options.credential.kind !== 'none') {
    const scope = GRAPH_CLOUD_HOSTS.has(hostname) ? `https://${hostname}/.default` : DEFAULT_SCOPE;
    middleware.push(new AuthenticationHandler(new LazyCredentialProvider(options.credential, scope)));
  }
  middleware.push(options.transport ?? new HTTPMessageHandler());

  return Client.initWithMiddleware({
    middleware,
    baseUrl: host,
    defaultVersion: version,
    // The authentication handler adds a token only for Graph hosts and these; a proxy or
    // sovereign host given in GRAPH_BASE_URL must be named here or requests go out anonymous.
    ...(GRAPH_CLOUD_HOSTS.has(hostname) ? {} : { customHosts: new Set([hostname]) }),
  });
}

type HeaderBag = Headers | Record<string, string> | [string, string][];

function setHeader(context: Context, name: string, value: string): void {
  if (typeof Request !== 'undefined' && context.request instanceof Request) {
    context.request.headers.set(name, value);
    return;
  }
  const options = (context.options ??= {});
  const headers = options.headers as HeaderBag | undefined;
  if (!headers) options.headers = { [name]: value };
  else if (headers instanceof Headers) headers.set(name, value);
  else if (Array.isArray(headers)) headers.push([name, value]);
  else headers[name] = value;
}

function hasHeader(context: Context, name: string): boolean {
  const headers = context.options?.headers as HeaderBag | undefined;
  if (!headers) return false;
  if (headers instanceof Headers) return headers.has(name);
  const wanted = name.toLowerCase();
  const keys = Array.isArray(headers) ? headers.map(([k]) => k) : Object.keys(headers);
  return keys.some((k) => k.toLowerCase() === wanted);
}

function describeRequest(context: Context): { method: string; path: string } {
  const method = (context.options?.method ?? 'GET').toUpperCase();
  const raw = typeof context.request === 'string' ? context.request : context.request.url;
  // The query may hold people's names from a filter: log the path only.
  let path = raw;
  try {
    path = new URL(raw).pathname;
  } catch {
    path = raw.split('?')[0] ?? raw;
  }
  return { method, path };
}

/** A body we can send again: strings and bytes, not streams. */
function canResend(context: Context): boolean {
  if (typeof Request !== 'undefined' && context.request instanceof Request) return false;
  const body = context.options?.body as unknown;
  return (
    body === undefined ||
    body === null ||
    typeof body === 'string' ||
    body instanceof Uint8Array ||
    body instanceof ArrayBuffer
  );
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** @azure/identity retries its own token requests; a failure reaching us is final. */
const CREDENTIAL_ERRORS = new Set([
  'AuthenticationError',
  'AuthenticationRequiredError',
  'CredentialUnavailableError',
]);

function isCredentialError(e: unknown): boolean {
  return e instanceof Error && CREDENTIAL_ERRORS.has(e.name);
}

function isConnectionRefused(e: unknown): boolean {
  const cause = (e as { cause?: { code?: unknown } } | undefined)?.cause;
  return cause?.code === 'ECONNREFUSED';
}

/**
 * A 429 (or 503) that is really the list view threshold (msgraph-sdk-dotnet#827): waiting does not
 * change the answer, so it is not retried. Read from a clone; the SDK still reads the original.
 */
async function isThresholdAnswer(context: Context): Promise<boolean> {
  const response = context.response;
  if (!response) return false;
  try {
    return mentionsThreshold(await response.clone().text());
  } catch {
    return false;
  }
}

export class RetryMiddleware implements Middleware {
  private next: Middleware | undefined;

  constructor(
    private readonly policy: RetryPolicy,
    private readonly logger: Logger,
  ) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const next = this.next;
    if (!next) throw new Error('RetryMiddleware needs a next middleware');
    // One id for every try of this request, so Graph support can follow it across retries.
    if (!hasHeader(context, 'client-request-id')) setHeader(context, 'client-request-id', randomUUID());
    if (!hasHeader(context, 'User-Agent')) setHeader(context, 'User-Agent', USER_AGENT);
    const { method, path } = describeRequest(context);
    const state = { retry: 0, waitedMs: 0 };

    const callerSignal = context.options?.signal ?? undefined;

    for (;;) {
      let failure: unknown;
      try {
        await this.attempt(next, context, callerSignal);
      } catch (e) {
        failure = e;
      }
      if (callerSignal?.aborted) throw failure ?? callerSignal.reason;
      const status = failure === undefined ? context.response?.status : undefined;
      // A request that never got an answer is only re-sent when sending it twice is harmless,
      // and not when nothing listens there: that will not change within our retry budget.
      const retryable =
        failure !== undefined
          ? IDEMPOTENT_METHODS.has(method) && !isConnectionRefused(failure) && !isCredentialError(failure)
          : status !== undefined && RETRYABLE_STATUSES.has(status) && !(await isThresholdAnswer(context));
      const retryAfterMs =
        failure === undefined ? parseRetryAfter(context.response?.headers.get('retry-after')) : undefined;
      const delay = retryable && canResend(context) ? nextDelay(this.policy, state, retryAfterMs) : undefined;
      if (delay === undefined) {
        if (failure !== undefined) throw failure;
        return;
      }

      this.logger.warn(
        {
          method,
          path,
          status: status ?? 'network error',
          attempt: state.retry + 1,
          delayMs: delay,
          retryAfterMs,
          error: failure instanceof Error ? failure.message : failure,
        },
        'Graph request not served; retrying',
      );
      await context.response?.body?.cancel().catch(() => undefined);
      delete context.response;
      await this.policy.sleep(delay);
      state.retry += 1;
      state.waitedMs += delay;
      setHeader(context, 'Retry-Attempt', String(state.retry));
    }
  }

  /** One try, abandoned if no response headers arrive in time (a hung connection is a failure). */
  private async attempt(
    next: Middleware,
    context: Context,
    callerSignal: AbortSignal | undefined,
  ): Promise<void> {
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error(`No response from Graph within ${this.policy.attemptTimeoutMs} ms`)),
      this.policy.attemptTimeoutMs,
    );
    const forward = () => controller.abort(callerSignal?.reason);
    if (callerSignal?.aborted) forward();
    else callerSignal?.addEventListener('abort', forward, { once: true });
    (context.options ??= {}).signal = controller.signal;
    try {
      await next.execute(context);
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', forward);
    }
  }
}
