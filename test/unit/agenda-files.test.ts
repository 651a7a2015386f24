import { describe, expect, it } from 'vitest';
import { attachedItemsFiles, FILE_DOWNLOAD_INFO } from '../../bot/features/agenda/files.js';

const csv = 'Item,Title,Minutes\n1,Welcome and introductions,5\n';

function fakeFetch(body: string, status = 200) {
  const asked: string[] = [];
  const fetch = async (url: string) => {
    asked.push(url);
    return new Response(body, { status, headers: { 'content-length': String(Buffer.byteLength(body)) } });
  };
  return { fetch, asked };
}

const file = (name: string, downloadUrl: string, fileType?: string) => ({
  contentType: FILE_DOWNLOAD_INFO,
  name,
  content: { downloadUrl, uniqueId: 'x', ...(fileType ? { fileType } : {}) },
});

describe('files attached to "agenda import"', () => {
  it('downloads a CSV file from its download link', async () => {
    const f = fakeFetch(csv);
    const read = await attachedItemsFiles(
      [
        { contentType: 'text/html', content: '<p>agenda import</p>' },
        file('agenda.csv', 'https://contoso.example/download/1', 'csv'),
      ],
      { fetch: f.fetch },
    );
    expect(read).toEqual([{ name: 'agenda.csv', text: csv }]);
    expect(f.asked).toEqual(['https://contoso.example/download/1']);
  });

  it('reads the first sheet of an .xlsx workbook as CSV, quoting commas', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('Agenda');
    sheet.addRow(['Item', 'Title', 'Minutes']);
    sheet.addRow([1, 'Welcome, and introductions', 5]);
    const bytes = new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    const fetch = async () => new Response(bytes, { status: 200 });
    const read = await attachedItemsFiles([file('agenda.xlsx', 'https://contoso.example/d', 'xlsx')], {
      fetch,
    });
    expect(read).toEqual([
      { name: 'agenda.xlsx', text: 'Item,Title,Minutes\n1,"Welcome, and introductions",5' },
    ]);
    const broken = await attachedItemsFiles([file('agenda.xlsx', 'https://contoso.example/d', 'xlsx')], {
      fetch: fakeFetch('not a workbook').fetch,
    });
    expect(broken).toEqual({ problem: expect.stringContaining('could not read "agenda.xlsx"') });
  });

  it('asks for an old spreadsheet as .xlsx or CSV, and refuses links it should not follow', async () => {
    const f = fakeFetch(csv);
    expect(
      await attachedItemsFiles([file('agenda.xls', 'https://contoso.example/d', 'xls')], {
        fetch: f.fetch,
      }),
    ).toEqual({
      problem: expect.stringContaining('Save "agenda.xls" as .xlsx or CSV'),
    });
    expect(
      await attachedItemsFiles([file('agenda.csv', 'http://internal.example/d')], { fetch: f.fetch }),
    ).toEqual({
      problem: expect.stringContaining('did not give me a way to download'),
    });
    expect(
      await attachedItemsFiles([file('notes.docx', 'https://contoso.example/d', 'docx')], { fetch: f.fetch }),
    ).toMatchObject({
      problem: expect.stringContaining('is not a CSV file'),
    });
    expect(f.asked).toEqual([]);
  });

  it('says when the download fails or the file is too big', async () => {
    expect(
      await attachedItemsFiles([file('a.csv', 'https://contoso.example/d')], {
        fetch: fakeFetch('', 403).fetch,
      }),
    ).toEqual({
      problem: 'I could not download "a.csv" (403). Please attach it again.',
    });
    expect(
      await attachedItemsFiles([file('a.csv', 'http://127.0.0.1:5/d')], {
        fetch: fakeFetch('x'.repeat(5000)).fetch,
        maxBytes: 1024,
        allowLoopback: true,
      }),
    ).toEqual({ problem: '"a.csv" is over 1 KB; a pack\'s items fit in far less.' });
  });

  it('fetches from this machine only where allowed (the Playground in development)', async () => {
    const f = fakeFetch(csv);
    for (const url of ['http://127.0.0.1:5/d', 'https://localhost/d']) {
      expect(await attachedItemsFiles([file('a.csv', url)], { fetch: f.fetch })).toEqual({
        problem: expect.stringContaining('did not give me a way to download'),
      });
    }
    expect(f.asked).toEqual([]);
    expect(
      await attachedItemsFiles([file('a.csv', 'http://127.0.0.1:5/d')], {
        fetch: f.fetch,
        allowLoopback: true,
      }),
    ).toEqual([{ name: 'a.csv', text: csv }]);
  });
});
