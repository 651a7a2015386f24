import { describe, expect, it } from 'vitest';
import { importPreviewCard, importResultCard, type ImportPreviewView } from '../../cards/actions-import.js';
import { cardBytes, CARD_BUDGET_BYTES } from '../../cards/adaptive.js';
import { pack } from '../../bot/features/actions/import-preview.js';
import { seededRandom } from '../../infra/local/faults.js';
import { cardProblems, cardText, executeActions } from '../support/cards.js';

/** Text that compresses as badly as a pasted log ever will: random words. */
function noisyText(chars: number): string {
  const random = seededRandom(7);
  let out = '';
  while (out.length < chars) {
    const len = 2 + Math.floor(random() * 9);
    out += Array.from({ length: len }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join('');
    out += random() < 0.1 ? '\n' : random() < 0.2 ? '\t' : ' ';
  }
  return out.slice(0, chars);
}

const COLUMN_CHOICES = ['ref', 'raised', 'action', 'owner', 'due', 'status', 'notes', 'ignore'].map((k) => ({
  value: k,
  title: k,
}));

function bigLog(text: string): ImportPreviewView {
  return {
    kind: 'log',
    columns: Array.from({ length: 12 }, (_, i) => ({
      index: i,
      header: `Column heading ${i}`,
      kind: 'notes',
    })),
    columnChoices: COLUMN_CHOICES,
    ambiguous: ['SK', 'KD', 'MM'].map((initials) => ({
      initials,
      candidates: [
        { id: `aad-${initials}-1`, name: `${initials} One` },
        { id: `aad-${initials}-2`, name: `${initials} Two` },
      ],
    })),
    rows: Array.from({ length: 200 }, (_, i) => ({
      n: i + 1,
      line: i + 2,
      ref: String(i + 1),
      text: `Action ${i} ${'with a long description '.repeat(10)}`,
      owners: ['Sonia Khan', 'Rachel Duke'],
      due: { label: 'Saturday 30 June 2018', text: 'end of June', tentative: false },
      status: 'In progress',
      statusNote: 'Red: at risk',
      notes: 'An update '.repeat(20),
    })),
    skipped: Array.from({ length: 30 }, (_, i) => ({
      line: 300 + i,
      text: 'x'.repeat(200),
      why: 'no action in the action column',
    })),
    confirm: { importKey: 'a'.repeat(24), at: '2018-02-26T10:00:00.000Z', packed: pack(text), cols: 'notes' },
  };
}

describe('the import preview card', () => {
  it('stays a valid card under 40 KB for the largest import, keeping Confirm', () => {
    for (const text of ['Ref\tAction\n'.repeat(1500).slice(0, 24_000), noisyText(24_000)]) {
      const card = importPreviewCard(bigLog(text));
      expect(cardProblems(card)).toEqual([]);
      expect(cardBytes(card)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
      expect(executeActions(card).map((a) => a.verb)).toContain('actions.import');
    }
  });

  it('offers the columns, the initials to choose and Read again, all sent with Confirm', () => {
    const vm = bigLog('Ref\tAction\n1\tBook the room');
    const card = importPreviewCard({ ...vm, rows: vm.rows.slice(0, 2), skipped: [] });
    expect(cardProblems(card)).toEqual([]);
    const inputs = JSON.stringify(card.body);
    expect(inputs).toContain('"id":"col_11"');
    expect(inputs).toContain('"id":"who_SK"');
    const buttons = executeActions(card);
    expect(buttons.map((b) => [b.verb, b.title])).toEqual([
      ['actions.import.read', 'Read again'],
      ['actions.import', 'Confirm (2)'],
      ['actions.import.cancel', 'Cancel'],
    ]);
    expect(cardText(card)).toContain(
      'Owner: Sonia Khan; Rachel Duke · Due: Saturday 30 June 2018 (end of June) · Status: In progress (Red: at risk)',
    );
  });

  it('for minutes: a tick per action, the apologies and where they will be recorded', () => {
    const card = importPreviewCard({
      kind: 'minutes',
      meeting: 'M-0007, Monday 26 February 2018',
      rows: [
        { n: 1, line: 3, ref: '2.3', text: 'KD to book the venue', owners: ['Karen Dunn'], status: 'Open' },
        {
          n: 2,
          line: 4,
          ref: '2.4',
          text: 'An update be brought back to the next meeting',
          owners: [],
          status: 'Open',
          due: { text: 'the next meeting (not yet scheduled)', tentative: true },
        },
      ],
      skipped: [],
      apologies: { entries: ['Jim Gamble (Rory McCallum attended as substitute)'], meeting: 'M-0007' },
      unticked: [2],
      confirm: {
        importKey: 'b'.repeat(24),
        at: '2018-02-27T10:00:00.000Z',
        packed: pack('Minutes'),
        meeting: 'M-0007',
      },
    });
    expect(cardProblems(card)).toEqual([]);
    const body = JSON.stringify(card.body);
    expect(body).toContain('"id":"keep_1","title":"Keep this action","value":"true"');
    expect(body).toContain('"id":"keep_2","title":"Keep this action","value":"false"');
    expect(body).toContain('"id":"apologies"');
    expect(body).toContain('"title":"Record them on the attendance of M-0007"');
    expect(cardText(card)).toContain('Due: the next meeting (not yet scheduled), tentative');
  });

  it('the result says when apologies could not be recorded, and offers Confirm again', () => {
    const card = importResultCard({
      created: [],
      already: [],
      failed: 0,
      apologies: 'The apologies were NOT recorded on M-0007: the Attendance list did not answer.',
      apologiesFailed: true,
      retry: {
        importKey: 'c'.repeat(24),
        at: '2018-02-27T10:00:00.000Z',
        packed: pack('Minutes'),
        meeting: 'M-0007',
      },
    });
    expect(cardProblems(card)).toEqual([]);
    expect(executeActions(card).map((a) => a.title)).toEqual(['Confirm again']);
  });
});
