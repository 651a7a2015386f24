import { plural } from '../../../cards/text.js';
import type { Logger } from '../../logger.js';
import type { Recipient } from '../../messaging/index.js';
import type { OutgoingMessage, Turn } from '../../routing/types.js';
import { isClosed, type Consultation, type Feedback } from './model.js';
import type { ConsultationService } from './service.js';

/**
 * What every part of the consultations feature works with, and the rules every handler shares:
 * which consultation a request means, who was invited, and that names and download links go to
 * the person's personal chat, never to a channel.
 */

export interface ConsultContext {
  service: ConsultationService;
  logger: Logger;
  /** Configured officers (Entra ids or UPNs, lower case): they run consultations, not answer them. */
  officers: readonly string[];
  /** Where export links point: the bot's public address. */
  baseUrl: () => string;
  /** Sends one message to a person's personal chat (the messaging layer's paced single send). */
  deliver?: (recipient: Recipient, message: OutgoingMessage) => Promise<unknown>;
}

/** Said when the lists fail: the router tells it for every consultations route. */
export const LISTS_DOWN =
  'The consultation lists are not answering just now, so nothing was changed. Please try again in a few minutes.';

const NO_CONSULTATION =
  'There is no open consultation. Officers open one by typing "consult new" in the board\'s channel.';

export const gone = (ref: string) => `Consultation ${ref} no longer exists.`;

type Found = { consultation: Consultation } | { message: string };

/** The consultation a command or button means: by reference, else the newest open (or newest). */
export async function find(
  ctx: ConsultContext,
  ref: string | undefined,
  prefer: 'open' | 'any' = 'open',
): Promise<Found> {
  const { store } = ctx.service;
  if (ref) {
    const c = await store.get(ref);
    return c
      ? { consultation: c }
      : { message: `I can't find consultation ${ref}. Type "consult" to see the open one.` };
  }
  const recent = await store.recent();
  const open = recent.find((c) => !isClosed(c, ctx.service.now()));
  const chosen = open ?? (prefer === 'any' ? recent[0] : undefined);
  return chosen ? { consultation: chosen } : { message: NO_CONSULTATION };
}

/** The person's key in the Feedback list, when Teams says who they are. */
export function keyOf(ctx: ConsultContext, c: Consultation, turn: Turn): string | undefined {
  const aad = turn.actor.aadObjectId;
  return aad ? ctx.service.feedbackKeyOf(c, aad) : undefined;
}

/** The person's own feedback on a consultation, if they have any. */
export async function mine(ctx: ConsultContext, c: Consultation, turn: Turn): Promise<Feedback | undefined> {
  const key = keyOf(ctx, c, turn);
  return key ? ctx.service.store.feedbackByKey(key) : undefined;
}

export function invited(c: Consultation, turn: Turn): boolean {
  const aad = turn.actor.aadObjectId?.toLowerCase();
  return Boolean(aad && c.invitees.some((i) => i.aadObjectId.toLowerCase() === aad));
}

export function notInvited(c: Consultation): string {
  return `Consultation ${c.ref} was sent to ${plural(c.invitees.length, 'person', 'people')} and you are not among them. If you should be, ask ${c.openedBy || "one of the board's officers"}, who opened it.`;
}

/**
 * Names and download links never go to a channel: there, they go to the person's personal chat
 * and the channel hears only that they did.
 */
export async function privately(
  ctx: ConsultContext,
  turn: Turn,
  message: OutgoingMessage,
  what: string,
): Promise<string | undefined> {
  if (turn.where.type === 'personal') {
    await turn.reply(message);
    return undefined;
  }
  const aad = turn.actor.aadObjectId;
  if (!aad || !ctx.deliver)
    return `I can only show ${what} in our personal chat: open a chat with me and ask there.`;
  try {
    await ctx.deliver({ kind: 'user', aadObjectId: aad, name: turn.actor.name }, message);
    return `I've sent you ${what} in our personal chat.`;
  } catch (err) {
    ctx.logger.warn({ err }, 'could not send to a personal chat');
    return `I could not reach our personal chat to send you ${what}. Open a chat with me and ask there.`;
  }
}
