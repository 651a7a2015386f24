import type { Client } from '@microsoft/microsoft-graph-client';
import { toListsError } from '../sharepoint/errors.js';
import { relativeGraphPath } from '../sharepoint/graph-client.js';

/**
 * A team's owners, read from Microsoft Graph: `GET /teams/{group-id}/members` ("List members of
 * team", learn.microsoft.com/graph/api/team-list-members), whose aadUserConversationMember items
 * carry `roles: ["owner"]` for an owner, `[]` for a member and `["guest"]` for a guest.
 *
 * Permission: the app asks for the resource-specific consent permission `TeamMember.Read.Group`
 * (an application permission granted per team when the app is installed in it, declared in the
 * manifest's `authorization.permissions.resourceSpecific`), never a tenant-wide one such as
 * `TeamMember.Read.All`: the bot reads the members of the teams it is installed in and no others.
 *
 * It runs over the lists layer's Graph client (`ListsLayer.client`): the same retries, the same
 * `User-Agent`, the same credential, and locally the local Graph service, which answers this route.
 * Failures are the lists layer's typed errors (`toListsError`): `NotFoundError` for a group that is
 * not a team (or not one the app may read), `ThrottledError` after the retries, `GraphRequestError`
 * for a refused permission (403) and the rest.
 */

export interface TeamOwner {
  /** Entra object id (Graph's `userId`). */
  aadObjectId?: string;
  /** Graph's member list gives no UPN; a caller that has the roster may fill it in. */
  upn?: string;
  email?: string;
  name: string;
}

export interface TeamOwnersReader {
  owners(groupId: string): Promise<TeamOwner[]>;
}

/** The most members one page may hold (the documented maximum `$top`; the default is 100). */
const PAGE_SIZE = 999;
/** A bound on pages, so a misbehaving `@odata.nextLink` cannot loop for ever (999 × 100 members). */
const MAX_PAGES = 100;

interface ConversationMember {
  '@odata.type'?: string;
  id?: string;
  roles?: string[] | null;
  displayName?: string | null;
  userId?: string | null;
  email?: string | null;
  tenantId?: string | null;
}

interface MembersPage {
  value?: ConversationMember[];
  '@odata.nextLink'?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class GraphTeamOwnersReader implements TeamOwnersReader {
  constructor(private readonly client: Client) {}

  async owners(groupId: string): Promise<TeamOwner[]> {
    return (await this.read(groupId, 'owners')).filter((m) => m.owner).map(({ owner: _o, ...rest }) => rest);
  }

  /**
   * Every member of the team (guests included), as the board's roster where the team's own service
   * URL cannot be asked (the tab outside a turn, a team whose activities have not come yet).
   */
  async members(groupId: string): Promise<TeamOwner[]> {
    return (await this.read(groupId, 'members')).map(({ owner: _o, ...rest }) => rest);
  }

  private async read(
    groupId: string,
    what: 'owners' | 'members',
  ): Promise<(TeamOwner & { owner: boolean })[]> {
    // `/teams/{id}` takes the team's Microsoft 365 group id, never its `19:…@thread.tacv2` id.
    if (!GUID.test(groupId)) {
      throw new TypeError(`A team's ${what} are read by its group id (a GUID), not "${groupId}"`);
    }
    const reading = `Reading the ${what} of team ${groupId}`;
    const out: (TeamOwner & { owner: boolean })[] = [];
    const first = `/teams/${encodeURIComponent(groupId)}/members?$top=${PAGE_SIZE}`;
    let next: string | undefined = first;
    for (let pages = 0; next !== undefined; pages++) {
      if (pages >= MAX_PAGES)
        throw toListsError(new Error(`more than ${MAX_PAGES} pages of members`), reading);
      let page: MembersPage;
      try {
        page = (await this.client.api(next).get()) as MembersPage;
      } catch (e) {
        throw toListsError(e, reading);
      }
      for (const member of page.value ?? []) {
        const owner = member.roles?.some((r) => r.toLowerCase() === 'owner') ?? false;
        out.push({ ...ownerOf(member), owner });
      }
      next = page['@odata.nextLink'] ? checkedNextLink(page['@odata.nextLink'], groupId) : undefined;
    }
    return out;
  }
}

function ownerOf(member: ConversationMember): TeamOwner {
  const owner: TeamOwner = { name: member.displayName?.trim() || member.email || member.userId || '' };
  if (member.userId) owner.aadObjectId = member.userId;
  if (member.email) owner.email = member.email;
  return owner;
}

/** Follows a next page only of this team's members, as a path on the client's own host. */
function checkedNextLink(link: string, groupId: string): string {
  const relative = relativeGraphPath(link);
  const path = decodeURIComponent(relative.split('?')[0] ?? '').toLowerCase();
  if (path !== `/teams/${groupId.toLowerCase()}/members`) {
    throw toListsError(
      new Error(`an @odata.nextLink that is not this team's members: ${path}`),
      'Reading the owners of team ' + groupId,
    );
  }
  return relative;
}
