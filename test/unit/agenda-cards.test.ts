import { describe, expect, it } from 'vitest';
import { sheetOf } from '../../bot/features/agenda/attendance.js';
import type { LoadedPack } from '../../bot/features/agenda/context.js';
import type { ItemRecord, ItemState } from '../../bot/features/agenda/model.js';
import { PACK_BUDGET_BYTES, renderPack } from '../../bot/features/agenda/render.js';
import {
  countsOf,
  runOnTimes,
  toItemViews,
  toPackView,
  viewerFor,
  whenText,
} from '../../bot/features/agenda/views.js';
import { CARD_BUDGET_BYTES, cardBytes } from '../../cards/adaptive.js';
import { packCard, packSummaryCard, type PackView } from '../../cards/agenda.js';
import { decisionsFormCard } from '../../cards/agenda-decisions.js';
import { emptyRow, packFormCard } from '../../cards/agenda-form.js';
import { AGENDA_FORM_MAX_ROWS } from '../../cards/agenda-verbs.js';
import { executeActions, textBlocks } from '../support/cards.js';
import { valid } from '../support/card-asserts.js';
import { cardLines } from '../support/agenda-activities.js';
import { entries } from '../fixtures/gallery/agenda.js';
import { BOARD, ITEMS, TIMES } from '../fixtures/agenda-seed.js';

const STARTS = '2018-02-26T10:00:00.000Z';

const hostile: ItemState = {
  number: '3',
  title: 'Strategy *review* [click](https://evil.example)',
  presenter: '**Tim** Shields',
  minutes: 30,
  purpose: 'For discussion',
  papers: [{ title: 'Draft _strategy_', url: 'https://example.org/d.pdf' }],
  details: '# Not a heading',
};

function view(items: ItemState[], extra: Partial<PackView> = {}): PackView {
  return {
    ref: 'M-0001',
    board: '*Community* Strategy Partnership Board',
    status: 'Published',
    version: 1,
    when: whenText(STARTS, items),
    venue: 'Room [102](https://evil.example)',
    chair: CHAIR_MD,
    supplements: [],
    items: toItemViews(STARTS, items),
    counts: { attending: 1, apologies: 1, substitutes: 1, notAnswered: 2 },
    started: false,
    ...extra,
  };
}
const CHAIR_MD = '_Mayor_ Philip Glanville';

describe('the pack card', () => {
  it('shows times that run on from the start, and typed text never as markdown', () => {
    const card = valid(packCard(view(ITEMS), { role: 'member' }));
    const lines = cardLines(card);
    ITEMS.forEach((item, i) =>
      expect(lines).toContain(`${TIMES[i]} · ${item.minutes} minutes · ${item.presenter}`),
    );
    expect(lines).toContain('Attending 1 · Apologies 2 (1 sending a substitute) · Not answered 2');
    const typed = valid(
      packCard(view([hostile]), {
        role: 'member',
        answer: { response: 'Substitute', substituteName: '*Rory*' },
      }),
    );
    const blocks = textBlocks(typed).join('\n');
    for (const fragment of ['review', 'Tim', 'evil', 'Not a heading', 'Mayor', 'Community', 'Rory'])
      expect(blocks).not.toContain(fragment);
    expect(cardLines(typed)).toContain('3. Strategy *review* [click](https://evil.example)');
  });

  it('gives members attendance buttons until the meeting starts, and officers their own', () => {
    const member = packCard(view(ITEMS), { role: 'member' });
    expect(executeActions(member).map((a) => a.verb)).toEqual([
      'agenda.attend',
      'agenda.apologies',
      'agenda.substitute',
    ]);
    const started = packCard(view(ITEMS, { started: true }), { role: 'member' });
    expect(executeActions(started)).toEqual([]);
    expect(cardLines(started)).toContain('attendance can no longer be changed');
    const officer = packCard(
      view(ITEMS, { version: 2 }),
      { role: 'officer' },
      { supplementKey: 'e'.repeat(24) },
    );
    expect(executeActions(officer).map((a) => a.verb)).toEqual([
      'agenda.sheet',
      'agenda.supplement',
      'agenda.decisions.form',
      'agenda.publish',
      'agenda.changes',
    ]);
    const draft = packCard(view(ITEMS, { status: 'Draft', version: 0 }), { role: 'officer' });
    expect(executeActions(draft).map((a) => `${a.verb}:${a.title}`)).toEqual([
      'agenda.publish:Publish to this channel',
      'agenda.publish:Publish and send to each member',
      'agenda.edit:Edit',
      'agenda.discard:Discard',
    ]);
  });

  it('runs times on only while each item has its minutes', () => {
    expect(runOnTimes(new Date(STARTS), [{ minutes: 5 }, {}, { minutes: 10 }])).toEqual([
      '10:00',
      '10:05',
      undefined,
    ]);
    expect(whenText(STARTS, [{ minutes: 5 }, {}])).toBe('Monday 26 February 2018, 10:00');
  });
});

describe('a long pack', () => {
  const longest: ItemState[] = Array.from({ length: 100 }, (_, n) => ({
    number: String(n + 1),
    title: `${'Long title of a partnership report '.repeat(7)}`.slice(0, 255),
    presenter: 'Stephen Haynes, Director of Strategy, Policy and Economic Development',
    minutes: 5,
    purpose: 'To note',
    papers: Array.from({ length: 5 }, (_, p) => ({
      title: `Appendix ${p + 1} to the report`,
      url: `https://example.org/hackney/${n}/${p}-${'x'.repeat(150)}.pdf`,
    })),
    details: 'Notes. '.repeat(600),
  }));

  it('becomes a summary card and item cards, every one valid and under 40 KB', () => {
    const rendered = renderPack(view(longest), { role: 'member' }, { inThread: true });
    expect(rendered.parts.length).toBeGreaterThan(3);
    for (const card of [rendered.main, ...rendered.parts]) {
      valid(card);
      expect(cardBytes(card)).toBeLessThanOrEqual(PACK_BUDGET_BYTES);
    }
    expect(cardLines(rendered.main)).toContain('100 items');
    expect(rendered.partViews.map((p) => p.from)[0]).toBe('1');
    expect(rendered.partViews.at(-1)?.to).toBe('100');
    // Every item is on exactly one item card.
    const numbers = rendered.parts.flatMap((c) =>
      [...cardLines(c).matchAll(/^(\d+)\. Long title/gm)].map((m) => m[1]),
    );
    expect(numbers).toEqual(longest.map((i) => i.number));
  });

  it('sent personally, the summary opens the item cards with buttons', () => {
    const rendered = renderPack(view(longest), { role: 'member', personal: true });
    // As many as a host shows in one action set (five); the rest are reached part to part.
    expect(rendered.parts.length).toBeGreaterThan(5);
    expect(
      executeActions(valid(rendered.main))
        .filter((a) => a.verb === 'agenda.items')
        .map((a) => a.data?.part),
    ).toEqual([1, 2, 3, 4, 5]);
    expect(executeActions(rendered.parts[0]).map((a) => a.title)).toEqual(['Back to the pack', 'Next items']);
  });

  it('each item card leads to its neighbours, so every part is reachable however many there are', () => {
    const rendered = renderPack(view(longest), { role: 'member', personal: true });
    const count = rendered.parts.length;
    rendered.parts.forEach((part, i) => {
      const nav = executeActions(part).filter((a) => a.verb === 'agenda.items');
      const expected = [
        ...(i > 0 ? [{ title: 'Previous items', part: i }] : []),
        ...(i < count - 1 ? [{ title: 'Next items', part: i + 2 }] : []),
      ];
      expect(nav.map((a) => ({ title: a.title, part: a.data?.part }))).toEqual(expected);
    });
  });

  it('a pack of more than 5 parts links the first 5 (all a host shows) and says how to reach the rest', () => {
    const vm = view(longest);
    const parts = Array.from({ length: 25 }, (_, i) => ({
      index: i + 1,
      count: 25,
      from: String(4 * i + 1),
      to: String(4 * i + 4),
    }));
    const summary = valid(
      packSummaryCard(vm, { role: 'member', personal: true }, parts, { showParts: true }),
    );
    expect(executeActions(summary).filter((a) => a.verb === 'agenda.items')).toHaveLength(5);
    expect(cardLines(summary)).toContain(
      'The items after 20 are reached with Next items on the last of these.',
    );
  });

  it('a short pack stays one card', () => {
    expect(renderPack(view(ITEMS), { role: 'member' }).parts).toEqual([]);
  });
});

describe('forms at their largest', () => {
  it('the pack form with every row filled stays under 40 KB', () => {
    const rows = Array.from({ length: AGENDA_FORM_MAX_ROWS }, (_, i) => ({
      ...emptyRow(i + 1),
      title: 'x'.repeat(255),
      presenter: 'y'.repeat(120),
      papers: `Report https://example.org/${'z'.repeat(200)}`,
    }));
    const card = valid(
      packFormCard({
        mode: 'card',
        key: 'f'.repeat(24),
        board: BOARD,
        date: '',
        time: '',
        venue: '',
        online: '',
        chair: '',
        rows,
      }),
    );
    expect(cardBytes(card)).toBeLessThan(CARD_BUDGET_BYTES);
    expect(executeActions(card).map((a) => a.verb)).toEqual(['agenda.create']);
  });

  it('the decisions form leaves long decisions on the list when they would not fit', () => {
    const items = Array.from({ length: 60 }, (_, i) => ({
      number: String(i + 1),
      title: `Item ${i + 1}`,
      decision: 'RESOLVED: '.repeat(300),
    }));
    const card = valid(decisionsFormCard({ ref: 'M-0001', board: BOARD, when: 'Monday', items }));
    expect(cardBytes(card)).toBeLessThan(CARD_BUDGET_BYTES);
    expect(JSON.stringify(card)).toContain('A decision is recorded: type to replace it');
  });
});

describe('the attendance sheet', () => {
  const record = (number: string): ItemRecord => ({
    id: number,
    etag: '',
    meetingRef: 'M-0001',
    key: '',
    number,
    title: 'x',
    sequence: 1,
    papers: [],
    withdrawn: false,
    history: [],
  });
  const pack: LoadedPack = {
    meeting: {
      id: '1',
      etag: '',
      ref: 'M-0001',
      title: '',
      board: BOARD,
      startsAt: STARTS,
      status: 'Published',
      version: 1,
      versions: [],
      invited: [
        { id: 'aad-jim', name: 'Jim Gamble' },
        { id: 'aad-guest', name: 'Simon Laurence' },
      ],
      sourceKey: 'k',
    },
    items: [record('1')],
    answers: [
      {
        id: '1',
        etag: '',
        meetingRef: 'M-0001',
        memberId: 'aad-jim',
        name: 'Jim Gamble',
        response: 'Substitute',
        substituteName: 'Rory McCallum',
        substituteOrganisation: "Children's Safeguarding Board",
      },
      {
        id: '2',
        etag: '',
        meetingRef: 'M-0001',
        memberId: 'aad-sonia',
        name: 'Sonia Khan',
        response: 'Attending',
      },
      {
        id: '3',
        etag: '',
        meetingRef: 'M-0001',
        memberId: 'aad-late',
        name: 'Late Answerer',
        response: 'Apologies',
      },
    ],
  };
  const ctx = { officers: new Set(['aad-sonia']), chairs: new Set(['aad-mayor']) };

  it('lists the roster, those invited and those who answered: chair first, officers as advisers', () => {
    const sheet = sheetOf(ctx, pack, [
      { id: '29:jake', aadObjectId: 'aad-jake', name: 'Jake Ferguson' },
      { id: '29:mayor', aadObjectId: 'AAD-MAYOR', name: 'Mayor Philip Glanville' },
      { id: '29:sonia', aadObjectId: 'aad-sonia', name: 'Sonia Khan' },
    ]);
    expect(sheet.rows.map((r) => [r.label ?? '', r.member, r.expected, r.onBehalf ?? ''])).toEqual([
      ['Chair', 'Mayor Philip Glanville', 'No answer yet', ''],
      ['', 'Jake Ferguson', 'No answer yet', ''],
      ['', 'Jim Gamble', 'Apologies', "Rory McCallum, Children's Safeguarding Board"],
      ['', 'Simon Laurence', 'No answer yet', ''],
      ['', 'Late Answerer', 'Apologies', ''],
    ]);
    expect(sheet.advisers).toEqual([{ member: 'Sonia Khan', expected: 'Attending' }]);
    expect(sheet.counts).toEqual({ attending: 0, apologies: 1, substitutes: 1, notAnswered: 3 });
  });

  it('pages a large board', () => {
    const roster = Array.from({ length: 95 }, (_, i) => ({
      id: `29:${i}`,
      aadObjectId: `aad-${i}`,
      name: `Member ${i}`,
    }));
    const page3 = sheetOf(ctx, pack, roster, 3);
    expect(page3).toMatchObject({ page: 3, pages: 3, total: 98 });
    expect(page3.rows).toHaveLength(18);
    expect(sheetOf(ctx, pack, roster, 99).page).toBe(3);
  });

  it('counts and viewers from records', () => {
    expect(countsOf(pack.answers, [])).toEqual({ attending: 1, apologies: 1, substitutes: 1 });
    expect(viewerFor('officer', pack.answers[0])).toEqual({ role: 'officer' });
    expect(viewerFor('partner', pack.answers[0]).answer?.substituteName).toBe('Rory McCallum');
    const v = toPackView(pack.meeting, [], new Date('2018-02-26T10:00:00Z'));
    expect(v.started).toBe(true);
  });
});

describe('card gallery snapshots (test/fixtures/agenda-cards)', () => {
  it.each(entries.map((e) => [e.id, e] as const))('%s', async (id, entry) => {
    const card = valid(entry.card);
    await expect(`${JSON.stringify(card, null, 2)}\n`).toMatchFileSnapshot(
      `../fixtures/agenda-cards/${id}.json`,
    );
  });
});
