import { describe, expect, it } from 'vitest';
import { handleAgenda } from '../../bot/features/agenda/commands.js';
import type { AgendaContext } from '../../bot/features/agenda/context.js';
import { toItem, toMeeting } from '../../bot/features/agenda/model.js';
import type { AgendaStore, NewMeetingFields } from '../../bot/features/agenda/store.js';
import { silentLogger } from '../../bot/logger.js';
import type { AgendaItemFields } from '../../bot/sharepoint/index.js';
import { cardProblems } from '../support/cards.js';
import { cardLines } from '../support/agenda-activities.js';
import { BEFORE } from '../fixtures/agenda-seed.js';
import { fakeTurn } from '../support/turns.js';

/** Just enough of the store for a draft to be made: what was written is kept here. */
function memoryStore() {
  const written: { meetings: NewMeetingFields[]; items: AgendaItemFields[] } = { meetings: [], items: [] };
  const store = {
    bySourceKey: async () => undefined,
    createMeeting: async (fields: NewMeetingFields) => {
      written.meetings.push(fields);
      const item = {
        id: '1',
        etag: '"1"',
        createdDateTime: '',
        lastModifiedDateTime: '',
        fields: { ...fields, MeetingRef: 'M-0001' },
      };
      return { meeting: toMeeting(item), created: true };
    },
    createItems: async (rows: AgendaItemFields[]) => {
      written.items.push(...rows);
      return rows.map((fields, i) =>
        toItem({ id: String(i + 2), etag: '"1"', createdDateTime: '', lastModifiedDateTime: '', fields }),
      );
    },
  } as unknown as AgendaStore;
  return { store, written };
}

const turn = (text: string) =>
  fakeTurn({
    text,
    actor: { id: '29:sonia', aadObjectId: 'aad-sonia', name: 'Sonia Khan', role: 'officer' },
    activityId: 'activity-1',
    timestamp: BEFORE,
    replyId: () => '1',
  });

describe('"agenda import" from an attached CSV file', () => {
  const csv = [
    'Item,Title,Presenter,Minutes,Purpose,Papers',
    '1,Welcome and introductions,Mayor Philip Glanville,5,,',
    '2,"Update on Hackney Strategic Plan",Sonia Khan,15,to note,"Report https://example.org/plan.pdf"',
  ].join('\r\n');

  it('reads the items from the file, with the meeting from the message', async () => {
    const { store, written } = memoryStore();
    const ctx: AgendaContext = { store, logger: silentLogger, officers: new Set(), chairs: new Set() };
    const files = async () => [{ name: 'agenda.csv', text: csv }];
    // The meeting comes from the lines typed with the command; the items from the file.
    const t = turn('agenda import');
    await handleAgenda({ ctx, boardName: 'Health and Wellbeing Board', files }, t, {
      kind: 'import',
      text: '',
    });
    expect(t.sent[0]?.text).toContain('I read 2 items, but not the meeting.');

    const withMeeting = turn('agenda import');
    await handleAgenda({ ctx, boardName: 'Health and Wellbeing Board', files }, withMeeting, {
      kind: 'import',
      text: 'Date: Friday 11 January 2030, 6pm\nVenue: Council Chamber, Hackney Town Hall',
    });
    expect(withMeeting.sent[0]?.text).toBeUndefined();
    expect(cardProblems(withMeeting.sent[0]!.card!)).toEqual([]);
    expect(written.meetings[0]).toMatchObject({ Board: 'Health and Wellbeing Board', Status: 'Draft' });
    expect(written.items.map((i) => [i.ItemNumber, i.Title, i.Minutes, i.Purpose ?? ''])).toEqual([
      ['1', 'Welcome and introductions', 5, ''],
      ['2', 'Update on Hackney Strategic Plan', 15, 'To note'],
    ]);
    expect(JSON.parse(written.items[1]!.Papers ?? '[]')).toEqual([
      { title: 'Report', url: 'https://example.org/plan.pdf' },
    ]);
    expect(cardLines(withMeeting.sent[0]!.card)).toContain('Friday 11 January 2030, 18:00 to 18:20');
  });

  it('with only the file, asks for the meeting; with nothing, explains how', async () => {
    const { store } = memoryStore();
    const ctx: AgendaContext = { store, logger: silentLogger, officers: new Set(), chairs: new Set() };
    const nothing = turn('agenda import');
    await handleAgenda({ ctx, boardName: 'Board' }, nothing, { kind: 'import', text: '' });
    expect(nothing.sent[0]?.text).toContain('Paste the pack after "agenda import"');
    const fileOnly = turn('agenda import');
    await handleAgenda(
      { ctx, boardName: 'Board', files: async () => [{ name: 'a.csv', text: csv }] },
      fileOnly,
      { kind: 'import', text: '' },
    );
    expect(fileOnly.sent[0]?.text).toContain('Start the paste with the meeting');
  });

  it('a file the bot cannot read is explained, and nothing is saved', async () => {
    const { store, written } = memoryStore();
    const ctx: AgendaContext = { store, logger: silentLogger, officers: new Set(), chairs: new Set() };
    const t = turn('agenda import');
    const files = async () => ({ problem: 'I read CSV files, not spreadsheets.' });
    await handleAgenda({ ctx, boardName: 'Board', files }, t, { kind: 'import', text: '' });
    expect(t.sent[0]?.text).toBe('I read CSV files, not spreadsheets.');
    expect(written.meetings).toEqual([]);
  });

  it('a pasted outline becomes a draft, with times that run on', async () => {
    const { store, written } = memoryStore();
    const ctx: AgendaContext = { store, logger: silentLogger, officers: new Set(), chairs: new Set() };
    const t = turn('agenda import');
    await handleAgenda({ ctx, boardName: 'Board' }, t, {
      kind: 'import',
      text: 'Health and Wellbeing Board\nDate: Friday 11 January 2030, 6pm\nVenue: Council Chamber\n8. Minutes of the previous meeting (5 minutes)\n9. Update on Hackney Strategic Plan (Sonia Khan) (15 minutes)',
    });
    expect(written.items.map((i) => [i.ItemNumber, i.Title, i.Presenter ?? ''])).toEqual([
      ['8', 'Minutes of the previous meeting', ''],
      ['9', 'Update on Hackney Strategic Plan', 'Sonia Khan'],
    ]);
    const lines = cardLines(t.sent[0]?.card);
    expect(lines).toContain('Friday 11 January 2030, 18:00 to 18:20');
    expect(lines).toContain('18:05 · 15 minutes · Sonia Khan');
  });
});
