/**
 * The development identities: the people of the two boards the Agents Playground pretends to be
 * (the Community Strategy Partnership Board, from its February 2018 attendance sheet, and a Health
 * and Wellbeing Board overlapping it). Outside Teams, `?as=<key>` signs the tab in as one of them
 * where the configuration allows development identities, which it never does in production. Every
 * id is fake and stable and every UPN is on the reserved example.org domain, so the dev runner can
 * give people their roles and tests can say "as the chair" without copying ids about.
 * `scripts/board-fixture.ts` builds the boards' teams and Playground configurations from these people.
 */

export type BoardRole = 'officer' | 'chair' | 'partner';

/** The two boards the dev runner and the tests run: each is a Teams team with the app installed. */
export type BoardKey = 'cspb' | 'hwb';

export interface BoardPerson {
  /** Short handle used by scripts and tests (`PLAYGROUND_USER=chair npm run dev`). */
  key: PersonKey;
  name: string;
  givenName: string;
  surname: string;
  organisation: string;
  /** Their role on each board they sit on; a board not named here does not know them. */
  roles: Readonly<Partial<Record<BoardKey, BoardRole>>>;
  /** Bot Framework channel account id (`activity.from.id`). */
  id: string;
  /** Entra object id (`activity.from.aadObjectId`): what BOARD_OFFICERS / BOARD_CHAIRS list. */
  aadObjectId: string;
  /**
   * A UPN on the reserved example.org domain. A guest's UPN in the council's directory is Entra's
   * `<mail with _ for @>#EXT#@<council domain>`, so it differs from their email.
   */
  upn: string;
  email: string;
  /** Their home tenant: the council's, or (a guest) their own organisation's. */
  homeTenantId: string;
}

export type PersonKey =
  | 'officer'
  | 'chair'
  | 'jake'
  | 'david'
  | 'claire'
  | 'melba'
  | 'rory'
  | 'priya'
  | 'amara'
  | 'ruth'
  | 'nadia'
  | 'tom';

/** The council's tenant: both boards' teams live in it. */
export const COUNCIL_TENANT_ID = '00000000-0000-4000-8000-000000000001';
/** Another organisation's tenant (an NHS trust), home of the guest on the Health and Wellbeing Board. */
export const GUEST_TENANT_ID = '00000000-0000-4000-8000-000000000003';

const person = (
  key: PersonKey,
  n: number,
  givenName: string,
  surname: string,
  organisation: string,
  roles: Partial<Record<BoardKey, BoardRole>>,
  guestDomain?: string,
): BoardPerson => {
  const handle = `${givenName}.${surname}`.toLowerCase().replace(/[^a-z.]/g, '');
  const email = `${handle}@${guestDomain ?? 'example.org'}`;
  return {
    key,
    name: `${givenName} ${surname}`,
    givenName,
    surname,
    organisation,
    roles,
    id: `29:board-${handle.replace('.', '-')}`,
    aadObjectId: `00000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`,
    upn: guestDomain ? `${email.replace('@', '_')}#EXT#@example.org` : email,
    email,
    homeTenantId: guestDomain ? GUEST_TENANT_ID : COUNCIL_TENANT_ID,
  };
};

/**
 * Everyone in the fixture. The Community Strategy Partnership Board's seven come first, in this
 * order: with someone signed in, its Playground team holds them and the first five others.
 * Jake Ferguson sits on both boards; David Maher is a partner of one and chairs the other; Amara
 * Okafor is a guest from an NHS trust's tenant on the Health and Wellbeing Board; Tom Price is
 * council staff on neither.
 */
export const PEOPLE: Readonly<Record<PersonKey, BoardPerson>> = {
  officer: person('officer', 1, 'Sonia', 'Khan', 'LBH Policy', { cspb: 'officer' }),
  chair: person('chair', 2, 'Philip', 'Glanville', 'Mayor of Hackney', { cspb: 'chair' }),
  jake: person('jake', 3, 'Jake', 'Ferguson', 'HCVS (voluntary and community sector)', {
    cspb: 'partner',
    hwb: 'partner',
  }),
  david: person('david', 4, 'David', 'Maher', 'City & Hackney CCG (NHS)', { cspb: 'partner', hwb: 'chair' }),
  claire: person('claire', 5, 'Claire', 'Crawley', 'Metropolitan Police', { cspb: 'partner' }),
  melba: person('melba', 6, 'Melba', 'Gomes', 'Adults Safeguarding Board', { cspb: 'partner' }),
  rory: person('rory', 7, 'Rory', 'McCallum', "Children's Safeguarding Board", { cspb: 'partner' }),
  priya: person('priya', 8, 'Priya', 'Sharma', 'LBH Public Health', { hwb: 'officer' }),
  amara: person(
    'amara',
    9,
    'Amara',
    'Okafor',
    'Homerton Healthcare NHS Foundation Trust',
    { hwb: 'partner' },
    'example.net',
  ),
  ruth: person('ruth', 10, 'Ruth', 'Adams', 'Healthwatch Hackney', { hwb: 'partner' }),
  nadia: person('nadia', 11, 'Nadia', 'Ali', 'LBH Adult Social Care', { hwb: 'partner' }),
  tom: person('tom', 12, 'Tom', 'Price', 'LBH Finance', {}),
};

export const PERSON_KEYS = Object.keys(PEOPLE) as PersonKey[];

export function isPersonKey(value: string): value is PersonKey {
  return (PERSON_KEYS as string[]).includes(value);
}
