import type { ActionOwner } from './parse-owners.js';
import { readOwnersText } from './people.js';
import { matchOwner, normaliseName, type RosterMember } from '../../people/roster.js';

/**
 * Owners as minute-takers write them in a log or in the minutes' prose: initials ("SK", "S.K."),
 * several in a cell ("KD, MM, KR", "JF/RM", "Sonia Khan & Rachel Duke"), "All" for the whole board,
 * and teams, organisations and office holders ("LBH Policy Team", "the Director of Public Health")
 * kept as written. Initials are resolved against a key written in the same paper ("Fraser Nixon
 * (FN)", "FN – Fraser Nixon") first, then against the board's members when exactly one fits; when
 * two members fit, the initials are kept as written and the candidates are offered to the officer.
 */

/** How "All", "All partners", "All members" is stored: one owner, nobody reminded individually. */
export const ALL_MEMBERS = 'All members';

export interface Candidate {
  id: string;
  name: string;
}

export interface AmbiguousOwner {
  /** The initials as written, upper case: "SK". */
  initials: string;
  candidates: Candidate[];
}

export interface OwnerReading {
  owners: ActionOwner[];
  ambiguous: AmbiguousOwner[];
}

export interface OwnerContext {
  roster: readonly RosterMember[];
  /** Initials → full name, from a key in the pasted text. */
  key?: ReadonlyMap<string, string>;
  /** The officer's choice for ambiguous initials: a member's id (other values keep them as written). */
  choices?: Readonly<Record<string, string>>;
}

const ALL =
  /^(?:all|everyone|all (?:board )?(?:partners|members|attendees|present|organisations|agencies)|whole board|the board|all board members)$/iu;
const INITIALS = /^(?:[A-Z]\.?){2,4}$/u;
// Words that make a phrase a team, an organisation or an office rather than a person.
const ROLE_WORDS =
  /\b(?:team|teams|service|services|unit|directorate|department|division|board|group|commission|committee|trust|forum|office|secretariat|brigade|police|college|council|hub|network|programme|panel|partnership|partners|cabinet|executive|ccg|nhs|icb|director|head|chair|vice[- ]chair|clerk|officer|officers|manager|lead|secretary|mayor|commissioner|members|colleagues|staff|governance|scrutiny|policy|public health)\b/iu;
const SEPARATORS = /\s*(?:[,;/+&\n]|\band\b)\s*/iu;

export function isAllMembers(text: string): boolean {
  return ALL.test(
    text
      .replace(/[.:]+$/u, '')
      .replace(/\s+/gu, ' ')
      .trim(),
  );
}

export function isInitials(text: string): boolean {
  return INITIALS.test(text.trim());
}

function initialsOf(text: string): string {
  return text.replace(/\./gu, '').toUpperCase();
}

/** A member's initials: every word's first letter ("Anne-Marie Smith" → AMS) and first + last (AS). */
function memberInitials(name: string): string[] {
  const words = normaliseName(name).split(' ').filter(Boolean);
  if (words.length < 2) return [];
  const all = words.map((w) => w[0]).join('');
  const firstLast = `${words[0]?.[0] ?? ''}${words[words.length - 1]?.[0] ?? ''}`;
  return [...new Set([all, firstLast])].map((s) => s.toUpperCase());
}

/**
 * "Fraser Nixon (FN)", "FN – Fraser Nixon", "FN: Fraser Nixon", "FN = Fraser Nixon": a key the
 * minute-taker wrote so that initials can be read. Only plausible pairs count: the initials must be
 * the name's.
 */
export function readInitialsKey(text: string): Map<string, string> {
  const key = new Map<string, string>();
  const name = "[A-Z][\\p{L}'’-]+(?:[ \\t]+[A-Z][\\p{L}'’-]+){1,3}";
  const forms = [
    new RegExp(`(${name})\\s*\\(((?:[A-Z]\\.?){2,4})\\)`, 'gu'),
    new RegExp(`(?:^|[\\s,;(])((?:[A-Z]\\.?){2,4})\\s*(?:[–—=:]|-)\\s*(${name})`, 'gu'),
  ];
  for (const [i, form] of forms.entries()) {
    for (const m of text.matchAll(form)) {
      const [full, initials] = i === 0 ? [m[1], m[2]] : [m[2], m[1]];
      if (!full || !initials) continue;
      const written = initialsOf(initials);
      const words = full.split(/\s+/u);
      const fits = memberInitials(full).includes(written) || words.map((w) => w[0]).join('') === written;
      if (fits && !key.has(written)) key.set(written, full.trim());
    }
  }
  return key;
}

function resolveInitials(
  written: string,
  ctx: OwnerContext,
): { owner: ActionOwner; ambiguous?: AmbiguousOwner } {
  const initials = initialsOf(written);
  const chosen = ctx.choices?.[initials];
  const candidates = ctx.roster
    .filter((m) => memberInitials(m.name).includes(initials))
    .map((m) => ({ id: m.id, name: m.name }));
  if (chosen !== undefined) {
    const member = candidates.find((c) => c.id === chosen) ?? ctx.roster.find((m) => m.id === chosen);
    if (member) return { owner: { name: member.name, id: member.id, kind: 'person' } };
    return { owner: { name: initials, kind: 'person' } };
  }
  const keyed = ctx.key?.get(initials);
  if (keyed) {
    const member = matchOwner(keyed, ctx.roster, { fuzzy: false });
    return {
      owner: member ? { name: member.name, id: member.id, kind: 'person' } : { name: keyed, kind: 'person' },
    };
  }
  if (candidates.length === 1) {
    const only = candidates[0]!;
    return { owner: { name: only.name, id: only.id, kind: 'person' } };
  }
  return {
    owner: { name: initials, kind: 'person' },
    ...(candidates.length > 1 ? { ambiguous: { initials, candidates } } : {}),
  };
}

function isRolePhrase(text: string): boolean {
  return ROLE_WORDS.test(text);
}

function pushOwner(reading: OwnerReading, owner: ActionOwner): void {
  const same = (o: ActionOwner) =>
    o.id && owner.id ? o.id === owner.id : normaliseName(o.name) === normaliseName(owner.name);
  if (!reading.owners.some(same)) reading.owners.push(owner);
}

function addAmbiguous(reading: OwnerReading, found: AmbiguousOwner | undefined): void {
  if (found && !reading.ambiguous.some((a) => a.initials === found.initials)) reading.ambiguous.push(found);
}

/** One part of a list: initials, a member, a keyed name, or a name/team as written. */
function readPart(part: string, ctx: OwnerContext, reading: OwnerReading): void {
  const text = part.trim().replace(/^the\s+(?=\S{3})/iu, '');
  if (!text) return;
  if (isAllMembers(text)) return pushOwner(reading, { name: ALL_MEMBERS, kind: 'team' });
  if (isInitials(text)) {
    const { owner, ambiguous } = resolveInitials(text, ctx);
    addAmbiguous(reading, ambiguous);
    return pushOwner(reading, owner);
  }
  const member = matchOwner(text, ctx.roster, { fuzzy: false });
  if (member) return pushOwner(reading, { name: member.name, id: member.id, kind: 'person' });
  pushOwner(reading, { name: text, kind: isRolePhrase(text) ? 'team' : 'person' });
}

/**
 * An owner cell of a log, or the subject of a sentence in the minutes. Never throws; an empty or
 * "N/a" cell reads as no owners.
 */
export function readLogOwners(cell: string, ctx: OwnerContext): OwnerReading {
  const reading: OwnerReading = { owners: [], ambiguous: [] };
  const text = cell
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/[.;:,]+$/u, '');
  if (!text || /^(?:n\/?a|none|tbc|tba|-+|–|—|\?)$/iu.test(text)) return reading;
  if (isAllMembers(text)) {
    pushOwner(reading, { name: ALL_MEMBERS, kind: 'team' });
    return reading;
  }
  const parts = text.split(SEPARATORS).filter((p) => p.trim() !== '');
  const plain = (p: string) =>
    isInitials(p.trim()) ||
    isAllMembers(p.trim()) ||
    matchOwner(p, ctx.roster, { fuzzy: false }) !== undefined;
  // "KD, MM, KR", "JF/RM", "Sonia Khan & Rachel Duke", "SK and All partners": every part a person.
  if (parts.length > 1 && parts.every(plain)) {
    for (const part of parts) readPart(part, ctx, reading);
    return reading;
  }
  // One team or office as written: "Overview and Scrutiny Team", "Head of Policy and Strategic Delivery".
  if (!/[,;/&+]/u.test(text) && isRolePhrase(text)) {
    readPart(text, ctx, reading);
    return reading;
  }
  if (parts.length === 1) {
    readPart(text, ctx, reading);
    return reading;
  }
  // Anything else as the chat reads it ("LBH Strategy, Policy and Economic Development", "Tim & Sonia"),
  // with initials among the names still resolved.
  for (const owner of readOwnersText(text.replace(/\s*[/+]\s*/gu, ', '), { roster: ctx.roster })) {
    if (isInitials(owner.name) || isAllMembers(owner.name)) readPart(owner.name, ctx, reading);
    else pushOwner(reading, owner);
  }
  return reading;
}
