import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { GraphError } from './errors.js';
import { JSON_CONTENT_TYPE, type GraphRequest, type GraphResponse } from './router.js';

/**
 * `GET /v1.0/teams/{team-id}/members`: the members of a team as Microsoft Graph lists them
 * ("List members of team", learn.microsoft.com/graph/api/team-list-members, and the
 * aadUserConversationMember resource, learn.microsoft.com/graph/api/resources/aaduserconversationmember):
 * - `{team-id}` is the team's Microsoft 365 group id (a GUID), not its `19:…@thread.tacv2` id;
 * - the answer is a collection of `#microsoft.graph.aadUserConversationMember` with `id` (an opaque
 *   membership id), `roles` (`["owner"]` for an owner, `[]` for a member, `["guest"]` for a guest),
 *   `displayName`, `visibleHistoryStartDateTime`, `userId` (the Entra object id), `email` and
 *   `tenantId` (a guest's home tenant: "membership results can include users from various tenants");
 * - `$top` sets the page size: default 100, at most 999; further pages by `@odata.nextLink`;
 * - an unknown team is 404 with Graph's error body.
 * Graph also documents `$filter` and `$select` here; the bot uses neither, so this stand-in refuses
 * them with 400 rather than answering them wrongly.
 *
 * The teams come from the caller (`startListsService({ teams })`, or `LOCAL_GRAPH_TEAMS` naming a
 * JSON file for `npm run lists`), and can be replaced while running (`PUT /_admin/teams`), e.g. when
 * a test adds a member. Nothing here is persisted: the roster is configuration, not data.
 */

const MemberSchema = z.object({
  /** The member's Entra object id (`userId`). */
  userId: z.string().min(1),
  displayName: z.string(),
  email: z.string().optional(),
  /** The member's home tenant; a guest's differs from the team's. */
  tenantId: z.string().min(1),
  /** Graph's roles: `owner`, `guest`, or none for a plain member. */
  roles: z.array(z.enum(['owner', 'guest'])).default([]),
});

const TeamSchema = z.object({
  /** The team's Microsoft 365 group id, as `/teams/{id}` takes it. */
  id: z.string().min(1),
  displayName: z.string().optional(),
  members: z.array(MemberSchema),
});

const TeamsSchema = z.union([z.array(TeamSchema), z.object({ teams: z.array(TeamSchema) })]);

export type LocalTeam = z.input<typeof TeamSchema>;
type Team = z.output<typeof TeamSchema>;

/** Validates teams given as JSON (`[team, …]` or `{ "teams": [team, …] }`); the error says what is wrong. */
export function parseTeams(value: unknown, source = 'teams'): LocalTeam[] {
  const parsed = TeamsSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Invalid ${source}:\n${problems.join('\n')}`);
  }
  return Array.isArray(parsed.data) ? parsed.data : parsed.data.teams;
}

/** Reads `LOCAL_GRAPH_TEAMS`' file. */
export function readTeamsFile(path: string): LocalTeam[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`LOCAL_GRAPH_TEAMS: cannot read ${path}: ${(e as Error).message}`);
  }
  return parseTeams(json, `LOCAL_GRAPH_TEAMS (${path})`);
}

export const DEFAULT_MEMBERS_PAGE = 100;
export const MAX_MEMBERS_PAGE = 999;
/** Graph's value for a team member; it is settable only for chat members. */
const NO_HISTORY_LIMIT = '0001-01-01T00:00:00Z';

const json = (status: number, body: unknown): GraphResponse => ({
  status,
  headers: { 'Content-Type': JSON_CONTENT_TYPE },
  body,
});

/** Opaque, stable membership ids (Graph's are base64 of tenant, group and user; clients must not parse them). */
function membershipId(team: Team, userId: string): string {
  return Buffer.from(`0#${team.id}##${userId}`, 'utf8').toString('base64url');
}

export class TeamsDirectory {
  private teams = new Map<string, Team>();

  constructor(teams: LocalTeam[] = []) {
    this.replace(teams);
  }

  replace(teams: LocalTeam[]): void {
    const next = new Map<string, Team>();
    for (const team of parseTeams(teams)) next.set(team.id.toLowerCase(), team as Team);
    this.teams = next;
  }

  list(): LocalTeam[] {
    return [...this.teams.values()];
  }

  /** True for a path this directory answers (`/teams/...` below `/v1.0`). */
  static handles(path: string): boolean {
    return /^\/teams(\/|$)/i.test(path);
  }

  dispatch(req: GraphRequest): GraphResponse {
    const segments = req.path.split('/').filter(Boolean);
    let decoded: string[];
    try {
      decoded = segments.map(decodeURIComponent);
    } catch {
      throw new GraphError(400, 'BadRequest', 'The request path is not valid percent-encoding.');
    }
    if (decoded.length !== 3 || decoded[2]!.toLowerCase() !== 'members') {
      throw new GraphError(
        404,
        'itemNotFound',
        `Resource not found for the segment '${decoded.slice(2).join('/') || 'teams'}' (the local service answers GET /teams/{id}/members only).`,
      );
    }
    if (req.method.toUpperCase() !== 'GET') {
      throw new GraphError(
        405,
        'methodNotAllowed',
        `The HTTP method '${req.method}' is not allowed on this resource.`,
      );
    }
    const teamId = decoded[1]!;
    const team = this.teams.get(teamId.toLowerCase());
    // Graph's answer for a group that is not a team (or is not visible to the app).
    if (!team) throw new GraphError(404, 'NotFound', `No team found with Group Id ${teamId}`);

    for (const option of ['$filter', '$select', '$expand', '$orderby', '$search', '$count']) {
      if (req.query.has(option)) {
        throw new GraphError(
          400,
          'BadRequest',
          `The local service does not implement ${option} on team members.`,
        );
      }
    }
    const top = pageSize(req.query.get('$top'));
    const skip = skipOf(req.query.get('$skiptoken'));
    const page = team.members.slice(skip, skip + top);
    const next = skip + top < team.members.length ? skip + top : undefined;
    const base = `${req.origin}/v1.0`;
    const body: Record<string, unknown> = {
      '@odata.context': `${base}/$metadata#teams('${team.id}')/members`,
    };
    if (next !== undefined) {
      const q = new URLSearchParams({ $top: String(top), $skiptoken: encodeSkip(next) });
      body['@odata.nextLink'] = `${base}/teams/${encodeURIComponent(team.id)}/members?${q.toString()}`;
    }
    body.value = page.map((m) => ({
      '@odata.type': '#microsoft.graph.aadUserConversationMember',
      id: membershipId(team, m.userId),
      roles: [...m.roles],
      displayName: m.displayName,
      visibleHistoryStartDateTime: NO_HISTORY_LIMIT,
      userId: m.userId,
      email: m.email ?? null,
      tenantId: m.tenantId,
    }));
    return json(200, body);
  }
}

function pageSize(raw: string | null): number {
  if (raw === null) return DEFAULT_MEMBERS_PAGE;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < 1) {
    throw new GraphError(400, 'BadRequest', `Invalid value '${raw}' for $top: a positive whole number.`);
  }
  if (n > MAX_MEMBERS_PAGE) {
    throw new GraphError(
      400,
      'BadRequest',
      `Invalid page size specified: '${n}'. Must be between 1 and ${MAX_MEMBERS_PAGE} inclusive.`,
    );
  }
  return n;
}

function encodeSkip(n: number): string {
  return Buffer.from(`members:${n}`, 'utf8').toString('base64url');
}

function skipOf(token: string | null): number {
  if (token === null) return 0;
  const m = /^members:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!m) throw new GraphError(400, 'BadRequest', 'The $skiptoken is not valid.');
  return Number(m[1]);
}
