import type { Actor, OutgoingMessage, Role, Turn, Where } from '../../bot/routing/types.js';

/**
 * A plain Turn for unit tests: what the edge would hand the router, with no botbuilder and no I/O.
 * Replies are kept in `sent`; `reply` answers with the reply's number ("1", "2", …) unless
 * `replyId` says otherwise; `update` and `roster` do nothing.
 */
export type FakeTurn = Turn & { sent: OutgoingMessage[] };

export interface FakeTurnOptions {
  text?: string;
  /** The actor's role; `partner` unless `actor` gives one. */
  role?: Role;
  /** Who is speaking; `29:1` "Someone" by default. */
  actor?: Partial<Actor>;
  /** A personal chat by default. */
  where?: Where;
  /** 26 February 2018, 10:00 UTC by default (a board meeting day). */
  timestamp?: Date;
  activityId?: string;
  /** The id each reply is given, from its number; the number itself by default. */
  replyId?: (n: number) => string;
}

const PERSONAL_CHAT: Where = {
  conversationId: 'a:1',
  type: 'personal',
  serviceUrl: 'http://127.0.0.1:1',
};

export function fakeTurn(options: FakeTurnOptions = {}): FakeTurn {
  const sent: OutgoingMessage[] = [];
  const replyId = options.replyId ?? String;
  return {
    sent,
    actor: { id: '29:1', name: 'Someone', role: options.role ?? 'partner', ...options.actor },
    where: options.where ?? PERSONAL_CHAT,
    ...(options.activityId === undefined ? {} : { activityId: options.activityId }),
    timestamp: options.timestamp ?? new Date('2018-02-26T10:00:00Z'),
    text: options.text ?? '',
    mentions: [],
    reply: async (m) => {
      sent.push(m);
      return replyId(sent.length);
    },
    update: async () => undefined,
    roster: async () => [],
  };
}
