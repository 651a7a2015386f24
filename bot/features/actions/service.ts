import type { Role } from '../../routing/types.js';
import { TELEMETRY_EVENTS, trackEvent } from '../../telemetry.js';
import type { ActionFields, FieldsPatch } from '../../sharepoint/index.js';
import { formatLongDate, isValidCalendarDate, parseIsoDate } from '../../dates/london.js';
import {
  appendHistory,
  composeDetails,
  fullText,
  historyLine,
  historyLines,
  joinOwners,
  NOTE_MAX,
  oneLine,
  OPEN_STATUSES,
  withText,
  type ActionRecord,
} from './model.js';
import type { ActionOwner } from './parse-owners.js';
import { toTitle } from './parse.js';
import { fitOwners } from './people.js';
import { normaliseName } from '../../people/roster.js';
import type { ActionStore, Created } from './store.js';

/**
 * The domain of actions: logging, and each change an owner, officer or chair can make. Every change
 * is planned by a pure function from the current item (so a retried ETag write plans again from
 * what is there now), appends a dated line to Details, and writes nothing when nothing changes.
 */

export interface Who {
  name: string;
  aadObjectId?: string;
  role: Role;
}

export interface DueInput {
  /** ISO date; absent for a phrase with no date ("the next meeting"). */
  date?: string;
  /** The phrase as written. */
  text?: string;
  tentative: boolean;
}

export interface ActionDraft {
  title: string;
  /** The full text, as typed. */
  text: string;
  owners: ActionOwner[];
  due?: DueInput;
  meetingRef?: string;
}

/** Where an action came from, for telemetry: a chat message, "Log as action" on a message, minutes. */
export type ActionSource = 'chat' | 'messageAction' | 'import';

export interface LogRequest {
  draft: ActionDraft;
  who: Who;
  at: Date;
  sourceKey: string;
  sourceUrl?: string;
  /** How it came: "from chat", "from a message", "from minutes". */
  how: string;
  source: ActionSource;
  /** With no owner named, chat makes the sender the owner; an import leaves it for the officer. */
  noOwner?: 'sender' | 'nobody';
}

// ── permissions ──

export function isOwner(
  who: Pick<Who, 'name' | 'aadObjectId'>,
  action: Pick<ActionRecord, 'owners' | 'ownerIds'>,
): boolean {
  return ownerTest(who)(action);
}

/** `isOwner` for one person over many actions: their id and name are prepared once. */
export function ownerTest(
  who: Pick<Who, 'name' | 'aadObjectId'>,
): (action: Pick<ActionRecord, 'owners' | 'ownerIds'>) => boolean {
  const id = who.aadObjectId?.toLowerCase();
  const name = normaliseName(who.name);
  return (action) =>
    (id !== undefined && id !== '' && action.ownerIds.some((o) => o.toLowerCase() === id)) ||
    (name !== '' && action.owners.some((o) => normaliseName(o) === name));
}

export function isLogger(who: Pick<Who, 'name'>, action: Pick<ActionRecord, 'loggedBy'>): boolean {
  const name = normaliseName(who.name);
  return name !== '' && normaliseName(action.loggedBy ?? '') === name;
}

/** Owners update their own actions; officers and chairs update any. */
export function mayUpdate(who: Who, action: ActionRecord): boolean {
  if (who.role === 'stranger') return false;
  return who.role === 'officer' || who.role === 'chair' || isOwner(who, action);
}

/** Whoever logged an action may also correct or undo it (they may have named someone else). */
export function mayEditOrUndo(who: Who, action: ActionRecord): boolean {
  return mayUpdate(who, action) || (who.role !== 'stranger' && isLogger(who, action));
}

export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export function whoCanUpdate(action: ActionRecord, what = 'update', withLogger = false): string {
  const people: string[] = [];
  if (action.owners.length)
    people.push(`${listNames(action.owners)} (the ${action.owners.length > 1 ? 'owners' : 'owner'})`);
  const logger =
    action.loggedBy && withLogger && !action.owners.includes(action.loggedBy) ? action.loggedBy : undefined;
  if (logger) people.push(`${logger} (who logged it)`);
  const named = people.length ? `${people.join(', ')}, ` : '';
  return `Only ${named}the board's officers and chairs can ${what} ${action.ref}. Ask one of them, or mention them in the chat.`;
}

// ── logging ──

function ownerFields(
  owners: readonly ActionOwner[],
): Pick<ActionFields, 'Owners' | 'OwnerIds'> & { dropped: string[] } {
  const { kept, dropped } = fitOwners(owners.map((o) => oneLine(o.name)));
  const ids = owners.filter((o) => o.id && kept.includes(oneLine(o.name))).map((o) => o.id as string);
  return { Owners: joinOwners(kept), ...(ids.length ? { OwnerIds: ids.join('; ') } : {}), dropped };
}

/** Teams message links carry names and times we do not need; the column holds 255 characters. */
export function fitSourceUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  if (url.length <= 255) return url;
  try {
    const u = new URL(url);
    for (const p of ['teamName', 'channelName', 'createdTime', 'context']) u.searchParams.delete(p);
    if (u.toString().length <= 255) return u.toString();
    u.search = '';
    return u.toString().length <= 255 ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** The new item's columns; `source` is for telemetry only and writes nothing. */
export function newActionFields(req: Omit<LogRequest, 'source'>): Omit<ActionFields, 'ActionRef'> {
  const { draft, who, at } = req;
  const owners = draft.owners.length || req.noOwner === 'nobody' ? draft.owners : [selfAsOwner(who)];
  const { dropped, ...ownerColumns } = ownerFields(owners);
  const sourceUrl = fitSourceUrl(req.sourceUrl);
  const lines = [historyLine(at, who.name, `logged it ${req.how}`)];
  if (dropped.length) lines.push(historyLine(at, who.name, `also owned by ${dropped.join('; ')}`));
  if (req.sourceUrl && !sourceUrl) lines.push(historyLine(at, who.name, `source: ${req.sourceUrl}`));
  const dueText = draft.due?.text ? oneLine(draft.due.text).slice(0, 255) : undefined;
  return {
    Title: toTitle(draft.title || draft.text),
    Details: composeDetails(draft.text, lines),
    ...(ownerColumns.Owners ? { Owners: ownerColumns.Owners } : {}),
    ...(ownerColumns.OwnerIds ? { OwnerIds: ownerColumns.OwnerIds } : {}),
    ...(draft.due?.date ? { DueDate: draft.due.date } : {}),
    ...(dueText ? { DueText: dueText } : {}),
    Tentative: draft.due?.tentative ?? false,
    Status: 'Open',
    ...(draft.meetingRef ? { MeetingRef: oneLine(draft.meetingRef).slice(0, 255) } : {}),
    ...(sourceUrl ? { SourceUrl: sourceUrl } : {}),
    SourceKey: req.sourceKey,
    LoggedBy: oneLine(who.name).slice(0, 255),
  };
}

function selfAsOwner(who: Who): ActionOwner {
  return { name: who.name, kind: 'person', ...(who.aadObjectId ? { id: who.aadObjectId } : {}) };
}

/**
 * Writes the action at once; the same SourceKey again returns the first item, unchanged (and
 * counts for nothing in telemetry: only a new action is an ActionLogged).
 */
export async function logAction(store: ActionStore, req: LogRequest): Promise<Created> {
  const created = await store.create(newActionFields(req));
  if (created.created)
    trackEvent(TELEMETRY_EVENTS.actionLogged, {
      source: req.source,
      ref: created.record.ref,
      count: 1,
      owners: created.record.owners.length,
      tentative: created.record.tentative,
    });
  return created;
}

// ── changes ──

export type Change =
  | { kind: 'start' }
  | { kind: 'done' }
  | { kind: 'drop'; reason: string }
  | { kind: 'note'; text: string }
  | { kind: 'due'; due: DueInput }
  | { kind: 'reassign'; owners: ActionOwner[] }
  | { kind: 'edit'; text?: string; owners?: ActionOwner[]; due?: DueInput; meetingRef?: string }
  | { kind: 'undo' };

export type Plan =
  | { write: FieldsPatch<ActionFields>; message: string }
  | { write?: undefined; outcome: 'unchanged' | 'refused'; message: string };

export type Outcome =
  | { kind: 'changed'; record: ActionRecord; message: string }
  | { kind: 'unchanged'; record: ActionRecord; message: string }
  | { kind: 'refused'; record: ActionRecord; message: string }
  | { kind: 'notFound'; message: string }
  | { kind: 'invalid'; message: string };

/** Input that can be judged without reading the list: a clear message, and nothing is read or written. */
export function validateChange(change: Change): string | undefined {
  switch (change.kind) {
    case 'drop':
      if (!change.reason.trim())
        return 'Say why it is dropped, for example "action A-0042 drop no longer needed".';
      if (change.reason.length > NOTE_MAX) return `Keep the reason under ${NOTE_MAX} characters.`;
      return undefined;
    case 'note':
      if (!change.text.trim())
        return 'Write the note after "note", for example "action A-0042 note sent to partners".';
      if (change.text.length > NOTE_MAX)
        return `Keep a note under ${NOTE_MAX} characters; link a document for more.`;
      return undefined;
    case 'due':
      return validateDue(change.due);
    case 'reassign':
      return change.owners.length
        ? undefined
        : 'Name the new owners, for example "Sonia Khan and Rachel Duke".';
    case 'edit':
      if (change.text !== undefined && !change.text.trim()) return 'The action needs some text.';
      if (change.owners && !change.owners.length) return 'An action needs at least one owner.';
      return change.due ? validateDue(change.due) : undefined;
    default:
      return undefined;
  }
}

function validateDue(due: DueInput): string | undefined {
  if (due.date === undefined)
    return due.text?.trim() ? undefined : 'Give the new due date, for example "30 June".';
  const [y, m, d] = due.date.split('-').map(Number);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(due.date) || !isValidCalendarDate(y ?? 0, m ?? 0, d ?? 0)) {
    return `"${due.date}" is not a date I can use. Pick a date, for example 30/06/2018.`;
  }
  return undefined;
}

const unchanged = (message: string): Plan => ({ outcome: 'unchanged', message });

function describeDue(a: {
  dueDate?: string | undefined;
  dueText?: string | undefined;
  tentative?: boolean | undefined;
}): string {
  if (!a.dueDate) return a.dueText ? `"${a.dueText}"` : 'no date';
  const label = parseIsoDate(a.dueDate) ? formatLongDate(a.dueDate) : a.dueDate;
  return `${label}${a.tentative ? ' (tentative)' : ''}`;
}

function duePatch(due: DueInput): FieldsPatch<ActionFields> {
  const text = due.text?.trim()
    ? oneLine(due.text).slice(0, 255)
    : due.date
      ? formatLongDate(due.date)
      : null;
  return { DueDate: due.date ?? null, DueText: text, Tentative: due.tentative };
}

function sameDue(current: ActionRecord, due: DueInput): boolean {
  const text = due.text?.trim() ? oneLine(due.text) : undefined;
  return (
    (current.dueDate ?? undefined) === due.date &&
    current.tentative === due.tentative &&
    (text === undefined || text === current.dueText)
  );
}

function sameOwners(current: ActionRecord, owners: readonly ActionOwner[]): boolean {
  const a = current.owners.map(normaliseName).sort();
  const b = owners.map((o) => normaliseName(o.name)).sort();
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** What a change does to the action as it is now. Pure: the clock and the person come in. */
export function planChange(change: Change, current: ActionRecord, who: Who, at: Date): Plan {
  const editing = change.kind === 'edit' || change.kind === 'undo';
  const allowed = editing ? mayEditOrUndo(who, current) : mayUpdate(who, current);
  if (!allowed)
    return {
      outcome: 'refused',
      message: whoCanUpdate(current, editing ? 'edit or undo' : 'update', editing),
    };

  const ref = current.ref;
  const line = (what: string) => appendHistory(current.details, historyLine(at, who.name, what));
  const isOpen = OPEN_STATUSES.includes(current.status);

  switch (change.kind) {
    case 'start': {
      if (current.status === 'In progress') return unchanged(`${ref} is already in progress.`);
      const reopening = !isOpen;
      return {
        write: {
          Status: 'In progress',
          Details: line(reopening ? 'reopened it (In progress)' : 'started it (In progress)'),
        },
        message: reopening ? `${ref} is open again and in progress.` : `${ref} is now in progress.`,
      };
    }
    case 'done':
      if (current.status === 'Done') return unchanged(`${ref} is already done. Nothing was changed.`);
      return {
        write: { Status: 'Done', Details: line('marked it done') },
        message: `${ref} is done. Thank you.`,
      };
    case 'drop':
      if (current.status === 'Dropped') return unchanged(`${ref} was already dropped. Nothing was changed.`);
      return {
        write: { Status: 'Dropped', Details: line(`dropped it: ${change.reason}`) },
        message: `${ref} was dropped: ${oneLine(change.reason)}`,
      };
    case 'note': {
      const entry = historyLine(at, who.name, `note: ${change.text}`);
      // The same note from the same person on the same day is a repeated click or delivery.
      const day = entry.split(' ').slice(0, 3).join(' ');
      const said = entry.slice(entry.indexOf(', ') + 2);
      const already = historyLines(current.details).some((l) => l.startsWith(day) && l.endsWith(said));
      if (already) return unchanged(`That note is already on ${ref}.`);
      return { write: { Details: appendHistory(current.details, entry) }, message: `Note added to ${ref}.` };
    }
    case 'due': {
      if (sameDue(current, change.due)) return unchanged(`${ref} is already due ${describeDue(current)}.`);
      const next = {
        ...change.due,
        ...(change.due.text ? { dueText: change.due.text } : {}),
        dueDate: change.due.date,
      };
      return {
        write: {
          ...duePatch(change.due),
          Details: line(`changed the due date from ${describeDue(current)} to ${describeDue(next)}`),
        },
        message: `${ref} is now due ${describeDue(next)}.`,
      };
    }
    case 'reassign': {
      if (sameOwners(current, change.owners))
        return unchanged(`${ref} already belongs to ${listNames(current.owners)}.`);
      const columns = ownerFields(change.owners);
      const names = change.owners.map((o) => o.name);
      return {
        write: {
          Owners: columns.Owners ?? '',
          OwnerIds: columns.OwnerIds ?? null,
          Details: line(`reassigned it from ${current.owners.join('; ') || 'nobody'} to ${names.join('; ')}`),
        },
        message: `${ref} now belongs to ${listNames(names)}.`,
      };
    }
    case 'edit':
      return planEdit(change, current, who, at);
    case 'undo':
      // A double click reaches us twice: the second should say it is done, not that it can't be.
      if (current.status === 'Dropped' && current.details.includes('undid it (logged by mistake)'))
        return unchanged(`${ref} has been undone.`);
      if (!isOpen)
        return unchanged(`${ref} is ${current.status.toLowerCase()}, so there is nothing to undo.`);
      return {
        write: { Status: 'Dropped', Details: line('undid it (logged by mistake)') },
        message: `${ref} is undone. It stays in the Actions list as Dropped, for the record.`,
      };
  }
}

function planEdit(
  change: Extract<Change, { kind: 'edit' }>,
  current: ActionRecord,
  who: Who,
  at: Date,
): Plan {
  const write: FieldsPatch<ActionFields> = {};
  const said: string[] = [];
  let details = current.details;
  if (change.text !== undefined && oneLine(change.text) !== oneLine(fullText(current))) {
    write.Title = toTitle(change.text);
    details = withText(details, change.text);
    said.push('the text');
  }
  if (change.owners && !sameOwners(current, change.owners)) {
    const columns = ownerFields(change.owners);
    write.Owners = columns.Owners ?? '';
    write.OwnerIds = columns.OwnerIds ?? null;
    said.push(`owners to ${change.owners.map((o) => o.name).join('; ')}`);
  }
  // A new date picked while the old phrase stayed in the form: the phrase no longer describes it.
  const due =
    change.due?.date && change.due.date !== current.dueDate && change.due.text === current.dueText
      ? { date: change.due.date, tentative: false }
      : change.due;
  if (due && !sameDue(current, due)) {
    Object.assign(write, duePatch(due));
    const to = describeDue({ ...due, dueDate: due.date, ...(due.text ? { dueText: due.text } : {}) });
    // The history keeps the old date too, as the typed "due" command does.
    said.push(current.dueDate ? `due date from ${describeDue(current)} to ${to}` : `due date to ${to}`);
  }
  if (change.meetingRef !== undefined && oneLine(change.meetingRef) !== (current.meetingRef ?? '')) {
    write.MeetingRef = oneLine(change.meetingRef).slice(0, 255) || null;
    said.push(change.meetingRef.trim() ? `meeting to ${oneLine(change.meetingRef)}` : 'meeting removed');
  }
  if (!said.length) return unchanged(`Nothing to change on ${current.ref}.`);
  write.Details = appendHistory(details, historyLine(at, who.name, `edited ${said.join(', ')}`));
  return { write, message: `${current.ref} updated: ${said.join(', ')}.` };
}

/**
 * Applies a change by reference: one read by the indexed ActionRef, then a read-modify-write with
 * the ETag that plans again from the current item if someone else wrote first.
 */
export async function changeAction(
  store: ActionStore,
  ref: string,
  change: Change,
  who: Who,
  at: Date,
): Promise<Outcome> {
  const invalid = validateChange(change);
  if (invalid) return { kind: 'invalid', message: invalid };
  const found = await store.getByRef(ref);
  if (!found) return { kind: 'notFound', message: notFoundMessage(ref) };
  let plan: Plan | undefined;
  let before: string | undefined;
  const record = await store.update(found.id, (current) => {
    before = current.status;
    plan = planChange(change, current, who, at);
    return plan.write;
  });
  if (!plan) return { kind: 'notFound', message: notFoundMessage(ref) };
  if (plan.write) {
    trackEvent(TELEMETRY_EVENTS.actionUpdated, {
      ref: record.ref,
      change: change.kind,
      status: record.status,
      previousStatus: before,
    });
    return { kind: 'changed', record, message: plan.message };
  }
  return plan.outcome === 'refused'
    ? { kind: 'refused', record, message: plan.message }
    : { kind: 'unchanged', record, message: plan.message };
}

export function notFoundMessage(ref: string): string {
  return `I can't find action ${ref}. Check the reference (it looks like A-0042), or type "actions" to see the open ones.`;
}
