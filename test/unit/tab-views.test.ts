import { describe, expect, it } from 'vitest';
import { toAttendance, toItem, toMeeting } from '../../bot/features/agenda/model.js';
import { toConsultation, toFeedback } from '../../bot/features/consultations/model.js';
import type {
  AgendaItemFields,
  AttendanceFields,
  ConsultationFields,
  FeedbackFields,
  ListItem,
  MeetingFields,
} from '../../bot/sharepoint/index.js';
import type { Block } from '../../bot/tab-api/contract.js';
import { consultationBlocks } from '../../bot/tab-api/views/consultation-results.js';
import { VIEWS, viewsFor, type TabView } from '../../bot/tab-api/views/index.js';
import { attendanceBlocks, meetingBlocks } from '../../bot/tab-api/views/next-meeting.js';
import { safeUrl } from '../../cards/text.js';

/** The board views as pure functions of list items: what each person may see, and the charts. */

const NOW = new Date('2018-03-07T12:00:00Z');
const item = <F extends object>(id: string, fields: F, created = '2018-03-01T10:00:00Z'): ListItem<F> => ({
  id,
  etag: `"${id}"`,
  createdDateTime: created,
  lastModifiedDateTime: created,
  fields,
});

const THEMES = ['Tackling poverty and inequality', 'Responding to the housing crisis'];
const QUESTIONS = ['What are your top 3 strategic challenges?', 'What are the key gaps?'];

const consultation = (
  anonymity: NonNullable<ConsultationFields['Anonymity']>,
  countPer: 'Person' | 'Organisation' = 'Person',
) =>
  toConsultation(
    item('c', {
      Title: 'Draft Community Strategy',
      ConsultationRef: 'C-0001',
      Themes: JSON.stringify(THEMES),
      Questions: JSON.stringify(QUESTIONS),
      ClosesAt: '2018-03-30T16:00:00Z',
      Anonymity: anonymity,
      CountPer: countPer,
      Status: 'Open',
      SourceKey: 'k',
    } satisfies ConsultationFields),
  );

const feedback = (n: number, fields: Partial<FeedbackFields>) =>
  toFeedback(
    item(String(n), {
      ConsultationRef: 'C-0001',
      FeedbackKey: `C-0001|${n}`,
      Title: '',
      Submitted: true,
      ...fields,
    } as FeedbackFields),
  );

const themes = (...ratings: [string, string?][]) =>
  JSON.stringify(
    ratings.map(([rating, comment], i) => ({ theme: THEMES[i], rating, comment: comment ?? '' })),
  );

const answers = [
  feedback(1, {
    Title: 'Jake Ferguson',
    RespondentId: 'aad-jake',
    Organisation: 'HCVS',
    Answers: JSON.stringify([{ question: QUESTIONS[0], answer: 'Premises <b>and</b> poverty' }]),
    ThemeRatings: themes(['Partly', 'Say more on poverty'], ['Helps']),
    OfficerResponse: '5 Mar 2018 10:04, Tim Shields: could we track a cohort?',
    RespondedBy: 'Tim Shields',
    AnsweredAt: '2018-03-05T10:00:00Z',
  }),
  feedback(2, {
    Title: 'Melba Gomes',
    RespondentId: 'aad-melba',
    Organisation: 'Adults Safeguarding Board',
    ThemeRatings: themes(['Does not help'], ['Helps', 'Yes']),
    AnsweredAt: '2018-03-06T09:00:00Z',
  }),
  feedback(3, {
    Title: 'Claire Crawley',
    RespondentId: 'aad-claire',
    Organisation: 'HCVS',
    ThemeRatings: themes(['Helps'], ['Helps']),
    AnsweredAt: '2018-03-06T11:00:00Z',
  }),
  feedback(4, {
    Title: 'Rory McCallum',
    RespondentId: 'aad-rory',
    Submitted: false,
    ThemeRatings: themes(['Helps']),
  }),
];

const officer = { name: 'Sonia Khan', aadObjectId: 'aad-sonia', role: 'officer' as const };
const jake = { name: 'Jake Ferguson', aadObjectId: 'AAD-JAKE', role: 'partner' as const };
const find = <K extends Block['kind']>(blocks: Block[], kind: K) =>
  blocks.filter((b): b is Extract<Block, { kind: K }> => b.kind === kind);

describe('consultation results', () => {
  it('counts submitted answers per day and per theme, leaving drafts out', () => {
    const blocks = consultationBlocks(consultation('Named'), answers, officer, NOW);
    expect(find(blocks, 'facts')[0]!.items[0]).toEqual({ label: 'Responses', value: '3' });
    expect(find(blocks, 'bars')[0]!.rows).toEqual([
      { label: 'Monday 5 March 2018', value: 1, note: '1 in all' },
      { label: 'Tuesday 6 March 2018', value: 2, note: '3 in all' },
    ]);
    expect(find(blocks, 'stacked-bars')[0]).toMatchObject({
      parts: ['Helps', 'Partly', 'Does not help'],
      rows: [
        { label: THEMES[0], values: [1, 1, 1] },
        { label: THEMES[1], values: [3, 0, 0] },
      ],
    });
  });

  it('counts one answer per organisation when the consultation says so (the latest from each)', () => {
    const blocks = consultationBlocks(consultation('Named', 'Organisation'), answers, officer, NOW);
    expect(find(blocks, 'facts')[0]!.items[1]).toEqual({ label: 'Organisations counted', value: '2' });
    expect(find(blocks, 'stacked-bars')[0]!.rows[0]).toEqual({ label: THEMES[0], values: [1, 0, 1] });
  });

  it("shows officers the comments with names, and the officers' initial responses, text as typed", () => {
    const comments = find(consultationBlocks(consultation('Named'), answers, officer, NOW), 'comments')[0]!;
    expect(comments.items.map((i) => i.heading)).toEqual([
      'Jake Ferguson, HCVS',
      'Melba Gomes, Adults Safeguarding Board',
      'Claire Crawley, HCVS',
    ]);
    expect(comments.items[0]!.lines).toEqual([
      { label: QUESTIONS[0], text: 'Premises <b>and</b> poverty' },
      { label: `${THEMES[0]}: Partly`, text: 'Say more on poverty' },
    ]);
    expect(comments.items[0]!.response).toEqual({
      text: '5 Mar 2018 10:04, Tim Shields: could we track a cohort?',
      by: 'Tim Shields',
    });
  });

  it.each(['Anonymous to partners', 'Anonymous to everyone'] as const)(
    'never shows a name or organisation when answers are %s',
    (anonymity) => {
      const text = JSON.stringify(consultationBlocks(consultation(anonymity), answers, officer, NOW));
      for (const secret of ['Jake', 'Melba', 'Claire', 'Rory', 'HCVS', 'Adults Safeguarding'])
        expect(text).not.toContain(secret);
      expect(text).toContain('Response 1');
    },
  );

  it('shows a partner the counts and their own answers, not other partners', () => {
    const blocks = consultationBlocks(consultation('Named'), answers, jake, NOW);
    const text = JSON.stringify(blocks);
    expect(text).not.toContain('Melba');
    expect(find(blocks, 'comments')[0]!.items.map((i) => i.heading)).toEqual(['Your response']);
    expect(find(blocks, 'stacked-bars')).toHaveLength(1);
  });

  it('says plainly when nobody has answered, and when it closed', () => {
    const blocks = consultationBlocks(consultation('Named'), [], officer, new Date('2018-04-01T00:00:00Z'));
    expect(find(blocks, 'notice')[0]!.text).toBe('Nobody has answered yet.');
    expect(find(blocks, 'paragraph')[0]!.text).toBe('Closed (deadline Friday 30 March 2018 at 17:00).');
  });
});

describe('next meeting', () => {
  const meeting = toMeeting(
    item('m', {
      Title: 'Community Strategy Partnership Board, Monday 26 February 2018',
      MeetingRef: 'M-0001',
      Board: 'Community Strategy Partnership Board',
      StartsAt: '2018-02-26T10:00:00Z',
      Status: 'Published',
      Version: 2,
      Versions: JSON.stringify([
        { v: 1, at: '2017-12-12T12:00:00Z', by: 'Sonia Khan' },
        { v: 2, at: '2017-12-19T12:00:00Z', by: 'Sonia Khan', note: 'adds the slides for item 1' },
      ]),
      Invited: JSON.stringify([
        ['c', 'Claire Crawley'],
        ['j', 'Jake Ferguson'],
        ['d', 'David Maher'],
      ]),
      SourceKey: 'k',
    } satisfies MeetingFields),
  );
  const agendaItem = (n: number, fields: Partial<AgendaItemFields>) =>
    toItem(item(`i${n}`, { MeetingRef: 'M-0001', ItemKey: `M-0001|${n}`, ...fields } as AgendaItemFields));
  const items = [
    agendaItem(2, {
      Title: 'Scene setting',
      ItemNumber: '2',
      Sequence: 2,
      Minutes: 10,
      Decision: 'RESOLVED: to note',
    }),
    agendaItem(1, {
      Title: 'Welcome',
      ItemNumber: '1',
      Sequence: 1,
      Minutes: 15,
      Presenter: 'Mayor Philip Glanville',
      Papers: JSON.stringify([
        { title: 'Slides', url: 'https://example.org/s.pdf', supplement: 1 },
        { title: 'Bad', url: 'javascript:alert(1)' },
      ]),
    }),
    agendaItem(3, { Title: 'Withdrawn item', ItemNumber: '3', Sequence: 3, Withdrawn: true }),
  ];
  const attendance = [
    toAttendance(
      item('a1', {
        Title: 'Claire Crawley',
        MeetingRef: 'M-0001',
        MemberId: 'c',
        Response: 'Substitute',
        SubstituteName: 'DI Sam Patel',
        AttendanceKey: 'c',
      } satisfies AttendanceFields),
    ),
    toAttendance(
      item('a2', {
        Title: 'Jake Ferguson',
        MeetingRef: 'M-0001',
        MemberId: 'j',
        Response: 'Attending',
        AttendanceKey: 'j',
      } satisfies AttendanceFields),
    ),
  ];
  const blocks = meetingBlocks(meeting, items, attendance, NOW);

  it('runs item times on from the start in London, leaves withdrawn items out, shows decisions', () => {
    const table = find(blocks, 'table').find((t) => t.caption === 'Agenda')!;
    expect(table.columns).toContain('Decision');
    expect(table.rows.map((r) => [r[0], r[3], r[6]])).toEqual([
      ['1', '10:00, 15 minutes', ''],
      ['2', '10:15, 10 minutes', 'RESOLVED: to note'],
    ]);
    expect(table.rows[0]![5]).toEqual({
      links: [{ text: 'Slides (supplement 1)', url: 'https://example.org/s.pdf' }],
    });
  });

  it('lists each supplement with its date, note and papers', () => {
    expect(find(blocks, 'list')[0]).toEqual({
      kind: 'list',
      caption: 'Supplementary papers',
      items: ['Supplement 1, published 19 December: adds the slides for item 1. Papers: Slides (item 1)'],
    });
    expect(find(blocks, 'facts')[0]!.items).toContainEqual({
      label: 'Agenda pack',
      value: 'Version 2, with 1 supplement',
    });
  });

  it('counts attendance, names substitutes, and lists who has not answered', () => {
    const [, facts, table] = attendanceBlocks(attendance, meeting);
    expect(facts).toMatchObject({ items: [{ value: '1' }, { value: '0' }, { value: '1' }, { value: '1' }] });
    expect((table as Extract<Block, { kind: 'table' }>).rows).toEqual([
      ['Claire Crawley', '', 'Sending a substitute', 'DI Sam Patel'],
      ['Jake Ferguson', '', 'Attending', ''],
      ['David Maher', '', 'No answer yet', ''],
    ]);
  });
});

describe('the view registry and links', () => {
  it('has unique addresses and offers each role the views open to it', () => {
    const ids = VIEWS.map((v) => v.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z-]*$/);
    const restricted: TabView[] = [
      {
        id: 'officers-only',
        title: 'Officers',
        allow: ['officer'],
        load: async () => ({ id: 'officers-only', title: 'Officers', blocks: [] }),
      },
    ];
    expect(viewsFor('partner', restricted)).toEqual([]);
    expect(viewsFor('officer', restricted)).toEqual([{ id: 'officers-only', title: 'Officers' }]);
  });

  it('lets only web links through', () => {
    expect(safeUrl('https://example.org/a b')).toBe('https://example.org/a%20b');
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('not a url')).toBeUndefined();
  });
});
