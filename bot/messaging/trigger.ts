import { createHash, timingSafeEqual } from 'node:crypto';
import type { HttpRoute } from '../http.js';
import type { Logger } from '../logger.js';
import type { Scheduler } from './scheduler.js';

/**
 * `POST /api/scheduler/run[?job=<name>]` for a production timer (a Logic App, an Azure Function, a
 * cron job): runs what is due, exactly as the in-process tick does, so calling it often is safe.
 * It needs the shared secret in `X-Scheduler-Secret` (or `Authorization: Bearer …`); without a
 * configured secret the route does not exist.
 */

export const SCHEDULER_PATH = '/api/scheduler/run';
export const SECRET_HEADER = 'x-scheduler-secret';

/** Compares digests, so neither the length nor the content leaks through timing. */
export function secretMatches(given: string | undefined, secret: string): boolean {
  if (!given) return false;
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(secret));
}

function givenSecret(header: (name: string) => string | undefined): string | undefined {
  const direct = header(SECRET_HEADER);
  if (direct) return direct.trim();
  const auth = header('authorization');
  const bearer = auth ? /^Bearer\s+(.+)$/i.exec(auth.trim()) : null;
  return bearer?.[1]?.trim();
}

export interface TriggerDeps {
  secret: string | undefined;
  scheduler: Scheduler;
  logger: Logger;
}

/** The trigger's route, or none without a configured secret. */
export function schedulerTriggerRoute(deps: TriggerDeps): HttpRoute | undefined {
  const { secret, scheduler, logger } = deps;
  if (!secret) return undefined;
  return {
    method: 'post',
    path: SCHEDULER_PATH,
    handle: async (req) => {
      if (!secretMatches(givenSecret(req.header), secret)) {
        logger.warn({ ip: req.remoteAddress }, 'scheduler trigger refused: wrong or missing secret');
        return {
          status: 401,
          body: { error: `Unauthorized: send the scheduler secret in the ${SECRET_HEADER} header.` },
        };
      }
      const raw = req.query.job;
      const job = typeof raw === 'string' && raw ? raw : undefined;
      if (job && !scheduler.has(job))
        return {
          status: 404,
          body: { error: `There is no scheduled job called ${job}.`, jobs: scheduler.names() },
        };
      try {
        const runs = await scheduler.runDue(job);
        const failed = runs.some((r) => r.outcome === 'failed');
        return { status: failed ? 500 : 200, body: { runs } };
      } catch (err) {
        logger.error({ err }, 'scheduler trigger failed');
        return { status: 500, body: { error: 'The scheduled jobs could not be run; see the bot log.' } };
      }
    },
  };
}
