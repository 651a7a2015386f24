import { randomUUID } from 'node:crypto';
import {
  addDays,
  londonDate,
  londonDateTimeToUtc,
  startOfWeek,
  toIsoDate,
  type CalendarDate,
} from '../dates/london.js';
import type { Logger } from '../logger.js';
import {
  PreconditionFailedError,
  type DeliveryFields,
  type ListItem,
  type ListRepository,
} from '../sharepoint/index.js';
import { systemClock, type Clock } from './clock.js';
import { claimMark, SCHEDULER_CAMPAIGN } from './deliveries.js';

/**
 * Jobs that run at London times: daily, or weekly on a given day. Each run is keyed by job and
 * London date and recorded in `Deliveries` (campaign `scheduler`), so a restart neither skips a
 * due run (it runs late instead) nor repeats one, and of several instances only one runs it.
 * An in-process tick looks every minute; a production timer can call the HTTP trigger instead.
 */

/** ISO day of the week: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export type Schedule = { every: 'day'; at: string } | { every: 'week'; on: Weekday; at: string };

export interface JobContext {
  /** The London date of this run's occurrence ('2018-03-05'). */
  date: string;
  now: Date;
  signal: AbortSignal;
}

export interface Job {
  /** Lower-case words and hyphens: `action-reminders`. */
  name: string;
  schedule: Schedule;
  /** What it did, in a few numbers (stored with the run). Throw to have it tried again later. */
  run(context: JobContext): Promise<Record<string, unknown> | void>;
}

export type RunOutcome = 'ran' | 'already done' | 'running elsewhere' | 'not due' | 'failed' | 'gave up';

export interface JobRun {
  job: string;
  date: string;
  outcome: RunOutcome;
  summary?: Record<string, unknown>;
  error?: string;
}

export interface Occurrence {
  date: CalendarDate;
  dueAt: Date;
}

const JOB_NAME = /^[a-z][a-z0-9-]{0,48}$/;
const TIME = /^([01]?\d|2[0-3]):[0-5]\d$/;

export function checkSchedule(schedule: Schedule): void {
  if (!TIME.test(schedule.at)) throw new RangeError(`A schedule time is HH:MM (London), not ${schedule.at}`);
  if (schedule.every === 'week' && !(Number.isInteger(schedule.on) && schedule.on >= 1 && schedule.on <= 7))
    throw new RangeError('A weekly schedule needs a day from 1 (Monday) to 7 (Sunday)');
}

/**
 * The occurrence of a schedule in the period that contains `now` (London): today's for a daily job,
 * this week's for a weekly one. A run missed while the bot was down still counts until the period
 * ends, so it runs late rather than not at all.
 */
export function currentOccurrence(schedule: Schedule, now: Date): Occurrence {
  const today = londonDate(now);
  const date = schedule.every === 'day' ? today : addDays(startOfWeek(today), schedule.on - 1);
  return { date, dueAt: londonDateTimeToUtc(date, schedule.at) };
}

export function isDue(schedule: Schedule, now: Date): { due: boolean; date: string } {
  const o = currentOccurrence(schedule, now);
  return { due: now.getTime() >= o.dueAt.getTime(), date: toIsoDate(o.date) };
}

export function runKey(job: string, date: string): string {
  return `${SCHEDULER_CAMPAIGN}|${job}|${date}`;
}

export interface RunLogOptions {
  clock?: Clock;
  /** A run claimed longer ago than this is taken to have died with its process. */
  leaseMs?: number;
  /** A failed run is tried again after this long, up to `maxAttempts` a period. */
  retryAfterMs?: number;
  maxAttempts?: number;
}

type Begin = { run: true; item: ListItem<DeliveryFields> } | { run: false; outcome: RunOutcome };

/** Durable "this job has run for this date" records: a unique key makes the claim atomic. */
export class RunLog {
  private readonly clock: Clock;
  private readonly leaseMs: number;
  private readonly retryAfterMs: number;
  private readonly maxAttempts: number;

  constructor(
    private readonly repo: ListRepository<DeliveryFields>,
    options: RunLogOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.leaseMs = options.leaseMs ?? 30 * 60_000;
    this.retryAfterMs = options.retryAfterMs ?? 5 * 60_000;
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  async begin(job: string, date: string): Promise<Begin> {
    const token = randomUUID();
    const now = this.clock();
    const claim = {
      Status: 'Sending' as const,
      AttemptedAt: now.toISOString(),
      ActivityId: claimMark(token),
    };
    const item = await this.repo.create(
      {
        Title: `Scheduled job ${job} for ${date}`,
        DeliveryKey: runKey(job, date),
        Campaign: SCHEDULER_CAMPAIGN,
        RecipientId: job,
        Attempts: 1,
        ...claim,
      },
      { keyColumn: 'DeliveryKey' },
    );
    if (item.created !== false) return { run: true, item };
    // A create whose answer was lost comes back as "already there": it is ours if it holds our mark.
    if (item.fields.ActivityId === claim.ActivityId) return { run: true, item };

    const f = item.fields;
    const age = now.getTime() - (f.AttemptedAt ? Date.parse(f.AttemptedAt) : 0);
    const attempts = f.Attempts ?? 1;
    switch (f.Status) {
      case 'Sent':
        return { run: false, outcome: 'already done' };
      case 'Sending':
        if (age < this.leaseMs) return { run: false, outcome: 'running elsewhere' };
        break;
      case 'Failed':
        if (attempts >= this.maxAttempts) return { run: false, outcome: 'gave up' };
        if (age < this.retryAfterMs) return { run: false, outcome: 'failed' };
        break;
      default:
        break;
    }
    try {
      const claimed = await this.repo.update(
        item.id,
        { ...claim, Attempts: attempts + 1 },
        { etag: item.etag },
      );
      return { run: true, item: claimed };
    } catch (e) {
      if (e instanceof PreconditionFailedError) return { run: false, outcome: 'running elsewhere' };
      throw e;
    }
  }

  async finish(item: ListItem<DeliveryFields>, summary: Record<string, unknown>): Promise<void> {
    await this.repo.update(item.id, {
      Status: 'Sent',
      SentAt: this.clock().toISOString(),
      ActivityId: null,
      LastError: null,
      Payload: JSON.stringify(summary).slice(0, 60_000),
    });
  }

  async fail(item: ListItem<DeliveryFields>, error: string): Promise<void> {
    await this.repo.update(item.id, { Status: 'Failed', ActivityId: null, LastError: error.slice(0, 2000) });
  }
}

export interface SchedulerOptions {
  runs: RunLog;
  logger: Logger;
  clock?: Clock;
  tickMs?: number;
}

export class Scheduler {
  private readonly jobs = new Map<string, Job>();
  private readonly followUps = new Map<string, (signal: AbortSignal) => Promise<unknown>>();
  private readonly clock: Clock;
  private readonly tickMs: number;
  private readonly stopping = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<JobRun[]> | undefined;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? systemClock;
    this.tickMs = options.tickMs ?? 60_000;
  }

  add(job: Job): this {
    if (!JOB_NAME.test(job.name))
      throw new RangeError(`Job names are lower-case words and hyphens: ${job.name}`);
    if (this.jobs.has(job.name)) throw new Error(`A job named ${job.name} is already scheduled`);
    checkSchedule(job.schedule);
    this.jobs.set(job.name, job);
    return this;
  }

  /**
   * Work for every tick, beside the daily jobs: resuming fan-outs a crash left unfinished, closing
   * consultations whose deadline has passed. It runs whichever way ticks come (the in-process timer or the HTTP trigger), so a
   * deployment with an external timer gets it too.
   */
  everyTick(name: string, work: (signal: AbortSignal) => Promise<unknown>): this {
    if (this.followUps.has(name)) throw new Error(`Every-tick work named ${name} is already registered`);
    this.followUps.set(name, work);
    return this;
  }

  has(name: string): boolean {
    return this.jobs.has(name);
  }

  names(): string[] {
    return [...this.jobs.keys()];
  }

  /** Ticks now and then every `tickMs`; the timer never keeps the process alive on its own. */
  start(): void {
    if (this.timer || this.stopping.signal.aborted) return;
    const tick = () =>
      void this.tick().catch((err: unknown) => this.options.logger.error({ err }, 'scheduler tick failed'));
    this.timer = setInterval(tick, this.tickMs);
    this.timer.unref();
    setImmediate(tick);
  }

  /** Stops the timer and asks running jobs to stop; waits for the tick in progress, if any. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stopping.abort();
    await this.ticking?.catch(() => undefined);
  }

  /** Runs every due job (one tick). Overlapping calls share the tick in progress. */
  tick(): Promise<JobRun[]> {
    return this.runDue();
  }

  /**
   * Runs the due jobs, or only `jobName` if it is due, then the every-tick work. A run already done
   * for its date is not repeated, whoever asks.
   */
  runDue(jobName?: string): Promise<JobRun[]> {
    if (this.ticking) return this.ticking.then(() => this.runDue(jobName));
    const run = (async () => {
      const runs: JobRun[] = [];
      for (const job of this.jobs.values()) {
        if (jobName && job.name !== jobName) continue;
        if (this.stopping.signal.aborted) break;
        runs.push(await this.runJob(job));
      }
      for (const [name, work] of jobName ? [] : this.followUps) {
        if (this.stopping.signal.aborted) break;
        await work(this.stopping.signal).catch((err: unknown) =>
          this.options.logger.error({ err, work: name }, 'every-tick work failed'),
        );
      }
      return runs;
    })();
    this.ticking = run;
    return run.finally(() => {
      if (this.ticking === run) this.ticking = undefined;
    });
  }

  private async runJob(job: Job): Promise<JobRun> {
    const now = this.clock();
    const { due, date } = isDue(job.schedule, now);
    if (!due) return { job: job.name, date, outcome: 'not due' };
    const log = this.options.logger.child({ job: job.name, date });
    let begun: Begin;
    try {
      begun = await this.options.runs.begin(job.name, date);
    } catch (err) {
      log.error({ err }, 'could not record the start of a scheduled job; will try on the next tick');
      return { job: job.name, date, outcome: 'failed', error: String((err as Error).message ?? err) };
    }
    if (!begun.run) return { job: job.name, date, outcome: begun.outcome };
    try {
      const summary = (await job.run({ date, now, signal: this.stopping.signal })) ?? {};
      await this.options.runs.finish(begun.item, summary);
      log.info({ summary }, 'scheduled job done');
      return { job: job.name, date, outcome: 'ran', summary };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      log.error({ err }, 'scheduled job failed; it will be tried again');
      await this.options.runs.fail(begun.item, error).catch(() => undefined);
      return { job: job.name, date, outcome: 'failed', error };
    }
  }
}
