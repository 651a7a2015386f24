import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The board the Agents Playground pretends to be: the Community Strategy Partnership Board's team,
 * its General channel and seven of its people from the February 2018 attendance sheet. Every id is
 * fake and stable, so `npm run dev` can give the officer and the chair their roles, and tests can
 * say "as the chair" without copying ids about.
 *
 * `.m365agentsplayground.yml` at the repository root is generated from this module
 * (`npx tsx scripts/board-fixture.ts --write`); an end-to-end check keeps the two in step.
 */

export type BoardRole = 'officer' | 'chair' | 'partner';

export interface BoardPerson {
  /** Short handle used by scripts and tests (`PLAYGROUND_USER=chair npm run dev`). */
  key: PersonKey;
  name: string;
  givenName: string;
  surname: string;
  organisation: string;
  role: BoardRole;
  /** Bot Framework channel account id (`activity.from.id`). */
  id: string;
  /** Entra object id (`activity.from.aadObjectId`): what BOARD_OFFICERS / BOARD_CHAIRS list. */
  aadObjectId: string;
  /** A UPN on the reserved example.org domain; also used as the (fake) email. */
  upn: string;
}

export type PersonKey = 'officer' | 'chair' | 'jake' | 'david' | 'claire' | 'melba' | 'rory';

const person = (
  key: PersonKey,
  n: number,
  givenName: string,
  surname: string,
  organisation: string,
  role: BoardRole,
): BoardPerson => {
  const handle = `${givenName}.${surname}`.toLowerCase().replace(/[^a-z.]/g, '');
  return {
    key,
    name: `${givenName} ${surname}`,
    givenName,
    surname,
    organisation,
    role,
    id: `29:board-${handle.replace('.', '-')}`,
    aadObjectId: `00000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`,
    upn: `${handle}@example.org`,
  };
};

/** In this order: with someone signed in, the Playground's team holds them and the first five others. */
export const PEOPLE: Readonly<Record<PersonKey, BoardPerson>> = {
  officer: person('officer', 1, 'Sonia', 'Khan', 'LBH Policy', 'officer'),
  chair: person('chair', 2, 'Philip', 'Glanville', 'Mayor of Hackney', 'chair'),
  jake: person('jake', 3, 'Jake', 'Ferguson', 'HCVS (voluntary and community sector)', 'partner'),
  david: person('david', 4, 'David', 'Maher', 'City & Hackney CCG (NHS)', 'partner'),
  claire: person('claire', 5, 'Claire', 'Crawley', 'Metropolitan Police', 'partner'),
  melba: person('melba', 6, 'Melba', 'Gomes', 'Adults Safeguarding Board', 'partner'),
  rory: person('rory', 7, 'Rory', 'McCallum', "Children's Safeguarding Board", 'partner'),
};

export const PERSON_KEYS = Object.keys(PEOPLE) as PersonKey[];

export const BOARD = {
  tenantId: '00000000-0000-4000-8000-000000000001',
  teamName: 'Community Strategy Partnership Board',
  /** The team id; in Teams (and the Playground) the General channel's conversation id is the same. */
  teamId: '19:community-strategy-board@thread.tacv2',
  generalChannelName: 'General',
  aadGroupId: '00000000-0000-4000-8000-000000000002',
  groupChatId: '19:board-members-chat@thread.v2',
  groupChatName: 'Board members',
} as const;

/** The bot as the Playground presents it: @mention it by this name in the channel. */
export const BOT = { id: '28:partnership-board-local', name: 'Partnership Board' } as const;

/** The Playground's team holds the signed-in person and exactly five others (its config schema). */
export const PLAYGROUND_TEAM_SIZE = 6;

export function isPersonKey(value: string): value is PersonKey {
  return (PERSON_KEYS as string[]).includes(value);
}

/** The personal chat's conversation id for a signed-in person (stable, distinct per person). */
export function personalChatId(key: PersonKey): string {
  return `a:board-personal-${key}`;
}

/** The people in the Playground's team when `current` is signed in: them, then the next five. */
export function playgroundMembers(current: PersonKey): { currentUser: BoardPerson; users: BoardPerson[] } {
  const others = PERSON_KEYS.filter((k) => k !== current).map((k) => PEOPLE[k]);
  return { currentUser: PEOPLE[current], users: others.slice(0, PLAYGROUND_TEAM_SIZE - 1) };
}

/** BOARD_OFFICERS / BOARD_CHAIRS for the fixture's officer and chair (by Entra object id). */
export function boardRoleEnv(): { BOARD_OFFICERS: string; BOARD_CHAIRS: string } {
  const ids = (role: BoardRole) =>
    Object.values(PEOPLE)
      .filter((p) => p.role === role)
      .map((p) => p.aadObjectId)
      .join(',');
  return { BOARD_OFFICERS: ids('officer'), BOARD_CHAIRS: ids('chair') };
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
    `email: ${quote(p.upn)}`,
  ];
}

/**
 * The Playground config (`.m365agentsplayground.yml`, schema version 0.1.1) with `current` signed in.
 * The schema allows exactly five `users` besides `currentUser`, so one of the seven people is left
 * out of any one configuration (Rory McCallum by default).
 */
export function renderPlaygroundConfig(current: PersonKey = 'officer'): string {
  const { currentUser, users } = playgroundMembers(current);
  const left = PERSON_KEYS.filter((k) => k !== current && !users.some((u) => u.key === k)).map(
    (k) => PEOPLE[k].name,
  );
  const lines = [
    "# Microsoft 365 Agents Playground: the board's team, as `npm run dev` shows it.",
    '# Generated by `npx tsx scripts/board-fixture.ts --write` from scripts/board-fixture.ts; edit that',
    '# module, not this file. All ids are fake; UPNs use the reserved example.org domain.',
    '#',
    '# Signed in: the person under `currentUser`. To be someone else, start dev with',
    '#   PLAYGROUND_USER=<key> npm run dev      (keys: ' + PERSON_KEYS.join(', ') + ')',
    '# which writes this configuration with that person signed in to .data/playground/ and uses it.',
    '# The Playground allows exactly five `users`; left out of this one: ' +
      (left.join(', ') || 'nobody') +
      '.',
    "version: '0.1.1'",
    `tenantId: ${quote(BOARD.tenantId)}`,
    'bot:',
    `  id: ${quote(BOT.id)}`,
    `  name: ${quote(BOT.name)}`,
    'currentUser:',
    `  # ${currentUser.role}: ${currentUser.name}, ${currentUser.organisation}`,
    ...userFields(currentUser).map((f) => `  ${f}`),
    'users:',
    ...users.flatMap((u) => [
      `  # ${u.role}: ${u.name}, ${u.organisation}`,
      ...userFields(u).map((f, i) => (i === 0 ? `  - ${f}` : `    ${f}`)),
    ]),
    'personalChat:',
    `  id: ${quote(personalChatId(current))}`,
    'groupChat:',
    `  id: ${quote(BOARD.groupChatId)}`,
    `  name: ${quote(BOARD.groupChatName)}`,
    'team:',
    "  # The General channel comes with the team and has the team's id.",
    `  id: ${quote(BOARD.teamId)}`,
    `  name: ${quote(BOARD.teamName)}`,
    `  aadGroupId: ${quote(BOARD.aadGroupId)}`,
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
    if (!isPersonKey(key)) {
      console.error(`Unknown person "${key}"; one of: ${PERSON_KEYS.join(', ')}`);
      process.exit(2);
    }
    process.stdout.write(renderPlaygroundConfig(key));
  }
}
