import { pathToFileURL } from 'node:url';
import { loadConfig } from '../bot/config.js';
import { addDays, formatLongDate, londonDate, londonDateTimeToUtc, toIsoDate } from '../bot/dates/london.js';
import { historyLine } from '../bot/features/actions/model.js';
import { BOARD_QUESTIONS } from '../bot/features/consultations/model.js';
import { ActionStore, type NewActionFields } from '../bot/features/actions/store.js';
import { silentLogger } from '../bot/logger.js';
import { createListsLayer, inBoard, type Repositories } from '../bot/sharepoint/index.js';
import { BOARDS, PEOPLE, type BoardPerson } from './board-fixture.js';

/**
 * A board worth looking at in the tab: actions (one overdue, one due this week, one tentative, one
 * done), the next meeting's pack with attendance and a supplement, a named consultation with
 * partners' feedback and officers' initial responses, and an anonymous one. Drawn from the
 * February 2018 Community Strategy Partnership Board papers; dates run from `now`, so something
 * is always overdue and the meeting is always next week. Writes are keyed, so seeding twice
 * changes nothing.
 *
 * `npx tsx scripts/tab-demo.ts` seeds the local lists service that `npm run dev` started.
 */

export type DemoLists = Pick<
  Repositories,
  'Actions' | 'Meetings' | 'AgendaItems' | 'Attendance' | 'Consultations' | 'Feedback'
>;

const { officer, chair, jake, david, claire, melba, rory } = PEOPLE;

export const DEMO_MEETING = 'M-0001';
export const DEMO_CONSULTATION = 'C-0001';
export const DEMO_ANONYMOUS_CONSULTATION = 'C-0002';

export const DEMO_THEMES = [
  'Tackling poverty and inequality',
  'Responding to the housing crisis',
  'An open, cohesive, safer and supportive community',
  'Healthy, active and independent residents',
];

const QUESTIONS = BOARD_QUESTIONS;

function isoDay(now: Date, days: number): string {
  return toIsoDate(addDays(londonDate(now), days));
}

/** The demo actions, with due dates around `now`. */
export function demoActions(now: Date): NewActionFields[] {
  const action = (
    key: string,
    fields: Omit<NewActionFields, 'SourceKey' | 'Status' | 'Tentative'> & Partial<NewActionFields>,
  ): NewActionFields => ({
    Status: 'Open',
    Tentative: false,
    SourceKey: `demo:tab:${key}`,
    ...fields,
  });
  return [
    action('feedback', {
      Title: 'Use all feedback on the strategy in the development of the final version',
      Owners: officer.name,
      OwnerIds: officer.aadObjectId,
      DueDate: isoDay(now, -10),
      DueText: 'end of last month',
      MeetingRef: DEMO_MEETING,
      LoggedBy: officer.name,
    }),
    action('safe-haven', {
      Title: 'Bring an item on the review of the Safe Haven scheme to the Inter Chairs Group',
      Owners: `${claire.name}; ${melba.name}; ${rory.name}`,
      OwnerIds: `${claire.aadObjectId}; ${melba.aadObjectId}; ${rory.aadObjectId}`,
      DueDate: isoDay(now, 3),
      MeetingRef: DEMO_MEETING,
      LoggedBy: officer.name,
    }),
    action('procurement', {
      Title: 'Share the new Procurement Strategy with partners to maximise social value',
      Owners: `${officer.name}; ${jake.name}`,
      OwnerIds: `${officer.aadObjectId}; ${jake.aadObjectId}`,
      DueDate: isoDay(now, 45),
      DueText: 'autumn (TBC)',
      Tentative: true,
      Status: 'In progress',
      LoggedBy: chair.name,
    }),
    action('talent-match', {
      Title: 'Broker connections with big employers to continue Talent Match',
      Owners: jake.name,
      OwnerIds: jake.aadObjectId,
      DueDate: isoDay(now, -2),
      LoggedBy: jake.name,
    }),
    action('baseline', {
      Title: 'Agree a baseline measure for longitudinal tracking of target groups',
      Owners: david.name,
      OwnerIds: david.aadObjectId,
      Status: 'Done',
      DueDate: isoDay(now, -20),
      LoggedBy: officer.name,
    }),
  ];
}

export async function seedBoardDemo(lists: DemoLists, now: Date = new Date()): Promise<void> {
  const store = new ActionStore(lists.Actions);
  for (const fields of demoActions(now)) {
    const existing = await store.bySourceKey(fields.SourceKey);
    if (!existing) await store.create(fields);
  }

  // The next meeting: a week today at 10:00, London time, with one supplement published yesterday.
  const meetingDay = addDays(londonDate(now), 7);
  const startsAt = londonDateTimeToUtc(meetingDay, '10:00').toISOString();
  const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000).toISOString();
  await lists.Meetings.create({
    Title: `Community Strategy Partnership Board, ${formatLongDate(meetingDay)}`,
    MeetingRef: DEMO_MEETING,
    Board: 'Community Strategy Partnership Board',
    StartsAt: startsAt,
    Venue: 'Committee Room 102, first floor, Hackney Town Hall',
    Chair: chair.name,
    Status: 'Published',
    Version: 2,
    Versions: JSON.stringify([
      { v: 1, at: daysAgo(5), by: officer.name },
      { v: 2, at: daysAgo(1), by: officer.name, note: 'adds the slides for item 3' },
    ]),
    Invited: JSON.stringify([officer, chair, jake, david, claire, melba].map((p) => [p.aadObjectId, p.name])),
    SourceKey: `demo:meeting:${DEMO_MEETING}`,
  });
  const items: [string, string, string, number, 'For decision' | 'For discussion' | 'To note', object[]][] = [
    ['1', 'Welcome and introductions', chair.name, 5, 'To note', []],
    ['2', 'Scene setting', chair.name, 10, 'To note', []],
    [
      '3',
      'Introduction to the new draft Community Strategy and its key themes',
      'Tim Shields',
      30,
      'For discussion',
      [
        {
          title: 'Draft Community Strategy 2018–2028',
          url: 'https://example.org/board/draft-community-strategy.pdf',
        },
        { title: 'Slides', url: 'https://example.org/board/strategy-slides.pdf', supplement: 1 },
      ],
    ],
    [
      '4',
      'Employment and opportunities: the partnership contribution',
      'Stephen Haynes',
      25,
      'For decision',
      [],
    ],
    ['5', 'Actions and next steps', officer.name, 10, 'To note', []],
  ];
  for (const [i, [number, title, presenter, minutes, purpose, papers]] of items.entries())
    await lists.AgendaItems.create({
      Title: title,
      MeetingRef: DEMO_MEETING,
      ItemNumber: number,
      Sequence: i + 1,
      Presenter: presenter,
      Minutes: minutes,
      Purpose: purpose,
      Papers: JSON.stringify(papers),
      ItemKey: `${DEMO_MEETING}|${number}`,
    });
  const answers: [typeof jake, 'Attending' | 'Apologies' | 'Substitute', string?, string?][] = [
    [jake, 'Attending'],
    [officer, 'Attending'],
    [david, 'Apologies'],
    [claire, 'Substitute', 'DI Sam Patel', 'Metropolitan Police'],
  ];
  for (const [person, response, subName, subOrg] of answers)
    await lists.Attendance.create({
      Title: person.name,
      MeetingRef: DEMO_MEETING,
      MemberId: person.aadObjectId,
      Organisation: person.organisation,
      Response: response,
      ...(subName ? { SubstituteName: subName, SubstituteOrganisation: subOrg } : {}),
      AttendanceKey: `${DEMO_MEETING}|${person.aadObjectId}`,
    });

  const consultation = (ref: string, title: string, anonymity: 'Named' | 'Anonymous to everyone') => ({
    Title: title,
    ConsultationRef: ref,
    DocumentUrl: 'https://example.org/board/draft-community-strategy.pdf',
    Summary: 'Before the strategy goes to Cabinet in July, tell us your challenges and the gaps you see.',
    Themes: JSON.stringify(DEMO_THEMES),
    Questions: JSON.stringify(QUESTIONS),
    ClosesAt: londonDateTimeToUtc(addDays(londonDate(now), 14), '17:00').toISOString(),
    Audience: JSON.stringify({ kind: 'channel' }),
    Invitees: JSON.stringify(
      [jake, david, claire, melba, rory].map((p) => ({ a: p.aadObjectId, n: p.name })),
    ),
    Anonymity: anonymity,
    CountPer: 'Person' as const,
    Status: 'Open' as const,
    OpenedBy: officer.name,
    SourceKey: `demo:consultation:${ref}`,
  });
  await lists.Consultations.create(
    consultation(DEMO_CONSULTATION, 'Draft Community Strategy 2018–2028', 'Named'),
  );
  await lists.Consultations.create(
    consultation(
      DEMO_ANONYMOUS_CONSULTATION,
      'Draft VCS Strategy: premises and resources',
      'Anonymous to everyone',
    ),
  );

  type Rating = 'Helps' | 'Partly' | 'Does not help' | '';
  const feedback: {
    ref: string;
    who: BoardPerson;
    anonymous?: boolean;
    daysAgo: number;
    answers: string[];
    /** One per theme, in the consultation's order, with an optional comment. */
    ratings: [Rating, string?][];
    response?: [string, string];
  }[] = [
    {
      ref: DEMO_CONSULTATION,
      who: jake,
      daysAgo: 3,
      answers: [
        'Shrinking resources for the VCS; making best use of premises; poverty.',
        'Partly: the poverty narrative could be stronger.',
        'Follow a cohort of the most vulnerable residents over the decade.',
      ],
      ratings: [
        ['Partly', 'Strengthen the narrative on poverty.'],
        ['Helps'],
        ['Helps'],
        ['Does not help', 'Little on the part the VCS plays in health.'],
      ],
      response: [
        'Could we do some longitudinal tracking within existing projects of target groups, with a baseline measure?',
        'Tim Shields',
      ],
    },
    {
      ref: DEMO_CONSULTATION,
      who: melba,
      daysAgo: 2,
      answers: [
        'Preventing abuse and neglect with other boards; tolerance towards vulnerable adults; safer places.',
        'Yes, mostly.',
        'A wider culture of safeguarding across the partnership.',
      ],
      ratings: [['Helps'], [''], ['Partly', 'Revive the safe haven scheme.'], ['Helps']],
      response: [
        'There is already a safe haven scheme in the borough; we need to go back to this.',
        chair.name,
      ],
    },
    {
      ref: DEMO_CONSULTATION,
      who: rory,
      daysAgo: 1,
      answers: [
        'Legislative change; early help and domestic abuse; unsighted communities.',
        'Partly.',
        'Greater clarity on safeguarding, and children and young people made visible.',
      ],
      ratings: [['Partly'], ['Partly'], ['Does not help', 'Safeguarding gets one mention.'], ['']],
    },
    {
      ref: DEMO_ANONYMOUS_CONSULTATION,
      who: jake,
      anonymous: true,
      daysAgo: 2,
      answers: ['Premises costs.', 'Partly.', 'A Hackney Space Bank for community benefit.'],
      ratings: [['Helps'], ['Does not help', 'Premises are the issue.'], [''], ['']],
    },
    {
      ref: DEMO_ANONYMOUS_CONSULTATION,
      who: claire,
      anonymous: true,
      daysAgo: 1,
      answers: ['Shared buildings.', 'Yes.', 'Nothing more.'],
      ratings: [['Partly'], ['Helps'], [''], ['']],
    },
  ];
  for (const [i, f] of feedback.entries()) {
    // An anonymous answer keeps neither the name, the organisation nor the person's id.
    const respondent = f.anonymous ? `anon:demo-${i}` : f.who.aadObjectId;
    const answeredAt = new Date(now.getTime() - f.daysAgo * 86_400_000);
    await lists.Feedback.create({
      Title: f.anonymous ? '' : f.who.name,
      ConsultationRef: f.ref,
      RespondentId: respondent,
      ...(f.anonymous ? {} : { Organisation: f.who.organisation }),
      Answers: JSON.stringify(f.answers.map((answer, q) => ({ question: QUESTIONS[q], answer }))),
      ThemeRatings: JSON.stringify(
        f.ratings.map(([rating, comment], t) => ({
          theme: DEMO_THEMES[t],
          ...(rating ? { rating } : {}),
          comment: comment ?? '',
        })),
      ),
      ...(f.response
        ? {
            OfficerResponse: historyLine(
              new Date(answeredAt.getTime() + 3_600_000),
              f.response[1],
              f.response[0],
            ),
            RespondedBy: f.response[1],
          }
        : {}),
      Submitted: true,
      AnsweredAt: answeredAt.toISOString(),
      FeedbackKey: `${f.ref}|${respondent}`,
    });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const config = loadConfig(process.env);
  const lists = createListsLayer(config.graph, silentLogger);
  // The demo is the fixture's first board's (issue 12): its Boards item is made if the app has not
  // been added to its team yet, with its members read from the team through Graph.
  const board = BOARDS.cspb;
  if (!(await lists.repos.Boards.findByKey('TeamId', board.teamId)))
    await lists.repos.Boards.create({
      Title: board.teamName,
      TeamId: board.teamId,
      GroupId: board.aadGroupId,
      Status: 'Active',
    });
  await inBoard({ id: board.teamId, name: board.teamName, officers: [], chairs: [] }, () =>
    seedBoardDemo(lists.board),
  );
  const where = config.graph.local ? config.graph.baseUrl : 'SharePoint';
  process.stdout.write(`Seeded the ${board.teamName}'s demo data into ${where}.\n`);
}
