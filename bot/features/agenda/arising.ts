import type { ActionStore } from '../actions/index.js';
import { formatLongDate } from '../../dates/london.js';
import type { ItemState } from './model.js';

/**
 * Matters arising: a new pack for a board carries an item listing that board's open and overdue
 * actions — those logged against its earlier meetings (by reference, or by the board's name). The
 * agenda reads actions only through `mattersArising`, using the actions store's own open and
 * overdue queries, never its list directly.
 */

/** The part of the actions feature matters arising needs. */
export type ActionsSource = Pick<ActionStore, 'open' | 'overdue'>;

export interface ArisingAction {
  ref: string;
  title: string;
  owners: string[];
  due?: string;
  overdue: boolean;
}

export const ARISING_TITLE = 'Matters arising';
const ARISING = /\b(?:matters arising|action log|actions from the last meeting)\b/i;
const SHOWN = 30;

export async function mattersArising(
  actions: ActionsSource,
  meetingRefs: readonly string[],
  board: string,
  today: string,
): Promise<ArisingAction[]> {
  const refs = new Set(meetingRefs.map((r) => r.toLowerCase()));
  const boardName = board.trim().toLowerCase();
  const ofBoard = (meetingRef?: string) => {
    const m = (meetingRef ?? '').trim().toLowerCase();
    return m !== '' && (refs.has(m) || (boardName !== '' && m.includes(boardName)));
  };
  const [open, overdue] = await Promise.all([actions.open(), actions.overdue(today)]);
  const late = new Set(overdue.map((a) => a.ref));
  return open
    .filter((a) => ofBoard(a.meetingRef))
    .sort(
      (a, b) =>
        Number(late.has(b.ref)) - Number(late.has(a.ref)) ||
        (a.dueDate ?? '9').localeCompare(b.dueDate ?? '9'),
    )
    .map((a) => ({
      ref: a.ref,
      title: a.title,
      owners: a.owners,
      ...(a.dueDate ? { due: formatLongDate(a.dueDate) } : a.dueText ? { due: a.dueText } : {}),
      overdue: late.has(a.ref),
    }));
}

/** The item's text: one line per action, overdue first. */
export function arisingDetails(list: readonly ArisingAction[]): string {
  if (!list.length) return 'No open actions from earlier meetings.';
  const lines = list
    .slice(0, SHOWN)
    .map((a) =>
      [
        `${a.ref} ${a.title}`,
        a.owners.length ? a.owners.join('; ') : 'no owner',
        a.due ? `due ${a.due}` : 'no due date',
        ...(a.overdue ? ['OVERDUE'] : []),
      ].join(' · '),
    );
  const overdue = list.filter((a) => a.overdue).length;
  const head = `${list.length} open ${list.length === 1 ? 'action' : 'actions'} from earlier meetings${overdue ? `, ${overdue} overdue` : ''}:`;
  const more =
    list.length > SHOWN ? [`… and ${list.length - SHOWN} more: type "actions open" for all of them.`] : [];
  return [head, ...lines, ...more].join('\n');
}

/**
 * The items with matters arising in them: an item the officer already called "Matters arising"
 * gets the list; otherwise one is added after the first item (renumbering the rest when they are
 * simply 1, 2, 3 …). Returns the number it has.
 */
export function withMattersArising(
  items: readonly ItemState[],
  details: string,
  chair?: string,
): { items: ItemState[]; number: string; added: boolean } {
  const existing = items.findIndex((i) => ARISING.test(i.title));
  if (existing >= 0) {
    const next = items.map((i, n) => (n === existing ? { ...i, details } : i));
    return { items: next, number: items[existing]!.number, added: false };
  }
  const item = (number: string): ItemState => ({
    number,
    title: ARISING_TITLE,
    ...(chair ? { presenter: chair } : {}),
    minutes: 10,
    purpose: 'For discussion',
    papers: [],
    details,
  });
  const simple = items.every((i, n) => i.number === String(n + 1));
  if (simple) {
    const renumbered = items.map((i, n) => (n >= 1 ? { ...i, number: String(n + 2) } : i));
    return {
      items: [...renumbered.slice(0, 1), item('2'), ...renumbered.slice(1)],
      number: '2',
      added: true,
    };
  }
  const first = items[0];
  const taken = new Set(items.map((i) => i.number));
  const number = first && !taken.has(`${first.number}a`) ? `${first.number}a` : String(items.length + 1);
  return { items: [...items.slice(0, 1), item(number), ...items.slice(1)], number, added: true };
}

export function isArisingItem(item: Pick<ItemState, 'title'>): boolean {
  return ARISING.test(item.title);
}
