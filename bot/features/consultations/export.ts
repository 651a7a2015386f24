import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { HttpResponse, HttpRoute } from '../../http.js';
import type { Logger } from '../../logger.js';
import { londonDateTime } from '../../dates/london.js';
import { namesInExports } from './anonymity.js';
import { normaliseConsultRef, type Consultation, type Feedback } from './model.js';
import type { ConsultationStore } from './store.js';
import { countedIds, responsesOf, themeCounts } from './views.js';

/**
 * `consult export`: all feedback of a consultation as an Excel workbook and a CSV, served by the
 * bot at `GET /api/consultations/export/<token>/<C-0003>.xlsx|csv`. The token is signed with the
 * bot's secret and carries its expiry, so the link cannot be guessed, stops working after an hour,
 * and any instance of the bot can serve it (the file is built from the lists when fetched).
 * Respondents are named only when the consultation is Named.
 */

export const EXPORT_PATH = '/api/consultations/export';
export const EXPORT_TTL_MS = 60 * 60_000;

export interface ExportTable {
  headers: string[];
  rows: string[][];
}

function ukDateTime(iso: string | undefined): string {
  if (!iso) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const t = londonDateTime(at);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(t.day)}/${p(t.month)}/${t.year} ${p(t.hour)}:${p(t.minute)}`;
}

/** The feedback as one table: a row per respondent, a column per question and per theme. */
export function feedbackTable(c: Consultation, feedback: readonly Feedback[]): ExportTable {
  const named = namesInExports(c.anonymity);
  const withOrganisation = named || c.countPer === 'Organisation';
  const counted = countedIds(c, feedback);
  const headers = [
    'Consultation',
    ...(named ? ['Respondent'] : []),
    ...(withOrganisation ? ['Organisation'] : []),
    'Status',
    'Counts',
    'Last changed (London)',
    ...c.questions.map((q, i) => `Q${i + 1}. ${q}`),
    ...c.themes.flatMap((t) => [`${t}: does it help?`, `${t}: comment`]),
    'Initial responses',
  ];
  const ordered = [...feedback].sort((a, b) => (a.answeredAt ?? '').localeCompare(b.answeredAt ?? ''));
  const rows = ordered.map((f) => [
    c.ref,
    ...(named ? [f.name] : []),
    ...(withOrganisation ? [f.organisation ?? ''] : []),
    f.submitted ? 'Submitted' : 'Draft (not submitted)',
    counted.has(f.id) ? 'Yes' : 'No',
    ukDateTime(f.answeredAt),
    ...c.questions.map(
      (q, i) => f.answers.find((a) => a.question === q)?.answer ?? f.answers[i]?.answer ?? '',
    ),
    ...c.themes.flatMap((t, i) => {
      const mine = f.themes.find((x) => x.theme === t) ?? f.themes[i];
      return [mine?.rating ?? '', mine?.comment ?? ''];
    }),
    responsesOf(f).join('\n\n'),
  ]);
  return { headers, rows };
}

export async function feedbackWorkbook(c: Consultation, feedback: readonly Feedback[]): Promise<Buffer> {
  // Loaded when an officer exports, not at start: exceljs is large, and most turns never need it.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Partnership Board';
  wb.created = new Date();
  const table = feedbackTable(c, feedback);
  const sheet = wb.addWorksheet('Feedback', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(table.headers).font = { bold: true };
  for (const row of table.rows) sheet.addRow(row);
  sheet.columns.forEach((col, i) => {
    col.width = i < 6 ? 22 : 50;
    col.alignment = { wrapText: true, vertical: 'top' };
  });

  const counted = countedIds(c, feedback);
  const themes = wb.addWorksheet('Themes');
  themes.addRow(['Theme', 'Helps', 'Partly', 'Does not help']).font = { bold: true };
  for (const t of themeCounts(
    c,
    feedback.filter((f) => counted.has(f.id)),
  ))
    themes.addRow([t.theme, t.helps, t.partly, t.doesNotHelp]);
  themes.getColumn(1).width = 60;

  const about = wb.addWorksheet('About');
  for (const pair of [
    ['Reference', c.ref],
    ['Title', c.title],
    ['Draft document', c.documentUrl ?? ''],
    ['Summary', c.summary],
    ['Closes (London)', ukDateTime(c.closesAt)],
    ['Closed (London)', ukDateTime(c.closedAt)],
    ['Answers', c.anonymity],
    [
      'Counted',
      c.countPer === 'Organisation' ? 'One answer per organisation (the latest)' : 'One answer per person',
    ],
    ['Invited', String(c.invitees.length)],
    ['Opened by', c.openedBy],
  ])
    about.addRow(pair);
  about.getColumn(1).width = 20;
  about.getColumn(2).width = 80;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A cell a spreadsheet would run as a formula is written with a leading apostrophe (CSV only). */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function feedbackCsv(c: Consultation, feedback: readonly Feedback[]): Buffer {
  const table = feedbackTable(c, feedback);
  const lines = [table.headers, ...table.rows].map((r) => r.map(csvCell).join(','));
  // The byte-order mark makes Excel read the file as UTF-8.
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

// ── links ──

// Routers cap a path parameter at 100 characters: the token stays short (about 60).
function sign(secret: string, payload: string): string {
  return createHmac('sha256', `export-link|${secret}`).update(payload).digest('base64url').slice(0, 32);
}

/** `<ref>.<expiry, base 36>.<nonce>.<signature>`: unguessable without the secret, and dated. */
export function exportToken(secret: string, ref: string, expiresAt: number): string {
  const payload = `${ref}.${Math.floor(expiresAt).toString(36)}.${randomBytes(9).toString('base64url')}`;
  return `${payload}.${sign(secret, payload)}`;
}

export type TokenCheck = { ok: true; ref: string } | { ok: false; status: 404 | 410; message: string };

export function checkExportToken(secret: string, token: string, now: number): TokenCheck {
  const notFound = {
    ok: false as const,
    status: 404 as const,
    message: 'There is no export at this address.',
  };
  const m = /^(C-\d{4,7})\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{12})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!m) return notFound;
  const expected = Buffer.from(sign(secret, `${m[1]}.${m[2]}.${m[3]}`));
  const given = Buffer.from(m[4]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return notFound;
  const ref = normaliseConsultRef(m[1]!);
  if (!ref) return notFound;
  if (now > parseInt(m[2]!, 36))
    return {
      ok: false,
      status: 410,
      message: 'This export link has expired. Type "consult export" in Teams for a fresh one.',
    };
  return { ok: true, ref };
}

export function exportLinks(
  baseUrl: string,
  secret: string,
  ref: string,
  now: number,
): { xlsx: string; csv: string; expiresAt: number } {
  const expiresAt = now + EXPORT_TTL_MS;
  const token = exportToken(secret, ref, expiresAt);
  const base = `${baseUrl.replace(/\/+$/, '')}${EXPORT_PATH}/${token}/${ref}`;
  return { xlsx: `${base}.xlsx`, csv: `${base}.csv`, expiresAt };
}

export interface ExportRouteDeps {
  store: ConsultationStore;
  secret: string;
  logger: Logger;
  clock: () => Date;
}

/** `GET <EXPORT_PATH>/:token/:file`: the signed link's file, built from the lists when fetched. */
export function exportRoute(deps: ExportRouteDeps): HttpRoute {
  const plain = (status: number, message: string): HttpResponse => ({
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    body: message,
  });
  return {
    method: 'get',
    path: `${EXPORT_PATH}/:token/:file`,
    handle: async ({ params }) => {
      const check = checkExportToken(deps.secret, params.token ?? '', deps.clock().getTime());
      if (!check.ok) return plain(check.status, check.message);
      const file = /^(C-\d{4,7})\.(xlsx|csv)$/.exec(params.file ?? '');
      if (!file || file[1] !== check.ref) return plain(404, 'There is no export at this address.');
      try {
        const c = await deps.store.get(check.ref);
        if (!c) return plain(404, 'That consultation no longer exists.');
        const feedback = await deps.store.feedbackFor(c.ref);
        const xlsx = file[2] === 'xlsx';
        const body = xlsx ? await feedbackWorkbook(c, feedback) : feedbackCsv(c, feedback);
        return {
          status: 200,
          headers: {
            'content-type': xlsx
              ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
              : 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="${c.ref}-feedback.${file[2]}"`,
            'content-length': String(body.length),
            'cache-control': 'no-store',
            'x-content-type-options': 'nosniff',
          },
          body,
        };
      } catch (err) {
        deps.logger.error({ err, ref: check.ref }, 'building a consultation export failed');
        return plain(
          503,
          'The export could not be built just now (the lists are not answering). Try the link again in a minute.',
        );
      }
    },
  };
}
