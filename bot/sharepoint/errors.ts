/**
 * Typed errors for the lists layer. Stores and features catch these by class instead of reading
 * Graph status codes, so the rest of the bot never depends on the SDK's error shape.
 */

import { parseRetryAfter } from '../http/retry-after.js';

// Its home is the neutral bot/http (proactive sends use it too); the lists layer's callers take it
// from here.
export { parseRetryAfter };

export interface ListsErrorDetails {
  status: number;
  code?: string | undefined;
  requestId?: string | undefined;
  /** Seconds the service asked us to wait, when it said so. */
  retryAfterSeconds?: number | undefined;
  cause?: unknown;
}

export class ListsError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly requestId: string | undefined;

  constructor(message: string, details: ListsErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.status = details.status;
    this.code = details.code;
    this.requestId = details.requestId;
  }
}

/** 404: the site, list or item does not exist (or is not visible to this app). */
export class NotFoundError extends ListsError {}

/** 409: typically a duplicate value in a column with `enforceUniqueValues`. */
export class ConflictError extends ListsError {}

/**
 * A duplicate value in an `enforceUniqueValues` column, however it came: SharePoint raises
 * SPDuplicateValuesFoundException, which REST and Graph report as HTTP 500 (pnp/pnpcore#1280,
 * pnp/PnP-Sites-Core#608); 409 and 400 have been seen too. It is a ConflictError, so every "safe to
 * repeat" write that recovers from a 409 recovers from each of them.
 */
export class DuplicateValueError extends ConflictError {}

/**
 * The list view threshold: the query's first indexed clause matches more items than SharePoint will
 * scan (5,000). REST answers 500 SPQueryThrottledException (SharePoint/sp-dev-docs#6826); Graph has
 * passed it on as 429 without `Retry-After` (msgraph-sdk-dotnet#827) or 400. Waiting does not help,
 * so it is never retried, and it is not a ThrottledError: features tell the person plainly.
 */
export class ListViewThresholdError extends ListsError {
  /** A stable code for features, whatever status and Graph code the site used. */
  readonly reason = 'listViewThreshold' as const;
  /** What a person can be told; the query needs narrowing, not a retry. */
  readonly userMessage =
    'That question covers more of the SharePoint list than SharePoint will search at once. Please ask about something narrower (a person, a meeting or a date range), or ask the site admin to check the list indexes.';
}

const DUPLICATE_TEXT = /duplicate values were found|SPDuplicateValuesFoundException/i;
const THRESHOLD_TEXT = /list view threshold|SPQueryThrottledException/i;

/** True for a body or message that says the list view threshold was exceeded. */
export function mentionsThreshold(text: string | undefined | null): boolean {
  return Boolean(text && THRESHOLD_TEXT.test(text));
}

/** 412: the `If-Match` ETag is stale; someone else changed the item first. */
export class PreconditionFailedError extends ListsError {}

/** 429/503/504 still failing after every retry we were allowed. */
export class ThrottledError extends ListsError {
  readonly retryAfterSeconds: number | undefined;
  constructor(message: string, details: ListsErrorDetails) {
    super(message, details);
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** Anything else: 400, 401, 403, 500, a network failure (status 0), an authentication failure. */
export class GraphRequestError extends ListsError {}

/** Some requests of a `$batch` failed for good; the others succeeded and are kept here. */
export class BatchItemsError<T = unknown> extends ListsError {
  constructor(
    message: string,
    readonly failures: ReadonlyArray<{ index: number; error: ListsError }>,
    readonly succeeded: ReadonlyArray<{ index: number; value: T }>,
  ) {
    super(message, { status: failures[0]?.error.status ?? 0, code: 'batchItemsFailed' });
  }
}

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

type HeaderSource = Headers | Record<string, string | undefined> | undefined | null;

export function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, string | undefined>)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

interface GraphErrorBody {
  error?: {
    code?: string;
    message?: string;
    innerError?: Record<string, unknown>;
    innererror?: Record<string, unknown>;
  };
}

/** The parts of a failed Graph response we need, from the SDK's `GraphError` or a `$batch` entry. */
export interface FailedResponse {
  status: number;
  headers?: HeaderSource;
  body?: unknown;
}

export function errorFromResponse(res: FailedResponse, context?: string): ListsError {
  const body = parseBody(res.body);
  const inner = body?.error?.innerError ?? body?.error?.innererror;
  const code = body?.error?.code;
  const requestId =
    (inner?.['request-id'] as string | undefined) ??
    headerValue(res.headers, 'request-id') ??
    headerValue(res.headers, 'client-request-id');
  const retryAfterMs = parseRetryAfter(headerValue(res.headers, 'retry-after'));
  const text = body?.error?.message || `HTTP ${res.status}`;
  const message = context ? `${context}: ${text}` : text;
  const details: ListsErrorDetails = {
    status: res.status,
    code,
    requestId,
    retryAfterSeconds: retryAfterMs === undefined ? undefined : retryAfterMs / 1000,
  };
  return classify(message, details);
}

function classify(message: string, details: ListsErrorDetails): ListsError {
  const said = `${details.code ?? ''} ${message}`;
  if (THRESHOLD_TEXT.test(said)) return new ListViewThresholdError(message, details);
  if (
    DUPLICATE_TEXT.test(said) &&
    (details.status === 409 || details.status === 500 || details.status === 400)
  ) {
    return new DuplicateValueError(message, details);
  }
  switch (details.status) {
    case 404:
      return new NotFoundError(message, details);
    case 409:
      return new ConflictError(message, details);
    case 412:
      return new PreconditionFailedError(message, details);
    default:
      if (RETRYABLE_STATUSES.has(details.status)) return new ThrottledError(message, details);
      return new GraphRequestError(message, details);
  }
}

function parseBody(body: unknown): GraphErrorBody | undefined {
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as GraphErrorBody;
    } catch {
      return undefined;
    }
  }
  if (body && typeof body === 'object') return body as GraphErrorBody;
  return undefined;
}

/** The SDK's `GraphError` (duck-typed, so tests and other SDK versions need no import). */
interface SdkGraphErrorLike {
  statusCode: number;
  code?: string | null;
  message?: string;
  requestId?: string | null;
  headers?: Headers;
  body?: unknown;
}

function isSdkGraphError(e: unknown): e is SdkGraphErrorLike {
  return (
    typeof e === 'object' && e !== null && typeof (e as { statusCode?: unknown }).statusCode === 'number'
  );
}

/** Normalise anything thrown by a Graph call into one of the typed errors above. */
export function toListsError(e: unknown, context?: string): ListsError {
  if (e instanceof ListsError) return e;
  if (isSdkGraphError(e)) {
    // status -1: the SDK never got a response (network failure, or the credential threw).
    const status = e.statusCode > 0 ? e.statusCode : 0;
    const retryAfterMs = parseRetryAfter(headerValue(e.headers, 'retry-after'));
    const details: ListsErrorDetails = {
      status,
      code: e.code ?? undefined,
      requestId: e.requestId ?? headerValue(e.headers, 'request-id') ?? undefined,
      retryAfterSeconds: retryAfterMs === undefined ? undefined : retryAfterMs / 1000,
      cause: e,
    };
    const text = e.message || `HTTP ${status}`;
    return classify(context ? `${context}: ${text}` : text, details);
  }
  const err = e instanceof Error ? e : new Error(String(e));
  return new GraphRequestError(context ? `${context}: ${err.message}` : err.message, {
    status: 0,
    code: err.name,
    cause: e,
  });
}

/** True when the credential, not the request, failed: wrong secret, no managed identity here. */
export function isCredentialFailure(e: ListsError): boolean {
  return (
    e.status === 401 ||
    e.code === 'AuthenticationError' ||
    e.code === 'CredentialUnavailableError' ||
    e.code === 'AuthenticationRequiredError'
  );
}
