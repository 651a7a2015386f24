import type { VerbHandler } from '../../routing/router.js';
import { answerForm, refresh, saveAnswers } from './answering.js';
import { gone, type ConsultContext } from './context.js';
import {
  close,
  exportMessage,
  exportOutcome,
  remind,
  resend,
  respond,
  statusOutcome,
  weDidForm,
  weDidSave,
} from './following.js';
import { open } from './opening.js';

/** What each button on a consultation card does. */

type Buttons = {
  [
    K in
      | 'consultOpen'
      | 'consultAnswer'
      | 'consultSave'
      | 'consultSubmit'
      | 'consultRefresh'
      | 'consultStatus'
      | 'consultRemind'
      | 'consultResend'
      | 'consultRespond'
      | 'consultClose'
      | 'consultExport'
      | 'consultWeDid'
      | 'consultWeDidSave'
  ]: VerbHandler<K>;
};

export function consultButtons(ctx: ConsultContext): Buttons {
  const { store } = ctx.service;
  return {
    consultOpen: (data, turn) => open(ctx, data, turn),
    consultAnswer: ({ ref }, turn) => answerForm(ctx, ref, turn),
    consultSave: (data, turn) => saveAnswers(ctx, data, turn, false),
    consultSubmit: (data, turn) => saveAnswers(ctx, data, turn, true),
    consultRefresh: ({ ref, view }, turn) => refresh(ctx, ref, view, turn),
    consultStatus: ({ ref }, turn) => statusOutcome(ctx, ref, turn),
    consultRemind: async ({ ref }, turn) => {
      const c = await store.get(ref);
      if (!c) return { kind: 'message', message: gone(ref) };
      return statusOutcome(ctx, ref, turn, await remind(ctx, c));
    },
    consultResend: ({ ref }, turn) => resend(ctx, ref, turn),
    consultRespond: (data, turn) => {
      // Each feedback on the status card has its own reply box (reply1, reply2, …).
      const typed = data.slot ? (data as Record<string, unknown>)[`reply${data.slot}`] : data.response;
      return respond(ctx, data.ref, data.item, typeof typed === 'string' ? typed : undefined, turn);
    },
    consultClose: async ({ ref }, turn) => {
      const c = await store.get(ref);
      if (!c) return { kind: 'message', message: gone(ref) };
      const closed = await close(ctx, c);
      return statusOutcome(ctx, ref, turn, closed.message);
    },
    consultExport: async ({ ref }, turn) => {
      const c = await store.get(ref);
      if (!c) return { kind: 'message', message: gone(ref) };
      const rows = (await store.feedbackFor(c.ref)).length;
      if (turn.where.type === 'personal') return { kind: 'card', card: exportMessage(ctx, c, rows).card };
      return { kind: 'message', message: (await exportOutcome(ctx, c, turn)) ?? '' };
    },
    consultWeDid: async ({ ref }) => {
      const c = await store.get(ref);
      return c ? weDidForm(ctx, c) : { kind: 'message', message: gone(ref) };
    },
    consultWeDidSave: (data, turn) => weDidSave(ctx, data, turn),
  };
}
