/**
 * An action log kept in Excel: the sheet named like "Actions" ("Action log", "Action tracker"), else
 * the first sheet with a table in it, read as CSV so that one reader serves workbooks, CSV files and
 * pasted tables. Dates come out in British order, ticked boxes (TRUE) as "Yes".
 */

export type WorkbookRead = string | { problem: string };

const MAX_ROWS = 1000;
const MAX_COLUMNS = 30;

function csvCell(value: string): string {
  return /[",\n\r]/u.test(value) ? `"${value.replace(/"/gu, '""')}"` : value;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** A cell as the officer sees it: a date as 28/02/2023, TRUE as Yes, a formula as its result. */
function cellText(value: unknown, shown: string): string {
  const v =
    value && typeof value === 'object' && 'result' in value ? (value as { result: unknown }).result : value;
  if (v instanceof Date) return `${two(v.getUTCDate())}/${two(v.getUTCMonth() + 1)}/${v.getUTCFullYear()}`;
  if (v === true) return 'Yes';
  if (v === false) return 'No';
  return shown ?? '';
}

interface SheetLike {
  name: string;
  rows: string[][];
}

function usable(sheet: SheetLike): boolean {
  return sheet.rows.filter((r) => r.filter((c) => c.trim() !== '').length >= 1).length >= 2;
}

/** Picks the sheet: one named like "Actions", else the first with a table (two rows or more). */
export function pickSheet(sheets: readonly SheetLike[]): SheetLike | undefined {
  const named = sheets.find((s) => /\baction/iu.test(s.name) && usable(s));
  return named ?? sheets.find(usable);
}

export async function readWorkbook(bytes: Uint8Array, name = 'the workbook'): Promise<WorkbookRead> {
  // Loaded only when someone attaches a workbook: exceljs is large.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    return {
      problem: `I could not read "${name}" as an Excel workbook. Save it again as .xlsx or CSV and attach that.`,
    };
  }
  const sheets: SheetLike[] = workbook.worksheets.map((ws) => {
    const rows: string[][] = [];
    ws.eachRow({ includeEmpty: false }, (row, number) => {
      if (number > MAX_ROWS) return;
      const cells: string[] = [];
      const count = Math.min(row.cellCount, MAX_COLUMNS);
      for (let c = 1; c <= count; c++) {
        const cell = row.getCell(c);
        cells.push(cellText(cell.value, cell.text));
      }
      rows.push(cells);
    });
    return { name: ws.name, rows };
  });
  const sheet = pickSheet(sheets);
  if (!sheet)
    return {
      problem: `"${name}" has no sheet with a table of actions in it (${sheets.length ? `its sheets: ${sheets.map((s) => s.name).join(', ')}` : 'it has no sheets'}). Put the action log on the first sheet, or name its sheet "Actions".`,
    };
  return sheet.rows.map((r) => r.map(csvCell).join(',')).join('\n');
}
