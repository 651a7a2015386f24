import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOARD_STAMP } from '../../bot/routing/board-stamp.js';
import { cardAction, installed, message, PEOPLE, TENANT, type Person } from '../support/activities.js';
import { cardOf, fromTenant, textOf } from '../support/actions-activities.js';
import { startTestBot, type TestBot } from '../support/bot-harness.js';
import { DEFAULT_BOARD_NAME, DEFAULT_TEAM_ID, seedBoard } from '../support/boards.js';
import { cardProblems, cardText, executeActions } from '../support/cards.js';
import { startConnector, type ConnectorStandIn } from '../support/connector.js';

/**
 * Issue 12: two boards in one installation, over HTTP and the local lists service. Board A is the
 * harness's default board (the Community Strategy Partnership Board); board B, the Safeguarding
 * Adults Board, is another team whose activities come through another service URL (as from a
 * second Agents Playground), so its roster is read there. The people:
 * - Jake Ferguson, a partner on both;
 * - Mayor Philip Glanville, chair of A and a partner on B;
 * - a member of the council's staff, in the same tenant, on neither;
 * - a guest from the NHS's tenant, in B's team only.
 * Sonia Khan is in BOARD_OFFICERS: a governance officer, officer of both.
 */

const B_TEAM = '19:safeguarding-adults@thread.tacv2';
const B_CHANNEL = B_TEAM;
const B_NAME = 'Safeguarding Adults Board';
const STAFF: Person = { id: '29:staff', aadObjectId: 'aad-council-staff', name: 'Pat Staff' };
const GUEST: Person = { id: '29:guest', aadObjectId: 'aad-nhs-guest', name: 'Nadia Guest' };

let t: TestBot;
let b: ConnectorStandIn;

beforeAll(async () => {
  t = await startTestBot();
  b = await startConnector();
  b.setMembers(
    [PEOPLE.partner, PEOPLE.chair, PEOPLE.officer, GUEST].map((p) => ({
      id: p.id,
      name: p.name,
      aadObjectId: p.aadObjectId,
      ...(p === GUEST
        ? { email: 'nadia.guest@nhs.example', userPrincipalName: 'nadia.guest_nhs#EXT#@council.example' }
        : {}),
    })),
  );
  await seedBoard(t.bot.lists, { serviceUrl: b.serviceUrl, teamId: B_TEAM, name: B_NAME, chairs: [] });
});

afterAll(async () => {
  await b?.close();
  await t?.close();
});

const personal = () => ({ serviceUrl: t.connector.serviceUrl });
const channelA = () => ({ serviceUrl: t.connector.serviceUrl, type: 'channel' as const });

/** A message in board B's channel, through B's service URL. */
function inB<T extends { channelData: Record<string, unknown> }>(activity: T): T {
  return {
    ...activity,
    channelData: { ...activity.channelData, team: { id: B_TEAM }, channel: { id: B_CHANNEL } },
  };
}
const channelB = () => ({ serviceUrl: b.serviceUrl, type: 'channel' as const, conversationId: B_CHANNEL });

const say = (text: string, from: Person, where = personal()) => message(text, from, where);

async function ask(connector: ConnectorStandIn, activity: unknown): Promise<Record<string, unknown>[]> {
  const before = connector.sent().length;
  const res = await t.post(activity);
  expect(res.status).toBe(200);
  return connector.sent().slice(before);
}

const allText = (sent: Record<string, unknown>[]) =>
  sent.map((s) => `${textOf(s)} ${cardText(cardOf(s))}`).join('\n');
const actionsIn = async (board: string) =>
  (await t.bot.lists.repos.Actions.all({})).filter((i) => i.fields.BoardId === board).map((i) => i.fields);

let refA = '';
let refB = '';

describe('two boards in one installation', () => {
  it('an action logged in a channel belongs to that channel’s board', async () => {
    const a = await ask(
      t.connector,
      say('action Jake Ferguson to map the carers’ services by end of June 2031', PEOPLE.partner, channelA()),
    );
    refA = /A-\d{4}/.exec(allText(a))?.[0] ?? '';
    const bSent = await ask(
      b,
      inB(
        say(
          'action Jake Ferguson to audit the safeguarding referrals by end of June 2031',
          PEOPLE.partner,
          channelB(),
        ),
      ),
    );
    refB = /A-\d{4}/.exec(allText(bSent))?.[0] ?? '';
    expect(refA).toMatch(/^A-\d{4}$/);
    expect(refB).toMatch(/^A-\d{4}$/);
    // References are unique across the installation.
    expect(refB).not.toBe(refA);
    expect((await actionsIn(DEFAULT_TEAM_ID)).map((f) => f.ActionRef)).toEqual([refA]);
    expect((await actionsIn(B_TEAM)).map((f) => f.ActionRef)).toEqual([refB]);
  });

  it('each channel sees only its own board’s actions', async () => {
    const a = allText(await ask(t.connector, say('actions', PEOPLE.chair, channelA())));
    expect(a).toContain('map the carers');
    expect(a).not.toContain('safeguarding referrals');
    const inBoardB = allText(await ask(b, inB(say('actions', PEOPLE.chair, channelB()))));
    expect(inBoardB).toContain('safeguarding referrals');
    expect(inBoardB).not.toContain('map the carers');
  });

  it('a reference from another board is not found from this one', async () => {
    const shown = allText(await ask(t.connector, say(`action ${refB} done`, PEOPLE.officer, channelA())));
    expect(shown).not.toContain('safeguarding referrals');
    expect((await actionsIn(B_TEAM))[0]?.Status).toBe('Open');
    // A button naming B's action, pressed in A's channel, finds nothing there either.
    const res = await t.post(cardAction('actions.done', { ref: refB }, PEOPLE.officer, channelA()));
    expect(JSON.stringify(res.body)).not.toContain('safeguarding referrals');
    expect((await actionsIn(B_TEAM))[0]?.Status).toBe('Open');
  });

  it('roles are per board: the chair of A is a partner on B', async () => {
    const onA = await t.post(cardAction('help.role', {}, PEOPLE.chair, channelA()));
    expect(JSON.stringify(onA.body)).toContain('a chair');
    const onB = await t.post(inB(cardAction('help.role', {}, PEOPLE.chair, channelB())));
    expect(JSON.stringify(onB.body)).toContain('a partner');
    // As a partner on B they cannot close Jake's action there.
    const done = await t.post(inB(cardAction('actions.done', { ref: refB }, PEOPLE.chair, channelB())));
    expect(JSON.stringify(done.body)).toMatch(/Only Jake Ferguson \(the owner\)/);
    expect((await actionsIn(B_TEAM))[0]?.Status).toBe('Open');
  });

  it('a member of staff on neither board sees nothing and is told why', async () => {
    const own = allText(await ask(t.connector, say('actions', STAFF)));
    expect(own).toContain("You are not a member of any board's team");
    expect(own).not.toMatch(/carers|safeguarding referrals/);
    // A forged activity in A's channel: still a stranger there.
    const forged = allText(await ask(t.connector, say('actions', STAFF, channelA())));
    expect(forged).toContain(`You are not a member of the ${DEFAULT_BOARD_NAME} team`);
    expect(forged).not.toContain('carers');
    // A button stamped with a board they are not on is refused before anything is read.
    const pressed = await t.post(
      cardAction('actions.show', { ref: refA, [BOARD_STAMP]: DEFAULT_TEAM_ID }, STAFF, personal()),
    );
    expect(JSON.stringify(pressed.body)).toContain('not a member');
    expect(JSON.stringify(pressed.body)).not.toContain('carers');
    // Nor does the tab show them anything.
  });

  it('a guest from another tenant in B’s team is a partner on B, and sees only B', async () => {
    const sent = allText(await ask(t.connector, fromTenant(say('actions', GUEST), 'tenant-nhs')));
    expect(sent).toContain('safeguarding referrals');
    expect(sent).not.toContain('carers');
    const inA = allText(await ask(t.connector, fromTenant(say('actions', GUEST, channelA()), 'tenant-nhs')));
    expect(inA).toContain(`You are not a member of the ${DEFAULT_BOARD_NAME} team`);
  });

  it('the partner on both sees both in the personal chat, grouped by board, in one card', async () => {
    const sent = await ask(t.connector, say('actions mine', PEOPLE.partner));
    expect(sent).toHaveLength(1);
    const card = cardOf(sent[0]) as never;
    expect(cardProblems(card)).toEqual([]);
    const text = cardText(card);
    expect(text).toContain(DEFAULT_BOARD_NAME);
    expect(text).toContain(B_NAME);
    // Each action sits under its own board's name.
    expect(text.indexOf(DEFAULT_BOARD_NAME)).toBeLessThan(text.indexOf('map the carers'));
    expect(text.indexOf('map the carers')).toBeLessThan(text.indexOf(B_NAME));
    expect(text.indexOf(B_NAME)).toBeLessThan(text.indexOf('safeguarding referrals'));
    // Its buttons name the board each action is on.
    const boards = new Set(executeActions(card).map((a) => a.data?.[BOARD_STAMP]));
    expect([...boards].sort()).toEqual([DEFAULT_TEAM_ID, B_TEAM].sort());
  });

  it('a command that needs one board asks which, and the chosen board gets it', async () => {
    const sent = await ask(
      t.connector,
      say('action Jake Ferguson to brief the hospital discharge team by end of July 2031', PEOPLE.partner),
    );
    const card = cardOf(sent.at(-1));
    expect(cardText(card)).toContain('Which board is this for?');
    const buttons = executeActions(card as never);
    const forB = buttons.find((x) => x.title === B_NAME)!;
    expect(forB.data?.[BOARD_STAMP]).toBe(B_TEAM);
    const res = await t.post(cardAction(forB.verb, forB.data ?? {}, PEOPLE.partner, personal()));
    expect(res.status).toBe(200);
    expect((await actionsIn(B_TEAM)).some((f) => f.Title.includes('hospital discharge'))).toBe(true);
    expect((await actionsIn(DEFAULT_TEAM_ID)).some((f) => f.Title.includes('hospital discharge'))).toBe(
      false,
    );
  });

  it('help needs no board: the partner on both gets it, and its buttons work, without being asked which', async () => {
    const sent = await ask(t.connector, say('help', PEOPLE.partner));
    expect(cardText(cardOf(sent.at(-1)))).not.toContain('Which board');
    const topic = await t.post(cardAction('help.topic', { topic: 'actions' }, PEOPLE.partner, personal()));
    expect(JSON.stringify(topic.body)).not.toContain('does not say which of your boards');
    expect((topic.body as { type?: string }).type).toBe('application/vnd.microsoft.card.adaptive');
  });

  it('"… for <board>" names the board in the personal chat', async () => {
    await ask(
      t.connector,
      say(
        `action Jake Ferguson to share the carers' map by end of July 2031 for ${DEFAULT_BOARD_NAME}`,
        PEOPLE.partner,
      ),
    );
    expect((await actionsIn(DEFAULT_TEAM_ID)).some((f) => f.Title.includes("share the carers' map"))).toBe(
      true,
    );
    expect((await actionsIn(B_TEAM)).some((f) => f.Title.includes("share the carers' map"))).toBe(false);
  });

  it('a group chat holding a non-member of a board is shown nothing of that board', async () => {
    const where = {
      serviceUrl: t.connector.serviceUrl,
      type: 'groupChat' as const,
      conversationId: '19:mixed@thread.v2',
    };
    const saved = t.connector;
    // The chat's roster: Jake and the member of staff (the connector answers one roster for all).
    saved.setMembers(
      [PEOPLE.partner, STAFF].map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId })),
    );
    try {
      const text = allText(await ask(t.connector, say('actions', PEOPLE.partner, where)));
      expect(text).not.toMatch(/carers|safeguarding referrals/);
      expect(text).toContain('Not everyone in this chat is a member of the same board');
    } finally {
      saved.setMembers(
        [PEOPLE.officer, PEOPLE.chair, PEOPLE.partner, PEOPLE.obrien].map((p) => ({
          id: p.id,
          name: p.name,
          aadObjectId: p.aadObjectId,
        })),
      );
    }
  });

  it('an officer appoints a chair of B from B’s members on the settings card, recorded with who and when', async () => {
    const sent = await ask(b, inB(say('board settings', PEOPLE.officer, channelB())));
    const card = cardOf(sent.at(-1));
    expect(cardText(card)).toContain(`${B_NAME}: board settings`);
    const picker = JSON.stringify(card);
    expect(picker).toContain('nadia.guest_nhs#EXT#@council.example');
    const res = await t.post(
      inB(
        cardAction(
          'boards.appoint',
          { role: 'chair', appointChair: 'nadia.guest_nhs#EXT#@council.example' },
          PEOPLE.officer,
          channelB(),
        ),
      ),
    );
    expect(JSON.stringify(res.body)).toContain('Nadia Guest is now a chair of the board');
    const board = (await t.bot.lists.repos.Boards.all({})).find((i) => i.fields.TeamId === B_TEAM)!;
    expect(board.fields.Chairs).toContain('nadia.guest_nhs#EXT#@council.example');
    expect(board.fields.History).toMatch(
      /\d{4}-\d\d-\d\d \d\d:\d\d UTC: Sonia Khan .* appointed Nadia Guest/,
    );
    // Someone not in B's team cannot be appointed, whatever the card says.
    const forged = await t.post(
      inB(
        cardAction(
          'boards.appoint',
          { role: 'officer', appointOfficer: 'aad-council-staff' },
          PEOPLE.officer,
          channelB(),
        ),
      ),
    );
    expect(JSON.stringify(forged.body)).toContain('not a member of the Safeguarding Adults Board team');
    // A partner cannot open the settings.
    expect(allText(await ask(b, inB(say('board settings', PEOPLE.partner, channelB()))))).toContain(
      "Only board officers can see and change the board's officers and chairs",
    );
  });

  it('the tab shows its team’s board to its members only, with their role on it', async () => {
    const tab = async (as: string, team?: string, path = '/tab/api/actions?status=all') => {
      const res = await fetch(`${t.bot.url}${path}`, {
        headers: { 'x-tab-dev-as': as, ...(team ? { 'x-tab-team': team } : {}) },
      });
      return { status: res.status, text: await res.text() };
    };
    const inA = await tab('jake', DEFAULT_TEAM_ID);
    expect(inA.status).toBe(200);
    expect(inA.text).toContain('map the carers');
    expect(inA.text).not.toContain('safeguarding referrals');
    const inB = await tab('jake', B_TEAM);
    expect(inB.status).toBe(200);
    expect(inB.text).toContain('safeguarding referrals');
    expect(inB.text).not.toContain('map the carers');
    // The chair of A is a partner in B's tab.
    expect(JSON.parse((await tab('chair', B_TEAM, '/tab/api/me')).text)).toMatchObject({ role: 'partner' });
    expect(JSON.parse((await tab('chair', DEFAULT_TEAM_ID, '/tab/api/me')).text)).toMatchObject({
      role: 'chair',
    });
    // Jake's personal tab spans his boards, each row naming its board; a change finds its board.
    const mine = JSON.parse((await tab('jake')).text) as { items: { ref: string; board?: string }[] };
    expect(mine.items.find((i) => i.ref === refA)?.board).toBe(DEFAULT_BOARD_NAME);
    expect(mine.items.find((i) => i.ref === refB)?.board).toBe(B_NAME);
    const moved = await fetch(`${t.bot.url}/tab/api/actions/${refB}/status`, {
      method: 'POST',
      headers: { 'x-tab-dev-as': 'jake', 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'In progress' }),
    });
    expect(moved.status).toBe(200);
    expect((await actionsIn(B_TEAM)).find((f) => f.ActionRef === refB)?.Status).toBe('In progress');
    // Someone on neither board, or a team that is no board, sees nothing.
    for (const [as, team] of [
      ['tom', DEFAULT_TEAM_ID],
      ['tom', undefined],
      ['jake', '19:not-a-board@thread.tacv2'],
    ] as const) {
      const refused = await tab(as, team);
      expect(refused.status, `${as} in ${team ?? 'the personal tab'}`).toBe(403);
      expect(refused.text).not.toMatch(/carers|safeguarding referrals/);
    }
  });

  it('an admin editing the Boards list is honoured at once (within seconds)', async () => {
    const board = (await t.bot.lists.repos.Boards.all({})).find((i) => i.fields.TeamId === B_TEAM)!;
    await t.bot.lists.repos.Boards.update(board.id, { Officers: PEOPLE.partner.aadObjectId });
    await new Promise((r) => setTimeout(r, 5_100));
    const role = await t.post(inB(cardAction('help.role', {}, PEOPLE.partner, channelB())));
    expect(JSON.stringify(role.body)).toContain('an officer');
  });

  it('a team the app was in before boards gets its board on its first message, with no installer', async () => {
    const team = '19:older-install@thread.tacv2';
    const where = { serviceUrl: t.connector.serviceUrl, type: 'channel' as const, conversationId: team };
    const said = say('help', PEOPLE.partner, where);
    await t.post({
      ...said,
      channelData: { ...said.channelData, team: { id: team }, channel: { id: team } },
    });
    const made = (await t.bot.lists.repos.Boards.all({})).find((i) => i.fields.TeamId === team)!;
    expect(made.fields).toMatchObject({ Status: 'Active', Title: 'Community Strategy Partnership Board' });
    expect(made.fields.InstalledBy).toBeUndefined();
  });

  it('installing the app in a team makes its board; removing it keeps the record, inactive', async () => {
    const team = '19:community-safety@thread.tacv2';
    const where = { serviceUrl: t.connector.serviceUrl, type: 'channel' as const, conversationId: team };
    const raw = installed(PEOPLE.chair, where);
    const add = { ...raw, channelData: { ...raw.channelData, team: { id: team } } };
    const res = await t.post(add);
    expect(res.status).toBe(200);
    const made = (await t.bot.lists.repos.Boards.all({})).find((i) => i.fields.TeamId === team)!;
    expect(made.fields).toMatchObject({
      Status: 'Active',
      InstalledBy: PEOPLE.chair.aadObjectId,
      GroupId: 'group-1',
    });
    expect(made.fields.ServiceUrl).toBe(t.connector.serviceUrl);
    const remove = { ...add, id: 'removal', action: 'remove' };
    const removed = await t.post(remove);
    expect(removed).toMatchObject({ status: 200 });
    const kept = (await t.bot.lists.repos.Boards.all({})).find((i) => i.fields.TeamId === team)!;
    expect(kept.fields.History ?? '').toContain('removed');
    expect(kept.fields.Status).toBe('Inactive');
    expect(TENANT).toBeTruthy();
  });
});
