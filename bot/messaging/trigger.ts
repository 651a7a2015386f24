import { createHash, timingSafeEqual } from 'node:crypto';
import type { Server } from 'restify';
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

export function registerSchedulerTrigger(server: Server, deps: TriggerDeps): void {
  const { secret, scheduler, logger } = deps;
  if (!secret) return;
  server.post(SCHEDULER_PATH, async (req, res) => {
    if (
      !secretMatches(
        givenSecret((name) => req.header(name) || undefined),
        secret,
      )
    ) {
      logger.warn({ ip: req.socket?.remoteAddress }, 'scheduler trigger refused: wrong or missing secret');
      res.send(401, { error: `Unauthorized: send the scheduler secret in the ${SECRET_HEADER} header.` });
      return;
    }
    const raw = (req.query as Record<string, unknown> | undefined)?.job;
    const job = typeof raw === 'string' && raw ? raw : undefined;
    if (job && !scheduler.has(job)) {
      res.send(404, { error: `There is no scheduled job called ${job}.`, jobs: scheduler.names() });
      return;
    }
    try {
      const runs = await scheduler.runDue(job);
      const failed = runs.some((r) => r.outcome === 'failed');
      res.send(failed ? 500 : 200, { runs });
    } catch (err) {
      logger.error({ err }, 'scheduler trigger failed');
      res.send(500, { error: 'The scheduled jobs could not be run; see the bot log.' });
    }
  });
}
