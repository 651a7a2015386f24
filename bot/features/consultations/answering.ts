import { fitsBudget, withLead, type AdaptiveCard } from '../../../cards/adaptive.js';
import type { ConsultAnswersData } from '../../../cards/consult-verbs.js';
import {
  answerFormCard,
  closedConsultationCard,
  consultationCard,
  invitationCard,
  receiptCard,
} from '../../../cards/consult.js';
import type { OutgoingMessage, Turn, VerbOutcome } from '../../routing/types.js';
import { answerSetOf, formPrint, readAnswers } from './answers.js';
import { keepsOrganisation } from './anonymity.js';
import {
  find,
  gone,
  invited,
  keyOf,
  LISTS_DOWN,
  mine as mineOf,
  notInvited,
  privately,
  type ConsultContext,
} from './context.js';
import { isClosed, LIMITS, type Consultation, type Feedback } from './model.js';
import { myState, toView, whenLabel } from './views.js';

/**
 * A partner's side: the answer form (in their personal chat), saving a draft or submitting, and
 * the consultation's card as its viewer should see it. Only invitees answer, and nothing changes
 * after the deadline.
 */

function formCard(
  ctx: ConsultContext,
  c: Consultation,
  answers: Feedback | undefined,
  extra: {
    problems?: string[];
    notice?: string;
    values?: ReturnType<typeof answerSetOf>;
    organisation?: string;
  } = {},
): AdaptiveCard {
  const values = extra.values ?? answerSetOf(answers);
  return answerFormCard({
    consultation: toView(c, ctx.service.now()),
    print: formPrint(c),
    ...(values ? { answers: values } : {}),
    askOrganisation: keepsOrganisation(c),
    ...(extra.organisation ? { organisation: extra.organisation } : {}),
    ...(extra.problems ? { problems: extra.problems } : {}),
    ...(extra.notice ? { notice: extra.notice } : {}),
    limits: { answer: LIMITS.answer, comment: LIMITS.comment, organisation: LIMITS.organisation },
  });
}

function closedFor(
  ctx: ConsultContext,
  c: Consultation,
  mine: Feedback | undefined,
  view: 'channel' | 'invitation',
): AdaptiveCard {
  return closedConsultationCard(toView(c, ctx.service.now()), view, myState(mine));
}

export async function answerForm(ctx: ConsultContext, ref: string, turn: Turn): Promise<VerbOutcome> {
  const c = await ctx.service.store.get(ref);
  if (!c) return { kind: 'message', message: gone(ref) };
  if (!invited(c, turn)) return { kind: 'message', message: notInvited(c) };
  const mine = await mineOf(ctx, c, turn);
  if (isClosed(c, ctx.service.now())) return { kind: 'card', card: closedFor(ctx, c, mine, 'invitation') };
  let organisation: string | undefined;
  if (!mine && keepsOrganisation(c) && c.anonymity !== 'Anonymous to everyone' && turn.actor.aadObjectId)
    organisation = await ctx.service.store
      .lastOrganisation(turn.actor.aadObjectId.toLowerCase())
      .catch(() => undefined);
  const card = formCard(ctx, c, mine, {
    ...(organisation ? { organisation } : {}),
    ...(mine && !mine.submitted ? { notice: `Your draft from ${whenLabel(mine.answeredAt)} is below.` } : {}),
  });
  if (turn.where.type === 'personal') return { kind: 'card', card };
  const said = await privately(ctx, turn, { card }, 'your answer form');
  return { kind: 'message', message: said ?? 'Your answer form is in our personal chat.' };
}

export async function saveAnswers(
  ctx: ConsultContext,
  data: ConsultAnswersData,
  turn: Turn,
  submit: boolean,
): Promise<VerbOutcome> {
  const now = ctx.service.now();
  const c = await ctx.service.store.get(data.ref);
  if (!c)
    return { kind: 'message', message: `Consultation ${data.ref} no longer exists, so nothing was saved.` };
  if (!invited(c, turn)) return { kind: 'message', message: notInvited(c) };
  const key = keyOf(ctx, c, turn);
  if (!key)
    return {
      kind: 'message',
      message:
        "I can't tell who you are from this card, so nothing was saved. Open the form from your invitation.",
    };
  const mine = await ctx.service.store.feedbackByKey(key);
  if (isClosed(c, now))
    return {
      kind: 'card',
      card: withLead(
        closedFor(ctx, c, mine, 'invitation'),
        `Sorry, consultation ${c.ref} closed on ${whenLabel(c.closedAt ?? c.closesAt)}, so these answers could not be saved. Nothing was changed.`,
        { color: 'Attention' },
      ),
    };
  if (data.fp !== formPrint(c))
    return {
      kind: 'card',
      card: formCard(ctx, c, mine, {
        notice: `That form was from another consultation, or an earlier version of ${c.ref}, so nothing was saved. Here is the form for ${c.ref}.`,
      }),
    };
  const { set, problems } = readAnswers(c, data, submit);
  if (problems.length) return { kind: 'card', card: formCard(ctx, c, mine, { problems, values: set }) };
  const preview = formCard(ctx, c, mine, { values: set });
  if (!fitsBudget(preview))
    return {
      kind: 'card',
      card: formCard(ctx, c, mine, {
        problems: [
          'Your answers together are too long to fit in one Teams card. Shorten the longest, or link a document in your answer for the rest.',
        ],
      }),
    };
  let saved: Feedback;
  try {
    saved = await ctx.service.saveAnswers(
      c,
      { aadObjectId: turn.actor.aadObjectId ?? '', name: turn.actor.name },
      key,
      mine,
      set,
      submit,
      now,
    );
  } catch (err) {
    // The person keeps what they wrote: the form comes back with it and the reason.
    ctx.logger.error({ err, ref: c.ref }, 'saving consultation answers failed');
    return { kind: 'card', card: formCard(ctx, c, mine, { values: set, problems: [LISTS_DOWN] }) };
  }
  return {
    kind: 'card',
    card: receiptCard({
      consultation: toView(c, now),
      submitted: saved.submitted,
      when: whenLabel(saved.answeredAt ?? now.toISOString()),
      answers: answerSetOf(saved) ?? set,
      responses: myState(saved).responses ?? [],
      ...(saved.submitted && mine?.submitted
        ? { notice: 'Your changes are recorded; your earlier answers are kept in the history.' }
        : {}),
      ...(c.countPer === 'Organisation' && saved.submitted && saved.organisation
        ? {
            notice: `One answer counts per organisation: this, the latest from ${saved.organisation}, is the one that counts.`,
          }
        : {}),
    }),
  };
}

export async function refresh(
  ctx: ConsultContext,
  ref: string,
  view: 'channel' | 'invitation',
  turn: Turn,
): Promise<VerbOutcome> {
  const c = await ctx.service.store.get(ref);
  if (!c) return { kind: 'message', message: gone(ref) };
  const mine = invited(c, turn) ? await mineOf(ctx, c, turn) : undefined;
  const vm = toView(c, ctx.service.now());
  if (isClosed(c, ctx.service.now()))
    return { kind: 'card', card: closedConsultationCard(vm, view, mine ? myState(mine) : undefined) };
  const state = invited(c, turn) ? myState(mine) : undefined;
  if (view === 'channel')
    return {
      kind: 'card',
      card: consultationCard(vm, {
        ...(state ? { state: { state: state.state, ...(state.when ? { when: state.when } : {}) } } : {}),
      }),
    };
  if (mine?.submitted)
    return {
      kind: 'card',
      card: receiptCard({
        consultation: vm,
        submitted: true,
        when: whenLabel(mine.answeredAt),
        answers: answerSetOf(mine)!,
        responses: myState(mine).responses ?? [],
      }),
    };
  return { kind: 'card', card: invitationCard(vm, { ...(state ? { state } : {}) }) };
}

/** "consult" / "consult C-0003": the consultation as its viewer should see it. */
export async function show(
  ctx: ConsultContext,
  ref: string | undefined,
  turn: Turn,
): Promise<OutgoingMessage> {
  const found = await find(ctx, ref, 'any');
  if ('message' in found) return { text: found.message };
  const outcome = await refresh(
    ctx,
    found.consultation.ref,
    turn.where.type === 'personal' ? 'invitation' : 'channel',
    turn,
  );
  return outcome.kind === 'card' ? { card: outcome.card } : { text: outcome.message };
}
