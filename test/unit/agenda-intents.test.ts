import { describe, expect, it } from 'vitest';
import { readAgendaIntent } from '../../bot/features/agenda/intents.js';
import { formFromValues, readForm, rowsOf } from '../../bot/features/agenda/form.js';

describe('"agenda …" messages', () => {
  it.each([
    ['agenda', { kind: 'show' }],
    ['Agenda next', { kind: 'show' }],
    ['agenda m-7', { kind: 'show', ref: 'M-0007' }],
    ['agenda show M-0007', { kind: 'show', ref: 'M-0007' }],
    ['agenda new', { kind: 'new' }],
    ['agenda attendance', { kind: 'attendance' }],
    ['agenda attendance sheet M-0002', { kind: 'attendance', ref: 'M-0002' }],
    ['agenda decisions', { kind: 'decisions' }],
    ['agenda minutes M-0003', { kind: 'decisions', ref: 'M-0003' }],
    ['agenda changes', { kind: 'changes' }],
    ['agenda what changed M-0001 1 to 2', { kind: 'changes', ref: 'M-0001', from: 1, to: 2 }],
    ['agenda frobnicate', { kind: 'unknown', rest: 'frobnicate' }],
  ])('"%s"', (text, intent) => expect(readAgendaIntent(text)).toEqual(intent));

  it('keeps the lines after "agenda import" and "agenda supplement"', () => {
    expect(readAgendaIntent('agenda import\nDate: 26 February 2030, 10am\n1. Welcome')).toEqual({
      kind: 'import',
      text: 'Date: 26 February 2030, 10am\n1. Welcome',
    });
    expect(readAgendaIntent('agenda supplement M-0004 paper 8: Slides https://example.org/s')).toEqual({
      kind: 'supplement',
      ref: 'M-0004',
      text: 'paper 8: Slides https://example.org/s',
    });
    expect(readAgendaIntent('agenda import M-0002')).toEqual({ kind: 'import', ref: 'M-0002', text: '' });
  });

  it('reads a decision typed for an item', () => {
    expect(readAgendaIntent('agenda decision M-0001 item 9: RESOLVED: To note the report.')).toEqual({
      kind: 'decide',
      ref: 'M-0001',
      number: '9',
      text: 'RESOLVED: To note the report.',
    });
    expect(readAgendaIntent('agenda decision 3 - RESOLVED: agreed')).toMatchObject({
      kind: 'decide',
      number: '3',
    });
  });

  it('leaves other messages alone', () => {
    expect(readAgendaIntent('action agenda for Sonia')).toBeUndefined();
    expect(readAgendaIntent('agendas')).toBeUndefined();
  });
});

describe('the pack form', () => {
  const data = {
    form: 'a'.repeat(24),
    rows: 3,
    board: 'Health and Wellbeing Board',
    date: '2030-02-26',
    time: '10am',
    venue: 'Council Chamber',
    i1n: '9',
    i1t: 'Update on Hackney Strategic Plan',
    i1p: 'Sonia Khan',
    i1m: '15 minutes',
    i1u: 'To note',
    i1l: 'Report https://example.org/plan.pdf',
    i2n: '10',
    i2t: '',
    i3n: '11',
    i3t: '',
    i3m: 'soon',
  };

  it('reads rows with anything in them as items, and skips empty ones', () => {
    const read = readForm(data);
    expect(read.meeting).toEqual({
      board: 'Health and Wellbeing Board',
      date: '2030-02-26',
      time: '10am',
      venue: 'Council Chamber',
      onlineUrl: '',
      chair: '',
    });
    expect(read.items).toHaveLength(2);
    expect(read.items[0]).toEqual({
      source: 'row 1',
      number: '9',
      title: 'Update on Hackney Strategic Plan',
      presenter: 'Sonia Khan',
      minutes: 15,
      purpose: 'To note',
      papers: [{ title: 'Report', url: 'https://example.org/plan.pdf' }],
    });
    expect(read.items[1]).toMatchObject({ source: 'row 3', number: '11', title: '' });
    expect(Number.isNaN(read.items[1]?.minutes)).toBe(true);
  });

  it('shows the form again as filled in, with more rows when asked', () => {
    const view = formFromValues(data, { mode: 'card', key: data.form, rows: 13 });
    expect(view.rows).toHaveLength(13);
    expect(view.rows[0]?.title).toBe('Update on Hackney Strategic Plan');
    expect(view.rows[12]).toEqual({
      number: '13',
      title: '',
      presenter: '',
      minutes: '',
      purpose: '',
      papers: '',
    });
    expect(rowsOf({ i12t: 'x' })).toBe(12);
    expect(rowsOf({})).toBe(8);
  });
});
