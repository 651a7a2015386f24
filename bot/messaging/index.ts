import type { Logger } from '../logger.js';
import type { DeliveryFields, ListRepository } from '../sharepoint/index.js';
import { realSleep, systemClock, type Clock, type Sleep } from './clock.js';
import type { ConversationStore } from './conversations.js';
import { DeliveryLog } from './deliveries.js';
import { FanOut, type FanOutOptions, type FanOutReport, type FanOutRequest } from './fanout.js';
import { Messenger } from './messenger.js';
import { RateLimiter, type RateLimits } from './rate-limiter.js';
import { RunLog, Scheduler } from './scheduler.js';
import type { ProactiveSender } from './sender.js';

/**
 * The messaging layer as features use it: `fanOut` for invitations, packs and reminders (recorded,
 * paced, resumable), `messenger` for a single paced message or an update in place, `deliveries`
 * to see who got what, and `scheduler` to run jobs at London times.
 */

export interface Messaging {
  fanOut(request: FanOutRequest): Promise<FanOutReport>;
  resumePending(options?: { campaign?: string; signal?: AbortSignal }): Promise<FanOutReport>;
  deliveries: DeliveryLog;
  messenger: Messenger;
  scheduler: Scheduler;
  /** Stops the timer and the fan-outs in progress; unsent deliveries stay Pending for later. */
  stop(): Promise<void>;
}

export interface MessagingDeps {
  deliveries: ListRepository<DeliveryFields>;
  conversations: ConversationStore;
  sender: ProactiveSender;
  logger: Logger;
  clock?: Clock;
  sleep?: Sleep;
  limits?: RateLimits;
  fanOut?: Pick<FanOutOptions, 'concurrency' | 'maxAttempts' | 'claimLeaseMs'>;
  tickMs?: number;
}

export function createMessaging(deps: MessagingDeps): Messaging {
  const clock = deps.clock ?? systemClock;
  const sleep = deps.sleep ?? realSleep;
  const logger = deps.logger.child({ component: 'messaging' });
  // The limiter paces real requests, so it keeps real time even when tests move the calendar.
  const limiter = new RateLimiter({ ...(deps.limits ? { limits: deps.limits } : {}), sleep });
  const messenger = new Messenger({
    sender: deps.sender,
    conversations: deps.conversations,
    limiter,
    logger,
  });
  const deliveries = new DeliveryLog(deps.deliveries);
  const fanOut = new FanOut({ log: deliveries, messenger, logger, clock, sleep, ...deps.fanOut });
  const scheduler = new Scheduler({
    runs: new RunLog(deps.deliveries, { clock }),
    logger,
    clock,
    ...(deps.tickMs ? { tickMs: deps.tickMs } : {}),
  }).everyTick('unfinished fan-outs', (signal) => fanOut.resumePending({ signal }));
  return {
    fanOut: (request) => fanOut.fanOut(request),
    resumePending: (options) => fanOut.resumePending(options),
    deliveries,
    messenger,
    scheduler,
    async stop() {
      fanOut.stop();
      await scheduler.stop();
    },
  };
}

// What the rest of the bot uses of messaging; tests and benchmarks import the modules themselves.
export { DeliveryLog } from './deliveries.js';
export type { Delivery, DeliveryStatus } from './deliveries.js';
export type { FanOutOptions, FanOutReport, FanOutRequest } from './fanout.js';
export { Messenger } from './messenger.js';
export type { Recipient } from './messenger.js';
export type { RateLimits } from './rate-limiter.js';
export { Scheduler } from './scheduler.js';
export { schedulerTriggerRoute } from './trigger.js';
export type { ProactiveSender } from './sender.js';
export type { Clock, Sleep } from './clock.js';
