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
