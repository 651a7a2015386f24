import { message, invoke, PEOPLE, type Person, type Where } from './activities.js';

/** Activities for the actions feature: messages with @mentions and a timestamp, message actions. */

export type Sent = { attachments?: { contentType: string; content: unknown }[]; text?: string };
export const cardOf = (activity: unknown) => (activity as Sent).attachments?.[0]?.content;
export const textOf = (activity: unknown) => (activity as Sent).text ?? '';

/** A message at a given time (the parser reads relative dates from it), with @mentioned people. */
export function messageAt(
  text: string,
  from: Person,
  where: Where,
  options: { at?: Date; mentions?: Person[]; id?: string } = {},
) {
  const base = message(text, from, where);
  let body = base.text;
  for (const p of options.mentions ?? []) body = body.replace(p.name, `<at>${p.name}</at>`);
  return {
    ...base,
    ...(options.id ? { id: options.id } : {}),
    text: body,
    timestamp: (options.at ?? new Date()).toISOString(),
    entities: [
      ...base.entities,
      ...(options.mentions ?? []).map((p) => ({
        type: 'mention',
        text: `<at>${p.name}</at>`,
        mentioned: { id: p.id, name: p.name },
      })),
    ],
  };
}

/** The "… → Log as action" command on a message: Teams asks for the dialog first. */
export function logAsActionFetch(
  from: Person,
  where: Where,
  messagePayload: { id?: string; html: string; author?: Person; linkToMessage?: string },
) {
  return invoke(
    'composeExtension/fetchTask',
    {
      commandId: 'logAsAction',
      commandContext: 'message',
      messagePayload: {
        id: messagePayload.id ?? '1690000000000',
        body: { contentType: 'html', content: messagePayload.html },
        ...(messagePayload.linkToMessage ? { linkToMessage: messagePayload.linkToMessage } : {}),
        ...(messagePayload.author
          ? {
              from: {
                user: { id: messagePayload.author.aadObjectId, displayName: messagePayload.author.name },
              },
            }
          : {}),
      },
    },
    from,
    where,
  );
}

export function logAsActionSubmit(from: Person, where: Where, data: Record<string, unknown>) {
  return invoke(
    'composeExtension/submitAction',
    { commandId: 'logAsAction', commandContext: 'message', data },
    from,
    where,
  );
}

/** The same activity as it would come from someone signed in to another organisation's tenant. */
export function fromTenant<T extends { conversation: object; channelData: object }>(
  activity: T,
  tenantId: string,
): T {
  return {
    ...activity,
    conversation: { ...activity.conversation, tenantId },
    channelData: { ...activity.channelData, tenant: { id: tenantId } },
  };
}

/** The people on the team roster (what `turn.roster()` returns through the connector stand-in). */
export const ROSTER_PEOPLE = {
  rachel: { id: '29:rachel', aadObjectId: 'aad-rachel-duke', name: 'Rachel Duke' },
  tim: { id: '29:tim', aadObjectId: 'aad-tim-shields', name: 'Tim Shields' },
  sonia2: { id: '29:sonia-patel', aadObjectId: 'aad-sonia-patel', name: 'Sonia Patel' },
};

/** The team's members in the actions tests, as the connector stand-in lists them. */
export const ACTIONS_ROSTER = [
  PEOPLE.officer,
  PEOPLE.partner,
  PEOPLE.chair,
  PEOPLE.obrien,
  ROSTER_PEOPLE.rachel,
  ROSTER_PEOPLE.tim,
].map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId }));
