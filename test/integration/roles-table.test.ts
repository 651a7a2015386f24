import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_AS_ACTION_COMMAND } from '../../cards/actions-dialogs.js';
import { AGENDA_NEW_DIALOG } from '../../cards/agenda-form.js';
import { VERBS } from '../../cards/verbs.js';
import { cardAction, invoke, message, PEOPLE, type Person } from '../support/activities.js';
import { logAsActionFetch } from '../support/actions-activities.js';
import {
  changesBetween,
  dialogNames,
  listsSettled,
  realData,
  snapshotLists,
  startHostileBed,
  STRANGER,
  type HostileBed,
} from '../support/hostile.js';
import { seedBoard } from '../support/boards.js';
import { startConnector, type ConnectorStandIn } from '../support/connector.js';

/**
 * Issue 7, item 2: who may do what, as one table. Every text command the router knows, every card
 * verb declared in cards/verbs.ts, the dialog and the message action, each tried over HTTP by an
 * officer, a chair, a partner and a stranger (someone signed in to another tenant, in a personal
 * chat): allowed, or refused with the router's own message naming who can — and then nothing in
 * any of the eight lists has changed.
 *
 * The expectations are written here from the design, not read from the router (its allow lists
 * are private, on purpose): officers publish packs and consultations and change anyone's actions,
 * chairs ask about everything and close actions, partners log and update their own and answer,
 * strangers only read help. A verb added to cards/verbs.ts or a command added to the router gets
 * a row here, which fails until the table says who may use it.
 */

type Role = 'officer' | 'chair' | 'partner' | 'stranger';
const ROLES: readonly Role[] = ['officer', 'chair', 'partner', 'stranger'];

interface Rule {
  allow: readonly Role[];
  /** The end of the refusal: "Only board officers can <what>." */
  what: string;
}

const EVERYONE: readonly Role[] = ['officer', 'chair', 'partner', 'stranger'];
const BOARD: readonly Role[] = ['officer', 'chair', 'partner'];
const OFFICERS_AND_CHAIRS: readonly Role[] = ['officer', 'chair'];
const OFFICERS: readonly Role[] = ['officer'];

const everyone = (what: string): Rule => ({ allow: EVERYONE, what });
const board = (what: string): Rule => ({ allow: BOARD, what });
const officersAndChairs = (what: string): Rule => ({ allow: OFFICERS_AND_CHAIRS, what });
const officers = (what: string): Rule => ({ allow: OFFICERS, what });

/** Card verbs, by name. */
const VERB_RULES: Record<string, Rule> = {
  // Help is for anyone, strangers included: it tells them what the board is and that they are not on it.
  'help.show': everyone('show the help card'),
  'help.topic': everyone('explain one of the three jobs'),
  'help.role': everyone('tell people their role on the board and what it lets them do'),
  // Actions: the board reads and updates them (whose action it is is checked after the gate).
  'actions.show': board('show an action'),
  'actions.start': board('start an action'),
  'actions.done': board('mark an action done'),
  'actions.drop': board('drop an action'),
  'actions.note': board('add a note to an action'),
  'actions.due': board('change the due date of an action'),
  'actions.reassign': board('reassign an action'),
  'actions.edit': board('edit an action'),
  'actions.undo': board('undo logging an action'),
  'actions.more': board('show more actions'),
  'actions.import': officersAndChairs('import actions from minutes'),
  'actions.import.cancel': officersAndChairs('cancel an import of actions'),
  'actions.import.read': officersAndChairs('import actions from minutes'),
  // Consultations: officers run them, chairs follow them, partners answer.
  'consult.open': officers('open a consultation'),
  'consult.answer': board('answer consultations'),
  'consult.save': board('answer consultations'),
  'consult.submit': board('answer consultations'),
  'consult.refresh': board('see consultations'),
  'consult.status': officersAndChairs('see who has answered a consultation'),
  'consult.remind': officers('remind partners about a consultation'),
  'consult.resend': officers('send consultation invitations again'),
  'consult.respond': officers('give an initial response to feedback'),
  'consult.close': officers('close a consultation'),
  'consult.export': officers('export the feedback of a consultation'),
  'consult.wedid': officers('record what changed after a consultation'),
  'consult.wedid.save': officers('record what changed after a consultation'),
  // Agenda packs: officers write and publish them, the board reads them and answers attendance.
  'agenda.create': officers('create agenda packs'),
  'agenda.form.rows': officers('create agenda packs'),
  'agenda.update': officers('change agenda packs'),
  'agenda.edit': officers('change agenda packs'),
  'agenda.discard': officers('discard agenda packs'),
  'agenda.publish': officers('publish agenda packs'),
  'agenda.show': board('read agenda packs'),
  'agenda.items': board('read agenda packs'),
  'agenda.attend': board('answer attendance'),
  'agenda.apologies': board('answer attendance'),
  'agenda.substitute': board('answer attendance'),
  'agenda.sheet': officersAndChairs('see the attendance sheet'),
  'agenda.supplement': officers('publish supplementary papers'),
  'agenda.changes': board('compare versions of agenda packs'),
  'agenda.decisions.form': officers('record decisions'),
  'agenda.decisions': officers('record decisions'),
  // Boards (issue 12): the "which board?" card's button is for members; settings for officers.
  'boards.choose': board('choose a board'),
  'boards.settings': officers("see and change the board's officers and chairs"),
  'boards.appoint': officers('appoint officers and chairs'),
  'boards.remove': officers('remove officers and chairs'),
};

/** Text commands, by the name the router registers them under, each with something that says it. */
const COMMAND_RULES: Record<string, Rule & { say: (bed: HostileBed) => string }> = {
  help: { ...everyone('use "help"'), say: () => 'help' },
  'actions import': {
    ...officersAndChairs('import actions from minutes'),
    say: () => 'actions import\nSend the minutes — Sonia Khan — 30 June 2031',
  },
  'action <ref> …': { ...board('update actions'), say: (bed) => `action ${bed.refs.jakesOwn}` },
  'actions [open|overdue|mine|for|from]': { ...board('ask about actions'), say: () => 'actions open' },
  'action <text>': { ...board('log actions'), say: () => 'action write to the CCG by 30 June 2031' },
  'consult new': { ...officers('open a consultation'), say: () => 'consult new' },
  'consult status': {
    ...officersAndChairs('see who has answered a consultation'),
    say: () => 'consult status',
  },
  'consult remind': { ...officers('remind partners about a consultation'), say: () => 'consult remind' },
  'consult close': { ...officers('close a consultation'), say: () => 'consult close' },
  'consult export': { ...officers('export the feedback of a consultation'), say: () => 'consult export' },
  'consult you said we did': {
    ...officers('record what changed after a consultation'),
    say: () => 'consult you said we did',
  },
  consult: { ...board('see consultations'), say: () => 'consult' },
  // Anything else after "consult" or "agenda" gets the usage text: help, which strangers may read.
  'consult …': { ...everyone('use "consult …"'), say: () => 'consult frobnicate' },
  'agenda new': { ...officers('create agenda packs'), say: () => 'agenda new' },
  'agenda import': { ...officers('create agenda packs'), say: () => 'agenda import\n1. Welcome' },
  'agenda supplement': {
    ...officers('publish supplementary papers'),
    say: () => 'agenda supplement\nA late paper on the budget',
  },
  'agenda decision': { ...officers('record decisions'), say: () => 'agenda decision 1: Agreed' },
  'agenda attendance': { ...officersAndChairs('see the attendance sheet'), say: () => 'agenda attendance' },
  'agenda [M-…]': { ...board('read agenda packs'), say: () => 'agenda' },
  'agenda …': { ...everyone('ask about agenda packs'), say: () => 'agenda frobnicate' },
  'board settings': {
    ...officers("see and change the board's officers and chairs"),
    say: () => 'board settings',
  },
};

const DIALOG_RULES: Record<string, Rule> = {
  [AGENDA_NEW_DIALOG]: officers('create agenda packs'),
};

const MESSAGE_ACTION_RULES: Record<string, Rule> = {
  [LOG_AS_ACTION_COMMAND]: board('log actions'),
};

const WORDS: Record<Role, string> = {
  officer: 'officers',
  chair: 'chairs',
  partner: 'partners',
  stranger: 'people outside the board',
};

/**
 * The refusal as a person reads it, written out here rather than taken from the product. A stranger
 * (in no board's team) is also told why (issue 12).
 */
function refusalText(rule: Rule, role?: Role): string {
  const words = rule.allow.map((r) => WORDS[r]);
  const list = words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : words[0];
  const refusal = `Only board ${list} can ${rule.what}. If you think you should be able to, ask one of the board's officers.`;
  return role === 'stranger' ? `${refusal} ${NOT_ON_A_BOARD}` : refusal;
}

const NOT_ON_A_BOARD =
  "You are not a member of any board's team that uses this app, so there is no board record for you to see. If you should be, ask the board's officers to add you to its team in Teams.";

const ROUTER_REFUSAL = /Only board (officers|chairs|partners|people outside)/;

let bed: HostileBed;

const person = (role: Role): Person => (role === 'stranger' ? STRANGER : PEOPLE[role]);

/** As this role, in their personal chat (a stranger's in their own tenant). */
function as<T extends { conversation: object; channelData: object }>(role: Role, activity: T): T {
  return role === 'stranger' ? bed.asStranger(activity) : activity;
}

/** Nothing more for the lists to do: background sends and conversation bookkeeping finished. */
async function settled(): Promise<void> {
  await bed.t.bot.consultations.service.settled();
  await listsSettled(bed.t.lists, 25);
}

/** Runs one attempt; for a refused role, proves the eight lists did not change. */
async function attempt<T>(refused: boolean, run: () => Promise<T>): Promise<T> {
  if (!refused) return run();
  await settled();
  const before = await snapshotLists(bed.t.bot.lists);
  const result = await run();
  await settled();
  expect(changesBetween(before, await snapshotLists(bed.t.bot.lists))).toEqual([]);
  return result;
}

interface InvokeAnswer {
  type?: string;
  value?: unknown;
  task?: { type?: string; value?: unknown };
}

async function pressAs(role: Role, verb: string, data: Record<string, unknown>): Promise<InvokeAnswer> {
  const res = await bed.t.post(as(role, cardAction(verb, data, person(role), bed.personal())));
  expect(res.status).toBe(200);
  return (res.body ?? {}) as InvokeAnswer;
}

/** Texts the bot sent while `run` ran (its replies go through the connector). */
async function textsSentDuring(run: () => Promise<unknown>): Promise<string[]> {
  const from = bed.t.connector.calls.length;
  await run();
  return bed.t.connector.calls
    .slice(from)
    .map((c) => c.body?.text)
    .filter((t): t is string => typeof t === 'string');
}

beforeAll(async () => {
  bed = await startHostileBed();
  // Each person has talked to the bot once, so the Conversations list already knows them all.
  for (const role of ROLES) await bed.t.post(as(role, message('help', person(role), bed.personal())));
  await settled();
}, 60_000);

afterAll(async () => {
  await bed?.close();
});

describe('the table covers everything the bot routes', () => {
  it('has a row for every declared card verb, and every one has a handler', () => {
    const declared = Object.values(VERBS).map((v) => v.name);
    expect(Object.keys(VERB_RULES).sort()).toEqual([...declared].sort());
    expect([...bed.t.bot.router.verbNames()].sort()).toEqual([...declared].sort());
  });

  it('has a row for every text command, with a sample the router sends to that command', () => {
    const router = bed.t.bot.router;
    expect(Object.keys(COMMAND_RULES).sort()).toEqual([...router.commandNames()].sort());
    // The first command that matches a text handles it; each sample must land on its own row.
    const commands = (router as unknown as { commands: { name: string; match(text: string): unknown }[] })
      .commands;
    for (const [name, rule] of Object.entries(COMMAND_RULES)) {
      const text = rule.say(bed);
      expect(commands.find((c) => c.match(text))?.name, text).toBe(name);
    }
  });

  it('has a row for every dialog and message action', () => {
    expect(dialogNames(bed.t.bot.router).sort()).toEqual(Object.keys(DIALOG_RULES).sort());
    const actions = (bed.t.bot.router as unknown as { messageActions: Map<string, unknown> }).messageActions;
    expect([...actions.keys()].sort()).toEqual(Object.keys(MESSAGE_ACTION_RULES).sort());
  });

  it('resolves the four people to the four roles the table is about', async () => {
    const described: Record<Role, string> = {
      officer: 'an officer',
      chair: 'a chair',
      partner: 'a partner',
      stranger: 'not a member of this board',
    };
    for (const role of ROLES)
      expect(JSON.stringify(await pressAs(role, 'help.role', {}))).toContain(described[role]);
  });
});

describe('card verbs', () => {
  for (const def of Object.values(VERBS)) {
    describe(def.name, () => {
      for (const role of ROLES) {
        const rule = VERB_RULES[def.name];
        const refused = rule ? !rule.allow.includes(role) : false;
        it(`${role}: ${rule ? (refused ? 'refused' : 'allowed') : 'missing from the table'}`, async () => {
          expect(rule, `add ${def.name} to VERB_RULES`).toBeDefined();
          if (!rule) return;
          const answer = await attempt(refused, () => pressAs(role, def.name, realData(bed, def.name)));
          if (!refused) {
            expect(JSON.stringify(answer)).not.toMatch(ROUTER_REFUSAL);
            return;
          }
          expect(answer).toEqual({
            statusCode: 200,
            type: 'application/vnd.microsoft.activity.message',
            value: refusalText(rule, role),
          });
          // Roles are checked before the data is read: nonsense gets the same refusal, and writes nothing.
          const nonsense = await attempt(true, () => pressAs(role, def.name, { ref: 42, bogus: ['x'] }));
          expect(nonsense.value).toBe(refusalText(rule, role));
        });
      }
    });
  }
});

describe('text commands', () => {
  for (const [name, rule] of Object.entries(COMMAND_RULES)) {
    describe(name, () => {
      for (const role of ROLES) {
        const refused = !rule.allow.includes(role);
        it(`${role}: ${refused ? 'refused' : 'allowed'}`, async () => {
          const texts = await attempt(refused, () =>
            textsSentDuring(() =>
              bed.t.post(as(role, message(rule.say(bed), person(role), bed.personal()))).then((res) => {
                expect(res.status).toBe(200);
              }),
            ),
          );
          if (refused) expect(texts).toEqual([refusalText(rule, role)]);
          else expect(texts.filter((t) => ROUTER_REFUSAL.test(t))).toEqual([]);
        });
      }
    });
  }
});

describe('dialogs and message actions', () => {
  for (const [name, rule] of Object.entries(DIALOG_RULES)) {
    for (const role of ROLES) {
      const refused = !rule.allow.includes(role);
      it(`dialog ${name}, ${role}: ${refused ? 'refused' : 'allowed'}`, async () => {
        const answer = await attempt(refused, async () => {
          const data = { ...(bed.dialogs.get(name) ?? {}), dialog: name };
          const res = await bed.t.post(
            as(role, invoke('task/fetch', { data }, person(role), bed.personal())),
          );
          expect(res.status).toBe(200);
          return (res.body ?? {}) as InvokeAnswer;
        });
        if (refused) expect(answer.task).toEqual({ type: 'message', value: refusalText(rule, role) });
        else expect(answer.task?.type).toBe('continue');
      });
    }
  }

  for (const [name, rule] of Object.entries(MESSAGE_ACTION_RULES)) {
    for (const role of ROLES) {
      const refused = !rule.allow.includes(role);
      it(`message action ${name}, ${role}: ${refused ? 'refused' : 'allowed'}`, async () => {
        const answer = await attempt(refused, async () => {
          const res = await bed.t.post(
            as(
              role,
              logAsActionFetch(person(role), bed.personal(), {
                id: '1700000000002',
                html: '<p>Jake to send the figures by 30 June 2031</p>',
              }),
            ),
          );
          expect(res.status).toBe(200);
          return (res.body ?? {}) as InvokeAnswer;
        });
        if (refused) expect(answer.task).toEqual({ type: 'message', value: refusalText(rule, role) });
        else expect(answer.task?.type).toBe('continue');
      });
    }
  }
});

/**
 * The board dimension (issue 12): a second board in the same installation, whose team holds none of
 * the four people above. The chair and the partner are strangers in that board's channel (the
 * officer is a governance officer, in BOARD_OFFICERS, so an officer of every board): every card verb, command, dialog and message action that is not open to everyone is
 * refused there, told why, and nothing in any list changes; what is open to everyone (help) answers.
 */
describe('in another board’s channel, the chair and the partner are strangers', () => {
  const OTHER = { teamId: '19:other-board@thread.tacv2', name: 'Community Safety Partnership' };
  let other: ConnectorStandIn;
  const told = `You are not a member of the ${OTHER.name} team in Teams, so you cannot see or change its record. If you should be, ask one of its officers to add you to the team.`;
  const strangerRefusal = (rule: Rule) => `${refusalText(rule)} ${told}`;

  beforeAll(async () => {
    other = await startConnector();
    other.setMembers([{ id: '29:someone-else', name: 'Someone Else', aadObjectId: 'aad-someone-else' }]);
    await seedBoard(bed.t.bot.lists, {
      serviceUrl: other.serviceUrl,
      teamId: OTHER.teamId,
      name: OTHER.name,
      chairs: [],
    });
    // The channel is known to the bot (its Conversations item exists) before anything is tried.
    await bed.t.post(inOther(message('help', person('partner'), where())));
    await settled();
  });
  afterAll(async () => {
    await other?.close();
  });

  /** An activity in the other board's channel, through its own service URL. */
  function inOther<T extends { channelData: Record<string, unknown> }>(activity: T): T {
    return {
      ...activity,
      channelData: { ...activity.channelData, team: { id: OTHER.teamId }, channel: { id: OTHER.teamId } },
    };
  }
  const where = () => ({
    serviceUrl: other.serviceUrl,
    type: 'channel' as const,
    conversationId: OTHER.teamId,
  });

  // The officer is a governance officer (BOARD_OFFICERS), an officer of every board: not here.
  for (const role of ['chair', 'partner'] as const) {
    for (const [verb, rule] of Object.entries(VERB_RULES)) {
      if (rule.allow.includes('stranger')) continue;
      it(`${role}: card verb ${verb} refused`, async () => {
        const answer = await attempt(true, async () => {
          const res = await bed.t.post(inOther(cardAction(verb, realData(bed, verb), person(role), where())));
          expect(res.status).toBe(200);
          return (res.body ?? {}) as InvokeAnswer;
        });
        expect(answer.value).toBe(strangerRefusal(rule));
      });
    }
    for (const [name, rule] of Object.entries(COMMAND_RULES)) {
      if (rule.allow.includes('stranger')) continue;
      it(`${role}: command ${name} refused`, async () => {
        const before = other.sent().length;
        await attempt(true, () => bed.t.post(inOther(message(rule.say(bed), person(role), where()))));
        expect(
          other
            .sent()
            .slice(before)
            .map((a) => a.text),
        ).toEqual([strangerRefusal(rule)]);
      });
    }
  }
});
