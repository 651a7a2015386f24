import { candidatesFor } from '../../people/roster.js';
import type { RosterMember } from '../../routing/types.js';
import type { Invitee } from './model.js';

/**
 * Who a consultation asks, from the channel's roster: everyone but the officers, or the people the
 * officer named (matched as an action's owners are, without guessing at spelling mistakes).
 */
export function audienceOf(
  officers: readonly string[],
  kind: 'channel' | 'people' | 'team',
  typed: readonly string[],
  roster: readonly RosterMember[],
  opener: string | undefined,
): { invitees: Invitee[]; problem?: string } {
  const isOfficer = (m: RosterMember) =>
    [m.aadObjectId, m.email, m.upn].some((k) => k && officers.includes(k.toLowerCase())) ||
    (opener !== undefined && m.aadObjectId?.toLowerCase() === opener.toLowerCase());
  const reachable = roster.filter((m) => m.aadObjectId);
  const toInvitee = (m: RosterMember): Invitee => ({
    aadObjectId: m.aadObjectId!,
    name: m.name,
    ...(m.id ? { teamsId: m.id } : {}),
  });
  if (kind !== 'people') {
    const invitees = reachable.filter((m) => !isOfficer(m)).map(toInvitee);
    return invitees.length
      ? { invitees }
      : { invitees, problem: 'Nobody in this channel besides the officers could be asked.' };
  }
  const members = reachable.map((m) => ({
    id: m.aadObjectId!,
    name: m.name,
    ...(m.email ? { email: m.email } : {}),
    ...(m.upn ? { upn: m.upn } : {}),
  }));
  const byId = new Map(reachable.map((m) => [m.aadObjectId!, m]));
  const chosen = new Map<string, Invitee>();
  const unknown: string[] = [];
  const ambiguous: string[] = [];
  for (const name of typed) {
    const matches = candidatesFor(name, members, { fuzzy: false });
    const only = matches.length === 1 ? byId.get(matches[0]!.id) : undefined;
    if (only) chosen.set(only.aadObjectId!, toInvitee(only));
    else if (matches.length > 1) ambiguous.push(name);
    else unknown.push(name);
  }
  if (unknown.length)
    return {
      invitees: [],
      problem: `I can't find ${unknown.map((u) => `"${u}"`).join(', ')} in this channel. Use their names as Teams shows them.`,
    };
  if (ambiguous.length)
    return {
      invitees: [],
      problem: `More than one person is called ${ambiguous.map((u) => `"${u}"`).join(', ')}: give the full name.`,
    };
  return { invitees: [...chosen.values()] };
}
