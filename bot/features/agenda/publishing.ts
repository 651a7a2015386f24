import type { AdaptiveCard } from '../../../cards/adaptive.js';
import { retiredPartCard, type PackView } from '../../../cards/agenda.js';
import type { Delivery, Recipient } from '../../messaging/index.js';
import type { RosterMember } from '../../routing/types.js';
import { TELEMETRY_EVENTS, trackEvent } from '../../telemetry.js';
import { arisingDetails, isArisingItem, mattersArising } from './arising.js';
import {
  baseConversation,
  currentView,
  loadPack,
  threadOf,
  type AgendaContext,
  type LoadedPack,
} from './context.js';
import { writeMembers, type Member } from './model.js';
import { renderPack } from './render.js';
import { hasStarted } from './views.js';
import { shortKey } from '../../keys.js';
import { isoDay } from './when.js';

/**
 * Publishing a pack and keeping what was posted in step with it. Every post goes through the
 * messaging layer's fan-out, so each is recorded in `Deliveries` and a repeated click or a crash
 * never posts twice: the channel post (campaign `agenda:<ref>:channel`), the item cards of a long
 * pack in its thread (`…:part:<n>`), and the personal copies (`…:members`, at most once per member).
 * Telemetry's AgendaPackSent follows the fan-out: it is tracked when a post or copies went out now,
 * so a repeated Publish that finds them sent tracks nothing.
 */

export const campaigns = {
  channel: (ref: string) => `agenda:${ref}:channel`,
  part: (ref: string, n: number) => `agenda:${ref}:part:${n}`,
  members: (ref: string) => `agenda:${ref}:members`,
  supplement: (ref: string, n: number) => `agenda:${ref}:supplement:${n}`,
  reminder: (ref: string) => `agenda:${ref}:reminder`,
};

export type PublishOutcome =
  | { kind: 'published'; pack: LoadedPack; parts: number; members: number; already: boolean }
  | { kind: 'message'; message: string };

/**
 * Members invited: the conversation's roster as Entra ids and names. Officers are there as advisers
 * to the board, not members, so they are neither counted nor reminded.
 */
export function invitedFrom(
  roster: readonly RosterMember[],
  officers: ReadonlySet<string> = new Set(),
): Member[] {
  const seen = new Set<string>();
  return roster.flatMap((m) => {
    const id = (m.aadObjectId ?? '').toLowerCase();
    const officer = [id, m.upn, m.email].some((k) => k && officers.has(k.toLowerCase()));
    if (!id || seen.has(id) || officer) return [];
    seen.add(id);
    return [{ id, name: m.name }];
  });
}

/** Failed deliveries of a campaign go back to Pending, so pressing Publish again retries them. */
async function requeueFailed(ctx: AgendaContext, campaign: string): Promise<void> {
  const log = ctx.messaging!.deliveries;
  for (const d of await log.forCampaign(campaign))
    if (d.status === 'Failed') await log.apply(d, { type: 'requeue' }).catch(() => undefined);
}

async function postOnce(
  ctx: AgendaContext,
  campaign: string,
  title: string,
  conversationId: string,
  card: AdaptiveCard,
): Promise<
  { ok: true; activityId: string; conversationId: string; sentNow: boolean } | { ok: false; error: string }
> {
  await requeueFailed(ctx, campaign);
  const report = await ctx.messaging!.fanOut({
    campaign,
    title,
    recipients: [{ kind: 'conversation', conversationId }],
    message: () => ({ card }),
  });
  const outcome = report.outcomes[0];
  if (outcome?.status === 'Sent' && outcome.activityId)
    return {
      ok: true,
      activityId: outcome.activityId,
      conversationId: outcome.conversationId ?? conversationId,
      sentNow: outcome.sentNow,
    };
  return { ok: false, error: outcome?.error ?? 'Teams did not confirm the post' };
}

/** The matters arising item, brought up to date as the pack goes out. */
async function refreshArising(ctx: AgendaContext, pack: LoadedPack, at: Date): Promise<void> {
  const item = pack.items.find((i) => isArisingItem(i) && !i.withdrawn);
  if (!item || !ctx.actions) return;
  const earlier = (await ctx.store.ofBoard(pack.meeting.board)).filter(
    (m) => m.ref !== pack.meeting.ref && (m.status === 'Published' || m.status === 'Held'),
  );
  if (!earlier.length) return;
  try {
    const details = arisingDetails(
      await mattersArising(
        ctx.actions,
        earlier.map((m) => m.ref),
        pack.meeting.board,
        isoDay(at),
      ),
    );
    if (details !== item.details) await ctx.store.updateItem(item.id, () => ({ Details: details }));
  } catch (err) {
    ctx.logger.warn({ err, ref: pack.meeting.ref }, 'matters arising not refreshed at publishing');
  }
}

/**
 * Publishes a draft to the conversation it is in: the pack card (or summary and item cards) goes
 * there through the fan-out, then the meeting is marked Published, version 1, with the members
 * invited. With `members`, each member also gets it personally (in the background: a large board
 * takes a while, and Teams wants an answer to the click within seconds).
 */
export async function publish(
  ctx: AgendaContext,
  req: {
    ref: string;
    members: boolean;
    at: Date;
    by: string;
    conversationId: string;
    roster: RosterMember[];
    publisherId?: string;
  },
): Promise<PublishOutcome> {
  if (!ctx.messaging) return { kind: 'message', message: 'Publishing is not available in this process.' };
  let pack = await loadPack(ctx, req.ref);
  if (!pack) return { kind: 'message', message: `I can't find meeting ${req.ref}.` };
  const m = pack.meeting;
  if (m.status === 'Cancelled')
    return { kind: 'message', message: `${m.ref} was discarded, so it can't be published.` };
  if (m.status === 'Held')
    return { kind: 'message', message: `${m.ref} has been held; its pack is already on the record.` };
  if (hasStarted(m, req.at))
    return {
      kind: 'message',
      message: `${m.ref} has already started, so its pack can no longer be published. Nothing was sent.`,
    };
  const already = m.status === 'Published' && Boolean(m.activityId);
  let parts = 0;
  if (!already) {
    await refreshArising(ctx, pack, req.at);
    pack = (await loadPack(ctx, req.ref))!;
    const invited = invitedFrom(req.roster, ctx.officers);
    const target = baseConversation(req.conversationId);
    const view = {
      ...currentView(pack, req.at),
      status: 'Published' as const,
      version: Math.max(1, m.version),
    };
    view.counts = {
      attending: 0,
      apologies: 0,
      substitutes: 0,
      ...(invited.length ? { notAnswered: invited.length } : {}),
    };
    const rendered = renderPack(view, { role: 'member' }, { inThread: true });
    const posted = await postOnce(
      ctx,
      campaigns.channel(m.ref),
      `Agenda pack ${m.ref}`,
      target,
      rendered.main,
    );
    if (!posted.ok)
      return {
        kind: 'message',
        message: `The pack was NOT published: I could not post it to this channel (${posted.error}). Nothing else changed; press Publish again to retry.`,
      };
    if (posted.sentNow)
      trackEvent(TELEMETRY_EVENTS.packSent, {
        meetingRef: m.ref,
        version: view.version,
        kind: 'pack',
        to: 'channel',
        cards: 1 + rendered.parts.length,
        partners: invited.length,
      });
    const meeting = await ctx.store.updateMeeting(m.id, (current) =>
      current.status === 'Published' && current.activityId
        ? undefined
        : {
            Status: 'Published',
            Version: Math.max(1, current.version),
            Versions: JSON.stringify(
              current.versions.length ? current.versions : [{ v: 1, at: req.at.toISOString(), by: req.by }],
            ),
            ConversationId: posted.conversationId.slice(0, 255),
            ActivityId: posted.activityId.slice(0, 255),
            Invited: writeMembers(invited),
          },
    );
    pack = { ...pack, meeting };
    parts = rendered.parts.length;
    await postParts(ctx, pack, rendered.parts);
  }
  let members = 0;
  if (req.members) {
    const recipients = membersToSend(pack, req.publisherId);
    members = recipients.length;
    if (members) void sendPersonalCopies(ctx, pack.meeting.ref, recipients);
  }
  return { kind: 'published', pack, parts, members, already };
}

function membersToSend(pack: LoadedPack, publisherId?: string): Recipient[] {
  const me = publisherId?.toLowerCase();
  return pack.meeting.invited
    .filter((mem) => mem.id !== me)
    .map((mem) => ({ kind: 'user', aadObjectId: mem.id, name: mem.name }));
}

/** The item cards of a long pack, as replies in the summary's thread. */
async function postParts(ctx: AgendaContext, pack: LoadedPack, parts: AdaptiveCard[]): Promise<void> {
  const m = pack.meeting;
  const thread = threadOf(m);
  if (!parts.length || !thread) return;
  for (const [i, card] of parts.entries()) {
    const posted = await postOnce(
      ctx,
      campaigns.part(m.ref, i + 1),
      `Agenda pack ${m.ref}, items part ${i + 1}`,
      thread,
      card,
    );
    if (!posted.ok)
      ctx.logger.warn(
        { ref: m.ref, part: i + 1, error: posted.error },
        'an item card of a long pack was not posted',
      );
  }
}

/** Each member's copy: the pack as they see it, once per member whatever happens. */
export async function sendPersonalCopies(
  ctx: AgendaContext,
  ref: string,
  recipients: Recipient[],
): Promise<void> {
  try {
    const pack = await loadPack(ctx, ref);
    if (!pack || !ctx.messaging) return;
    const now = new Date();
    const view = currentView(pack, now);
    const card = renderPack(view, { role: 'member', personal: true }).main;
    const report = await ctx.messaging.fanOut({
      campaign: campaigns.members(ref),
      title: `Agenda pack ${ref}, personal copies`,
      recipients,
      message: () => ({ card }),
    });
    ctx.logger.info(
      { ref, sent: report.sent, alreadySent: report.alreadySent, failed: report.failed },
      'personal copies of the pack',
    );
    if (report.sent)
      trackEvent(TELEMETRY_EVENTS.packSent, {
        meetingRef: ref,
        version: pack.meeting.version,
        kind: 'pack',
        to: 'partners',
        cards: 1,
        partners: report.sent,
      });
    // A supplement published while the copies were going out: bring the copies up to it.
    const after = await loadPack(ctx, ref);
    if (after && after.meeting.version > pack.meeting.version)
      await refreshPersonalCopies(ctx, after, new Date());
  } catch (err) {
    ctx.logger.error({ err, ref }, 'personal copies of the pack stopped; the scheduler resumes them');
  }
}

// ── keeping the posted cards in step ──

const updating = new Map<string, Promise<unknown>>();

/** One refresh at a time per pack, each from what the lists say then: the last one wins with the latest. */
function serially<T>(ref: string, work: () => Promise<T>): Promise<T> {
  const run = (updating.get(ref) ?? Promise.resolve()).then(work, work);
  const tail = run.catch(() => undefined);
  updating.set(ref, tail);
  void tail.then(() => {
    if (updating.get(ref) === tail) updating.delete(ref);
  });
  return run;
}

/**
 * Updates the channel post in place (counts, supplements, decisions) and, with `items`, the item
 * cards of a long pack and each member's personal copy. Failures are logged: the list is the
 * record, and the next change tries again.
 */
export function refreshPosted(
  ctx: AgendaContext,
  ref: string,
  options: { items?: boolean; now?: Date } = {},
): Promise<void> {
  return serially(ref, async () => {
    if (!ctx.messaging) return;
    const pack = await loadPack(ctx, ref);
    const m = pack?.meeting;
    if (!pack || !m?.conversationId || !m.activityId) return;
    const now = options.now ?? new Date();
    const view = currentView(pack, now);
    const rendered = renderPack(view, { role: 'member' }, { inThread: true });
    try {
      await ctx.messaging.messenger.update(m.conversationId, m.activityId, { card: rendered.main });
    } catch (err) {
      ctx.logger.warn({ err, ref }, 'the posted pack could not be updated in place');
    }
    if (!options.items) return;
    await refreshParts(ctx, pack, rendered.parts, view);
    void refreshPersonalCopies(ctx, pack, now);
  });
}

async function refreshParts(
  ctx: AgendaContext,
  pack: LoadedPack,
  parts: AdaptiveCard[],
  view: PackView,
): Promise<void> {
  const ref = pack.meeting.ref;
  const log = ctx.messaging!.deliveries;
  const posted: Delivery[] = [];
  for (let n = 1; ; n++) {
    const sent = (await log.forCampaign(campaigns.part(ref, n))).find((d) => d.status === 'Sent');
    if (!sent) break;
    posted.push(sent);
  }
  for (const [i, d] of posted.entries()) {
    const card = parts[i] ?? retiredPartCard(view);
    try {
      if (d.conversationId && d.activityId)
        await ctx.messaging!.messenger.update(d.conversationId, d.activityId, { card });
    } catch (err) {
      ctx.logger.warn({ err, ref, part: i + 1 }, 'an item card could not be updated in place');
    }
  }
  const thread = threadOf(pack.meeting);
  if (parts.length > posted.length && thread) {
    for (let i = posted.length; i < parts.length; i++)
      await postOnce(
        ctx,
        campaigns.part(ref, i + 1),
        `Agenda pack ${ref}, items part ${i + 1}`,
        thread,
        parts[i]!,
      ).catch((err: unknown) => ctx.logger.warn({ err, ref }, 'a new item card was not posted'));
  }
}

async function refreshPersonalCopies(ctx: AgendaContext, pack: LoadedPack, now: Date): Promise<void> {
  try {
    const copies = (await ctx.messaging!.deliveries.forCampaign(campaigns.members(pack.meeting.ref))).filter(
      (d) => d.status === 'Sent' && d.conversationId && d.activityId,
    );
    if (!copies.length) return;
    const card = renderPack(currentView(pack, now), { role: 'member', personal: true }).main;
    for (const d of copies)
      await ctx
        .messaging!.messenger.update(d.conversationId!, d.activityId!, { card })
        .catch((err: unknown) =>
          ctx.logger.warn({ err, ref: pack.meeting.ref }, 'a personal copy could not be updated'),
        );
  } catch (err) {
    ctx.logger.warn({ err, ref: pack.meeting.ref }, 'personal copies were not updated');
  }
}

/** A key for one rendering of the supplement form, so its Publish supplement button is idempotent. */
export function supplementFormKey(ref: string, version: number, at: Date): string {
  return shortKey('supplement-form', ref, String(version), at.toISOString());
}
