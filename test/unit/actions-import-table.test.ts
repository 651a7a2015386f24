import { describe, expect, it } from 'vitest';
import { readImportTable } from '../../bot/features/actions/import-table.js';

const now = new Date('2018-02-26T10:00:00Z');
const roster = [
  { id: 'aad-sonia', name: 'Sonia Khan' },
  { id: 'aad-rachel', name: 'Rachel Duke' },
  { id: 'aad-dara', name: "Dara O'Brien" },
];

describe('reading actions pasted from minutes', () => {
  it('reads "action — owner — by when", one a line', () => {
    const { rows, skipped } = readImportTable(
      [
        'LBH Policy Team to use all feedback on the strategy — Sonia Khan & Rachel Duke — end of June 2018',
        "Share the procurement strategy – Dara O'Brien – October 2018 (TBC)",
        'Set up bilateral discussions - Tim Shields and Stephen Haynes - autumn 2018',
      ].join('\n'),
      { now, roster },
    );
    expect(skipped).toEqual([]);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3]);
    expect(rows[0]?.draft.owners.map((o) => [o.name, o.id])).toEqual([
      ['Sonia Khan', 'aad-sonia'],
      ['Rachel Duke', 'aad-rachel'],
    ]);
    expect(rows[0]?.draft.due).toEqual({ date: '2018-06-30', text: 'end of June 2018', tentative: false });
    expect(rows[1]?.draft.owners[0]).toMatchObject({ name: "Dara O'Brien", id: 'aad-dara' });
    expect(rows[1]?.draft.due).toMatchObject({ date: '2018-10-31', tentative: true });
    expect(rows[2]?.draft.due).toMatchObject({ date: '2018-11-30', tentative: true });
    expect(rows[2]?.draft.owners.map((o) => o.name)).toEqual(['Tim Shields', 'Stephen Haynes']);
  });

  it('reads a table pasted from Word: tabs, a header row and an item-number column', () => {
    const { rows } = readImportTable(
      [
        'Item\tAction\tOwner\tBy when',
        '4\tLBH to share its new Procurement Strategy with Partners\tSonia Khan\t30/06/2018',
        '5.\tConvene a meeting on evaluation\tRachel Duke\t',
      ].join('\n'),
      { now, roster },
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      line: 2,
      draft: {
        title: 'LBH to share its new Procurement Strategy with Partners',
        due: { date: '2018-06-30' },
      },
    });
    expect(rows[1]?.draft.due).toBeUndefined();
    expect(rows[1]?.draft.owners.map((o) => o.name)).toEqual(['Rachel Duke']);
  });

  it('reads a line with no separators like a chat message', () => {
    const { rows } = readImportTable('Sonia Khan to circulate the draft by 3/9/2018', { now, roster });
    expect(rows[0]?.draft.owners[0]?.name).toBe('Sonia Khan');
    expect(rows[0]?.draft.due?.date).toBe('2018-09-03');
  });

  it('takes a second cell that is plainly a date as the due date', () => {
    const { rows } = readImportTable('Book the venue — 30 June 2018', { now, roster });
    expect(rows[0]?.draft.owners).toEqual([]);
    expect(rows[0]?.draft.due?.date).toBe('2018-06-30');
  });

  it('skips a line with an impossible date and says why; N/a and blank lines are ignored', () => {
    const { rows, skipped } = readImportTable(
      ['Welcome\tN/a\tN/a', '', 'Report back — Sonia Khan — 31/02/2019', 'Keep going — Jake — ongoing'].join(
        '\n',
      ),
      {
        now,
        roster,
      },
    );
    expect(skipped).toHaveLength(1);
    expect(skipped[0]?.line).toBe(3);
    expect(skipped[0]?.why).toMatch(/not a real date/);
    expect(rows.map((r) => r.line)).toEqual([4]);
    // "ongoing" where the due date goes is a status word: In progress, with no due date.
    expect(rows[0]?.draft.due).toBeUndefined();
    expect(rows[0]?.status).toBe('In progress');
  });
});
