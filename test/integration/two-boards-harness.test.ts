import { describe, expect, it } from 'vitest';
import { BOARDS, PEOPLE } from '../../scripts/board-fixture.js';
import { useTwoBoards } from '../support/two-boards.js';

/**
 * The two-board harness itself: two teams, each on its own connector stand-in (service URL) with
 * its own roster and details, the local Graph service answering both teams' members, and the bot
 * installed in both. What the bot does with two boards is tested by the boards feature's own tests.
 */

const boards = useTwoBoards();

interface Paged {
  members: {
    id: string;
    aadObjectId: string;
    userPrincipalName: string;
    email: string;
    tenantId: string;
    userRole: string;
  }[];
}

describe('two boards in one installation (test harness)', () => {
  it("gives each team its own service URL, roster and details, as each team's Playground does", async () => {
    const cspb = boards.connector('cspb');
    const hwb = boards.connector('hwb');
    expect(cspb.serviceUrl).not.toBe(hwb.serviceUrl);

    const roster = async (serviceUrl: string, conversationId: string) =>
      (
        (await (
          await fetch(`${serviceUrl}v3/conversations/${encodeURIComponent(conversationId)}/pagedmembers`)
        ).json()) as Paged
      ).members;
    const cspbRoster = await roster(cspb.serviceUrl, BOARDS.cspb.teamId);
    expect(cspbRoster.map((m) => m.aadObjectId)).toEqual(
      BOARDS.cspb.members.map((k) => PEOPLE[k].aadObjectId),
    );
    const hwbRoster = await roster(hwb.serviceUrl, BOARDS.hwb.teamId);
    expect(hwbRoster.map((m) => m.aadObjectId)).toEqual(BOARDS.hwb.members.map((k) => PEOPLE[k].aadObjectId));
    const guest = hwbRoster.find((m) => m.aadObjectId === PEOPLE.amara.aadObjectId)!;
    expect(guest).toMatchObject({
      userRole: 'guest',
      tenantId: PEOPLE.amara.homeTenantId,
      email: PEOPLE.amara.email,
    });
    expect(guest.userPrincipalName).toContain('#EXT#');
    expect(hwbRoster.find((m) => m.aadObjectId === PEOPLE.jake.aadObjectId)).toMatchObject({
      userRole: 'user',
      userPrincipalName: PEOPLE.jake.upn,
    });

    const details = (await (
      await fetch(`${hwb.serviceUrl}v3/teams/${encodeURIComponent(BOARDS.hwb.teamId)}`)
    ).json()) as Record<string, string>;
    expect(details).toEqual({
      id: BOARDS.hwb.teamId,
      name: BOARDS.hwb.teamName,
      aadGroupId: BOARDS.hwb.aadGroupId,
    });
    expect((await fetch(`${hwb.serviceUrl}v3/teams/${encodeURIComponent(BOARDS.cspb.teamId)}`)).status).toBe(
      404,
    );
  });

  it("answers both teams' members from the local Graph service, owners marked", async () => {
    for (const board of ['cspb', 'hwb'] as const) {
      const res = await fetch(`${boards.lists.graphBaseUrl}/teams/${BOARDS[board].aadGroupId}/members`);
      expect(res.status).toBe(200);
      const { value } = (await res.json()) as { value: { userId: string; roles: string[] }[] };
      expect(value.filter((m) => m.roles.includes('owner')).map((m) => m.userId)).toEqual(
        BOARDS[board].owners.map((k) => PEOPLE[k].aadObjectId),
      );
    }
  });

  it("installed the bot in both teams, each through its own team's service URL", async () => {
    // Whatever the bot says on install goes to each team's channel on that team's connector.
    for (const board of ['cspb', 'hwb'] as const) {
      const toChannel = boards
        .connector(board)
        .calls.filter((c) => c.conversationId === BOARDS[board].teamId);
      const elsewhere = boards
        .connector(board === 'cspb' ? 'hwb' : 'cspb')
        .calls.filter((c) => c.conversationId === BOARDS[board].teamId);
      expect(elsewhere).toEqual([]);
      expect(toChannel.length, `the bot's welcome in the ${BOARDS[board].teamName}`).toBeGreaterThan(0);
    }
  });

  it("answers a message in each board's channel through that board's connector", async () => {
    for (const board of ['cspb', 'hwb'] as const) {
      const connector = boards.connector(board);
      const before = connector.sent().length;
      const res = await boards.post(boards.say('jake', 'help', board));
      expect(res.status).toBeLessThan(300);
      const sent = await connector.waitForSent(before + 1);
      const reply = sent[sent.length - 1] as { conversation?: { id?: string } };
      expect(reply.conversation?.id ?? '').toContain(BOARDS[board].teamId);
    }
  });

  it('answers the partner on both in their one personal chat, through the service URL they came from', async () => {
    const hwb = boards.connector('hwb');
    const before = hwb.sent().length;
    const activity = boards.say('jake', 'help', 'personal', 'hwb');
    expect((activity.conversation as { id: string }).id).toBe(`a:personal-${PEOPLE.jake.aadObjectId}`);
    expect(activity.serviceUrl).toBe(hwb.serviceUrl);
    expect((await boards.post(activity)).status).toBeLessThan(300);
    await hwb.waitForSent(before + 1);
  });

  it('places a guest in their own tenant in a personal chat, and in the team tenant in a channel', () => {
    const personal = boards.say('amara', 'help', 'personal');
    expect((personal.channelData as { tenant: { id: string } }).tenant.id).toBe(PEOPLE.amara.homeTenantId);
    const channel = boards.say('amara', 'help', 'hwb');
    expect((channel.channelData as { tenant: { id: string } }).tenant.id).toBe(BOARDS.hwb.tenantId);
    expect((channel.channelData as { team: { aadGroupId: string } }).team.aadGroupId).toBe(
      BOARDS.hwb.aadGroupId,
    );
  });
});
