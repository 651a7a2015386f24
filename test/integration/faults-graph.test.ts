import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.js';
import { formatLongDate } from '../../bot/dates/london.js';
import { formPrint } from '../../bot/features/consultations/answers.js';
import { toConsultation, toFeedback } from '../../bot/features/consultations/model.js';
import { startBot, type RunningBot } from '../../bot/index.js';
import { startListsService, type ListsService } from '../../infra/local/server.js';
import type { AdaptiveCard } from '../../cards/adaptive.js';
import { cardAction, installed, message, PEOPLE, ROLE_ENV, type Person } from '../support/activities.js';
import { cardOf, textOf } from '../support/actions-activities.js';
import { cardText } from '../support/cards.js';
import { startConnector, type ConnectorStandIn } from '../support/connector.js';
import { formData as agendaForm } from '../fixtures/agenda-activities.js';
import { CHANNEL, MEMBERS, MELBA, newForm, RORY } from '../fixtures/consult-harness.js';
import { capturingLogger, letters, seededRandom, type CapturedLogs } from '../support/hostile.js';

/**
 * Faults, nothing lost: over a thousand mixed operations (actions logged from chat, notes, due
 * dates and "done" from card buttons and typed commands, cards opened, the bot installed in new
 * conversations) run ten at a time while 30% of Graph requests fail with 429 or 503 and
 * `Retry-After: 0`. Each operation is driven as a person would: when the bot says it failed, the
 * person tries again (a new message, the same button); the bot must never say it succeeded when it
 * did not. At the end every operation has landed exactly once: one item per logged action, with
 * its own reference; one dated line in Details per note or due-date change; one "marked it done"
 * per closed action; one Conversations item per installation.
 */

const CONCURRENCY = 10;
const MAX_TRIES = 6;
const CARD = 'application/vnd.microsoft.card.adaptive';

type Kind = 'log' | 'note' | 'typedNote' | 'due' | 'done' | 'show' | 'install' | 'answer' | 'attend';
/** How many of each, in the thousand: writes dominate, as they carry the risk. */
const MIX: [Kind, number][] = [
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

interface Op {
  index: number;
  kind: Kind;
  /** A token unique to the operation; each try adds a letter, so every try is told apart. */
  token: string;
  who: Person;
  /** The action it changes (updates and show). */
  ref?: string;
  tries: { token: string; outcome: 'ok' | 'failed'; claimedRef?: string; dueDate?: string }[];
}

let lists: ListsService;
let connector: ConnectorStandIn;
let bot: RunningBot;
let dataDir: string;
let logs: CapturedLogs;

const where = (conversationId?: string, type: 'personal' | 'channel' = 'personal') => ({
  serviceUrl: connector.serviceUrl,
  ...(conversationId ? { conversationId } : {}),
  type,
});

async function post(activity: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** What the bot sent to the conversation in answer to one activity. */
const repliesTo = (activityId: string) =>
  connector.calls.filter((c) => c.method === 'POST' && c.activityId === activityId).map((c) => c.body ?? {});

const refIn = (text: string) => /\bA-\d{4,7}\b/.exec(text)?.[0];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pb-faults-'));
  lists = await startListsService({ port: 0, dataDir, provision: true });
  connector = await startConnector();
  connector.setMembers(
    MEMBERS.map((p) => ({
      id: p.id,
      name: p.name,
      aadObjectId: p.aadObjectId,
    })),
  );
  logs = capturingLogger();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    GRAPH_BASE_URL: lists.graphBaseUrl,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ...ROLE_ENV,
  });
  bot = await startBot(config, logs.logger);
});

afterAll(async () => {
  await bot?.close();
  await connector?.close();
  await lists?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('faults: 30% of Graph requests refused (429 and 503, Retry-After: 0)', () => {
  const ops: Op[] = [];
  const seeded: { ref: string; owner: Person }[] = [];
  const consultation = { ref: '', fp: '' };
  const consulting = () => bot.router.verbNames().includes('consult.submit');
  const meeting = { ref: '' };
  const packs = () =>
    ['agenda.create', 'agenda.publish', 'agenda.substitute'].every((v) => bot.router.verbNames().includes(v));
  /** Each attendance answer comes from its own member: one Attendance item each. */
  const attender = (op: Op): Person => ({
    id: `29:${op.token}`,
    aadObjectId: `aad-attender-${op.token}`,
    name: `Attender ${op.token}`,
  });

  /** One try of an operation; says whether the person was told it worked or that it failed. */
  async function attempt(op: Op, tryToken: string, tryNo: number): Promise<Op['tries'][number]> {
    const fail = (detail: string): never => {
      throw new Error(`${op.kind} #${op.index} (try ${tryNo}): ${detail}`);
    };
    switch (op.kind) {
      case 'log': {
        const activity = message(`action write to the VCS partners about ${tryToken}`, op.who, where());
        const res = await post(activity);
        if (res.status !== 200) fail(`HTTP ${res.status}`);
        const replies = repliesTo(activity.id);
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
        const activity = message(`action ${op.ref} note ${tryToken}`, op.who, where());
        const res = await post(activity);
        if (res.status !== 200) fail(`HTTP ${res.status}`);
        const replies = repliesTo(activity.id);
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
        const res = await post(cardAction(verb, data, op.who, where()));
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
        const res = await post(
          cardAction(
            'consult.submit',
            { ref: consultation.ref, fp: consultation.fp, q1: tryToken },
            op.who,
            where(),
          ),
        );
        if (res.status !== 200) fail(`HTTP ${res.status}`);
        const body = res.body as { type: string; value: AdaptiveCard | string };
        if (body.type === CARD) {
          const text = cardText(body.value);
          // A write that fails brings the form back, saying so.
          if (/not answering just now, so nothing was changed/.test(text))
            return { token: tryToken, outcome: 'failed' };
          if (!/Your (answers|changes) are recorded/.test(text))
            fail(`unexpected card: ${text.slice(0, 300)}`);
          return { token: tryToken, outcome: 'ok' };
        }
        const said = String(body.value);
        if (/nothing was (changed|saved)/i.test(said)) return { token: tryToken, outcome: 'failed' };
        return fail(`unexpected answer: ${said}`);
      }
      case 'attend': {
        const res = await post(
          cardAction(
            'agenda.substitute',
            { ref: meeting.ref, substituteName: `Sub ${tryToken}`, substituteOrganisation: 'HCVS' },
            op.who,
            where(),
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
        return fail(`unexpected answer: ${said}`);
      }
      case 'install': {
        // Teams announces the bot again when it is added again; the conversation stays the same.
        const conversationId = `19:${op.token}@thread.tacv2`;
        const activity = installed(op.who, where(conversationId, 'channel'));
        const res = await post(activity);
        if (res.status !== 200) fail(`HTTP ${res.status}`);
        const welcomed = connector.calls.filter(
          (c) => c.method === 'POST' && c.conversationId === conversationId,
        );
        // The welcome follows the stored reference; an installation whose write failed says nothing.
        return { token: tryToken, outcome: welcomed.length ? 'ok' : 'failed' };
      }
    }
  }

  async function drive(op: Op): Promise<void> {
    for (let tryNo = 1; tryNo <= MAX_TRIES; tryNo++) {
      const tryToken = `${op.token}-${letters(tryNo)}`;
      const result = await attempt(op, tryToken, tryNo);
      op.tries.push(result);
      if (result.outcome === 'ok') return;
    }
  }

  beforeAll(async () => {
    // Forty actions to change, with faults off: half Jake's, half Dara O'Brien's.
    for (let i = 0; i < 40; i++) {
      const owner = i % 2 ? PEOPLE.partner : PEOPLE.obrien;
      const activity = message(
        `action write to the VCS partners about seeded ${letters(i + 1)}`,
        owner,
        where(),
      );
      await post(activity);
      const ref = refIn(cardText(cardOf(repliesTo(activity.id)[0])));
      if (!ref) throw new Error('seeding failed');
      seeded.push({ ref, owner });
    }
    if (consulting()) {
      await post(installed(PEOPLE.officer, where(CHANNEL, 'channel')));
      const opened = await post(
        cardAction('consult.open', newForm(new Date()), PEOPLE.officer, where(CHANNEL, 'channel'), 'form-1'),
      );
      consultation.ref =
        /Consultation (C-\d{4,7})/.exec(cardText((opened.body as { value: unknown }).value))?.[1] ?? '';
      await bot.consultations.service.settled();
      const stored = (await bot.lists.repos.Consultations.all({})).map(toConsultation);
      const c = stored.find((x) => x.ref === consultation.ref);
      if (!c) throw new Error('the consultation did not open');
      consultation.fp = formPrint(c);
    }
    if (packs()) {
      await post(installed(PEOPLE.officer, where(CHANNEL, 'channel')));
      const created = await post(
        cardAction(
          'agenda.create',
          agendaForm({ date: '2031-03-03', key: 'f00dfeedf00dfeedf00dfeed' }),
          PEOPLE.officer,
          where(CHANNEL, 'channel'),
        ),
      );
      meeting.ref = /\bM-\d{4,7}\b/.exec(JSON.stringify(created.body))?.[0] ?? '';
      const published = await post(
        cardAction(
          'agenda.publish',
          { ref: meeting.ref, members: false },
          PEOPLE.officer,
          where(CHANNEL, 'channel'),
        ),
      );
      if (!JSON.stringify(published.body).includes('Published'))
        throw new Error('the agenda pack was not published');
    }
    const random = seededRandom(7);
    const kinds = MIX.filter(
      ([kind]) => (kind !== 'answer' || consulting()) && (kind !== 'attend' || packs()),
    ).flatMap(([kind, n]) => Array.from({ length: n }, () => kind));
    for (let i = kinds.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
    }
    kinds.forEach((kind, index) => {
      const target = seeded[Math.floor(random() * seeded.length)]!;
      // Owners change their own; the officer changes anyone's.
      const token = `op${letters(index + 1)}`;
      const who =
        kind === 'attend'
          ? attender({ token } as Op)
          : kind === 'answer'
            ? ANSWERERS[index % ANSWERERS.length]!
            : kind === 'log' || kind === 'install'
              ? [PEOPLE.officer, PEOPLE.partner, PEOPLE.obrien][index % 3]!
              : random() < 0.5
                ? target.owner
                : PEOPLE.officer;
      ops.push({
        index,
        kind,
        token,
        who,
        ...(['log', 'install', 'answer', 'attend'].includes(kind) ? {} : { ref: target.ref }),
        tries: [],
      });
    });

    lists.setFaults({ rate: 0.3, status: 429, retryAfterSeconds: 0, seed: 2024 });
    let next = 0;
    let finished = 0;
    const worker = async () => {
      while (next < ops.length) {
        const op = ops[next++]!;
        await drive(op);
        // Mixed faults: the refusals switch between 429 and 503 as the run goes on.
        if (++finished % 25 === 0) lists.setFaults({ status: finished % 50 === 0 ? 429 : 503 });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    lists.setFaults({ rate: 0 });
    const retried = ops.filter((op) => op.tries.length > 1);
    console.info(
      `faults: ${ops.length} operations, ${retried.length} told "failed" at least once and tried again, ` +
        `${logs.entries.filter((e) => e.msg === 'Graph request not served; retrying').length} Graph requests refused and retried`,
    );
  }, 180_000);

  it(`ran over a thousand operations while Graph refused requests with both 429 and 503`, () => {
    expect(ops.length).toBeGreaterThan(1_000);
    const refused = logs.entries.filter((e) => e.msg === 'Graph request not served; retrying');
    const statuses = new Set(refused.map((e) => e.status));
    expect(statuses).toEqual(new Set([429, 503]));
    // 30% of several thousand requests.
    expect(refused.length).toBeGreaterThan(ops.length / 2);
  });

  it('every operation was confirmed to its sender in the end', () => {
    const unconfirmed = ops.filter((op) => op.tries.at(-1)?.outcome !== 'ok');
    expect(unconfirmed.map((op) => `${op.kind} #${op.index}`)).toEqual([]);
  });

  it('every action logged is one item with its own reference, the one its sender was told', async () => {
    const items = await bot.lists.repos.Actions.all({});
    const refs = items.map((i) => i.fields.ActionRef);
    expect(new Set(refs).size).toBe(refs.length);
    const keys = items.map((i) => i.fields.SourceKey);
    expect(new Set(keys).size).toBe(keys.length);
    const logged = ops.filter((op) => op.kind === 'log');
    expect(items).toHaveLength(seeded.length + logged.length);
    const problems: string[] = [];
    for (const op of logged) {
      const mine = items.filter((i) => String(i.fields.Title).includes(` about ${op.token}-`));
      const told = op.tries.at(-1)?.claimedRef;
      if (mine.length !== 1) problems.push(`${op.token}: ${mine.length} items`);
      else if (mine[0]?.fields.ActionRef !== told)
        problems.push(`${op.token}: told ${told}, stored ${mine[0]?.fields.ActionRef}`);
      else if (!String(mine[0]?.fields.Title).includes(op.tries.at(-1)!.token))
        problems.push(`${op.token}: stored from a try the sender was told had failed`);
    }
    expect(problems).toEqual([]);
  });

  it('every note, due date and "done" is one dated line in Details, on the right action', async () => {
    const items = await bot.lists.repos.Actions.all({});
    const byRef = new Map(items.map((i) => [i.fields.ActionRef, String(i.fields.Details ?? '')]));
    const allLines = items.flatMap((i) => String(i.fields.Details ?? '').split('\n'));
    const problems: string[] = [];
    for (const op of ops) {
      if (op.kind === 'note' || op.kind === 'typedNote') {
        const lines = allLines.filter((l) => l.includes(`note: ${op.token}-`));
        const onTarget = (byRef.get(op.ref!) ?? '')
          .split('\n')
          .filter((l) => l.includes(`note: ${op.token}-`));
        if (lines.length !== 1 || onTarget.length !== 1)
          problems.push(`${op.kind} ${op.token}: ${lines.length} lines, ${onTarget.length} on ${op.ref}`);
        else if (!onTarget[0]!.endsWith(`note: ${op.tries.at(-1)!.token}`))
          problems.push(`${op.kind} ${op.token}: the line is from a try said to have failed`);
      }
      if (op.kind === 'due') {
        const details = (byRef.get(op.ref!) ?? '').split('\n');
        const lines = op.tries.flatMap((t) =>
          details.filter(
            (l) => l.endsWith(` to ${formatLongDate(t.dueDate!)}`) && l.includes('changed the due date'),
          ),
        );
        if (lines.length !== 1) problems.push(`due ${op.token}: ${lines.length} lines`);
        else if (!lines[0]!.endsWith(formatLongDate(op.tries.at(-1)!.dueDate!)))
          problems.push(`due ${op.token}: the line is from a try said to have failed`);
      }
    }
    const closed = new Set(ops.filter((op) => op.kind === 'done').map((op) => op.ref));
    for (const { ref } of seeded) {
      const done = (byRef.get(ref) ?? '').split('\n').filter((l) => l.endsWith(': marked it done'));
      const status = items.find((i) => i.fields.ActionRef === ref)?.fields.Status;
      if (closed.has(ref) && (done.length !== 1 || status !== 'Done'))
        problems.push(`${ref}: ${done.length} "done" lines, status ${status}`);
      if (!closed.has(ref) && done.length) problems.push(`${ref}: done, but nobody closed it`);
    }
    expect(problems).toEqual([]);
  });

  it('every answer to the consultation is kept once: the latest, or in its history', async (ctx) => {
    if (!consulting()) return ctx.skip();
    const feedback = (await bot.lists.repos.Feedback.all({}))
      .map(toFeedback)
      .filter((f) => f.ref === consultation.ref);
    const problems: string[] = [];
    for (const who of ANSWERERS) {
      const mine = feedback.filter((f) => f.respondentId === who.aadObjectId);
      const theirs = ops.filter((op) => op.kind === 'answer' && op.who === who);
      if (mine.length !== 1) {
        problems.push(`${who.name}: ${mine.length} feedback items`);
        continue;
      }
      const kept = [mine[0]!.answers, ...mine[0]!.history.map((h) => h.answers)].map(
        (a) => a[0]?.answer ?? '',
      );
      for (const op of theirs) {
        const told = op.tries.at(-1)!.token;
        if (kept.filter((k) => k === told).length !== 1)
          problems.push(`${op.token}: kept ${kept.filter((k) => k === told).length} times`);
        for (const t of op.tries.slice(0, -1))
          if (kept.includes(t.token)) problems.push(`${t.token}: kept, though its sender was told it failed`);
      }
      if (kept.length !== theirs.length)
        problems.push(`${who.name}: ${kept.length} versions for ${theirs.length} answers`);
    }
    expect(problems).toEqual([]);
  });

  it('every attendance answer is one Attendance item, with the substitute its sender was told', async (ctx) => {
    if (!packs()) return ctx.skip();
    const answers = (await bot.lists.repos.Attendance.all({})).filter(
      (i) => i.fields.MeetingRef === meeting.ref,
    );
    const problems: string[] = [];
    for (const op of ops.filter((o) => o.kind === 'attend')) {
      const mine = answers.filter((i) => i.fields.MemberId === op.who.aadObjectId);
      if (mine.length !== 1) problems.push(`${op.token}: ${mine.length} items`);
      else if (mine[0]?.fields.SubstituteName !== `Sub ${op.tries.at(-1)!.token}`)
        problems.push(
          `${op.token}: stored ${mine[0]?.fields.SubstituteName}, told ${op.tries.at(-1)!.token}`,
        );
    }
    expect(problems).toEqual([]);
  });

  it('every installation is one Conversations item', async () => {
    const stored = await bot.lists.repos.Conversations.all({});
    const problems: string[] = [];
    for (const op of ops.filter((o) => o.kind === 'install')) {
      const n = stored.filter((i) => i.fields.ConversationId === `19:${op.token}@thread.tacv2`).length;
      if (n !== 1) problems.push(`${op.token}: ${n}`);
    }
    expect(problems).toEqual([]);
    const keys = stored.map((i) => i.fields.ConversationKey);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
