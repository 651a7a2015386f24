import { describe, expect, it } from 'vitest';
import { readImportTable, type ImportRow } from '../../bot/features/actions/import-table.js';
import { kindOfHeader, readHeader } from '../../bot/features/actions/log-columns.js';
import { readStatus } from '../../bot/features/actions/log-status.js';
import { notReminded, ownerNudges } from '../../bot/features/actions/reminders.js';
import { keyRows } from '../../bot/features/actions/importing.js';
import { ALL_MEMBERS, readInitialsKey, readLogOwners } from '../../bot/features/actions/log-owners.js';

const now = new Date('2023-02-01T10:00:00Z');
const roster = [
  { id: 'aad-sonia', name: 'Sonia Khan' },
  { id: 'aad-rachel', name: 'Rachel Duke' },
  { id: 'aad-karen', name: 'Karen Dunn' },
  { id: 'aad-mark', name: 'Mark Mills' },
  { id: 'aad-kate', name: 'Kate Roberts' },
  { id: 'aad-jake', name: 'Jake Ferguson' },
  { id: 'aad-ruth', name: 'Ruth Morgan' },
  { id: 'aad-tim', name: 'Tim Shields' },
];
const ctx = { now, roster };

/** What a row came to: [ref, title, owners, due date or text, status]. */
const summary = (r: ImportRow) => [
  r.logRef,
  r.draft.title,
  r.draft.owners.map((o) => o.name).join('; '),
  r.draft.due?.date ?? r.draft.due?.text,
  r.status,
];

describe('an action log read by its header', () => {
  it('layout 1: a numbered log from Word (tabs) with date raised, initials and a ticked "Completed" column', () => {
    const table = readImportTable(
      [
        'No.\tDate raised\tAction\tOwner\tBy when\tCompleted',
        '1\t12/01/2023\tCirculate the draft Community Strategy to partners\tKD, MM, KR\t28/02/2023\t√',
        '2\t12/01/2023\tBook the venue for the partnership event\tJF/RM\tMarch 2023\t',
        '3\t12/01/2023\tShare the procurement strategy\tSonia Khan & Rachel Duke\tend of June 2023\t✔',
        '4\t09/11/2022\tWrite to all partners about the survey\tAll\t\t✓',
      ].join('\n'),
      ctx,
    );
    expect(table.kind).toBe('log');
    expect(table.columns?.map((c) => c.kind)).toEqual(['ref', 'raised', 'action', 'owner', 'due', 'status']);
    expect(table.skipped).toEqual([]);
    expect(table.rows.map(summary)).toEqual([
      [
        '1',
        'Circulate the draft Community Strategy to partners',
        'Karen Dunn; Mark Mills; Kate Roberts',
        '2023-02-28',
        'Done',
      ],
      ['2', 'Book the venue for the partnership event', 'Jake Ferguson; Ruth Morgan', '2023-03-31', 'Open'],
      ['3', 'Share the procurement strategy', 'Sonia Khan; Rachel Duke', '2023-06-30', 'Done'],
      ['4', 'Write to all partners about the survey', ALL_MEMBERS, undefined, 'Done'],
    ]);
    // The date raised is never the due date, and it is kept for Details.
    expect(table.rows[3]?.raised).toBe('09/11/2022');
    expect(table.rows[0]?.draft.owners.map((o) => o.id)).toEqual(['aad-karen', 'aad-mark', 'aad-kate']);
    expect(table.rows[3]?.draft.owners).toEqual([{ name: ALL_MEMBERS, kind: 'team' }]);
  });

  it('layout 2: a tracker in its own order with pipes: reference, lead, deadline, RAG status, update, action', () => {
    const table = readImportTable(
      [
        '| Ref | Lead | Deadline | Status (RAG) | Update | Description |',
        '|-----|------|----------|--------------|--------|-------------|',
        '| HWB-01 | Sonia Khan | 31 March 2023 | Red | Delayed by the pre-election period | Publish the Strategic Plan |',
        '| HWB-02 | Public Health team | Q2 | Amber | | Refresh the JSNA chapter on poverty |',
        '| HWB-03 | Tim Shields | autumn 2023 | Green | On track | Set up bilateral discussions on employment |',
        '| HWB-04 | RD | 30/04/2023 | Withdrawn | No longer required after the restructure | Convene the task and finish group |',
      ].join('\n'),
      ctx,
    );
    expect(table.columns?.map((c) => c.kind)).toEqual(['ref', 'owner', 'due', 'status', 'notes', 'action']);
    expect(table.rows.map(summary)).toEqual([
      ['HWB-01', 'Publish the Strategic Plan', 'Sonia Khan', '2023-03-31', 'In progress'],
      ['HWB-02', 'Refresh the JSNA chapter on poverty', 'Public Health team', 'Q2', 'In progress'],
      ['HWB-03', 'Set up bilateral discussions on employment', 'Tim Shields', '2023-11-30', 'In progress'],
      ['HWB-04', 'Convene the task and finish group', 'Rachel Duke', '2023-04-30', 'Dropped'],
    ]);
    expect(table.rows[0]?.rag).toBe('Red');
    expect(table.rows[0]?.notes).toBe('Delayed by the pre-election period');
    expect(table.rows[1]?.draft.owners[0]?.kind).toBe('team');
    expect(table.rows[2]?.draft.due?.tentative).toBe(true);
  });

  it('layout 3: dashes with a header in words boards use (Action point / Responsible / Target date / Progress)', () => {
    const table = readImportTable(
      [
        'Action point — Responsible — Target date — Progress',
        'Send the final pack to the chair — KD — 3 March — Not started',
        'Agree the terms of reference — MM and KR — end of April — Ongoing',
      ].join('\n'),
      ctx,
    );
    expect(table.columns?.map((c) => c.kind)).toEqual(['action', 'owner', 'due', 'status']);
    expect(table.rows.map(summary)).toEqual([
      [undefined, 'Send the final pack to the chair', 'Karen Dunn', '2023-03-03', 'Open'],
      [undefined, 'Agree the terms of reference', 'Mark Mills; Kate Roberts', '2023-04-30', 'In progress'],
    ]);
  });

  it('layout 4: CSV with the action first, "Assigned to", "Timescale", "Done" (Yes/No) and "Comments"', () => {
    const table = readImportTable(
      [
        'Task,Assigned to,Timescale,Done,Comments',
        '"Draft the VCS strategy, with partners",Jake Ferguson,September 2023,No,"Started; first draft in July"',
        'Update the risk register,All partners,ongoing,Yes,',
      ].join('\n'),
      { ...ctx, format: 'csv' },
    );
    expect(table.columns?.map((c) => c.kind)).toEqual(['action', 'owner', 'due', 'status', 'notes']);
    expect(table.rows.map(summary)).toEqual([
      [undefined, 'Draft the VCS strategy, with partners', 'Jake Ferguson', '2023-09-30', 'Open'],
      [undefined, 'Update the risk register', ALL_MEMBERS, undefined, 'Done'],
    ]);
    expect(table.rows[0]?.notes).toBe('Started; first draft in July');
  });

  it("layout 5: 003's table as extracted from the board's paper (a blank header over the numbers, an Item column of discussion, HTML)", () => {
    const table = readImportTable(
      [
        '\tItem\tActions\tAssigned',
        '1.\tWelcome and introductions\tN/a\tN/a',
        '2.\t<p>Scene setting</p> <p>The Mayor welcomed everyone to the first meeting of this new strategic partnership.</p>\tN/a\tN/a',
        '<ul> • identify their top 3 strategic challenges</ul>\t<p>LBH Policy Team to use all feedback on the strategy in the development of final version</p>\t<p>Sonia Khan & Rachel Duke</p>',
        '---\t---\t--',
        '6\t<p>Taking all this forward</p>\t<p>LBH to use the Board’s feedback to finalise the Strategy.</p> <p>LBH to set up bilateral discussions about Employment and Opportunities work.</p>\t<p>Sonia Khan & Rachel Duke</p> <p>Tim Shields & Stephen Haynes</p>',
        '7\tClose\t\t',
      ].join('\n'),
      ctx,
    );
    expect(table.columns?.map((c) => c.kind)).toEqual(['ref', 'ignore', 'action', 'owner']);
    expect(
      table.rows.map((r) => [r.logRef, r.draft.title, r.draft.owners.map((o) => o.name).join('; ')]),
    ).toEqual([
      [
        undefined,
        'LBH Policy Team to use all feedback on the strategy in the development of final version',
        'Sonia Khan; Rachel Duke',
      ],
      ['6', 'LBH to use the Board’s feedback to finalise the Strategy.', 'Sonia Khan; Rachel Duke'],
      [
        '6',
        'LBH to set up bilateral discussions about Employment and Opportunities work.',
        'Tim Shields; Stephen Haynes',
      ],
    ]);
    expect(table.skipped.map((s) => [s.line, s.why])).toEqual([
      [2, 'no action in the action column'],
      [3, 'no action in the action column'],
      [7, 'no action in the action column'],
    ]);
  });

  it('layout 6: no header at all keeps reading lines as before, with initials, a key and a status at the end', () => {
    const table = readImportTable(
      [
        'Key: FN – Fraser Nixon; KD – Karen Dunn',
        'Circulate the slides — FN — 10 February — Done',
        'Book the room — KD, MM — 1 March',
        'Sonia Khan to send the agenda by 3/3/2023',
      ].join('\n'),
      ctx,
    );
    expect(table.kind).toBe('lines');
    expect(table.rows.map(summary)).toEqual([
      [undefined, 'Circulate the slides', 'Fraser Nixon', '2023-02-10', 'Done'],
      [undefined, 'Book the room', 'Karen Dunn; Mark Mills', '2023-03-01', 'Open'],
      [undefined, 'Sonia Khan to send the agenda', 'Sonia Khan', '2023-03-03', 'Open'],
    ]);
  });

  it('reads the header wherever it is in the first lines, and says what stood above it', () => {
    const table = readImportTable(
      ['Health and Wellbeing Board – action log', '#\tTask\tWho\tDue', '7\tRefresh the JSNA\tSK\tJune'].join(
        '\n',
      ),
      ctx,
    );
    expect(table.headerLine).toBe(2);
    expect(table.skipped).toEqual([
      { line: 1, text: 'Health and Wellbeing Board – action log', why: "above the table's header" },
    ]);
    expect(table.rows.map(summary)).toEqual([['7', 'Refresh the JSNA', 'Sonia Khan', '2023-06-30', 'Open']]);
  });

  it("lets the officer say what a column means: the reading follows the officer's columns", () => {
    const text = ['Item\tDetail\tWho', '1\tRefresh the JSNA\tSK'].join('\n');
    expect(readImportTable(text, ctx).columns?.map((c) => c.kind)).toEqual(['ref', 'action', 'owner']);
    const changed = readImportTable(text, { ...ctx, columns: ['ignore', 'notes', 'owner'] });
    expect(changed.rows).toEqual([]);
    expect(changed.skipped[0]?.why).toBe('no action in the action column');
    const swapped = readImportTable(text, { ...ctx, columns: ['ref', 'action', 'notes'] });
    expect(swapped.rows[0]?.draft.owners).toEqual([]);
    expect(swapped.rows[0]?.notes).toBe('SK');
  });

  it('skips a row with an impossible due date or a 10 KB action, saying why', () => {
    const table = readImportTable(
      [
        'Action\tOwner\tDue',
        'Report back\tSonia Khan\t31/02/2023',
        `${'x'.repeat(10_300)}\tSonia Khan\tJune`,
        'Fine\tSK\tJune',
      ].join('\n'),
      ctx,
    );
    expect(table.skipped.map((s) => [s.line, s.why])).toEqual([
      [2, expect.stringMatching(/not a real date/)],
      [3, 'the action is over 10 KB; shorten it and import it again'],
    ]);
    expect(table.rows).toHaveLength(1);
  });
});

describe('header words', () => {
  it.each([
    ['No', 'ref'],
    ['#', 'ref'],
    ['Ref', 'ref'],
    ['Item', 'ref'],
    ['Date', 'raised'],
    ['Date raised', 'raised'],
    ['Meeting', 'raised'],
    ['Meeting date', 'raised'],
    ['Action', 'action'],
    ['Action point', 'action'],
    ['Description', 'action'],
    ['Task', 'action'],
    ['Owner', 'owner'],
    ['Lead', 'owner'],
    ['Assigned to', 'owner'],
    ['Who', 'owner'],
    ['Responsible', 'owner'],
    ['By whom', 'owner'],
    ['By when', 'due'],
    ['Due', 'due'],
    ['Deadline', 'due'],
    ['Target date', 'due'],
    ['Timescale', 'due'],
    ['Status', 'status'],
    ['Progress', 'status'],
    ['Completed', 'status'],
    ['Done', 'status'],
    ['RAG', 'status'],
    ['Update', 'notes'],
    ['Notes', 'notes'],
    ['Comments', 'notes'],
    ['Progress notes', 'notes'],
    ['Owner(s)', 'owner'],
    ['Status / update', 'status'],
  ])('"%s" is %s', (header, kind) => {
    expect(kindOfHeader(header)).toBe(kind);
  });

  it('a row of actions is not a header; a second status column is notes', () => {
    expect(readHeader(['Circulate the minutes', 'Sonia Khan', 'June'])).toBeUndefined();
    expect(readHeader(['Action', 'Status', 'Progress'])?.map((c) => c.kind)).toEqual([
      'action',
      'status',
      'notes',
    ]);
  });
});

describe('status words', () => {
  it.each([
    ['Complete', 'Done'],
    ['Completed', 'Done'],
    ['Done', 'Done'],
    ['Closed', 'Done'],
    ['Yes', 'Done'],
    ['√', 'Done'],
    ['✓', 'Done'],
    ['✔', 'Done'],
    ['Completed - see update', 'Done'],
    ['Ongoing', 'In progress'],
    ['In progress', 'In progress'],
    ['Started', 'In progress'],
    ['On track', 'In progress'],
    ['Green', 'In progress'],
    ['Amber', 'In progress'],
    ['Red', 'In progress'],
    ['Not started', 'Open'],
    ['Open', 'Open'],
    ['', 'Open'],
    ['Dropped', 'Dropped'],
    ['Withdrawn', 'Dropped'],
    ['No longer required', 'Dropped'],
    ['Superseded', 'Dropped'],
  ])('"%s" is %s', (word, status) => {
    expect(readStatus(word).status).toBe(status);
  });

  it('notes Red as at risk, keeps words it does not know, and reads a date in a Completed column as done', () => {
    expect(readStatus('Red')).toMatchObject({ rag: 'Red', status: 'In progress' });
    expect(readStatus('Awaiting the CCG')).toEqual({
      status: 'Open',
      recognised: false,
      written: 'Awaiting the CCG',
    });
    expect(readStatus('14/03/2023', { completedColumn: true, now }).status).toBe('Done');
    expect(readStatus('x', { completedColumn: true }).status).toBe('Done');
  });
});

describe('owners as minute-takers write them', () => {
  const read = (cell: string, extra: Partial<Parameters<typeof readLogOwners>[1]> = {}) =>
    readLogOwners(cell, { roster, ...extra });
  const names = (cell: string, extra = {}) => read(cell, extra).owners.map((o) => o.name);

  it('resolves initials against the members when exactly one fits', () => {
    expect(read('SK').owners).toEqual([{ name: 'Sonia Khan', id: 'aad-sonia', kind: 'person' }]);
    expect(names('S.K.')).toEqual(['Sonia Khan']);
  });

  it('reads several owners in a cell', () => {
    expect(names('KD, MM, KR')).toEqual(['Karen Dunn', 'Mark Mills', 'Kate Roberts']);
    expect(names('JF/RM')).toEqual(['Jake Ferguson', 'Ruth Morgan']);
    expect(names('Sonia Khan & Rachel Duke')).toEqual(['Sonia Khan', 'Rachel Duke']);
    expect(names('SK and TS')).toEqual(['Sonia Khan', 'Tim Shields']);
  });

  it('reads "All", "All partners", "All members" as the whole board', () => {
    for (const all of ['All', 'all', 'All partners', 'All members', 'All board members'])
      expect(read(all).owners).toEqual([{ name: ALL_MEMBERS, kind: 'team' }]);
  });

  it('keeps organisations, teams and offices as written', () => {
    expect(read('Overview and Scrutiny Team').owners).toEqual([
      { name: 'Overview and Scrutiny Team', kind: 'team' },
    ]);
    expect(names('LBH Strategy, Policy and Economic Development')).toEqual([
      'LBH Strategy, Policy and Economic Development',
    ]);
    expect(names('Director of Public Health')).toEqual(['Director of Public Health']);
    expect(names('Met Police')).toEqual(['Met Police']);
  });

  it('reads initials against a key in the paper first', () => {
    const key = readInitialsKey('Present: Fraser Nixon (FN), Karen Dunn (KD). Also: RB – Rob Bell');
    expect([...key]).toEqual([
      ['FN', 'Fraser Nixon'],
      ['KD', 'Karen Dunn'],
      ['RB', 'Rob Bell'],
    ]);
    expect(read('FN', { key }).owners).toEqual([{ name: 'Fraser Nixon', kind: 'person' }]);
    expect(read('KD', { key }).owners).toEqual([{ name: 'Karen Dunn', id: 'aad-karen', kind: 'person' }]);
  });

  it('keeps initials that fit two members as written and offers both, until the officer chooses', () => {
    const two = [...roster, { id: 'aad-sam', name: 'Sam King' }];
    const open = readLogOwners('SK', { roster: two });
    expect(open.owners).toEqual([{ name: 'SK', kind: 'person' }]);
    expect(open.ambiguous).toEqual([
      {
        initials: 'SK',
        candidates: [
          { id: 'aad-sonia', name: 'Sonia Khan' },
          { id: 'aad-sam', name: 'Sam King' },
        ],
      },
    ]);
    const chosen = readLogOwners('SK', { roster: two, choices: { SK: 'aad-sam' } });
    expect(chosen.owners).toEqual([{ name: 'Sam King', id: 'aad-sam', kind: 'person' }]);
    expect(chosen.ambiguous).toEqual([]);
  });

  it('initials nobody fits stay as written; N/a and blanks are no owner', () => {
    expect(names('QX')).toEqual(['QX']);
    expect(read('N/a').owners).toEqual([]);
    expect(read('  ').owners).toEqual([]);
  });
});

describe('a paste whose line breaks were lost', () => {
  it('reads a pipe table sent as one line, its rows joined pipe to pipe', () => {
    const table = readImportTable(
      '| Ref | Action | Lead | Status || 1 | Map the VCS premises | JF | Ongoing || 2 | Share the dashboard | SK, RD | | ',
      ctx,
    );
    expect(table.rows.map(summary)).toEqual([
      ['1', 'Map the VCS premises', 'Jake Ferguson', undefined, 'In progress'],
      ['2', 'Share the dashboard', 'Sonia Khan; Rachel Duke', undefined, 'Open'],
    ]);
  });
});

describe('"All members" and reminders', () => {
  it('nobody is nudged for an action of the whole board, and the chairs are told why', async () => {
    const action = {
      id: '1',
      etag: '"1"',
      ref: 'A-0007',
      title: 'Send the top 3 challenges',
      details: '',
      owners: [ALL_MEMBERS],
      ownerIds: [],
      tentative: false,
      status: 'Open' as const,
      dueDate: '2023-01-10',
    };
    expect(ownerNudges([action], [])).toEqual([]);
    expect(await notReminded(action, async () => true)).toEqual({
      ref: 'A-0007',
      text: 'Send the top 3 challenges',
      who: 'All members (the whole board: nobody is reminded individually)',
    });
  });
});

describe("a paper's action table followed by its attendance sheet (003)", () => {
  it('reads the actions, then the apologies and substitutes, and no row of the sheet as an action', () => {
    const table = readImportTable(
      [
        'Hackney Community Strategy Partnership Board Key points raised & actions',
        '\tItem\tActions\tAssigned',
        '1.\tWelcome and introductions\tN/a\tN/a',
        '<p>Discussion of the draft</p>\t<p>LBH Policy Team to use all feedback on the strategy in the development of final version</p>\t<p>Sonia Khan & Rachel Duke</p>',
        '7\tClose\t\t',
        '',
        'Tabled presentations – enclosed',
        '',
        'Community Strategy Partnership Board Attendance Sheet February 18',
        '',
        'Board members invited\tExpected/ Apologies from\tColleagues attending on behalf of invited board members',
        'Chair Mayor Philip Glanville\tAttended\t',
        'Tim Shields,\tAttended\t',
        "Jim Gamble Chair of Children's Safeguarding Board\tApologies\tRory McCallum, Senior Professional Advisor to the Children's Safeguarding Board",
        'Dr Adi Cooper, Chair Adults Safeguarding Board\tApologies\tMelba Gnomes, Manager of the Adults Safeguarding Board',
        "Simon Laurence, Met Police,\tApologies\tMa'am Claire Crawley",
        'Jake Ferguson, HCVS\tAttended\t',
      ].join('\n'),
      ctx,
    );
    expect(table.rows.map((r) => [r.draft.title, r.draft.owners.map((o) => o.name).join('; ')])).toEqual([
      [
        'LBH Policy Team to use all feedback on the strategy in the development of final version',
        'Sonia Khan; Rachel Duke',
      ],
    ]);
    expect(table.skipped.map((s) => s.why)).toContain('not a row of the table');
    expect(table.apologies).toEqual([
      {
        name: 'Jim Gamble',
        substitute: {
          name: 'Rory McCallum',
          organisation: "Senior Professional Advisor to the Children's Safeguarding Board",
        },
        line: 14,
      },
      {
        name: 'Dr Adi Cooper',
        substitute: { name: 'Melba Gnomes', organisation: 'Manager of the Adults Safeguarding Board' },
        line: 15,
      },
      { name: 'Simon Laurence', substitute: { name: "Ma'am Claire Crawley" }, line: 16 },
    ]);
  });
});

describe('keys that make importing again change nothing', () => {
  const log = ['Ref\tAction\tOwner', '12\tRefresh the JSNA\tSK', '13\tBook the room\tKD'].join('\n');
  it("keys a row with the log's reference by what it says, the same in any later import", () => {
    const first = keyRows(readImportTable(log, ctx), 'a'.repeat(24));
    const later = keyRows(readImportTable(log, ctx), 'b'.repeat(24));
    expect(first.rows.map((r) => r.key)).toEqual(later.rows.map((r) => r.key));
    expect(first.rows[0]?.key).toMatch(/^log:[0-9a-f]{24}$/);
  });

  it('keys a row without a reference by the import and its line; two actions on a line apart', () => {
    const lines = keyRows(readImportTable('Book the room — KD — 1 March', ctx), 'c'.repeat(24));
    expect(lines.rows.map((r) => r.key)).toEqual([`imp:${'c'.repeat(24)}:1`]);
    const minutes = keyRows(
      readImportTable(
        'Minutes:\nKD to book the room. MM to send the papers.\nIt was agreed that SK would chair.',
        ctx,
      ),
      'd'.repeat(24),
    );
    expect(minutes.rows.map((r) => r.key)).toEqual([
      `imp:${'d'.repeat(24)}:2`,
      `imp:${'d'.repeat(24)}:2.2`,
      `imp:${'d'.repeat(24)}:3`,
    ]);
  });

  it('a row repeated with the same reference in one log is imported once, and said', () => {
    const { rows, duplicates } = keyRows(
      readImportTable(`${log}\n12\tRefresh the JSNA\tSK`, ctx),
      'e'.repeat(24),
    );
    expect(rows).toHaveLength(2);
    expect(duplicates).toEqual([{ line: 4, text: 'Refresh the JSNA', why: 'the same action as line 2' }]);
  });
});

describe('rows short of cells', () => {
  it('keeps a row that starts with its reference from the left (blank cells at its end were trimmed)', () => {
    const table = readImportTable(
      [
        'Item\tAction\tOwner\tDeadline\tUpdate',
        'Item 4\tDraft the charter\tKD\tTBC',
        '5\tBook the room\tMM',
      ].join('\n'),
      ctx,
    );
    expect(table.rows.map(summary)).toEqual([
      ['Item 4', 'Draft the charter', 'Karen Dunn', 'TBC', 'Open'],
      ['5', 'Book the room', 'Mark Mills', undefined, 'Open'],
    ]);
  });
});
