import { supplementNoticeCard } from '../../../cards/agenda.js';
import { TELEMETRY_EVENTS, trackEvent } from '../../telemetry.js';
import { currentView, loadPack, threadOf, type AgendaContext, type LoadedPack } from './context.js';
import { LIMITS, type Paper } from './model.js';
import { readItemText, readPapers, type RawPaper } from './outline.js';
import { campaigns, refreshPosted } from './publishing.js';
import { checkItem, checkPapers } from './validate.js';
import { planSupplement, type SupplementOp } from './versions.js';
import { dayAndMonth } from './when.js';

/**
 * Supplements: papers (or items) that arrive after the pack is published. Each makes the next
 * version of the pack, keeps the earlier ones, updates the posted cards in place with a line such
 * as "Supplement 1, published 19 December: adds the slides for item 8", and leaves a short notice
 * in the pack's thread (once, whoever presses the button twice).
 */

export interface SupplementRequest {
  ref: string;
  ops: SupplementOp[];
  note?: string;
  /** Idempotency key: the same request again finds the supplement it made. */
  key: string;
  by: string;
  at: Date;
}

export type SupplementOutcome =
  | { kind: 'published'; pack: LoadedPack; number: number; note: string; already: boolean }
  | { kind: 'message'; message: string };

/** One supplementary paper from the pack card's form. */
export function paperOps(
  item: string,
  title: string,
  url: string,
): { ops: SupplementOp[] } | { problems: string[] } {
  const number = item
    .trim()
    .replace(/^item\s+/i, '')
    .replace(/[.)]$/, '')
    .toLowerCase();
  const problems: string[] = [];
  if (!/^\d{1,3}(?:\.\d{1,2})?[a-z]?$/.test(number))
    problems.push(
      `"${item.trim()}" is not an item number. Give the number of the item the paper is for, e.g. 8.`,
    );
  const checked = checkPapers(
    [{ title: title.trim() || 'Paper', url: url.trim() }],
    `Item ${number || item.trim()}`,
  );
  if (!checked.ok) problems.push(...checked.problems);
  if (problems.length || !checked.ok) return { problems };
  return { ops: checked.value.map((paper) => ({ kind: 'paper', number, paper })) };
}

/**
 * The lines after "agenda supplement [M-0007]":
 *   note: adds the slides for item 8
 *   paper 8: Presentation slides https://…
 *   remove paper 3: Appendix B
 *   withdraw item 5
 *   9. Any other business (Mayor Philip Glanville) (5 minutes)
 */
export function readSupplement(
  text: string,
): { ops: SupplementOp[]; note?: string } | { problems: string[] } {
  const ops: SupplementOp[] = [];
  const problems: string[] = [];
  let note: string | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\s+/g, ' ').trim();
    if (!line) return;
    const noteLine = /^(?:note|description|what it adds)\s*:\s*(.+)$/i.exec(line);
    if (noteLine) {
      note = noteLine[1]!.trim();
      return;
    }
    const remove =
      /^(?:remove|withdraw)\s+paper\s+(?:from\s+)?(?:item\s+)?(\d{1,3}(?:\.\d{1,2})?[a-z]?)\s*[:–—-]\s*(.+)$/i.exec(
        line,
      );
    if (remove) {
      ops.push({ kind: 'removePaper', number: remove[1]!.toLowerCase(), title: remove[2]!.trim() });
      return;
    }
    const paper =
      /^(?:add\s+)?(?:papers?|slides|report|appendix)\s+(?:for\s+|to\s+)?(?:item\s+)?(\d{1,3}(?:\.\d{1,2})?[a-z]?)\s*[:–—-]\s*(.+)$/i.exec(
        line,
      );
    if (paper) {
      const number = paper[1]!.toLowerCase();
      const raws: RawPaper[] = readPapers(paper[2]!);
      const checked = checkPapers(raws, `Item ${number}`);
      if (!checked.ok) problems.push(...checked.problems);
      else ops.push(...checked.value.map((p): SupplementOp => ({ kind: 'paper', number, paper: p })));
      return;
    }
    const withdraw = /^(?:withdraw|remove)\s+item\s+(\d{1,3}(?:\.\d{1,2})?[a-z]?)$/i.exec(line);
    if (withdraw) {
      ops.push({ kind: 'withdraw', number: withdraw[1]!.toLowerCase() });
      return;
    }
    const item = /^(?:item\s+)?(\d{1,3}(?:\.\d{1,2})?[a-z]?)[.):]?\s+(.+)$/i.exec(line);
    if (item) {
      const checked = checkItem({
        source: `line ${i + 1}`,
        number: item[1]!.toLowerCase(),
        ...readItemText(item[2]!),
      });
      if (checked.ok) ops.push({ kind: 'item', state: checked.value });
      else problems.push(...checked.problems);
      return;
    }
    problems.push(
      `I couldn't read line ${i + 1}: "${line.slice(0, 60)}". Write "paper 8: Slides https://…", "withdraw item 5", an item line, or "note: …".`,
    );
  });
  if (note && note.length > LIMITS.note)
    problems.push(`The note is too long (at most ${LIMITS.note} characters).`);
  if (problems.length) return { problems };
  return { ops, ...(note ? { note } : {}) };
}

export async function publishSupplement(
  ctx: AgendaContext,
  req: SupplementRequest,
): Promise<SupplementOutcome> {
  const meeting = await ctx.store.get(req.ref);
  if (!meeting) return { kind: 'message', message: `I can't find meeting ${req.ref}.` };
  if (meeting.status === 'Draft')
    return {
      kind: 'message',
      message: `${req.ref} is still a draft: change the draft itself ("Edit" on its card), then publish it.`,
    };
  if (meeting.status === 'Cancelled') return { kind: 'message', message: `${req.ref} was discarded.` };
  if (meeting.status === 'Held')
    return {
      kind: 'message',
      message: `${req.ref} has been held. Record what was decided instead ("Record decisions").`,
    };

  let entry = meeting.versions.find((v) => v.key === req.key);
  const already = Boolean(entry);
  if (!entry) {
    const v = meeting.version + 1;
    const plan = planSupplement(await ctx.store.items(req.ref), req.ops, v);
    if (!plan.ok)
      return {
        kind: 'message',
        message: ['Nothing was published:', ...plan.problems.map((p) => `- ${p}`)].join('\n'),
      };
    const note = (req.note?.trim() || plan.note).slice(0, LIMITS.note);
    const claimed = await ctx.store.updateMeeting(meeting.id, (current) => {
      if (current.versions.some((e) => e.key === req.key) || current.version !== meeting.version)
        return undefined;
      const versions = current.versions.length
        ? current.versions
        : [{ v: 1, at: current.startsAt, by: 'an officer' }];
      return {
        Version: v,
        Versions: JSON.stringify([
          ...versions,
          { v, at: req.at.toISOString(), by: req.by, note, key: req.key },
        ]),
      };
    });
    entry = claimed.versions.find((e) => e.key === req.key);
    if (!entry)
      return {
        kind: 'message',
        message:
          'Another supplement to this pack was published at the same moment. Nothing was changed: please try again.',
      };
  }

  // Writing the items is safe to repeat: items that already have this version are left alone.
  const v = entry.v;
  const plan = planSupplement(await ctx.store.items(req.ref), req.ops, v);
  if (plan.ok) {
    for (const w of plan.writes) {
      if (w.id) {
        await ctx.store.updateItem(w.id, (current) =>
          current.history.some((e) => e.v === v)
            ? undefined
            : {
                History: JSON.stringify(w.history),
                ...(w.withdrawn ? { Withdrawn: true } : {}),
                ...(w.state
                  ? {
                      Title: w.state.title,
                      Presenter: w.state.presenter ?? null,
                      Minutes: w.state.minutes ?? null,
                      Purpose: w.state.purpose ?? null,
                      Papers: JSON.stringify(w.state.papers),
                      Details: w.state.details ?? null,
                      Withdrawn: false,
                    }
                  : {}),
              },
        );
      } else if (w.state) {
        await ctx.store.createItems([
          {
            Title: w.state.title,
            MeetingRef: req.ref,
            ItemNumber: w.state.number,
            Sequence: w.sequence ?? 10_000,
            ...(w.state.presenter ? { Presenter: w.state.presenter } : {}),
            ...(w.state.minutes !== undefined ? { Minutes: w.state.minutes } : {}),
            ...(w.state.purpose ? { Purpose: w.state.purpose } : {}),
            Papers: JSON.stringify(w.state.papers),
            ...(w.state.details ? { Details: w.state.details } : {}),
            History: JSON.stringify(w.history),
            ItemKey: `${req.ref}|${w.state.number}`,
          },
        ]);
      }
    }
  }
  await refreshPosted(ctx, req.ref, { items: true, now: req.at });
  const pack = (await loadPack(ctx, req.ref))!;
  const number = v - 1;
  const note = entry.note ?? 'supplementary papers';
  await noticeInThread(ctx, pack, number, note, plan.ok ? plan.papers : [], req.at);
  return { kind: 'published', pack, number, note, already };
}

/** The short notice in the pack's thread, sent once per supplement: telemetry's AgendaPackSent for it. */
async function noticeInThread(
  ctx: AgendaContext,
  pack: LoadedPack,
  number: number,
  note: string,
  papers: Paper[],
  at: Date,
): Promise<void> {
  const m = pack.meeting;
  const thread = threadOf(m);
  if (!ctx.messaging || !thread) return;
  const entry = m.versions.find((e) => e.v === number + 1);
  const card = supplementNoticeCard(
    currentView(pack, at),
    { number, date: dayAndMonth(new Date(entry?.at ?? at.toISOString())), note },
    papers,
  );
  try {
    const report = await ctx.messaging.fanOut({
      campaign: campaigns.supplement(m.ref, number),
      title: `Agenda pack ${m.ref}, supplement ${number}`,
      recipients: [{ kind: 'conversation', conversationId: thread }],
      message: () => ({ card }),
    });
    if (report.sent)
      trackEvent(TELEMETRY_EVENTS.packSent, {
        meetingRef: m.ref,
        version: number + 1,
        kind: 'supplement',
        supplement: number,
        to: 'channel',
        cards: 1,
        partners: m.invited.length,
      });
  } catch (err) {
    ctx.logger.warn({ err, ref: m.ref }, 'the supplement notice was not posted');
  }
}
