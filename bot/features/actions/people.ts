import type { Mention as TurnMention, RosterMember as TurnRosterMember } from '../../routing/types.js';
import { readOwnerList, type ActionOwner } from './parse-owners.js';
import type { Mention } from './parse-text.js';
import { matchOwner, normaliseName, type RosterMember } from '../../people/roster.js';

/**
 * People as the parser wants them (Entra ids), from what a Turn carries (Teams ids first), and the
 * owner text people type into forms ("Sonia Khan; Rachel Duke").
 */

export function toParserRoster(members: readonly TurnRosterMember[]): RosterMember[] {
  return members
    .filter((m) => m.name)
    .map((m) => {
      const email = m.email ?? m.upn;
      return { id: m.aadObjectId ?? m.id, name: m.name, ...(email ? { email } : {}) };
    });
}

/** A mention's Entra id: its own, else the roster's for that Teams id, else the Teams id. */
export function toParserMentions(
  mentions: readonly TurnMention[],
  roster: readonly TurnRosterMember[],
): Mention[] {
  return mentions
    .filter((m) => m.name)
    .map((m) => ({
      name: m.name,
      id: m.aadObjectId ?? roster.find((r) => r.id === m.id)?.aadObjectId ?? m.id,
    }));
}

function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The Turn gives the text with `<at>Name</at>` already flattened to "Name"; the parser finds owners
 * by those tags, so put them back around each mentioned name (the full name, else its first name).
 */
export function withMentionMarkup(text: string, mentions: readonly Mention[]): string {
  let marked = escapeMarkup(text);
  for (const mention of mentions) {
    const candidates = [mention.name, ...mention.name.split(/\s+/).filter((w) => w.length > 1)];
    for (const shown of candidates) {
      const pattern = new RegExp(`(^|[^\\p{L}>])(${escapeRegExp(escapeMarkup(shown))})(?![\\p{L}<])`, 'u');
      const outsideTags = marked.replace(/<at>[\s\S]*?<\/at>/g, (m) => '\u0000'.repeat(m.length));
      const found = pattern.exec(outsideTags);
      if (!found) continue;
      const start = found.index + (found[1]?.length ?? 0);
      marked = `${marked.slice(0, start)}<at>${marked.slice(start, start + shown.length)}</at>${marked.slice(start + shown.length)}`;
      break;
    }
  }
  return marked;
}

/**
 * Owners typed into a form or after "reassign to": the board's phrasing first ("Sonia Khan and
 * Rachel Duke", "Policy team"), else each item separated by ; , & or "and" as written.
 */
export function readOwnersText(
  text: string,
  context: { mentions?: readonly Mention[]; roster?: readonly RosterMember[] } = {},
): ActionOwner[] {
  const roster = context.roster ?? [];
  const mentions = context.mentions ?? [];
  const flat = text
    .replace(/\s*;\s*/g, ', ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(?:to|:)\s+/i, '');
  if (!flat) return [];
  const spans = mentions.flatMap((m) => {
    const at = flat.indexOf(m.name);
    return at >= 0 ? [{ start: at, end: at + m.name.length, text: m.name, mention: m }] : [];
  });
  const read = readOwnerList(flat, { mentions: spans, roster });
  if (read) return read;
  const owners: ActionOwner[] = [];
  for (const item of flat.split(/\s*,\s*|\s+&\s+|\s+and\s+/i)) {
    const name = item.trim().replace(/[.;:]+$/, '');
    if (!name || name.length > 100) continue;
    const member = matchOwner(name, roster, { fuzzy: false });
    const owner: ActionOwner = member
      ? { name: member.name, id: member.id, kind: 'person' }
      : {
          name,
          kind: /\b(team|service|unit|board|group|council|police|nhs)\b/i.test(name) ? 'team' : 'person',
        };
    if (!owners.some((o) => normaliseName(o.name) === normaliseName(owner.name))) owners.push(owner);
  }
  return owners;
}

/** Owners that fit the 255-character Owners column; the rest are named in Details. */
export function fitOwners(names: readonly string[], max = 255): { kept: string[]; dropped: string[] } {
  const kept: string[] = [];
  const dropped: string[] = [];
  let length = 0;
  for (const name of names) {
    const add = (kept.length ? 2 : 0) + name.length;
    if (length + add <= max) {
      kept.push(name);
      length += add;
    } else dropped.push(name);
  }
  return { kept, dropped };
}
