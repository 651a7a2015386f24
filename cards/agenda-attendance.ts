import { card, column, columns, container, heading, runs, text, userText } from './adaptive.js';
import type { AdaptiveCard, CardElement } from './adaptive.js';
import { countsLine, type CountsView } from './agenda.js';
import { execute } from './verbs.js';

/**
 * The attendance sheet in the shape boards keep it: each member invited, whether they attend or sent
 * apologies, and who attends on their behalf; then the officers in attendance as advisers. Members
 * who have not answered are listed too, so the officer knows whom to ask.
 */

/** Members answer; officers, there as advisers, are expected unless they say otherwise. */
export type ExpectedView = 'Attending' | 'Apologies' | 'No answer yet' | 'Expected';

export interface SheetRowView {
  member: string;
  /** "Chair" */
  label?: string;
  expected: ExpectedView;
  /** "Rory McCallum, Senior Professional Advisor to the Children's Safeguarding Board" */
  onBehalf?: string;
}

export interface SheetView {
  ref: string;
  board: string;
  when: string;
  counts: CountsView;
  rows: SheetRowView[];
  advisers: SheetRowView[];
  page: number;
  pages: number;
  /** Members on the sheet, all pages. */
  total: number;
}

export const SHEET_PAGE_SIZE = 40;

function sheetRow(r: SheetRowView): CardElement {
  return columns(
    [
      column([runs([...(r.label ? [{ text: `${r.label} `, weight: 'Bolder' as const }] : []), r.member])]),
      {
        type: 'Column',
        width: '110px',
        items: [
          text(r.expected, {
            spacing: 'None',
            ...(r.expected === 'No answer yet' ? { isSubtle: true } : {}),
          }),
        ],
      },
      column([r.onBehalf ? userText(r.onBehalf) : text(' ', { spacing: 'None' })]),
    ],
    { separator: true, spacing: 'Small' },
  );
}

function headerRow(first: string): CardElement {
  return columns(
    [
      column([text(first, { weight: 'Bolder', size: 'Small' })]),
      {
        type: 'Column',
        width: '110px',
        items: [text('Expected / apologies', { weight: 'Bolder', size: 'Small' })],
      },
      column([text('Attending on their behalf', { weight: 'Bolder', size: 'Small' })]),
    ],
    { spacing: 'Medium' },
  );
}

export function attendanceSheetCard(vm: SheetView): AdaptiveCard {
  const last = vm.page >= vm.pages;
  return card(
    [
      heading(`Attendance sheet ${vm.ref}`),
      userText(vm.board, { weight: 'Bolder', spacing: 'Small' }),
      text(vm.when, { spacing: 'None' }),
      text(countsLine(vm.counts), { weight: 'Bolder', spacing: 'Medium' }),
      ...(vm.pages > 1
        ? [
            text(`Page ${vm.page} of ${vm.pages} (${vm.total} members)`, {
              isSubtle: true,
              size: 'Small',
              spacing: 'None',
            }),
          ]
        : []),
      headerRow('Board members invited'),
      ...(vm.rows.length ? vm.rows.map(sheetRow) : [text('Nobody on this page.', { isSubtle: true })]),
      ...(last && vm.advisers.length
        ? [
            container([headerRow('In attendance as advisers to the Board'), ...vm.advisers.map(sheetRow)], {
              spacing: 'Large',
            }),
          ]
        : []),
      text(
        'Answers change until the meeting starts. Members who have not answered are listed as "No answer yet".',
        {
          isSubtle: true,
          size: 'Small',
          spacing: 'Medium',
        },
      ),
    ],
    [
      ...(last
        ? []
        : [execute('agendaSheet', 'More', { ref: vm.ref, page: vm.page + 1 }, { associatedInputs: 'none' })]),
      execute('agendaShow', 'Open the pack', { ref: vm.ref }, { associatedInputs: 'none' }),
    ],
    { fallbackText: `Attendance sheet ${vm.ref}: ${countsLine(vm.counts)}` },
  );
}
