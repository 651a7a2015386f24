import { describe, expect, it } from 'vitest';
import { cardBytes } from '../../cards/adaptive.js';
import {
  chairDigestCard,
  DIGEST_ITEMS_MAX,
  ownerReminderCard,
  type ReminderItem,
} from '../../cards/reminders.js';
import type { ActionRecord } from '../../bot/features/actions/model.js';
import {
  namesById,
  notReminded,
  ownerNudges,
  remindOwners,
  sendDigest,
  toReminderItem,
  type RemindersDeps,
} from '../../bot/features/actions/reminders.js';
import type { FanOutReport, FanOutRequest } from '../../bot/messaging/index.js';
import { silentLogger } from '../../bot/logger.js';
import { cardText, executeActions, textBlocks } from '../support/cards.js';
import { valid } from '../support/card-asserts.js';

const action = (ref: string, extra: Partial<ActionRecord> = {}): ActionRecord => ({
  id: ref,
  etag: '"1"',
  ref,
  title: `Action ${ref}`,
  details: '',
  owners: ['Sonia Khan'],
  ownerIds: ['aad-sonia-khan'],
  tentative: false,
  status: 'Open',
  dueDate: '2018-03-01',
  ...extra,
});

describe('who is nudged about what', () => {
  it('groups each owner’s actions into one nudge, ids compared without case', () => {
    const nudges = ownerNudges(
      [action('A-0002', { dueDate: '2018-03-02' }), action('A-0001', { ownerIds: ['AAD-Sonia-Khan'] })],
      [
        action('A-0003', {
          dueDate: '2018-03-07',
          owners: ['Sonia Khan', 'Jake Ferguson'],
          ownerIds: ['aad-sonia-khan', 'aad-jake-ferguson'],
        }),
      ],
    );
    expect(
      nudges.map((n) => [n.ownerId, n.name, n.overdue.map((a) => a.ref), n.dueSoon.map((a) => a.ref)]),
    ).toEqual([
      ['aad-jake-ferguson', 'Jake Ferguson', [], ['A-0003']],
      ['aad-sonia-khan', 'Sonia Khan', ['A-0001', 'A-0002'], ['A-0003']],
    ]);
  });

  it('leaves out actions with no owner ids, which the digest lists instead', () => {
    expect(ownerNudges([action('A-0001', { owners: ['Policy Team'], ownerIds: [] })], [])).toEqual([]);
  });

  it('pairs names with ids only when every owner has an id', () => {
    expect(namesById(action('A-1', { owners: ['A', 'B'], ownerIds: ['x', 'y'] }))).toEqual(
      new Map([
        ['x', 'A'],
        ['y', 'B'],
      ]),
    );
    expect(namesById(action('A-1', { owners: ['A', 'Policy Team'], ownerIds: ['x'] })).size).toBe(0);
  });
});

describe('who the digest says was not reminded', () => {
  const chats =
    (...ids: string[]) =>
    async (id: string) =>
      ids.includes(id);

  it('names owners with no Teams account on record', async () => {
    const a = action('A-0001', { owners: ['Policy Team', 'Cllr Rennison'], ownerIds: [] });
    expect((await notReminded(a, chats()))?.who).toBe(
      'Policy Team and Cllr Rennison (no Teams account on record)',
    );
  });

  it('names owners with no chat with the bot, when it can tell which they are', async () => {
    const a = action('A-0002', {
      owners: ['Sonia Khan', 'Jake Ferguson'],
      ownerIds: ['aad-sonia', 'aad-jake'],
    });
    expect((await notReminded(a, chats('aad-sonia')))?.who).toBe('Jake Ferguson (no chat with the bot)');
    expect(await notReminded(a, chats('aad-sonia', 'aad-jake'))).toBeUndefined();
  });

  it('counts the ones it cannot name', async () => {
    const a = action('A-0003', { owners: ['Sonia Khan', 'Policy Team'], ownerIds: ['aad-sonia'] });
    expect((await notReminded(a, chats('aad-sonia')))?.who).toBe('one owner (no Teams account on record)');
    expect((await notReminded(a, chats()))?.who).toBe(
      '1 of the owners (no chat with the bot); one owner (no Teams account on record)',
    );
  });
});

describe('reminder jobs', () => {
  function deps(overdue: ActionRecord[], dueSoon: ActionRecord[], chairs = ['aad-chair']) {
    const requests: FanOutRequest[] = [];
    const asked: string[][] = [];
    const d: RemindersDeps = {
      store: {
        overdue: async () => overdue,
        dueBetween: async (from, to) => {
          asked.push([from, to]);
          return dueSoon;
        },
      },
      fanOut: async (request) => {
        requests.push(request);
        return { total: request.recipients.length, sent: request.recipients.length } as FanOutReport;
      },
      conversations: { personalFor: async () => undefined },
      chairs,
      boardName: 'Community Strategy Partnership Board',
      logger: silentLogger,
    };
    return { d, requests, asked };
  }

  it('asks for actions due in two days and keys the day’s campaign by London date', async () => {
    const s = deps([action('A-0001')], [action('A-0002', { dueDate: '2018-03-07' })]);
    const summary = await remindOwners(s.d, '2018-03-05');
    expect(s.asked).toEqual([['2018-03-07', '2018-03-07']]);
    expect(s.requests.map((r) => [r.campaign, r.recipients])).toEqual([
      ['action-reminders:2018-03-05', [{ kind: 'user', aadObjectId: 'aad-sonia-khan', name: 'Sonia Khan' }]],
    ]);
    const message = await s.requests[0]!.message(s.requests[0]!.recipients[0]!);
    expect(cardText(message.card)).toContain('A-0001');
    expect(cardText(message.card)).toContain('A-0002');
    expect(summary).toMatchObject({ owners: 1, sent: 1 });
  });

  it('sends nothing when nothing is due', async () => {
    const s = deps([], []);
    expect(await remindOwners(s.d, '2018-03-05')).toMatchObject({ owners: 0 });
    expect(s.requests).toEqual([]);
  });

  it('sends the digest to chairs by object id only, and says who was not reminded', async () => {
    const s = deps(
      [action('A-0001', { owners: ['Policy Team'], ownerIds: [] })],
      [],
      ['aad-chair', 'chair@council.example'],
    );
    const summary = await sendDigest(s.d, '2018-03-05', '2018-03-05');
    expect(s.asked).toEqual([['2018-03-05', '2018-03-11']]);
    expect(s.requests[0]?.campaign).toBe('actions-digest:2018-03-05');
    expect(s.requests[0]?.recipients).toEqual([{ kind: 'user', aadObjectId: 'aad-chair' }]);
    const text = cardText((await s.requests[0]!.message(s.requests[0]!.recipients[0]!)).card);
    expect(text).toContain('Not reminded in Teams');
    expect(text).toContain('Policy Team (no Teams account on record)');
    expect(summary).toMatchObject({ chairs: 1, overdue: 1, notReminded: 1 });
  });
});

describe('reminder cards', () => {
  const item = (ref: string, extra: Partial<ReminderItem> = {}): ReminderItem => ({
    ref,
    text: 'Share the *draft* with [partners](https://evil.example)',
    owners: ["Dara O'Brien"],
    dueLabel: 'Thursday 1 March 2018',
    tentative: false,
    ...extra,
  });

  it('the owner’s nudge lists overdue and due-soon actions with Done and Open, typed text as written', () => {
    const card = valid(
      ownerReminderCard({
        boardName: 'Community Strategy Partnership Board',
        overdue: [item('A-0001', { daysOverdue: 4 })],
        dueSoon: [item('A-0002', { dueLabel: 'Wednesday 7 March 2018', tentative: true })],
      }),
    );
    const text = cardText(card);
    for (const part of [
      '1 action overdue and 1 action due in two days',
      'Overdue by 4 days',
      'A-0002',
      'tentative',
    ])
      expect(text).toContain(part);
    expect(executeActions(card).map((a) => `${a.verb}:${a.title}:${String(a.data?.ref)}`)).toEqual([
      'actions.done:Done:A-0001',
      'actions.show:Open:A-0001',
      'actions.done:Done:A-0002',
      'actions.show:Open:A-0002',
    ]);
    expect(textBlocks(card).join('\n')).not.toContain('draft');
  });

  it('the chairs’ digest counts, lists and links to the full lists', () => {
    const card = valid(
      chairDigestCard({
        boardName: 'Community Strategy Partnership Board',
        weekOf: 'Monday 5 March 2018',
        overdue: [item('A-0001', { daysOverdue: 4 })],
        dueThisWeek: [item('A-0002')],
        notReminded: [
          { ref: 'A-0001', text: 'Share the draft', who: 'Policy Team (no Teams account on record)' },
        ],
      }),
    );
    const text = cardText(card);
    for (const part of ['Actions this week', 'week of Monday 5 March 2018', "Dara O'Brien", 'Policy Team'])
      expect(text).toContain(part);
    expect(executeActions(card).map((a) => a.verb)).toEqual(['actions.more', 'actions.more']);
    expect(textBlocks(card).join('\n')).not.toContain("O'Brien");
  });

  it('an empty week says so', () => {
    const card = valid(
      chairDigestCard({
        boardName: 'B',
        weekOf: 'Monday 5 March 2018',
        overdue: [],
        dueThisWeek: [],
        notReminded: [],
      }),
    );
    expect(cardText(card)).toContain('Nothing is overdue and nothing falls due this week.');
  });

  it('a long digest stays under the 40 KB budget and says how many more there are', () => {
    const many = Array.from({ length: 300 }, (_, i) =>
      item(`A-${String(i + 1).padStart(4, '0')}`, { text: 'x'.repeat(4000) }),
    );
    const card = valid(
      chairDigestCard({
        boardName: 'B',
        weekOf: 'Monday 5 March 2018',
        overdue: many,
        dueThisWeek: many,
        notReminded: many.map((m) => ({ ref: m.ref, text: m.text, who: 'Policy Team' })),
      }),
    );
    expect(cardBytes(card)).toBeLessThan(40 * 1024);
    expect(cardText(card)).toContain(`…and ${300 - DIGEST_ITEMS_MAX} more.`);
  });

  it('turns an action record into an item with days overdue', () => {
    expect(
      toReminderItem(action('A-0001', { dueDate: '2018-03-01', tentative: true }), '2018-03-05'),
    ).toEqual({
      ref: 'A-0001',
      text: 'Action A-0001',
      owners: ['Sonia Khan'],
      dueLabel: 'Thursday 1 March 2018',
      tentative: true,
      daysOverdue: 4,
    });
  });
});
