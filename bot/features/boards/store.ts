import type { ListItem, ListRepository } from '../../sharepoint/index.js';
import type { BoardFields } from '../../sharepoint/fields.js';

/**
 * The `Boards` list (a contract admins rely on: README, "Boards"): one item per team the app is
 * installed in. Admins may edit Officers and Chairs in SharePoint, so a board is read again after a
 * few seconds at most; nothing else caches it.
 */

export interface Board {
  /** The list item id. */
  itemId: string;
  etag: string;
  /** The team id: every item of this board carries it as BoardId. */
  teamId: string;
  name: string;
  groupId?: string;
  officers: string[];
  chairs: string[];
  active: boolean;
  history: string;
  serviceUrl?: string;
  installedBy?: string;
}

/** "a@x; b@x" or one per line (commas too, as BOARD_OFFICERS is written). */
export function parsePeople(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[;\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function formatPeople(people: readonly string[]): string {
  return people.join('; ');
}

function toBoard(item: ListItem<BoardFields>): Board {
  const f = item.fields;
  return {
    itemId: item.id,
    etag: item.etag,
    teamId: f.TeamId,
    name: f.Title,
    officers: parsePeople(f.Officers),
    chairs: parsePeople(f.Chairs),
    active: f.Status !== 'Inactive',
    history: f.History ?? '',
    ...(f.GroupId ? { groupId: f.GroupId } : {}),
    ...(f.ServiceUrl ? { serviceUrl: f.ServiceUrl } : {}),
    ...(f.InstalledBy ? { installedBy: f.InstalledBy } : {}),
  };
}

export interface NewBoard {
  teamId: string;
  name: string;
  groupId?: string;
  serviceUrl: string;
  installedBy?: string;
  officers: readonly string[];
  chairs: readonly string[];
  history: string;
}

export class BoardStore {
  private cache = new Map<string, { at: number; boards: Board[] }>();

  constructor(
    private readonly repo: ListRepository<BoardFields>,
    private readonly clock: () => Date = () => new Date(),
    /** How long a read of the list is reused: seconds, so an admin's edit counts at once. */
    private readonly ttlMs = 5_000,
  ) {}

  /** After a write: the next read goes to the list (the stale copy stays only for outages). */
  private forget(): void {
    for (const entry of this.cache.values()) entry.at = 0;
  }

  /** Every active board (one selective indexed clause: Status). */
  async active(): Promise<Board[]> {
    const now = this.clock().getTime();
    const hit = this.cache.get('active');
    if (hit && now - hit.at < this.ttlMs) return hit.boards;
    let items;
    try {
      items = await this.repo.all({ filter: this.repo.filter.eq('Status', 'Active'), top: 500 });
    } catch (err) {
      // The lists are down: who is on which board is what it was a moment ago, so help still
      // answers and each route says plainly that the lists are not answering.
      if (hit) return hit.boards;
      throw err;
    }
    const boards = items.map(toBoard);
    this.cache.set('active', { at: now, boards });
    return boards;
  }

  /** The board of a team, active or not. */
  async byTeam(teamId: string): Promise<Board | undefined> {
    const active = (await this.active()).find((b) => b.teamId === teamId);
    if (active) return active;
    const item = await this.repo.findByKey('TeamId', teamId);
    return item ? toBoard(item) : undefined;
  }

  /** Creates the board, or makes an inactive one active again (its roles kept). */
  async install(board: NewBoard): Promise<{ board: Board; created: boolean }> {
    const existing = await this.repo.findByKey('TeamId', board.teamId);
    if (existing) {
      const updated = await this.repo.updateWithRetry(existing.id, (current) =>
        current.fields.Status === 'Active' && current.fields.ServiceUrl === board.serviceUrl
          ? undefined
          : {
              Status: 'Active',
              ServiceUrl: board.serviceUrl,
              ...(board.groupId ? { GroupId: board.groupId } : {}),
              History: appendLine(current.fields.History, board.history),
            },
      );
      this.forget();
      return { board: toBoard(updated), created: false };
    }
    const item = await this.repo.create(
      {
        Title: board.name.slice(0, 255),
        TeamId: board.teamId,
        Status: 'Active',
        ServiceUrl: board.serviceUrl,
        Officers: formatPeople(board.officers),
        Chairs: formatPeople(board.chairs),
        History: board.history,
        ...(board.groupId ? { GroupId: board.groupId } : {}),
        ...(board.installedBy ? { InstalledBy: board.installedBy } : {}),
      },
      { keyColumn: 'TeamId' },
    );
    this.forget();
    return { board: toBoard(item), created: item.created !== false };
  }

  /** The app was removed from the team: the record stays, inactive. */
  async deactivate(teamId: string, line: string): Promise<void> {
    const existing = await this.repo.findByKey('TeamId', teamId);
    if (!existing) return;
    await this.repo.updateWithRetry(existing.id, (current) =>
      current.fields.Status === 'Inactive'
        ? undefined
        : { Status: 'Inactive', History: appendLine(current.fields.History, line) },
    );
    this.forget();
  }

  /** Changes the board's officers or chairs, with a dated line in History. */
  async changeRoles(
    teamId: string,
    change: (board: Board) => { officers?: string[]; chairs?: string[]; line: string } | undefined,
  ): Promise<Board | undefined> {
    const existing = await this.repo.findByKey('TeamId', teamId);
    if (!existing) return undefined;
    const updated = await this.repo.updateWithRetry(existing.id, (current) => {
      const next = change(toBoard(current));
      if (!next) return undefined;
      return {
        ...(next.officers ? { Officers: formatPeople(next.officers) } : {}),
        ...(next.chairs ? { Chairs: formatPeople(next.chairs) } : {}),
        History: appendLine(current.fields.History, next.line),
      };
    });
    this.forget();
    return toBoard(updated);
  }
}

function appendLine(history: string | undefined, line: string): string {
  return history ? `${history}\n${line}` : line;
}
