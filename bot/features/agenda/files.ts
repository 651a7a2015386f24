/**
 * Files attached to "agenda import". Teams sends a file shared in chat as an attachment of type
 * `application/vnd.microsoft.teams.file.download.info` whose content carries a short-lived,
 * pre-authorised `downloadUrl`. CSV files are read; a spreadsheet is asked for as CSV.
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

/** Teams' download links are https; the Agents Playground serves them from this machine. */
function downloadable(url: string): boolean {
  try {
    const u = new URL(url);
    if (u.protocol === 'https:') return true;
    return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

async function readCapped(res: Response, max: number): Promise<string | undefined> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > max) return undefined;
  const buffer = new Uint8Array(await res.arrayBuffer());
  return buffer.byteLength > max ? undefined : new TextDecoder('utf-8').decode(buffer);
}

export async function attachedItemsFiles(
  attachments: readonly IncomingAttachment[],
  options: { fetch?: Fetch; maxBytes?: number; timeoutMs?: number } = {},
): Promise<FilesRead> {
  const fetcher: Fetch = options.fetch ?? ((url, init) => fetch(url, init));
  const max = options.maxBytes ?? MAX_BYTES;
  const files: ItemsFile[] = [];
  for (const a of attachments) {
    if (a.contentType !== FILE_DOWNLOAD_INFO) continue;
    const content = (a.content ?? {}) as { downloadUrl?: unknown; fileType?: unknown };
    const name = typeof a.name === 'string' ? a.name : 'the file';
    const type = (
      typeof content.fileType === 'string' ? content.fileType : (name.split('.').pop() ?? '')
    ).toLowerCase();
    if (type === 'xlsx' || type === 'xls' || type === 'ods')
      return {
        problem: `I read CSV files, not spreadsheets. Save "${name}" as CSV (File, Save as, CSV) and attach that, or paste the rows after "agenda import".`,
      };
    if (type !== 'csv' && type !== 'txt')
      return { problem: `"${name}" is not a CSV file. Attach the items as CSV, or paste them.` };
    if (typeof content.downloadUrl !== 'string' || !downloadable(content.downloadUrl))
      return {
        problem: `Teams did not give me a way to download "${name}". Paste the rows after "agenda import" instead.`,
      };
    const res = await fetcher(content.downloadUrl, {
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    if (!res.ok)
      return { problem: `I could not download "${name}" (${res.status}). Please attach it again.` };
    const text = await readCapped(res, max);
    if (text === undefined)
      return { problem: `"${name}" is over ${Math.round(max / 1024)} KB; a pack's items fit in far less.` };
    files.push({ name, text });
  }
  return files;
}
