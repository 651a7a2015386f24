import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readImportTable } from '../../bot/features/actions/import-table.js';
import { readWorkbook } from '../../bot/features/actions/workbook.js';

const now = new Date('2023-02-01T10:00:00Z');
const roster = [
  { id: 'aad-sonia', name: 'Sonia Khan' },
  { id: 'aad-karen', name: 'Karen Dunn' },
  { id: 'aad-mark', name: 'Mark Mills' },
];

async function workbook(sheets: Record<string, unknown[][]>): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const row of rows) ws.addRow(row);
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('an action log kept in Excel', () => {
  it('reads the sheet named like "Actions", with real dates, ticks and TRUE/FALSE, as the same log', async () => {
    const bytes = await workbook({
      Cover: [['Health and Wellbeing Board'], ['Action log, 2023']],
      'Action log': [
        ['Ref', 'Date raised', 'Action', 'Lead', 'Target date', 'Done?', 'Update'],
        [
          1,
          new Date(Date.UTC(2023, 0, 12)),
          'Circulate the draft plan, with the appendix',
          'KD, MM',
          new Date(Date.UTC(2023, 1, 28)),
          true,
          'Sent',
        ],
        [
          2,
          new Date(Date.UTC(2023, 0, 12)),
          'Refresh the JSNA chapter',
          'Sonia Khan',
          'June 2023',
          false,
          '',
        ],
        [3, new Date(Date.UTC(2023, 0, 12)), 'Write to all partners', 'All', '', '√', ''],
      ],
    });
    const csv = await readWorkbook(bytes, 'log.xlsx');
    expect(typeof csv).toBe('string');
    const table = readImportTable(csv as string, { now, roster, format: 'csv' });
    expect(table.columns?.map((c) => c.kind)).toEqual([
      'ref',
      'raised',
      'action',
      'owner',
      'due',
      'status',
      'notes',
    ]);
    expect(
      table.rows.map((r) => [
        r.logRef,
        r.draft.title,
        r.draft.owners.map((o) => o.name).join('; '),
        r.draft.due?.date,
        r.status,
        r.raised,
      ]),
    ).toEqual([
      [
        '1',
        'Circulate the draft plan, with the appendix',
        'Karen Dunn; Mark Mills',
        '2023-02-28',
        'Done',
        '12/01/2023',
      ],
      ['2', 'Refresh the JSNA chapter', 'Sonia Khan', '2023-06-30', 'Open', '12/01/2023'],
      ['3', 'Write to all partners', 'All members', undefined, 'Done', '12/01/2023'],
    ]);
  });

  it('reads the first sheet with a table when none is named like "Actions"', async () => {
    const bytes = await workbook({
      Notes: [],
      Sheet1: [
        ['Action', 'Owner', 'Due'],
        ['Book the venue', 'MM', '1 March 2023'],
      ],
    });
    const csv = (await readWorkbook(bytes)) as string;
    expect(
      readImportTable(csv, { now, roster, format: 'csv' }).rows.map((r) => r.draft.owners[0]?.name),
    ).toEqual(['Mark Mills']);
  });

  it('says so when no sheet has a table, or the file is not a workbook', async () => {
    const empty = await workbook({ Sheet1: [['Just a title']], Sheet2: [] });
    expect(await readWorkbook(empty, 'empty.xlsx')).toEqual({
      problem:
        '"empty.xlsx" has no sheet with a table of actions in it (its sheets: Sheet1, Sheet2). Put the action log on the first sheet, or name its sheet "Actions".',
    });
    expect(await readWorkbook(new TextEncoder().encode('not a zip'), 'fake.xlsx')).toEqual({
      problem:
        'I could not read "fake.xlsx" as an Excel workbook. Save it again as .xlsx or CSV and attach that.',
    });
  });
});
