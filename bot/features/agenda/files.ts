/**
 * Files attached to "agenda import". Teams sends a file shared in chat as an attachment of type
 * `application/vnd.microsoft.teams.file.download.info` whose content carries a short-lived,
 * pre-authorised `downloadUrl`. CSV files are read as they are; an .xlsx workbook's first sheet is
 * read as CSV.
 */

export const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';
const MAX_BYTES = 1024 * 1024;

export interface IncomingAttachment {
  contentType?: string;
  name?: string;
  content?: unknown;
}

export interface ItemsFile {
  name: string;
  text: string;
}

export type FilesRead = ItemsFile[] | { problem: string };

type Fetch = (url: string, init?: { signal?: AbortSignal }) => Promise<Response>;

/**
 * Teams' download links are https; the Agents Playground serves them from this machine, which a
 * production bot must never fetch from (it would let a forged attachment reach local services).
 */
function downloadable(url: string, allowLoopback: boolean): boolean {
  try {
    const u = new URL(url);
    if (['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) return allowLoopback;
    return u.protocol === 'https:';
  } catch {
    return false;
  }
}

async function readCapped(res: Response, max: number): Promise<Uint8Array | undefined> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > max) return undefined;
  const buffer = new Uint8Array(await res.arrayBuffer());
  return buffer.byteLength > max ? undefined : buffer;
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The first worksheet of an .xlsx workbook as CSV, so one reader serves both. */
export async function xlsxToCsv(bytes: Uint8Array): Promise<string> {
  // Loaded only when someone attaches a workbook: exceljs is large.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return '';
  const lines: string[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(csvCell(row.getCell(c).text ?? ''));
    lines.push(cells.join(','));
  });
  return lines.join('\n');
}

export interface AttachedFilesOptions {
  fetch?: Fetch;
  maxBytes?: number;
  timeoutMs?: number;
  allowLoopback?: boolean;
  /** The command named in messages ("agenda import" unless said). */
  command?: string;
  /** Reads a workbook another way (another sheet, or a message of its own); the first sheet as CSV unless said. */
  xlsx?: (bytes: Uint8Array, name: string) => Promise<string | { problem: string }>;
}

export async function attachedItemsFiles(
  attachments: readonly IncomingAttachment[],
  options: AttachedFilesOptions = {},
): Promise<FilesRead> {
  const fetcher: Fetch = options.fetch ?? ((url, init) => fetch(url, init));
  const max = options.maxBytes ?? MAX_BYTES;
  const command = options.command ?? 'agenda import';
  const files: ItemsFile[] = [];
  for (const a of attachments) {
    if (a.contentType !== FILE_DOWNLOAD_INFO) continue;
    const content = (a.content ?? {}) as { downloadUrl?: unknown; fileType?: unknown };
    const name = typeof a.name === 'string' ? a.name : 'the file';
    const type = (
      typeof content.fileType === 'string' ? content.fileType : (name.split('.').pop() ?? '')
    ).toLowerCase();
    if (type === 'xls' || type === 'ods')
      return {
        problem: `I read .xlsx workbooks and CSV files. Save "${name}" as .xlsx or CSV and attach that, or paste the rows after "${command}".`,
      };
    if (type !== 'csv' && type !== 'txt' && type !== 'xlsx')
      return { problem: `"${name}" is not a CSV file. Attach the items as CSV, or paste them.` };
    if (
      typeof content.downloadUrl !== 'string' ||
      !downloadable(content.downloadUrl, options.allowLoopback ?? false)
    )
      return {
        problem: `Teams did not give me a way to download "${name}". Paste the rows after "${command}" instead.`,
      };
    const res = await fetcher(content.downloadUrl, {
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    if (!res.ok)
      return { problem: `I could not download "${name}" (${res.status}). Please attach it again.` };
    const bytes = await readCapped(res, max);
    if (bytes === undefined)
      return {
        problem: `"${name}" is over ${Math.round(max / 1024)} KB; ${options.command ? 'attach a smaller file, or paste the rows.' : "a pack's items fit in far less."}`,
      };
    if (type === 'xlsx' && options.xlsx) {
      const read = await options.xlsx(bytes, name);
      if (typeof read !== 'string') return read;
      files.push({ name, text: read });
    } else if (type === 'xlsx') {
      try {
        files.push({ name, text: await xlsxToCsv(bytes) });
      } catch {
        return { problem: `I could not read "${name}" as an Excel workbook. Save it again as .xlsx or CSV.` };
      }
    } else {
      files.push({ name, text: new TextDecoder('utf-8').decode(bytes) });
    }
  }
  return files;
}
