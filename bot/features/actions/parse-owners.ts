import type { Span } from '../../dates/due.js';
import type { MentionSpan } from './parse-text.js';
import { isNameTitle, matchOwner, normaliseName, type RosterMember } from '../../people/roster.js';

/**
 * Who an action belongs to, read from the board's phrasing: "Sonia Khan & Rachel Duke to …",
 * "LBH Policy Team to …", "Sonia & Tim: …", or an owner tail as in the minutes' action tables
 * ("… – Claire Crawley, Melba Gnomes, Rory McCallum, & Tim Shields").
 */

export interface ActionOwner {
  /** The roster's display name when matched, otherwise the name as written. */
  name: string;
  /** Entra object id, when the person is known (mentioned or on the roster). */
  id?: string;
  kind: 'person' | 'team';
}

export interface OwnerContext {
  mentions: readonly MentionSpan[];
  roster: readonly RosterMember[];
}

export interface OwnersFound {
  /** The names' span in the text (for the tail, from its dash). */
  span: Span;
  owners: ActionOwner[];
}

// Units of an organisation: a name with one of these is a team, not a person.
const TEAM_NOUNS = new Set(
  (
    'team teams service services unit directorate department dept division board boards group groups commission ' +
    'committee trust forum office secretariat brigade police college council hub network programme panel practice ' +
    'colleagues officers staff partners members everyone all cabinet executive leadership management ccg nhs'
  ).split(' '),
);
// Subjects that name a department ("LBH Strategy, Policy and Economic Development").
const DEPARTMENT_WORDS = new Set(
  (
    'policy partnerships partnership strategy strategic economic economy development communications comms housing ' +
    "health public regeneration planning finance legal governance children's childrens children adults adult social " +
    'care community communities safety employment skills education environment transport digital data insight ' +
    'performance culture equalities equality procurement hr opportunities safeguarding wellbeing research engagement ' +
    'commissioning operations corporate scrutiny overview democratic'
  ).split(' '),
);
const CONNECTORS = new Set(['and', '&', 'of', 'for', 'the', 'on', 'in']);
const ROLES = new Set([
  'chair',
  'the chair',
  'vice chair',
  'vice-chair',
  'chairman',
  'chairwoman',
  'chairperson',
]);
const NAME_PARTICLES = new Set(
  'de da di du dos das del van von der den la le bin binti al el ap ni nic mac y st'.split(' '),
);
// Capitalised words that start a sentence or name a time, never a person on their own.
const NOT_A_NAME = new Set(
  (
    'add agree agreed arrange ask attend book bring build call chase check circulate clarify collate compile ' +
    'complete confirm consider consult contact continue convene create decide deliver develop discuss draft email ' +
    'engage ensure establish explore find finalise follow forward gather get give go going help identify include ' +
    'inform invite issue keep let liaise link look make map meet move note organise plan prepare present produce ' +
    'provide publish put raise reach read refer refine remind reply report request respond return review revise ' +
    'run schedule scope seek send set share sign speak start submit summarise support take talk tell test try ' +
    'update upload use work write need needs want action actions please also then next we i you they he she it ' +
    'this that someone somebody nobody anyone who how what when where why time due deadline back up item agenda ' +
    'tbc tbd asap today tomorrow tonight monday tuesday wednesday thursday friday saturday sunday january february ' +
    'march april may june july august september october november december spring summer autumn winter by before ' +
    'after in on at to for with and or but if so re fyi notes minutes owner owners lead assigned note agenda'
  ).split(' '),
);

const NAME_WORD = /^(?:\p{Lu}[\p{Ll}\p{Lu}\p{M}]*(?:['’-]\p{L}[\p{L}\p{M}]*)*|\p{Lu}\.?)$/u;
const ACRONYM = /^\p{Lu}{2,6}$/u;
const LIST_SEPARATOR = /(\s*,\s*(?:and|&)\s+|\s*,\s*&\s*|\s*,\s*|\s+and\s+|\s*&\s*|\s*\/\s*|\s+\+\s+)/iu;

function initialsOf(name: string): string {
  return normaliseName(name)
    .split(' ')
    .map((word) => word.charAt(0))
    .join('');
}

function isTeamName(words: string[]): boolean {
  const plain = words[0]?.toLowerCase() === 'the' ? words.slice(1) : words;
  if (plain.length === 0 || plain.length > 8) return false;
  const lower = plain.map((word) => word.toLowerCase());
  const wordsFit = plain.every(
    (word, index) =>
      ACRONYM.test(word) ||
      NAME_WORD.test(word) ||
      TEAM_NOUNS.has(lower[index] ?? '') ||
      DEPARTMENT_WORDS.has(lower[index] ?? '') ||
      (index > 0 && CONNECTORS.has(lower[index] ?? '')),
  );
  if (!wordsFit) return false;
  return (
    ACRONYM.test(plain[0] ?? '') || lower.some((word) => TEAM_NOUNS.has(word) || DEPARTMENT_WORDS.has(word))
  );
}

function isPersonName(words: string[]): boolean {
  let index = 0;
  while (index < words.length && index < 3 && isNameTitle(words[index] ?? '')) index += 1;
  const name = words.slice(index);
  if (name.length === 0) return index > 0; // "Mayor"
  if (name.length > 5) return false;
  const first = name[0] ?? '';
  const last = name[name.length - 1] ?? '';
  if (!NAME_WORD.test(first) || !NAME_WORD.test(last)) return false;
  if (name.some((word) => ACRONYM.test(word))) return false;
  if (!name.every((word) => NAME_WORD.test(word) || NAME_PARTICLES.has(word.toLowerCase()))) return false;
  return !(index === 0 && name.length === 1 && NOT_A_NAME.has(first.toLowerCase()));
}

/** One owner from one item of a list, or undefined when the item is not a name. */
function readOwner(raw: string, context: OwnerContext): ActionOwner | undefined {
  const item = raw
    .trim()
    .replace(/[.;:]+$/u, '')
    .replace(/\s*\([^)]*\)$/u, '')
    .trim();
  if (!item || item.length > 80 || /[\d@<>[\]{}]/u.test(item)) return undefined;

  const shown = normaliseName(item);
  const mentioned = context.mentions.find((span) => normaliseName(span.text) === shown);
  if (mentioned) {
    return {
      name: mentioned.mention?.name ?? mentioned.text,
      kind: 'person',
      ...idOf(mentioned.mention?.id),
    };
  }

  const words = item.split(/\s+/u);
  if (ROLES.has(item.toLowerCase())) return { name: item, kind: 'person' };
  const knownPerson = isPersonName(words) ? matchOwner(item, context.roster, { fuzzy: false }) : undefined;
  if (knownPerson) return { name: knownPerson.name, id: knownPerson.id, kind: 'person' };
  if (words.length === 1 && /^\p{Lu}{2,3}$/u.test(item)) {
    // "TS" in the minutes is Tim Shields when only one person on the roster has those initials.
    const byInitials = context.roster.filter((member) => initialsOf(member.name) === item.toLowerCase());
    const member = byInitials.length === 1 ? byInitials[0] : undefined;
    if (member) return { name: member.name, id: member.id, kind: 'person' };
  }
  if (isTeamName(words)) return { name: item, kind: 'team' };
  if (isPersonName(words)) {
    const member = matchOwner(item, context.roster);
    return member ? { name: member.name, id: member.id, kind: 'person' } : { name: item, kind: 'person' };
  }
  // Typed in lower case ("sonia to send …"): only a sure match on the roster makes it a name.
  if (words.length <= 4 && words.every((word) => /^[\p{L}\p{M}'’.-]+$/u.test(word))) {
    const member = matchOwner(item, context.roster, { fuzzy: false });
    if (member && !NOT_A_NAME.has(item.toLowerCase()))
      return { name: member.name, id: member.id, kind: 'person' };
  }
  return undefined;
}

function idOf(id: string | undefined): { id?: string } {
  return id ? { id } : {};
}

/** "LBH Policy and Partnerships" is one team, though "and" separates owners elsewhere. */
function isDepartmentOnly(item: string): boolean {
  const words = item.trim().split(/\s+/u);
  return words.every(
    (word) => DEPARTMENT_WORDS.has(word.toLowerCase()) || CONNECTORS.has(word.toLowerCase()),
  );
}

function sameOwner(a: ActionOwner, b: ActionOwner): boolean {
  if (a.id && b.id) return a.id === b.id;
  return normaliseName(a.name) === normaliseName(b.name);
}

/** Every item of "A, B and C" as an owner, or undefined if any item is not a name. */
export function readOwnerList(text: string, context: OwnerContext): ActionOwner[] | undefined {
  const trimmed = text.trim();
  if (!trimmed || trimmed.length > 200 || /\n/u.test(trimmed)) return undefined;
  const parts = trimmed.split(LIST_SEPARATOR);
  const owners: ActionOwner[] = [];
  for (let index = 0; index < parts.length; index += 2) {
    const item = parts[index] ?? '';
    const separator = parts[index - 1] ?? '';
    const previous = owners[owners.length - 1];
    if (previous?.kind === 'team' && isDepartmentOnly(item) && item.trim() !== '') {
      previous.name = `${previous.name}${separator}${item.trim()}`;
      continue;
    }
    const owner = readOwner(item, context);
    if (!owner) return undefined;
    if (!owners.some((existing) => sameOwner(existing, owner))) owners.push(owner);
  }
  return owners.length > 0 ? owners : undefined;
}

// Where an owner tail can start: a spaced dash, or a label such as "Owner:" / "Assigned to:".
const TAIL_START = /\s[-–—]+\s*|[–—]\s+|(?:^|[\s([])(?:owners?|assigned(?:\s+to)?|lead|who)\s*[:\-–—]\s*/giu;
const MAX_TAIL_LENGTH = 400;
// A due clause or TBC after the names belongs to the due date, not to the owners.
const AFTER_NAMES = /,?\s+(?:by|before|due|deadline|no\s+later\s+than|until)\b|\s*\(?\s*(?:tbc|tbd)\b/iu;

/** Drops trailing punctuation, and a closing bracket only when it closes the tail's own "(Owner: …". */
function withoutClosingPunctuation(names: string): string {
  let text = names.replace(/[\s.;,]*$/u, '');
  while (/[)\]]$/u.test(text) && (text.match(/[([]/gu)?.length ?? 0) < (text.match(/[)\]]/gu)?.length ?? 0)) {
    text = text.slice(0, -1).replace(/[\s.;,]*$/u, '');
  }
  return text;
}

/**
 * The owner tail at the end of an action, as in the minutes' tables:
 * "LBH to set up bilateral discussions … – Tim Shields & Stephen Haynes".
 */
export function findOwnerTail(text: string, context: OwnerContext): OwnersFound | undefined {
  const starts = [...text.matchAll(TAIL_START)].reverse();
  for (const start of starts) {
    // Names are short; anything further back than this is the action itself.
    if (text.length - start.index > MAX_TAIL_LENGTH) break;
    const namesStart = start.index + start[0].length;
    if (start.index === 0 || text.slice(0, start.index).trim() === '') continue;
    const rest = text.slice(namesStart);
    const cut = AFTER_NAMES.exec(rest);
    const names = withoutClosingPunctuation(cut ? rest.slice(0, cut.index) : rest);
    const owners = readOwnerList(names, context);
    if (!owners) continue;
    const closing = /^[.;)\]]*/u.exec(rest.slice(names.length))?.[0].length ?? 0;
    return { span: { start: start.index, end: namesStart + names.length + closing }, owners };
  }
  return undefined;
}

const LEAD_END =
  /^([\s\S]{1,160}?)(?:\s+(?:to|will|shall|should|must|needs?\s+to|is\s+to|are\s+to)\s+|\s*:\s+|\s+[-–—]\s+|\s*,\s*(?:please|pls|can\s+you|could\s+you)\b)/iu;

const LEAD_LABEL =
  /^(\s*(?:owners?|assigned\s+to|lead)\s*[:\-–—]\s*)([^.;\n]{1,160}?)\s*(?:[.;\n]|\s[-–—]\s)/iu;

/**
 * Owners named before the action: "Sonia Khan and Rachel Duke to …", "Sonia & Tim: …",
 * "Rachel Duke – chase partners", "Owner: Sonia Khan. …".
 */
export function findOwnerLead(text: string, context: OwnerContext): OwnersFound | undefined {
  const labelled = LEAD_LABEL.exec(text);
  if (labelled?.[1] && labelled[2]) {
    const owners = readOwnerList(labelled[2], context);
    if (owners)
      return { span: { start: labelled[1].length, end: labelled[1].length + labelled[2].length }, owners };
  }
  const match = LEAD_END.exec(text);
  const prefix = match?.[1];
  if (!prefix) return undefined;
  const leading = /^[\s,;:.–—-]*/u.exec(prefix)?.[0].length ?? 0;
  const owners = readOwnerList(prefix.slice(leading), context);
  if (!owners) return undefined;
  return { span: { start: leading, end: prefix.length }, owners };
}

/** Everyone @mentioned, in order, when no owner phrase says otherwise. */
export function ownersFromMentions(mentions: readonly MentionSpan[]): ActionOwner[] {
  const owners: ActionOwner[] = [];
  for (const span of mentions) {
    const owner: ActionOwner = {
      name: span.mention?.name ?? span.text,
      kind: 'person',
      ...idOf(span.mention?.id),
    };
    if (!owners.some((existing) => sameOwner(existing, owner))) owners.push(owner);
  }
  return owners;
}
