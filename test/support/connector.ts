import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PEOPLE } from './activities.js';

/**
 * A Bot Framework connector stand-in on loopback: the bot's replies, updates and proactive sends
 * land here, over real HTTP, and tests read what a person would have seen.
 *
 * It can model teams (`startConnector({ teams })` or `setTeams`): a team's roster answers
 * `pagedmembers` and `members/{id}` for the team's id and its channels' ids, and
 * `GET /v3/teams/{id}` gives its details (`aadGroupId` included) as Teams does. In Teams every
 * conversation goes through one regional service URL; the Agents Playground gives each team its own
 * (one Playground per team), and `test/support/two-boards.ts` does the same, one stand-in per team.
 * Without teams it answers as before: one roster (`setMembers`) for every conversation, and the same
 * team details for any team id.
 */

export interface RecordedCall {
  method: string;
  path: string;
  conversationId?: string | undefined;
  activityId?: string | undefined;
  body: Record<string, unknown> | undefined;
}

/** A TeamsChannelAccount, as `TeamsInfo.getPagedMembers` and `getMember` return it. */
interface ConnectorMember {
  id: string;
  name: string;
  aadObjectId?: string;
  givenName?: string;
  surname?: string;
  email?: string;
  userPrincipalName?: string;
  /** The member's home tenant: a guest's differs from the team's. */
  tenantId?: string;
  /** `user`, or `guest` for someone from another tenant. */
  userRole?: 'user' | 'guest' | 'anonymous';
}

export interface ConnectorTeam {
  /** The team id (`19:…@thread.tacv2`), which is also its General channel's conversation id. */
  id: string;
  name: string;
  /** The team's Microsoft 365 group id. */
  aadGroupId: string;
  members: ConnectorMember[];
  /** Channels besides General (General has the team's id). */
  channels?: { id: string; name: string }[];
}

export interface ConnectorStandIn {
  serviceUrl: string;
  calls: RecordedCall[];
  /** Activities sent (new messages and replies), newest last. */
  sent(): Record<string, unknown>[];
  updated(): Record<string, unknown>[];
  /** Wait until at least n activities have been sent; bounded by the test's own timeout. */
  waitForSent(n: number): Promise<Record<string, unknown>[]>;
  /** The roster of every conversation that is not one of the teams' (all of them, without teams). */
  setMembers(members: ConnectorMember[]): void;
  /** The teams this stand-in serves (replacing any before). */
  setTeams(teams: ConnectorTeam[]): void;
  /** Answer the next n sends with 429 and Retry-After. */
  throttleNext(n: number, retryAfterSeconds?: number): void;
  reset(): void;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  if (!chunks.length) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * The team's roster until a test sets its own: the people test/support/activities.ts posts as
 * (the stranger is not among them). A conversation of no declared team has this roster.
 */
export const DEFAULT_MEMBERS: readonly ConnectorMember[] = Object.values(PEOPLE).map((p) => ({
  id: p.id,
  name: p.name,
  aadObjectId: p.aadObjectId,
}));

export async function startConnector(options: { teams?: ConnectorTeam[] } = {}): Promise<ConnectorStandIn> {
  const calls: RecordedCall[] = [];
  let members: ConnectorMember[] = [...DEFAULT_MEMBERS];
  let teams: ConnectorTeam[] = options.teams ?? [];
  /** The team a conversation belongs to: the team itself (General) or one of its channels. */
  const teamOf = (conversationId: string | undefined): ConnectorTeam | undefined =>
    conversationId === undefined
      ? undefined
      : teams.find((t) => t.id === conversationId || t.channels?.some((c) => c.id === conversationId));
  const rosterOf = (conversationId: string | undefined): ConnectorMember[] =>
    teamOf(conversationId)?.members ?? members;
  let throttle = { count: 0, retryAfter: 1 };
  let nextId = 1;
  const waiters: (() => void)[] = [];

  // Node ignores the handler's promise; a failure here is a bug in the stand-in, left to surface as
  // an unhandled rejection, which fails the test run.
  const server: Server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const body = await readJson(req);
    const call: RecordedCall = { method: req.method ?? 'GET', path: url.pathname, body };
    const reply = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(json));
    };

    // /v3/conversations/{id}/activities[/{activityId}]
    if (parts[0] === 'v3' && parts[1] === 'conversations' && parts.length >= 4 && parts[3] === 'activities') {
      call.conversationId = parts[2];
      if (parts[4]) call.activityId = parts[4];
      if (req.method === 'POST' && throttle.count > 0) {
        throttle.count--;
        calls.push({ ...call, path: `${call.path} (429)` });
        return reply(
          429,
          { error: { code: 'TooManyRequests', message: 'throttled' } },
          { 'retry-after': String(throttle.retryAfter) },
        );
      }
      calls.push(call);
      waiters.splice(0).forEach((w) => w());
      const id = req.method === 'PUT' ? (parts[4] ?? '') : `activity-${nextId++}`;
      return reply(200, { id });
    }
    calls.push(call);
    if (parts[0] === 'v3' && parts[1] === 'conversations' && parts.length === 2 && req.method === 'POST') {
      return reply(200, { id: `a:proactive-${nextId++}` });
    }
    if (parts[0] === 'v3' && parts[1] === 'conversations' && parts[3] === 'pagedmembers') {
      const roster = rosterOf(parts[2]);
      const pageSize = Number(url.searchParams.get('pageSize') ?? 500) || 500;
      const start = Number(url.searchParams.get('continuationToken') ?? 0) || 0;
      const page = roster.slice(start, start + pageSize);
      const next = start + pageSize < roster.length ? String(start + pageSize) : undefined;
      return reply(200, { members: page, ...(next ? { continuationToken: next } : {}) });
    }
    if (parts[0] === 'v3' && parts[1] === 'conversations' && parts[3] === 'members' && parts[4]) {
      const m = rosterOf(parts[2]).find((x) => x.id === parts[4] || x.aadObjectId === parts[4]);
      return m
        ? reply(200, m)
        : reply(404, { error: { code: 'MemberNotFoundInConversation', message: 'not found' } });
    }
    if (parts[0] === 'v3' && parts[1] === 'teams' && parts[2]) {
      if (!teams.length) {
        return reply(200, {
          id: parts[2],
          name: 'Community Strategy Partnership Board',
          aadGroupId: 'group-1',
        });
      }
      const team = teams.find((t) => t.id === parts[2]);
      if (!team) return reply(404, { error: { code: 'NotFound', message: `no team ${parts[2]}` } });
      if (parts[3] === 'conversations') {
        const general = { id: team.id, name: null };
        return reply(200, { conversations: [general, ...(team.channels ?? [])] });
      }
      return reply(200, { id: team.id, name: team.name, aadGroupId: team.aadGroupId });
    }
    reply(404, { error: { code: 'NotFound', message: `no stand-in for ${req.method} ${url.pathname}` } });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const isSend = (c: RecordedCall) =>
    c.method === 'POST' && c.activityId !== undefined
      ? true
      : c.method === 'POST' && c.path.endsWith('/activities');

  const stand: ConnectorStandIn = {
    serviceUrl: `http://127.0.0.1:${port}/`,
    calls,
    sent: () => calls.filter((c) => c.conversationId && isSend(c)).map((c) => c.body ?? {}),
    updated: () => calls.filter((c) => c.method === 'PUT').map((c) => c.body ?? {}),
    async waitForSent(n) {
      while (stand.sent().length < n) await new Promise<void>((resolve) => waiters.push(resolve));
      return stand.sent();
    },
    setMembers: (m) => void (members = m),
    setTeams: (t) => void (teams = t),
    throttleNext: (n, retryAfterSeconds = 1) => void (throttle = { count: n, retryAfter: retryAfterSeconds }),
    reset: () => void calls.splice(0),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return stand;
}
