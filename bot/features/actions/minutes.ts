import { findDueDate } from '../../dates/due.js';
import { toIsoDate } from '../../dates/london.js';
import type { ImportRow, ReadContext, SkippedLine } from './import-table.js';
import {
  ALL_MEMBERS,
  isAllMembers,
  isInitials,
  readLogOwners,
  type OwnerContext,
  type OwnerReading,
} from './log-owners.js';
import { oneLine } from './model.js';
import { MAX_ACTION_BYTES, toTitle } from './parse.js';
import { matchOwner, type RosterMember } from '../../people/roster.js';
import type { DueInput } from './service.js';

/**
 * Actions written in a minute's prose, and its apologies. Minute-takers write actions as "ACTION: SK
 * to circulate …", "SK to circulate …", "It was agreed that the Director would … by …", "X agreed
 * to …", "Members asked that …; the clerk to arrange", "… be brought back to the next meeting"; every
 * other sentence (discussion, "RESOLVED: to note …", members' questions with nobody to answer them)
 * is not an action. The paragraph number ("9.2") goes with each action. "Apologies for absence were
 * received from A (B attended as substitute) and C" gives the meeting's apologies.
 */

export interface Apology {
  /** As written, titles kept ("Cllr Kennedy"); the member's name when they are on the roster. */
  name: string;
  /** The member's id when the name is on the board's roster. */
  memberId?: string;
  substitute?: { name: string; organisation?: string };
  line: number;
}

export interface MinutesReading {
  rows: ImportRow[];
  skipped: SkippedLine[];
  apologies: Apology[];
}

const PARAGRAPH = /^\(?(\d{1,2}\.\d{1,2}(?:\.\d{1,2})?)\)?\.?\s+(.*)$/u;
const HEADING =
  /^(?:minutes|decisions?|supporting documents|agenda item|questions and discussion|present|in attendance|also present|officers present)\s*:?\s*$/iu;
const RESOLVED = /^(?:resolved|it was resolved|recommendations?|decision)\b\s*:?\s*(.*)$/iu;
const BULLET = /^(?:[·•▪◦*‣-]|\(?[a-z]\)|\(?[ivx]{1,4}\))\s+/iu;
const NEXT_MEETING =
  /\b(?:(?:be\s+)?brought\s+back|bring\b[^.]{0,80}?\bback|report(?:ed)?\s+back|come\s+back|return(?:ed)?|(?:be\s+)?presented|(?:be\s+)?(?:re)?considered|update)\b[^.]*?\b(?:to|at)\s+(?:the|its|a)\s+(?:next|following|future)\s+(?:board\s+|committee\s+|commission\s+)?meeting\b/iu;
const NOT_ACTION_VERBS =
  /^(?:note|noting|receive|accept|endorse|approve|adopt|support|welcome|thank|agree that)\b/iu;
const CONNECTORS = new Set(['of', 'and', 'for', 'the', '&', 'on', 'in', 'at', 'de', 'van', 'von']);
const ROLE =
  /^(?:team|service|services|unit|directorate|department|board|group|commission|committee|trust|forum|office|secretariat|police|college|council|hub|network|programme|panel|partnership|cabinet|executive|director|head|chair|vice-chair|clerk|officer|officers|manager|lead|secretary|mayor|commissioner|colleagues|staff|governance|scrutiny|policy|ccg|nhs|icb|members)$/iu;

/** Minutes whose line breaks were lost on the way (sent as one line): each numbered paragraph starts a line again. */
export function restoreParagraphs(text: string): string {
  const lines = text.split(/\r?\n/u).filter((l) => l.trim());
  if (lines.length > 2) return text;
  // At a space before a paragraph number, or where a sentence's end meets it ("McCallum.4.2 The").
  const restored = text.replace(/(?:\s+|(?<=[.:;]))(?=(?:\d{1,2}\.\d{1,2}|RESOLVED:)\s+[A-Z])/gu, '\n');
  return restored.split('\n').length > 2
    ? restored.replace(/^((?:minutes|present|apologies)\s*:)\s+/iu, '$1\n')
    : text;
}

export function looksLikeMinutes(text: string): boolean {
  const lines = restoreParagraphs(text)
    .split(/\r?\n/u)
    .map((l) => l.trim());
  if (lines.filter((l) => PARAGRAPH.test(l) && l.length > 40).length >= 2) return true;
  return lines.some(
    (l) =>
      /^(?:minutes|resolved)\s*:?\s*$/iu.test(l) ||
      /^apologies\s+(?:for absence\s+)?(?:were|had been|was)\s+(?:received|given|noted)/iu.test(l) ||
      /^it was (?:agreed|resolved|decided) that\b/iu.test(l),
  );
}

// ── owners in a sentence ──

/** A sentence's subject that can own an action: initials, a member, a person's name, an office or a team. */
function subjectOwners(subject: string, owners: OwnerContext) {
  const text = subject.trim().replace(/^(?:and|then|also)\s+/iu, '');
  if (!text || text.length > 90) return undefined;
  if (/^members$/iu.test(text) || isAllMembers(text)) return readLogOwners(ALL_MEMBERS, owners);
  const parts = text.split(/\s*(?:,|&|\/|\band\b)\s*/iu).filter(Boolean);
  const personLike = (p: string) =>
    isInitials(p) ||
    owners.key?.has(p.replace(/\./gu, '').toUpperCase()) === true ||
    matchOwner(p, owners.roster, { fuzzy: false }) !== undefined ||
    /^(?:(?:Cllr|Councillor|Dr|Mr|Mrs|Ms|Mayor|Prof)\.?\s+)?[A-Z][\p{L}'’-]+(?:\s+[A-Z][\p{L}'’-]+){1,2}$/u.test(
      p,
    );
  if (parts.length && parts.every(personLike)) return readLogOwners(parts.join(', '), owners);
  // An office or a team: capitalised words and connectors, with a role word ("the clerk", "LBH Policy Team").
  const words = text.replace(/^the\s+/iu, '').split(/\s+/u);
  const fits = words.every((w) => /^[A-Z0-9]/u.test(w) || CONNECTORS.has(w.toLowerCase()) || ROLE.test(w));
  if (fits && words.some((w) => ROLE.test(w.replace(/[’']s$/u, '')))) {
    const name = text.replace(/^the\s+/iu, '');
    return readLogOwners(name[0]!.toUpperCase() + name.slice(1), owners);
  }
  return undefined;
}

// ── the sentences ──

interface Found {
  text: string;
  owners?: OwnerReading;
  body: string;
}

/** "SK to circulate …", "The clerk to arrange": the subject and what they are to do. */
function leadTo(clause: string, owners: OwnerContext): { owners: OwnerReading; rest: string } | undefined {
  const m =
    /^(.{1,90}?)\s+(?:to|will|is to|are to)\s+(?!(?:the|a|an|be|this|that|these|those|its|their|his|her)\b)(\p{L}.*)$/u.exec(
      clause,
    );
  if (!m?.[1] || !m[2] || NOT_ACTION_VERBS.test(m[2])) return undefined;
  const read = subjectOwners(m[1], owners);
  return read ? { owners: read, rest: m[2] } : undefined;
}

function findAction(sentence: string, owners: OwnerContext): Found | undefined {
  const s = sentence.trim().replace(/[.\s]+$/u, '');
  if (!s) return undefined;
  const explicit = /^actions?(?:\s+point)?\s*(?:[:\-–—])\s*(.+)$/iu.exec(s);
  if (explicit?.[1]) {
    const body = explicit[1];
    const lead = leadTo(body, owners);
    const tail = /[(\s[–—-]\s*((?:[A-Z]\.?){2,4}(?:\s*[,/&]\s*(?:[A-Z]\.?){2,4})*)\)?$/u.exec(body);
    if (lead) return { text: body, owners: lead.owners, body: lead.rest };
    if (tail?.[1])
      return { text: body.slice(0, tail.index).trim(), owners: readLogOwners(tail[1], owners), body };
    return { text: body, body };
  }
  const agreedThat =
    /^(?:it\s+was\s+|the\s+(?:board|committee|commission|meeting)\s+|members\s+)?(?:agreed|resolved|decided|requested)\s*,?\s+that\s+(.+?)\s+(?:would|should|will|shall|was to|were to|is to|are to|to|be asked to)\s+(.+)$/iu.exec(
      s,
    );
  if (agreedThat?.[1] && agreedThat[2]) {
    if (NOT_ACTION_VERBS.test(agreedThat[2])) return undefined;
    const owned = subjectOwners(agreedThat[1], owners);
    return { text: s, ...(owned ? { owners: owned } : {}), body: agreedThat[2] };
  }
  const agreedTo =
    /^(.{2,90}?)\s+(?:agreed|undertook|offered|volunteered|committed|was asked|were asked)\s+to\s+(.+)$/u.exec(
      s,
    );
  const agreedBy =
    agreedTo?.[1] && agreedTo[2] && !NOT_ACTION_VERBS.test(agreedTo[2])
      ? subjectOwners(agreedTo[1], owners)
      : undefined;
  if (agreedBy && agreedTo?.[2]) return { text: s, owners: agreedBy, body: agreedTo[2] };
  // "Members asked that …; the clerk to arrange": the owner in a later clause, the text all of it.
  const clauses = s.split(/\s*;\s*/u);
  for (const [i, clause] of clauses.entries()) {
    const lead = leadTo(clause, owners);
    if (lead) return { text: i === 0 ? clause : s, owners: lead.owners, body: lead.rest };
  }
  // "… asked if this could be actioned via the Overview and Scrutiny Team".
  const via =
    /\b(?:be|being)\s+(?:actioned|taken\s+forward|progressed|followed\s+up|picked\s+up|arranged|led|co-?ordinated)\s+(?:via|by|through)\s+(.{2,90})$/iu.exec(
      s,
    );
  const viaOwners = via?.[1] ? subjectOwners(via[1], owners) : undefined;
  if (viaOwners) return { text: s, owners: viaOwners, body: s };
  if (NEXT_MEETING.test(s) && !/^members\s+asked\s+(?:if|whether|what|how|why)\b/iu.test(s))
    return { text: s, body: s };
  return undefined;
}

function sentencesOf(paragraph: string): string[] {
  return paragraph
    .split(/(?<=[.!?])\s+(?=[A-Z"“(])/u)
    .map((x) => x.trim())
    .filter(Boolean);
}

function dueOf(found: Found, ctx: ReadContext): { due?: DueInput; nextMeeting?: ImportRow['nextMeeting'] } {
  if (NEXT_MEETING.test(found.text) || /\bnext\s+(?:board\s+)?meeting\b/iu.test(found.body)) {
    if (ctx.nextMeeting)
      return {
        due: { date: ctx.nextMeeting.date, text: 'the next meeting', tentative: false },
        nextMeeting: 'dated',
      };
    return {
      due: { text: 'the next meeting (not yet scheduled)', tentative: true },
      nextMeeting: 'unscheduled',
    };
  }
  const found2 = findDueDate(found.body, ctx.now);
  if (!found2 || found2.kind === 'invalid') return {};
  if (found2.kind === 'dated')
    return { due: { date: toIsoDate(found2.date), text: found2.text, tentative: found2.tentative } };
  return { due: { text: found2.text, tentative: true } };
}

// ── apologies ──

/** Splits at commas, semicolons and "and" outside brackets. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  const tokens = text.split(/(\(|\)|,|;|\s+and\s+)/u);
  for (const token of tokens) {
    if (token === '(') depth++;
    if (token === ')') depth = Math.max(0, depth - 1);
    if (depth === 0 && (token === ',' || token === ';' || /^\s+and\s+$/u.test(token))) {
      parts.push(current);
      current = '';
    } else current += token;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}

const SUBSTITUTE_IN =
  /^(.+?)\s+(?:attended|attending|attends|was present|deputised|sat in)\b.*$|^(?:substituted|represented|replaced|deputised for|covered)\s+by\s+(.+)$|^substitute\s*[:\-–]?\s*(.+)$/iu;

function substituteOf(text: string): Apology['substitute'] | undefined {
  const m = SUBSTITUTE_IN.exec(text.trim());
  const who = (m?.[1] ?? m?.[2] ?? m?.[3])?.trim();
  if (!who) return undefined;
  const [name = '', ...org] = who.split(/\s*,\s*/u);
  return { name: name.trim(), ...(org.length ? { organisation: org.join(', ').trim() } : {}) };
}

export function readApologies(sentence: string, line: number, roster: readonly RosterMember[]): Apology[] {
  const m =
    /\bapologies\b(?:\s+for\s+absence)?(?:[^:]*?\bfrom\b|\s*:|\s+(?:were\s+)?(?:received|given|noted)\s*:?)\s*(.+)$/iu.exec(
      sentence,
    );
  const list = m?.[1]?.replace(/[.\s]+$/u, '');
  if (!list || /^(?:none|nil|n\/a)$/iu.test(list)) return [];
  const out: Apology[] = [];
  for (const entry of splitTopLevel(list)) {
    const bracket = /^(.*?)\s*\((.+)\)\s*$/u.exec(entry);
    let name = (bracket?.[1] ?? entry).trim();
    let substitute = bracket?.[2] ? substituteOf(bracket[2]) : undefined;
    const dashed = /^(.+?)\s+[–—-]\s+(.+)$/u.exec(name);
    if (!substitute && dashed?.[2] && substituteOf(dashed[2])) {
      name = dashed[1]!.trim();
      substitute = substituteOf(dashed[2]);
    }
    name = name.replace(/^(?:from|and)\s+/iu, '').trim();
    if (!name || name.length > 120 || !/\p{Lu}/u.test(name)) continue;
    const member = matchOwner(name, roster, { fuzzy: false });
    out.push({
      name: member?.name ?? name,
      ...(member ? { memberId: member.id } : {}),
      ...(substitute?.name ? { substitute } : {}),
      line,
    });
  }
  return out;
}

// ── the whole minute ──

export function readMinutes(text: string, ctx: ReadContext & { owners: OwnerContext }): MinutesReading {
  const reading: MinutesReading = { rows: [], skipped: [], apologies: [] };
  let paragraph: string | undefined;
  let resolved = false;
  const seen = new Set<string>();
  const source = restoreParagraphs(text);
  source.split(/\r?\n/u).forEach((raw, index) => {
    const line = index + 1;
    let content = oneLine(raw).replace(BULLET, '');
    if (!content) return;
    const numbered = PARAGRAPH.exec(content);
    if (numbered?.[1]) {
      paragraph = numbered[1];
      content = numbered[2] ?? '';
      resolved = false;
    }
    if (HEADING.test(content)) {
      resolved = false;
      return;
    }
    const decision = RESOLVED.exec(content);
    if (decision) {
      resolved = true;
      content = decision[1] ?? '';
      if (!content) return;
    }
    if (/^apologies\b/iu.test(content) || /\bapologies for absence\b/iu.test(content)) {
      reading.apologies.push(...readApologies(content, line, ctx.roster));
      return;
    }
    // "Cllr Smith attended as substitute for Cllr Kennedy."
    const subFor = /^(.+?)\s+attended\s+as\s+(?:a\s+)?substitute\s+for\s+(.+?)\.?$/iu.exec(content);
    if (subFor?.[1] && subFor[2]) {
      const member = matchOwner(subFor[2], ctx.roster, { fuzzy: false });
      const already = reading.apologies.find((a) => a.name === (member?.name ?? subFor[2]));
      if (already) already.substitute = { name: subFor[1].trim() };
      else
        reading.apologies.push({
          name: member?.name ?? subFor[2].trim(),
          ...(member ? { memberId: member.id } : {}),
          substitute: { name: subFor[1].trim() },
          line,
        });
      return;
    }
    // Resolutions to note, agree or approve are decisions, not actions; one that gives someone
    // something to do ("That officers bring the final plan back to the next meeting") is read.
    if (resolved && NOT_ACTION_VERBS.test(content.replace(/^(?:that\s+)?(?:to\s+)?/iu, ''))) return;
    for (const sentence of sentencesOf(content)) {
      const found = findAction(sentence, ctx.owners);
      if (!found) continue;
      const body = found.text.replace(/[\s.]+$/u, '');
      if (Buffer.byteLength(body, 'utf8') > MAX_ACTION_BYTES) {
        reading.skipped.push({ line, text: body.slice(0, 120), why: 'the action is over 10 KB' });
        continue;
      }
      const key = `${paragraph ?? ''}|${body.toLowerCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const owners = found.owners ?? { owners: [], ambiguous: [] };
      const { due, nextMeeting } = dueOf(found, ctx);
      reading.rows.push({
        line,
        draft: {
          title: toTitle(body),
          text: body,
          owners: owners.owners,
          ...(due ? { due } : {}),
        },
        status: 'Open',
        ...(paragraph ? { logRef: paragraph } : {}),
        ambiguous: owners.ambiguous,
        ...(nextMeeting ? { nextMeeting } : {}),
      });
    }
  });
  return reading;
}
