import type { AgendaItemFields } from '../../sharepoint/index.js';
import { arisingDetails, mattersArising, withMattersArising } from './arising.js';
import type { AgendaContext, LoadedPack } from './context.js';
import { itemKey, meetingTitle, stateOf, type ItemState, type MeetingDetails } from './model.js';
import type { ValidPack } from './validate.js';
import { isoDay, longDateAt } from './when.js';

/**
 * Draft packs: created from the form or a pasted outline, changed until published, or discarded.
 * A draft of a board that has met before gets its Matters arising item here.
 */

export interface DraftResult {
  pack: LoadedPack;
  created: boolean;
  /** Matters arising, when the board has met before. */
  arising?: { number: string; added: boolean; count: number } | { failed: true };
}

const SEQUENCE_STEP = 100;

export function itemFields(ref: string, state: ItemState, sequence: number): AgendaItemFields {
  return {
    Title: state.title,
    MeetingRef: ref,
    ItemNumber: state.number,
    Sequence: sequence,
    ...(state.presenter ? { Presenter: state.presenter } : {}),
    ...(state.minutes !== undefined ? { Minutes: state.minutes } : {}),
    ...(state.purpose ? { Purpose: state.purpose } : {}),
    Papers: JSON.stringify(state.papers),
    ...(state.details ? { Details: state.details } : {}),
    ItemKey: itemKey(ref, state.number),
  };
}

function meetingFields(m: MeetingDetails) {
  return {
    Title: meetingTitle(m.board, longDateAt(new Date(m.startsAt))),
    Board: m.board,
    StartsAt: m.startsAt,
    Venue: m.venue ?? null,
    OnlineUrl: m.onlineUrl ?? null,
    Chair: m.chair ?? null,
  };
}

/** The board's earlier published meetings' open actions, as a Matters arising item. */
async function withArising(
  ctx: AgendaContext,
  pack: ValidPack,
  at: Date,
): Promise<{ items: ItemState[]; arising?: DraftResult['arising'] }> {
  if (!ctx.actions) return { items: pack.items };
  const earlier = (await ctx.store.ofBoard(pack.meeting.board)).filter(
    (m) => m.status === 'Published' || m.status === 'Held',
  );
  if (!earlier.length) return { items: pack.items };
  try {
    const list = await mattersArising(
      ctx.actions,
      earlier.map((m) => m.ref),
      pack.meeting.board,
      isoDay(at),
    );
    const w = withMattersArising(pack.items, arisingDetails(list), pack.meeting.chair);
    return { items: w.items, arising: { number: w.number, added: w.added, count: list.length } };
  } catch (err) {
    ctx.logger.warn({ err }, 'could not read the actions for matters arising');
    return { items: pack.items, arising: { failed: true } };
  }
}

export async function createDraft(
  ctx: AgendaContext,
  req: { pack: ValidPack; at: Date; sourceKey: string },
): Promise<DraftResult> {
  const existing = await ctx.store.bySourceKey(req.sourceKey);
  if (existing) {
    const items = await ctx.store.items(existing.ref);
    return { pack: { meeting: existing, items, answers: [] }, created: false };
  }
  const { items, arising } = await withArising(ctx, req.pack, req.at);
  const m = req.pack.meeting;
  const { meeting, created } = await ctx.store.createMeeting({
    Title: meetingTitle(m.board, longDateAt(new Date(m.startsAt))),
    Board: m.board,
    StartsAt: m.startsAt,
    ...(m.venue ? { Venue: m.venue } : {}),
    ...(m.onlineUrl ? { OnlineUrl: m.onlineUrl } : {}),
    ...(m.chair ? { Chair: m.chair } : {}),
    Status: 'Draft',
    Version: 0,
    SourceKey: req.sourceKey,
  });
  const rows = items.map((s, i) => itemFields(meeting.ref, s, (i + 1) * SEQUENCE_STEP));
  const written = await ctx.store.createItems(rows);
  return {
    pack: { meeting, items: written.sort((a, b) => a.sequence - b.sequence), answers: [] },
    created,
    ...(arising ? { arising } : {}),
  };
}

export type DraftChange = { ok: true; pack: LoadedPack } | { ok: false; message: string };

/** Replaces a draft's meeting details and items with the form's (items matched by number). */
export async function updateDraft(ctx: AgendaContext, ref: string, pack: ValidPack): Promise<DraftChange> {
  const meeting = await ctx.store.get(ref);
  if (!meeting) return { ok: false, message: `I can't find meeting ${ref}.` };
  if (meeting.status !== 'Draft')
    return {
      ok: false,
      message: `${ref} is ${meeting.status === 'Published' ? 'published' : meeting.status.toLowerCase()}, so it can no longer be edited. Add a supplement to change a published pack.`,
    };
  const fields = meetingFields(pack.meeting);
  const updated = await ctx.store.updateMeeting(meeting.id, (current) => {
    if (current.status !== 'Draft') return undefined;
    const same =
      current.board === fields.Board &&
      current.startsAt === fields.StartsAt &&
      (current.venue ?? null) === fields.Venue &&
      (current.onlineUrl ?? null) === fields.OnlineUrl &&
      (current.chair ?? null) === fields.Chair;
    return same ? undefined : fields;
  });
  if (updated.status !== 'Draft')
    return { ok: false, message: `${ref} was published meanwhile; add a supplement instead.` };

  const existing = await ctx.store.items(ref);
  const byNumber = new Map(existing.map((i) => [i.number, i]));
  const wanted = new Set(pack.items.map((s) => s.number));
  const creates: AgendaItemFields[] = [];
  for (const [index, next] of pack.items.entries()) {
    const sequence = (index + 1) * SEQUENCE_STEP;
    const old = byNumber.get(next.number);
    // The form has no box for an item's notes (Matters arising): they stay as they were.
    const state = old?.details && !next.details ? { ...next, details: old.details } : next;
    if (!old) {
      creates.push(itemFields(ref, state, sequence));
      continue;
    }
    if (JSON.stringify(stateOf(old)) === JSON.stringify(state) && old.sequence === sequence) continue;
    await ctx.store.updateItem(old.id, () => {
      const f = itemFields(ref, state, sequence);
      return {
        Title: f.Title,
        Sequence: sequence,
        Presenter: state.presenter ?? null,
        Minutes: state.minutes ?? null,
        Purpose: state.purpose ?? null,
        Papers: f.Papers ?? '[]',
        Details: state.details ?? null,
      };
    });
  }
  for (const old of existing) if (!wanted.has(old.number)) await ctx.store.deleteItem(old.id);
  if (creates.length) await ctx.store.createItems(creates);
  return { ok: true, pack: { meeting: updated, items: await ctx.store.items(ref), answers: [] } };
}

export async function discardDraft(ctx: AgendaContext, ref: string): Promise<DraftChange> {
  const meeting = await ctx.store.get(ref);
  if (!meeting) return { ok: false, message: `I can't find meeting ${ref}.` };
  if (meeting.status === 'Cancelled') return { ok: false, message: `${ref} was already discarded.` };
  if (meeting.status !== 'Draft')
    return {
      ok: false,
      message: `${ref} is published, so it stays on the record. Add a supplement to change it.`,
    };
  const updated = await ctx.store.updateMeeting(meeting.id, (current) =>
    current.status === 'Draft' ? { Status: 'Cancelled' } : undefined,
  );
  return { ok: true, pack: { meeting: updated, items: await ctx.store.items(ref), answers: [] } };
}
