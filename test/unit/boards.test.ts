import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../bot/logger.js';
import { boardNamedAtEnd } from '../../bot/features/boards/access.js';
import { readBoardsIntent, spansBoards } from '../../bot/features/boards/intents.js';
import { appoint, BoardService, removeAppointed } from '../../bot/features/boards/service.js';
import { parsePeople, type Board, type BoardStore } from '../../bot/features/boards/store.js';
import { stampBoard, takeStamp } from '../../bot/routing/board-stamp.js';
import type { RosterMember } from '../../bot/routing/types.js';

/** Issue 12: who is on a board and as what, the boards' words, and the board a button names. */

const TEAM = '19:board@thread.tacv2';
const roster: RosterMember[] = [
  { id: '29:sonia', name: 'Sonia Khan', aadObjectId: 'aad-sonia', upn: 'sonia.khan@council.example' },
  { id: '29:philip', name: 'Philip Glanville', aadObjectId: 'aad-philip', email: 'philip@council.example' },
  { id: '29:jake', name: 'Jake Ferguson', aadObjectId: 'aad-jake', upn: 'jake@hcvs.example' },
  { id: '29:owner', name: 'Olu Owner', aadObjectId: 'aad-owner' },
  { id: '29:guest', name: 'Nadia Guest', aadObjectId: 'aad-guest', upn: 'nadia_nhs#EXT#@council.example' },
];

function board(extra: Partial<Board> = {}): Board {
  return {
    itemId: '1',
    etag: '"1"',
    teamId: TEAM,
    name: 'Health and Wellbeing Board',
    groupId: '00000000-0000-4000-8000-000000000002',
    officers: ['SONIA.KHAN@council.example'],
    chairs: ['philip@council.example'],
    active: true,
    history: '',
    serviceUrl: 'https://smba.example/',
    installedBy: 'aad-installer',
    ...extra,
  };
}

function service(b: Board, changes: string[] = []) {
  let current = b;
  const store = {
    active: async () => [current],
    byTeam: async () => current,
    changeRoles: async (
      _team: string,
      change: (b: Board) => { officers?: string[]; chairs?: string[]; line: string } | undefined,
    ) => {
      const next = change(current);
      if (!next) return current;
      changes.push(next.line);
      current = {
        ...current,
        ...(next.officers ? { officers: next.officers } : {}),
        ...(next.chairs ? { chairs: next.chairs } : {}),
      };
      return current;
    },
  } as unknown as BoardStore;
  return {
    svc: new BoardService({
      store,
      rosters: {
        teamMembers: async () => [
          ...roster,
          { id: '29:installer', name: 'Ina Installer', aadObjectId: 'aad-installer' },
        ],
      },
      owners: { owners: async () => [{ aadObjectId: 'aad-owner', name: 'Olu Owner' }] },
      governanceOfficers: ['GOV@council.example'],
      logger: silentLogger,
    }),
    now: () => current,
  };
}

describe('roles on a board', () => {
  const { svc } = service(board());
  const role = async (person: { aadObjectId?: string; upn?: string; email?: string }) =>
    (await svc.membership(board(), person))?.role ?? 'stranger';

  it('match by Entra object id, UPN or email alike, any case', async () => {
    // Sonia is listed by UPN, in another case; the activity carries only her object id.
    expect(await role({ aadObjectId: 'aad-sonia' })).toBe('officer');
    // Philip is a chair by email.
    expect(await role({ aadObjectId: 'aad-philip' })).toBe('chair');
    expect(await role({ aadObjectId: 'aad-jake' })).toBe('partner');
  });

  it('officers: the installer, the team’s owners and the governance officers, who need not be in the team', async () => {
    expect(await role({ aadObjectId: 'aad-installer' })).toBe('officer');
    expect(await role({ aadObjectId: 'aad-owner' })).toBe('officer');
    expect(await role({ upn: 'gov@council.example' })).toBe('officer');
  });

  it('a guest in the team is a partner; anyone else in the tenant is a stranger', async () => {
    expect(await role({ aadObjectId: 'aad-guest' })).toBe('partner');
    expect(await role({ aadObjectId: 'aad-council-staff' })).toBe('stranger');
    expect(await role({})).toBe('stranger');
  });

  it('an inactive board has nobody on it', async () => {
    expect(await svc.membership(board({ active: false }), { aadObjectId: 'aad-sonia' })).toBeUndefined();
  });
});

describe('appointing on the settings card', () => {
  it('appoints a member by the key the card offered, with a dated line naming who', async () => {
    const lines: string[] = [];
    const { svc, now } = service(board(), lines);
    const change = await appoint(
      svc,
      now(),
      'chair',
      'nadia_nhs#EXT#@council.example',
      'Sonia Khan',
      '2026-12-08 09:20 UTC',
    );
    expect(change).toEqual({ kind: 'changed', name: 'Nadia Guest' });
    expect(now().chairs).toContain('nadia_nhs#EXT#@council.example');
    expect(lines).toEqual([
      '2026-12-08 09:20 UTC: Sonia Khan appointed Nadia Guest (nadia_nhs#EXT#@council.example) as chair',
    ]);
  });

  it('refuses someone who is not in the team, and changes nothing for someone already appointed', async () => {
    const lines: string[] = [];
    const { svc, now } = service(board(), lines);
    expect(await appoint(svc, now(), 'officer', 'aad-council-staff', 'Sonia Khan', 'now')).toEqual({
      kind: 'not a member',
      board: 'Health and Wellbeing Board',
    });
    expect(
      (await appoint(svc, now(), 'officer', 'sonia.khan@council.example', 'Sonia Khan', 'now')).kind,
    ).toBe('unchanged');
    expect(lines).toEqual([]);
  });

  it('removes only the appointed', async () => {
    const lines: string[] = [];
    const { svc, now } = service(board(), lines);
    expect((await removeAppointed(svc, now(), 'officer', 'aad-owner', 'Sonia Khan', 'now')).kind).toBe(
      'unchanged',
    );
    expect(await removeAppointed(svc, now(), 'chair', 'philip@council.example', 'Sonia Khan', 'now')).toEqual(
      {
        kind: 'changed',
        name: 'philip@council.example',
      },
    );
    expect(now().chairs).toEqual([]);
    expect(lines).toHaveLength(1);
  });
});

describe('the boards’ words', () => {
  it('reads "board settings" and the questions that span every board', () => {
    expect(readBoardsIntent('Board settings')).toEqual({ kind: 'settings' });
    expect(readBoardsIntent('board')).toBeUndefined();
    for (const t of ['actions mine', 'my actions', 'What do I owe?', 'my overdue actions'])
      expect(spansBoards(t), t).toBe(true);
    for (const t of ['actions', 'actions overdue', 'actions for Sonia', 'agenda new'])
      expect(spansBoards(t), t).toBe(false);
  });

  it('"… for <board>" names one of the person’s boards, and nothing else', () => {
    const boards = [
      { id: 'a', name: 'Community Strategy Partnership Board' },
      { id: 'b', name: 'Safeguarding Adults Board' },
    ];
    expect(boardNamedAtEnd('actions overdue for Safeguarding Adults Board', boards)).toEqual({
      board: boards[1],
      text: 'actions overdue',
    });
    expect(boardNamedAtEnd('consult new for the community strategy', boards)?.board.id).toBe('a');
    expect(boardNamedAtEnd('actions for Sonia', boards)).toBeUndefined();
    expect(boardNamedAtEnd('actions for board', boards)).toBeUndefined();
  });

  it('splits people lists on ; , and new lines', () => {
    expect(parsePeople(' a@x; b@x ,c\n\nd ')).toEqual(['a@x', 'b@x', 'c', 'd']);
    expect(parsePeople(undefined)).toEqual([]);
  });
});

describe('the board a button names', () => {
  it('stamps every Action.Execute and Action.Submit, nested ones too, and takes the stamp back out', () => {
    const card = {
      type: 'AdaptiveCard',
      body: [
        { type: 'ActionSet', actions: [{ type: 'Action.Execute', verb: 'x', data: { ref: 'A-0001' } }] },
      ],
      actions: [
        { type: 'Action.Submit', data: { msteams: { type: 'task/fetch' } } },
        { type: 'Action.OpenUrl', url: 'https://x' },
      ],
    };
    const stamped = stampBoard(card, TEAM);
    expect(JSON.stringify(stamped).match(/pbBoard/g)).toHaveLength(2);
    expect(card.body[0]!.actions[0]!.data).toEqual({ ref: 'A-0001' });
    const data = (stamped.body[0] as { actions: { data: Record<string, unknown> }[] }).actions[0]!.data;
    expect(takeStamp(data)).toEqual({ board: TEAM, data: { ref: 'A-0001' } });
    expect(takeStamp({ ref: 'A-0001' })).toEqual({ data: { ref: 'A-0001' } });
  });
});
