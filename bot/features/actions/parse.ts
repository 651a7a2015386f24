import { findDueDate, type Span } from '../../dates/due.js';
import { toIsoDate } from '../../dates/london.js';
import {
  findOwnerLead,
  findOwnerTail,
  ownersFromMentions,
  type ActionOwner,
  type OwnerContext,
} from './parse-owners.js';
import { toPlainText, type Mention } from './parse-text.js';
import type { RosterMember } from '../../people/roster.js';

/**
 * Understanding an action typed in chat: "action LBH Policy Team to use all feedback … by end of June
 * 2018 – Sonia Khan & Rachel Duke" becomes a title, owners and a due date. Pure: no I/O, no clock
 * other than the message's own timestamp.
 */

export type { ActionOwner } from './parse-owners.js';
export type { Mention } from './parse-text.js';

export interface ParsedDue {
  /** ISO date, e.g. '2018-06-30'. */
  date: string;
  /** The phrase as written, e.g. "end of June 2018" or "October 2018 (TBC)". */
  text: string;
  /** Marked TBC, or inferred from a season. */
  tentative: boolean;
}

export interface ParsedAction {
  /** At most 255 characters, cut on a word with "…"; the owner tail and a trailing "by …" are left out. */
  title: string;
  /** The full text, as typed (mentions shown as names). */
  details: string;
  /** Empty when nobody is named: the service then makes the sender the owner. */
  owners: ActionOwner[];
  due?: ParsedDue;
  /**
   * The due phrase as written whenever there is one, including phrases with no date such as
   * "the next meeting" (the `DueText` column).
   */
  dueText?: string;
  meetingRef?: string;
}

export type ParseFailureReason = 'empty' | 'tooLong' | 'badDate';

export type ParseResult =
  { ok: true; action: ParsedAction } | { ok: false; reason: ParseFailureReason; message: string };

export interface ParseContext {
  /** The message's timestamp: relative dates ("next Friday") count from its day in Europe/London. */
  now: Date;
  /** Mention entities of the message; Teams puts `<at>Name</at>` in the text for each. */
  mentions?: readonly Mention[];
  /** The team's members, to turn typed names into people. */
  roster?: readonly RosterMember[];
}

export const MAX_ACTION_BYTES = 10 * 1024;
export const MAX_TITLE_LENGTH = 255;
const EXAMPLE = 'action Sonia Khan to circulate the draft strategy by end of June 2018';

const COMMAND_PREFIX =
  /^(?:\s|&nbsp;)*(?:<at\b[^>]*>[^<]*<\/at>(?:\s|&nbsp;)*)*(?:please\s+)?(?:(?:log|add|new|record|create|raise)\s+(?:an?\s+|new\s+)?)?action(?:\s+point)?(?=$|\s|&nbsp;|[:–—]|-(?:\s|$))(?:\s|&nbsp;)*(?:[:–—-](?:\s|&nbsp;)*)?/iu;

/**
 * The text after an action command — "action <text>", "action: <text>", "ACTION - <text>",
 * "Action – <text>" — or undefined when the text is not an action command. A bare "action:" gives ''.
 * A leading @mention of the bot (as in a channel) is skipped.
 */
export function stripCommandPrefix(text: string): string | undefined {
  if (text.length > MAX_ACTION_BYTES * 2) return undefined;
  const match = COMMAND_PREFIX.exec(text);
  return match ? text.slice(match[0].length).trim() : undefined;
}

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

function fail(reason: ParseFailureReason, message: string): ParseResult {
  return { ok: false, reason, message };
}

function blank(text: string, span: Span): string {
  return text.slice(0, span.start) + ' '.repeat(span.end - span.start) + text.slice(span.end);
}

/** A single line of at most 255 characters, cut on a word. */
export function toTitle(text: string): string {
  const line = text
    .replace(/\s+/gu, ' ')
    .replace(/^[\s,;:.–—-]+/u, '')
    .replace(/[\s,;:–—-]+$/u, '')
    .trim();
  if (line.length <= MAX_TITLE_LENGTH) return line;
  const room = line.slice(0, MAX_TITLE_LENGTH - 1);
  const lastSpace = room.lastIndexOf(' ');
  const cut =
    lastSpace > MAX_TITLE_LENGTH / 2 ? room.slice(0, lastSpace) : Array.from(room).slice(0, -1).join('');
  return `${cut.replace(/[\s,;:.–—-]+$/u, '')}…`;
}

const MEETING_REF =
  /(?:^|[\s([])(?:meeting|mtg)(?:\s+ref)?\s*[:#]\s*([\p{L}\p{N}][\p{L}\p{N}._/-]{0,63})[)\]]?/iu;

function badDateMessage(phrase: string, problem: string): string {
  return `I couldn't understand the date "${phrase}": ${problem}. Try a date like "30/06/2018", "end of June 2018" or "next Friday".`;
}

/** Reads an action typed in chat. */
export function parseActionText(text: string, context: ParseContext): ParseResult {
  if (byteLength(text) > MAX_ACTION_BYTES) {
    return fail(
      'tooLong',
      `That is too long for an action (over 10 KB). Keep it short, for example "${EXAMPLE}", and add the detail as a note.`,
    );
  }
  const { text: body, mentions } = toPlainText(stripCommandPrefix(text) ?? text, context.mentions ?? []);
  const empty = () => fail('empty', `Tell me what needs doing, for example: "${EXAMPLE}".`);
  if (body === '') return empty();

  const owners: OwnerContext = { mentions, roster: context.roster ?? [] };
  let working = body;
  let meetingRef: string | undefined;
  const ref = MEETING_REF.exec(working);
  if (ref?.[1]) {
    meetingRef = ref[1];
    working = blank(working, { start: ref.index, end: ref.index + ref[0].length });
  }
  const tail = findOwnerTail(working, owners);
  if (tail) working = blank(working, tail.span);

  const due = findDueDate(working, context.now);
  if (due?.kind === 'invalid') return fail('badDate', badDateMessage(due.text, due.problem));

  // Owner names are looked for with the due clause out of the way ("By Friday, Sonia to …").
  const withoutDue = due ? blank(working, due.clause) : working;
  const lead = tail ? undefined : findOwnerLead(withoutDue, owners);
  const trailingBy = due?.keyword === 'by' && /^[\s\p{P}]*$/u.test(working.slice(due.clause.end));
  // A trailing "by …" goes with its closing punctuation: "Send the pack, by Friday." → "Send the pack".
  const title = toTitle(
    trailingBy ? blank(working, { start: due.clause.start, end: working.length }) : working,
  );
  if (title === '') return empty();

  const action: ParsedAction = {
    title,
    details: body,
    owners: tail?.owners ?? lead?.owners ?? ownersFromMentions(mentions),
  };
  if (due) action.dueText = due.text;
  if (due?.kind === 'dated')
    action.due = { date: toIsoDate(due.date), text: due.text, tentative: due.tentative };
  if (meetingRef) action.meetingRef = meetingRef;
  return { ok: true, action };
}
