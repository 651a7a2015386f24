import type {
  CountsView,
  ItemView,
  PackStatusView,
  PackView,
  SupplementView,
  ViewerView,
} from '../../../cards/agenda.js';
import type { Role } from '../../routing/types.js';
import type { AttendanceRecord, ItemState, MeetingRecord, Member } from './model.js';
import { isWebAddress } from './validate.js';
import { clockTime, dayAndMonth, longDateAt } from './when.js';

/** Records as the cards show them: clock times that run on, counts, supplements, the viewer. */

/** Each item's clock time: the start time plus the minutes of the items before it, while known. */
export function runOnTimes(
  startsAt: Date,
  items: readonly Pick<ItemState, 'minutes'>[],
): (string | undefined)[] {
  let at: number | undefined = startsAt.getTime();
  return items.map((item) => {
    const time = at === undefined ? undefined : clockTime(new Date(at));
    at = at !== undefined && item.minutes ? at + item.minutes * 60_000 : undefined;
    return time;
  });
}

/** "Monday 26 February 2018, 10:00 to 12:00" (the end when every item has its minutes). */
export function whenText(startsAt: string, items: readonly Pick<ItemState, 'minutes'>[]): string {
  const start = new Date(startsAt);
  if (Number.isNaN(start.getTime())) return 'Date to be confirmed';
  const total = items.every((i) => i.minutes) ? items.reduce((sum, i) => sum + (i.minutes ?? 0), 0) : 0;
  const end = total ? ` to ${clockTime(new Date(start.getTime() + total * 60_000))}` : '';
  return `${longDateAt(start)}, ${clockTime(start)}${end}`;
}

export function supplementsOf(meeting: Pick<MeetingRecord, 'versions'>): SupplementView[] {
  return meeting.versions
    .filter((v) => v.v >= 2)
    .map((v) => ({
      number: v.v - 1,
      date: dayAndMonth(new Date(v.at)),
      note: v.note ?? 'supplementary papers',
    }));
}

/** Live counts; "not answered" only when the members invited are known. */
export function countsOf(answers: readonly AttendanceRecord[], invited: readonly Member[]): CountsView {
  const count = (r: AttendanceRecord['response']) => answers.filter((a) => a.response === r).length;
  const answered = new Set(answers.filter((a) => a.response).map((a) => a.memberId.toLowerCase()));
  return {
    attending: count('Attending'),
    apologies: count('Apologies'),
    substitutes: count('Substitute'),
    ...(invited.length
      ? { notAnswered: invited.filter((m) => !answered.has(m.id.toLowerCase())).length }
      : {}),
  };
}

export function toItemViews(
  startsAt: string,
  items: readonly (ItemState & { decision?: string })[],
): ItemView[] {
  const times = runOnTimes(new Date(startsAt), items);
  return items.map((item, i) => ({
    number: item.number,
    title: item.title,
    ...(item.presenter ? { presenter: item.presenter } : {}),
    ...(times[i] ? { time: times[i] } : {}),
    ...(item.minutes ? { minutes: item.minutes } : {}),
    ...(item.purpose ? { purpose: item.purpose } : {}),
    // Links are checked when saved; an admin's hand edit to the list is checked again here.
    papers: item.papers
      .filter((p) => isWebAddress(p.url))
      .map((p) => ({ title: p.title, url: p.url, ...(p.supplement ? { supplement: p.supplement } : {}) })),
    ...(item.details ? { details: item.details } : {}),
    ...(item.decision ? { decision: item.decision } : {}),
  }));
}

export function toPackView(
  meeting: MeetingRecord,
  items: readonly (ItemState & { decision?: string })[],
  now: Date,
  counts?: CountsView,
): PackView {
  const status: PackStatusView = meeting.status;
  return {
    ref: meeting.ref,
    board: meeting.board,
    status,
    version: Math.max(meeting.version, status === 'Draft' ? 0 : 1),
    when: whenText(meeting.startsAt, items),
    ...(meeting.venue ? { venue: meeting.venue } : {}),
    ...(meeting.onlineUrl && isWebAddress(meeting.onlineUrl) ? { onlineUrl: meeting.onlineUrl } : {}),
    ...(meeting.chair ? { chair: meeting.chair } : {}),
    supplements: supplementsOf(meeting),
    items: toItemViews(meeting.startsAt, items),
    ...(counts ? { counts } : {}),
    ...(meeting.minutesUrl && isWebAddress(meeting.minutesUrl) ? { minutesUrl: meeting.minutesUrl } : {}),
    started: hasStarted(meeting, now),
  };
}

export function hasStarted(meeting: Pick<MeetingRecord, 'startsAt'>, now: Date): boolean {
  const start = Date.parse(meeting.startsAt);
  return Number.isFinite(start) && now.getTime() >= start;
}

/** Officers manage the pack; everyone else on the board answers attendance. */
export function viewerFor(role: Role, answer?: AttendanceRecord, notice?: string): ViewerView {
  const mine =
    answer?.response && role !== 'officer'
      ? {
          answer: {
            response: answer.response,
            ...(answer.substituteName ? { substituteName: answer.substituteName } : {}),
            ...(answer.substituteOrganisation
              ? { substituteOrganisation: answer.substituteOrganisation }
              : {}),
          },
        }
      : {};
  return { role: role === 'officer' ? 'officer' : 'member', ...mine, ...(notice ? { notice } : {}) };
}
