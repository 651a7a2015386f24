import { availableParallelism } from 'node:os';
import {
  logProblems,
  logProblemsRow,
  mixText,
  preflight,
  preflightNotes,
  runMixed,
  startBoard,
} from '../lib/board.js';
import { fileSize, readGcWindow } from '../lib/gc-log.js';
import { sleep } from '../lib/http.js';
import { waitForQuiet } from '../lib/machine.js';
import { residentMemory } from '../lib/processes.js';
import { mb, median, percentile, round } from '../lib/stats.js';
import { PEOPLE_COUNT } from '../lib/workload.js';
import { atMost, info, judged, type Row, type Suite, type SuiteResult } from '../types.js';

/**
 * Soak: the load suite's mixed workload at a steady rate well under the bot's capacity for ten
 * minutes (`--quick`: one), sampling the bot's resident memory every 10 s and reading the heap
 * still alive after each full GC from its `--trace-gc` log. Growth is judged from the end of the
 * first minute (the warm-up: code compiled, caches and pools filled) to the end.
 */

/**
 * Well under capacity: on 2 cores the bot answers about 100–120 mixed turns/s when nothing else
 * runs (one core; the mix averages about 8 ms of the bot's CPU a turn), so 50/s leaves it idle more
 * than half the time, as a board's bot would be.
 */
const RATE = 50;
const CONNECTIONS = 10;
const SAMPLE_SEC = 10;
const GROWTH_TARGET_PCT = 10;

interface Sample {
  /** Seconds since the load started. */
  t: number;
  rssMb: number;
  peakMb: number;
  /** Heap alive after each full GC logged since the previous sample, MB. */
  liveMb: number[];
  /** Turns answered so far. */
  turns: number;
}

interface Bucket {
  answered: number;
  ok: number;
  non2xx: number;
  latencyMs: number[];
}

const growthPct = (from: number, to: number) => round((100 * (to - from)) / from, 1);

/** The least-squares line through some points, when there are at least three at two times or more. */
function fit(points: readonly { t: number; mb: number }[]): { at(t: number): number } | undefined {
  if (points.length < 3) return undefined;
  const n = points.length;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const mm = points.reduce((a, p) => a + p.mb, 0) / n;
  const stt = points.reduce((a, p) => a + (p.t - mt) ** 2, 0);
  if (stt === 0) return undefined;
  const slope = points.reduce((a, p) => a + (p.t - mt) * (p.mb - mm), 0) / stt;
  return { at: (t) => mm + slope * (t - mt) };
}

export const soak: Suite = {
  name: 'soak',
  issue: 7,
  title: 'Soak: ten minutes of the mixed workload at a steady rate',
  description:
    `The load suite's mixed workload at ${RATE} turns/s for 10 minutes: the bot's memory from the end of the first ` +
    'minute to the end (heap alive after full GCs, and resident), failed turns, and latency minute by minute.',

  async run(ctx): Promise<SuiteResult> {
    const rows: Row[] = [];
    const notes: string[] = [];
    const durationSec = ctx.quick ? 60 : 600;
    /** Memory is compared from the end of this warm-up. */
    const warmSec = ctx.quick ? 20 : 60;
    /**
     * The full GCs in a window this wide stand for the heap at a point in time: centred on the end
     * of the warm-up, ending at the end of the run (one every 10 s or so at this rate).
     */
    const windowSec = ctx.quick ? 20 : 60;
    /** Latency is given per bucket: per minute, or per 15 s in a quick run. */
    const bucketSec = ctx.quick ? 15 : 60;
    const bucketWord = ctx.quick ? '15 s' : 'minute';
    const warmWords = ctx.quick ? `the first ${warmSec} s` : 'the first minute';

    const board = await startBoard(ctx, 'bot (soak)');
    const { stack, bot, botCommand } = board;
    const workload = board.workload('soak');
    const checks = await preflight(bot, stack, workload);
    const before = await waitForQuiet(ctx.log, { timeoutMs: ctx.quick ? 10_000 : 60_000, seconds: 3 });

    const logFrom = fileSize(bot.logFile);
    let gcOffset = logFrom;
    const samples: Sample[] = [];
    const buckets: Bucket[] = [];
    let answered = 0;
    const started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    const sample = () => {
      let mem = { rss: NaN, peak: NaN };
      try {
        mem = residentMemory(bot.child.pid);
      } catch {
        // the bot has gone; runMixed says so
      }
      const gc = readGcWindow(bot.logFile, gcOffset);
      gcOffset = gc.offset;
      const s: Sample = {
        t: round(elapsed()),
        rssMb: mb(mem.rss),
        peakMb: mb(mem.peak),
        liveMb: gc.liveAfterFullGcMb,
        turns: answered,
      };
      samples.push(s);
      if (s.t % 60 < SAMPLE_SEC || ctx.quick)
        ctx.log(
          `  ${s.t} s: ${s.turns} turns, resident ${s.rssMb} MB, heap alive after full GCs ${s.liveMb.join(', ') || '—'} MB`,
        );
    };
    sample();
    const timer = setInterval(sample, SAMPLE_SEC * 1000);
    let result;
    try {
      ctx.log(`${RATE} turns/s for ${durationSec} s over ${CONNECTIONS} connections`);
      result = await runMixed(
        ctx,
        stack,
        'bot, soak',
        { url: bot.url, child: bot.child },
        workload,
        { connections: CONNECTIONS, durationSec, overallRate: RATE },
        (_draw, status, ms) => {
          answered++;
          const i = Math.floor(elapsed() / bucketSec);
          const b = (buckets[i] ??= { answered: 0, ok: 0, non2xx: 0, latencyMs: [] });
          b.answered++;
          if (status >= 200 && status < 300) b.ok++;
          else b.non2xx++;
          b.latencyMs.push(ms);
        },
      );
    } finally {
      clearInterval(timer);
    }
    await sleep(1_000);
    sample();
    const logs = await logProblems(bot.logFile, logFrom);
    await bot.child.stop();

    // ── memory: the end of the warm-up against the end ──
    // A full GC read at sample time t happened in the SAMPLE_SEC before it: place it mid-way.
    const gcs = samples.flatMap((s) => s.liveMb.map((mb) => ({ t: Math.max(0, s.t - SAMPLE_SEC / 2), mb })));
    const endT = samples[samples.length - 1]!.t;
    const windowed = (from: number, to: number) => gcs.filter((g) => g.t > from && g.t <= to);
    const warmWindow = windowed(warmSec - windowSec / 2, warmSec + windowSec / 2);
    const endWindow = windowed(endT - windowSec, endT);
    const windowNote = (list: typeof gcs) =>
      list.length ? `${round(median(list.map((g) => g.mb)), 1)} MB (median of ${list.length})` : 'no full GC';
    // The heap alive after one full GC moves by a few MB with the turns in flight at that moment;
    // a least-squares line through every full GC from the warm-up on gives the trend.
    const after = gcs.filter((g) => g.t > warmSec - windowSec / 2);
    const line = fit(after);
    const heapWarm = line ? line.at(warmSec) : warmWindow.length ? median(warmWindow.map((g) => g.mb)) : NaN;
    const heapEnd = line ? line.at(endT) : endWindow.length ? median(endWindow.map((g) => g.mb)) : NaN;
    const nearestSample = (t: number) =>
      samples.reduce((a, b) => (Math.abs(b.t - t) < Math.abs(a.t - t) ? b : a));
    const rssWarm = nearestSample(warmSec);
    const rssEnd = samples[samples.length - 1]!;
    const perBucketHeap = buckets.map((_, i) => {
      const inside = windowed(i * bucketSec, (i + 1) * bucketSec);
      return inside.length ? round(median(inside.map((g) => g.mb)), 1) : NaN;
    });
    const growth = growthPct(heapWarm, heapEnd);
    const liveValues = gcs.map((g) => g.mb);
    const heapName = `heap alive after full GCs: growth from the end of ${warmWords} to the end`;
    const heapNote = !gcs.length
      ? 'no full GC was logged, so the heap could not be read'
      : `${line ? `line through the ${after.length} full GCs from ${round(warmSec - windowSec / 2)} s on` : `too few full GCs after the warm-up (${after.length}) for a trend, so not judged; medians around those times`}: ${round(heapWarm, 1)} MB at ${warmSec} s → ${round(heapEnd, 1)} MB at ${endT} s; ` +
        `around ${warmSec} s ${windowNote(warmWindow)}, last ${windowSec} s ${windowNote(endWindow)}; ` +
        `all ${gcs.length}: ${Math.min(...liveValues)}–${Math.max(...liveValues)} MB; median per ${bucketWord}: ${perBucketHeap.map((v) => (Number.isFinite(v) ? v : '—')).join(', ')} MB`;
    rows.push(
      line || !gcs.length
        ? judged(
            heapName,
            growth,
            '%',
            `≤ +${GROWTH_TARGET_PCT} %`,
            Number.isFinite(growth) && growth <= GROWTH_TARGET_PCT,
            heapNote,
          )
        : info(heapName, growth, '%', heapNote),
    );
    rows.push(
      info(
        `resident memory growth from the end of ${warmWords} to the end`,
        growthPct(rssWarm.rssMb, rssEnd.rssMb),
        '%',
        `context: ${rssWarm.rssMb} MB at ${rssWarm.t} s → ${rssEnd.rssMb} MB at ${rssEnd.t} s; peak ${rssEnd.peakMb} MB`,
      ),
      info(
        `heap alive after full GCs at the end of ${warmWords}`,
        round(heapWarm, 1),
        'MB',
        line ? 'on the line' : 'median',
      ),
      info('heap alive after full GCs at the end', round(heapEnd, 1), 'MB', line ? 'on the line' : 'median'),
      info(`bot resident memory at the end of ${warmWords}`, rssWarm.rssMb, 'MB'),
      info('bot resident memory at the end', rssEnd.rssMb, 'MB'),
    );

    // ── turns ──
    const r = result;
    const p99s = buckets.map((b) => round(percentile(b.latencyMs, 99), 1));
    const worst = Math.max(...p99s.filter(Number.isFinite));
    rows.push(
      info(
        'turns answered',
        r.ok,
        'turns',
        `${r.perSecond} turns/s of the ${RATE}/s asked, over ${r.durationSec} s and ${CONNECTIONS} connections`,
      ),
      atMost('non-2xx answers', r.non2xx, 'answers', 0, {
        inclusive: true,
        note: `connection errors ${r.errors}, timeouts ${r.timeouts}; per ${bucketWord}: ${buckets.map((b) => b.non2xx).join(', ')}`,
      }),
      atMost(
        'message turns answered without a reply at the connector',
        Math.max(0, r.messageTurnsOk - r.replies.sends),
        'turns',
        0,
        {
          inclusive: true,
          note: `${r.messageTurnsOk} message turns answered 2xx, ${r.replies.sends} replies received`,
        },
      ),
      info('latency p50', r.latencyMs.p50, 'ms', `p90 ${r.latencyMs.p90} ms, over the whole run`),
      info('latency p99', r.latencyMs.p99, 'ms', `max ${r.latencyMs.max} ms`),
      info(
        `latency p99, worst ${bucketWord}`,
        worst,
        'ms',
        `per ${bucketWord}: ${p99s.join(', ')} ms (the last ${bucketWord} may be short)`,
      ),
      info(
        'Graph requests per turn',
        round(r.graph.requests / Math.max(1, r.completed), 2),
        'requests',
        `${r.graph.requests} served by the lists service`,
      ),
      info(
        'bot: CPU',
        r.cpu.bot ?? NaN,
        'cores',
        `lists service ${r.cpu.lists}, connector ${r.cpu.connector}, load generator ${r.cpu['load generator']}, other processes ${r.cpu['other processes']}`,
      ),
    );
    rows.push(logProblemsRow(logs));

    notes.push(...preflightNotes(checks, 'the soak'));
    if (!before.quiet || (r.cpu['other processes'] ?? 0) > 0.2)
      notes.push(
        `**Other work shared the machine during this run** (${before.busyCores} cores busy before it began; other processes used ${r.cpu['other processes']} cores on average during it), so latency is pessimistic; memory is not affected.`,
      );
    notes.push(
      `The same workload, people, seeded lists and bot command as the load suite (\`${botCommand}\`: \`npm start\` with \`--trace-gc\`, LOG_LEVEL=info): ${mixText()}, from ${PEOPLE_COUNT} personal conversations. autocannon's \`overallRate\` holds ${RATE} turns/s over ${CONNECTIONS} connections (each connection sends its share at the start of each second, so turns come in small bursts).`,
      `Growth is judged on the heap still alive after full (mark-compact) collections, read from the bot's --trace-gc lines: that is what a leak raises. Resident memory also holds garbage not yet collected and heap V8 keeps for later, so its change is given for context. "At the end of ${warmWords}" and "at the end" are read off a least-squares line through the heap alive after every full GC from ${warmSec - windowSec / 2} s on: one full GC's figure moves by a few MB with the turns in flight when it runs, and the line gives the trend (with fewer than three, the medians of the full GCs around those times are used); resident memory is sampled every ${SAMPLE_SEC} s. The first ${warmWords.replace('the first ', '')} is the warm-up: code is compiled and optimised, connection pools open and every conversation becomes known; the bot's bounded memory of recent activity ids (5,000, well under 1 MB) fills within about two minutes at this rate.`,
      `Latency is timed in the load generator from building a request to its answer, per ${bucketWord}. The processes share this machine's ${availableParallelism()} cores.`,
    );
    return {
      rows,
      notes,
      raw: {
        rate: RATE,
        durationSec,
        samples,
        buckets: buckets.map((b) => ({
          answered: b.answered,
          ok: b.ok,
          non2xx: b.non2xx,
          p50: round(percentile(b.latencyMs, 50), 1),
          p99: round(percentile(b.latencyMs, 99), 1),
        })),
        kinds: r.kinds,
        variants: r.variants,
        botLog: logs.byMessage,
        workload: workload.progress(),
        preflight: checks,
      },
    };
  },
};
