import { createHash } from 'node:crypto';
import type { ActionCaps, ActionView } from '../../../cards/actions.js';
import { formatLongDate, londonDate, toIsoDate } from '../../dates/london.js';
import { fullText, historyLines, type ActionRecord } from './model.js';
import { isOverdueOn } from './queries.js';
import { mayEditOrUndo, mayUpdate, type Who } from './service.js';

/** Records as the cards show them, and the keys that make writes idempotent. */

export function todayIn(at: Date): string {
  return toIsoDate(londonDate(at));
}

export function toView(record: ActionRecord, today: string): ActionView {
  const due =
    record.dueDate || record.dueText
      ? {
          ...(record.dueDate ? { label: formatLongDate(record.dueDate), iso: record.dueDate } : {}),
          ...(record.dueText ? { text: record.dueText } : {}),
          tentative: record.tentative,
        }
      : undefined;
  return {
    ref: record.ref,
    text: fullText(record),
    owners: record.owners,
    ...(due ? { due } : {}),
    overdue: isOverdueOn(record, today),
    status: record.status,
    ...(record.meetingRef ? { meeting: record.meetingRef } : {}),
    ...(record.sourceUrl ? { sourceUrl: record.sourceUrl } : {}),
    history: historyLines(record.details),
  };
}

export function capsFor(who: Who, record: ActionRecord): ActionCaps {
  return { update: mayUpdate(who, record), editOrUndo: mayEditOrUndo(who, record) };
}

/**
 * An idempotency key from the parts that identify one delivery (conversation and activity id):
 * Teams re-sends a message with the same id, and the key stays within the 255-character column.
 */
export function keyFor(kind: string, ...parts: (string | undefined)[]): string {
  const hash = createHash('sha256')
    .update(parts.map((p) => p ?? '').join('\u0001'))
    .digest('hex');
  return `${kind}:${hash.slice(0, 40)}`;
}

/** A short hex key for card data (imports). */
export function shortKey(...parts: (string | undefined)[]): string {
  return createHash('sha256')
    .update(parts.map((p) => p ?? '').join('\u0001'))
    .digest('hex')
    .slice(0, 24);
}
