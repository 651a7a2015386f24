import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../../../bot/config.js';
import { ActionStore } from '../../../bot/features/actions/store.js';
import { writeInvitees } from '../../../bot/features/consultations/model.js';
import { ConsultationStore } from '../../../bot/features/consultations/store.js';
import { silentLogger } from '../../../bot/logger.js';
import { createListsLayer } from '../../../bot/sharepoint/index.js';
import { OUTLINE } from '../../fixtures/agenda-seed.js';
import { cardAction, message } from '../../support/activities.js';
import { info, type BenchContext, type Row } from '../types.js';
import { postOnce } from './bot-client.js';
import { botEnv } from './env.js';
import { fileSize } from './gc-log.js';
import { sleep } from './http.js';
import { runTurns, type LoadResult, type RequestSource } from './load.js';
import type { Child } from './processes.js';
import {
  connectorCounts,
  graphCounts,
  resetGraphCounts,
  startBotChild,
  startServices,
  type BotChild,
  type ConnectorCounts,
  type GraphCounts,
  type Services,
} from './stack.js';
import { commandLine, npmStartArgs } from './start-command.js';
import { percentile, round } from './stats.js';
import {
  benchPeople,
  CONSULTATION_REF,
  MEETING_REF,
  MIX,
  MixedWorkload,
  roleEnv,
  SEEDED_ACTIONS,
  seedActions,
  TURN_KINDS,
  type BenchPerson,
  type Draw,
  type SeededAction,
  type TurnKind,
} from './workload.js';

/**
 * The whole board for the mixed-workload suites (load, soak): the connector stand-in and the local
 * lists service as children, the lists seeded (300 actions, an open consultation for all 200
 * people, a published agenda pack for a meeting three weeks ahead), and the bot as production
 * starts it (`npm start`, the compiled build: see start-command.ts), configured with the
 * workload's officers and chairs.
 */

/** The board's channel, where the officer imports and publishes the agenda pack. */
const CHANNEL = '19:bench-board-general@thread.tacv2';
/** Any fixed number: the same seed sends the same sequence of turns on every run. */
const SEED = 20_180_226;

export type Stack = Services & { people: readonly BenchPerson[] };

async function startStack(ctx: BenchContext, people: readonly BenchPerson[]): Promise<Stack> {
  return { ...(await startServices(ctx)), people };
}

/** What the board's bot is given beyond `botEnv`. */
function boardEnv(stack: Stack): Record<string, string> {
  // Production's level: every turn's info lines are part of the cost.
  return { LOG_LEVEL: 'info', ...roleEnv(stack.people) };
}

/**
 * Through the lists layer, from this process, before the bot starts: 300 actions (A-0001 to
 * A-0300) and consultation C-0001, open for three weeks, inviting all 200 people by name (as
 * "consult new" with chosen people would write it).
 */
async function seedLists(ctx: BenchContext, stack: Stack, at: Date): Promise<SeededAction[]> {
  const config = loadConfig({
    ...botEnv(ctx, 0, stack.lists.graphBaseUrl, boardEnv(stack)),
    LOG_LEVEL: 'silent',
  });
  const lists = createListsLayer(config.graph, silentLogger);
  const seed = seedActions(stack.people, at);
  const created = await new ActionStore(lists.repos.Actions).createMany(seed.fields);
  if (created.failures.length) throw new Error(`seeding actions: ${created.failures.length} failed`);
  const refs = created.results.map((r) => r?.record.ref);
  const wrong = seed.actions.findIndex((a, i) => refs[i] !== a.ref);
  if (wrong >= 0)
    throw new Error(`seeded action ${wrong} became ${refs[wrong]}, not ${seed.actions[wrong]?.ref}`);

  const officer = stack.people.find((p) => p.role === 'officer')!;
  const consultations = new ConsultationStore(lists.repos.Consultations, lists.repos.Feedback);
  const { consultation } = await consultations.create({
    Title: 'Draft Community Strategy 2018–2028',
    DocumentUrl: 'https://example.org/hackney/draft-community-strategy.pdf',
    Summary: 'The draft strategy sets out five priorities for the borough over the next ten years.',
    Themes: JSON.stringify([
      'A borough where everyone can benefit from growth',
      'A greener and environmentally sustainable community',
      'An open, cohesive, safer and supportive community',
      'A borough with healthy, active and independent residents',
      'A borough where everyone can have a home that is secure and affordable',
    ]),
    Questions: JSON.stringify([
      'What are your top 3 strategic challenges?',
      "Do the strategy's priorities help you address these challenges? How, or why not?",
      'What are the key gaps the strategy should prioritise?',
    ]),
    ClosesAt: new Date(at.getTime() + 21 * 86_400_000).toISOString(),
    Audience: JSON.stringify({ kind: 'people' }),
    Anonymity: 'Named',
    CountPer: 'Person',
    Status: 'Open',
    ConversationId: CHANNEL,
    OpenedBy: officer.name,
    Invitees: writeInvitees(
      stack.people.map((p) => ({ aadObjectId: p.aadObjectId, teamsId: p.id, name: p.name })),
    ),
    SourceKey: 'bench-seed:consultation',
  });
  if (consultation.ref !== CONSULTATION_REF) throw new Error(`the consultation became ${consultation.ref}`);
  return seed.actions;
}

export type RunningBot = BotChild;

async function startBot(
  ctx: BenchContext,
  stack: Stack,
  label: string,
  opts: { traceGc?: boolean } = {},
): Promise<RunningBot> {
  return startBotChild(ctx, {
    label,
    args: [...(opts.traceGc ? ['--trace-gc'] : []), ...(await npmStartArgs(ctx))],
    graphBaseUrl: stack.lists.graphBaseUrl,
    env: boardEnv(stack),
    logFile: join(ctx.scratch, `${label.replace(/\W+/g, '-')}.log`),
  });
}

export interface Board {
  people: readonly BenchPerson[];
  /** The time the seed and the workload's activities are dated from. */
  at: Date;
  stack: Stack;
  seeded: SeededAction[];
  bot: RunningBot;
  /** The bot's command line, for the report. */
  botCommand: string;
  /** The mixed workload on this board from the fixed seed; `tag` goes into every activity id. */
  workload(tag: string): MixedWorkload;
}

/**
 * The board ready for a mixed workload: the connector stand-in and the lists service, the lists
 * seeded, the bot started as production starts it with `--trace-gc` (for the heap figures), and
 * the agenda pack imported and published through it.
 */
export async function startBoard(ctx: BenchContext, label: string): Promise<Board> {
  const people = benchPeople();
  const at = new Date();
  ctx.log('starting the connector stand-in and the lists service');
  const stack = await startStack(ctx, people);
  ctx.log(`seeding ${SEEDED_ACTIONS} actions and a consultation`);
  const seeded = await seedLists(ctx, stack, at);
  const botCommand = commandLine(['--trace-gc', ...(await npmStartArgs(ctx))]);
  ctx.log(`starting the bot: ${botCommand}`);
  const bot = await startBot(ctx, stack, label, { traceGc: true });
  ctx.log('an officer imports and publishes an agenda pack');
  await seedAgenda(bot, stack, at);
  return {
    people,
    at,
    stack,
    seeded,
    bot,
    botCommand,
    workload: (tag) =>
      new MixedWorkload({ serviceUrl: stack.connector.serviceUrl, seed: SEED, tag, people, seeded, at }),
  };
}

/** The first Monday at least three weeks after `at`. */
function meetingDay(at: Date): Date {
  const d = new Date(at.getTime() + 21 * 86_400_000);
  while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

function longDate(d: Date): string {
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/London',
  })
    .format(d)
    .replace(/,/g, '');
}

/**
 * Through the bot, as an officer would in the board's channel: "agenda import" with the February
 * 2018 meeting's items on the first Monday three weeks ahead, then Publish (to the channel only). Checks that
 * the pack is published as M-0001.
 */
async function seedAgenda(bot: RunningBot, stack: Stack, at: Date): Promise<void> {
  const officer = stack.people.find((p) => p.role === 'officer')!;
  const where = { serviceUrl: stack.connector.serviceUrl, type: 'channel' as const, conversationId: CHANNEL };
  // The seed's outline as an officer pastes it, on the meeting day.
  const outline = `agenda import\n${OUTLINE.replace(/^Date: [^,\n]*/m, `Date: ${longDate(meetingDay(at))}`)}`;
  const post = async (activity: unknown) => {
    const answer = await postOnce(bot.url, JSON.stringify(activity));
    if (answer.status !== 200)
      throw new Error(`seeding the agenda: ${answer.status} ${answer.body.slice(0, 300)}`);
    return answer.body;
  };
  await post(message(outline, officer, where));
  const published = await post(
    cardAction('agenda.publish', { ref: MEETING_REF, members: false }, officer, where),
  );
  if (!published.includes(`Published: version 1 of ${MEETING_REF}`))
    throw new Error(`publishing ${MEETING_REF} answered: ${published.slice(0, 400)}`);
}

// ── the bot's log ──

export interface LogProblems {
  /** Byte offset to read from next time. */
  offset: number;
  errors: number;
  warnings: number;
  /** By message (and the error's message), with counts. */
  byMessage: Record<string, number>;
}

/** Warnings and errors the bot logged (pino JSON lines, level ≥ 40) since `from`. */
export async function logProblems(logFile: string, from = 0): Promise<LogProblems> {
  const size = fileSize(logFile);
  const out: LogProblems = { offset: size, errors: 0, warnings: 0, byMessage: {} };
  if (size <= from) return { ...out, offset: from };
  const handle = await open(logFile, 'r');
  let text: string;
  try {
    const buffer = Buffer.alloc(size - from);
    await handle.read(buffer, 0, buffer.length, from);
    text = buffer.toString('utf8');
  } finally {
    await handle.close();
  }
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry: { level?: number; msg?: string; err?: { message?: string; type?: string } };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if ((entry.level ?? 0) < 40) continue;
    if ((entry.level ?? 0) >= 50) out.errors++;
    else out.warnings++;
    const key = `${(entry.level ?? 0) >= 50 ? 'error' : 'warn'}: ${entry.msg ?? '?'}${entry.err?.message ? ` (${entry.err.type ?? 'Error'}: ${entry.err.message.slice(0, 160)})` : ''}`;
    out.byMessage[key] = (out.byMessage[key] ?? 0) + 1;
  }
  return out;
}

/** The report's row on the bot's log: how many warnings and errors, the five commonest. */
export function logProblemsRow(logs: LogProblems): Row {
  const logged = Object.entries(logs.byMessage)
    .sort((x, y) => y[1] - x[1])
    .slice(0, 5)
    .map(([m, n]) => `${n} × ${m}`)
    .join('; ');
  return info(
    'errors and warnings in the bot’s log',
    logs.errors + logs.warnings,
    'lines',
    logs.errors + logs.warnings ? `${logs.errors} errors, ${logs.warnings} warnings: ${logged}` : 'none',
  );
}

/** The mix as the report gives it: "help 25 %, query 20 %, …". */
export const mixText = () => TURN_KINDS.map((k) => `${k} ${Math.round(MIX[k] * 100)} %`).join(', ');

// ── one of each ──

export interface PreflightResult {
  kind: TurnKind;
  what: string;
  status: number;
  /** Replies the connector received for this turn (messages), or whether the invoke answered a card. */
  replies: number;
  card: boolean;
  ms: number;
}

/**
 * One turn of each kind, one at a time, before any load: each must answer 200, a message with one
 * reply through the connector and an invoke with a card. Draws come from the workload itself, so
 * its sequence carries on.
 */
export async function preflight(
  bot: RunningBot,
  stack: Stack,
  workload: MixedWorkload,
): Promise<PreflightResult[]> {
  const results: PreflightResult[] = [];
  for (const kind of TURN_KINDS) {
    const before = await connectorCounts(stack.connector.serviceUrl);
    const draw = workload.next(kind);
    const t = performance.now();
    const answer = await postOnce(bot.url, draw.body);
    const ms = performance.now() - t;
    workload.answered(draw, answer.status, answer.body, ms);
    await sleep(50);
    const after = await connectorCounts(stack.connector.serviceUrl);
    results.push({
      kind,
      what: draw.what,
      status: answer.status,
      replies: after.sends - before.sends,
      card:
        draw.activity === 'invoke'
          ? answer.body.includes('application/vnd.microsoft.card.adaptive')
          : after.cards - before.cards > 0,
      ms: Math.round(ms),
    });
  }
  return results;
}

function preflightProblems(results: readonly PreflightResult[]): string[] {
  return results.flatMap((r) => {
    const problems: string[] = [];
    if (r.status !== 200) problems.push(`answered ${r.status}`);
    if (r.kind !== 'verb' && r.replies !== 1) problems.push(`${r.replies} replies`);
    if (!r.card) problems.push('no card');
    return problems.length ? [`${r.kind} ("${r.what}"): ${problems.join(', ')}`] : [];
  });
}

/** The report's note when the one turn of each kind before `what` did not answer as expected. */
export function preflightNotes(results: readonly PreflightResult[], what: string): string[] {
  const problems = preflightProblems(results);
  return problems.length
    ? [`**One turn of each kind, before ${what}, did not answer as expected:** ${problems.join('; ')}.`]
    : [];
}

// ── a load run with every counter around it ──

/** Until the connector has received no send for a second (at most 30 s). */
async function drained(serviceUrl: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  let last = -1;
  for (;;) {
    await sleep(500);
    const { sends } = await connectorCounts(serviceUrl);
    if (sends === last || Date.now() > deadline) return;
    last = sends;
    await sleep(500);
  }
}

interface KindSummary {
  sent: number;
  ok: number;
  non2xx: number;
  /** Invokes answered with a card / with a message. */
  cards: number;
  messages: number;
  /** Client-side, from building the request to its answer. */
  p50: number;
  p99: number;
}

export type MixedResult = LoadResult & {
  replies: ConnectorCounts;
  graph: GraphCounts;
  kinds: Record<TurnKind, KindSummary>;
  /** Message turns answered 2xx: each should have sent one reply through the connector. */
  messageTurnsOk: number;
  surprises: Record<string, string[]>;
  /** Requests sent per variant ("my actions", "actions.drop (logged)", …). */
  variants: Record<string, number>;
};

/**
 * Mixed turns against one bot (or the echo bot), with the connector's and the lists service's
 * counters reset before and read after, and the workload's per-kind figures for this run only.
 * `observe` sees every answer too (the soak's per-minute figures).
 */
export async function runMixed(
  ctx: BenchContext,
  stack: Stack,
  label: string,
  target: { url: string; child: Child },
  workload: MixedWorkload,
  load: { connections: number; durationSec?: number; amount?: number; overallRate?: number },
  observe?: (draw: Draw, status: number, latencyMs: number) => void,
): Promise<MixedResult> {
  const needed = [target.child, stack.connector.child, stack.lists.child];
  ctx.processes.assertRunning(...needed);
  await connectorCounts(stack.connector.serviceUrl, true);
  await resetGraphCounts(stack.lists.url);
  workload.resetStats();
  const source: RequestSource<Draw> = {
    next: () => workload.next(),
    answered: (draw, status, body, ms) => {
      workload.answered(draw, status, body, ms);
      observe?.(draw, status, ms);
    },
  };
  const result = await runTurns(label, {
    url: target.url,
    serviceUrl: stack.connector.serviceUrl,
    tag: label,
    source,
    ...load,
    watch: {
      bot: target.child.pid,
      connector: stack.connector.child.pid,
      lists: stack.lists.child.pid,
    },
  });
  ctx.processes.assertRunning(...needed);
  // Turns still in flight when a timed run stopped finish (and send) after it: wait for them, so
  // that the next run has the machine to itself and these counters hold them.
  await drained(stack.connector.serviceUrl);
  const replies = await connectorCounts(stack.connector.serviceUrl);
  const graph = await graphCounts(stack.lists.url);
  const stats = workload.stats();
  const kinds = Object.fromEntries(
    TURN_KINDS.map((k) => {
      const s = stats[k];
      return [
        k,
        {
          sent: s.sent,
          ok: s.ok,
          non2xx: s.non2xx,
          cards: s.cards,
          messages: s.messages,
          p50: round(percentile(s.latencyMs, 50), 1),
          p99: round(percentile(s.latencyMs, 99), 1),
        },
      ];
    }),
  ) as Record<TurnKind, KindSummary>;
  const messageTurnsOk = TURN_KINDS.filter((k) => k !== 'verb').reduce((a, k) => a + kinds[k].ok, 0);
  ctx.log(
    `  ${label}: ${result.ok} turns in ${result.durationSec} s = ${result.perSecond}/s, ` +
      `p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, non-2xx ${result.non2xx}, ` +
      `errors ${result.errors}, timeouts ${result.timeouts}, replies ${replies.sends} for ${messageTurnsOk} messages, ` +
      `Graph requests ${graph.requests}, cpu ${JSON.stringify(result.cpu)}`,
  );
  return {
    ...result,
    replies,
    graph,
    kinds,
    messageTurnsOk,
    surprises: workload.surprises(),
    variants: workload.sentByVariant(),
  };
}
