import { currentBoard } from '../../sharepoint/index.js';
import {
  chairDigestCard,
  ownerReminderCard,
  type DigestView,
  type NotReminded,
  type ReminderItem,
} from '../../../cards/reminders.js';
import {
  addDays,
  daysBetween,
  formatLongDate,
  londonDate,
  parseIsoDate,
  toIsoDate,
} from '../../dates/london.js';
import type { Logger } from '../../logger.js';
import type { ConversationStore } from '../../messaging/conversations.js';
import type { FanOutReport, FanOutRequest, Recipient, Scheduler } from '../../messaging/index.js';
import { fullText, type ActionRecord } from './model.js';
import { listNames } from './service.js';
import type { ActionStore } from './store.js';
import { ALL_MEMBERS } from './log-owners.js';

/**
 * Reminders about actions, sent through the messaging layer's fan-out: each owner is nudged in
 * their personal chat two days before an action is due and on every day it is overdue (one message
 * a day listing all of theirs, keyed `action-reminders:<London date>|<owner>`, so however often the
 * job runs nobody hears about an action twice in a day); each chair gets a Monday digest of what is
 * overdue and what falls due that week, naming the owners the bot could not remind itself.
 */

export const REMINDER_JOB = 'action-reminders';

/** A campaign of one board's: two boards' reminders on one day are two campaigns. */
function perBoard(campaign: string): string {
  const board = currentBoard();
  return board ? `${campaign}|${board.id}` : campaign;
}
export const DIGEST_JOB = 'actions-digest';
export const DUE_SOON_DAYS = 2;

export interface RemindersDeps {
  store: Pick<ActionStore, 'overdue' | 'dueBetween'>;
  fanOut: (request: FanOutRequest) => Promise<FanOutReport>;
  conversations: Pick<ConversationStore, 'personalFor'>;
  /** Chairs' Entra object ids (UPNs in the list are skipped: a chat is opened by object id). */
  chairs: readonly string[];
  boardName: string;
  logger: Logger;
}

export interface OwnerNudge {
  ownerId: string;
  name?: string;
  dueSoon: ActionRecord[];
  overdue: ActionRecord[];
}

const byDue = (a: ActionRecord, b: ActionRecord) =>
  (a.dueDate ?? '').localeCompare(b.dueDate ?? '') || a.ref.localeCompare(b.ref);

/**
 * Owners' names by Entra id, when the action says so unambiguously: the ids are written in the
 * order of the owners who have one, so they pair up only when every owner has an id.
 */
export function namesById(action: ActionRecord): Map<string, string> {
  const names = new Map<string, string>();
  if (action.ownerIds.length !== action.owners.length) return names;
  action.ownerIds.forEach((id, i) => names.set(id.toLowerCase(), action.owners[i]!));
  return names;
}

/** One nudge per owner with an Entra id, listing their actions due soon and overdue. */
export function ownerNudges(overdue: ActionRecord[], dueSoon: ActionRecord[]): OwnerNudge[] {
  const nudges = new Map<string, OwnerNudge>();
  const add = (action: ActionRecord, kind: 'overdue' | 'dueSoon') => {
    const names = namesById(action);
    for (const raw of new Set(action.ownerIds.map((id) => id.toLowerCase()))) {
      const nudge = nudges.get(raw) ?? { ownerId: raw, dueSoon: [], overdue: [] };
      const name = names.get(raw);
      if (name && !nudge.name) nudge.name = name;
      nudge[kind].push(action);
      nudges.set(raw, nudge);
    }
  };
  overdue.forEach((a) => add(a, 'overdue'));
  dueSoon.forEach((a) => add(a, 'dueSoon'));
  for (const n of nudges.values()) {
    n.overdue.sort(byDue);
    n.dueSoon.sort(byDue);
  }
  return [...nudges.values()].sort((a, b) => a.ownerId.localeCompare(b.ownerId));
}

export function toReminderItem(action: ActionRecord, today: string): ReminderItem {
  const due = action.dueDate ? parseIsoDate(action.dueDate) : undefined;
  const todayDate = parseIsoDate(today);
  const late = due && todayDate ? daysBetween(due, todayDate) : 0;
  return {
    ref: action.ref,
    text: fullText(action),
    owners: action.owners,
    dueLabel: action.dueDate ? formatLongDate(action.dueDate) : (action.dueText ?? 'No due date'),
    tentative: action.tentative,
    ...(late > 0 ? { daysOverdue: late } : {}),
  };
}

function isoPlus(iso: string, days: number): string {
  const date = parseIsoDate(iso);
  if (!date) throw new RangeError(`Not an ISO date: ${iso}`);
  return toIsoDate(addDays(date, days));
}

function summaryOf(report: FanOutReport): Record<string, number> {
  return {
    sent: report.sent,
    alreadySent: report.alreadySent,
    failed: report.failed,
    unconfirmed: report.unconfirmed,
    pending: report.pending,
  };
}

/** The day's nudges, for the London date `today`. Safe to run any number of times a day. */
export async function remindOwners(
  deps: RemindersDeps,
  today: string,
  signal?: AbortSignal,
): Promise<Record<string, number>> {
  const [overdue, dueSoon] = await Promise.all([
    deps.store.overdue(today),
    deps.store.dueBetween(isoPlus(today, DUE_SOON_DAYS), isoPlus(today, DUE_SOON_DAYS)),
  ]);
  const nudges = ownerNudges(overdue, dueSoon);
  const withoutIds = [...overdue, ...dueSoon].filter((a) => a.ownerIds.length === 0).length;
  if (!nudges.length) return { owners: 0, actionsWithoutOwnerIds: withoutIds, sent: 0 };
  const byOwner = new Map(nudges.map((n) => [n.ownerId, n]));
  const report = await deps.fanOut({
    campaign: perBoard(`${REMINDER_JOB}:${today}`),
    title: `Action reminders, ${formatLongDate(today)}`,
    recipients: nudges.map((n): Recipient => ({
      kind: 'user',
      aadObjectId: n.ownerId,
      ...(n.name ? { name: n.name } : {}),
    })),
    message: (recipient) => {
      const nudge = recipient.kind === 'user' ? byOwner.get(recipient.aadObjectId) : undefined;
      return {
        card: ownerReminderCard({
          boardName: currentBoard()?.name ?? deps.boardName,
          overdue: (nudge?.overdue ?? []).map((a) => toReminderItem(a, today)),
          dueSoon: (nudge?.dueSoon ?? []).map((a) => toReminderItem(a, today)),
        }),
      };
    },
    ...(signal ? { signal } : {}),
  });
  return { owners: nudges.length, actionsWithoutOwnerIds: withoutIds, ...summaryOf(report) };
}

/**
 * Who of an action's owners the bot cannot remind itself: owners with no Entra id on record, and
 * owners with no chat with the bot (after the day's nudges, which open one wherever Teams lets us).
 */
export async function notReminded(
  action: ActionRecord,
  hasChat: (aadObjectId: string) => Promise<boolean>,
): Promise<NotReminded | undefined> {
  const base = { ref: action.ref, text: fullText(action) };
  // "All" in a log: the whole board owns it and nobody is reminded individually, by design.
  if (!action.ownerIds.length && action.owners.length && action.owners.every((o) => o === ALL_MEMBERS))
    return { ...base, who: 'All members (the whole board: nobody is reminded individually)' };
  if (!action.ownerIds.length) {
    return {
      ...base,
      who: action.owners.length
        ? `${listNames(action.owners)} (no Teams account on record)`
        : 'No owner named',
    };
  }
  const noChat: string[] = [];
  for (const id of action.ownerIds) if (!(await hasChat(id.toLowerCase()))) noChat.push(id.toLowerCase());
  const names = namesById(action);
  const parts: string[] = [];
  if (noChat.length) {
    const named = noChat.map((id) => names.get(id)).filter((n): n is string => Boolean(n));
    parts.push(
      named.length === noChat.length
        ? `${listNames(named)} (no chat with the bot)`
        : `${noChat.length} of the owners (no chat with the bot)`,
    );
  }
  const withoutId = action.owners.length - action.ownerIds.length;
  if (withoutId > 0) {
    parts.push(
      withoutId === 1
        ? 'one owner (no Teams account on record)'
        : `${withoutId} owners (no Teams account on record)`,
    );
  }
  return parts.length ? { ...base, who: parts.join('; ') } : undefined;
}

/** The chairs' digest for the week starting `weekStart` (a Monday), as seen on `today`. */
export async function sendDigest(
  deps: RemindersDeps,
  weekStart: string,
  today: string,
  signal?: AbortSignal,
): Promise<Record<string, number>> {
  // The chairs of the board the job runs for (issue 12), else those configured.
  const configured = currentBoard()?.chairs ?? deps.chairs;
  const chairs = configured.filter((c) => !c.includes('@'));
  if (chairs.length < configured.length) {
    deps.logger.warn(
      { skipped: configured.length - chairs.length },
      'chairs configured by UPN get no digest: configure them by Entra object id',
    );
  }
  if (!chairs.length) return { chairs: 0 };
  const weekEnd = isoPlus(weekStart, 6);
  const from = today > weekStart ? today : weekStart;
  const [overdue, dueThisWeek] = await Promise.all([
    deps.store.overdue(today),
    from <= weekEnd ? deps.store.dueBetween(from, weekEnd) : Promise.resolve([]),
  ]);
  const chats = new Map<string, boolean>();
  const hasChat = async (id: string) => {
    if (!chats.has(id)) chats.set(id, Boolean(await deps.conversations.personalFor(id)));
    return chats.get(id)!;
  };
  const missed: NotReminded[] = [];
  for (const action of [...overdue, ...dueThisWeek].sort(byDue)) {
    const who = await notReminded(action, hasChat);
    if (who) missed.push(who);
  }
  const view: DigestView = {
    boardName: currentBoard()?.name ?? deps.boardName,
    weekOf: formatLongDate(weekStart),
    overdue: [...overdue].sort(byDue).map((a) => toReminderItem(a, today)),
    dueThisWeek: [...dueThisWeek].sort(byDue).map((a) => toReminderItem(a, today)),
    notReminded: missed,
  };
  const report = await deps.fanOut({
    campaign: perBoard(`${DIGEST_JOB}:${weekStart}`),
    title: `Actions digest, week of ${formatLongDate(weekStart)}`,
    recipients: chairs.map((id): Recipient => ({ kind: 'user', aadObjectId: id })),
    message: () => ({ card: chairDigestCard(view) }),
    ...(signal ? { signal } : {}),
  });
  return {
    chairs: chairs.length,
    overdue: overdue.length,
    dueThisWeek: dueThisWeek.length,
    notReminded: missed.length,
    ...summaryOf(report),
  };
}

/** Daily nudges and the Monday digest, at London times from config. */
export function registerActionReminders(
  scheduler: Scheduler,
  deps: RemindersDeps,
  times: { remindersAt: string; digestAt: string },
): void {
  scheduler
    .add({
      name: REMINDER_JOB,
      schedule: { every: 'day', at: times.remindersAt },
      run: ({ date, signal }) => remindOwners(deps, date, signal),
    })
    .add({
      name: DIGEST_JOB,
      schedule: { every: 'week', on: 1, at: times.digestAt },
      run: ({ date, now, signal }) => sendDigest(deps, date, toIsoDate(londonDate(now)), signal),
    });
}
