import {
  card,
  container,
  heading,
  text,
  userText,
  type AdaptiveCard,
  type CardElement,
  type RichTextBlock,
} from './adaptive.js';
import { execute } from './verbs.js';

/** The import preview (Confirm/Cancel) and its outcome. Pure functions of view models. */

export interface ImportRowView {
  line: number;
  text: string;
  owners: string[];
  due?: { label?: string | undefined; text?: string | undefined; tentative: boolean };
}

export interface ImportPreviewView {
  rows: ImportRowView[];
  skipped: { line: number; text: string; why: string }[];
  /** What Confirm sends back: the pasted text is read again with the same clock. */
  confirm: { importKey: string; at: string; text: string };
}

const SHOWN_ROWS = 20;
const SHOWN_SKIPPED = 10;
const ROW_TEXT_MAX = 160;

function cut(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1).trimEnd()}…` : value;
}

function rowBlock(row: ImportRowView): CardElement {
  const due = row.due
    ? `${row.due.label ?? row.due.text ?? ''}${row.due.label && row.due.text && row.due.text !== row.due.label ? ` (${row.due.text})` : ''}${row.due.tentative ? ', tentative' : ''}`
    : 'no due date';
  return container(
    [
      {
        type: 'RichTextBlock',
        inlines: [
          { type: 'TextRun', text: `${row.line}. `, weight: 'Bolder' },
          { type: 'TextRun', text: cut(row.text, ROW_TEXT_MAX) },
        ],
      },
      userText(`Owner: ${row.owners.length ? row.owners.join('; ') : 'nobody yet'} · Due: ${due}`, {
        isSubtle: true,
        spacing: 'None',
      }),
    ],
    { separator: true },
  );
}

function skippedBlocks(skipped: ImportPreviewView['skipped']): CardElement[] {
  if (!skipped.length) return [];
  return [
    text(`${skipped.length} ${skipped.length === 1 ? 'line' : 'lines'} will not be imported:`, {
      weight: 'Bolder',
      spacing: 'Medium',
    }),
    ...skipped
      .slice(0, SHOWN_SKIPPED)
      .map((s) =>
        userText(`Line ${s.line}: ${cut(s.text, 80)} (${s.why})`, { isSubtle: true, spacing: 'None' }),
      ),
    ...(skipped.length > SHOWN_SKIPPED
      ? [text(`…and ${skipped.length - SHOWN_SKIPPED} more.`, { isSubtle: true, spacing: 'None' })]
      : []),
  ];
}

export function importPreviewCard(vm: ImportPreviewView): AdaptiveCard {
  const n = vm.rows.length;
  return card(
    [
      heading(n ? `Import ${n} ${n === 1 ? 'action' : 'actions'}?` : 'Nothing to import'),
      text(
        n
          ? 'Check what I understood, then Confirm. Nothing is saved until you do.'
          : 'I found no actions in what you pasted. Put one action a line: "action — owner — by when", or paste the table from Word.',
        { spacing: 'Small' },
      ),
      ...vm.rows.slice(0, SHOWN_ROWS).map(rowBlock),
      ...(n > SHOWN_ROWS ? [text(`…and ${n - SHOWN_ROWS} more.`, { isSubtle: true })] : []),
      ...skippedBlocks(vm.skipped),
    ],
    n
      ? [
          execute('actionsImport', `Confirm (${n})`, vm.confirm, {
            style: 'positive',
            associatedInputs: 'none',
          }),
          execute(
            'actionsImportCancel',
            'Cancel',
            { importKey: vm.confirm.importKey },
            { associatedInputs: 'none' },
          ),
        ]
      : [],
    { fallbackText: `Import ${n} actions?` },
  );
}

export interface ImportResultView {
  created: { ref: string; text: string }[];
  already: { ref: string; text: string }[];
  /** Rows not saved; Confirm again retries only those. */
  failed: number;
  retry?: ImportPreviewView['confirm'];
}

function refList(items: { ref: string; text: string }[]): CardElement[] {
  return [
    ...items.slice(0, SHOWN_ROWS).map(
      (i) =>
        ({
          type: 'RichTextBlock',
          spacing: 'None',
          inlines: [
            { type: 'TextRun', text: `${i.ref} `, weight: 'Bolder' },
            { type: 'TextRun', text: cut(i.text, 100) },
          ],
        }) satisfies RichTextBlock,
    ),
    ...(items.length > SHOWN_ROWS
      ? [text(`…and ${items.length - SHOWN_ROWS} more.`, { isSubtle: true, spacing: 'None' })]
      : []),
  ];
}

export function importResultCard(vm: ImportResultView): AdaptiveCard {
  const c = vm.created.length;
  const title = c
    ? `Imported ${c} ${c === 1 ? 'action' : 'actions'}`
    : vm.already.length && !vm.failed
      ? 'Already imported'
      : 'Nothing imported';
  return card(
    [
      heading(title),
      ...(c ? refList(vm.created) : []),
      ...(vm.already.length
        ? [
            text(
              `${vm.already.length} ${vm.already.length === 1 ? 'was' : 'were'} already in the list, so I left ${vm.already.length === 1 ? 'it' : 'them'} as they are:`,
              { spacing: 'Medium' },
            ),
            ...refList(vm.already),
          ]
        : []),
      ...(vm.failed
        ? [
            text(
              `${vm.failed} ${vm.failed === 1 ? 'action was' : 'actions were'} NOT saved: the Actions list did not answer. Press Confirm again to save the rest; nothing will be saved twice.`,
              { weight: 'Bolder', color: 'Attention', spacing: 'Medium' },
            ),
          ]
        : []),
    ],
    vm.failed && vm.retry
      ? [execute('actionsImport', 'Confirm again', vm.retry, { associatedInputs: 'none' })]
      : [],
    { fallbackText: title },
  );
}

export function importCancelledCard(): AdaptiveCard {
  return card([heading('Import cancelled'), text('Nothing was saved.')]);
}
