import { describe, expect, it } from 'vitest';
import { ActionStore, registerActions } from '../../bot/features/actions/index.js';
import { registerHelp } from '../../bot/features/help/index.js';
import { silentLogger } from '../../bot/logger.js';
import { Router } from '../../bot/routing/router.js';
import type { Role } from '../../bot/routing/types.js';
import type { ActionFields, ListRepository } from '../../bot/sharepoint/index.js';
import { VERB_NAMES } from '../../cards/verbs.js';
import { fakeTurn } from '../support/turns.js';

const turn = (text: string, role: Role) =>
  fakeTurn({ text, role, actor: { id: '29:x', name: 'Someone' }, replyId: () => '1' });

describe('actions on the router', () => {
  // Registration does no I/O, and refusals happen before any handler reads the list.
  const router = new Router();
  registerHelp(router, { boardName: 'Board' });
  registerActions(router, {
    store: new ActionStore({} as ListRepository<ActionFields>),
    logger: silentLogger,
  });

  it('handles every declared actions verb, once', () => {
    const mine = VERB_NAMES.filter((v) => v.startsWith('actions.'));
    expect(mine).toHaveLength(12);
    expect(
      router
        .verbNames()
        .filter((v) => v.startsWith('actions.'))
        .sort(),
    ).toEqual([...mine].sort());
  });

  it('tells people outside the board who can log or ask, and partners who can import', async () => {
    const stranger = turn('action Sonia to send the papers', 'stranger');
    await router.handleText(stranger);
    expect(stranger.sent[0]?.text).toBe(
      "Only board officers, chairs and partners can log actions. If you think you should be able to, ask one of the board's officers.",
    );
    const asking = turn("what's overdue?", 'stranger');
    await router.handleText(asking);
    expect(asking.sent[0]?.text).toContain('can ask about actions');
    const partner = turn('actions import\nA — B — June', 'partner');
    await router.handleText(partner);
    expect(partner.sent[0]?.text).toContain('Only board officers and chairs can import actions from minutes');
  });

  it('refuses card buttons from outside the board before reading anything', async () => {
    const outcome = await router.handleVerb('actions.done', { ref: 'A-0001' }, turn('', 'stranger'));
    expect(outcome).toMatchObject({ kind: 'refused' });
    const cancel = await router.handleVerb(
      'actions.import.cancel',
      { key: 'a'.repeat(24) },
      turn('', 'partner'),
    );
    expect(cancel.kind).toBe('refused');
  });

  it('answers forged or malformed card data with a message, not an error', async () => {
    for (const data of [
      { ref: 42 },
      { ref: 'A-0001; drop table' },
      { ref: 'A-0001', extra: true },
      { ref: 'A-0001', back: { scope: 'everything' } },
    ]) {
      const outcome = await router.handleVerb('actions.done', data, turn('', 'officer'));
      expect(outcome).toMatchObject({ kind: 'message' });
    }
  });
});
