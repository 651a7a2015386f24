import * as chrono from 'chrono-node';

import { DUE_PATTERN_READERS, type DueCandidate } from './due-patterns.js';
import { londonDate, type CalendarDate } from './london.js';

/**
 * Finds the due date in a line of free text, the way the board writes it. Only the due phrase
 * counts: "report on the 12 March event by 30 April" is due on 30 April, not 12 March.
 */

export interface Span {
  start: number;
  end: number;
}

interface FindingBase {
  /** The phrase as written, without its "by"/"due": "end of June 2018", "October 2018 (TBC)". */
  text: string;
  /** Where `text` is. */
  phrase: Span;
  /** The phrase with its introducing word ("by end of June 2018"). */
  clause: Span;
  /** The word that introduced it, lower-cased: "by", "before", "due", "deadline" … */
  keyword?: string;
}

export type DueFinding =
  | (FindingBase & { kind: 'dated'; date: CalendarDate; tentative: boolean })
  | (FindingBase & { kind: 'undated'; tentative: boolean })
  | (FindingBase & { kind: 'invalid'; problem: string });

const FILLER =
  '(?:(?:close\\s+of\\s+(?:play|business)|COP|COB|EOD|(?:the\\s+)?end\\s+of\\s+(?:play|business|(?:the\\s+)?day))(?:\\s+on)?\\s+)?';
const DUE_KEYWORD = new RegExp(
  `(?:^|[^\\p{L}\\p{N}])(by|before|due(?:\\s+(?:by|on|date|for))?|deadline(?:\\s+(?:is|of|for))?|target\\s+date|no\\s+later\\s+than|not\\s+later\\s+than|on\\s+or\\s+before|until|till)(\\s*[:\\-–—]?\\s*)${FILLER}$`,
  'diu',
);
// "by the next meeting" is also written "at", "for", "ahead of" or "in time for" the next meeting.
const MEETING_KEYWORD = new RegExp(
  `(?:^|[^\\p{L}\\p{N}])(by|before|at|for|ahead\\s+of|in\\s+time\\s+for|until|till)(\\s+)$`,
  'diu',
);
const TEMPORAL_PREPOSITION = /(?:^|[^\p{L}])(?:in|during|over|within|on|at|around|for)\s+$/iu;
const DETERMINER =
  /(?:^|[^\p{L}])(?:the|a|an|our|your|their|its|his|her|my|that|these|those|this|of)\s+$|['’]s\s+$/iu;
const SELF_CONTAINED =
  /^(?:this|next|tomorrow|today|tonight|end|in|within|a\s+fortnight|the\s+day\s+after)\b/iu;
const TBC_AFTER =
  /^\s*(?:[-–—,:]\s*)?(?:\(\s*)?(?:tbc|tbd|tba|to\s+be\s+(?:confirmed|agreed|decided)|provisional(?:ly)?|tentative(?:ly)?)\b(?:\s*\))?/iu;
const TBC_ANYWHERE = /\b(?:tbc|tbd|to\s+be\s+(?:confirmed|agreed|decided))\b/iu;
// Words that may follow a date used as a time ("in October at Cabinet"), unlike a noun ("the 12 March event").
const FOLLOWERS = new Set([
  'and',
  'or',
  'but',
  'to',
  'for',
  'with',
  'at',
  'in',
  'on',
  'after',
  'before',
  'if',
  'when',
  'then',
  'so',
  'as',
  'please',
  'latest',
  'where',
  'which',
  'that',
  'via',
  'from',
  'about',
  'ahead',
  'once',
  'subject',
  'by',
]);

const SUB_DAY_UNITS = /\b(?:minutes?|mins?|hours?|hrs?|seconds?|secs?)\b/iu;
const RELATIVE_UNITS = /\b(?:days?|weeks?|fortnights?|months?|years?|tomorrow|today|tonight)\b/iu;

interface Ranked extends DueCandidate {
  rank: 1 | 2 | 3;
  keyword?: string;
  clauseStart: number;
  phraseStart: number;
  tbcEnd: number;
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/** chrono-node reads relative phrases ("next Friday", "in two weeks", "tomorrow") from the message's day in London. */
function chronoCandidates(text: string, today: CalendarDate): DueCandidate[] {
  // chrono-node does its arithmetic in the host's local time, and some of its parsers ignore a
  // `timezone` reference. So it gets a Date whose local wall clock reads noon on the London day:
  // then every parser agrees, and noon is clear of any host's daylight-saving jump.
  const reference = new Date(today.year, today.month - 1, today.day, 12, 0, 0, 0);
  const found: DueCandidate[] = [];
  for (const result of chrono.en.GB.parse(text, reference, { forwardDate: true })) {
    const start = result.start;
    // chrono-node sometimes keeps a trailing comma ("Friday,").
    const phrase = result.text.replace(/[\s,.;:]+$/u, '');
    const hasDay = start.isCertain('day') || start.isCertain('weekday');
    // A relative phrase counts only in days or longer: "the minutes" of a meeting is not a due date.
    const relativeDays = result.tags().has('result/relativeDate') && RELATIVE_UNITS.test(phrase);
    if ((!hasDay && !relativeDays) || /^(?:now|a\s+week)$/iu.test(phrase) || SUB_DAY_UNITS.test(phrase))
      continue;
    const year = start.get('year');
    const month = start.get('month');
    const day = start.get('day');
    if (year === null || month === null || day === null) continue;
    found.push({ start: result.index, end: result.index + phrase.length, date: { year, month, day } });
  }
  return found;
}

function candidatesIn(text: string, today: CalendarDate): DueCandidate[] {
  const accepted: DueCandidate[] = [];
  const addUnlessOverlapping = (candidate: DueCandidate) => {
    if (!accepted.some((other) => overlaps(other, candidate))) accepted.push(candidate);
  };
  for (const read of DUE_PATTERN_READERS) read(text, today).forEach(addUnlessOverlapping);
  chronoCandidates(text, today).forEach(addUnlessOverlapping);
  return accepted.sort((a, b) => a.start - b.start);
}

function rank(text: string, candidate: DueCandidate): Ranked | undefined {
  const lookbackStart = Math.max(0, candidate.start - 80);
  const before = text.slice(lookbackStart, candidate.start);
  const tbc = TBC_AFTER.exec(text.slice(candidate.end));
  const tbcEnd = candidate.end + (tbc ? tbc[0].length : 0);
  const after = text.slice(tbcEnd);
  if (/^['’]s\b/u.test(after)) return undefined;

  const keywordMatch = (candidate.undated ? MEETING_KEYWORD : DUE_KEYWORD).exec(before);
  const keywordIndices = keywordMatch?.indices?.[1];
  if (keywordMatch && keywordIndices) {
    // The phrase starts after the keyword's separator (": ", " - "), so fillers like "close of play" stay in it.
    const separatorEnd = keywordMatch.indices?.[2]?.[1] ?? keywordIndices[1];
    const phraseStart = lookbackStart + separatorEnd;
    const keyword = (keywordMatch[1] ?? '').toLowerCase().replace(/\s+/g, ' ');
    return {
      ...candidate,
      rank: 1,
      keyword,
      clauseStart: lookbackStart + keywordIndices[0],
      phraseStart,
      tbcEnd,
    };
  }
  const own = text.slice(candidate.start, candidate.end);
  const startsItself = /^(?:the|this|next)\b/iu.test(own);
  if (!startsItself && DETERMINER.test(before)) return undefined;
  const base = { ...candidate, clauseStart: candidate.start, phraseStart: candidate.start, tbcEnd };
  if (/^[\s\p{P}]*$/u.test(after)) return { ...base, rank: 2 };
  const nextWord = /^\s+([\p{Ll}][\p{L}'’-]*)/u.exec(after)?.[1];
  if (nextWord && !FOLLOWERS.has(nextWord.toLowerCase())) return undefined;
  if (TEMPORAL_PREPOSITION.test(before) || SELF_CONTAINED.test(own)) return { ...base, rank: 3 };
  return undefined;
}

function choose(ranked: Ranked[]): Ranked | undefined {
  for (const wanted of [1, 2, 3] as const) {
    const atRank = ranked.filter((candidate) => candidate.rank === wanted);
    // The deadline usually comes last: "report on the 12 March event by 30 April".
    const last = atRank[atRank.length - 1];
    if (last) return last;
  }
  return undefined;
}

/**
 * The due phrase in `text`, if there is one, read against the message's timestamp `now` (in
 * Europe/London). `text` may have parts blanked out with spaces (owners' names, say) so that they are
 * never read as dates while offsets still match the original.
 */
export function findDueDate(text: string, now: Date): DueFinding | undefined {
  const today = londonDate(now);
  const ranked = candidatesIn(text, today)
    .map((candidate) => rank(text, candidate))
    .filter((candidate): candidate is Ranked => candidate !== undefined);
  const chosen = choose(ranked);
  if (!chosen) return undefined;

  const phrase = { start: chosen.phraseStart, end: chosen.tbcEnd };
  const base: FindingBase = {
    text: text.slice(phrase.start, phrase.end).trim(),
    phrase,
    clause: { start: chosen.clauseStart, end: chosen.tbcEnd },
    ...(chosen.keyword ? { keyword: chosen.keyword } : {}),
  };
  if (chosen.problem) return { ...base, kind: 'invalid', problem: chosen.problem };
  const tentative = Boolean(chosen.tentative) || chosen.tbcEnd > chosen.end || TBC_ANYWHERE.test(text);
  if (chosen.undated || !chosen.date) return { ...base, kind: 'undated', tentative };
  return { ...base, kind: 'dated', date: chosen.date, tentative };
}
