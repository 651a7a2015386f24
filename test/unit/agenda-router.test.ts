import { describe, expect, it } from 'vitest';
import { registerAgenda } from '../../bot/features/agenda/index.js';
import type { AgendaRepos } from '../../bot/features/agenda/store.js';
import { silentLogger } from '../../bot/logger.js';
import { Router } from '../../bot/routing/router.js';
import type { Role } from '../../bot/routing/types.js';
import { VERB_NAMES } from '../../cards/verbs.js';
import { fakeTurn } from '../support/turns.js';

/** A list that must not be touched: refusals and bad card data are answered before any read. */
const untouchable = new Proxy(
  {},
  {
    get() {
      throw new Error('the lists were read');
    },
  },
) as AgendaRepos['Meetings'];
const repos = {
  Meetings: untouchable,
  AgendaItems: untouchable,
  Attendance: untouchable,
} as unknown as AgendaRepos;

const turn = (text: string, role: Role) =>
  fakeTurn({
    text,
    role,
    actor: { id: '29:x', name: 'Someone' },
    where: { conversationId: '19:general@thread.tacv2', type: 'channel', serviceUrl: 'http://127.0.0.1:1' },
    timestamp: new Date('2018-02-12T10:00:00Z'),
    replyId: () => '1',
  });

describe('agenda packs on the router', () => {
  const router = new Router();
  registerAgenda(router, {
    lists: repos,
    logger: silentLogger,
    boardName: 'Board',
    officers: [],
    chairs: [],
  });

  it('handles every declared agenda verb, once', () => {
    const mine = VERB_NAMES.filter((v) => v.startsWith('agenda.'));
    expect(mine).toHaveLength(16);
    expect(
      router
        .verbNames()
        .filter((v) => v.startsWith('agenda.'))
        .sort(),
    ).toEqual([...mine].sort());
  });

  it.each([
    ['agenda new', 'partner', 'Only board officers can create agenda packs.'],
    ['agenda import\n1. Welcome', 'chair', 'Only board officers can create agenda packs.'],
    [
      'agenda supplement M-0001 paper 3: Slides https://example.org/s',
      'partner',
      'Only board officers can publish supplementary papers.',
    ],
    ['agenda decision M-0001 3: RESOLVED: agreed', 'chair', 'Only board officers can record decisions.'],
    ['agenda attendance', 'partner', 'Only board officers and chairs can see the attendance sheet.'],
    ['agenda', 'stranger', 'Only board officers, chairs and partners can read agenda packs.'],
    [
      'agenda changes M-0001 1 2',
      'stranger',
      'Only board officers, chairs and partners can read agenda packs.',
    ],
  ] as const)('"%s" from a %s is refused, saying who can', async (text, role, message) => {
    const t = turn(text, role);
    await router.handleText(t);
    expect(t.sent[0]?.text).toContain(message);
  });

  it('an unknown "agenda …" gets the list of what it can do', async () => {
    const t = turn('agenda frobnicate', 'stranger');
    await router.handleText(t);
    expect(t.sent[0]?.text).toContain('I don\'t know "agenda frobnicate"');
    expect(t.sent[0]?.text).toContain('"agenda new" opens the form');
  });

  it.each([
    ['agenda.publish', { ref: 'M-0001', members: false }, 'partner', 'publish agenda packs'],
    ['agenda.create', { form: 'a'.repeat(24), rows: 8 }, 'chair', 'create agenda packs'],
    ['agenda.supplement', { ref: 'M-0001', form: 'a'.repeat(24) }, 'partner', 'publish supplementary papers'],
    ['agenda.decisions', { ref: 'M-0001' }, 'chair', 'record decisions'],
    ['agenda.sheet', { ref: 'M-0001' }, 'partner', 'see the attendance sheet'],
    ['agenda.attend', { ref: 'M-0001' }, 'stranger', 'answer attendance'],
    ['agenda.show', { ref: 'M-0001' }, 'stranger', 'read agenda packs'],
  ] as const)('%s from a %s is refused before anything is read', async (verb, data, role, what) => {
    const outcome = await router.handleVerb(verb, data, turn('', role));
    expect(outcome).toMatchObject({ kind: 'refused', message: expect.stringContaining(what) });
  });

  it('answers forged or malformed card data with a message, and reads nothing', async () => {
    const forged: [string, unknown][] = [
      ['agenda.attend', { ref: "M-0001' or 1 eq 1" }],
      ['agenda.attend', { ref: 'M-0001', extra: true }],
      ['agenda.publish', { ref: 'M-0001', members: 'yes' }],
      ['agenda.create', { form: 'not hex', rows: 8 }],
      ['agenda.create', { form: 'a'.repeat(24), rows: 8, i99t: 'row beyond the form' }],
      ['agenda.create', { form: 'a'.repeat(24), rows: 8, evil: 'x' }],
      ['agenda.create', { form: 'a'.repeat(24), rows: 500 }],
      ['agenda.decisions', { ref: 'M-0001', 'decision:../../x': 'y' }],
      ['agenda.changes', { ref: 'M-0001', from: 0, to: 2 }],
      ['agenda.items', { ref: 'M-0001', part: -1 }],
      ['agenda.substitute', { ref: 'M-0001', substituteName: 'x'.repeat(400) }],
    ];
    for (const [verb, data] of forged) {
      const outcome = await router.handleVerb(verb, data, turn('', 'officer'));
      expect(outcome, `${verb} ${JSON.stringify(data)}`).toMatchObject({
        kind: 'message',
        message: expect.stringContaining('nothing was changed'),
      });
    }
  });

  it('the form answers "More item rows" without touching the lists', async () => {
    const outcome = await router.handleVerb(
      'agenda.form.rows',
      { form: 'a'.repeat(24), rows: 14, board: 'Board', i1t: 'Welcome' },
      turn('', 'officer'),
    );
    expect(outcome.kind).toBe('card');
    const json = JSON.stringify(outcome.kind === 'card' ? outcome.card : {});
    expect(json).toContain('"id":"i14t"');
    expect(json).toContain('"value":"Welcome"');
  });
});
