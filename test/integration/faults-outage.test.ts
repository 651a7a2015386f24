import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatLongDate } from '../../bot/dates/london.js';
import { formPrint } from '../../bot/features/consultations/answers.js';
import { toConsultation, toFeedback } from '../../bot/features/consultations/model.js';
import { startBot, type RunningBot } from '../../bot/index.js';
import { silentLogger } from '../../bot/logger.js';
import type { AdaptiveCard } from '../../cards/adaptive.js';
import { startListsService, type ListsService } from '../../infra/local/server.js';
import { formData as agendaForm } from '../support/agenda-activities.js';
import { CHANNEL, MEMBERS, newForm } from '../support/consult-harness.js';
import { cardAction, installed, message, PEOPLE } from '../support/activities.js';
import { cardOf, textOf } from '../support/actions-activities.js';
import { cardText } from '../support/cards.js';
import { startConnector, type ConnectorStandIn } from '../support/connector.js';
import { letters, snapshotLists, changesBetween, type Snapshot } from '../support/hostile.js';
import { testConfig } from '../support/bot-harness.js';

/**
 * The lists service down for a minute: it is stopped (first while operations are in flight), the
 * bot keeps serving, and everyone who tries to change something is told it failed — never that it
 * worked. It is then started again on the same port with the same data: what people were told
 * had worked is there exactly once, what they were told had failed is not there at all (nothing
 * half-written), and trying again lands once.
 */

const CARD = 'application/vnd.microsoft.card.adaptive';

type Kind = 'log' | 'typedNote' | 'note' | 'due' | 'done' | 'show' | 'query' | 'install' | 'answer';
const KINDS: Kind[] = ['log', 'typedNote', 'note', 'due', 'done', 'show', 'query', 'install', 'answer'];

interface Try {
  kind: Kind;
  token: string;
  ref?: string;
  dueDate?: string;
  outcome: 'ok' | 'failed';
  said: string;
}

let dataDir: string;
let lists: ListsService;
let port: number;
let connector: ConnectorStandIn;
let bot: RunningBot;
let ref = '';
const consultation = { ref: '', fp: '' };

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

const repliesTo = (activityId: string) =>
  connector.calls.filter((c) => c.method === 'POST' && c.activityId === activityId).map((c) => c.body ?? {});

const consulting = () => bot.router.verbNames().includes('consult.submit');

/**
 * One thing a person does, and what they were told. Throws when the answer is neither a clear
 * success nor a clear failure (a reply that could mislead is a failure of the test).
 */
async function act(kind: Kind, token: string, n: number): Promise<Try> {
  const base = { kind, token };
  const who = PEOPLE.partner;
  const bad = (said: string): never => {
    throw new Error(`${kind} ${token}: an answer that is neither success nor failure: ${said.slice(0, 300)}`);
  };
  if (kind === 'log' || kind === 'typedNote' || kind === 'query') {
    const text =
      kind === 'log'
        ? `action write to the VCS partners about ${token}`
        : kind === 'typedNote'
          ? `action ${ref} note ${token}`
          : 'actions mine';
    const activity = message(text, who, where());
    const res = await post(activity);
    expect(res.status).toBe(200);
    const replies = repliesTo(activity.id);
    expect(replies).toHaveLength(1);
    const card = cardOf(replies[0]);
    const said = card ? cardText(card) : textOf(replies[0]);
    if (kind === 'log' && card && said.includes(token)) return { ...base, outcome: 'ok', said };
    if (kind === 'typedNote' && card && said.includes(`Note added to ${ref}`))
      return { ...base, ref, outcome: 'ok', said };
    if (kind === 'query' && card) return { ...base, outcome: 'ok', said };
    if (!card && /NOT saved|^Nothing was changed|^I could not read/.test(said))
      return { ...base, ...(kind === 'typedNote' ? { ref } : {}), outcome: 'failed', said };
    return bad(said);
  }
  if (kind === 'install') {
    const conversationId = `19:${token}@thread.tacv2`;
    const res = await post(installed(PEOPLE.officer, where(conversationId, 'channel')));
    expect(res.status).toBeLessThan(500);
    const welcomed = connector.calls.filter(
      (c) => c.method === 'POST' && c.conversationId === conversationId,
    );
    return { ...base, outcome: welcomed.length ? 'ok' : 'failed', said: welcomed.length ? 'welcome' : '' };
  }
  const dueDate = new Date(Date.UTC(2032, 0, 1 + n)).toISOString().slice(0, 10);
  const [verb, data] = {
    note: ['actions.note', { ref, note: token }],
    due: ['actions.due', { ref, dueDate }],
    done: ['actions.done', { ref }],
    show: ['actions.show', { ref }],
    answer: ['consult.submit', { ref: consultation.ref, fp: consultation.fp, q1: token }],
  }[kind] as [string, Record<string, unknown>];
  const res = await post(cardAction(verb, data, who, where()));
  expect(res.status).toBe(200);
  const body = res.body as { type: string; value: AdaptiveCard | string };
  const extra = kind === 'answer' ? {} : { ref, ...(kind === 'due' ? { dueDate } : {}) };
  if (body.type === CARD) {
    const said = cardText(body.value);
    // A consultation answer whose write fails brings the form back, saying so.
    if (kind === 'answer' && /not answering just now, so nothing was changed/.test(said))
      return { ...base, ...extra, outcome: 'failed', said };
    const ok =
      kind === 'answer'
        ? /Your (answers|changes) are recorded/.test(said)
        : said.includes(ref) && !/Nothing was changed/.test(said);
    return ok ? { ...base, ...extra, outcome: 'ok', said } : bad(said);
  }
  const said = String(body.value);
  if (/^Nothing was changed|^I could not read|nothing was changed/.test(said))
    return { ...base, ...extra, outcome: 'failed', said };
  return bad(said);
}

/** Was this try's change stored, and how many times? */
async function landed(t: Try): Promise<number> {
  const items = await bot.lists.repos.Actions.all({});
  const lines = items.flatMap((i) => String(i.fields.Details ?? '').split('\n'));
  switch (t.kind) {
    case 'log':
      return items.filter((i) => String(i.fields.Title).endsWith(` about ${t.token}`)).length;
    case 'note':
    case 'typedNote':
      return lines.filter((l) => l.endsWith(`note: ${t.token}`)).length;
    case 'due':
      return lines.filter(
        (l) => l.includes('changed the due date') && l.endsWith(` to ${formatLongDate(t.dueDate!)}`),
      ).length;
    case 'install':
      return (await bot.lists.repos.Conversations.all({})).filter(
        (i) => i.fields.ConversationId === `19:${t.token}@thread.tacv2`,
      ).length;
    case 'answer': {
      const mine = (await bot.lists.repos.Feedback.all({}))
        .map(toFeedback)
        .filter((f) => f.ref === consultation.ref && f.respondentId === PEOPLE.partner.aadObjectId);
      return mine
        .flatMap((f) => [f.answers, ...f.history.map((h) => h.answers)])
        .filter((a) => a[0]?.answer === t.token).length;
    }
    default:
      return 0;
  }
}

const WRITES: Kind[] = ['log', 'typedNote', 'note', 'due', 'install', 'answer'];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pb-outage-'));
  lists = await startListsService({ port: 0, dataDir, provision: true });
  port = lists.port;
  connector = await startConnector();
  connector.setMembers(MEMBERS.map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId })));
  bot = await startBot(testConfig(lists, dataDir), silentLogger);
  // Jake's action, and a consultation he is invited to, before anything goes wrong.
  const first = await act('log', 'before the outage', 0);
  ref = /A-\d{4}/.exec(first.said)?.[0] ?? '';
  if (consulting()) {
    await post(installed(PEOPLE.officer, where(CHANNEL, 'channel')));
    const opened = await post(
      cardAction('consult.open', newForm(new Date()), PEOPLE.officer, where(CHANNEL, 'channel')),
    );
    consultation.ref =
      /Consultation (C-\d{4,7})/.exec(cardText((opened.body as { value: unknown }).value))?.[1] ?? '';
    await bot.consultations.service.settled();
    const c = (await bot.lists.repos.Consultations.all({}))
      .map(toConsultation)
      .find((x) => x.ref === consultation.ref);
    consultation.fp = c ? formPrint(c) : '';
  }
});

afterAll(async () => {
  await bot?.close();
  await connector?.close();
  await lists?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the lists service down for a minute, then back', () => {
  const kinds = () => KINDS.filter((k) => k !== 'answer' || consulting());
  const inFlight: Try[] = [];
  const during: Try[] = [];
  let before: Snapshot;
  let n = 1;
  let stoppedAt = 0;
  /** How long the lists stay down: the "down for a minute". */
  const OUTAGE_MS = 60_000;

  it('stopped in the middle of a burst: each person is told it worked or that it failed', async () => {
    before = await snapshotLists(bot.lists);
    const burst = Array.from({ length: 36 }, (_, i) => kinds()[i % kinds().length]!);
    let answered = 0;
    let stopping: Promise<void> | undefined;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (burst.length) {
          const kind = burst.shift()!;
          inFlight.push(await act(kind, `burst-${letters(n)}`, n++));
          if (++answered === 8) stopping = lists.close();
        }
      }),
    );
    await stopping;
    stoppedAt = Date.now();
    expect(inFlight.filter((t) => t.outcome === 'ok').length).toBeGreaterThan(0);
    expect(inFlight.filter((t) => t.outcome === 'failed').length).toBeGreaterThan(0);
  });

  it('while it is down for a minute, every change is refused plainly, and help still answers', async () => {
    // People keep trying all through the minute, so the retries' budget runs out many times over.
    do {
      for (const kind of kinds()) during.push(await act(kind, `down-${letters(n)}`, n++));
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    } while (Date.now() - stoppedAt < OUTAGE_MS);
    expect(during.length).toBeGreaterThan(kinds().length);
    const claimed = during.filter((t) => t.outcome === 'ok');
    expect(claimed.map((t) => `${t.kind}: ${t.said.slice(0, 80)}`)).toEqual([]);
    const help = message('help', PEOPLE.partner, where());
    expect((await post(help)).status).toBe(200);
    expect(cardText(cardOf(repliesTo(help.id)[0]))).toContain('Partnership Board');
    const health = await fetch(`${bot.url}/healthz`);
    expect(health.status).toBe(503);
  }, 240_000);

  it('back on the same port with the same data: what was confirmed is there once, what failed is not there', async () => {
    lists = await startListsService({ port, dataDir, provision: true });
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    const problems: string[] = [];
    for (const t of [...inFlight, ...during].filter((x) => WRITES.includes(x.kind))) {
      const count = await landed(t);
      const expected = t.outcome === 'ok' ? 1 : 0;
      if (count !== expected)
        problems.push(`${t.kind} ${t.token} (told ${t.outcome}): stored ${count} times`);
    }
    expect(problems).toEqual([]);
    // Nothing else changed: every change since the outage began belongs to a confirmed try.
    const confirmed = inFlight.filter((t) => t.outcome === 'ok');
    const has = (...k: Kind[]) => confirmed.some((t) => k.includes(t.kind));
    const unexplained = changesBetween(before, await snapshotLists(bot.lists)).filter((c) => {
      const fields = (c.after ?? c.before ?? {}) as Record<string, unknown>;
      if (c.list === 'Actions' && c.kind === 'added')
        return !confirmed.some((t) => t.kind === 'log' && String(fields.Title).endsWith(` about ${t.token}`));
      if (c.list === 'Actions' && c.kind === 'changed')
        return !(fields.ActionRef === ref && has('note', 'typedNote', 'due', 'done'));
      if (c.list === 'Conversations' && c.kind === 'added')
        return !confirmed.some(
          (t) => t.kind === 'install' && fields.ConversationId === `19:${t.token}@thread.tacv2`,
        );
      if (c.list === 'Feedback' && c.kind !== 'removed') return !has('answer');
      return true;
    });
    expect(
      unexplained.map((c) => `${c.kind} in ${c.list}: ${JSON.stringify(c.after ?? c.before).slice(0, 200)}`),
    ).toEqual([]);
  });

  it('trying again after it is back lands each change once', async () => {
    const failed = [...inFlight, ...during].filter((t) => t.outcome === 'failed' && WRITES.includes(t.kind));
    expect(failed.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const t of failed) {
      // A person tries again: the same words (a new message), the same button, the same install.
      let again = await act(t.kind, t.token, n++);
      // The first request on a connection the restart cut may fail once; people try again then too.
      if (again.outcome === 'failed') again = await act(t.kind, t.token, n++);
      if (again.outcome !== 'ok') problems.push(`${t.kind} ${t.token}: still failing: ${again.said}`);
      else if ((await landed(again)) !== 1)
        problems.push(`${t.kind} ${t.token}: stored ${await landed(again)} times`);
    }
    expect(problems).toEqual([]);
  });
});

describe('a change that lands, then a read after it fails', () => {
  const packs = () =>
    ['agenda.create', 'agenda.publish', 'agenda.attend'].every((v) => bot.router.verbNames().includes(v));
  let meetingRef = '';
  let said = '';

  beforeAll(async () => {
    if (!packs()) return;
    const created = await post(
      cardAction(
        'agenda.create',
        agendaForm({ date: '2031-04-07', key: 'b0a710ad0b0a710ad0b0a710' }),
        PEOPLE.officer,
        where(CHANNEL, 'channel'),
      ),
    );
    meetingRef = /\bM-\d{4,7}\b/.exec(JSON.stringify(created.body))?.[0] ?? '';
    await post(
      cardAction(
        'agenda.publish',
        { ref: meetingRef, members: false },
        PEOPLE.officer,
        where(CHANNEL, 'channel'),
      ),
    );
  });

  it('attendance: the answer is stored though reading the pack after it fails', async () => {
    expect(packs()).toBe(true);
    expect(meetingRef).toMatch(/^M-/);
    // The Attendance write succeeds; the next read of the pack's items (to refresh the posted
    // card and answer with the pack) fails, as a Graph outage starting at that moment would.
    const attendance = bot.lists.repos.Attendance;
    const items = bot.lists.repos.AgendaItems;
    const create = attendance.create.bind(attendance);
    const all = items.all.bind(items);
    let written = false;
    const spies = [
      vi.spyOn(attendance, 'create').mockImplementation(async (...args) => {
        const item = await create(...args);
        written = true;
        return item;
      }),
      vi.spyOn(items, 'all').mockImplementation(async (...args) => {
        if (written) {
          written = false;
          throw new Error('simulated: the lists stopped answering');
        }
        return all(...args);
      }),
    ];
    try {
      const res = await post(cardAction('agenda.attend', { ref: meetingRef }, PEOPLE.obrien, where()));
      const body = res.body as { type: string; value: unknown };
      said = body.type === CARD ? cardText(body.value) : String(body.value);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    const stored = (await bot.lists.repos.Attendance.all({})).filter(
      (i) => i.fields.MeetingRef === meetingRef && i.fields.MemberId === PEOPLE.obrien.aadObjectId,
    );
    expect(stored.map((i) => i.fields.Response)).toEqual(['Attending']);
  });

  // A read failing after the answer was stored must not tell the person it was not.
  it('attendance: the person is not told "Nothing was changed" about an answer that was recorded', () => {
    expect(said).not.toMatch(/Nothing was changed/);
  });
});
