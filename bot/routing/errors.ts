import type { Turn } from './types.js';

/**
 * Errors as the router's one error sink sees them. A handler that knows what a failure means for
 * the person throws a FeatureError (or wraps list work in `failsAs`): the code is for the log, the
 * message is what the person is told. Anything else a handler throws is told with the route's own
 * `fails` message when it has one, and otherwise goes on to the edge's turn error handler.
 */

export class FeatureError extends Error {
  override readonly name = 'FeatureError';

  constructor(
    readonly code: string,
    readonly userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${userMessage}`, options);
  }
}

/**
 * What an error itself says a person should be told: a FeatureError, or an error from a lower layer
 * that knows better than the route (SharePoint's list view threshold: narrow the question, do not retry).
 */
export function toldBy(err: unknown): string | undefined {
  const message = (err as { userMessage?: unknown } | null | undefined)?.userMessage;
  return typeof message === 'string' ? message : undefined;
}

/** Runs list work; if it throws, the failure carries `code` and the message the person is told. */
export async function failsAs<T>(code: string, userMessage: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof FeatureError) throw err;
    throw new FeatureError(code, toldBy(err) ?? userMessage, { cause: err });
  }
}

/** Where a failed route is reported (logged) before the person is told. */
export type ErrorSink = (err: unknown, where: { route: string; code: string; turn: Turn }) => void;
