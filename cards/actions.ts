import {
  actionSet,
  card,
  column,
  columns,
  container,
  heading,
  labelled,
  runs,
  text,
  userText,
} from './adaptive.js';
import type {
  AdaptiveCard,
  CardAction,
  CardElement,
  Column,
  RichTextBlock,
  ShowCardAction,
  TextRun,
} from './adaptive.js';
import { cut, plural } from './text.js';
import { execute, type ActionsQueryData } from './verbs.js';

/**
 * Cards for actions: the confirmation after logging, one action with the buttons its viewer may use,
 * and the chair's list with counts and paging. Pure functions of view models; everything a person
 * typed (the action, owners, notes, the due phrase) is shown through TextRuns, which never render
 * markdown. Overdue is written as a word, never shown by colour alone.
 */

export type ActionStatusView = 'Open' | 'In progress' | 'Done' | 'Dropped';

export interface ActionView {
  ref: string;
  text: string;
  owners: string[];
  /** The due date in words ("Saturday 30 June 2018"), the phrase as written, and whether it is loose. */
  due?: { label?: string; iso?: string; text?: string; tentative: boolean };
  overdue: boolean;
  status: ActionStatusView;
  meeting?: string;
  sourceUrl?: string;
  /** The latest dated lines from Details, newest last. */
  history?: string[];
}

/** What the person looking at the card may do with this action. */
export interface ActionCaps {
  update: boolean;
  editOrUndo: boolean;
}

/** Long actions are cut on cards (the full text is in the list); cards must stay under 40 KB. */
const CARD_TEXT_MAX = 1500;
const LIST_TEXT_MAX = 240;

/** A label and its value, the labels lined up. */
const row = (label: string, value: CardElement) => labelled(label, value, '90px');

function ownersText(owners: readonly string[]): string {
  return owners.length ? owners.join('; ') : 'Nobody yet';
}

function dueRuns(a: ActionView): RichTextBlock {
  return runs(dueParts(a));
}

function dueParts(a: ActionView): (string | Omit<TextRun, 'type'>)[] {
  const parts: (string | Omit<TextRun, 'type'>)[] = [];
  if (!a.due || (!a.due.label && !a.due.text)) parts.push({ text: 'No due date', isSubtle: true });
  else {
    parts.push(a.due.label ?? `"${a.due.text ?? ''}"`);
    if (a.due.label && a.due.text && a.due.text !== a.due.label)
      parts.push({ text: ` (as written: ${a.due.text})`, isSubtle: true });
    if (a.due.tentative) parts.push({ text: ' · tentative', italic: true });
  }
  if (a.overdue) parts.push(' · ', { text: 'Overdue', weight: 'Bolder', color: 'Attention' });
  return parts;
}

function details(a: ActionView): CardElement[] {
  return [
    userText(cut(a.text, CARD_TEXT_MAX), { spacing: 'Small' }),
    row(a.owners.length > 1 ? 'Owners' : 'Owner', userText(ownersText(a.owners))),
    row('Due', dueRuns(a)),
    row('Status', text(a.status, { spacing: 'None' })),
    ...(a.meeting ? [row('Meeting', userText(a.meeting))] : []),
  ];
}

function showForm(title: string, body: CardElement[], submit: CardAction): ShowCardAction {
  return { type: 'Action.ShowCard', title, card: card(body, [submit]) };
}

/** The confirmation after logging: what was understood, with Edit and Undo. */
export function loggedCard(vm: {
  action: ActionView;
  caps: ActionCaps;
  already?: boolean;
  notice?: string;
}): AdaptiveCard {
  const a = vm.action;
  const title = vm.already
    ? `Already logged as ${a.ref}`
    : a.status === 'Dropped'
      ? `${a.ref} · Dropped`
      : `Action logged: ${a.ref}`;
  const buttons: CardAction[] =
    vm.caps.editOrUndo && a.status !== 'Dropped'
      ? [
          showForm(
            'Edit',
            [
              {
                type: 'Input.Text',
                id: 'text',
                label: 'Action',
                value: cut(a.text, 10_000),
                isMultiline: true,
                maxLength: 10_000,
                isRequired: true,
                errorMessage: 'The action needs some text.',
              },
              {
                type: 'Input.Text',
                id: 'owners',
                label: 'Owners (separate with ;)',
                value: a.owners.join('; '),
                maxLength: 1000,
              },
              {
                type: 'Input.Date',
                id: 'dueDate',
                label: 'Due date',
                ...(a.due?.iso ? { value: a.due.iso } : {}),
              },
              {
                type: 'Input.Text',
                id: 'dueText',
                label: 'Due, as written (e.g. "October 2018 (TBC)")',
                value: a.due?.text ?? '',
                maxLength: 255,
              },
              { type: 'Input.Text', id: 'meeting', label: 'Meeting', value: a.meeting ?? '', maxLength: 100 },
            ],
            execute('actionEdit', 'Save', { ref: a.ref }, { associatedInputs: 'auto' }),
          ),
          execute('actionUndo', 'Undo', { ref: a.ref }, { style: 'destructive', associatedInputs: 'none' }),
        ]
      : [];
  return card(
    [
      heading(title),
      // Notices quote people's words (a drop reason, owners' names): never rendered as markup.
      ...(vm.notice ? [userText(vm.notice, { spacing: 'Small', weight: 'Bolder' })] : []),
      ...details(a),
      ...(a.status === 'Dropped'
        ? []
        : [
            text(
              `Saved in the Actions list. Type "action ${a.ref}" for its card, or update it by typing, e.g. "action ${a.ref} done".`,
              { isSubtle: true, size: 'Small' },
            ),
          ]),
    ],
    buttons,
    { fallbackText: `${title}` },
  );
}

/** One action with the buttons its viewer may use; `back` returns to the list it was opened from. */
export function actionCard(vm: {
  action: ActionView;
  caps: ActionCaps;
  notice?: string;
  back?: ActionsQueryData;
}): AdaptiveCard {
  const a = vm.action;
  const open = a.status === 'Open' || a.status === 'In progress';
  // Hosts show at most five actions per set: status buttons sit in the body, forms below.
  const statusButtons: CardAction[] = [];
  const buttons: CardAction[] = [];
  if (vm.caps.update) {
    if (a.status !== 'In progress')
      statusButtons.push(
        execute('actionStart', open ? 'Start' : 'Reopen', { ref: a.ref }, { associatedInputs: 'none' }),
      );
    if (a.status !== 'Done')
      statusButtons.push(
        execute('actionDone', 'Done', { ref: a.ref }, { style: 'positive', associatedInputs: 'none' }),
      );
    buttons.push(
      showForm(
        'Change due date',
        [
          {
            type: 'Input.Date',
            id: 'dueDate',
            label: 'New due date',
            ...(a.due?.iso ? { value: a.due.iso } : {}),
          },
          {
            type: 'Input.Text',
            id: 'dueText',
            label: 'Or as written (e.g. "end of June 2018 (TBC)")',
            maxLength: 255,
          },
        ],
        execute('actionDue', 'Save due date', { ref: a.ref }, { associatedInputs: 'auto' }),
      ),
      showForm(
        'Add a note',
        [
          {
            type: 'Input.Text',
            id: 'note',
            label: 'Note',
            isMultiline: true,
            maxLength: 2000,
            isRequired: true,
            errorMessage: 'Write the note first.',
          },
        ],
        execute('actionNote', 'Add note', { ref: a.ref }, { associatedInputs: 'auto' }),
      ),
      showForm(
        'Reassign',
        [
          {
            type: 'Input.Text',
            id: 'owners',
            label: 'New owners (separate with ;)',
            value: a.owners.join('; '),
            maxLength: 1000,
            isRequired: true,
            errorMessage: 'Name at least one owner.',
          },
        ],
        execute('actionReassign', 'Reassign', { ref: a.ref }, { associatedInputs: 'auto' }),
      ),
    );
    if (a.status !== 'Dropped') {
      buttons.push(
        showForm(
          'Drop',
          [
            {
              type: 'Input.Text',
              id: 'reason',
              label: 'Why is it no longer needed?',
              maxLength: 2000,
              isRequired: true,
              errorMessage: 'Say why it is dropped.',
            },
          ],
          execute(
            'actionDrop',
            'Drop action',
            { ref: a.ref },
            { style: 'destructive', associatedInputs: 'auto' },
          ),
        ),
      );
    }
  }
  const history = (a.history ?? []).slice(-3);
  return card(
    [
      heading(`${a.ref} · ${a.status}`),
      // Notices quote people's words (a drop reason, owners' names): never rendered as markup.
      ...(vm.notice ? [userText(vm.notice, { spacing: 'Small', weight: 'Bolder' })] : []),
      ...details(a),
      ...(history.length
        ? [
            text('Latest', { weight: 'Bolder', spacing: 'Medium' }),
            ...history.map((l) => userText(l, { isSubtle: true, spacing: 'None' })),
          ]
        : []),
      ...(statusButtons.length ? [actionSet(statusButtons, { spacing: 'Medium' })] : []),
      ...(vm.caps.update
        ? []
        : [
            text("Only the action's owners and the board's officers and chairs can update it.", {
              isSubtle: true,
              size: 'Small',
            }),
          ]),
      ...(vm.back
        ? [
            actionSet([
              execute('actionsMore', 'Back to the list', { q: vm.back }, { associatedInputs: 'none' }),
            ]),
          ]
        : []),
    ],
    buttons,
    { fallbackText: `${a.ref}: ${cut(a.text, 200)}` },
  );
}

export interface ActionsListView {
  heading: string;
  query: ActionsQueryData;
  counts: { open: number; overdue: number; dueThisWeek: number; doneLast30Days: number };
  items: { action: ActionView; caps: ActionCaps }[];
  total: number;
  /** 1-based position of the first item shown. */
  from: number;
  /** Cursor for the next page, when there is one. */
  after?: string;
  notice?: string;
  /** Shown when nothing matches. */
  empty: string;
}

function count(value: number, label: string, attention = false): Column {
  const colour = attention && value > 0 ? { color: 'Attention' as const } : {};
  return column([
    text(String(value), { size: 'ExtraLarge', weight: 'Bolder', spacing: 'None', ...colour }),
    text(label, { size: 'Small', spacing: 'None' }),
  ]);
}

function listItem(entry: { action: ActionView; caps: ActionCaps }, query: ActionsQueryData): CardElement {
  const a = entry.action;
  const open = a.status === 'Open' || a.status === 'In progress';
  const buttons: CardAction[] = [];
  if (entry.caps.update && open) {
    buttons.push(execute('actionDone', 'Done', { ref: a.ref, back: query }, { associatedInputs: 'none' }));
    if (a.status === 'Open')
      buttons.push(
        execute('actionStart', 'Start', { ref: a.ref, back: query }, { associatedInputs: 'none' }),
      );
  }
  buttons.push(execute('actionShow', 'Open', { ref: a.ref, back: query }, { associatedInputs: 'none' }));
  return container(
    [
      runs([{ text: a.ref, weight: 'Bolder' }, ' · ', cut(a.text, LIST_TEXT_MAX)]),
      runs([{ text: a.owners.length > 1 ? 'Owners: ' : 'Owner: ', weight: 'Bolder' }, ownersText(a.owners)], {
        spacing: 'None',
      }),
      runs([{ text: 'Due: ', weight: 'Bolder' }, ...dueParts(a), ` · ${a.status}`], { spacing: 'None' }),
      actionSet(buttons, { spacing: 'Small' }),
    ],
    { separator: true, spacing: 'Medium' },
  );
}

/** The chair's answer: counts, then the actions by due date, ten at a time. */
export function actionsListCard(vm: ActionsListView): AdaptiveCard {
  const to = vm.from + vm.items.length - 1;
  return card(
    [
      // The heading can hold the name or meeting someone asked about.
      userText(vm.heading, { size: 'Large', weight: 'Bolder' }),
      // Notices quote people's words (a drop reason, owners' names): never rendered as markup.
      ...(vm.notice ? [userText(vm.notice, { spacing: 'Small', weight: 'Bolder' })] : []),
      columns(
        [
          count(vm.counts.open, 'Open'),
          count(vm.counts.overdue, 'Overdue', true),
          count(vm.counts.dueThisWeek, 'Due this week'),
          count(vm.counts.doneLast30Days, 'Done in the last 30 days'),
        ],
        { spacing: 'Medium' },
      ),
      ...(vm.items.length
        ? [
            text(
              vm.total > vm.items.length
                ? `${vm.from}–${to} of ${vm.total}, by due date`
                : `${plural(vm.total, 'action')}, by due date`,
              { isSubtle: true, size: 'Small', spacing: 'Medium' },
            ),
            ...vm.items.map((entry) => listItem(entry, vm.query)),
          ]
        : [userText(vm.empty, { spacing: 'Medium' })]),
    ],
    vm.after
      ? [execute('actionsMore', 'More', { q: vm.query, after: vm.after }, { associatedInputs: 'none' })]
      : [],
    { fallbackText: `${vm.heading}: ${vm.counts.open} open, ${vm.counts.overdue} overdue.` },
  );
}
