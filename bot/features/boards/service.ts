import type { Logger } from '../../logger.js';
import type { Role, RosterMember } from '../../routing/types.js';
import type { BoardInScope } from '../../sharepoint/index.js';
import type { TeamOwner, TeamOwnersReader } from '../../teams/graph-members.js';
import type { Board, BoardStore } from './store.js';

/**
 * Who is on which board, and as what (issue 12; DESIGN.md, "Boards" and "Roles").
 *
 * A board's members are its team's members, guests included, read from the team's roster through
 * the board's own service URL (`GET /v3/conversations/{teamId}/pagedmembers`, paged: "Get the list
 * of team members", learn.microsoft.com/microsoftteams/platform/bots/how-to/get-teams-context),
 * kept for a minute and forgotten when Teams says the team's membership changed
 * (conversationUpdate teamMemberAdded / teamMemberRemoved). Anyone else is a stranger to it.
 *
 * Officers of a board: whoever installed the app in the team, the team's owners (Microsoft Graph
 * `GET /teams/{group-id}/members`, roles ["owner"], under the resource-specific permission
 * TeamMember.Read.Group), the board's Officers column (appointed on the settings card or typed by an
 * admin) and the council's governance officers (BOARD_OFFICERS), who are officers of every board.
 * Chairs are the Chairs column. Every match is by Entra object id, UPN or email alike.
 */

/** Reads a team's roster through the service URL the team's activities arrive from. */
export interface TeamRosterReader {
  teamMembers(serviceUrl: string, teamId: string): Promise<RosterMember[]>;
}

/** The team's owners from Microsoft Graph (bot/teams/graph-members.ts). */
export type { TeamOwnersReader } from '../../teams/graph-members.js';

export type Owner = TeamOwner;

export interface Person {
  aadObjectId?: string;
  upn?: string;
  email?: string;
}

export interface Membership {
  board: Board;
  role: Exclude<Role, 'stranger'>;
  /** The person as the team's roster has them (their UPN and email, for roles). */
  member?: RosterMember;
}

export interface BoardServiceDeps {
  store: BoardStore;
  rosters: TeamRosterReader;
  owners?: TeamOwnersReader;
  /**
   * The team's members from Microsoft Graph (the same RSC permission): the roster where the team's
   * service URL cannot answer (none recorded yet, or the connector unreachable, as for the tab).
   */
  members?: { members(groupId: string): Promise<TeamOwner[]> };
  /** BOARD_OFFICERS: the council's governance officers, officers of every board. */
  governanceOfficers: readonly string[];
  logger: Logger;
  clock?: () => Date;
  /** How long a roster (and the owners) are reused; refreshed sooner on membership events. */
  rosterTtlMs?: number;
}

export const keysOf = (p: Person & { userPrincipalName?: string }): string[] =>
  [p.aadObjectId, p.upn, p.email, p.userPrincipalName]
    .filter((k): k is string => typeof k === 'string' && k.length > 0)
    .map((k) => k.toLowerCase());

export const matchesAny = (keys: readonly string[], list: Iterable<string>): boolean => {
  const set = new Set([...list].map((s) => s.toLowerCase()));
  return keys.some((k) => set.has(k));
};

export class BoardService {
  private readonly rosterCache = new Map<string, { at: number; members: Promise<RosterMember[]> }>();
  private readonly ownerCache = new Map<string, { at: number; owners: Promise<Owner[]> }>();
  private readonly governance: Set<string>;

  constructor(private readonly deps: BoardServiceDeps) {
    this.governance = new Set(deps.governanceOfficers.map((s) => s.toLowerCase()));
  }

  get store(): BoardStore {
    return this.deps.store;
  }

  private now(): number {
    return (this.deps.clock ?? (() => new Date()))().getTime();
  }

  private get ttl(): number {
    return this.deps.rosterTtlMs ?? 60_000;
  }

  /** The team's members, all pages, cached briefly. */
  roster(board: Board): Promise<RosterMember[]> {
    const hit = this.rosterCache.get(board.teamId);
    if (hit && this.now() - hit.at < this.ttl) return hit.members;
    const { members: graph } = this.deps;
    const fromGraph = async (): Promise<RosterMember[]> =>
      graph && board.groupId
        ? (await graph.members(board.groupId)).map((m) => ({
            id: m.aadObjectId ?? m.name,
            name: m.name,
            ...(m.aadObjectId ? { aadObjectId: m.aadObjectId } : {}),
            ...(m.email ? { email: m.email } : {}),
          }))
        : [];
    const members = board.serviceUrl
      ? this.deps.rosters.teamMembers(board.serviceUrl, board.teamId).catch(async (err: unknown) => {
          if (!graph || !board.groupId) throw err;
          this.deps.logger.warn({ err, teamId: board.teamId }, "the team's roster came from Graph instead");
          return fromGraph();
        })
      : fromGraph();
    this.rosterCache.set(board.teamId, { at: this.now(), members });
    // A failed read is not kept: the next turn asks again.
    members.catch(() => this.rosterCache.delete(board.teamId));
    return members;
  }

  /** Teams said the team's membership changed: read it again next time. */
  membershipChanged(teamId: string): void {
    this.rosterCache.delete(teamId);
    this.ownerCache.delete(teamId);
  }

  /** The team's owners (ids, UPNs and emails, lower case); none when Graph cannot say. */
  private async owners(board: Board): Promise<string[]> {
    return (await this.teamOwners(board)).flatMap((o) => keysOf(o));
  }

  /** The team's owners as Graph lists them; none when Graph cannot say. */
  teamOwners(board: Board): Promise<Owner[]> {
    const reader = this.deps.owners;
    if (!reader || !board.groupId) return Promise.resolve([]);
    const hit = this.ownerCache.get(board.teamId);
    if (hit && this.now() - hit.at < this.ttl) return hit.owners;
    const owners = reader.owners(board.groupId).then(
      (list) => list,
      (err: unknown) => {
        this.deps.logger.warn({ err, teamId: board.teamId }, "could not read the team's owners");
        this.ownerCache.delete(board.teamId);
        return [] as Owner[];
      },
    );
    this.ownerCache.set(board.teamId, { at: this.now(), owners });
    return owners;
  }

  isGovernanceOfficer(person: Person): boolean {
    return matchesAny(keysOf(person), this.governance);
  }

  /** The person's place on one board: undefined when they are a stranger to it. */
  async membership(board: Board, person: Person): Promise<Membership | undefined> {
    if (!board.active) return undefined;
    const keys = keysOf(person);
    if (!keys.length) return undefined;
    const governance = matchesAny(keys, this.governance);
    const member = (await this.roster(board)).find((m) => matchesAny(keysOf(m), keys));
    if (!member && !governance) return undefined;
    const all = [...new Set([...keys, ...(member ? keysOf(member) : [])])];
    const withMember = member ? { member } : {};
    if (governance) return { board, role: 'officer', ...withMember };
    const installer = board.installedBy ? [board.installedBy] : [];
    if (matchesAny(all, [...board.officers, ...installer])) return { board, role: 'officer', ...withMember };
    if (matchesAny(all, await this.owners(board))) return { board, role: 'officer', ...withMember };
    if (matchesAny(all, board.chairs)) return { board, role: 'chair', ...withMember };
    return { board, role: 'partner', ...withMember };
  }

  /** The active board of a team, if the app is installed there. */
  async ofTeam(teamId: string): Promise<Board | undefined> {
    const board = await this.deps.store.byTeam(teamId);
    return board?.active ? board : undefined;
  }

  /** Every active board the person sits on, by name. */
  /**
   * The active boards the person sits on: those whose team's roster holds them. With `anyRole`,
   * also the boards they hold a role on without being in the team (a governance officer's: every
   * board), for when they name one.
   */
  async boardsOf(person: Person, options: { anyRole?: boolean } = {}): Promise<Membership[]> {
    const boards = await this.deps.store.active();
    const places = await Promise.all(
      boards.map((b) =>
        this.membership(b, person).catch((err: unknown) => {
          // One team's roster being unreadable must not hide the person's other boards.
          this.deps.logger.warn({ err, teamId: b.teamId }, 'could not read a board roster');
          return undefined;
        }),
      ),
    );
    return places
      .filter((p): p is Membership => p !== undefined && (options.anyRole === true || p.member !== undefined))
      .sort((a, b) => a.board.name.localeCompare(b.board.name));
  }

  /** True when every one of these people (a group chat's members) is on the board. */
  async allMembers(board: Board, people: readonly Person[]): Promise<boolean> {
    for (const p of people) if (!(await this.membership(board, p))) return false;
    return true;
  }
}

/**
 * What a scheduled job sees of a board: chairs named by UPN or email (as the settings card and
 * admins write them) are given their Entra object ids from the roster, since a personal chat is
 * opened by object id.
 */
export async function jobScope(
  service: BoardService,
  board: Board,
  governanceOfficers: readonly string[],
): Promise<BoardInScope> {
  const scope = scopeOf(board, governanceOfficers);
  const roster = await service.roster(board).catch(() => [] as RosterMember[]);
  const toId = (key: string) => roster.find((m) => matchesAny(keysOf(m), [key]))?.aadObjectId ?? key;
  return { ...scope, chairs: scope.chairs.map(toId) };
}

export type BoardRoleSet = 'officer' | 'chair';

export type RoleChange =
  | { kind: 'changed'; name: string }
  | { kind: 'unchanged'; reason: string }
  | { kind: 'not a member'; board: string };

/**
 * Appoints one of the team's members as an officer or a chair. Only the team's members can be
 * appointed: `picked` must be the key the settings card offered for one of them (UPN, else email,
 * else Entra object id). The change is a dated History line with who made it.
 */
export async function appoint(
  service: BoardService,
  board: Board,
  role: BoardRoleSet,
  picked: string,
  by: string,
  when: string,
): Promise<RoleChange> {
  const member = (await service.roster(board)).find(
    (m) => memberKey(m)?.toLowerCase() === picked.toLowerCase(),
  );
  if (!member) return { kind: 'not a member', board: board.name };
  const key = memberKey(member)!;
  if (matchesAny(keysOf(member), role === 'officer' ? board.officers : board.chairs))
    return { kind: 'unchanged', reason: `${member.name} is already a ${role}.` };
  await service.store.changeRoles(board.teamId, (current) => {
    const now = role === 'officer' ? current.officers : current.chairs;
    if (now.some((k) => k.toLowerCase() === key.toLowerCase())) return undefined;
    const next = [...now, key];
    const line = `${when}: ${by} appointed ${member.name} (${key}) as ${role}`;
    return role === 'officer' ? { officers: next, line } : { chairs: next, line };
  });
  return { kind: 'changed', name: member.name };
}

/** Removes an appointed officer or chair (owners, the installer and governance officers stay). */
export async function removeAppointed(
  service: BoardService,
  board: Board,
  role: BoardRoleSet,
  person: string,
  by: string,
  when: string,
): Promise<RoleChange> {
  const key = person.toLowerCase();
  if (!(role === 'officer' ? board.officers : board.chairs).some((k) => k.toLowerCase() === key))
    return { kind: 'unchanged', reason: `${person} is not an appointed ${role}, so nothing was changed.` };
  await service.store.changeRoles(board.teamId, (current) => {
    const now = role === 'officer' ? current.officers : current.chairs;
    const next = now.filter((k) => k.toLowerCase() !== key);
    if (next.length === now.length) return undefined;
    const line = `${when}: ${by} removed ${person} as ${role}`;
    return role === 'officer' ? { officers: next, line } : { chairs: next, line };
  });
  return { kind: 'changed', name: person };
}

/** The key written to the Boards list for a member: UPN, else email, else Entra object id. */
export function memberKey(m: RosterMember): string | undefined {
  return m.upn ?? m.email ?? m.aadObjectId;
}

/** What features and the lists see of a board while working for it. */
export function scopeOf(board: Board, governanceOfficers: readonly string[] = []): BoardInScope {
  const installer = board.installedBy ? [board.installedBy] : [];
  return {
    id: board.teamId,
    name: board.name,
    officers: [...new Set([...board.officers, ...installer, ...governanceOfficers])],
    chairs: board.chairs,
  };
}
