import {
  checkLandings,
  classify,
  MAX_TRIES,
  MIX,
  prepareWorkload,
  runWorkload,
  startFaultsBed,
  type Kind,
  type LandingClass,
} from '../../support/faults-workload.js';
import { round } from '../lib/stats.js';
import { info, judged, type Row, type Suite, type SuiteResult } from '../types.js';

/**
 * Issue 7's resilience figure: over a thousand mixed operations (actions logged, updated and
 * closed, cards opened, installations, consultation answers, attendance) while the local lists
 * service refuses 30% of Graph requests with 429 or 503 and Retry-After, and how many landed
 * exactly once. The workload and its checks are the integration test's
 * (test/support/faults-workload.ts): the bot, the lists service and the connector stand-in run in
 * this process on loopback, and the operations are posted to the bot over HTTP as Teams would.
 */

const RATE = 0.3;
const CONCURRENCY = 10;

export const resilience: Suite = {
  name: 'resilience',
  issue: 7,
  title: 'Resilience: mixed operations while 30% of Graph requests fail',
  description:
    'Over a thousand mixed operations (log, update, consultation answer, attendance …) posted to the bot while the lists service refuses 30% of Graph requests with 429 or 503 and Retry-After: how many landed exactly once, were lost or duplicated.',

  async run(ctx): Promise<SuiteResult> {
    const bed = await startFaultsBed();
    try {
      ctx.log('seeding actions, a consultation and a published pack (faults off)');
      const w = await prepareWorkload(bed, { scale: ctx.quick ? 0.2 : 1 });
      const total = w.ops.length;
      bed.lists.resetStats();
      ctx.log(`${total} operations, ${CONCURRENCY} at a time, ${RATE * 100}% of Graph requests refused`);
      const run = await runWorkload(bed, w, { rate: RATE, concurrency: CONCURRENCY, retryAfterSeconds: 0 });
      const graphRequests = bed.lists.stats().requests;
      ctx.log(`  done in ${round(run.ms / 1000, 1)} s; checking the lists`);
      const landings = await checkLandings(bed, w);

      const counts: Record<LandingClass, number> = {
        once: 0,
        lost: 0,
        duplicated: 0,
        wrong: 0,
        unconfirmed: 0,
      };
      const byKind: Partial<Record<Kind, Record<LandingClass, number>>> = {};
      for (const l of landings.perOp) {
        const c = classify(l);
        counts[c]++;
        const k = (byKind[l.op.kind] ??= { once: 0, lost: 0, duplicated: 0, wrong: 0, unconfirmed: 0 });
        k[c]++;
      }
      const examples = (c: LandingClass) =>
        landings.perOp
          .filter((l) => classify(l) === c)
          .slice(0, 5)
          .map((l) => `${l.op.kind} #${l.op.index} (landed ${l.landed}${l.problem ? `; ${l.problem}` : ''})`);
      const injected = run.injected[429] + run.injected[503];
      const mix = MIX.flatMap(([k]) => {
        const v = byKind[k];
        return v ? [`${k} ${Object.values(v).reduce((a, b) => a + b, 0)}`] : [];
      }).join(', ');
      const seconds = round(run.ms / 1000, 1);
      /** A row judged on none of class `c`, its first few as the note (after `lead`). */
      const none = (name: string, c: LandingClass, lead = '') =>
        judged(
          name,
          counts[c],
          'operations',
          '0',
          counts[c] === 0,
          counts[c] ? `${lead}${examples(c).join(', ')}` : undefined,
        );

      const rows: Row[] = [
        judged(
          'operations that landed exactly once',
          counts.once,
          'operations',
          `all ${total}`,
          counts.once === total,
          `${mix}; confirmed to the sender and in the lists once, as told`,
        ),
        none('operations lost', 'lost', 'confirmed but not in the lists: '),
        none('operations duplicated', 'duplicated'),
        none('operations landed other than as their sender was told', 'wrong'),
        info(
          `operations never confirmed after ${MAX_TRIES} tries`,
          counts.unconfirmed,
          'operations',
          'the sender was told each time that it failed, and nothing landed',
        ),
        info(
          'Graph requests refused by fault injection',
          injected,
          'requests',
          `${run.injected[429]} answered 429, ${run.injected[503]} answered 503, of ${graphRequests} Graph requests (${round((100 * injected) / Math.max(1, graphRequests), 1)}%, counting each request inside a $batch); the bot retried ${run.refusedAndRetried} of them itself`,
        ),
        info(
          'operations told "failed" and tried again',
          run.retriedOps,
          'operations',
          'the bot’s own retries (honouring Retry-After) absorbed the rest',
        ),
        info(
          'time for the workload',
          seconds,
          's',
          `${round(total / (run.ms / 1000), 1)} operations/s, ${CONCURRENCY} people at a time`,
        ),
      ];
      return {
        rows,
        notes: [
          `${total} operations${ctx.quick ? ' (a --quick run: a fifth of the full mix)' : ''}, shuffled with a fixed seed and driven ${CONCURRENCY} at a time. Each is what a person does in Teams (a message, a card button, the bot added to a team) posted to the bot over HTTP; when the bot says it failed, the person tries again, up to ${MAX_TRIES} times.`,
          `The lists service refuses ${RATE * 100}% of list and item requests, switching between 429 and 503 every 25 operations, each with Retry-After: 0 (so the run measures whether work is lost or doubled, not how long the bot waits; waiting on Retry-After is covered by unit tests).`,
          'Afterwards the lists are read back: one Actions item per logged action with the reference its sender was told, one dated Details line per note, due-date change and "done", one Feedback item per person keeping each answer once, one Attendance item per member with the substitute they were told, one Conversations item per installation. A card opened (a read) lands when its sender saw it.',
          'The bot, the lists service and the connector stand-in share this process, as in the integration test (test/integration/faults-graph.test.ts), which asserts the same with the full mix.',
        ],
        raw: {
          operations: total,
          byKind,
          counts,
          injected: run.injected,
          refusedAndRetried: run.refusedAndRetried,
          refusedStatuses: run.refusedStatuses,
          graphRequests,
          retriedOps: run.retriedOps,
          ms: Math.round(run.ms),
          problems: landings.problems,
        },
      };
    } finally {
      await bed.close();
    }
  },
};
