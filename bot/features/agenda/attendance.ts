import { SHEET_PAGE_SIZE, type SheetRowView, type SheetView } from '../../../cards/agenda-attendance.js';
import type { RosterMember } from '../../routing/types.js';
import { loadPack, type AgendaContext, type LoadedPack } from './context.js';
import type { Answer, AttendanceRecord, Member } from './model.js';
import { refreshPosted } from './publishing.js';
import { countsOf, hasStarted, whenText } from './views.js';
import { clockTime, longDateAt } from './when.js';

/**
 * Attendance: each member's one current answer (attending, apologies, or a substitute with name and
 * organisation), changeable until the meeting starts; and the officer's attendance sheet, which
 * lists everyone invited, answered or not.
 */

export type AnswerOutcome =
  | { kind: 'answered'; pack: LoadedPack; answer: AttendanceRecord; notice: string }
  | { kind: 'message'; message: string };

const NAME_MAX = 120;

function thanks(response: Answer, record: AttendanceRecord, changed: boolean): string {
  const who = record.substituteName
    ? `${record.substituteName}${record.substituteOrganisation ? ` (${record.substituteOrganisation})` : ''}`
    : 'your substitute';
  if (!changed) {
    if (response === 'Attending') return 'You were already down as attending; nothing changed.';
    if (response === 'Apologies') return 'Your apologies were already recorded; nothing changed.';
    return `${who} was already down to attend on your behalf; nothing changed.`;
  }
  if (response === 'Attending') return "Thank you: you're down as attending.";
  if (response === 'Apologies') return 'Thank you: your apologies are recorded.';
  return `Thank you: your apologies are recorded, and ${who} will attend on your behalf.`;
}

export async function answerAttendance(
  ctx: AgendaContext,
  req: {
    ref: string;
    member: Member;
    response: Answer;
    substituteName?: string;
    substituteOrganisation?: string;
    at: Date;
  },
): Promise<AnswerOutcome> {
  const name = (req.substituteName ?? '').replace(/\s+/g, ' ').trim();
  const organisation = (req.substituteOrganisation ?? '').replace(/\s+/g, ' ').trim();
  if (req.response === 'Substitute') {
    if (!name)
      return {
        kind: 'message',
        message: 'Give the name of the colleague who will attend on your behalf. Nothing was changed.',
      };
    if (name.length > NAME_MAX || organisation.length > NAME_MAX)
      return {
        kind: 'message',
        message: `Keep the substitute's name and organisation under ${NAME_MAX} characters each. Nothing was changed.`,
      };
  }
  const meeting = await ctx.store.get(req.ref);
  if (!meeting) return { kind: 'message', message: `I can't find meeting ${req.ref}.` };
  if (meeting.status === 'Draft')
    return {
      kind: 'message',
      message: `The pack for ${req.ref} is not published yet, so there is nothing to answer.`,
    };
  if (meeting.status === 'Cancelled') return { kind: 'message', message: `${req.ref} was discarded.` };
  if (meeting.status === 'Held' || hasStarted(meeting, req.at)) {
    const start = new Date(meeting.startsAt);
    return {
      kind: 'message',
      message: `The meeting started at ${clockTime(start)} on ${longDateAt(start)}, so attendance can no longer be changed here. Please tell the board's officer. Nothing was changed.`,
    };
  }
  const { record, changed } = await ctx.store.answer(req.ref, req.member.id, {
    Title: req.member.name.slice(0, 255),
    Response: req.response,
    ...(req.response === 'Substitute'
      ? { SubstituteName: name, ...(organisation ? { SubstituteOrganisation: organisation } : {}) }
      : {}),
  });
  // The answer is stored. Refreshing the cards afterwards may fail on its own; that must not
  // make the person think their answer was lost.
  try {
    if (changed) await refreshPosted(ctx, req.ref, { now: req.at });
    const pack = await loadPack(ctx, req.ref);
    if (!pack) return { kind: 'message', message: `I can't find meeting ${req.ref}.` };
    return { kind: 'answered', pack, answer: record, notice: thanks(req.response, record, changed) };
  } catch {
    return {
      kind: 'message',
      message: `${thanks(req.response, record, changed)} I could not refresh the card just now; it will show your answer the next time it is opened.`,
    };
  }
}

// ── the sheet ──

const matches = (ids: ReadonlySet<string>, m: { id: string; upn?: string; email?: string }) =>
  [m.id, m.upn, m.email].some((k) => k && ids.has(k.toLowerCase()));

function expectedOf(answer: AttendanceRecord | undefined): Pick<SheetRowView, 'expected' | 'onBehalf'> {
  switch (answer?.response) {
    case 'Attending':
      return { expected: 'Attending' };
    case 'Apologies':
      return { expected: 'Apologies' };
    case 'Substitute':
      return {
        expected: 'Apologies',
        onBehalf: `${answer.substituteName ?? 'A substitute'}${answer.substituteOrganisation ? `, ${answer.substituteOrganisation}` : ''}`,
      };
    default:
      return { expected: 'No answer yet' };
  }
}

/**
 * Everyone who should be on the sheet: the conversation's roster (when asked in the board's channel
 * or chat), those the pack was published to, and anyone else who answered. Officers are listed as
 * advisers to the board; chairs first among the members.
 */
export function sheetOf(
  ctx: Pick<AgendaContext, 'officers' | 'chairs'>,
  pack: LoadedPack,
  roster: readonly RosterMember[],
  page = 1,
): SheetView {
  const byId = new Map(pack.answers.map((a) => [a.memberId.toLowerCase(), a]));
  const people = new Map<string, { id: string; name: string; upn?: string; email?: string }>();
  for (const m of roster) {
    const id = (m.aadObjectId ?? m.id).toLowerCase();
    if (!people.has(id))
      people.set(id, {
        id,
        name: m.name,
        ...(m.upn ? { upn: m.upn } : {}),
        ...(m.email ? { email: m.email } : {}),
      });
  }
  for (const m of pack.meeting.invited) if (!people.has(m.id)) people.set(m.id, { id: m.id, name: m.name });
  for (const a of pack.answers) {
    const id = a.memberId.toLowerCase();
    if (!people.has(id)) people.set(id, { id, name: a.name || 'A member' });
  }
  const members: SheetRowView[] = [];
  const chairs: SheetRowView[] = [];
  const advisers: SheetRowView[] = [];
  for (const p of people.values()) {
    const row = { member: p.name, ...expectedOf(byId.get(p.id)) };
    if (matches(ctx.officers, p))
      advisers.push(row.expected === 'No answer yet' ? { ...row, expected: 'Expected' } : row);
    else if (matches(ctx.chairs, p)) chairs.push({ ...row, label: 'Chair' });
    else members.push(row);
  }
  const all = [...chairs, ...members];
  const pages = Math.max(1, Math.ceil(all.length / SHEET_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const boardMembers = [...people.values()]
    .filter((p) => !matches(ctx.officers, p))
    .map((p) => ({ id: p.id, name: p.name }));
  return {
    ref: pack.meeting.ref,
    board: pack.meeting.board,
    when: whenText(
      pack.meeting.startsAt,
      pack.items.filter((i) => !i.withdrawn),
    ),
    counts: countsOf(
      pack.answers.filter((a) => boardMembers.some((b) => b.id === a.memberId.toLowerCase())),
      boardMembers,
    ),
    rows: all.slice((current - 1) * SHEET_PAGE_SIZE, current * SHEET_PAGE_SIZE),
    advisers,
    page: current,
    pages,
    total: all.length,
  };
}

// ── apologies recorded from the minutes ──

export interface RecordedApology {
  /** The member's id, or a stable key for someone not on the roster ("name:jim-gamble"). */
  memberId: string;
  name: string;
  substituteName?: string;
  substituteOrganisation?: string;
}

/**
 * Apologies (and substitutes) read from a meeting's minutes, written as the members' answers on its
 * attendance sheet; the meeting may be over, as minutes are. The same apologies again change nothing.
 */
export async function recordApologies(
  store: AgendaContext['store'],
  ref: string,
  apologies: readonly RecordedApology[],
): Promise<{ recorded: number; unchanged: number } | { problem: string }> {
  const meeting = await store.get(ref);
  if (!meeting) return { problem: `I can't find meeting ${ref}.` };
  if (meeting.status === 'Cancelled') return { problem: `${ref} was discarded, so it has no attendance.` };
  let recorded = 0;
  let unchanged = 0;
  for (const a of apologies) {
    const sub = a.substituteName?.trim().slice(0, NAME_MAX);
    const org = a.substituteOrganisation?.trim().slice(0, NAME_MAX);
    const { changed } = await store.answer(ref, a.memberId, {
      Title: a.name.slice(0, 255),
      Response: sub ? 'Substitute' : 'Apologies',
      ...(sub ? { SubstituteName: sub, ...(org ? { SubstituteOrganisation: org } : {}) } : {}),
    });
    if (changed) recorded++;
    else unchanged++;
  }
  return { recorded, unchanged };
}
