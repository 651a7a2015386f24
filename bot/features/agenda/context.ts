import type { Logger } from '../../logger.js';
import type { Messaging } from '../../messaging/index.js';
import type { Turn } from '../../routing/types.js';
import type { ActionsSource } from './arising.js';
import type { AttendanceRecord, ItemRecord, MeetingRecord, Member } from './model.js';
import type { AgendaStore } from './store.js';
import { countsOf, toPackView } from './views.js';
import type { PackView } from '../../../cards/agenda.js';

/** What every part of the agenda feature works with. */
export interface AgendaContext {
  store: AgendaStore;
  logger: Logger;
  /** Proactive posts, personal copies and in-place updates; absent only in routing tests. */
  messaging?: Pick<Messaging, 'fanOut' | 'messenger' | 'deliveries'>;
  /** The actions feature, for matters arising. */
  actions?: ActionsSource;
  /** Configured officers and chairs (Entra ids or UPNs, lower case), for the attendance sheet. */
  officers: ReadonlySet<string>;
  chairs: ReadonlySet<string>;
}

/** Said whenever a list could not be written: never claim a change that was not made. */
export const NOT_SAVED =
  'Nothing was changed: the agenda lists are not answering just now. Please try again in a few minutes.';
export const NOT_READ = 'I could not read the agenda lists just now. Please try again in a few minutes.';

export const notFound = (ref: string) =>
  `I can't find meeting ${ref}. Type "agenda" to see the next meeting's pack.`;

/** The person as the Attendance list knows them: Entra id when Teams gives one. */
export function memberOf(turn: Turn): Member {
  return { id: (turn.actor.aadObjectId ?? turn.actor.id).toLowerCase(), name: turn.actor.name };
}

/** The channel or chat a turn came from, without the thread. */
export function baseConversation(conversationId: string): string {
  return conversationId.split(';')[0] ?? conversationId;
}

/**
 * The thread below the posted pack: a top-level post starts its own thread; a pack that went out as
 * a reply (Teams gave us a thread to post in) is followed in that same thread.
 */
export function threadOf(meeting: { conversationId?: string; activityId?: string }): string | undefined {
  const { conversationId, activityId } = meeting;
  if (!conversationId || !activityId) return undefined;
  return conversationId.includes(';messageid=')
    ? conversationId
    : `${conversationId};messageid=${activityId}`;
}

export interface LoadedPack {
  meeting: MeetingRecord;
  items: ItemRecord[];
  answers: AttendanceRecord[];
}

export async function loadPack(ctx: AgendaContext, ref: string): Promise<LoadedPack | undefined> {
  const meeting = await ctx.store.get(ref);
  if (!meeting) return undefined;
  const [items, answers] = await Promise.all([ctx.store.items(ref), ctx.store.attendance(ref)]);
  return { meeting, items, answers };
}

/** The pack as it stands now: items not withdrawn, with counts once published. */
export function currentView(pack: LoadedPack, now: Date): PackView {
  const live = pack.items.filter((i) => !i.withdrawn);
  const published = pack.meeting.status === 'Published' || pack.meeting.status === 'Held';
  return toPackView(
    pack.meeting,
    live,
    now,
    published ? countsOf(pack.answers, pack.meeting.invited) : undefined,
  );
}
