import { emptyRow, type FormRowView, type PackFormView } from '../../../cards/agenda-form.js';
import { AGENDA_FORM_FIELD, AGENDA_FORM_MAX_ROWS } from '../../../cards/agenda-verbs.js';
import { PURPOSES, type ItemRecord, type MeetingRecord } from './model.js';
import { readMinutes, readPapers, type ItemDraft } from './outline.js';
import type { MeetingInput } from './validate.js';
import { clockTime, isoDay } from './when.js';

/**
 * The pack form's inputs to a draft pack and back. Rows whose every box is empty are skipped; a row
 * with anything in it is an item, so a forgotten title is reported, not silently dropped.
 */

export const DEFAULT_ROWS = 8;

export type FormValues = Record<string, unknown>;

const value = (data: FormValues, name: string) =>
  typeof data[name] === 'string' ? (data[name] as string) : '';

export function rowsOf(data: FormValues): number {
  const n = Number(data.rows);
  if (Number.isInteger(n) && n >= 1) return Math.min(n, AGENDA_FORM_MAX_ROWS);
  let highest = 0;
  for (const name of Object.keys(data)) {
    const m = AGENDA_FORM_FIELD.exec(name);
    if (m) highest = Math.max(highest, Number(m[1]));
  }
  return Math.max(highest, DEFAULT_ROWS);
}

export function readForm(data: FormValues): { meeting: MeetingInput; items: ItemDraft[] } {
  const meeting: MeetingInput = {
    board: value(data, 'board'),
    ...(value(data, 'date').trim() ? { date: value(data, 'date') } : {}),
    ...(value(data, 'time').trim() ? { time: value(data, 'time') } : {}),
    venue: value(data, 'venue'),
    onlineUrl: value(data, 'online'),
    chair: value(data, 'chair'),
  };
  const items: ItemDraft[] = [];
  for (let k = 1; k <= rowsOf(data); k++) {
    const field = (f: string) => value(data, `i${k}${f}`).trim();
    const [number, title, presenter, minutes, purpose, papers] = ['n', 't', 'p', 'm', 'u', 'l'].map(field);
    if (!title && !presenter && !minutes && !papers && !purpose) continue;
    const minutesRead = minutes ? readMinutes(minutes) : undefined;
    const purposeRead = PURPOSES.find((p) => p === purpose);
    items.push({
      source: `row ${k}`,
      number: number || String(k),
      title: title ?? '',
      ...(presenter ? { presenter } : {}),
      ...(minutes ? { minutes: minutesRead ?? Number.NaN } : {}),
      ...(purposeRead ? { purpose: purposeRead } : purpose ? { purposeText: purpose } : {}),
      papers: papers ? readPapers(papers) : [],
    });
  }
  return { meeting, items };
}

/** The form again, as it was filled in (after a problem, or with more rows). */
export function formFromValues(
  data: FormValues,
  options: { mode: PackFormView['mode']; key: string; rows?: number; ref?: string; problems?: string[] },
): PackFormView {
  const rows = Math.min(AGENDA_FORM_MAX_ROWS, options.rows ?? rowsOf(data));
  const list: FormRowView[] = [];
  for (let k = 1; k <= rows; k++) {
    const field = (f: string) => value(data, `i${k}${f}`);
    const filled = ['n', 't', 'p', 'm', 'u', 'l'].some((f) => field(f));
    list.push(
      filled
        ? {
            number: field('n'),
            title: field('t'),
            presenter: field('p'),
            minutes: field('m'),
            purpose: field('u'),
            papers: field('l'),
          }
        : emptyRow(k),
    );
  }
  return {
    mode: options.mode,
    key: options.key,
    ...(options.ref ? { ref: options.ref } : {}),
    board: value(data, 'board'),
    date: /^\d{4}-\d{2}-\d{2}$/.test(value(data, 'date')) ? value(data, 'date') : '',
    time: value(data, 'time'),
    venue: value(data, 'venue'),
    online: value(data, 'online'),
    chair: value(data, 'chair'),
    rows: list,
    ...(options.problems?.length ? { problems: options.problems } : {}),
  };
}

export function blankForm(mode: PackFormView['mode'], key: string, board: string): PackFormView {
  return {
    mode,
    key,
    board,
    date: '',
    time: '',
    venue: '',
    online: '',
    chair: '',
    rows: Array.from({ length: DEFAULT_ROWS }, (_, i) => emptyRow(i + 1)),
  };
}

/** A draft in the form, to change it. */
export function formFromDraft(
  meeting: MeetingRecord,
  items: readonly ItemRecord[],
  key: string,
): PackFormView {
  const start = new Date(meeting.startsAt);
  const rows: FormRowView[] = items.map((i) => ({
    number: i.number,
    title: i.title,
    presenter: i.presenter ?? '',
    minutes: i.minutes ? String(i.minutes) : '',
    purpose: i.purpose ?? '',
    papers: i.papers.map((p) => `${p.title} ${p.url}`).join('\n'),
  }));
  const total = Math.min(AGENDA_FORM_MAX_ROWS, Math.max(rows.length + 2, DEFAULT_ROWS));
  for (let k = rows.length + 1; k <= total; k++) rows.push(emptyRow(k));
  return {
    mode: 'card',
    key,
    ref: meeting.ref,
    board: meeting.board,
    date: Number.isNaN(start.getTime()) ? '' : isoDay(start),
    time: Number.isNaN(start.getTime()) ? '' : clockTime(start),
    venue: meeting.venue ?? '',
    online: meeting.onlineUrl ?? '',
    chair: meeting.chair ?? '',
    rows: rows.slice(0, AGENDA_FORM_MAX_ROWS),
  };
}
