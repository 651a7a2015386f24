import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatLongDate } from '../../bot/dates/london.js';
import { formPrint } from '../../bot/features/consultations/answers.js';
import { toConsultation, toFeedback } from '../../bot/features/consultations/model.js';
import { startBot, type RunningBot } from '../../bot/index.js';
import { startListsService, type ListsService } from '../../infra/local/server.js';
import type { AdaptiveCard } from '../../cards/adaptive.js';
import { botAdded, cardAction, installed, message, PEOPLE, type Person } from './activities.js';
import { cardOf, textOf } from './actions-activities.js';
import { postActivity } from './bot-client.js';
import { cardText } from './cards.js';
import { startConnector, type ConnectorStandIn } from './connector.js';
import { formData as agendaForm } from './agenda-activities.js';
import { CHANNEL, MEMBERS, MELBA, newForm, RORY } from '../support/consult-harness.js';
import { capturingLogger, letters, seededRandom, type CapturedLogs } from './hostile.js';
import { testConfig } from './bot-harness.js';
import { seedBoard } from './boards.js';

/**
 * Faults, nothing lost: the mixed workload of issue 7 (actions logged from chat, notes, due dates
 * and "done" from card buttons and typed commands, cards opened, the bot installed in new
 * conversations, consultation answers, attendance) driven against the bot over HTTP while the
 * local lists service refuses a share of Graph requests with 429 or 503 and `Retry-After`. Each
 * operation is driven as a person would: when the bot says it failed, the person tries again (a
 * new message, the same button); the bot must never say it succeeded when it did not. Afterwards
 * `checkLandings` finds, for every operation, how many times it landed in the lists.
 *
 * Shared by the integration test (test/integration/faults-graph.test.ts) and the bench
 * (test/bench/suites/resilience.ts); nothing here depends on the test runner.
 */

export const MAX_TRIES = 6;
const CARD = 'application/vnd.microsoft.card.adaptive';

export type Kind = 'log' | 'note' | 'typedNote' | 'due' | 'done' | 'show' | 'install' | 'answer' | 'attend';
/** How many of each, in the thousand: writes dominate, as they carry the risk. */
export const MIX: [Kind, number][] = [
  ['log', 300],
  ['note', 220],
  ['typedNote', 100],
  ['due', 150],
  ['done', 60],
  ['show', 80],
  ['install', 90],
  // A consultation's invitees answering, and changing their answers (when consultations exist).
  ['answer', 100],
  // Members sending a substitute to a published meeting (when agenda packs exist).
  ['attend', 60],
];
/** Who is invited to the consultation: the chair and the partners on the channel's roster. */
const ANSWERERS = [PEOPLE.chair, PEOPLE.partner, PEOPLE.obrien, RORY, MELBA];
/** The bot's log line for each Graph request refused and tried again. */
export const REFUSED_AND_RETRIED = 'Graph request not served; retrying';

interface Try {
  token: string;
  outcome: 'ok' | 'failed';
  claimedRef?: string;
  dueDate?: string;
}

interface Op {
  index: number;
  kind: Kind;
  /** A token unique to the operation; each try adds a letter, so every try is told apart. */
  token: string;
  who: Person;
  /** The action it changes (updates and show). */
  ref?: string;
  tries: Try[];
}

export interface FaultsBed {
  bot: RunningBot;
  lists: ListsService;
  connector: ConnectorStandIn;
  /** The bot's warnings, to count the Graph requests it had to retry. */
  logs: CapturedLogs;
  post(activity: unknown): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

/** The bot in-process on a free port, with the local lists service and a connector stand-in. */
export async function startFaultsBed(): Promise<FaultsBed> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pb-faults-'));
  const lists = await startListsService({ port: 0, dataDir, provision: true });
  const connector = await startConnector();
  connector.setMembers(MEMBERS.map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId })));
  const logs = capturingLogger();
  const bot = await startBot(testConfig(lists, dataDir, { LOG_LEVEL: 'warn' }), logs.logger);
  await seedBoard(bot.lists, { serviceUrl: connector.serviceUrl });
  return {
    bot,
    lists,
    connector,
    logs,
    post: (activity) => postActivity(bot.url, activity),
    async close() {
      await bot.close();
      await connector.close();
      await lists.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Workload {
  ops: Op[];
  /** The actions the updates change, made before the faults start. */
  seeded: { ref: string; owner: Person }[];
  consultation: { ref: string; fp: string };
  meeting: { ref: string };
  /** Whether this build has consultations and agenda packs (their operations are left out if not). */
  consulting: boolean;
  packs: boolean;
}

const refIn = (text: string) => /\bA-\d{4,7}\b/.exec(text)?.[0];

const where = (bed: FaultsBed, conversationId?: string, type: 'personal' | 'channel' = 'personal') => ({
  serviceUrl: bed.connector.serviceUrl,
  ...(conversationId ? { conversationId } : {}),
  type,
});

/** What the bot sent to the conversation in answer to one activity. */
const repliesTo = (bed: FaultsBed, activityId: string) =>
  bed.connector.calls
    .filter((c) => c.method === 'POST' && c.activityId === activityId)
    .map((c) => c.body ?? {});

/** Each attendance answer comes from its own member: one Attendance item each. */
const attender = (token: string): Person => ({
  id: `29:${token}`,
  aadObjectId: `aad-attender-${token}`,
  name: `Attender ${token}`,
});

/**
 * With faults off: forty actions to change (half Jake's, half Dara O'Brien's), a consultation to
 * answer and a published pack to answer attendance on; then the operations, shuffled. `scale`
 * shrinks the mix (1 is the full thousand and more; 0.2 about two hundred).
 */
export async function prepareWorkload(bed: FaultsBed, opts: { scale?: number } = {}): Promise<Workload> {
  const scale = opts.scale ?? 1;
  const verbs = bed.bot.router.verbNames();
  const consulting = verbs.includes('consult.submit');
  const packs = ['agenda.create', 'agenda.publish', 'agenda.substitute'].every((v) => verbs.includes(v));
  const seeded: Workload['seeded'] = [];
  const consultation = { ref: '', fp: '' };
  const meeting = { ref: '' };

  for (let i = 0; i < 40; i++) {
    const owner = i % 2 ? PEOPLE.partner : PEOPLE.obrien;
    const activity = message(
      `action write to the VCS partners about seeded ${letters(i + 1)}`,
      owner,
      where(bed),
    );
    await bed.post(activity);
    const ref = refIn(cardText(cardOf(repliesTo(bed, activity.id)[0])));
    if (!ref) throw new Error('seeding failed');
    seeded.push({ ref, owner });
  }
  if (consulting) {
    await bed.post(installed(PEOPLE.officer, where(bed, CHANNEL, 'channel')));
    const opened = await bed.post(
      cardAction(
        'consult.open',
        newForm(new Date()),
        PEOPLE.officer,
        where(bed, CHANNEL, 'channel'),
        'form-1',
      ),
    );
    consultation.ref =
      /Consultation (C-\d{4,7})/.exec(cardText((opened.body as { value: unknown }).value))?.[1] ?? '';
    await bed.bot.consultations.service.settled();
    const stored = (await bed.bot.lists.repos.Consultations.all({})).map(toConsultation);
    const c = stored.find((x) => x.ref === consultation.ref);
    if (!c) throw new Error('the consultation did not open');
    consultation.fp = formPrint(c);
  }
  if (packs) {
    await bed.post(installed(PEOPLE.officer, where(bed, CHANNEL, 'channel')));
    const created = await bed.post(
      cardAction(
        'agenda.create',
        agendaForm({ date: '2031-03-03', key: 'f00dfeedf00dfeedf00dfeed' }),
        PEOPLE.officer,
        where(bed, CHANNEL, 'channel'),
      ),
    );
    meeting.ref = /\bM-\d{4,7}\b/.exec(JSON.stringify(created.body))?.[0] ?? '';
    const published = await bed.post(
      cardAction(
        'agenda.publish',
        { ref: meeting.ref, members: false },
        PEOPLE.officer,
        where(bed, CHANNEL, 'channel'),
      ),
    );
    if (!JSON.stringify(published.body).includes('Published'))
      throw new Error('the agenda pack was not published');
  }

  const random = seededRandom(7);
  const kinds = MIX.filter(
    ([kind]) => (kind !== 'answer' || consulting) && (kind !== 'attend' || packs),
  ).flatMap(([kind, n]) => Array.from({ length: Math.max(1, Math.round(n * scale)) }, () => kind));
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  const ops: Op[] = kinds.map((kind, index) => {
    const target = seeded[Math.floor(random() * seeded.length)]!;
    // Owners change their own; the officer changes anyone's.
    const token = `op${letters(index + 1)}`;
    const who =
      kind === 'attend'
        ? attender(token)
        : kind === 'answer'
          ? ANSWERERS[index % ANSWERERS.length]!
          : kind === 'log' || kind === 'install'
            ? [PEOPLE.officer, PEOPLE.partner, PEOPLE.obrien][index % 3]!
            : random() < 0.5
              ? target.owner
              : PEOPLE.officer;
    return {
      index,
      kind,
      token,
      who,
      ...(['log', 'install', 'answer', 'attend'].includes(kind) ? {} : { ref: target.ref }),
      tries: [],
    };
  });
  // The attenders join the board's team (issue 12: only its members answer attendance), and Teams
  // says so (conversationUpdate, membersAdded), so the bot reads the roster again.
  const joined = ops.filter((o) => o.kind === 'attend').map((o) => o.who);
  bed.connector.setMembers(
    [...MEMBERS, ...joined].map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId })),
  );
  const added = botAdded(PEOPLE.officer, where(bed, CHANNEL, 'channel'));
  await bed.post({
    ...added,
    membersAdded: joined.map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId })),
  });
  return { ops, seeded, consultation, meeting, consulting, packs };
}

/** One try of an operation; says whether the person was told it worked or that it failed. */
async function attempt(bed: FaultsBed, w: Workload, op: Op, tryToken: string, tryNo: number): Promise<Try> {
  const fail = (detail: string): never => {
    throw new Error(`${op.kind} #${op.index} (try ${tryNo}): ${detail}`);
  };
  switch (op.kind) {
    case 'log': {
      const activity = message(`action write to the VCS partners about ${tryToken}`, op.who, where(bed));
      const res = await bed.post(activity);
      if (res.status !== 200) fail(`HTTP ${res.status}`);
      const replies = repliesTo(bed, activity.id);
      if (replies.length !== 1) fail(`${replies.length} replies`);
      const card = cardOf(replies[0]);
      if (card) {
        const text = cardText(card);
        const ref = refIn(text);
        if (!ref || !text.includes(tryToken)) fail(`a card without the action: ${text.slice(0, 200)}`);
        return { token: tryToken, outcome: 'ok', claimedRef: ref as string };
      }
      const said = textOf(replies[0]);
      if (/NOT saved/.test(said)) return { token: tryToken, outcome: 'failed' };
      return fail(`unexpected reply: ${said}`);
    }
    case 'typedNote': {
      const activity = message(`action ${op.ref} note ${tryToken}`, op.who, where(bed));
      const res = await bed.post(activity);
      if (res.status !== 200) fail(`HTTP ${res.status}`);
      const replies = repliesTo(bed, activity.id);
      if (replies.length !== 1) fail(`${replies.length} replies`);
      const card = cardOf(replies[0]);
      if (card) {
        const text = cardText(card);
        if (!text.includes(`Note added to ${op.ref}`)) fail(`unexpected card: ${text.slice(0, 200)}`);
        return { token: tryToken, outcome: 'ok' };
      }
      const said = textOf(replies[0]);
      if (/^Nothing was changed/.test(said)) return { token: tryToken, outcome: 'failed' };
      return fail(`unexpected reply: ${said}`);
    }
    case 'note':
    case 'due':
    case 'done':
    case 'show': {
      const dueDate =
        op.kind === 'due'
          ? new Date(Date.UTC(2031, 0, 1 + op.index * MAX_TRIES + tryNo)).toISOString().slice(0, 10)
          : undefined;
      const [verb, data, success] = {
        note: ['actions.note', { ref: op.ref, note: tryToken }, `Note added to ${op.ref}`],
        due: [
          'actions.due',
          { ref: op.ref, dueDate },
          `${op.ref} is now due ${dueDate ? formatLongDate(dueDate) : ''}`,
        ],
        done: ['actions.done', { ref: op.ref }, `${op.ref}`],
        show: ['actions.show', { ref: op.ref }, `${op.ref}`],
      }[op.kind] as [string, Record<string, unknown>, string];
      const res = await bed.post(cardAction(verb, data, op.who, where(bed)));
      if (res.status !== 200) fail(`HTTP ${res.status}`);
      const body = res.body as { type: string; value: AdaptiveCard | string };
      if (body.type === CARD) {
        const text = cardText(body.value);
        if (!text.includes(success)) fail(`unexpected card: ${text.slice(0, 300)}`);
        if (op.kind === 'done' && !/is done\. Thank you|already done/.test(text))
          fail(`done said: ${text.slice(0, 200)}`);
        return { token: tryToken, outcome: 'ok', ...(dueDate ? { dueDate } : {}) };
      }
      const said = String(body.value);
      if (/^Nothing was changed|^I could not read/.test(said))
        return { token: tryToken, outcome: 'failed', ...(dueDate ? { dueDate } : {}) };
      return fail(`unexpected answer: ${said}`);
    }
    case 'answer': {
      const res = await bed.post(
        cardAction(
          'consult.submit',
          { ref: w.consultation.ref, fp: w.consultation.fp, q1: tryToken },
          op.who,
          where(bed),
        ),
      );
      if (res.status !== 200) fail(`HTTP ${res.status}`);
      const body = res.body as { type: string; value: AdaptiveCard | string };
      if (body.type === CARD) {
        const text = cardText(body.value);
        // A write that fails brings the form back, saying so.
        if (/not answering just now, so nothing was changed/.test(text))
          return { token: tryToken, outcome: 'failed' };
        if (!/Your (answers|changes) are recorded/.test(text)) fail(`unexpected card: ${text.slice(0, 300)}`);
        return { token: tryToken, outcome: 'ok' };
      }
      const said = String(body.value);
      if (/nothing was (changed|saved)/i.test(said)) return { token: tryToken, outcome: 'failed' };
      return fail(`unexpected answer: ${said}`);
    }
    case 'attend': {
      const res = await bed.post(
        cardAction(
          'agenda.substitute',
          { ref: w.meeting.ref, substituteName: `Sub ${tryToken}`, substituteOrganisation: 'HCVS' },
          op.who,
          where(bed),
        ),
      );
      if (res.status !== 200) fail(`HTTP ${res.status}`);
      const body = res.body as { type: string; value: AdaptiveCard | string };
      if (body.type === CARD) {
        const text = cardText(body.value);
        if (!text.includes(`Sub ${tryToken}`)) fail(`unexpected card: ${text.slice(0, 300)}`);
        return { token: tryToken, outcome: 'ok' };
      }
      const said = String(body.value);
      if (/^Nothing was changed/.test(said)) return { token: tryToken, outcome: 'failed' };
      // The answer was stored but the card could not be brought up to date: said in words, and true.
      if (/are recorded/.test(said) && said.includes(`Sub ${tryToken}`))
        return { token: tryToken, outcome: 'ok' };
      return fail(`unexpected answer: ${said}`);
    }
    case 'install': {
      // Teams announces the bot again when it is added again; the conversation stays the same.
      const conversationId = `19:${op.token}@thread.tacv2`;
      const activity = installed(op.who, where(bed, conversationId, 'channel'));
      const res = await bed.post(activity);
      if (res.status !== 200) fail(`HTTP ${res.status}`);
      const welcomed = bed.connector.calls.filter(
        (c) => c.method === 'POST' && c.conversationId === conversationId,
      );
      // The welcome follows the stored reference; an installation whose write failed says nothing.
      return { token: tryToken, outcome: welcomed.length ? 'ok' : 'failed' };
    }
  }
}

async function drive(bed: FaultsBed, w: Workload, op: Op): Promise<void> {
  for (let tryNo = 1; tryNo <= MAX_TRIES; tryNo++) {
    const tryToken = `${op.token}-${letters(tryNo)}`;
    const result = await attempt(bed, w, op, tryToken, tryNo);
    op.tries.push(result);
    if (result.outcome === 'ok') return;
  }
}

export interface FaultSettingsForRun {
  /** Share of Graph requests refused (default 0.3). */
  rate?: number;
  /** Retry-After on each refusal, in whole seconds (default 0). */
  retryAfterSeconds?: number;
  /** People acting at once (default 10). */
  concurrency?: number;
  seed?: number;
}

export interface WorkloadRun {
  ms: number;
  /** Operations whose sender was told "failed" at least once and tried again. */
  retriedOps: number;
  /** Requests the lists service refused while the workload ran, by status. */
  injected: Record<429 | 503, number>;
  /** Graph requests the bot saw refused and tried again (its log lines). */
  refusedAndRetried: number;
  /** The statuses of those. */
  refusedStatuses: number[];
}

/**
 * Turns the faults on, drives every operation (`concurrency` at a time) and turns them off. The
 * refusals switch between 429 and 503 every 25 operations.
 */
export async function runWorkload(
  bed: FaultsBed,
  w: Workload,
  settings: FaultSettingsForRun = {},
): Promise<WorkloadRun> {
  const before = bed.lists.injectedFaults();
  const loggedBefore = bed.logs.entries.length;
  const started = performance.now();
  bed.lists.setFaults({
    rate: settings.rate ?? 0.3,
    status: 429,
    retryAfterSeconds: settings.retryAfterSeconds ?? 0,
    seed: settings.seed ?? 2024,
  });
  let next = 0;
  let finished = 0;
  const worker = async () => {
    while (next < w.ops.length) {
      const op = w.ops[next++]!;
      await drive(bed, w, op);
      // Mixed faults: the refusals switch between 429 and 503 as the run goes on.
      if (++finished % 25 === 0) bed.lists.setFaults({ status: finished % 50 === 0 ? 429 : 503 });
    }
  };
  try {
    await Promise.all(Array.from({ length: settings.concurrency ?? 10 }, worker));
  } finally {
    bed.lists.setFaults({ rate: 0 });
  }
  const ms = performance.now() - started;
  const after = bed.lists.injectedFaults();
  const refused = bed.logs.entries.slice(loggedBefore).filter((e) => e.msg === REFUSED_AND_RETRIED);
  return {
    ms,
    retriedOps: w.ops.filter((op) => op.tries.length > 1).length,
    injected: { 429: after[429] - before[429], 503: after[503] - before[503] },
    refusedAndRetried: refused.length,
    refusedStatuses: [...new Set(refused.map((e) => Number(e.status)))].sort(),
  };
}

/** How one operation ended up in the lists. */
export interface Landing {
  op: Op;
  /** Its sender was told it worked (on the last try). */
  confirmed: boolean;
  /** How many times its effect is in the lists (a read lands when its answer was seen). */
  landed: number;
  /** What is wrong with it beyond the count (e.g. stored from a try its sender was told had failed). */
  problem?: string;
}

export interface Landings {
  perOp: Landing[];
  /** Problems found, by what they concern; each list is empty when all is well. */
  problems: {
    unconfirmed: string[];
    actions: string[];
    details: string[];
    /** Undefined when this build has no consultations. */
    answers?: string[];
    /** Undefined when this build has no agenda packs. */
    attendance?: string[];
    installs: string[];
  };
}

export type LandingClass = 'once' | 'lost' | 'duplicated' | 'wrong' | 'unconfirmed';

/**
 * Landed exactly once (confirmed, and in the lists once, as its sender was told); lost (confirmed
 * but not in the lists); duplicated (in the lists more than once); wrong (once, but not as told);
 * unconfirmed (never told it worked, and not in the lists: the person knows it did not happen).
 */
export function classify(l: Landing): LandingClass {
  if (l.landed > 1) return 'duplicated';
  if (l.landed === 0) return l.confirmed ? 'lost' : 'unconfirmed';
  if (l.problem || !l.confirmed) return 'wrong';
  return 'once';
}

/** Reads the lists back and finds where each operation landed. */
export async function checkLandings(bed: FaultsBed, w: Workload): Promise<Landings> {
  const { ops, seeded } = w;
  const repos = bed.bot.lists.repos;
  const perOp = new Map<Op, Landing>();
  const set = (op: Op, landed: number, problem?: string) =>
    perOp.set(op, {
      op,
      confirmed: op.tries.at(-1)?.outcome === 'ok',
      landed,
      ...(problem ? { problem } : {}),
    });
  const told = (op: Op) => op.tries.at(-1)!;

  const unconfirmed = ops
    .filter((op) => op.tries.at(-1)?.outcome !== 'ok')
    .map((op) => `${op.kind} #${op.index}`);

  // Actions logged: one item each, with its own reference, the one its sender was told.
  const items = await repos.Actions.all({});
  const actions: string[] = [];
  const refs = items.map((i) => i.fields.ActionRef);
  if (new Set(refs).size !== refs.length)
    actions.push(`${refs.length - new Set(refs).size} references repeated`);
  const keys = items.map((i) => i.fields.SourceKey);
  if (new Set(keys).size !== keys.length)
    actions.push(`${keys.length - new Set(keys).size} source keys repeated`);
  const logged = ops.filter((op) => op.kind === 'log');
  if (items.length !== seeded.length + logged.length)
    actions.push(`${items.length} items for ${seeded.length} seeded and ${logged.length} logged`);
  for (const op of logged) {
    const mine = items.filter((i) => String(i.fields.Title).includes(` about ${op.token}-`));
    const claimed = told(op).claimedRef;
    let problem: string | undefined;
    if (mine.length !== 1) actions.push(`${op.token}: ${mine.length} items`);
    else if (mine[0]?.fields.ActionRef !== claimed)
      problem = `${op.token}: told ${claimed}, stored ${mine[0]?.fields.ActionRef}`;
    else if (!String(mine[0]?.fields.Title).includes(told(op).token))
      problem = `${op.token}: stored from a try the sender was told had failed`;
    if (problem) actions.push(problem);
    set(op, mine.length, problem);
  }

  // Notes, due dates and "done": one dated line in Details each, on the right action.
  const byRef = new Map(items.map((i) => [i.fields.ActionRef, String(i.fields.Details ?? '')]));
  const allLines = items.flatMap((i) => String(i.fields.Details ?? '').split('\n'));
  const details: string[] = [];
  for (const op of ops) {
    if (op.kind === 'note' || op.kind === 'typedNote') {
      const lines = allLines.filter((l) => l.includes(`note: ${op.token}-`));
      const onTarget = (byRef.get(op.ref!) ?? '').split('\n').filter((l) => l.includes(`note: ${op.token}-`));
      let problem: string | undefined;
      if (lines.length !== 1 || onTarget.length !== 1) {
        details.push(`${op.kind} ${op.token}: ${lines.length} lines, ${onTarget.length} on ${op.ref}`);
        if (lines.length === 1) problem = `${op.token}: the note is on another action`;
      } else if (!onTarget[0]!.endsWith(`note: ${told(op).token}`)) {
        problem = `${op.kind} ${op.token}: the line is from a try said to have failed`;
        details.push(problem);
      }
      set(op, lines.length, problem);
    }
    if (op.kind === 'due') {
      const lines = (byRef.get(op.ref!) ?? '').split('\n');
      const found = op.tries.flatMap((t) =>
        lines.filter(
          (l) => l.endsWith(` to ${formatLongDate(t.dueDate!)}`) && l.includes('changed the due date'),
        ),
      );
      let problem: string | undefined;
      if (found.length !== 1) details.push(`due ${op.token}: ${found.length} lines`);
      else if (!found[0]!.endsWith(formatLongDate(told(op).dueDate!)))
        problem = `due ${op.token}: the line is from a try said to have failed`;
      if (problem) details.push(problem);
      set(op, found.length, problem);
    }
  }
  const closed = new Set(ops.filter((op) => op.kind === 'done').map((op) => op.ref));
  const doneLines = new Map<string, number>();
  for (const { ref } of seeded) {
    const done = (byRef.get(ref) ?? '').split('\n').filter((l) => l.endsWith(': marked it done')).length;
    doneLines.set(ref, done);
    const status = items.find((i) => i.fields.ActionRef === ref)?.fields.Status;
    if (closed.has(ref) && (done !== 1 || status !== 'Done'))
      details.push(`${ref}: ${done} "done" lines, status ${status}`);
    if (!closed.has(ref) && done) details.push(`${ref}: done, but nobody closed it`);
  }
  for (const op of ops.filter((o) => o.kind === 'done')) {
    const status = items.find((i) => i.fields.ActionRef === op.ref)?.fields.Status;
    set(op, doneLines.get(op.ref!) ?? 0, status === 'Done' ? undefined : `${op.ref}: status ${status}`);
  }
  // Reads change nothing: one lands when its sender saw the answer.
  for (const op of ops.filter((o) => o.kind === 'show')) set(op, told(op).outcome === 'ok' ? 1 : 0);

  // Consultation answers: one Feedback item per person; every answer kept once, the latest or in its history.
  let answers: string[] | undefined;
  if (w.consulting) {
    answers = [];
    const feedback = (await repos.Feedback.all({}))
      .map(toFeedback)
      .filter((f) => f.ref === w.consultation.ref);
    for (const who of ANSWERERS) {
      const mine = feedback.filter((f) => f.respondentId === who.aadObjectId);
      const theirs = ops.filter((op) => op.kind === 'answer' && op.who === who);
      if (mine.length !== 1) answers.push(`${who.name}: ${mine.length} feedback items`);
      const kept = mine.flatMap((f) =>
        [f.answers, ...f.history.map((h) => h.answers)].map((a) => a[0]?.answer ?? ''),
      );
      for (const op of theirs) {
        const token = told(op).token;
        const n = kept.filter((k) => k === token).length;
        if (mine.length === 1 && n !== 1) answers.push(`${op.token}: kept ${n} times`);
        const early = op.tries.slice(0, -1).filter((t) => kept.includes(t.token));
        for (const t of early) answers.push(`${t.token}: kept, though its sender was told it failed`);
        set(op, n, early.length ? `${op.token}: a try said to have failed was kept` : undefined);
      }
      if (mine.length === 1 && kept.length !== theirs.length)
        answers.push(`${who.name}: ${kept.length} versions for ${theirs.length} answers`);
    }
  }

  // Attendance: one Attendance item per member, with the substitute its sender was told.
  let attendance: string[] | undefined;
  if (w.packs) {
    attendance = [];
    const stored = (await repos.Attendance.all({})).filter((i) => i.fields.MeetingRef === w.meeting.ref);
    for (const op of ops.filter((o) => o.kind === 'attend')) {
      const mine = stored.filter((i) => i.fields.MemberId === op.who.aadObjectId);
      let problem: string | undefined;
      if (mine.length !== 1) attendance.push(`${op.token}: ${mine.length} items`);
      else if (mine[0]?.fields.SubstituteName !== `Sub ${told(op).token}`)
        problem = `${op.token}: stored ${mine[0]?.fields.SubstituteName}, told ${told(op).token}`;
      if (problem) attendance.push(problem);
      set(op, mine.length, problem);
    }
  }

  // Installations: one Conversations item each.
  const conversations = await repos.Conversations.all({});
  const installs: string[] = [];
  for (const op of ops.filter((o) => o.kind === 'install')) {
    const n = conversations.filter((i) => i.fields.ConversationId === `19:${op.token}@thread.tacv2`).length;
    if (n !== 1) installs.push(`${op.token}: ${n}`);
    set(op, n);
  }
  const conversationKeys = conversations.map((i) => i.fields.ConversationKey);
  if (new Set(conversationKeys).size !== conversationKeys.length)
    installs.push(`${conversationKeys.length - new Set(conversationKeys).size} conversation keys repeated`);

  return {
    perOp: ops.map((op) => perOp.get(op) ?? { op, confirmed: false, landed: 0, problem: 'not checked' }),
    problems: {
      unconfirmed,
      actions,
      details,
      ...(answers ? { answers } : {}),
      ...(attendance ? { attendance } : {}),
      installs,
    },
  };
}
