import type { ConversationType, Role, RosterMember } from '../../routing/types.js';
import type { BoardInScope } from '../../sharepoint/index.js';
import { scopeOf, type BoardService, type Membership, type Person } from './service.js';

/**
 * Which board a turn acts on, and the person's role there (issue 12, item 2). The edge asks this
 * for every activity before a route runs; the route then runs inside that board (`inBoard`), so the
 * lists show it that board's record and nothing else.
 *
 * - In a channel: the board of its team. Someone not in the team's roster (impossible in Teams, but
 *   an activity can be forged) is a stranger there.
 * - In a personal chat: every active board whose roster holds the person. One board: that one. More:
 *   the one a card's button names (checked, never trusted), or the one named by "… for <board>",
 *   or none yet (`choose` lists them, and a command that needs one asks).
 * - In a group chat: as in the person's personal chat, but only boards every member of the chat
 *   sits on, so no board's record is shown to a non-member.
 */

export interface AccessRequest {
  type: ConversationType;
  teamId?: string;
  person: Person;
  /** The board a card's button carried (a team id): honoured only if the person is on it. */
  requested?: string;
  /** The text typed, for "… for <board>". */
  text?: string;
  /** The chat's members (group chats). */
  chatMembers?: () => Promise<RosterMember[]>;
}

export interface BoardChoice {
  id: string;
  name: string;
}

export interface Access {
  /** The board acted on, when there is one. */
  board?: BoardInScope;
  role: Role;
  /** The person's boards, when more than one could be meant and none was chosen. */
  choose?: BoardChoice[];
  /** The text without its "for <board>" ending, when that chose the board. */
  text?: string;
  /** For a stranger: why, in a sentence. */
  why?: string;
}

const NOT_IN_TEAM = (name: string) =>
  `You are not a member of the ${name} team in Teams, so you cannot see or change its record. If you should be, ask one of its officers to add you to the team.`;
const NO_BOARDS =
  "You are not a member of any board's team that uses this app, so there is no board record for you to see. If you should be, ask the board's officers to add you to its team in Teams.";
const NO_CHAT_BOARD =
  "Not everyone in this chat is a member of the same board, so I won't show a board's record here. Ask me in your personal chat with me, or in the board's channel.";

/** "actions overdue for Safeguarding Adults Board" → the board, and the text before "for". */
export function boardNamedAtEnd(
  text: string,
  boards: readonly BoardChoice[],
): { board: BoardChoice; text: string } | undefined {
  const m = /^(.*\S)\s+(?:for|on|in)\s+(?:the\s+)?(.{3,})$/is.exec(text.trim());
  if (!m) return undefined;
  const named = m[2]!
    .trim()
    .toLowerCase()
    .replace(/[.!?]+$/, '');
  const exact = boards.filter((b) => b.name.toLowerCase() === named);
  const found =
    exact.length === 1
      ? exact
      : named.length >= 4
        ? boards.filter((b) => b.name.toLowerCase().includes(named))
        : [];
  return found.length === 1 ? { board: found[0]!, text: m[1]! } : undefined;
}

export class BoardAccessResolver {
  constructor(
    private readonly service: BoardService,
    private readonly governanceOfficers: readonly string[],
  ) {}

  private scope(m: Membership): BoardInScope {
    return scopeOf(m.board, this.governanceOfficers);
  }

  async resolve(req: AccessRequest): Promise<Access> {
    if (req.type === 'channel') return this.inTeam(req);
    let places = await this.service.boardsOf(req.person);
    if (req.type === 'groupChat' && places.length) {
      const members = req.chatMembers ? await req.chatMembers() : [];
      const shared: Membership[] = [];
      for (const p of places) if (await this.service.allMembers(p.board, members)) shared.push(p);
      if (!shared.length) return { role: 'stranger', why: NO_CHAT_BOARD };
      places = shared;
    }
    // Boards the person holds a role on without being in the team (a governance officer's) count
    // when named (a card's button, "… for <board>"), not when spanning or guessing.
    // In a group chat, only the boards every member sits on, whoever asks.
    const named =
      req.type === 'personal' && this.service.isGovernanceOfficer(req.person)
        ? await this.service.boardsOf(req.person, { anyRole: true })
        : places;
    if (!named.length) return { role: 'stranger', why: NO_BOARDS };
    if (req.requested) {
      const chosen = named.find((p) => p.board.teamId === req.requested);
      if (!chosen) {
        const name = await this.nameOf(req.requested);
        return { role: 'stranger', why: NOT_IN_TEAM(name) };
      }
      return { board: this.scope(chosen), role: chosen.role };
    }
    if (req.text) {
      const choices = named.map((p) => ({ id: p.board.teamId, name: p.board.name }));
      const found = boardNamedAtEnd(req.text, choices);
      if (found && named.length > 1) {
        const chosen = named.find((p) => p.board.teamId === found.board.id)!;
        return { board: this.scope(chosen), role: chosen.role, text: found.text };
      }
    }
    if (!places.length) return { role: 'stranger', why: NO_BOARDS };
    const choices = places.map((p) => ({ id: p.board.teamId, name: p.board.name }));
    if (places.length === 1) return { board: this.scope(places[0]!), role: places[0]!.role };
    // Several boards: the highest role the person has anywhere passes the router's gate, and the
    // command that needs one board asks which (bot/features/boards/index.ts).
    return { role: highest(places.map((p) => p.role)), choose: choices };
  }

  private async inTeam(req: AccessRequest): Promise<Access> {
    const board = req.teamId ? await this.service.ofTeam(req.teamId) : undefined;
    if (!board) {
      return {
        role: 'stranger',
        why: 'The app is not set up as a board in this team. Ask a team owner to add the app to the team again.',
      };
    }
    const place = await this.service.membership(board, req.person);
    // A stranger never works inside a board, so no route can read its record for them.
    if (!place) return { role: 'stranger', why: NOT_IN_TEAM(board.name) };
    return { board: this.scope(place), role: place.role };
  }

  private async nameOf(teamId: string): Promise<string> {
    const board = await this.service.store.byTeam(teamId).catch(() => undefined);
    return board?.name ?? 'board';
  }
}

const RANK: Record<Role, number> = { officer: 3, chair: 2, partner: 1, stranger: 0 };
function highest(roles: readonly Role[]): Role {
  return roles.reduce<Role>((a, b) => (RANK[b] > RANK[a] ? b : a), 'stranger');
}
