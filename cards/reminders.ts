import { actionSet, card, column, columns, container, heading, runs, text } from './adaptive.js';
import type { AdaptiveCard, CardElement, TextRun } from './adaptive.js';
import { cut, plural } from './text.js';
import { execute } from './verbs.js';

/**
 * Reminder cards: an owner's daily nudge (actions due in two days, actions overdue) and the chairs'
 * Monday digest (overdue and due this week, and whose owners the bot could not remind). Pure
 * functions of view models; action text and names are people's words, shown through TextRuns.
 */

export interface ReminderItem {
  ref: string;
  text: string;
  owners: string[];
  /** "Wednesday 7 March 2018" */
  dueLabel: string;
  tentative: boolean;
  /** Whole days past the due date (overdue items only). */
  daysOverdue?: number;
}

export interface OwnerReminderView {
  boardName: string;
  /** Due in two days. */
  dueSoon: ReminderItem[];
  overdue: ReminderItem[];
}

export interface NotReminded {
  ref: string;
  text: string;
  /** Who could not be reminded and why, e.g. "Policy Team (no Teams account on record)". */
  who: string;
}

export interface DigestView {
  boardName: string;
  /** "Monday 5 March 2018" */
  weekOf: string;
  overdue: ReminderItem[];
  dueThisWeek: ReminderItem[];
  notReminded: NotReminded[];
}

/** Long lists stay readable and under the 40 KB card budget; the rest is one command away. */
export const OWNER_ITEMS_MAX = 10;
export const DIGEST_ITEMS_MAX = 20;
const TEXT_MAX = 200;

function dueParts(item: ReminderItem): (string | Omit<TextRun, 'type'>)[] {
  const parts: (string | Omit<TextRun, 'type'>)[] = [{ text: 'Due: ', weight: 'Bolder' }, item.dueLabel];
  if (item.tentative) parts.push({ text: ' · tentative', italic: true });
  if (item.daysOverdue !== undefined && item.daysOverdue > 0)
    parts.push(' · ', {
      text: `Overdue by ${plural(item.daysOverdue, 'day')}`,
      weight: 'Bolder',
      color: 'Attention',
    });
  return parts;
}

function itemBlock(item: ReminderItem, opts: { owners: boolean; buttons: boolean }): CardElement {
  return container(
    [
      runs([{ text: item.ref, weight: 'Bolder' }, ' · ', cut(item.text, TEXT_MAX)]),
      ...(opts.owners
        ? [
            runs(
              [
                { text: item.owners.length > 1 ? 'Owners: ' : 'Owner: ', weight: 'Bolder' },
                item.owners.length ? item.owners.join('; ') : 'Nobody named',
              ],
              { spacing: 'None' },
            ),
          ]
        : []),
      runs(dueParts(item), { spacing: 'None' }),
      ...(opts.buttons
        ? [
            actionSet(
              [
                execute(
                  'actionDone',
                  'Done',
                  { ref: item.ref },
                  { style: 'positive', associatedInputs: 'none' },
                ),
                execute('actionShow', 'Open', { ref: item.ref }, { associatedInputs: 'none' }),
              ],
              { spacing: 'Small' },
            ),
          ]
        : []),
    ],
    { separator: true, spacing: 'Medium' },
  );
}

function section(
  title: string,
  items: ReminderItem[],
  max: number,
  opts: { owners: boolean; buttons: boolean; more: string },
): CardElement[] {
  if (!items.length) return [];
  const shown = items.slice(0, max);
  const hidden = items.length - shown.length;
  return [
    text(title, { weight: 'Bolder', size: 'Medium', spacing: 'Large' }),
    ...shown.map((item) => itemBlock(item, opts)),
    ...(hidden > 0 ? [text(`…and ${hidden} more. ${opts.more}`, { isSubtle: true, spacing: 'Small' })] : []),
  ];
}

/** An owner's nudge: what is due in two days and what is overdue, with Done and Open on each. */
export function ownerReminderCard(vm: OwnerReminderView): AdaptiveCard {
  const total = vm.dueSoon.length + vm.overdue.length;
  const summary = [
    vm.overdue.length ? `${plural(vm.overdue.length, 'action')} overdue` : '',
    vm.dueSoon.length ? `${plural(vm.dueSoon.length, 'action')} due in two days` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const title = total === 1 ? 'A reminder about your action' : 'A reminder about your actions';
  return card(
    [
      heading(title),
      text(`You have ${summary || 'nothing due'} for the ${vm.boardName}.`, { spacing: 'Small' }),
      ...section('Overdue', vm.overdue, OWNER_ITEMS_MAX, {
        owners: false,
        buttons: true,
        more: 'Type "actions mine" to see them all.',
      }),
      ...section('Due in two days', vm.dueSoon, OWNER_ITEMS_MAX, {
        owners: false,
        buttons: true,
        more: 'Type "actions mine" to see them all.',
      }),
      text('Press Done when it is finished, or Open to add a note, change the due date or hand it on.', {
        isSubtle: true,
        size: 'Small',
        spacing: 'Medium',
      }),
    ],
    [],
    { fallbackText: `Reminder: ${summary || 'your actions'}.` },
  );
}

function count(value: number, label: string, attention = false) {
  const colour = attention && value > 0 ? { color: 'Attention' as const } : {};
  return column([
    text(String(value), { size: 'ExtraLarge', weight: 'Bolder', spacing: 'None', ...colour }),
    text(label, { size: 'Small', spacing: 'None' }),
  ]);
}

/** The chairs' Monday digest. */
export function chairDigestCard(vm: DigestView): AdaptiveCard {
  const nothing = !vm.overdue.length && !vm.dueThisWeek.length;
  return card(
    [
      heading('Actions this week'),
      text(`${vm.boardName} · week of ${vm.weekOf}`, { isSubtle: true, spacing: 'None' }),
      columns([count(vm.overdue.length, 'Overdue', true), count(vm.dueThisWeek.length, 'Due this week')], {
        spacing: 'Medium',
      }),
      ...(nothing
        ? [text('Nothing is overdue and nothing falls due this week.', { spacing: 'Medium' })]
        : []),
      ...section('Overdue', vm.overdue, DIGEST_ITEMS_MAX, {
        owners: true,
        buttons: false,
        more: 'Type "actions overdue" for the full list.',
      }),
      ...section('Due this week', vm.dueThisWeek, DIGEST_ITEMS_MAX, {
        owners: true,
        buttons: false,
        more: 'Type "actions" for the full list.',
      }),
      ...(vm.notReminded.length
        ? [
            text('Not reminded in Teams', { weight: 'Bolder', size: 'Medium', spacing: 'Large' }),
            text(
              'The bot could not remind these owners personally (no Teams account on record, or no chat with the bot). Please chase them another way.',
              { isSubtle: true, size: 'Small', spacing: 'None' },
            ),
            ...vm.notReminded
              .slice(0, DIGEST_ITEMS_MAX)
              .map((n) =>
                runs(
                  [
                    { text: n.ref, weight: 'Bolder' },
                    ' · ',
                    n.who,
                    { text: ` (${cut(n.text, 80)})`, isSubtle: true },
                  ],
                  { spacing: 'Small' },
                ),
              ),
            ...(vm.notReminded.length > DIGEST_ITEMS_MAX
              ? [
                  text(`…and ${vm.notReminded.length - DIGEST_ITEMS_MAX} more.`, {
                    isSubtle: true,
                    spacing: 'Small',
                  }),
                ]
              : []),
          ]
        : []),
    ],
    [
      execute(
        'actionsMore',
        'Overdue actions',
        { q: { scope: 'all', view: 'overdue' } },
        { associatedInputs: 'none' },
      ),
      execute(
        'actionsMore',
        'All open actions',
        { q: { scope: 'all', view: 'open' } },
        { associatedInputs: 'none' },
      ),
    ],
    {
      fallbackText: `Actions this week: ${vm.overdue.length} overdue, ${vm.dueThisWeek.length} due this week.`,
    },
  );
}
