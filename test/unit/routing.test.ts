import { describe, expect, it } from 'vitest';
import { Router } from '../../bot/routing/router.js';
import { failsAs } from '../../bot/routing/errors.js';
import { ListViewThresholdError } from '../../bot/sharepoint/errors.js';
import { RoleResolver, refusal } from '../../bot/routing/roles.js';
import { commandForm, plainText } from '../../bot/routing/text.js';
import { RecentActivities } from '../../bot/routing/recent-activities.js';
import type { Role } from '../../bot/routing/types.js';
import { registerHelp } from '../../bot/features/help/index.js';
import { helpForm } from '../../bot/features/help/intents.js';
import { VERB_NAMES } from '../../cards/verbs.js';
import { loadConfig } from '../../bot/config.js';
import { buildRouter } from '../../bot/index.js';
import { silentLogger } from '../../bot/logger.js';
import { createListsLayer } from '../../bot/sharepoint/index.js';
import { cardText } from '../support/cards.js';
import { fakeTurn } from '../support/turns.js';

const dara = (text: string, role: Role = 'partner') =>
  fakeTurn({ text, role, actor: { id: '29:1', name: "Dara O'Brien" } });

describe('plainText', () => {
  it('strips the bot mention, keeps other mentions as names, and decodes entities', () => {
    expect(
      plainText('<at>Partnership Board</at> action: <at>Sonia Khan</at> to send &amp; file', [
        'Partnership Board',
      ]),
    ).toBe('action: Sonia Khan to send & file');
  });
  it('turns rich-editor HTML into lines', () => {
    expect(plainText('<p>help</p><p>me&nbsp;please</p>')).toBe('help\nme please');
  });
  it('leaves an apostrophe alone and survives junk entities', () => {
    expect(plainText('O&#39;Brien &#xZZ; &#99999999;')).toBe("O'Brien &#xZZ; &#99999999;");
  });
  it('command form is case-insensitive and ignores trailing punctuation and curly quotes', () => {
    expect(commandForm('  What’s OVERDUE?? ')).toBe("what's overdue");
  });
});

describe('roles', () => {
  const roles = new RoleResolver({
    officers: ['aad-officer', 'sonia.khan@example.org'],
    chairs: ['aad-chair'],
    tenantId: 'council',
  });
  it('officers by object id or UPN, chairs, partners and strangers', () => {
    expect(roles.resolve({ aadObjectId: 'AAD-OFFICER' })).toBe('officer');
    expect(roles.resolve({ upn: 'Sonia.Khan@example.org' })).toBe('officer');
    expect(roles.resolve({ aadObjectId: 'aad-chair' })).toBe('chair');
    expect(roles.resolve({ aadObjectId: 'x', tenantId: 'council' })).toBe('partner');
    expect(roles.resolve({ aadObjectId: 'x', tenantId: 'nhs', teamMember: true })).toBe('partner');
    expect(roles.resolve({ aadObjectId: 'x', tenantId: 'nhs' })).toBe('stranger');
  });
  it('refusals say who can', () => {
    expect(refusal(['officer', 'chair'], 'close a consultation')).toBe(
      "Only board officers and chairs can close a consultation. If you think you should be able to, ask one of the board's officers.",
    );
  });
});

describe('router', () => {
  const board = 'Community Strategy Partnership Board';
  const router = new Router();
  registerHelp(router, { boardName: board });

  it('every declared card verb has exactly one handler in the composed app', () => {
    const config = loadConfig({});
    const full = buildRouter(config, createListsLayer(config.graph, silentLogger));
    expect(full.verbNames().sort()).toEqual([...VERB_NAMES].sort());
  });

  it.each(['help', 'HELP', 'Help!', 'what can you do?', 'hi', '?', ' ?? '])(
    '"%s" shows the help card',
    async (text) => {
      const turn = dara(text);
      await router.handleText(turn);
      expect(cardText(turn.sent[0]?.card)).toContain('Partnership Board');
      expect(cardText(turn.sent[0]?.card)).not.toContain("didn't recognise");
    },
  );

  it('"?" shows the help card in the composed app too, not the card for text it did not recognise', async () => {
    const config = loadConfig({});
    const full = buildRouter(config, createListsLayer(config.graph, silentLogger));
    const turn = dara('?');
    await full.handleText(turn);
    expect(turn.sent).toHaveLength(1);
    expect(cardText(turn.sent[0]?.card)).toContain('Partnership Board');
    expect(cardText(turn.sent[0]?.card)).not.toContain("didn't recognise");
  });

  it('a question mark only ends a phrase: "?" is help, "frobnicate?" is not', () => {
    expect(helpForm('?')).toBe('?');
    expect(helpForm('help?')).toBe('help');
    expect(helpForm('frobnicate?')).toBe('frobnicate');
    expect(helpForm('')).toBe('');
  });

  it('an unknown command gets the help card saying so', async () => {
    const turn = dara('frobnicate the agenda');
    await router.handleText(turn);
    expect(cardText(turn.sent[0]?.card)).toContain("I didn't recognise this");
    expect(cardText(turn.sent[0]?.card)).toContain('frobnicate the agenda');
  });

  it('help.topic answers with the topic card', async () => {
    const outcome = await router.handleVerb('help.topic', { topic: 'actions' }, dara(''));
    expect(outcome.kind).toBe('card');
    expect(outcome.kind === 'card' && cardText(outcome.card)).toContain('Log an action in one message');
  });

  it('help.show and help.role answer with cards', async () => {
    const show = await router.handleVerb('help.show', {}, dara(''));
    expect(show.kind === 'card' && cardText(show.card)).toContain('Partnership Board');
    const role = await router.handleVerb('help.role', {}, dara('', 'chair'));
    expect(role.kind === 'card' && cardText(role.card)).toContain('you are a chair');
  });

  it('an unknown verb, or data of the wrong shape, gets a message and runs nothing', async () => {
    expect((await router.handleVerb('actions.delete-everything', {}, dara(''))).kind).toBe('message');
    expect((await router.handleVerb(42, {}, dara(''))).kind).toBe('message');
    expect((await router.handleVerb('help.topic', { topic: 'budget' }, dara(''))).kind).toBe('message');
    expect((await router.handleVerb('help.topic', 'not an object', dara(''))).kind).toBe('message');
  });

  it('the Action.Submit fallback payload (verb inside the data) is accepted', async () => {
    const outcome = await router.handleVerb(
      'help.topic',
      { verb: 'help.topic', topic: 'agenda', msteams: {} },
      dara(''),
    );
    expect(outcome.kind).toBe('card');
  });

  it('refuses a command to a role it does not allow, and says who can', async () => {
    const r = new Router();
    let ran = false;
    r.command(
      {
        name: 'agenda new',
        match: (t) => (t === 'agenda new' ? {} : undefined),
        handle: async () => void (ran = true),
      },
      { allow: ['officer'], what: 'publish an agenda pack' },
    );
    const turn = dara('agenda new', 'partner');
    await r.handleText(turn);
    expect(ran).toBe(false);
    expect(turn.sent[0]?.text).toContain('Only board officers can publish an agenda pack');
    await r.handleText(dara('agenda new', 'officer'));
    expect(ran).toBe(true);
  });

  it('unknown dialogs and message actions answer with a message', async () => {
    expect((await router.handleDialog('fetch', 'nope', {}, dara(''))).kind).toBe('message');
    expect((await router.handleMessageAction('submit', undefined, {}, dara(''))).kind).toBe('message');
  });
});

describe('RecentActivities', () => {
  it('remembers within the time to live and forgets the oldest past capacity', () => {
    let now = 0;
    const r = new RecentActivities(2, 1000, () => now);
    expect(r.seenBefore('a')).toBe(false);
    expect(r.seenBefore('a')).toBe(true);
    r.seenBefore('b');
    r.seenBefore('c');
    expect(r.seenBefore('a')).toBe(false);
    now = 5000;
    expect(r.seenBefore('c')).toBe(false);
  });
});

describe('the router as the one error sink', () => {
  const threshold = () =>
    new ListViewThresholdError('the list view threshold', { status: 429, code: 'throttled' });

  it("tells the person what a lower layer's error says of itself, not the route's 'lists are down'", async () => {
    const seen: string[] = [];
    const router = new Router()
      .onError((_err, where) => seen.push(where.code))
      .command(
        {
          name: 'ask',
          match: (t) => (t === 'ask' ? {} : undefined),
          handle: async () => Promise.reject(threshold()),
        },
        { fails: 'The lists are down.' },
      );
    const turn = fakeTurn({ text: 'ask' });
    await router.handleText(turn);
    expect(turn.sent[0]?.text).toContain('narrower');
    expect(seen).toEqual(['failed']);
  });

  it('keeps the message a failsAs wrapper gives when the cause says nothing of itself', async () => {
    const router = new Router().command(
      {
        name: 'ask',
        match: (t) => (t === 'ask' ? {} : undefined),
        handle: () =>
          failsAs('NOT_READ', 'The actions could not be read.', () => Promise.reject(new Error('socket'))),
      },
      { fails: 'The lists are down.' },
    );
    const turn = fakeTurn({ text: 'ask' });
    await router.handleText(turn);
    expect(turn.sent[0]?.text).toBe('The actions could not be read.');
  });

  it('a failsAs wrapper passes the threshold message on', async () => {
    await expect(
      failsAs('NOT_READ', 'The actions could not be read.', () => Promise.reject(threshold())),
    ).rejects.toMatchObject({
      code: 'NOT_READ',
      userMessage: expect.stringContaining('narrower') as unknown,
    });
  });
});
