import {
  byAgendaOrder,
  toAttendance,
  toItem,
  toMeeting,
  type AttendanceRecord,
  type ItemRecord,
  type MeetingRecord,
} from '../../features/agenda/model.js';
import { countsOf, toPackView } from '../../features/agenda/views.js';
import { formatLongDate, londonDate, londonDateTimeToUtc } from '../../dates/london.js';
import type { Block, Cell, ViewData } from '../contract.js';
import { safeUrl } from '../../../cards/text.js';
import type { TabView } from './types.js';

/**
 * The next meeting: when and where, the agenda pack with each item's clock time, papers and
 * decision, its supplements, and who is attending, sending apologies or a substitute. Read with
 * the agenda feature's own model, so the tab and the pack card agree.
 */

const TITLE = 'Next meeting';

export function meetingBlocks(
  meeting: MeetingRecord,
  items: readonly ItemRecord[],
  attendance: readonly AttendanceRecord[],
  now: Date,
): Block[] {
  const live = items.filter((i) => !i.withdrawn).sort(byAgendaOrder);
  const pack = toPackView(meeting, live, now, countsOf(attendance, meeting.invited));
  const online = safeUrl(pack.onlineUrl);
  const minutes = safeUrl(pack.minutesUrl);
  const blocks: Block[] = [
    { kind: 'heading', text: `${pack.board}: ${meeting.ref}` },
    {
      kind: 'facts',
      items: [
        { label: 'When', value: pack.when },
        ...(pack.venue ? [{ label: 'Where', value: pack.venue }] : []),
        ...(online ? [{ label: 'Online', value: 'Join the Teams meeting', url: online }] : []),
        ...(pack.chair ? [{ label: 'Chair', value: pack.chair }] : []),
        {
          label: 'Agenda pack',
          value:
            pack.status === 'Draft'
              ? 'Draft: not yet published'
              : pack.supplements.length
                ? `Version ${pack.version}, with ${pack.supplements.length} supplement${pack.supplements.length > 1 ? 's' : ''}`
                : `Version ${pack.version}`,
        },
        ...(minutes ? [{ label: 'Minutes', value: 'Read the minutes', url: minutes }] : []),
      ],
    },
  ];

  if (pack.items.length) {
    const decisions = pack.items.some((i) => i.decision);
    blocks.push({
      kind: 'table',
      caption: 'Agenda',
      columns: [
        'Item',
        'Title',
        'Presenter',
        'Time',
        'Purpose',
        'Papers',
        ...(decisions ? ['Decision'] : []),
      ],
      rows: pack.items.map((i): Cell[] => [
        i.number,
        i.title,
        i.presenter ?? '',
        [i.time, i.minutes ? `${i.minutes} minutes` : ''].filter(Boolean).join(', '),
        i.purpose ?? '',
        {
          links: i.papers.flatMap((p) => {
            const url = safeUrl(p.url);
            return url
              ? [{ text: p.supplement ? `${p.title} (supplement ${p.supplement})` : p.title, url }]
              : [];
          }),
        },
        ...(decisions ? [i.decision ?? ''] : []),
      ]),
    });
  } else blocks.push({ kind: 'notice', text: 'No items on the agenda yet.' });

  if (pack.supplements.length)
    blocks.push({
      kind: 'list',
      caption: 'Supplementary papers',
      items: pack.supplements.map((s) => {
        const papers = pack.items.flatMap((i) =>
          i.papers.filter((p) => p.supplement === s.number).map((p) => `${p.title} (item ${i.number})`),
        );
        return `Supplement ${s.number}, published ${s.date}: ${s.note}${papers.length ? `. Papers: ${papers.join('; ')}` : ''}`;
      }),
    });

  blocks.push(...attendanceBlocks(attendance, meeting));
  return blocks;
}

/** Counts, then everyone who answered and every member invited who has not. */
export function attendanceBlocks(
  answers: readonly AttendanceRecord[],
  meeting: Pick<MeetingRecord, 'invited'>,
): Block[] {
  const counts = countsOf(answers, meeting.invited);
  const answered = new Set(answers.filter((a) => a.response).map((a) => a.memberId.toLowerCase()));
  const rows: Cell[][] = [
    ...[...answers]
      .filter((a) => a.response)
      .sort((a, b) => a.name.localeCompare(b.name, 'en-GB'))
      .map((a): Cell[] => [
        a.name,
        a.organisation ?? '',
        a.response === 'Substitute' ? 'Sending a substitute' : (a.response ?? ''),
        a.response === 'Substitute'
          ? [a.substituteName, a.substituteOrganisation].filter(Boolean).join(', ')
          : '',
      ]),
    ...meeting.invited
      .filter((m) => !answered.has(m.id.toLowerCase()))
      .sort((a, b) => a.name.localeCompare(b.name, 'en-GB'))
      .map((m): Cell[] => [m.name, '', 'No answer yet', '']),
  ];
  return [
    { kind: 'heading', text: 'Attendance' },
    {
      kind: 'facts',
      items: [
        { label: 'Attending', value: String(counts.attending) },
        { label: 'Apologies', value: String(counts.apologies) },
        { label: 'Sending a substitute', value: String(counts.substitutes) },
        ...(counts.notAnswered !== undefined
          ? [{ label: 'Not answered yet', value: String(counts.notAnswered) }]
          : []),
      ],
    },
    rows.length
      ? {
          kind: 'table',
          caption: 'Who is coming',
          columns: ['Member', 'Organisation', 'Answer', 'Attending on their behalf'],
          rows,
        }
      : { kind: 'notice', text: 'Nobody has answered yet.' },
  ];
}

export const nextMeeting: TabView = {
  id: 'next-meeting',
  title: TITLE,
  async load(ctx): Promise<ViewData> {
    const repo = ctx.lists.Meetings;
    // Today's meeting stays "next" until the day is over.
    const startOfToday = londonDateTimeToUtc(londonDate(ctx.now), '00:00');
    const page = await repo.page({
      filter: repo.filter.ge('StartsAt', startOfToday),
      orderBy: 'StartsAt',
      top: 20,
    });
    const meetings = page.items
      .map(toMeeting)
      .filter((m) => m.status !== 'Cancelled' && (m.status !== 'Draft' || ctx.who.role === 'officer'));
    if (!meetings.length)
      return {
        id: this.id,
        title: TITLE,
        blocks: [{ kind: 'notice', text: 'No meeting is scheduled from today onwards.' }],
      };
    const meeting = meetings.find((m) => m.ref === ctx.choice) ?? meetings[0]!;
    const items = ctx.lists.AgendaItems;
    const people = ctx.lists.Attendance;
    const [agenda, attendance] = await Promise.all([
      items.all({ filter: items.filter.eq('MeetingRef', meeting.ref) }),
      people.all({ filter: people.filter.eq('MeetingRef', meeting.ref) }),
    ]);
    return {
      id: this.id,
      title: TITLE,
      ...(meetings.length > 1
        ? {
            choice: {
              label: 'Meeting',
              selected: meeting.ref,
              options: meetings.map((m) => ({
                value: m.ref,
                label: `${formatLongDate(londonDate(new Date(m.startsAt)))}: ${m.board}`,
              })),
            },
          }
        : {}),
      blocks: meetingBlocks(meeting, agenda.map(toItem), attendance.map(toAttendance), ctx.now),
    };
  },
};
