import { describe, expect, it } from 'vitest';

import {
  MAX_TITLE_LENGTH,
  parseActionText,
  stripCommandPrefix,
  type ParseContext,
  type ParsedAction,
} from '../../bot/features/actions/parse.js';
import type { RosterMember } from '../../bot/people/roster.js';

// The Community Strategy Partnership Board met on Monday 26 February 2018 at 10am.
const MEETING = '2018-02-26T10:00:00Z';

const ROSTER: RosterMember[] = [
  { id: 'u-sk', name: 'Sonia Khan' },
  { id: 'u-rd', name: 'Rachel Duke' },
  { id: 'u-ts', name: 'Tim Shields' },
  { id: 'u-sh', name: 'Stephen Haynes' },
  { id: 'u-cc', name: 'Claire Crawley' },
  { id: 'u-mg', name: 'Melba Gomes' },
  { id: 'u-rm', name: 'Rory McCallum' },
  { id: 'u-pg', name: 'Philip Glanville' },
  { id: 'u-gn', name: 'Guy Nicholson' },
  { id: 'u-ac', name: 'Adi Cooper' },
  { id: 'u-ob', name: 'Siobhán O’Brien' },
  { id: 'u-am', name: 'Anne-Marie Walsh' },
];

interface Case {
  text: string;
  now?: string;
  mentions?: { name: string; id: string }[];
  title?: string;
  /** "Name#id" for a known person, "Name" for an unknown one, "team:Name" for a team. */
  owners: string[];
  /** [ISO date, phrase as written, tentative]; null when there is no dated due. */
  due: [string, string, boolean] | null;
  dueText?: string;
}

function ownerLabels(action: ParsedAction): string[] {
  return action.owners.map((owner) =>
    owner.kind === 'team' ? `team:${owner.name}` : owner.id ? `${owner.name}#${owner.id}` : owner.name,
  );
}

function parseOk(text: string, context: Partial<ParseContext> = {}): ParsedAction {
  const result = parseActionText(text, { now: new Date(MEETING), roster: ROSTER, ...context });
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse, got ${result.message}`);
  return result.action;
}

const SEED_ACTIONS: Case[] = [
  {
    text: 'LBH Policy Team to use all feedback on the strategy in the development of final version – Sonia Khan & Rachel Duke',
    title: 'LBH Policy Team to use all feedback on the strategy in the development of final version',
    owners: ['Sonia Khan#u-sk', 'Rachel Duke#u-rd'],
    due: null,
  },
  {
    text:
      'Bring an item for discussion on the review of the existing Safe Haven scheme in Hackney and ways to improve ' +
      'awareness of it to the Inter Chairs Group, which includes the Community Safety Partnership and Safeguarding ' +
      'Boards. – Claire Crawley, Melba Gnomes, Rory McCallum, & Tim Shields.',
    title:
      'Bring an item for discussion on the review of the existing Safe Haven scheme in Hackney and ways to improve ' +
      'awareness of it to the Inter Chairs Group, which includes the Community Safety Partnership and Safeguarding ' +
      'Boards.',
    // "Melba Gnomes" in the minutes is Melba Gomes on the roster: one letter out, nobody else close.
    owners: ['Claire Crawley#u-cc', 'Melba Gomes#u-mg', 'Rory McCallum#u-rm', 'Tim Shields#u-ts'],
    due: null,
  },
  {
    text: 'LBH to set up bilateral discussions about Employment and Opportunities work – Tim Shields & Stephen Haynes',
    title: 'LBH to set up bilateral discussions about Employment and Opportunities work',
    owners: ['Tim Shields#u-ts', 'Stephen Haynes#u-sh'],
    due: null,
  },
  {
    text:
      'LBH Strategy, Policy and Economic Development to explore options with businesses and VCS partners which can ' +
      'help us better realise the potential economic contribution the VCS offers in local centres and ' +
      'neighbourhoods – Stephen Haynes & Sonia Khan',
    owners: ['Stephen Haynes#u-sh', 'Sonia Khan#u-sk'],
    due: null,
  },
  {
    text:
      'LBH to share its new Procurement Strategy with Partners to help encourage Hackney public services to ' +
      'maximise social value in new and existing contracts. – Sonia Khan & Rachel Duke',
    title:
      'LBH to share its new Procurement Strategy with Partners to help encourage Hackney public services to ' +
      'maximise social value in new and existing contracts.',
    owners: ['Sonia Khan#u-sk', 'Rachel Duke#u-rd'],
    due: null,
  },
  {
    text: 'LBH to use the Board’s feedback to finalise the Strategy and to refine a new delivery plan. – Sonia Khan & Rachel Duke',
    title: 'LBH to use the Board’s feedback to finalise the Strategy and to refine a new delivery plan.',
    owners: ['Sonia Khan#u-sk', 'Rachel Duke#u-rd'],
    due: null,
  },
];

const TEAMS_AND_PEOPLE: Case[] = [
  {
    text: 'LBH Strategy, Policy and Economic Development to explore options with businesses and VCS partners',
    owners: ['team:LBH Strategy, Policy and Economic Development'],
    due: null,
  },
  {
    text: 'LBH Policy and Partnerships to convene a meeting on poverty by end of June 2018',
    title: 'LBH Policy and Partnerships to convene a meeting on poverty',
    owners: ['team:LBH Policy and Partnerships'],
    due: ['2018-06-30', 'end of June 2018', false],
  },
  {
    text: 'LBH Policy Team to use all feedback on the strategy by end of June 2018 – Sonia Khan & Rachel Duke',
    title: 'LBH Policy Team to use all feedback on the strategy',
    owners: ['Sonia Khan#u-sk', 'Rachel Duke#u-rd'],
    due: ['2018-06-30', 'end of June 2018', false],
  },
  {
    text: 'Policy team to publish the final Community Strategy October 2018 (TBC)',
    title: 'Policy team to publish the final Community Strategy October 2018 (TBC)',
    owners: ['team:Policy team'],
    due: ['2018-10-31', 'October 2018 (TBC)', true],
  },
  {
    text: 'LBH Policy Team and Sonia Khan to brief Cabinet in July',
    owners: ['team:LBH Policy Team', 'Sonia Khan#u-sk'],
    due: ['2018-07-31', 'July', false],
  },
  {
    text: 'All partners to identify their top 3 strategic challenges by 30 March 2018',
    title: 'All partners to identify their top 3 strategic challenges',
    owners: ['team:All partners'],
    due: ['2018-03-30', '30 March 2018', false],
  },
  {
    text: 'Partners to send comments on the draft strategy in two weeks',
    owners: ['team:Partners'],
    due: ['2018-03-12', 'in two weeks', false],
  },
  {
    text: 'Sonia Khan and Rachel Duke to circulate the final draft by 3/9/2018',
    title: 'Sonia Khan and Rachel Duke to circulate the final draft',
    owners: ['Sonia Khan#u-sk', 'Rachel Duke#u-rd'],
    due: ['2018-09-03', '3/9/2018', false],
  },
  {
    text: 'Sonia Khan, Rachel Duke and Tim Shields to draft the delivery plan by late May',
    owners: ['Sonia Khan#u-sk', 'Rachel Duke#u-rd', 'Tim Shields#u-ts'],
    due: ['2018-05-31', 'late May', false],
  },
  {
    text: 'Sonia & Tim: update the action tracker by end of the month',
    title: 'Sonia & Tim: update the action tracker',
    owners: ['Sonia Khan#u-sk', 'Tim Shields#u-ts'],
    due: ['2018-02-28', 'end of the month', false],
  },
  {
    text: 'Anne Canning: look at evaluation as part of integrated commissioning',
    owners: ['Anne Canning'],
    due: null,
  },
  {
    text: 'Publish the summary of feedback (Owner: Sonia Khan) by Friday',
    title: 'Publish the summary of feedback',
    owners: ['Sonia Khan#u-sk'],
    due: ['2018-03-02', 'Friday', false],
  },
  {
    text: 'Owner: Rachel Duke. Chase partners who have not responded by the end of the week',
    owners: ['Rachel Duke#u-rd'],
    due: ['2018-03-02', 'the end of the week', false],
  },
  {
    text: 'Write to the GLA about the housing crisis by Friday',
    title: 'Write to the GLA about the housing crisis',
    owners: [],
    due: ['2018-03-02', 'Friday', false],
  },
  { text: 'Talk to Tim about the budget', owners: [], due: null },
  { text: 'Review the plan – it is late', owners: [], due: null },
  {
    text: 'Rachel Duke – chase partners who have not responded by Friday',
    title: 'Rachel Duke – chase partners who have not responded',
    owners: ['Rachel Duke#u-rd'],
    due: ['2018-03-02', 'Friday', false],
  },
  {
    text: 'rachel and sonia: tidy the action tracker',
    owners: ['Rachel Duke#u-rd', 'Sonia Khan#u-sk'],
    due: null,
  },
  { text: 'Sonia, please circulate the agenda pack', owners: ['Sonia Khan#u-sk'], due: null },
  {
    text: 'Gerry McDonald and New City College to discuss apprenticeship opportunities',
    owners: ['Gerry McDonald', 'team:New City College'],
    due: null,
  },
  { text: 'Hackney Police to revive the Safe Haven scheme', owners: ['team:Hackney Police'], due: null },
  {
    text: 'TS to do some longitudinal tracking within existing projects of target groups',
    owners: ['Tim Shields#u-ts'],
    due: null,
  },
];

const TITLES_AND_NAMES: Case[] = [
  {
    text: 'Mayor Glanville to call partners together again this autumn, after the local elections',
    owners: ['Philip Glanville#u-pg'],
    due: ['2018-11-30', 'this autumn', true],
  },
  {
    text: 'Dr Adi Cooper to bring the safeguarding update by mid-November',
    owners: ['Adi Cooper#u-ac'],
    due: ['2018-11-15', 'mid-November', false],
  },
  {
    text: "Ma'am Claire Crawley to report on the 12 March event by 30 April",
    title: "Ma'am Claire Crawley to report on the 12 March event",
    owners: ['Claire Crawley#u-cc'],
    due: ['2018-04-30', '30 April', false],
  },
  {
    text: 'Cllr Nicholson to review the 2018 plan by end of June',
    title: 'Cllr Nicholson to review the 2018 plan',
    owners: ['Guy Nicholson#u-gn'],
    due: ['2018-06-30', 'end of June', false],
  },
  {
    text: 'Siobhan OBrien, Ní Bhriain and Anne-Marie Walsh to meet by next Friday',
    owners: ['Siobhán O’Brien#u-ob', 'Ní Bhriain', 'Anne-Marie Walsh#u-am'],
    due: ['2018-03-09', 'next Friday', false],
  },
  {
    text: "Anne-Marie Walsh & Siobhán O'Brien to draft the VCS strategy by 30th June 2018",
    owners: ['Anne-Marie Walsh#u-am', 'Siobhán O’Brien#u-ob'],
    due: ['2018-06-30', '30th June 2018', false],
  },
  {
    text: 'Andrew Munk to share the apprenticeship figures by 3/9',
    owners: ['Andrew Munk'],
    due: ['2018-09-03', '3/9', false],
  },
  {
    text: 'Stephen to send the Hackney Works slides tomorrow',
    owners: ['Stephen Haynes#u-sh'],
    due: ['2018-02-27', 'tomorrow', false],
  },
];

const DUE_CONVENTIONS: Case[] = [
  {
    text: 'Rachel to check the feedback log by 12/03',
    owners: ['Rachel Duke#u-rd'],
    due: ['2018-03-12', '12/03', false],
  },
  {
    text: 'Sonia to send the draft to partners by 10/03/18 tbc',
    title: 'Sonia to send the draft to partners',
    owners: ['Sonia Khan#u-sk'],
    due: ['2018-03-10', '10/03/18 tbc', true],
  },
  {
    text: 'Tim Shields to finalise the Strategy this Spring',
    owners: ['Tim Shields#u-ts'],
    due: ['2018-05-31', 'this Spring', true],
  },
  {
    text: 'Review the draft strategy in autumn 2018',
    owners: [],
    due: ['2018-11-30', 'autumn 2018', true],
  },
  {
    text: 'Report back on the winter pressures plan by winter 2018',
    title: 'Report back on the winter pressures plan',
    owners: [],
    due: ['2019-02-28', 'winter 2018', true],
  },
  {
    text: 'Policy team to update the strategy by early March',
    owners: ['team:Policy team'],
    due: ['2018-03-10', 'early March', false],
  },
  {
    text: 'Guy Nicholson to report back by end of next week',
    owners: ['Guy Nicholson#u-gn'],
    due: ['2018-03-09', 'end of next week', false],
  },
  {
    text: 'Claire Crawley to revive the Safe Haven scheme by end of the financial year',
    owners: ['Claire Crawley#u-cc'],
    due: ['2018-03-31', 'end of the financial year', false],
  },
  {
    text: 'Tim to bring the figures by the next meeting',
    title: 'Tim to bring the figures',
    owners: ['Tim Shields#u-ts'],
    due: null,
    dueText: 'the next meeting',
  },
  {
    text: 'Sonia Khan to present the consultation results at the July meeting',
    owners: ['Sonia Khan#u-sk'],
    due: null,
    dueText: 'the July meeting',
  },
  {
    text: 'By Friday, Sonia to circulate the minutes',
    title: 'By Friday, Sonia to circulate the minutes',
    owners: ['Sonia Khan#u-sk'],
    due: ['2018-03-02', 'Friday', false],
  },
  { text: 'Circulate the October 2018 newsletter to partners', owners: [], due: null },
  { text: 'Tim to circulate the minutes', owners: ['Tim Shields#u-ts'], due: null },
  { text: 'Sonia to send the pack ASAP', owners: ['Sonia Khan#u-sk'], due: null },
];

// Around New Year, 29 February and the clocks changing.
const CALENDAR_EDGES: Case[] = [
  {
    text: 'Sonia to send the annual report by 5 Jan',
    now: '2018-12-20T10:00:00Z',
    owners: ['Sonia Khan#u-sk'],
    due: ['2019-01-05', '5 Jan', false],
  },
  {
    text: 'Sonia to send the annual report by end of January',
    now: '2018-12-20T10:00:00Z',
    owners: ['Sonia Khan#u-sk'],
    due: ['2019-01-31', 'end of January', false],
  },
  {
    text: 'Tim to book the venue by mid-November',
    now: '2018-12-20T10:00:00Z',
    owners: ['Tim Shields#u-ts'],
    due: ['2019-11-15', 'mid-November', false],
  },
  {
    text: 'Tim to chase partners next Friday',
    now: '2018-12-28T10:00:00Z',
    owners: ['Tim Shields#u-ts'],
    due: ['2019-01-04', 'next Friday', false],
  },
  {
    text: 'Rachel to check the figures by 29 February',
    now: '2019-03-01T10:00:00Z',
    owners: ['Rachel Duke#u-rd'],
    due: ['2020-02-29', '29 February', false],
  },
  {
    text: 'Rachel to check the figures by 29/02/2020',
    now: '2019-03-01T10:00:00Z',
    owners: ['Rachel Duke#u-rd'],
    due: ['2020-02-29', '29/02/2020', false],
  },
  {
    // 23:30 GMT on Saturday 24 March; the clocks go forward that night.
    text: 'Rachel to circulate notes tomorrow',
    now: '2018-03-24T23:30:00Z',
    owners: ['Rachel Duke#u-rd'],
    due: ['2018-03-25', 'tomorrow', false],
  },
  {
    // 23:30 UTC on Sunday 25 March is already 00:30 BST on Monday 26 March in London.
    text: 'Rachel to circulate notes tomorrow',
    now: '2018-03-25T23:30:00Z',
    owners: ['Rachel Duke#u-rd'],
    due: ['2018-03-27', 'tomorrow', false],
  },
  {
    // 23:30 UTC on 27 October is 00:30 BST on Sunday 28 October, the day the clocks go back.
    text: 'Rachel to circulate notes tomorrow',
    now: '2018-10-27T23:30:00Z',
    owners: ['Rachel Duke#u-rd'],
    due: ['2018-10-29', 'tomorrow', false],
  },
  {
    // 23:30 UTC on 30 June is already July in London.
    text: 'Rachel to circulate notes by end of the month',
    now: '2018-06-30T23:30:00Z',
    owners: ['Rachel Duke#u-rd'],
    due: ['2018-07-31', 'end of the month', false],
  },
];

const MENTIONS: Case[] = [
  {
    text: '<at>Sonia</at> to send the slides to <at>Tim Shields</at> by tomorrow',
    mentions: [
      { name: 'Sonia Khan', id: 'aad-sonia' },
      { name: 'Tim Shields', id: 'aad-tim' },
    ],
    title: 'Sonia to send the slides to Tim Shields',
    owners: ['Sonia Khan#aad-sonia'],
    due: ['2018-02-27', 'tomorrow', false],
  },
  {
    text: 'Please look at the Fashion Hub lessons for 55 Morning Lane <at>Stephen Haynes</at> <at>Tim Shields</at>',
    mentions: [
      { name: 'Stephen Haynes', id: 'aad-stephen' },
      { name: 'Tim Shields', id: 'aad-tim' },
    ],
    owners: ['Stephen Haynes#aad-stephen', 'Tim Shields#aad-tim'],
    due: null,
  },
  {
    text: '<at>Jake Ferguson</at> and <at>Rachel Duke</at> to map existing VCS networks by end of April',
    mentions: [
      { name: 'Jake Ferguson', id: 'aad-jake' },
      { name: 'Rachel Duke', id: 'aad-rachel' },
    ],
    title: 'Jake Ferguson and Rachel Duke to map existing VCS networks',
    owners: ['Jake Ferguson#aad-jake', 'Rachel Duke#aad-rachel'],
    due: ['2018-04-30', 'end of April', false],
  },
  {
    text: '<at>Partnership Board</at> action: <at>Sonia Khan</at> to chase partners who have not responded',
    mentions: [
      { name: 'Partnership Board', id: 'bot' },
      { name: 'Sonia Khan', id: 'aad-sonia' },
    ],
    title: 'Sonia Khan to chase partners who have not responded',
    owners: ['Sonia Khan#aad-sonia'],
    due: null,
  },
];

describe('parseActionText: the board’s phrasings', () => {
  const groups: [string, Case[]][] = [
    ['seed action table', SEED_ACTIONS],
    ['teams, lists and no owner', TEAMS_AND_PEOPLE],
    ['titles, apostrophes and hyphens', TITLES_AND_NAMES],
    ['due-date conventions', DUE_CONVENTIONS],
    ['year rollover, leap years and BST', CALENDAR_EDGES],
    ['@mentions', MENTIONS],
  ];
  it('covers at least 40 phrasings', () => {
    expect(groups.reduce((sum, [, cases]) => sum + cases.length, 0)).toBeGreaterThanOrEqual(40);
  });
  for (const [group, cases] of groups) {
    describe(group, () => {
      it.each(cases)('$text', (c) => {
        const action = parseOk(c.text, {
          ...(c.now ? { now: new Date(c.now) } : {}),
          ...(c.mentions ? { mentions: c.mentions } : {}),
        });
        if (c.title !== undefined) expect(action.title).toBe(c.title);
        expect(ownerLabels(action)).toEqual(c.owners);
        if (c.due) {
          expect(action.due).toEqual({ date: c.due[0], text: c.due[1], tentative: c.due[2] });
          expect(action.dueText).toBe(c.due[1]);
        } else {
          expect(action.due).toBeUndefined();
          expect(action.dueText).toBe(c.dueText);
        }
        expect(action.title.length).toBeLessThanOrEqual(MAX_TITLE_LENGTH);
      });
    });
  }
});

describe('parseActionText: title and details', () => {
  const longSeedAction =
    'LBH Policy and Partnerships to convene a meeting to share information on existing approaches evaluating how ' +
    'effective we are at reducing poverty and tackling inequality in specific neighbourhoods or amongst specific ' +
    'groups in the population. This is likely to include: Pembury Children’s Community, Young Black Men Programme, ' +
    'Public Health Sport England Pilot in the east – Sonia Khan';

  it('cuts a long title on a word with an ellipsis and keeps the full text in details', () => {
    const action = parseOk(`action: ${longSeedAction}`);
    expect(action.title.length).toBeLessThanOrEqual(255);
    expect(action.title.endsWith('…')).toBe(true);
    const withoutEllipsis = action.title.slice(0, -1);
    expect(longSeedAction.startsWith(withoutEllipsis)).toBe(true);
    expect(longSeedAction.charAt(withoutEllipsis.length)).toMatch(/[\s,.;:]/u);
    expect(action.details).toBe(longSeedAction);
    expect(ownerLabels(action)).toEqual(['Sonia Khan#u-sk']);
  });

  it('flattens Teams HTML and entities', () => {
    const action = parseOk(
      'action Sonia Khan &amp; Rachel Duke to review the <b>draft</b>&nbsp;strategy by Friday',
    );
    expect(action.title).toBe('Sonia Khan & Rachel Duke to review the draft strategy');
    expect(action.details).toBe('Sonia Khan & Rachel Duke to review the draft strategy by Friday');
    expect(ownerLabels(action)).toEqual(['Sonia Khan#u-sk', 'Rachel Duke#u-rd']);
  });

  it('takes a meeting reference out of the title', () => {
    const action = parseOk('Sonia to circulate the notes meeting: CSPB-2018-02 by Friday');
    expect(action.meetingRef).toBe('CSPB-2018-02');
    expect(action.title).toBe('Sonia to circulate the notes');
    expect(action.due?.date).toBe('2018-03-02');
  });

  it('keeps a due phrase in the title unless it is a trailing "by" clause', () => {
    expect(parseOk('Sonia to send the draft to partners, due 2018-03-10').title).toBe(
      'Sonia to send the draft to partners, due 2018-03-10',
    );
    expect(parseOk('Sonia to send the draft to partners, by 2018-03-10.').title).toBe(
      'Sonia to send the draft to partners',
    );
  });

  it('works without a roster: names are kept as written', () => {
    const result = parseActionText('Sonia Khan and Rachel Duke to circulate the final draft', {
      now: new Date(MEETING),
    });
    expect(result.ok && ownerLabels(result.action)).toEqual(['Sonia Khan', 'Rachel Duke']);
  });
});

describe('parseActionText: refusals', () => {
  it.each(['action:', 'action   ', 'ACTION -', '', '   ', '<at>Partnership Board</at> action'])(
    'says what to type for %j',
    (text) => {
      const result = parseActionText(text, { now: new Date(MEETING) });
      expect(result).toMatchObject({ ok: false, reason: 'empty' });
      expect(!result.ok && result.message).toMatch(/for example: "action .+ by end of June 2018"/u);
    },
  );

  it.each([
    ['action by 31/02/2019 do it', '31/02/2019', /no 31 February in 2019/u],
    ['Rachel to book a room by 45 June', '45 June', /no 45 June/u],
    ['Rachel to check the figures by 29/02/2019', '29/02/2019', /no 29 February in 2019/u],
    ['Tim to report by 9/30/2018', '9/30/2018', /day\/month\/year/u],
  ])('refuses the impossible date in %j', (text, phrase, why) => {
    const result = parseActionText(text, { now: new Date('2019-01-10T09:00:00Z') });
    expect(result).toMatchObject({ ok: false, reason: 'badDate' });
    const message = result.ok ? '' : result.message;
    expect(message.startsWith(`I couldn't understand the date "${phrase}"`)).toBe(true);
    expect(message).toMatch(why);
    expect(message).toMatch(/Try a date like/u);
  });

  it('refuses more than 10 KB, counted in bytes', () => {
    expect(parseActionText(`action ${'x '.repeat(6000)}`, { now: new Date(MEETING) })).toMatchObject({
      ok: false,
      reason: 'tooLong',
    });
    expect(parseActionText(`action ${'é'.repeat(5200)}`, { now: new Date(MEETING) })).toMatchObject({
      ok: false,
      reason: 'tooLong',
    });
    expect(parseActionText(`action ${'word '.repeat(2000)}`, { now: new Date(MEETING) }).ok).toBe(true);
  });
});

describe('stripCommandPrefix', () => {
  it.each([
    ['action Sonia to send the pack', 'Sonia to send the pack'],
    ['action: Sonia to send the pack', 'Sonia to send the pack'],
    ['Action:Sonia to send the pack', 'Sonia to send the pack'],
    ['ACTION - Sonia to send the pack', 'Sonia to send the pack'],
    ['Action – Sonia to send the pack', 'Sonia to send the pack'],
    ['action — Sonia to send the pack', 'Sonia to send the pack'],
    ['Action–Sonia to send the pack', 'Sonia to send the pack'],
    ['  action   Sonia to send the pack  ', 'Sonia to send the pack'],
    ['<at>Partnership Board</at>&nbsp;action: Sonia to send the pack', 'Sonia to send the pack'],
    ['add an action: Sonia to send the pack', 'Sonia to send the pack'],
    ['action point: Sonia to send the pack', 'Sonia to send the pack'],
    ['action:', ''],
    ['action   ', ''],
    ['action', ''],
  ])('%j → %j', (text, rest) => {
    expect(stripCommandPrefix(text)).toBe(rest);
  });

  it.each([
    'actions open',
    'actions for Sonia',
    'actionable items',
    'action-oriented work',
    'Sonia to act',
    'help',
  ])('%j is not an action command', (text) => {
    expect(stripCommandPrefix(text)).toBeUndefined();
  });
});
