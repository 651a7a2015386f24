import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, symlink, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROLE_ENV } from '../../support/activities.js';
import { baseEnv, botEnv } from '../lib/env.js';
import { fileSize, readGcWindow } from '../lib/gc-log.js';
import { freePort, sleep, waitFor200 } from '../lib/http.js';
import { runTurns, type LoadResult } from '../lib/load.js';
import { quietWaits, type Quiet } from '../lib/machine.js';
import { commandLine, npmStartArgs } from '../lib/start-command.js';
import { cpuSeconds, processTree, residentMemory, type Child } from '../lib/processes.js';
import {
  connectorCounts,
  startEchoBot,
  startServices,
  type ConnectorCounts,
  type Services,
} from '../lib/stack.js';
import { mb, median, round } from '../lib/stats.js';
import {
  atLeast,
  atMost,
  info,
  judged,
  type BenchContext,
  type Row,
  type Suite,
  type SuiteResult,
} from '../types.js';

/**
 * The foundation: how fast the bot starts, how much memory it holds, and how many `help` turns it
 * answers next to a bare botbuilder echo bot. Every process (bot, echo bot, connector stand-in,
 * lists service) is a child of the runner, on loopback.
 */

const STARTUP_TARGET_MS = 1500;
const MEMORY_TARGET_MB = 150;
const THROUGHPUT_TARGET_PCT = 70;
/** The second block of turns may add at most this much to the heap alive after full GCs. */
const GROWTH_TOLERANCE_PCT = 10;

const CONNECTIONS = 50;
const CONVERSATIONS = 50;

interface StartSample {
  listeningMs: number;
  healthyMs: number;
  /** The spawned process's VmRSS at its first healthy answer. */
  rssMb: number;
  /** The same with all its descendants (a wrapper's child, tsx's esbuild service). */
  treeRssMb: number;
  /**
   * CPU time (user + system, all threads, the process and its descendants) spent by the first
   * healthy answer: far less sensitive than wall time to other work on the machine.
   */
  cpuMs: number;
  /** Cores' worth of CPU other processes were using just before this start. */
  busyCoresBefore?: number;
}

/** Spawn the bot, time it to its first 200 on /healthz, and keep it running. */
async function startBotTimed(
  ctx: BenchContext,
  services: Services,
  args: string[],
  label: string,
  logLevel = 'info',
): Promise<{ child: Child; url: string; logFile: string; sample: StartSample }> {
  const port = await freePort();
  const logFile = join(ctx.scratch, `${label.replace(/\W+/g, '-')}.log`);
  const env = botEnv(ctx, port, services.lists.graphBaseUrl, { LOG_LEVEL: logLevel, ...ROLE_ENV });
  const t0 = performance.now();
  const child = ctx.processes.spawn(label, args, { cwd: ctx.root, env, logFile });
  const url = `http://127.0.0.1:${port}`;
  try {
    const ready = await waitFor200(`${url}/healthz`, t0, {
      timeoutMs: 30_000,
      gaveUp: () =>
        child.process.exitCode !== null
          ? `the bot exited with ${child.process.exitCode} (log: ${logFile})`
          : undefined,
    });
    const tree = processTree(child.pid);
    let cpu = 0;
    for (const member of tree) {
      try {
        cpu += cpuSeconds(member.pid);
      } catch {
        // ended meanwhile
      }
    }
    const rssMb = mb(residentMemory(child.pid).rss);
    const treeRssMb = mb(tree.reduce((a, c) => a + c.rss, 0));
    return {
      child,
      url,
      logFile,
      sample: {
        listeningMs: round(ready.listeningMs),
        healthyMs: round(ready.healthyMs),
        rssMb,
        treeRssMb,
        cpuMs: round(cpu * 1000),
      },
    };
  } catch (err) {
    await child.stop();
    let tail = '';
    try {
      tail = (await readFile(logFile, 'utf8')).slice(-3_000);
    } catch {
      // no log
    }
    throw new Error(`${label}: ${(err as Error).message}\n--- end of its log ---\n${tail}`);
  }
}

function runsNote(samples: StartSample[]): string {
  // The port opens only once everything is loaded, so "listening" is worth a mention only if it differs.
  const listening = round(median(samples.map((s) => s.listeningMs)));
  const healthy = round(median(samples.map((s) => s.healthyMs)));
  return (
    (healthy - listening > 20 ? `port open after ${listening} ms (median); ` : '') +
    `runs: ${samples.map((s) => s.healthyMs).join(', ')} ms; ` +
    `CPU time spent by then (median): ${round(median(samples.map((s) => s.cpuMs)))} ms`
  );
}

async function measureStartup(
  ctx: BenchContext,
  services: Services,
  args: string[],
  label: string,
  runs: number,
  settle: (phase: string) => Promise<Quiet>,
): Promise<StartSample[]> {
  // One run first, not counted: it fills the OS file cache and tsx's transform cache, as any
  // second start on a developer's machine would find them.
  const warm = await startBotTimed(ctx, services, args, `${label} warm-up`);
  await warm.child.stop();
  const samples: StartSample[] = [];
  let failures = 0;
  for (let i = 0; i < runs; i++) {
    let started: Awaited<ReturnType<typeof startBotTimed>>;
    const before = await settle(`${label} #${i + 1}`);
    try {
      started = await startBotTimed(ctx, services, args, `${label} ${i + 1}`);
    } catch (err) {
      // A port taken between choosing and binding it, or a file half-saved by someone editing the
      // tree: try again, a bounded number of times.
      if (++failures > 2) throw err;
      ctx.log(`  ${label} #${i + 1} failed to start; retrying\n${(err as Error).message}`);
      i--;
      continue;
    }
    samples.push({ ...started.sample, busyCoresBefore: before.busyCores });
    await started.child.stop();
    ctx.log(
      `  ${label} #${i + 1}: healthy after ${started.sample.healthyMs} ms, ${started.sample.cpuMs} ms CPU` +
        (before.quiet ? '' : ` (other processes were using ${before.busyCores} cores)`),
    );
  }
  return samples;
}

/** Resident memory as V8's memory reducer returns idle heap: readings every 5 s over `seconds`. */
async function settledRss(pid: number, seconds: number): Promise<{ mb: number; readings: number[] }> {
  const readings: number[] = [];
  for (let waited = 0; waited < seconds; waited += 5) {
    await sleep(5_000);
    readings.push(mb(residentMemory(pid).rss));
  }
  return { mb: readings[readings.length - 1] ?? NaN, readings };
}

/** The whole project compiled by tsc into the scratch directory: the import-cost child and the echo bot. */
async function compile(ctx: BenchContext): Promise<string | undefined> {
  const out = join(ctx.scratch, 'build');
  const tsc = join(ctx.root, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    await promisify(execFile)(
      process.execPath,
      [tsc, '-p', 'tsconfig.json', '--noEmit', 'false', '--outDir', out],
      {
        cwd: ctx.root,
        timeout: 240_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
  } catch (err) {
    // Type errors elsewhere in the tree still emit JavaScript; only a missing entry point counts.
    ctx.log(`  tsc reported problems (${(err as Error).message.split('\n')[0]}); using what it emitted`);
  }
  if (!existsSync(join(out, 'bot', 'index.js'))) return undefined;
  await writeFile(join(out, 'package.json'), JSON.stringify({ type: 'module' }));
  await symlink(join(ctx.root, 'node_modules'), join(out, 'node_modules'), 'dir');
  return out;
}

interface ImportCost {
  /** ms per step */
  steps: Record<string, number>;
  /** MB of resident memory each step added */
  memory: Record<string, number>;
}

async function importCost(ctx: BenchContext, args: string[], label: string): Promise<ImportCost> {
  const { child, ready } = await ctx.processes.spawnReady<{ url: string } & ImportCost>(label, args, {
    cwd: ctx.root,
    env: baseEnv(),
  });
  await child.exited;
  const rounded = (o: Record<string, number>, digits: number) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round(v, digits)]));
  return { steps: rounded(ready.steps, 0), memory: rounded(ready.memory ?? {}, 1) };
}

/** A load run with the connector's counters around it: did every answered turn send its reply? */
type TurnsResult = LoadResult & { replies: ConnectorCounts };

async function turns(
  ctx: BenchContext,
  services: Services,
  label: string,
  target: { url: string; child: Child },
  load: { durationSec?: number; amount?: number },
  tag: string,
): Promise<TurnsResult> {
  const needed = [target.child, services.connector.child, services.lists.child];
  ctx.processes.assertRunning(...needed);
  await connectorCounts(services.connector.serviceUrl, true);
  const result = await runTurns(label, {
    url: target.url,
    serviceUrl: services.connector.serviceUrl,
    text: 'help',
    connections: CONNECTIONS,
    conversations: CONVERSATIONS,
    tag,
    ...load,
    watch: {
      bot: target.child.pid,
      connector: services.connector.child.pid,
      lists: services.lists.child.pid,
    },
  });
  ctx.processes.assertRunning(...needed);
  await sleep(300);
  const replies = await connectorCounts(services.connector.serviceUrl);
  ctx.log(
    `  ${label}: ${result.ok} turns in ${result.durationSec} s = ${result.perSecond}/s, ` +
      `p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, errors ${result.errors + result.non2xx}, ` +
      `cpu ${JSON.stringify(result.cpu)}, connections to the connector ${replies.connections}`,
  );
  return { ...result, replies };
}

/** Resident memory of a process, and of its descendants (e.g. the esbuild service tsx starts). */
function rssWithChildren(pid: number): { own: number; children: number; childNames: string[] } {
  const [self, ...rest] = processTree(pid);
  return {
    own: mb(self?.rss ?? NaN),
    children: mb(rest.reduce((a, c) => a + c.rss, 0)),
    childNames: [...new Set(rest.map((c) => c.name))],
  };
}

/**
 * "No growth" is judged on the heap still alive after full collections (median per block), which
 * is what a leak would raise; resident memory rises and falls with the garbage V8 has yet to
 * collect, so its change is shown beside it. Without full GCs in both blocks (a --quick run),
 * resident memory is judged instead.
 */
function growthRows(
  first: { rssMb: number; peakMb: number; liveHeapMb: number[] },
  second: { rssMb: number; peakMb: number; liveHeapMb: number[] },
  turnsLabel: string,
): Row[] {
  const rssGrowth = round(second.rssMb - first.rssMb, 1);
  const rssRow = (judge: boolean): Row => {
    const allowed = round((first.rssMb * GROWTH_TOLERANCE_PCT) / 100, 1);
    const note = `peak ${first.peakMb} MB after the first block, ${second.peakMb} MB after the second`;
    return judge
      ? judged(
          `resident memory growth over the second ${turnsLabel} turns`,
          rssGrowth,
          'MB',
          `≤ +${GROWTH_TOLERANCE_PCT} % (${allowed} MB)`,
          rssGrowth <= allowed,
          note,
        )
      : info(`resident memory growth over the second ${turnsLabel} turns`, rssGrowth, 'MB', note);
  };
  if (!first.liveHeapMb.length || !second.liveHeapMb.length) return [rssRow(true)];
  const a = median(first.liveHeapMb);
  const b = median(second.liveHeapMb);
  const allowed = round((a * GROWTH_TOLERANCE_PCT) / 100, 1);
  return [
    judged(
      `heap alive after full GCs: growth over the second ${turnsLabel} turns`,
      round(b - a, 1),
      'MB',
      `≤ +${GROWTH_TOLERANCE_PCT} % (${allowed} MB)`,
      b - a <= allowed,
      `median ${round(a, 1)} MB → ${round(b, 1)} MB; full GCs: ${first.liveHeapMb.join(', ')} | ${second.liveHeapMb.join(', ')} MB (--trace-gc)`,
    ),
    rssRow(false),
  ];
}

export const foundation: Suite = {
  name: 'foundation',
  issue: 2,
  title: 'Foundation: start-up, memory, help-turn throughput',
  description:
    'Start-up to a healthy /healthz, resident memory over 20,000 help turns, and help turns per second at ' +
    `${CONNECTIONS} concurrent conversations next to a bare botbuilder echo bot.`,

  async run(ctx): Promise<SuiteResult> {
    const rows: Row[] = [];
    const notes: string[] = [];
    const raw: Record<string, unknown> = {};
    const runs = ctx.quick ? 3 : 5;
    const memoryTurns = ctx.quick ? 2_000 : 10_000;
    const durationSec = ctx.quick ? 4 : 12;
    const quiet: Record<string, Quiet> = {};
    raw.quiet = quiet;
    // Other work on a shared machine skews timings: wait for a quiet moment before each measured
    // step, within one time budget for the whole suite so that a busy machine cannot stall it.
    const waitQuiet = quietWaits(ctx.log, ctx.quick ? 20_000 : 8 * 60_000);
    const settle = async (phase: string) => {
      quiet[phase] = await waitQuiet({ timeoutMs: 180_000, seconds: 3 });
    };
    const settleSample = (_phase: string) => waitQuiet({ timeoutMs: 30_000, seconds: 2 });

    ctx.log('starting the connector stand-in and the lists service');
    const services = await startServices(ctx);

    // 1. Start-up, with the lists service already up: `npm start` (the compiled build), then the
    // TypeScript run by tsx as `npm run dev` does, for comparison.
    ctx.log('npm run build');
    const startArgs = await npmStartArgs(ctx);
    const startCommand = commandLine(startArgs);
    ctx.log(`start-up: npm start (${startCommand})`);
    const compiledStarts = await measureStartup(
      ctx,
      services,
      startArgs,
      'bot (npm start)',
      runs,
      settleSample,
    );
    raw.startupNpmStart = compiledStarts;
    rows.push(
      atMost(
        `start-up to /healthz 200, \`npm start\` (median of ${runs})`,
        round(median(compiledStarts.map((s) => s.healthyMs))),
        'ms',
        STARTUP_TARGET_MS,
        { note: `\`${startCommand}\`, built by \`npm run build\`; ${runsNote(compiledStarts)}` },
      ),
    );

    ctx.log('start-up: node --import tsx bot/index.ts (as npm run dev runs it)');
    const tsxArgs = ['--import', 'tsx', 'bot/index.ts'];
    const tsxStarts = await measureStartup(ctx, services, tsxArgs, 'bot (tsx)', runs, settleSample);
    raw.startupTsx = tsxStarts;
    rows.push(
      info(
        `start-up to /healthz 200, TypeScript through tsx (median of ${runs})`,
        round(median(tsxStarts.map((s) => s.healthyMs))),
        'ms',
        `\`node --import tsx bot/index.ts\`, the development form (\`npm run dev\`); ${runsNote(tsxStarts)}`,
      ),
    );

    ctx.log('start-up breakdown (tsx)');
    const tsxCost = await importCost(
      ctx,
      ['--import', 'tsx', 'test/bench/children/import-cost.ts'],
      'import cost (tsx)',
    );
    raw.importCostTsx = tsxCost;

    ctx.log('compiling the whole project with tsc (import cost, echo bot)');
    const build = await compile(ctx);
    if (build) {
      raw.importCostCompiled = await importCost(
        ctx,
        [join(build, 'test', 'bench', 'children', 'import-cost.js')],
        'import cost (compiled)',
      );
    } else {
      notes.push('The compiled import cost was not measured: tsc emitted no bot/index.js.');
    }
    const compiledCost = raw.importCostCompiled as ImportCost | undefined;
    // The breakdown is of the compiled build (what `npm start` runs), with tsx's figures beside it.
    const breakdown = compiledCost ?? { steps: {}, memory: {} };
    for (const [step, ms] of Object.entries(breakdown.steps)) {
      if (step === 'total') continue;
      const addedMb = breakdown.memory[step];
      const parts = [
        ...(addedMb === undefined
          ? []
          : [`${step === 'runtime until the first line of a script' ? '' : '+'}${addedMb} MB resident`]),
        ...(tsxCost.steps[step] === undefined ? [] : [`through tsx: ${tsxCost.steps[step]} ms`]),
      ];
      rows.push(info(`start-up breakdown: ${step}`, ms, 'ms', parts.join(', ') || undefined));
    }

    // 2. Memory over 2 × 10,000 help turns, one `npm start` process (with V8's GC trace in its log).
    // Resident memory is read just after each block and again once the process has been idle for
    // `settleSec`, by which time V8's memory reducer has handed back the heap the burst grew.
    ctx.log('memory: one bot process, idle, then two blocks of help turns');
    const settleSec = ctx.quick ? 20 : 45;
    await settle('memory');
    const bot = await startBotTimed(ctx, services, ['--trace-gc', ...startArgs], 'bot (load)');
    await sleep(1_000);
    const idleAtStart = rssWithChildren(bot.child.pid).own;
    const idle = await settledRss(bot.child.pid, settleSec);
    ctx.log(`  idle: ${idleAtStart} MB 1 s after start, ${idle.mb} MB after ${settleSec} s more`);
    let gcOffset = fileSize(bot.logFile);
    type Block = TurnsResult & {
      rssMb: number;
      justAfterMb: number;
      readings: number[];
      peakMb: number;
      liveHeapMb: number[];
    };
    const blocks: Block[] = [];
    for (let b = 1; b <= 2; b++) {
      const r = await turns(
        ctx,
        services,
        `bot, help turns block ${b}`,
        { url: bot.url, child: bot.child },
        { amount: memoryTurns },
        `mem${b}`,
      );
      await sleep(2_000);
      const justAfterMb = mb(residentMemory(bot.child.pid).rss);
      const settled = await settledRss(bot.child.pid, settleSec);
      const gc = readGcWindow(bot.logFile, gcOffset);
      gcOffset = gc.offset;
      blocks.push({
        ...r,
        rssMb: settled.mb,
        justAfterMb,
        readings: settled.readings,
        peakMb: mb(residentMemory(bot.child.pid).peak),
        liveHeapMb: gc.liveAfterFullGcMb,
      });
      ctx.log(
        `  resident after block ${b}: ${justAfterMb} MB at 2 s, then ${settled.readings.join(', ')} MB every 5 s; ` +
          `heap alive after each full GC: ${gc.liveAfterFullGcMb.join(', ')} MB`,
      );
    }
    raw.memory = { idleAtStart, idle, settleSec, blocks };
    const [first, second] = blocks as [Block, Block];
    const turnsLabel = memoryTurns.toLocaleString('en-GB');
    const lastLive = (b: Block) =>
      b.liveHeapMb.length ? `${b.liveHeapMb[b.liveHeapMb.length - 1]} MB` : 'no full GC in this block';
    // Judged on the reading 2 s after the burst: V8's memory reducer may or may not have handed the
    // heap back by the end of the idle wait (it fires on its own heuristics), so that is context.
    const afterRow = (b: Block, count: number) =>
      atMost(
        `bot resident memory after ${count.toLocaleString('en-GB')} help turns`,
        b.justAfterMb,
        'MB',
        MEMORY_TARGET_MB,
        {
          note:
            `2 s after the last turn; peak ${b.peakMb} MB during the burst; heap alive after the last full GC: ${lastLive(b)}; ` +
            `then, idle, every 5 s: ${b.readings.join(', ')} MB`,
        },
      );
    rows.push(
      atMost('bot resident memory, idle after start', idle.mb, 'MB', MEMORY_TARGET_MB, {
        note: `VmRSS of \`npm start\`'s process ${settleSec} s after it first answered /healthz; ${idleAtStart} MB 1 s after`,
      }),
      info(
        'bot resident memory at start, median of the start-up runs',
        median(compiledStarts.map((s) => s.rssMb)),
        'MB',
        'VmRSS at the first healthy answer',
      ),
      info(
        'bot resident memory at start, TypeScript through tsx',
        median(tsxStarts.map((s) => s.treeRssMb)),
        'MB',
        'with the esbuild service tsx starts; the development form only',
      ),
      afterRow(first, memoryTurns),
      afterRow(second, 2 * memoryTurns),
      info(
        `bot resident memory ${settleSec} s after ${turnsLabel} help turns, idle`,
        first.rssMb,
        'MB',
        `after ${(2 * memoryTurns).toLocaleString('en-GB')}: ${second.rssMb} MB; lower only if V8's memory reducer has run by then`,
      ),
      ...growthRows(first, second, turnsLabel),
    );
    const problems = blocks.filter((b) => b.errors + b.non2xx + b.timeouts > 0);
    if (problems.length)
      notes.push(
        `Memory blocks had failed requests: ${problems.map((b) => `${b.label}: ${b.errors} errors, ${b.non2xx} non-2xx, ${b.timeouts} timeouts`).join('; ')}.`,
      );

    // 3. Throughput next to the echo bot, each warmed up, alternating to spread machine noise.
    ctx.log('throughput: echo bot');
    const echo = await startEchoBot(ctx, build ? [join(build, 'test', 'bench', 'echo-bot.js')] : undefined);
    const echoTarget = { url: echo.url, child: echo.child };
    const botTarget = { url: bot.url, child: bot.child };
    await turns(ctx, services, 'echo bot warm-up', echoTarget, { amount: memoryTurns / 2 }, 'echo-warm');
    const rounds = ctx.quick ? 1 : 3;
    const botRuns: TurnsResult[] = [];
    const echoRuns: TurnsResult[] = [];
    for (let i = 1; i <= rounds; i++) {
      await settle(`throughput round ${i}`);
      botRuns.push(await turns(ctx, services, `bot, round ${i}`, botTarget, { durationSec }, `tp${i}`));
      echoRuns.push(
        await turns(ctx, services, `echo bot, round ${i}`, echoTarget, { durationSec }, `echo${i}`),
      );
    }
    const echoRss = mb(residentMemory(echo.child.pid).rss);
    raw.throughput = { bot: botRuns, echo: echoRuns, echoRssMbAfter: echoRss };
    await echo.child.stop();
    await bot.child.stop();

    const best = (list: TurnsResult[]) => list.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
    const b = best(botRuns);
    const e = best(echoRuns);
    const pct = round((100 * b.perSecond) / e.perSecond, 1);
    const cpuNote = (r: TurnsResult) =>
      `connector ${r.cpu.connector}, load generator ${r.cpu['load generator']}, other processes ${r.cpu['other processes']}`;
    rows.push(
      atLeast(
        'help turns/s as a share of the echo bot’s turns/s',
        pct,
        '%',
        THROUGHPUT_TARGET_PCT,
        `${b.perSecond} vs ${e.perSecond} turns/s`,
      ),
      info(
        'help turns per CPU-second as a share of the echo bot’s',
        round((100 * (b.perSecond / (b.cpu.bot ?? NaN))) / (e.perSecond / (e.cpu.bot ?? NaN)), 1),
        '%',
        'the same comparison per unit of the process’s own CPU: steadier when other work shares the machine',
      ),
      info(
        `bot: help turns/s at ${CONNECTIONS} concurrent conversations`,
        b.perSecond,
        'turns/s',
        `best of ${rounds} × ${durationSec} s; all: ${botRuns.map((r) => r.perSecond).join(', ')}`,
      ),
      info('bot: latency p50', b.latencyMs.p50, 'ms'),
      info('bot: latency p99', b.latencyMs.p99, 'ms'),
      info(
        `echo bot: turns/s at ${CONNECTIONS} concurrent conversations`,
        e.perSecond,
        'turns/s',
        `best of ${rounds} × ${durationSec} s; all: ${echoRuns.map((r) => r.perSecond).join(', ')}`,
      ),
      info('echo bot: latency p50', e.latencyMs.p50, 'ms'),
      info('echo bot: latency p99', e.latencyMs.p99, 'ms'),
      info('bot: CPU while under load', b.cpu.bot ?? NaN, 'cores', cpuNote(b)),
      info('echo bot: CPU while under load', e.cpu.bot ?? NaN, 'cores', cpuNote(e)),
      info('bot: help turns per CPU-second of its process', round(b.perSecond / (b.cpu.bot ?? NaN)), 'turns'),
      info('echo bot: turns per CPU-second of its process', round(e.perSecond / (e.cpu.bot ?? NaN)), 'turns'),
      info(
        'echo bot: resident memory after its runs',
        echoRss,
        'MB',
        build ? 'compiled, like the bot' : 'through tsx: the compile failed',
      ),
    );
    const allBot = [...blocks, ...botRuns];
    const answered = allBot.reduce((s, r) => s + r.ok, 0);
    const sends = allBot.reduce((s, r) => s + r.replies.sends, 0);
    const withCard = allBot.reduce((s, r) => s + r.replies.cards, 0);
    rows.push(
      judged(
        'bot replies that reached the connector carrying the help card',
        round((100 * withCard) / Math.max(1, sends), 2),
        '%',
        '100 %, one per answered turn',
        withCard === sends && sends >= answered,
        `${answered} turns answered 2xx, ${sends} replies sent, ${withCard} with the card`,
      ),
    );
    const failed = [...botRuns, ...echoRuns].filter((r) => r.errors + r.non2xx + r.timeouts > 0);
    if (failed.length)
      notes.push(
        `Throughput runs had failed requests: ${failed.map((r) => `${r.label}: ${r.errors} errors, ${r.non2xx} non-2xx, ${r.timeouts} timeouts`).join('; ')}.`,
      );

    const busy = Object.entries(quiet).filter(([, q]) => !q.quiet);
    const disturbed = [...botRuns, ...echoRuns].filter((r) => (r.cpu['other processes'] ?? 0) > 0.2);
    const allStarts = [...compiledStarts, ...tsxStarts];
    const busyStarts = allStarts.filter((x) => (x.busyCoresBefore ?? 0) > 0.3);
    if (busyStarts.length)
      busy.push([
        `${busyStarts.length} of ${allStarts.length} start-up runs (${busyStarts.map((x) => `${x.healthyMs} ms`).join(', ')})`,
        {
          quiet: false,
          waitedSec: 0,
          busyCores: round(Math.max(...busyStarts.map((x) => x.busyCoresBefore ?? 0)), 2),
        },
      ]);
    if (busy.length || disturbed.length)
      notes.push(
        '**Other work shared the machine during this run**, so the figures concerned are pessimistic: ' +
          [
            ...busy.map(
              ([phase, q]) =>
                `${phase} began with up to ${q.busyCores} cores busy` +
                (q.waitedSec ? ` after ${q.waitedSec} s of waiting` : ''),
            ),
            ...disturbed.map((r) => `${r.label}: other processes used ${r.cpu['other processes']} cores`),
          ].join('; ') +
          '.',
      );
    notes.push(
      `Each request is a new Teams-shaped personal-chat \`message\` activity (\`help\`), posted by autocannon over ${CONNECTIONS} keep-alive connections and spread round-robin over ${CONVERSATIONS} conversation ids; the HTTP answer comes after the reply has been POSTed to the connector stand-in, so a turn's latency includes that round trip.`,
      `The bot, the echo bot, the connector stand-in and the lists service each run as a child process; autocannon runs in the runner. They share this machine's ${availableParallelism()} cores, so absolute rates are a ceiling set by the machine: compare the ratio and the CPU figures. Before each phase the suite waits (bounded) for the machine to be nearly idle, and it reports CPU used by other processes during each load run.`,
      'The echo bot is a botbuilder `ActivityHandler` behind `CloudAdapter` and restify (the same HTTP stack and body parser as the bot), replying with one text message; the bot replies with the help Adaptive Card.',
      "Start-up is timed from just before spawn to the first 200 from GET /healthz (polled every 5 ms), with the lists service already running; one unmeasured start comes first so the file cache and tsx's transform cache are warm. The bot logs at `info` to a file. `npm start` runs the output of `npm run build` (`dist/`) with the node flags in package.json; the bench runs that build first and reads the command from package.json.",
      `Memory is VmRSS from /proc/<pid>/status of the \`npm start\` process, read 2 s after each block of turns and then every 5 s for ${ctx.quick ? 20 : 45} s with no turns: during a burst V8 grows the heap with garbage it has yet to collect (it lets it stay while the machine has memory to spare), and its memory reducer hands it back once the process is idle; nothing forces a collection. The load bot runs with \`--trace-gc\`, so the heap still alive after each full collection is known: that, not RSS, shows whether anything accumulates.`,
    );
    return { rows, notes, raw };
  },
};
