import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BOARDS, PEOPLE, type BoardKey } from '../../scripts/board-fixture.js';
import type { Playground } from '../support/browser.js';
import { useE2eStack } from '../support/stack.js';

/**
 * Many boards in one installation (issue 12), as people live it: the Agents Playground models one
 * team per configuration, so two Playgrounds run against the one bot, one per board's team, with
 * overlapping people (scripts/board-fixture.ts). Jake Ferguson, a partner on both boards, is signed
 * in to the Community Strategy Partnership Board's Playground; David Maher, who chairs the Health
 * and Wellbeing Board, to its Playground.
 *
 * In each board's channel an action is logged; each board's `actions` shows only its own; Jake, in
 * his personal chat, sees both, grouped by board; and the Actions list in SharePoint (the local
 * lists service, read over HTTP) carries each action's board in `BoardId` (the team id).
 */

const VIEWPORT = { width: 1280, height: 900 };

interface ActionFields {
  ActionRef?: string;
  Title?: string;
  Owners?: string;
  BoardId?: string;
}

/** Every item of the Actions list, read over HTTP as any Graph client would (following nextLink). */
async function readActions(listsUrl: string): Promise<ActionFields[]> {
  const out: ActionFields[] = [];
  let next: string | undefined = `${listsUrl}/v1.0/sites/root/lists/Actions/items?$expand=fields`;
  while (next) {
    const res = await fetch(next);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { value: { fields: ActionFields }[]; '@odata.nextLink'?: string };
    out.push(...body.value.map((i) => i.fields));
    next = body['@odata.nextLink'];
  }
  return out;
}

/** The reference in a logged card's heading ("Action logged: A-0001"). */
async function refOf(pg: Playground, card: Locator): Promise<string> {
  const heading = /^Action logged: (A-\d{4,7})$/m.exec(await pg.cardText(card));
  expect(heading, 'the logged card names its reference').not.toBeNull();
  return heading![1]!;
}

/** Logs `text` as an action in the board's General channel; resolves with its reference. */
async function logInChannel(pg: Playground, text: string): Promise<string> {
  const thread = await pg.postInChannel(text);
  const logged = await pg.waitForCard({ heading: 'Action logged', within: thread });
  return refOf(pg, logged);
}

/** Asks `actions` in the board's General channel; resolves with the answer card's text. */
async function actionsInChannel(pg: Playground): Promise<string> {
  const thread = await pg.postInChannel('actions');
  const list = await pg.waitForCard({ heading: 'Open actions', within: thread });
  return pg.cardText(list);
}

/** The board whose name comes last before `at` in `text`: the group a line sits in. */
function groupOf(text: string, at: number): BoardKey | undefined {
  let best: { board: BoardKey; index: number } | undefined;
  for (const board of ['cspb', 'hwb'] as const) {
    const index = text.lastIndexOf(BOARDS[board].teamName, at);
    if (index >= 0 && (!best || index > best.index)) best = { board, index };
  }
  return best?.board;
}

describe('two boards in one installation, in two Agents Playgrounds', () => {
  const e2e = useE2eStack({ boards: ['cspb', 'hwb'], user: 'jake', user2: 'david' });

  it("keeps each board's actions to itself, and shows a partner on both boards both, grouped by board", async () => {
    expect(PEOPLE.jake.roles).toEqual({ cspb: 'partner', hwb: 'partner' });
    expect(PEOPLE.david.roles).toEqual({ cspb: 'partner', hwb: 'chair' });

    // ── the Community Strategy Partnership Board's channel: Jake logs an action ──
    const cspb = await e2e.open({ viewport: VIEWPORT }, 'cspb');
    const cspbRef = await logInChannel(
      cspb,
      'action: Jake Ferguson to share the community strategy draft with HCVS members by end of June',
    );

    // ── the Health and Wellbeing Board's channel: its chair, David, logs another for Jake ──
    const hwb = await e2e.open({ viewport: VIEWPORT }, 'hwb');
    const hwbRef = await logInChannel(
      hwb,
      'action: Jake Ferguson to map the voluntary sector health outreach offer by end of July',
    );
    expect(hwbRef).not.toBe(cspbRef);

    // ── each board's `actions` shows its own action and not the other board's ──
    const cspbList = await actionsInChannel(cspb);
    expect(cspbList, `the ${BOARDS.cspb.teamName}'s actions`).toContain(`${cspbRef} · `);
    expect(cspbList, `the ${BOARDS.cspb.teamName}'s actions`).not.toContain(hwbRef);
    expect(cspbList).not.toContain('health outreach');

    const hwbList = await actionsInChannel(hwb);
    expect(hwbList, `the ${BOARDS.hwb.teamName}'s actions`).toContain(`${hwbRef} · `);
    expect(hwbList, `the ${BOARDS.hwb.teamName}'s actions`).not.toContain(cspbRef);
    expect(hwbList).not.toContain('community strategy draft');

    // ── Jake, in his personal chat, sees both, each under its board ──
    // (Opened first, so that cards are counted in the chat, not in the channel left behind.)
    await cspb.openPersonalChat();
    const mine = await cspb.expectNewCard({ text: cspbRef }, () => cspb.sendPersonal('actions mine'));
    const mineText = await cspb.cardText(mine);
    expect(mineText, 'both boards, by name').toContain(BOARDS.cspb.teamName);
    expect(mineText, 'both boards, by name').toContain(BOARDS.hwb.teamName);
    for (const [ref, board] of [
      [cspbRef, 'cspb'],
      [hwbRef, 'hwb'],
    ] as const) {
      const at = mineText.indexOf(`${ref} · `);
      expect(at, `${ref} in Jake's actions`).toBeGreaterThanOrEqual(0);
      expect(groupOf(mineText, at), `${ref} is grouped under the ${BOARDS[board].teamName}`).toBe(board);
    }

    // ── the record: each action carries its board (the team id) in BoardId ──
    const items = await readActions(e2e.stack.listsUrl!);
    const byRef = (ref: string) => items.filter((f) => f.ActionRef === ref);
    expect(byRef(cspbRef)).toHaveLength(1);
    expect(byRef(hwbRef)).toHaveLength(1);
    expect(byRef(cspbRef)[0]).toMatchObject({ Owners: PEOPLE.jake.name, BoardId: BOARDS.cspb.teamId });
    expect(byRef(hwbRef)[0]).toMatchObject({ Owners: PEOPLE.jake.name, BoardId: BOARDS.hwb.teamId });
  });
});
