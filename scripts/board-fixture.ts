import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  COUNCIL_TENANT_ID,
  GUEST_TENANT_ID,
  isPersonKey,
  PEOPLE,
  PERSON_KEYS,
  type BoardKey,
  type BoardPerson,
  type BoardRole,
  type PersonKey,
} from '../bot/tab-api/dev-people.js';

/**
 * The boards the Agents Playground pretends to be, one Playground each: the Community Strategy
 * Partnership Board's team, its General channel and seven of its people from the February 2018
 * attendance sheet; and a Health and Wellbeing Board's team of six, overlapping it (a partner on
 * both, the chair of one who is a partner of the other) with a guest from another tenant. Every id
 * is fake and stable, so `npm run dev` can give people their roles, the local Graph service can
 * answer who the teams' members and owners are, and tests can say "as the chair" without copying
 * ids about.
 *
 * `.m365agentsplayground.yml` at the repository root (the first board) is generated from this
 * module (`npx tsx scripts/board-fixture.ts --write`); an end-to-end check keeps the two in step.
 * `npx tsx scripts/board-fixture.ts <person> [board]` prints a configuration.
 */

// The people are declared where the bot's development identities (`?as=`) need them; the rest of
// the boards (teams, channels, chats, owners, the Playground's configuration) is here.
export {
  COUNCIL_TENANT_ID,
  GUEST_TENANT_ID,
  isPersonKey,
  PEOPLE,
  PERSON_KEYS,
  type BoardKey,
  type BoardPerson,
  type BoardRole,
  type PersonKey,
};

export interface Board {
  key: BoardKey;
  tenantId: string;
  teamName: string;
  /** The team id; in Teams (and the Playground) the General channel's conversation id is the same. */
  teamId: string;
  generalChannelName: string;
  /** The team's Microsoft 365 group id: what Graph's `/teams/{id}` takes. */
  aadGroupId: string;
  groupChatId: string;
  groupChatName: string;
  /** The team's members, in the order its Playground lists them. */
  members: readonly PersonKey[];
  /** The team's owners in Teams (Graph `roles: ["owner"]`). */
  owners: readonly PersonKey[];
}

const membersOf = (board: BoardKey) => PERSON_KEYS.filter((k) => PEOPLE[k].roles[board] !== undefined);

export const BOARDS: Readonly<Record<BoardKey, Board>> = {
  cspb: {
    key: 'cspb',
    tenantId: COUNCIL_TENANT_ID,
    teamName: 'Community Strategy Partnership Board',
    teamId: '19:community-strategy-board@thread.tacv2',
    generalChannelName: 'General',
    aadGroupId: '00000000-0000-4000-8000-000000000002',
    groupChatId: '19:board-members-chat@thread.v2',
    groupChatName: 'Board members',
    members: membersOf('cspb'),
    owners: ['officer'],
  },
  hwb: {
    key: 'hwb',
    tenantId: COUNCIL_TENANT_ID,
    teamName: 'Health and Wellbeing Board',
    teamId: '19:health-wellbeing-board@thread.tacv2',
    generalChannelName: 'General',
    aadGroupId: '00000000-0000-4000-8000-000000000004',
    groupChatId: '19:hwb-members-chat@thread.v2',
    groupChatName: 'Health and Wellbeing members',
    members: membersOf('hwb'),
    owners: ['priya'],
  },
};

export const BOARD_KEYS = Object.keys(BOARDS) as BoardKey[];

/** The first board, as the single-board code and tests knew it. */
export const BOARD = BOARDS.cspb;

/** The bot as the Playground presents it: @mention it by this name in the channel. */
export const BOT = { id: '28:partnership-board-local', name: 'Partnership Board' } as const;

/** The Playground's team holds the signed-in person and exactly five others (its config schema). */
export const PLAYGROUND_TEAM_SIZE = 6;

export function isBoardKey(value: string): value is BoardKey {
  return (BOARD_KEYS as string[]).includes(value);
}

/** True when `key` is a member (guests included) of `board`'s team. */
export function isMemberOf(key: PersonKey, board: BoardKey): boolean {
  return BOARDS[board].members.includes(key);
}

/** A person's role on a board, or undefined when they are a stranger to it. */
export function roleOn(key: PersonKey, board: BoardKey): BoardRole | undefined {
  return PEOPLE[key].roles[board];
}

/** The personal chat's conversation id for a signed-in person (one per person, whichever team they came from). */
export function personalChatId(key: PersonKey): string {
  return `a:board-personal-${key}`;
}

/** The people in a board's Playground team when `current` is signed in: them, then the next five. */
export function playgroundMembers(
  current: PersonKey,
  board: BoardKey = 'cspb',
): { currentUser: BoardPerson; users: BoardPerson[] } {
  if (!isMemberOf(current, board)) {
    throw new Error(
      `${PEOPLE[current].name} is not a member of the ${BOARDS[board].teamName}; sign in one of: ${BOARDS[board].members.join(', ')}`,
    );
  }
  const others = BOARDS[board].members.filter((k) => k !== current).map((k) => PEOPLE[k]);
  return { currentUser: PEOPLE[current], users: others.slice(0, PLAYGROUND_TEAM_SIZE - 1) };
}

/**
 * BOARD_OFFICERS / BOARD_CHAIRS for the first board's officer and chair (by Entra object id), as the
 * single-board bot takes them. BOARD_OFFICERS names officers of every board, so the second board's
 * officer is not in it: its roles come from its team (owners) and its `Boards` item (`boardRoles`).
 */
export function boardRoleEnv(): { BOARD_OFFICERS: string; BOARD_CHAIRS: string } {
  const roles = boardRoles('cspb');
  return { BOARD_OFFICERS: roles.officers.join(','), BOARD_CHAIRS: roles.chairs.join(',') };
}

/** A board's officers and chairs (Entra object ids), e.g. to seed its `Boards` item. */
export function boardRoles(board: BoardKey): { officers: string[]; chairs: string[] } {
  const ids = (role: BoardRole) =>
    BOARDS[board].members.filter((k) => roleOn(k, board) === role).map((k) => PEOPLE[k].aadObjectId);
  return { officers: ids('officer'), chairs: ids('chair') };
}

/** The Graph roles of a team member: `owner`, `guest` (another tenant) or none. */
function graphRoles(key: PersonKey, board: BoardKey): ('owner' | 'guest')[] {
  if (BOARDS[board].owners.includes(key)) return ['owner'];
  return PEOPLE[key].homeTenantId === BOARDS[board].tenantId ? [] : ['guest'];
}

/**
 * Both teams as the local Graph service serves them (`GET /v1.0/teams/{group-id}/members`,
 * `LOCAL_GRAPH_TEAMS`): every member of each board, owners and the guest marked as Graph marks them.
 */
export function graphTeams(): {
  id: string;
  displayName: string;
  members: {
    userId: string;
    displayName: string;
    email: string;
    tenantId: string;
    roles: ('owner' | 'guest')[];
  }[];
}[] {
  return BOARD_KEYS.map((board) => ({
    id: BOARDS[board].aadGroupId,
    displayName: BOARDS[board].teamName,
    members: BOARDS[board].members.map((k) => ({
      userId: PEOPLE[k].aadObjectId,
      displayName: PEOPLE[k].name,
      email: PEOPLE[k].email,
      tenantId: PEOPLE[k].homeTenantId,
      roles: graphRoles(k, board),
    })),
  }));
}

/** A board's roster as Teams' connector gives it (`TeamsInfo.getPagedMembers`: TeamsChannelAccount). */
export function connectorRoster(board: BoardKey): {
  id: string;
  name: string;
  aadObjectId: string;
  givenName: string;
  surname: string;
  email: string;
  userPrincipalName: string;
  tenantId: string;
  userRole: 'user' | 'guest';
}[] {
  return BOARDS[board].members.map((k) => {
    const p = PEOPLE[k];
    return {
      id: p.id,
      name: p.name,
      aadObjectId: p.aadObjectId,
      givenName: p.givenName,
      surname: p.surname,
      email: p.email,
      userPrincipalName: p.upn,
      tenantId: p.homeTenantId,
      userRole: graphRoles(k, board).includes('guest') ? 'guest' : 'user',
    };
  });
}

/** A YAML single-quoted scalar (the style prettier keeps). */
const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

function userFields(p: BoardPerson): string[] {
  return [
    `id: ${quote(p.id)}`,
    `name: ${quote(p.name)}`,
    `userPrincipleName: ${quote(p.upn)}`,
    `aadObjectId: ${quote(p.aadObjectId)}`,
    `givenName: ${quote(p.givenName)}`,
    `surname: ${quote(p.surname)}`,
    `email: ${quote(p.email)}`,
  ];
}

/**
 * A board's Playground config (`.m365agentsplayground.yml`, schema version 0.1.1) with `current`
 * signed in. The schema allows exactly five `users` besides `currentUser`, so on a board of more
 * than six one is left out of any one configuration (Rory McCallum by default). The Playground
 * knows one tenant: a guest appears in it as a member of the council's tenant (the local Graph
 * service and the integration tests' connector give their own tenant).
 */
export function renderPlaygroundConfig(current: PersonKey = 'officer', boardKey: BoardKey = 'cspb'): string {
  const board = BOARDS[boardKey];
  const { currentUser, users } = playgroundMembers(current, boardKey);
  const left = board.members
    .filter((k) => k !== current && !users.some((u) => u.key === k))
    .map((k) => PEOPLE[k].name);
  const roleOf = (p: BoardPerson) => roleOn(p.key, boardKey) ?? 'partner';
  const devUser = boardKey === 'cspb' ? 'PLAYGROUND_USER' : 'PLAYGROUND2_USER';
  const lines = [
    boardKey === 'cspb'
      ? "# Microsoft 365 Agents Playground: the board's team, as `npm run dev` shows it."
      : `# Microsoft 365 Agents Playground: the ${board.teamName}'s team, as \`npm run dev\` shows it second.`,
    '# Generated by `npx tsx scripts/board-fixture.ts --write` from scripts/board-fixture.ts; edit that',
    '# module, not this file. All ids are fake; UPNs use the reserved example.org domain.',
    '#',
    '# Signed in: the person under `currentUser`. To be someone else, start dev with',
    `#   ${devUser}=<key> npm run dev      (keys: ${board.members.join(', ')})`,
    '# which writes this configuration with that person signed in to .data/playground/ and uses it.',
    '# The Playground allows exactly five `users`; left out of this one: ' +
      (left.join(', ') || 'nobody') +
      '.',
    "version: '0.1.1'",
    `tenantId: ${quote(board.tenantId)}`,
    'bot:',
    `  id: ${quote(BOT.id)}`,
    `  name: ${quote(BOT.name)}`,
    'currentUser:',
    `  # ${roleOf(currentUser)}: ${currentUser.name}, ${currentUser.organisation}`,
    ...userFields(currentUser).map((f) => `  ${f}`),
    'users:',
    ...users.flatMap((u) => [
      `  # ${roleOf(u)}: ${u.name}, ${u.organisation}`,
      ...userFields(u).map((f, i) => (i === 0 ? `  - ${f}` : `    ${f}`)),
    ]),
    'personalChat:',
    `  id: ${quote(personalChatId(current))}`,
    'groupChat:',
    `  id: ${quote(board.groupChatId)}`,
    `  name: ${quote(board.groupChatName)}`,
    'team:',
    "  # The General channel comes with the team and has the team's id.",
    `  id: ${quote(board.teamId)}`,
    `  name: ${quote(board.teamName)}`,
    `  aadGroupId: ${quote(board.aadGroupId)}`,
    '  channels: []',
    '',
  ];
  return lines.join('\n');
}

export const PLAYGROUND_CONFIG_FILE = '.m365agentsplayground.yml';

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  if (process.argv.includes('--write')) {
    writeFileSync(`${root}${PLAYGROUND_CONFIG_FILE}`, renderPlaygroundConfig('officer'));
    console.log(`wrote ${PLAYGROUND_CONFIG_FILE}`);
  } else {
    const key = process.argv[2] ?? 'officer';
    const board = process.argv[3] ?? 'cspb';
    if (!isPersonKey(key)) {
      console.error(`Unknown person "${key}"; one of: ${PERSON_KEYS.join(', ')}`);
      process.exit(2);
    }
    if (!isBoardKey(board)) {
      console.error(`Unknown board "${board}"; one of: ${BOARD_KEYS.join(', ')}`);
      process.exit(2);
    }
    process.stdout.write(renderPlaygroundConfig(key, board));
  }
}
