import { createHash } from 'node:crypto';
import type { ConversationType } from '../conversation.js';
import {
  f,
  PreconditionFailedError,
  type ConversationFields,
  type ListRepository,
} from '../sharepoint/index.js';

/**
 * Where the bot is installed, kept in the `Conversations` list so proactive messages (invitations,
 * reminders, packs) can reach a person or a channel after a restart or on another instance.
 */

export interface ConversationRecord {
  conversationId: string;
  type: ConversationType;
  name: string;
  userId?: string;
  teamId?: string;
  tenantId?: string;
  serviceUrl: string;
  /** botbuilder's ConversationReference, stored whole as JSON. */
  reference: Record<string, unknown>;
}

/** Conversation ids can be long and carry `;messageid=`: the key is a fixed-length hash of the id. */
function withoutActivityId(reference: Record<string, unknown>): Record<string, unknown> {
  const { activityId: _activityId, ...rest } = reference;
  return rest;
}

export function conversationKey(conversationId: string): string {
  return createHash('sha256')
    .update(conversationId.split(';')[0] ?? conversationId)
    .digest('hex');
}

export interface ConversationStore {
  /**
   * Stores or refreshes the reference. Says whether this call made the conversation known
   * (`new`, or `reactivated` after a removal), so that of two instances told of one installation
   * only the one whose write won says hello.
   */
  remember(record: ConversationRecord): Promise<'new' | 'reactivated' | 'known'>;
  deactivate(conversationId: string): Promise<void>;
  /** The personal chat reference for a person, by Entra object id. */
  personalFor(userAadId: string): Promise<ConversationRecord | undefined>;
  get(conversationId: string): Promise<ConversationRecord | undefined>;
  /**
   * Any conversation the bot is still installed in (a channel first), optionally in one tenant: its
   * reference carries the service URL, tenant and bot id needed to open someone's personal chat.
   */
  anyActive(tenantId?: string): Promise<ConversationRecord | undefined>;
}

export function createConversationStore(repo: ListRepository<ConversationFields>): ConversationStore {
  const toFields = (r: ConversationRecord): ConversationFields => ({
    Title: r.name.slice(0, 255),
    ConversationKey: conversationKey(r.conversationId),
    ConversationId: r.conversationId.slice(0, 255),
    ConversationType: r.type,
    ServiceUrl: r.serviceUrl,
    // The reference names the activity it came from; that changes every turn and is not needed to
    // reach the conversation, so it is left out and an unchanged conversation is never rewritten.
    Reference: JSON.stringify(withoutActivityId(r.reference)),
    Active: true,
    ...(r.userId ? { UserId: r.userId } : {}),
    // A team's channel is its board's (issue 12: the board is the team); a chat is no one board's.
    ...(r.teamId ? { TeamId: r.teamId, BoardId: r.teamId } : {}),
    ...(r.tenantId ? { TenantId: r.tenantId } : {}),
  });
  const fromFields = (f: ConversationFields): ConversationRecord | undefined => {
    if (!f.Reference || f.Active === false) return undefined;
    const reference = JSON.parse(f.Reference) as Record<string, unknown>;
    const conversation = reference.conversation as { id?: string } | undefined;
    return {
      conversationId: conversation?.id ?? f.ConversationId ?? '',
      type: f.ConversationType ?? 'personal',
      name: f.Title ?? '',
      serviceUrl: f.ServiceUrl ?? String(reference.serviceUrl ?? ''),
      reference,
      ...(f.UserId ? { userId: f.UserId } : {}),
      ...(f.TeamId ? { teamId: f.TeamId } : {}),
      ...(f.TenantId ? { tenantId: f.TenantId } : {}),
    };
  };

  return {
    async remember(record) {
      const fields = toFields(record);
      const item = await repo.create(fields, { keyColumn: 'ConversationKey' });
      if (item.created !== false) return 'new';
      const wasInactive = item.fields.Active === false;
      const stale =
        item.fields.Reference !== fields.Reference || wasInactive || item.fields.Title !== fields.Title;
      if (!stale) return 'known';
      // The service URL or name can change; keep the newest reference.
      try {
        await repo.update(item.id, fields, { etag: item.etag });
      } catch (err) {
        // Another instance refreshed it first: it is known, and that instance says hello.
        if (err instanceof PreconditionFailedError) return 'known';
        throw err;
      }
      return wasInactive ? 'reactivated' : 'known';
    },
    async deactivate(conversationId) {
      const item = await repo.findByKey('ConversationKey', conversationKey(conversationId));
      if (item && item.fields.Active !== false)
        await repo.update(item.id, { Active: false }, { etag: item.etag });
    },
    async personalFor(userAadId) {
      const item = await repo.findOne(f.and(f.eq('UserId', userAadId), f.eq('ConversationType', 'personal')));
      return item ? fromFields(item.fields) : undefined;
    },
    async get(conversationId) {
      const item = await repo.findByKey('ConversationKey', conversationKey(conversationId));
      return item ? fromFields(item.fields) : undefined;
    },
    async anyActive(tenantId) {
      // Personal chats grow with every person who installs the bot, so `ConversationType eq 'personal'`
      // would one day pass the list view threshold; the last resort is the list's first page, unfiltered.
      for (const type of ['channel', 'groupChat', undefined] as const) {
        // A small page: removed conversations (Active false) are skipped here, not filtered by Graph.
        const page = await repo.page(
          type ? { filter: repo.filter.eq('ConversationType', type), top: 20 } : { top: 20 },
        );
        for (const item of page.items) {
          const record = fromFields(item.fields);
          if (record?.serviceUrl && (!tenantId || !record.tenantId || record.tenantId === tenantId))
            return record;
        }
      }
      return undefined;
    },
  };
}
