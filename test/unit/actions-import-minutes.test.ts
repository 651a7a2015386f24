import { describe, expect, it } from 'vitest';
import { readImportTable, type ImportRow } from '../../bot/features/actions/import-table.js';
import { ALL_MEMBERS } from '../../bot/features/actions/log-owners.js';
import { looksLikeMinutes, readApologies } from '../../bot/features/actions/minutes.js';

const now = new Date('2023-02-01T10:00:00Z');
const roster = [
  { id: 'aad-sonia', name: 'Sonia Khan' },
  { id: 'aad-rachel', name: 'Rachel Duke' },
  { id: 'aad-karen', name: 'Karen Dunn' },
  { id: 'aad-mark', name: 'Mark Mills' },
  { id: 'aad-jim', name: 'Jim Gamble' },
  { id: 'aad-tim', name: 'Tim Shields' },
];
const ctx = { now, roster };
const summary = (r: ImportRow) => [
  r.logRef,
  r.draft.text,
  r.draft.owners.map((o) => o.name).join('; '),
  r.draft.due?.date ?? r.draft.due?.text,
];

// The Health and Wellbeing Board's minute of its Strategic Plan item (seeds/000): discussion and a
// resolution to note, and not one action.
const HWB = `Agenda item

Update on Hackney Strategic Plan (Sonia Khan) (15 minutes)

Minutes:

9.1  The Head  of Policy and Strategic Delivery introduced the report. Hackney Council adopted a corporate plan in 2018 which set out borough and corporate challenges. This was refreshed in the light of the pandemic with a direction of travel for the plan agreed in July 2020.

9.2  The Head of Policy and Strategic Delivery highlighted:

·  The emphasis on the wider framework of partnership working;

·  The emphasis was to work with existing statutory Boards on cross cutting issues;

9.3  Mayor Glanville referred to the possibility of an enhanced role for the Board in particular around shared areas of responsibility. He emphasised that the Health and the Wellbeing Strategy was reflected in the Strategic Plan.

9.4  The Director of Public Health stated that she welcomed the opportunity to take health and wellbeing into the community strategy with an offer of support from the public health team in developing this during the strategy refresh.

9.7  The Head of Policy and Strategic Delivery highlighted:

·  That the Strategic Delivery Team was involved in the next steps of the Health and Wellbeing Strategy to ensure that the necessary join up with stakeholders was in place;

RESOLVED:

·  To note that the Council has developed a Strategic Plan that will be taken to Cabinet for adoption this month;

·  To note the key issues that the plan is seeking to address which are set out in the report.

Supporting documents:`;

// The scrutiny commission's minute (seeds/002): members' questions, answered in the room, and one
// request with someone to carry it.
const SCRUTINY = `Minutes:

6.1  Cllr Taylor revisited the objectives of this review which considered a thematic area (e.g. health, housing, mental health) in order to understand the extent to which the local authority and national authorities are working together.

6.4  Given Hackney’s high rate of mental health cases, Members asked what collaboration was going on between the Clinical Commissioning Group (CCG) and the Health and Wellbeing Board.

Ian Williams noted that collaboration between the Council and City and Hackney CCG worked well.

6.5  As a follow up Members asked if the sole focus of the pilot was on commissioning.

6.7  The Vice Chair reminded Members that the Chief Executive would be attending the next Commission meeting and would be asked how the new corporate structure would facilitate joint up working. Members were keen to take forward the recommendation that this was presented to senior management team and asked if this could be actioned via the Overview and Scrutiny Team.

6.8  Members asked if one of the reasons the response was weak was because of resource implications.`;

const OWN = `Minutes of the Community Strategy Partnership Board
Present: Fraser Nixon (FN), Karen Dunn (KD), Mark Mills (MM)

1.1 Apologies for absence were received from Jim Gamble (Rory McCallum attended as substitute), Cllr Kennedy and Dr Adi Cooper (represented by Melba Gomes, Adults Safeguarding Board).

2.1 The Board discussed the draft Community Strategy. It was agreed that the Director of Public Health would circulate the final plan to partners by end of March.

2.2 ACTION: FN to book the venue for the partnership event.

2.3 Members asked that the data be broken down by ward; the clerk to arrange.

2.4 It was agreed that an update on the VCS strategy be brought back to the next meeting.

2.5 Rachel Duke agreed to share the slides with all partners. KD and MM to meet the CCG by 3 March 2023.

2.6 Members asked whether the figures were final. Sonia Khan said they were not.

RESOLVED: To note the report.`;

describe('actions in the prose of minutes', () => {
  it('finds no action in a minute of discussion and a resolution to note (000)', () => {
    expect(looksLikeMinutes(HWB)).toBe(true);
    const t = readImportTable(HWB, ctx);
    expect(t.kind).toBe('minutes');
    expect(t.rows).toEqual([]);
    expect(t.apologies).toEqual([]);
  });

  it('finds the one request with someone to carry it, not the questions (002)', () => {
    const t = readImportTable(SCRUTINY, ctx);
    expect(t.rows.map(summary)).toEqual([
      [
        '6.7',
        'Members were keen to take forward the recommendation that this was presented to senior management team and asked if this could be actioned via the Overview and Scrutiny Team',
        'Overview and Scrutiny Team',
        undefined,
      ],
    ]);
  });

  it('reads each way minute-takers write actions, with owners, due dates and the paragraph', () => {
    const t = readImportTable(OWN, ctx);
    expect(t.rows.map(summary)).toEqual([
      [
        '2.1',
        'It was agreed that the Director of Public Health would circulate the final plan to partners by end of March',
        'Director of Public Health',
        '2023-03-31',
      ],
      ['2.2', 'FN to book the venue for the partnership event', 'Fraser Nixon', undefined],
      ['2.3', 'Members asked that the data be broken down by ward; the clerk to arrange', 'Clerk', undefined],
      [
        '2.4',
        'It was agreed that an update on the VCS strategy be brought back to the next meeting',
        '',
        'the next meeting (not yet scheduled)',
      ],
      ['2.5', 'Rachel Duke agreed to share the slides with all partners', 'Rachel Duke', undefined],
      ['2.5', 'KD and MM to meet the CCG by 3 March 2023', 'Karen Dunn; Mark Mills', '2023-03-03'],
    ]);
    expect(t.rows[3]?.nextMeeting).toBe('unscheduled');
    expect(t.rows[3]?.draft.due?.tentative).toBe(true);
    expect(t.rows[5]?.draft.owners.map((o) => o.id)).toEqual(['aad-karen', 'aad-mark']);
  });

  it('dates "the next meeting" as the board\'s next scheduled meeting when there is one', () => {
    const t = readImportTable(OWN, { ...ctx, nextMeeting: { ref: 'M-0008', date: '2023-04-20' } });
    const next = t.rows.find((r) => r.logRef === '2.4');
    expect(next?.draft.due).toEqual({ date: '2023-04-20', text: 'the next meeting', tentative: false });
    expect(next?.nextMeeting).toBe('dated');
  });

  it('reads "Members to …" as all members, and a ticked ACTION with initials at its end', () => {
    expect(
      readImportTable('Minutes:\n3.1 Members to note the report.\n3.2 SK to receive the figures.', ctx).rows,
    ).toEqual([]);
    const t = readImportTable(
      [
        'Minutes:',
        '3.1 Members to send their top 3 challenges to the policy team by 10 March.',
        '3.2 Action: circulate the slides (KD)',
      ].join('\n'),
      ctx,
    );
    expect(t.rows.map(summary)).toEqual([
      [
        '3.1',
        'Members to send their top 3 challenges to the policy team by 10 March',
        ALL_MEMBERS,
        '2023-03-10',
      ],
      ['3.2', 'circulate the slides', 'Karen Dunn', undefined],
    ]);
  });
});

describe('apologies in minutes', () => {
  it('reads who sent apologies and who attended as their substitute', () => {
    const t = readImportTable(OWN, ctx);
    expect(t.apologies).toEqual([
      { name: 'Jim Gamble', memberId: 'aad-jim', substitute: { name: 'Rory McCallum' }, line: 4 },
      { name: 'Cllr Kennedy', line: 4 },
      {
        name: 'Dr Adi Cooper',
        substitute: { name: 'Melba Gomes', organisation: 'Adults Safeguarding Board' },
        line: 4,
      },
    ]);
  });

  it('reads the other ways of writing them', () => {
    expect(
      readApologies('Apologies: Sonia Khan, Tim Shields and Cllr Bramble.', 1, roster).map((a) => a.name),
    ).toEqual(['Sonia Khan', 'Tim Shields', 'Cllr Bramble']);
    expect(
      readApologies('Apologies were received from Simon Laurence (substituted by Claire Crawley)', 1, roster),
    ).toEqual([{ name: 'Simon Laurence', substitute: { name: 'Claire Crawley' }, line: 1 }]);
    expect(readApologies('Apologies for absence: none.', 1, roster)).toEqual([]);
    const t = readImportTable(
      'Minutes:\nApologies: Sonia Khan\nTim Shields attended as substitute for Jim Gamble.',
      { now, roster },
    );
    expect(t.apologies).toEqual([
      { name: 'Sonia Khan', memberId: 'aad-sonia', line: 2 },
      { name: 'Jim Gamble', memberId: 'aad-jim', substitute: { name: 'Tim Shields' }, line: 3 },
    ]);
    expect(t.rows).toEqual([]);
  });
});

describe('minutes whose line breaks were lost', () => {
  it('starts a paragraph at each number', () => {
    const t = readImportTable(
      'Minutes: 1.1 Apologies for absence were received from Tim Shields. 2.1 The Board discussed the plan. KD to circulate the slides by 3 March 2023. 2.2 Members asked whether the figures were final.',
      ctx,
    );
    expect(t.rows.map(summary)).toEqual([
      ['2.1', 'KD to circulate the slides by 3 March 2023', 'Karen Dunn', '2023-03-03'],
    ]);
    expect(t.apologies.map((a) => a.name)).toEqual(['Tim Shields']);
    // Lines glued with no space at all, as the Playground sends a paste.
    const glued = readImportTable(
      'Minutes:1.1 Apologies for absence were received from Tim Shields.2.1 KD to circulate the slides by 3 March 2023.2.2 Members asked whether the figures were final.',
      ctx,
    );
    expect(glued.rows.map(summary)).toEqual([
      ['2.1', 'KD to circulate the slides by 3 March 2023', 'Karen Dunn', '2023-03-03'],
    ]);
    expect(glued.apologies.map((a) => a.name)).toEqual(['Tim Shields']);
  });
});

describe('resolutions', () => {
  it('a resolution to note is not an action; one that gives someone something to do is', () => {
    const t = readImportTable(
      [
        'Minutes:',
        '5.1 The Board received the report.',
        'RESOLVED:',
        '·  To note the key issues that the plan is seeking to address;',
        '·  To approve the terms of reference;',
        '·  That officers bring the final plan back to the next meeting.',
      ].join('\n'),
      { ...ctx, nextMeeting: { ref: 'M-0008', date: '2023-04-20' } },
    );
    expect(t.rows.map(summary)).toEqual([
      ['5.1', 'That officers bring the final plan back to the next meeting', '', '2023-04-20'],
    ]);
  });
});

describe('minutes without numbered paragraphs', () => {
  it('reads the action after the apologies line', () => {
    const t = readImportTable(
      ['Minutes', 'Apologies: Sonia Khan.', 'KD to circulate the slides by 3 March 2023.'].join('\n'),
      ctx,
    );
    expect(t.kind).toBe('minutes');
    expect(t.rows.map(summary)).toEqual([
      [undefined, 'KD to circulate the slides by 3 March 2023', 'Karen Dunn', '2023-03-03'],
    ]);
    expect(t.apologies.map((a) => a.name)).toEqual(['Sonia Khan']);
  });
});
