import { formatLongDate, type CalendarDate } from '../../dates/london.js';
import { LIMITS, PURPOSES, type ItemState, type MeetingDetails, type Paper } from './model.js';
import type { ItemDraft, RawPaper } from './outline.js';
import { clockTime, readDateTime, readFormDate, readTime, startsAtUtc } from './when.js';

/**
 * What makes a pack acceptable, said the way an officer can fix it: every problem is found at once
 * (so the form or the paste needs one more try, not five), and nothing is written unless there are
 * none.
 */

export interface MeetingInput {
  board?: string;
  /** From the form's date picker: YYYY-MM-DD. */
  date?: string;
  /** From an outline: the date line as written. */
  when?: string;
  time?: string;
  venue?: string;
  onlineUrl?: string;
  chair?: string;
}

export interface ValidPack {
  meeting: MeetingDetails;
  items: ItemState[];
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: string[] };

const trimmed = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

/** A link people can open: http(s), a host with a dot (or localhost), no spaces. */
export function isWebAddress(text: string): boolean {
  if (!text || /\s/.test(text) || text.length > LIMITS.url) return false;
  try {
    const u = new URL(text);
    return (
      (u.protocol === 'https:' || u.protocol === 'http:') &&
      (u.hostname.includes('.') || u.hostname === 'localhost') &&
      !u.username &&
      !u.password
    );
  } catch {
    return false;
  }
}

function urlAdvice(url: string): string {
  return /^www\./i.test(url)
    ? ` Did you mean https://${url}?`
    : ' Give the full link, starting with https://.';
}

export function checkMeeting(input: MeetingInput, now: Date, today: CalendarDate): Checked<MeetingDetails> {
  const problems: string[] = [];
  const board = trimmed(input.board);
  if (!board) problems.push('Say which board is meeting.');
  else if (board.length > LIMITS.board)
    problems.push(`The board's name is too long (at most ${LIMITS.board} characters).`);

  let date: CalendarDate | undefined;
  let time = input.time ? readTime(input.time) : undefined;
  if (input.time && !time)
    problems.push(`"${trimmed(input.time)}" is not a time I can read. Write it as 10:00, 10am or 6.30pm.`);
  if (input.date) {
    date = readFormDate(input.date);
    if (!date) problems.push(`"${trimmed(input.date)}" is not a date I can use. Pick one from the calendar.`);
  } else if (input.when) {
    const read = readDateTime(input.when, today);
    if (read.ok) {
      date = read.date;
      if (!time && read.time) time = read.time;
    } else if ('problem' in read) problems.push(read.problem);
    else
      problems.push(
        `I couldn't find a date in "${trimmed(input.when)}". Write it as "Monday 26 February 2018, 10am".`,
      );
  } else problems.push('Give the date of the meeting.');
  if (date && !time && !input.time) problems.push('Give the start time, e.g. 10:00 or 6.30pm.');

  let startsAt: Date | undefined;
  if (date && time) {
    startsAt = startsAtUtc(date, time);
    if (startsAt.getTime() <= now.getTime()) {
      problems.push(
        `That meeting is in the past (${formatLongDate(date)} at ${clockTime(startsAt)}). A pack is for a meeting to come: check the date and the year.`,
      );
    }
  }

  const venue = trimmed(input.venue);
  const onlineUrl = trimmed(input.onlineUrl);
  if (!venue && !onlineUrl) problems.push('Give the venue or the online meeting link (or both).');
  if (venue.length > LIMITS.venue)
    problems.push(`The venue is too long (at most ${LIMITS.venue} characters).`);
  if (onlineUrl && !isWebAddress(onlineUrl))
    problems.push(`The online link "${onlineUrl.slice(0, 80)}" is not a web address.${urlAdvice(onlineUrl)}`);
  const chair = trimmed(input.chair);
  if (chair.length > LIMITS.chair)
    problems.push(`The chair's name is too long (at most ${LIMITS.chair} characters).`);

  if (problems.length || !startsAt) return { ok: false, problems };
  return {
    ok: true,
    value: {
      board,
      startsAt: startsAt.toISOString(),
      ...(venue ? { venue } : {}),
      ...(onlineUrl ? { onlineUrl } : {}),
      ...(chair ? { chair } : {}),
    },
  };
}

const ITEM_NUMBER = /^\d{1,3}(?:\.\d{1,2})?[a-z]?$/i;

function label(item: Pick<ItemDraft, 'number' | 'source'>): string {
  return item.number ? `Item ${item.number}` : `The item on ${item.source}`;
}

export function checkPapers(papers: readonly RawPaper[], who: string): Checked<Paper[]> {
  const problems: string[] = [];
  if (papers.length > LIMITS.papersPerItem)
    problems.push(
      `${who} has ${papers.length} papers; an item takes at most ${LIMITS.papersPerItem}. Combine them into a pack document.`,
    );
  const out: Paper[] = [];
  for (const p of papers) {
    const title = trimmed(p.title);
    if (!p.url) {
      problems.push(
        `The paper "${title.slice(0, 60)}" for ${who.toLowerCase()} has no link. Give its web address, starting with https://.`,
      );
      continue;
    }
    if (!isWebAddress(p.url)) {
      problems.push(
        `The paper link "${p.url.slice(0, 80)}" for ${who.toLowerCase()} is not a web address.${urlAdvice(p.url)}`,
      );
      continue;
    }
    if (title.length > LIMITS.paperTitle)
      problems.push(
        `The paper title "${title.slice(0, 40)}…" for ${who.toLowerCase()} is too long (at most ${LIMITS.paperTitle} characters).`,
      );
    out.push({ title: title || 'Paper', url: p.url });
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: out };
}

export function checkItem(item: ItemDraft): Checked<ItemState> {
  const problems: string[] = [];
  const who = label(item);
  if (!ITEM_NUMBER.test(item.number))
    problems.push(`${who}: "${item.number}" is not an item number. Use numbers like 3, 3.1 or 3a.`);
  const title = trimmed(item.title);
  if (!title) problems.push(`${who} has no title.`);
  else if (title.length > LIMITS.title)
    problems.push(
      `${who}'s title is too long (at most ${LIMITS.title} characters); put the detail in a paper.`,
    );
  const presenter = trimmed(item.presenter);
  if (presenter.length > LIMITS.presenter)
    problems.push(`${who}'s presenter is too long (at most ${LIMITS.presenter} characters).`);
  if (
    item.minutes !== undefined &&
    (!Number.isInteger(item.minutes) || item.minutes < 1 || item.minutes > LIMITS.minutes)
  )
    problems.push(
      Number.isNaN(item.minutes)
        ? `${who}'s time is not a number of minutes. Write it as 15, or 15 minutes.`
        : `${who}'s time must be a whole number of minutes from 1 to ${LIMITS.minutes}.`,
    );
  if (item.purposeText && !item.purpose)
    problems.push(
      `${who}'s purpose "${trimmed(item.purposeText).slice(0, 40)}" is not one of: ${PURPOSES.map((p) => p.toLowerCase()).join(', ')}.`,
    );
  if ((item.details ?? '').length > LIMITS.details)
    problems.push(`${who}'s notes are too long (at most ${LIMITS.details} characters); put them in a paper.`);
  const papers = checkPapers(item.papers, who);
  if (!papers.ok) problems.push(...papers.problems);
  if (problems.length || !papers.ok) return { ok: false, problems };
  return {
    ok: true,
    value: {
      number: item.number.toLowerCase(),
      title,
      ...(presenter ? { presenter } : {}),
      ...(item.minutes !== undefined ? { minutes: item.minutes } : {}),
      ...(item.purpose ? { purpose: item.purpose } : {}),
      papers: papers.value,
      ...(item.details?.trim() ? { details: item.details.trim() } : {}),
    },
  };
}

export function checkItems(items: readonly ItemDraft[]): Checked<ItemState[]> {
  if (!items.length)
    return {
      ok: false,
      problems: [
        'Add at least one item, e.g. "1. Welcome and introductions (Mayor Philip Glanville) (5 minutes)".',
      ],
    };
  if (items.length > LIMITS.items)
    return {
      ok: false,
      problems: [
        `That is ${items.length} items; a pack holds at most ${LIMITS.items}. Split the business over two meetings, or group items together.`,
      ],
    };
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const out: ItemState[] = [];
  for (const item of items) {
    const number = item.number.toLowerCase();
    const first = seen.get(number);
    if (first !== undefined)
      problems.push(
        `Item ${item.number} appears twice (${first} and ${item.source}). Give each item its own number.`,
      );
    else seen.set(number, item.source);
    const checked = checkItem(item);
    if (checked.ok) out.push(checked.value);
    else problems.push(...checked.problems);
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: out };
}

export function checkPack(
  meeting: MeetingInput,
  items: readonly ItemDraft[],
  now: Date,
  today: CalendarDate,
): Checked<ValidPack> {
  const m = checkMeeting(meeting, now, today);
  const i = checkItems(items);
  if (m.ok && i.ok) return { ok: true, value: { meeting: m.value, items: i.value } };
  return { ok: false, problems: [...(m.ok ? [] : m.problems), ...(i.ok ? [] : i.problems)] };
}

/** The problems as one message: the first few, and how many more. */
export function problemsMessage(problems: readonly string[], lead = 'Nothing was saved:'): string {
  const shown = problems.slice(0, 8);
  const more = problems.length - shown.length;
  return [lead, ...shown.map((p) => `- ${p}`), ...(more > 0 ? [`- … and ${more} more.`] : [])].join('\n');
}
