import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkLandings,
  prepareWorkload,
  REFUSED_AND_RETRIED,
  runWorkload,
  startFaultsBed,
  type FaultsBed,
  type Landings,
  type Workload,
} from '../support/faults-workload.js';

/**
 * Faults, nothing lost: over a thousand mixed operations (actions logged from chat, notes, due
 * dates and "done" from card buttons and typed commands, cards opened, the bot installed in new
 * conversations, consultation answers, attendance) run ten at a time while 30% of Graph requests
 * fail with 429 or 503 and `Retry-After: 0`. Each operation is driven as a person would: when the
 * bot says it failed, the person tries again (a new message, the same button); the bot must never
 * say it succeeded when it did not. At the end every operation has landed exactly once: one item
 * per logged action, with its own reference; one dated line in Details per note or due-date
 * change; one "marked it done" per closed action; one Conversations item per installation; one
 * Feedback item per person, keeping each answer once; one Attendance item per member.
 *
 * The workload and the checks live in test/support/faults-workload.ts, shared with the bench
 * (`npm run bench -- --only resilience`).
 */

let bed: FaultsBed;

beforeAll(async () => {
  bed = await startFaultsBed();
});

afterAll(async () => {
  await bed?.close();
});

describe('faults: 30% of Graph requests refused (429 and 503, Retry-After: 0)', () => {
  let w: Workload;
  let landings: Landings;

  beforeAll(async () => {
    w = await prepareWorkload(bed);
    const run = await runWorkload(bed, w);
    console.info(
      `faults: ${w.ops.length} operations, ${run.retriedOps} told "failed" at least once and tried again, ` +
        `${run.refusedAndRetried} Graph requests refused and retried ` +
        `(${run.injected[429]} answered 429 and ${run.injected[503]} answered 503 by the lists service)`,
    );
    landings = await checkLandings(bed, w);
  }, 180_000);

  it(`ran over a thousand operations while Graph refused requests with both 429 and 503`, () => {
    expect(w.ops.length).toBeGreaterThan(1_000);
    const refused = bed.logs.entries.filter((e) => e.msg === REFUSED_AND_RETRIED);
    const statuses = new Set(refused.map((e) => e.status));
    expect(statuses).toEqual(new Set([429, 503]));
    // 30% of several thousand requests.
    expect(refused.length).toBeGreaterThan(w.ops.length / 2);
  });

  it('every operation was confirmed to its sender in the end', () => {
    expect(landings.problems.unconfirmed).toEqual([]);
  });

  it('every action logged is one item with its own reference, the one its sender was told', () => {
    expect(landings.problems.actions).toEqual([]);
  });

  it('every note, due date and "done" is one dated line in Details, on the right action', () => {
    expect(landings.problems.details).toEqual([]);
  });

  it('every answer to the consultation is kept once: the latest, or in its history', () => {
    expect(w.consulting).toBe(true);
    expect(landings.problems.answers).toEqual([]);
  });

  it('every attendance answer is one Attendance item, with the substitute its sender was told', () => {
    expect(w.packs).toBe(true);
    expect(landings.problems.attendance).toEqual([]);
  });

  it('every installation is one Conversations item', () => {
    expect(landings.problems.installs).toEqual([]);
  });

  it('and counted operation by operation: each landed exactly once', () => {
    const off = landings.perOp
      .filter((l) => l.landed !== 1 || l.problem || !l.confirmed)
      .map((l) => `${l.op.kind} #${l.op.index}: landed ${l.landed}${l.problem ? `, ${l.problem}` : ''}`);
    expect(off).toEqual([]);
  });
});
