import { describe, expect, it } from 'vitest';
import { actionCard, actionsListCard, loggedCard, type ActionView } from '../../cards/actions.js';
import { logDialogCard } from '../../cards/actions-dialogs.js';
import { importCancelledCard, importPreviewCard, importResultCard } from '../../cards/actions-import.js';
import { cardBytes, type AdaptiveCard } from '../../cards/adaptive.js';
import { cardText, executeActions } from '../support/cards.js';
import { valid } from '../support/card-asserts.js';

const view: ActionView = {
  ref: 'A-0042',
  text: 'Share the *procurement* strategy with [partners](https://evil.example)',
  owners: ['Sonia Khan', "Dara O'Brien"],
  due: { label: 'Saturday 30 June 2018', iso: '2018-06-30', text: 'end of June (TBC)', tentative: true },
  overdue: true,
  status: 'In progress',
  meeting: 'M-0007',
  history: ['1 Mar 2018 10:00, Sonia Khan: started it (In progress)'],
};
const everything = { update: true, editOrUndo: true };
const nothing = { update: false, editOrUndo: false };

/** TextBlocks render markdown, so anything a person typed must only appear in TextRuns. */
function textBlocks(node: unknown): string[] {
  const found: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (o.type === 'TextBlock' && typeof o.text === 'string') found.push(o.text);
    if (o.type === 'FactSet') found.push(JSON.stringify(o.facts));
    Object.values(o).forEach(walk);
  };
  walk(node);
  return found;
}

const verbs = (card: AdaptiveCard) => executeActions(card).map((a) => `${a.verb}:${a.title}`);

describe('the logged card', () => {
  it('shows what was understood, with Edit and Undo, and typed text never as markdown', () => {
    const card = valid(loggedCard({ action: view, caps: everything }));
    const text = cardText(card);
    for (const part of [
      'Action logged: A-0042',
      "Sonia Khan; Dara O'Brien",
      'Saturday 30 June 2018',
      'end of June (TBC)',
      'tentative',
      'In progress',
      'M-0007',
      'Overdue',
    ])
      expect(text).toContain(part);
    expect(textBlocks(card).join('\n')).not.toContain('procurement');
    expect(textBlocks(card).join('\n')).not.toContain("O'Brien");
    expect(verbs(card)).toEqual(['actions.edit:Save', 'actions.undo:Undo']);
    expect(JSON.stringify(card)).toContain('"title":"Edit"');
  });
  it('has no buttons for someone who may not change it, and says when it was already logged', () => {
    expect(executeActions(valid(loggedCard({ action: view, caps: nothing })))).toEqual([]);
    expect(cardText(valid(loggedCard({ action: view, caps: everything, already: true })))).toContain(
      'Already logged as A-0042',
    );
  });
});

describe('the action card', () => {
  it('gives an owner every update, and shows Overdue as a word', () => {
    const card = valid(
      actionCard({ action: view, caps: everything, back: { scope: 'all', view: 'overdue' } }),
    );
    expect(verbs(card).sort()).toEqual([
      'actions.done:Done',
      'actions.drop:Drop action',
      'actions.due:Save due date',
      'actions.more:Back to the list',
      'actions.note:Add note',
      'actions.reassign:Reassign',
    ]);
    expect(cardText(card)).toContain('Overdue');
    expect(card.actions?.length).toBeLessThanOrEqual(5);
  });
  it('offers Start on an open action and Reopen on a done one', () => {
    expect(verbs(valid(actionCard({ action: { ...view, status: 'Open' }, caps: everything })))).toContain(
      'actions.start:Start',
    );
    const done = verbs(
      valid(actionCard({ action: { ...view, status: 'Done', overdue: false }, caps: everything })),
    );
    expect(done).toContain('actions.start:Reopen');
    expect(done).not.toContain('actions.done:Done');
  });
  it('shows no update buttons to someone else, and says who can', () => {
    const card = valid(actionCard({ action: view, caps: nothing }));
    expect(executeActions(card)).toEqual([]);
    expect(cardText(card)).toContain("Only the action's owners");
  });
  it('stays under 40 KB with a 10 KB action', () => {
    const card = valid(actionCard({ action: { ...view, text: 'x'.repeat(10_000) }, caps: everything }));
    expect(cardBytes(card)).toBeLessThan(40 * 1024);
  });
});

describe('the list card', () => {
  const items = Array.from({ length: 10 }, (_, i) => ({
    action: {
      ...view,
      ref: `A-00${10 + i}`,
      text: `Action ${i} ${'long words '.repeat(60)}`,
      status: i % 2 ? ('Open' as const) : ('In progress' as const),
    },
    caps: i < 5 ? everything : nothing,
  }));
  it('shows counts, ten actions with owner, due and status, the right buttons, and More', () => {
    const card = valid(
      actionsListCard({
        heading: 'Open actions',
        query: { scope: 'all', view: 'open' },
        counts: { open: 34, overdue: 3, dueThisWeek: 2, doneLast30Days: 5 },
        items,
        total: 34,
        from: 1,
        after: '2018-06-30|0000019',
        empty: 'No open actions.',
      }),
    );
    const text = cardText(card);
    for (const part of [
      '34',
      'Overdue',
      'Due this week',
      'Done in the last 30 days',
      '1–10 of 34, by due date',
      'A-0019',
      'Owners:',
    ])
      expect(text).toContain(part);
    const all = verbs(card);
    expect(all.filter((v) => v === 'actions.done:Done')).toHaveLength(5);
    expect(all.filter((v) => v === 'actions.show:Open')).toHaveLength(10);
    expect(all.at(-1)).toBe('actions.more:More');
    expect(cardBytes(card)).toBeLessThan(40 * 1024);
  });
  it('says so when nothing matches, without More', () => {
    const card = valid(
      actionsListCard({
        heading: 'Overdue actions',
        query: { scope: 'all', view: 'overdue' },
        counts: { open: 0, overdue: 0, dueThisWeek: 0, doneLast30Days: 0 },
        items: [],
        total: 0,
        from: 1,
        empty: 'Nothing is overdue.',
      }),
    );
    expect(cardText(card)).toContain('Nothing is overdue.');
    expect(verbs(card)).toEqual([]);
  });
});

describe('import cards', () => {
  const rows = Array.from({ length: 200 }, (_, i) => ({
    line: i + 1,
    text: `Action ${i} ${'with a long description '.repeat(10)}`,
    owners: ['Sonia Khan'],
    due: { label: 'Saturday 30 June 2018', text: 'end of June', tentative: false },
  }));
  it('previews up to 200 rows within 40 KB, with Confirm and Cancel', () => {
    const card = valid(
      importPreviewCard({
        rows,
        skipped: [{ line: 3, text: 'x — y — 31/02/2019', why: 'not a real date' }],
        confirm: { importKey: 'a'.repeat(24), at: '2018-02-26T10:00:00.000Z', text: 'x'.repeat(20_000) },
      }),
    );
    expect(cardText(card)).toContain('Import 200 actions?');
    expect(cardText(card)).toContain('Line 3');
    expect(verbs(card)).toEqual(['actions.import:Confirm (200)', 'actions.import.cancel:Cancel']);
  });
  it('reports what was created, what was there already and what failed', () => {
    const card = valid(
      importResultCard({
        created: [{ ref: 'A-0043', text: 'One' }],
        already: [{ ref: 'A-0040', text: 'Two' }],
        failed: 2,
        retry: { importKey: 'b'.repeat(24), at: '2018-02-26T10:00:00.000Z', text: 'One\nTwo' },
      }),
    );
    expect(cardText(card)).toContain('Imported 1 action');
    expect(cardText(card)).toContain('NOT saved');
    expect(verbs(card)).toEqual(['actions.import:Confirm again']);
    expect(cardText(valid(importCancelledCard()))).toContain('Nothing was saved');
    expect(
      cardText(
        valid(
          importPreviewCard({
            rows: [],
            skipped: [],
            confirm: { importKey: 'c'.repeat(24), at: '2018-02-26T10:00:00.000Z', text: 'x' },
          }),
        ),
      ),
    ).toContain('Nothing to import');
  });
});

describe('the Log as action dialog', () => {
  it('is prefilled and submits the message link and key', () => {
    const card = valid(
      logDialogCard({
        text: 'Sonia to send the papers',
        owners: ['Sonia Khan'],
        dueDate: '2018-06-30',
        tentative: false,
        messageKey: 'd'.repeat(24),
        sourceUrl: 'https://teams.example/l/message/1',
      }),
    );
    const json = JSON.stringify(card);
    expect(json).toContain('"type":"Action.Submit"');
    expect(json).toContain('"sourceUrl":"https://teams.example/l/message/1"');
    expect(json).toContain('"value":"2018-06-30"');
  });
});

describe('card gallery snapshots (test/fixtures/actions-cards)', () => {
  const calm: ActionView = {
    ref: 'A-0042',
    text: 'LBH Policy Team to use all feedback on the strategy in the development of final version',
    owners: ['Sonia Khan', 'Rachel Duke'],
    due: { label: 'Saturday 30 June 2018', iso: '2018-06-30', text: 'end of June 2018', tentative: false },
    overdue: false,
    status: 'Open',
    meeting: 'M-0007',
    history: ['26 Feb 2018 10:00, Jake Ferguson: logged it from chat'],
  };
  const cards: Record<string, AdaptiveCard> = {
    logged: loggedCard({ action: calm, caps: everything }),
    action: actionCard({ action: view, caps: everything, notice: 'Note added to A-0042.' }),
    'action-read-only': actionCard({ action: calm, caps: nothing }),
    list: actionsListCard({
      heading: 'Overdue actions',
      query: { scope: 'all', view: 'overdue' },
      counts: { open: 12, overdue: 2, dueThisWeek: 1, doneLast30Days: 4 },
      items: [
        {
          action: {
            ...calm,
            overdue: true,
            due: { label: 'Monday 12 March 2018', iso: '2018-03-12', tentative: false },
          },
          caps: everything,
        },
        { action: { ...view, ref: 'A-0043' }, caps: nothing },
      ],
      total: 2,
      from: 1,
      empty: 'Nothing is overdue.',
    }),
    'import-preview': importPreviewCard({
      rows: [
        {
          line: 1,
          text: calm.text,
          owners: calm.owners,
          due: { label: 'Saturday 30 June 2018', text: 'end of June 2018', tentative: false },
        },
      ],
      skipped: [{ line: 2, text: 'Report back — Jake — 31/02/2019', why: 'there is no 31 February in 2019' }],
      confirm: { importKey: 'f'.repeat(24), at: '2018-02-26T10:00:00.000Z', text: 'pasted' },
    }),
    'log-dialog': logDialogCard({
      text: calm.text,
      owners: calm.owners,
      dueDate: '2018-06-30',
      dueText: 'end of June 2018',
      tentative: false,
      messageKey: 'f'.repeat(24),
    }),
  };
  it.each(Object.keys(cards))('%s', async (name) => {
    const card = valid(cards[name]!);
    await expect(`${JSON.stringify(card, null, 2)}\n`).toMatchFileSnapshot(
      `../fixtures/actions-cards/${name}.json`,
    );
  });
});
