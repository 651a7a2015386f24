import { attendanceReminderCard } from '../../../cards/agenda.js';
import { addDays, londonDateTimeToUtc, parseIsoDate } from '../../dates/london.js';
import type { Recipient, Scheduler } from '../../messaging/index.js';
import { currentView, loadPack, type AgendaContext } from './context.js';
import { campaigns } from './publishing.js';

/**
 * The day before a meeting, members the pack was published to who have not said whether they will
 * attend get one reminder in their personal chat (campaign `agenda:<ref>:reminder`, so however
 * often the job runs nobody is reminded twice).
 */

export const AGENDA_REMINDER_JOB = 'agenda-reminders';

/** Reminders for meetings on the London day after `today` (ISO). */
export async function remindTomorrow(
  ctx: AgendaContext,
  today: string,
  now: Date,
  signal?: AbortSignal,
): Promise<Record<string, number>> {
  if (!ctx.messaging) return { meetings: 0 };
  const day = parseIsoDate(today);
  if (!day) throw new RangeError(`Not an ISO date: ${today}`);
  const from = londonDateTimeToUtc(addDays(day, 1), '00:00');
  const to = londonDateTimeToUtc(addDays(day, 2), '00:00');
  const meetings = await ctx.store.publishedBetween(from, to);
  let reminded = 0;
  let sent = 0;
  for (const meeting of meetings) {
    const pack = await loadPack(ctx, meeting.ref);
    if (!pack) continue;
    const answered = new Set(pack.answers.filter((a) => a.response).map((a) => a.memberId.toLowerCase()));
    const due = meeting.invited.filter((m) => !answered.has(m.id.toLowerCase()));
    if (!due.length) continue;
    const card = attendanceReminderCard(currentView(pack, now));
    const report = await ctx.messaging.fanOut({
      campaign: campaigns.reminder(meeting.ref),
      title: `Attendance reminder, agenda pack ${meeting.ref}`,
      recipients: due.map((m): Recipient => ({ kind: 'user', aadObjectId: m.id, name: m.name })),
      message: () => ({ card }),
      ...(signal ? { signal } : {}),
    });
    reminded += due.length;
    sent += report.sent;
  }
  return { meetings: meetings.length, reminded, sent };
}

export function registerAgendaReminders(scheduler: Scheduler, ctx: AgendaContext, at: string): void {
  scheduler.add({
    name: AGENDA_REMINDER_JOB,
    schedule: { every: 'day', at },
    run: ({ date, now, signal }) => remindTomorrow(ctx, date, now, signal),
  });
}
