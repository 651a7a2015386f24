import { describe, expect, it } from 'vitest';
import type { ActionRecord } from '../../bot/features/actions/model.js';
import type { Who } from '../../bot/features/actions/service.js';
import { applyFilters, movesFor, parseFilters, toRow } from '../../bot/tab-api/tracker.js';

/** The tracker's filters and per-row permissions, as pure functions of records and a person. */

const TODAY = '2018-03-07'; // a Wednesday

const record = (ref: string, fields: Partial<ActionRecord> = {}): ActionRecord => ({
  id: ref,
  etag: '"1"',
  ref,
  title: `Action ${ref}`,
  details: '',
  owners: ['Jake Ferguson'],
  ownerIds: ['aad-jake'],
  tentative: false,
  status: 'Open',
  ...fields,
});

const jake: Who = { name: 'Jake Ferguson', aadObjectId: 'aad-jake', role: 'partner' };
const david: Who = { name: 'David Maher', aadObjectId: 'aad-david', role: 'partner' };
const sonia: Who = { name: 'Sonia Khan', aadObjectId: 'aad-sonia', role: 'officer' };
const mayor: Who = { name: 'Philip Glanville', aadObjectId: 'aad-mayor', role: 'chair' };

const records = [
  record('A-0001', { dueDate: '2018-03-01' }),
  record('A-0002', {
    dueDate: '2018-03-09',
    owners: ['Sonia Khan'],
    ownerIds: ['aad-sonia'],
    meetingRef: 'M-0001',
  }),
  record('A-0003', { dueDate: '2018-03-30', status: 'In progress' }),
  record('A-0004', { status: 'Done', dueDate: '2018-02-01' }),
  record('A-0005', { owners: ['LBH Policy Team'], ownerIds: [] }),
  record('A-0006', { status: 'Dropped', meetingRef: 'M-0001' }),
];
const refs = (list: ActionRecord[]) => list.map((r) => r.ref);
const filters = (over: Record<string, string> = {}) => parseFilters(over);

describe('tracker filters', () => {
  it('shows open and in-progress actions by default, earliest due first and undated last', () => {
    expect(refs(applyFilters(records, filters(), jake, TODAY))).toEqual([
      'A-0001',
      'A-0002',
      'A-0003',
      'A-0005',
    ]);
  });

  it('filters by one status, or shows all', () => {
    expect(refs(applyFilters(records, filters({ status: 'Done' }), jake, TODAY))).toEqual(['A-0004']);
    expect(applyFilters(records, filters({ status: 'all' }), jake, TODAY)).toHaveLength(6);
  });

  it('filters by owner: me, or a name however it is spelt', () => {
    expect(refs(applyFilters(records, filters({ owner: 'me' }), sonia, TODAY))).toEqual(['A-0002']);
    expect(refs(applyFilters(records, filters({ owner: 'jake ferguson' }), sonia, TODAY))).toEqual([
      'A-0001',
      'A-0003',
    ]);
  });

  it('filters by meeting and by due date', () => {
    expect(refs(applyFilters(records, filters({ meeting: 'm-0001', status: 'all' }), jake, TODAY))).toEqual([
      'A-0002',
      'A-0006',
    ]);
    expect(refs(applyFilters(records, filters({ due: 'overdue', status: 'all' }), jake, TODAY))).toEqual([
      'A-0001',
    ]);
    expect(refs(applyFilters(records, filters({ due: 'week' }), jake, TODAY))).toEqual(['A-0002']);
    expect(refs(applyFilters(records, filters({ due: 'month' }), jake, TODAY))).toEqual(['A-0002', 'A-0003']);
    expect(refs(applyFilters(records, filters({ due: 'none' }), jake, TODAY))).toEqual(['A-0005']);
  });

  it('ignores what it does not recognise instead of failing', () => {
    expect(parseFilters({ status: 'Closed', due: 'soon', owner: ['x', 'y'] })).toEqual({
      status: 'active',
      owner: 'x',
      meeting: '',
      due: 'any',
    });
    expect(parseFilters({}, { owner: 'me' }).owner).toBe('me');
  });
});

describe('tracker rows', () => {
  it('lets owners move their own actions, officers and chairs any, and nobody else', () => {
    const a1 = records[0]!;
    expect(movesFor(jake, a1)).toEqual(['In progress', 'Done', 'Dropped']);
    expect(movesFor(david, a1)).toEqual([]);
    expect(movesFor(sonia, a1)).toHaveLength(3);
    expect(movesFor(mayor, records[2]!)).toEqual(['Done', 'Dropped']);
    expect(movesFor({ ...jake, role: 'stranger' }, a1)).toEqual([]);
  });

  it('says an action is overdue, and by how many days, in words as well as style', () => {
    const row = toRow(records[0]!, jake, TODAY);
    expect(row).toMatchObject({ ref: 'A-0001', overdue: true, daysOverdue: 6 });
    expect(row.due).toEqual({ iso: '2018-03-01', label: 'Thursday 1 March 2018', tentative: false });
    expect(toRow(records[3]!, jake, TODAY).overdue).toBe(false);
    expect(toRow(records[4]!, jake, TODAY).due).toBeUndefined();
  });
});
