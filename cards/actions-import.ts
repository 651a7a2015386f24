import {
  actionSet,
  card,
  cardBytes,
  CARD_BUDGET_BYTES,
  container,
  heading,
  text,
  userText,
  type AdaptiveCard,
  type CardElement,
  type InputChoiceSet,
  type InputToggle,
  type RichTextBlock,
} from './adaptive.js';
import { cut, plural } from './text.js';
import { execute, type VerbData } from './verbs.js';

/**
 * The import preview and its outcome. The preview shows its reading: the columns it recognised (each
 * a choice the officer can change, then "Read again"), what it made of each row (owners, due, status,
 * notes), initials it could not settle (a choice of the members they fit), rows it skipped and why,
 * and for minutes a tick per action and the apologies it found. Nothing is saved before Confirm.
 * Pure functions of view models.
 */

export type ImportData = VerbData<'actionsImport'>;

export interface ImportRowView {
  /** 1-based position among the rows: the tick's id. */
  n: number;
  line: number;
  /** The log's reference or the minute's paragraph ("12", "9.2"). */
  ref?: string;
  text: string;
  owners: string[];
  due?: { label?: string | undefined; text?: string | undefined; tentative: boolean };
  status: string;
  /** "Red: at risk", "status “tbc?” not understood; left Open". */
  statusNote?: string;
  notes?: string;
  /** Already in the list from an earlier import: its reference. */
  already?: string;
  /** Another action in the list carries the same log reference with other wording: its reference. */
  sameRef?: string;
}

export interface ImportPreviewView {
  kind: 'log' | 'lines' | 'minutes';
  rows: ImportRowView[];
  skipped: { line: number; text: string; why: string }[];
  /** A log's columns as read, with the choices the officer has for each. */
  columns?: { index: number; header: string; kind: string }[];
  columnChoices?: { value: string; title: string }[];
  /** Initials that fit more than one member. */
  ambiguous?: { initials: string; candidates: { id: string; name: string }[]; chosen?: string }[];
  /** Minutes: the apologies found, and whether they can go to a meeting's attendance. */
  apologies?: { entries: string[]; meeting?: string };
  /** The meeting the minutes are imported against ("M-0007, Thursday 12 January 2023"). */
  meeting?: string;
  /** Minutes: rows the officer unticked last time. */
  unticked?: number[];
  /** What Confirm and "Read again" send back: the text is read again with the same clock. */
  confirm: ImportData;
}

const ROW_TEXT_MAX = 160;
/** The value of "keep the initials as written" among the members they could be. */
export const KEEP_AS_WRITTEN = 'keep';
const SHOWN_SKIPPED = 10;

function dueText(due: ImportRowView['due']): string {
  if (!due) return 'no due date';
  const main = due.label ?? due.text ?? '';
  const written = due.label && due.text && due.text !== due.label ? ` (${due.text})` : '';
  return `${main}${written}${due.tentative ? ', tentative' : ''}`;
}

function rowBlock(row: ImportRowView, tick: boolean, unticked: boolean): CardElement {
  const label = row.ref ?? String(row.line);
  const items: CardElement[] = [
    {
      type: 'RichTextBlock',
      inlines: [
        { type: 'TextRun', text: `${label}${/[.)]$/u.test(label) ? '' : '.'} `, weight: 'Bolder' },
        { type: 'TextRun', text: cut(row.text, ROW_TEXT_MAX) },
      ],
    },
    userText(
      `Owner: ${row.owners.length ? row.owners.join('; ') : 'nobody yet'} · Due: ${dueText(row.due)} · Status: ${row.status}${row.statusNote ? ` (${row.statusNote})` : ''}`,
      { isSubtle: true, spacing: 'None' },
    ),
  ];
  if (row.notes) items.push(userText(`Update: ${cut(row.notes, 120)}`, { isSubtle: true, spacing: 'None' }));
  if (row.already)
    items.push(
      text(`Already in the list as ${row.already}: it will be left as it is.`, {
        isSubtle: true,
        spacing: 'None',
      }),
    );
  if (row.sameRef && row.ref)
    items.push(
      text(
        `${row.sameRef} also has the log's reference ${cut(row.ref, 20)}, worded differently: check this is not the same action before you Confirm.`,
        { color: 'Warning', spacing: 'None' },
      ),
    );
  if (tick && !row.already)
    items.push({
      type: 'Input.Toggle',
      id: `keep_${row.n}`,
      title: 'Keep this action',
      value: unticked ? 'false' : 'true',
      valueOn: 'true',
      valueOff: 'false',
      spacing: 'None',
    } satisfies InputToggle);
  return container(items, { separator: true });
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

function columnBlocks(vm: ImportPreviewView): CardElement[] {
  if (!vm.columns?.length || !vm.columnChoices?.length) return [];
  const choices = vm.columnChoices;
  return [
    text('Columns I recognised (change any, then Read again):', { weight: 'Bolder', spacing: 'Medium' }),
    ...vm.columns.map((c): InputChoiceSet => ({
      type: 'Input.ChoiceSet',
      id: `col_${c.index}`,
      label: `Column ${c.index + 1}${c.header ? `: "${cut(c.header, 40)}"` : ' (no header)'}`,
      style: 'compact',
      choices,
      value: c.kind,
      spacing: 'Small',
    })),
  ];
}

function ambiguityBlocks(vm: ImportPreviewView): CardElement[] {
  if (!vm.ambiguous?.length) return [];
  return [
    text('Initials that fit more than one member: who is meant?', { weight: 'Bolder', spacing: 'Medium' }),
    ...vm.ambiguous.map((a): InputChoiceSet => ({
      type: 'Input.ChoiceSet',
      id: `who_${a.initials}`,
      label: `"${a.initials}"`,
      style: 'compact',
      choices: [
        ...a.candidates.map((c) => ({ title: c.name, value: c.id })),
        { title: `Keep "${a.initials}" as written`, value: KEEP_AS_WRITTEN },
      ],
      value: a.chosen ?? KEEP_AS_WRITTEN,
      spacing: 'Small',
    })),
  ];
}

function apologyBlocks(vm: ImportPreviewView): CardElement[] {
  const a = vm.apologies;
  if (!a?.entries.length) return [];
  return [
    text(`Apologies in the minutes (${a.entries.length}):`, { weight: 'Bolder', spacing: 'Medium' }),
    userText(a.entries.join('; '), { spacing: 'None' }),
    a.meeting
      ? ({
          type: 'Input.Toggle',
          id: 'apologies',
          title: `Record them on the attendance of ${a.meeting}`,
          value: 'true',
          valueOn: 'true',
          valueOff: 'false',
        } satisfies InputToggle)
      : text(
          'To put them on a meeting’s attendance sheet, import the minutes against it: "actions import M-0007" followed by the minutes.',
          { isSubtle: true, spacing: 'None' },
        ),
  ];
}

function titleOf(vm: ImportPreviewView, n: number): string {
  if (n && vm.rows.every((r) => r.already))
    return n === 1 ? 'This action is already in the list' : `All ${n} actions are already in the list`;
  if (vm.kind === 'minutes') return n ? `${plural(n, 'action')} in the minutes` : 'No actions in the minutes';
  if (!n) return 'Nothing to import';
  return `Import ${plural(n, 'action')}?`;
}

function introOf(vm: ImportPreviewView, n: number): string {
  if (n && vm.rows.every((r) => r.already))
    return 'They were imported before, so there is nothing to save; each is left as it is.';
  if (vm.kind === 'minutes')
    return n
      ? `${vm.meeting ? `Minutes of ${vm.meeting}. ` : ''}Untick any that are not actions, check the owners and due dates, then Confirm. Nothing is saved until you do.`
      : `${vm.meeting ? `Minutes of ${vm.meeting}. ` : ''}I found no sentence that gives someone something to do ("SK to …", "It was agreed that … would …", "ACTION: …").`;
  return n
    ? `${vm.kind === 'log' ? 'I read this as an action log with the columns below. ' : ''}Check what I understood, then Confirm. Nothing is saved until you do.`
    : 'I found no actions in what you pasted. Put one action a line: "action — owner — by when", or paste the table from Word with its header row.';
}

function build(vm: ImportPreviewView, shown: number, choices = true): AdaptiveCard {
  const fresh = vm.rows.filter((r) => !r.already).length;
  const n = vm.rows.length;
  const tick = vm.kind === 'minutes';
  const unticked = new Set(vm.unticked ?? []);
  const reread = choices && Boolean(vm.columns?.length || vm.ambiguous?.length);
  const canConfirm = fresh > 0 || (vm.apologies?.meeting !== undefined && vm.apologies.entries.length > 0);
  return card(
    [
      heading(titleOf(vm, n)),
      text(introOf(vm, n), { spacing: 'Small' }),
      ...(choices ? [...columnBlocks(vm), ...ambiguityBlocks(vm)] : []),
      ...(!choices && (vm.columns?.length || vm.ambiguous?.length)
        ? [
            text(
              'This import is too large for the column and owner choices to fit on the card. To change how a column is read, import fewer rows at a time.',
              { isSubtle: true },
            ),
          ]
        : []),
      ...(reread
        ? [
            actionSet(
              [execute('actionsImportRead', 'Read again', vm.confirm, { associatedInputs: 'auto' })],
              {
                spacing: 'Small',
              },
            ),
          ]
        : []),
      ...vm.rows.slice(0, shown).map((row) => rowBlock(row, tick, unticked.has(row.n))),
      ...(n > shown ? [text(`…and ${n - shown} more${tick ? ', all kept' : ''}.`, { isSubtle: true })] : []),
      ...skippedBlocks(vm.skipped),
      ...apologyBlocks(vm),
    ],
    canConfirm
      ? [
          execute('actionsImport', fresh ? `Confirm (${fresh})` : 'Confirm', vm.confirm, {
            style: 'positive',
            associatedInputs: 'auto',
          }),
          execute(
            'actionsImportCancel',
            'Cancel',
            { importKey: vm.confirm.importKey },
            { associatedInputs: 'none' },
          ),
        ]
      : [],
    { fallbackText: titleOf(vm, n) },
  );
}

/** The preview, with as many rows as fit in a Teams card. */
export function importPreviewCard(vm: ImportPreviewView): AdaptiveCard {
  // Fewer rows first; then, for the largest imports, without the choices (and their second copy of
  // the text in "Read again"). The caller checks the result against the budget.
  let built = build(vm, 20);
  for (const [shown, choices] of [
    [12, true],
    [6, true],
    [3, true],
    [0, true],
    [6, false],
    [0, false],
  ] as const) {
    if (cardBytes(built) <= CARD_BUDGET_BYTES - 1024) break;
    built = build(vm, shown, choices);
  }
  return built;
}

export interface ImportResultView {
  created: { ref: string; text: string }[];
  already: { ref: string; text: string }[];
  /** Rows not saved; Confirm again retries only those. */
  failed: number;
  retry?: ImportData;
  /** "Apologies recorded on M-0007's attendance: 3." */
  apologies?: string;
  /** The apologies could not be written: Confirm again retries them. */
  apologiesFailed?: boolean;
}

function refList(items: { ref: string; text: string }[]): CardElement[] {
  return [
    ...items.slice(0, 20).map(
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
    ...(items.length > 20
      ? [text(`…and ${items.length - 20} more.`, { isSubtle: true, spacing: 'None' })]
      : []),
  ];
}

export function importResultCard(vm: ImportResultView): AdaptiveCard {
  const c = vm.created.length;
  const title = c
    ? `Imported ${plural(c, 'action')}`
    : vm.already.length && !vm.failed
      ? 'Already imported'
      : vm.apologies && !vm.apologiesFailed
        ? 'No new actions'
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
      ...(vm.apologies ? [text(vm.apologies, { spacing: 'Medium' })] : []),
      ...(vm.failed
        ? [
            text(
              `${vm.failed} ${vm.failed === 1 ? 'action was' : 'actions were'} NOT saved: the Actions list did not answer. Press Confirm again to save the rest; nothing will be saved twice.`,
              { weight: 'Bolder', color: 'Attention', spacing: 'Medium' },
            ),
          ]
        : []),
    ],
    (vm.failed || vm.apologiesFailed) && vm.retry
      ? [execute('actionsImport', 'Confirm again', vm.retry, { associatedInputs: 'none' })]
      : [],
    { fallbackText: title },
  );
}

export function importCancelledCard(): AdaptiveCard {
  return card([heading('Import cancelled'), text('Nothing was saved.')]);
}
