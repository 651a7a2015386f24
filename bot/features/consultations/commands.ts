import type { Turn } from '../../routing/types.js';
import { show } from './answering.js';
import { find, privately, type ConsultContext } from './context.js';
import { close, exportOutcome, remind, statusCardFor, weDidForm } from './following.js';
import { CONSULT_USAGE, type ConsultIntent } from './intents.js';
import type { Consultation } from './model.js';
import { newForm } from './opening.js';

/**
 * What each "consult …" command does. A command about one consultation finds it first (by
 * reference, else the newest open one, or for status, export and "you said, we did" the newest).
 */

type About = (ctx: ConsultContext, turn: Turn, c: Consultation) => Promise<void>;

const ABOUT: Record<Exclude<ConsultIntent['kind'], 'new' | 'show' | 'unknown'>, About> = {
  status: async (ctx, turn, c) => {
    const card = await statusCardFor(ctx, c, turn);
    const said = await privately(ctx, turn, { card }, `the status of ${c.ref}`);
    if (said) await turn.reply({ text: said });
  },
  remind: async (ctx, turn, c) => void (await turn.reply({ text: await remind(ctx, c) })),
  close: async (ctx, turn, c) => void (await turn.reply({ text: (await close(ctx, c)).message })),
  export: async (ctx, turn, c) => {
    const said = await exportOutcome(ctx, c, turn);
    if (said) await turn.reply({ text: said });
  },
  weDid: async (ctx, turn, c) => {
    const outcome = await weDidForm(ctx, c);
    await turn.reply(outcome.kind === 'card' ? { card: outcome.card } : { text: outcome.message });
  },
};

export async function handleConsult(ctx: ConsultContext, turn: Turn, intent: ConsultIntent): Promise<void> {
  switch (intent.kind) {
    case 'new':
      return void (await turn.reply(newForm(ctx, turn)));
    case 'show':
      return void (await turn.reply(await show(ctx, intent.ref, turn)));
    case 'unknown':
      return void (await turn.reply({ text: `I didn't recognise that. ${CONSULT_USAGE}` }));
    default: {
      const act = ABOUT[intent.kind];
      const found = await find(
        ctx,
        intent.ref,
        intent.kind === 'remind' || intent.kind === 'close' ? 'open' : 'any',
      );
      if ('message' in found) await turn.reply({ text: found.message });
      else await act(ctx, turn, found.consultation);
    }
  }
}
