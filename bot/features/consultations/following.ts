import { withLead, type AdaptiveCard } from '../../../cards/adaptive.js';
import type { ConsultWeDidData } from '../../../cards/consult-verbs.js';
import { exportCard, statusCard, weDidCard, weDidFormCard } from '../../../cards/consult-follow.js';
import { plural } from '../../../cards/text.js';
import type { Delivery } from '../../messaging/index.js';
import type { OutgoingMessage, Turn, VerbOutcome } from '../../routing/types.js';
import { namesInExports } from './anonymity.js';
import { gone, privately, type ConsultContext } from './context.js';
import { readWeDidForm } from './form.js';
import { isClosed, LIMITS, type Consultation } from './model.js';
import { toView, whenLabel } from './views.js';

/**
 * The officer's side once a consultation is open: who has answered, reminders, invitations sent
 * again, initial responses, closing, the export and "you said, we did". Anything with names or a
 * download link goes to the officer's personal chat when asked for in a channel.
 */

/** The invitations' deliveries; if the log cannot be read, the status is shown without them. */
async function invitationDeliveries(ctx: ConsultContext, c: Consultation): Promise<Delivery[] | undefined> {
  if (!ctx.service.canSend) return undefined;
  try {
    return await ctx.service.invitationDeliveries(c);
  } catch (err) {
    ctx.logger.warn({ err, ref: c.ref }, 'could not read the invitations for a status card');
    return undefined;
  }
}

/**
 * The status card as its viewer may see it: an officer's also says how the invitations went (who
 * may not have got one, with the button to send theirs again); a chair's does not.
 */
export async function statusCardFor(
  ctx: ConsultContext,
  c: Consultation,
  turn: Turn,
  notice?: string,
): Promise<AdaptiveCard> {
  const feedback = await ctx.service.store.feedbackFor(c.ref);
  const deliveries = turn.actor.role === 'officer' ? await invitationDeliveries(ctx, c) : undefined;
  return statusCard(
    ctx.service.statusOf(c, feedback, {
      ...(notice ? { notice } : {}),
      ...(deliveries ? { deliveries } : {}),
    }),
  );
}

/** A status card in place on the status card (personal chat), or privately from a channel. */
export async function statusOutcome(
  ctx: ConsultContext,
  ref: string,
  turn: Turn,
  notice?: string,
): Promise<VerbOutcome> {
  const c = await ctx.service.store.get(ref);
  if (!c) return { kind: 'message', message: gone(ref) };
  const card = await statusCardFor(ctx, c, turn, notice);
  if (turn.where.type === 'personal') return { kind: 'card', card };
  return {
    kind: 'message',
    message: (await privately(ctx, turn, { card }, `the status of ${c.ref}`)) ?? '',
  };
}

export async function remind(ctx: ConsultContext, c: Consultation): Promise<string> {
  if (isClosed(c, ctx.service.now())) return `${c.ref} has closed, so nobody was reminded.`;
  const r = await ctx.service.remind(c);
  if (!r.now && !r.already) return `Everyone invited to ${c.ref} has answered. Nobody needs a reminder.`;
  const parts = [];
  if (r.now)
    parts.push(`Reminders are on their way to ${plural(r.now, 'person', 'people')} who have not answered.`);
  if (r.already)
    parts.push(
      `${plural(r.already, 'was', 'were')} already reminded today and will not be reminded again until tomorrow.`,
    );
  return parts.join(' ');
}

/**
 * "Send their invitations again" on the officer's status card: the invitations that failed or may
 * not have arrived are sent once more (nobody gets two from one click), then the status again.
 */
export async function resend(ctx: ConsultContext, ref: string, turn: Turn): Promise<VerbOutcome> {
  const c = await ctx.service.store.get(ref);
  if (!c) return { kind: 'message', message: gone(ref) };
  if (isClosed(c, ctx.service.now()))
    return statusOutcome(
      ctx,
      ref,
      turn,
      `${c.ref} closed on ${whenLabel(c.closedAt ?? c.closesAt)}, so no invitations were sent again.`,
    );
  const { requeued } = await ctx.service.resendInvitations(c);
  const notice = requeued
    ? `Sending ${plural(requeued, 'invitation')} again, once each. Press Refresh in a minute to see ${requeued === 1 ? 'it' : 'them'} delivered.`
    : `No invitations to ${c.ref} are waiting to be sent again, so nothing was sent.`;
  return statusOutcome(ctx, ref, turn, notice);
}

export async function respond(
  ctx: ConsultContext,
  ref: string,
  item: string,
  response: string | undefined,
  turn: Turn,
): Promise<VerbOutcome> {
  const text = (response ?? '').trim();
  if (!text) return { kind: 'message', message: 'Write the initial response first; nothing was sent.' };
  if (text.length > LIMITS.response)
    return {
      kind: 'message',
      message: `That response is ${text.length.toLocaleString('en-GB')} characters; keep it to ${LIMITS.response.toLocaleString('en-GB')}. Nothing was sent.`,
    };
  const c = await ctx.service.store.get(ref);
  if (!c) return { kind: 'message', message: gone(ref) };
  const f = await ctx.service.store.feedbackById(item);
  if (!f || f.ref !== c.ref)
    return {
      kind: 'message',
      message: `That feedback is not part of ${c.ref} (the card may be from another consultation), so nothing was sent.`,
    };
  const result = await ctx.service.respond(c, f, turn.actor.name, text);
  const to =
    c.anonymity === 'Anonymous to everyone' ? 'the partner (who stays anonymous)' : f.name || 'the partner';
  const notice = result.repeated
    ? 'That response was already sent; it was not sent twice.'
    : result.passedOn
      ? `Your initial response was sent to ${to} and saved with their feedback.`
      : `Your initial response was saved with the feedback, but I could not reach ${to} in Teams just now; it will be retried.`;
  return { kind: 'card', card: await statusCardFor(ctx, c, turn, notice) };
}

export async function close(
  ctx: ConsultContext,
  c: Consultation,
): Promise<{ message: string; consultation: Consultation }> {
  if (c.status === 'Closed')
    return {
      message: `${c.ref} was already closed on ${whenLabel(c.closedAt ?? c.closesAt)}.`,
      consultation: c,
    };
  const { consultation, already } = await ctx.service.close(c);
  return {
    message: already
      ? `${c.ref} was already closed on ${whenLabel(consultation.closedAt ?? consultation.closesAt)}.`
      : `${c.ref} is closed. Every card now says so, and the summary is going to the channel. Type "consult export" for the feedback, and "consult you said we did" when the final strategy is agreed.`,
    consultation,
  };
}

/** The export card: signed links to the feedback as a workbook and a CSV, for an hour. */
export function exportMessage(ctx: ConsultContext, c: Consultation, rows: number): { card: AdaptiveCard } {
  const links = ctx.service.exportLinks(ctx.baseUrl(), c.ref);
  return {
    card: exportCard({
      ref: c.ref,
      title: c.title,
      xlsx: links.xlsx,
      csv: links.csv,
      expires: whenLabel(new Date(links.expiresAt)),
      anonymous: !namesInExports(c.anonymity),
      rows,
    }),
  };
}

export async function exportOutcome(
  ctx: ConsultContext,
  c: Consultation,
  turn: Turn,
): Promise<string | undefined> {
  const rows = (await ctx.service.store.feedbackFor(c.ref)).length;
  const message: OutgoingMessage = exportMessage(ctx, c, rows);
  return privately(ctx, turn, message, `the export of ${c.ref}`);
}

async function submittedCount(ctx: ConsultContext, c: Consultation): Promise<number> {
  return (await ctx.service.store.feedbackFor(c.ref)).filter((f) => f.submitted).length;
}

export async function weDidForm(ctx: ConsultContext, c: Consultation): Promise<VerbOutcome> {
  if (!isClosed(c, ctx.service.now()))
    return {
      kind: 'message',
      message: `${c.ref} is still open. Close it first ("consult close"), then record what changed.`,
    };
  const responses = await submittedCount(ctx, c);
  const values = c.weDid
    ? {
        ...(c.weDid.general ? { general: c.weDid.general } : {}),
        themes: c.themes.map((t) => c.weDid?.themes.find((x) => x.theme === t)?.text ?? ''),
      }
    : { themes: [] };
  return {
    kind: 'card',
    card: weDidFormCard({
      consultation: toView(c, ctx.service.now()),
      values,
      max: LIMITS.weDid,
      responses,
    }),
  };
}

export async function weDidSave(
  ctx: ConsultContext,
  data: ConsultWeDidData,
  turn: Turn,
): Promise<VerbOutcome> {
  const c = await ctx.service.store.get(data.ref);
  if (!c) return { kind: 'message', message: gone(data.ref) };
  if (!isClosed(c, ctx.service.now()))
    return { kind: 'message', message: `${c.ref} is still open. Close it first, then record what changed.` };
  const { general, themes, problems } = readWeDidForm(c, data);
  if (problems.length)
    return {
      kind: 'card',
      card: weDidFormCard({
        consultation: toView(c, ctx.service.now()),
        values: { general, themes: themes.map((t) => t.text) },
        problems,
        max: LIMITS.weDid,
        responses: await submittedCount(ctx, c),
      }),
    };
  const kept = themes.filter((t) => t.text);
  const result = await ctx.service.weDid(
    c,
    { ...(general ? { general } : {}), themes: kept },
    turn.actor.name,
  );
  const card = weDidCard({
    consultation: toView(result.consultation, ctx.service.now()),
    ...(general ? { general } : {}),
    themes: kept,
    by: turn.actor.name,
    when: whenLabel(ctx.service.now()),
  });
  return {
    kind: 'card',
    card: withLead(
      card,
      `Sent to the ${plural(result.told, 'partner')} who answered, and posted to the channel.`,
    ),
  };
}
