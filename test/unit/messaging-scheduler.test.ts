import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../bot/logger.js';
import {
  currentOccurrence,
  isDue,
  runKey,
  RunLog,
  Scheduler,
  type Job,
  type Schedule,
} from '../../bot/messaging/scheduler.js';
import { toIsoDate } from '../../bot/dates/london.js';
import {
  PreconditionFailedError,
  type DeliveryFields,
  type FieldsPatch,
  type ListItem,
  type ListRepository,
} from '../../bot/sharepoint/index.js';

const DAILY: Schedule = { every: 'day', at: '08:30' };
const MONDAYS: Schedule = { every: 'week', on: 1, at: '09:00' };

const occurrence = (s: Schedule, iso: string) => {
  const o = currentOccurrence(s, new Date(iso));
  return { date: toIsoDate(o.date), dueAt: o.dueAt.toISOString() };
};

describe('schedules in London time', () => {
  it('a daily 08:30 is 08:30 UTC in winter and 07:30 UTC in summer', () => {
    expect(occurrence(DAILY, '2018-01-15T12:00:00Z')).toEqual({
      date: '2018-01-15',
      dueAt: '2018-01-15T08:30:00.000Z',
    });
    expect(occurrence(DAILY, '2018-06-04T12:00:00Z')).toEqual({
      date: '2018-06-04',
      dueAt: '2018-06-04T07:30:00.000Z',
    });
  });

  it('is due from its London time, not the server’s', () => {
    expect(isDue(DAILY, new Date('2018-06-04T07:29:00Z'))).toEqual({ due: false, date: '2018-06-04' });
    expect(isDue(DAILY, new Date('2018-06-04T07:30:00Z'))).toEqual({ due: true, date: '2018-06-04' });
    // 23:30 UTC on 4 June is already 5 June in London: a new day, due again.
    expect(isDue(DAILY, new Date('2018-06-04T23:30:00Z'))).toEqual({ due: false, date: '2018-06-05' });
  });

  it('keeps its wall-clock time across the clock changes', () => {
    // Sunday 25 March 2018: clocks go forward at 01:00 GMT.
    expect(occurrence(DAILY, '2018-03-24T12:00:00Z').dueAt).toBe('2018-03-24T08:30:00.000Z');
    expect(occurrence(DAILY, '2018-03-25T12:00:00Z').dueAt).toBe('2018-03-25T07:30:00.000Z');
    // Sunday 28 October 2018: back at 02:00 BST.
    expect(occurrence(DAILY, '2018-10-28T12:00:00Z').dueAt).toBe('2018-10-28T08:30:00.000Z');
    const early: Schedule = { every: 'day', at: '01:30' };
    // 01:30 does not exist on 25 March; it happens twice on 28 October (the first, BST, counts).
    expect(occurrence(early, '2018-03-25T12:00:00Z').dueAt).toBe('2018-03-25T01:30:00.000Z');
    expect(occurrence(early, '2018-10-28T12:00:00Z').dueAt).toBe('2018-10-28T00:30:00.000Z');
  });

  it('a Monday job belongs to its week: due from Monday 09:00, still due (late) later that week', () => {
    expect(isDue(MONDAYS, new Date('2018-03-05T08:59:00Z'))).toEqual({ due: false, date: '2018-03-05' });
    expect(isDue(MONDAYS, new Date('2018-03-05T09:00:00Z'))).toEqual({ due: true, date: '2018-03-05' });
    expect(isDue(MONDAYS, new Date('2018-03-08T10:00:00Z'))).toEqual({ due: true, date: '2018-03-05' });
    expect(isDue(MONDAYS, new Date('2018-03-11T22:00:00Z'))).toEqual({ due: true, date: '2018-03-05' });
    // Midnight in London on Monday 12 March (BST not yet): a new week.
    expect(isDue(MONDAYS, new Date('2018-03-12T00:30:00Z'))).toEqual({ due: false, date: '2018-03-12' });
  });

  it('a Monday in summer is due at 08:00 UTC', () => {
    expect(occurrence(MONDAYS, '2018-07-04T12:00:00Z')).toEqual({
      date: '2018-07-02',
      dueAt: '2018-07-02T08:00:00.000Z',
    });
  });

  it('keys a run by job and London date', () => {
    expect(runKey('action-reminders', '2018-03-05')).toBe('scheduler|action-reminders|2018-03-05');
  });
});

/** Just enough of a list for the run log: unique keys (409 → the existing item) and ETags. */
function memoryRuns() {
  const items = new Map<string, ListItem<DeliveryFields>>();
  let version = 0;
  const repo = {
    async create(fields: DeliveryFields) {
      const existing = [...items.values()].find((i) => i.fields.DeliveryKey === fields.DeliveryKey);
      if (existing) return { ...existing, created: false };
      const id = String(items.size + 1);
      const item = {
        id,
        etag: String(++version),
        fields: { ...fields },
        createdDateTime: '',
        lastModifiedDateTime: '',
      };
      items.set(id, item);
      return { ...item, created: true };
    },
    async update(id: string, patch: FieldsPatch<DeliveryFields>, options: { etag?: string } = {}) {
      const item = items.get(id)!;
      if (options.etag && options.etag !== item.etag)
        throw new PreconditionFailedError('stale', { status: 412 });
      const fields = { ...item.fields } as Record<string, unknown>;
      for (const [k, v] of Object.entries(patch)) {
        if (v === null) delete fields[k];
        else fields[k] = v;
      }
      const next = { ...item, etag: String(++version), fields: fields as unknown as DeliveryFields };
      items.set(id, next);
      return next;
    },
  };
  return { repo: repo as unknown as ListRepository<DeliveryFields>, items };
}

function countingJob(name: string, schedule: Schedule, behaviour: () => Promise<void> = async () => {}) {
  const dates: string[] = [];
  const job: Job = {
    name,
    schedule,
    run: async ({ date }) => {
      dates.push(date);
      await behaviour();
      return { ok: 1 };
    },
  };
  return { job, dates };
}

describe('Scheduler', () => {
  it('does every-tick work on each tick (not when one job is asked for), and a failure stops nothing', async () => {
    const runs = memoryRuns();
    const clock = () => new Date('2018-03-05T11:00:00Z');
    const { job, dates } = countingJob('action-reminders', DAILY);
    const scheduler = new Scheduler({
      runs: new RunLog(runs.repo, { clock }),
      logger: silentLogger,
      clock,
    }).add(job);
    const done: string[] = [];
    scheduler
      .everyTick('failing', async () => {
        done.push('failing');
        throw new Error('Consultations list unavailable');
      })
      .everyTick('deadlines', async () => void done.push('deadlines'));
    expect(() => scheduler.everyTick('deadlines', async () => undefined)).toThrow(/already registered/);
    await scheduler.tick();
    await scheduler.runDue('action-reminders');
    await scheduler.tick();
    expect(done).toEqual(['failing', 'deadlines', 'failing', 'deadlines']);
    expect(dates).toEqual(['2018-03-05']);
  });

  it('runs a due job once per London date, however often it ticks and across a restart', async () => {
    const runs = memoryRuns();
    let now = new Date('2018-03-05T08:00:00Z');
    const clock = () => now;
    const { job, dates } = countingJob('action-reminders', DAILY);
    const first = new Scheduler({ runs: new RunLog(runs.repo, { clock }), logger: silentLogger, clock }).add(
      job,
    );

    expect(await first.tick()).toEqual([{ job: 'action-reminders', date: '2018-03-05', outcome: 'not due' }]);
    now = new Date('2018-03-05T11:00:00Z');
    expect((await first.tick())[0]).toMatchObject({ outcome: 'ran', summary: { ok: 1 } });
    expect((await first.tick())[0]?.outcome).toBe('already done');

    // A new process (a restart or a second instance) sees the run on the list.
    const second = new Scheduler({ runs: new RunLog(runs.repo, { clock }), logger: silentLogger, clock }).add(
      job,
    );
    expect((await second.tick())[0]?.outcome).toBe('already done');
    now = new Date('2018-03-06T08:31:00Z');
    expect((await second.tick())[0]?.outcome).toBe('ran');
    expect(dates).toEqual(['2018-03-05', '2018-03-06']);
    expect([...runs.items.values()].map((i) => [i.fields.DeliveryKey, i.fields.Status])).toEqual([
      ['scheduler|action-reminders|2018-03-05', 'Sent'],
      ['scheduler|action-reminders|2018-03-06', 'Sent'],
    ]);
  });

  it('does not skip a run the bot was down for: it runs when the bot is back', async () => {
    const runs = memoryRuns();
    const now = new Date('2018-03-07T15:00:00Z');
    const { job, dates } = countingJob('actions-digest', MONDAYS);
    const scheduler = new Scheduler({
      runs: new RunLog(runs.repo, { clock: () => now }),
      logger: silentLogger,
      clock: () => now,
    });
    scheduler.add(job);
    await scheduler.tick();
    expect(dates).toEqual(['2018-03-05']);
  });

  it('leaves a run another instance is doing, and takes over one whose instance died', async () => {
    const runs = memoryRuns();
    let now = new Date('2018-03-05T09:00:00Z');
    const clock = () => now;
    const log = new RunLog(runs.repo, { clock, leaseMs: 30 * 60_000 });
    expect((await log.begin('action-reminders', '2018-03-05')).run).toBe(true); // …and then it died
    const { job, dates } = countingJob('action-reminders', DAILY);
    const scheduler = new Scheduler({ runs: log, logger: silentLogger, clock }).add(job);
    expect((await scheduler.tick())[0]?.outcome).toBe('running elsewhere');
    now = new Date('2018-03-05T09:31:00Z');
    expect((await scheduler.tick())[0]?.outcome).toBe('ran');
    expect(dates).toEqual(['2018-03-05']);
  });

  it('tries a failed run again later, then gives up for the day', async () => {
    const runs = memoryRuns();
    let now = new Date('2018-03-05T09:00:00Z');
    const clock = () => now;
    const { job, dates } = countingJob('action-reminders', DAILY, async () => {
      throw new Error('Actions list unavailable');
    });
    const scheduler = new Scheduler({
      runs: new RunLog(runs.repo, { clock, retryAfterMs: 5 * 60_000, maxAttempts: 2 }),
      logger: silentLogger,
      clock,
    }).add(job);
    expect((await scheduler.tick())[0]).toMatchObject({
      outcome: 'failed',
      error: 'Actions list unavailable',
    });
    expect((await scheduler.tick())[0]?.outcome).toBe('failed');
    expect(dates).toHaveLength(1);
    now = new Date('2018-03-05T09:06:00Z');
    await scheduler.tick();
    expect(dates).toHaveLength(2);
    now = new Date('2018-03-05T10:00:00Z');
    expect((await scheduler.tick())[0]?.outcome).toBe('gave up');
    expect(dates).toHaveLength(2);
  });

  it('runs only the job asked for, and the every-tick work only on a full tick', async () => {
    const runs = memoryRuns();
    const now = new Date('2018-03-05T10:00:00Z');
    let followUps = 0;
    const a = countingJob('action-reminders', DAILY);
    const b = countingJob('actions-digest', MONDAYS);
    const scheduler = new Scheduler({
      runs: new RunLog(runs.repo, { clock: () => now }),
      logger: silentLogger,
      clock: () => now,
    })
      .everyTick('count', async () => void followUps++)
      .add(a.job)
      .add(b.job);
    expect((await scheduler.runDue('actions-digest')).map((r) => r.job)).toEqual(['actions-digest']);
    expect(a.dates).toEqual([]);
    expect(followUps).toBe(0);
    await scheduler.tick();
    expect(a.dates).toEqual(['2018-03-05']);
    expect(followUps).toBe(1);
  });

  it('refuses bad job names, duplicate jobs and times that are not HH:MM', () => {
    const scheduler = new Scheduler({ runs: new RunLog(memoryRuns().repo), logger: silentLogger });
    const job = countingJob('action-reminders', DAILY).job;
    expect(() => scheduler.add({ ...job, name: 'Action Reminders' })).toThrow(RangeError);
    scheduler.add(job);
    expect(() => scheduler.add(job)).toThrow(/already scheduled/);
    expect(() => scheduler.add({ ...job, name: 'late', schedule: { every: 'day', at: '25:00' } })).toThrow(
      RangeError,
    );
    expect(() =>
      scheduler.add({ ...job, name: 'odd', schedule: { every: 'week', on: 8 as never, at: '09:00' } }),
    ).toThrow(RangeError);
  });
});
