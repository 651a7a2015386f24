/**
 * The development identities: the people of the board the Agents Playground pretends to be (the
 * Community Strategy Partnership Board, from its February 2018 attendance sheet). Outside Teams,
 * `?as=<key>` signs the tab in as one of them where the configuration allows development
 * identities, which it never does in production. Every id is fake and stable and every UPN is on
 * the reserved example.org domain, so the dev runner can give the officer and the chair their roles
 * and tests can say "as the chair" without copying ids about. `scripts/board-fixture.ts` builds the
 * Playground's configuration from these people.
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

export function isPersonKey(value: string): value is PersonKey {
  return (PERSON_KEYS as string[]).includes(value);
}
