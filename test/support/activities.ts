import { randomUUID } from 'node:crypto';
import { boardRoleEnv, PEOPLE as BOARD_PEOPLE, type BoardPerson } from '../../scripts/board-fixture.js';

/** Teams-shaped activities for integration tests, as the Teams service would post them. */

export interface Person {
  id: string;
  aadObjectId: string;
  name: string;
}

const BOT = { id: '28:partnership-board', name: 'Partnership Board' };
export const TENANT = 'tenant-council';

const asPerson = ({ id, aadObjectId, name }: BoardPerson): Person => ({ id, aadObjectId, name });

/**
 * The board's people, from the one people fixture (the development identities the dev runner, the
 * Playground and the tab use), plus someone who is not on the board.
 */
export const PEOPLE = {
  officer: asPerson(BOARD_PEOPLE.officer),
  chair: asPerson(BOARD_PEOPLE.chair),
  partner: asPerson(BOARD_PEOPLE.jake),
  /** Not a member of the board: named in actions, with an apostrophe to match. */
  obrien: { id: '29:obrien', aadObjectId: 'aad-dara-obrien', name: "Dara O'Brien" },
} satisfies Record<string, Person>;

/** BOARD_OFFICERS and BOARD_CHAIRS: the fixture's officer and chair, as the dev runner sets them. */
export const ROLE_ENV = boardRoleEnv();

export interface Where {
  serviceUrl: string;
  conversationId?: string;
  type?: 'personal' | 'channel' | 'groupChat';
}

function base(from: Person, where: Where) {
  const type = where.type ?? 'personal';
  const conversationId =
    where.conversationId ??
    (type === 'personal' ? `a:personal-${from.aadObjectId}` : '19:general@thread.tacv2');
  return {
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl: where.serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: BOT,
    conversation: {
      id: conversationId,
      conversationType: type,
      tenantId: TENANT,
      isGroup: type !== 'personal',
    },
    channelData: {
      tenant: { id: TENANT },
      ...(type === 'channel'
        ? { team: { id: '19:team@thread.tacv2' }, channel: { id: conversationId } }
        : {}),
    },
    locale: 'en-GB',
  };
}

export function message(text: string, from: Person, where: Where, extra: Record<string, unknown> = {}) {
  const mentionBot = (where.type ?? 'personal') !== 'personal';
  return {
    ...base(from, where),
    type: 'message',
    text: mentionBot ? `<at>${BOT.name}</at> ${text}` : text,
    textFormat: 'plain',
    entities: mentionBot ? [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }] : [],
    ...extra,
  };
}

export function cardAction(
  verb: string,
  data: Record<string, unknown>,
  from: Person,
  where: Where,
  replyToId = 'card-1',
) {
  return {
    ...base(from, where),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

export function installed(from: Person, where: Where) {
  return { ...base(from, where), type: 'installationUpdate', action: 'add' };
}

export function botAdded(from: Person, where: Where) {
  return { ...base(from, where), type: 'conversationUpdate', membersAdded: [BOT] };
}

export function invoke(name: string, value: unknown, from: Person, where: Where) {
  return { ...base(from, where), type: 'invoke', name, value };
}
