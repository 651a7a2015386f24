import { createHash } from 'node:crypto';
import type { OutgoingMessage } from '../conversation.js';
import {
  BatchItemsError,
  type DeliveryFields,
  type FieldsPatch,
  type ListItem,
  type ListRepository,
} from '../sharepoint/index.js';
import type { DELIVERY_STATUSES } from '../sharepoint/schema.js';
import type { Recipient } from './messenger.js';

/**
 * The durable delivery log: one `Deliveries` item per message per recipient, written before
 * anything is sent, so a fan-out can be resumed by any instance after a crash or a redeploy.
 *
 *   Pending ──claim──▶ Sending ──sent──▶ Sent
 *      ▲                 │ ├──release (429, 5xx: surely not delivered)──▶ Pending
 *      │                 │ ├──fail (unreachable, refused, out of attempts)──▶ Failed
 *      └──requeue──┐     │ └──unconfirmed (the answer was lost, or the claim expired)──▶ Unconfirmed
 *           Failed / Unconfirmed
 *
 * Every change carries the item's ETag, so two processes never both claim one delivery.
 */

export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Scheduler runs share the list but are not messages: fan-outs never pick them up. */
export const SCHEDULER_CAMPAIGN = 'scheduler';

export const CAMPAIGN_MAX = 150;
/** SharePoint plain multi-line text holds 63,999 characters; cards stay under 40 KB anyway. */
export const PAYLOAD_MAX = 60_000;
const ERROR_MAX = 2_000;

export interface Delivery {
  id: string;
  etag: string;
  key: string;
  campaign: string;
  title: string;
  recipient: Recipient;
  status: DeliveryStatus;
  attempts: number;
  lastError?: string;
  sentAt?: string;
  attemptedAt?: string;
  activityId?: string;
  conversationId?: string;
  /** The planned message; undefined when the stored payload cannot be read. */
  message?: OutgoingMessage;
}

export type DeliveryEvent =
  | { type: 'claim'; at: Date; conversationId: string; token: string }
  | { type: 'sent'; at: Date; activityId: string; conversationId: string }
  | { type: 'release'; error: string }
  | { type: 'fail'; error: string }
  | { type: 'unconfirmed'; error: string }
  | { type: 'requeue' };

export class DeliveryTransitionError extends Error {
  constructor(status: DeliveryStatus, event: DeliveryEvent['type']) {
    super(`A ${status} delivery cannot take '${event}'`);
    this.name = 'DeliveryTransitionError';
  }
}

const FROM: Record<DeliveryEvent['type'], readonly DeliveryStatus[]> = {
  claim: ['Pending'],
  sent: ['Sending'],
  release: ['Sending'],
  fail: ['Pending', 'Sending'],
  unconfirmed: ['Sending'],
  requeue: ['Failed', 'Unconfirmed'],
};

export const claimMark = (token: string) => `claim:${token}`;

/** True when the delivery is Sending under this claim (so a lost answer to our write was ours). */
export function heldBy(d: Pick<Delivery, 'status' | 'activityId'>, token: string): boolean {
  return d.status === 'Sending' && d.activityId === claimMark(token);
}

const clip = (text: string) => (text.length > ERROR_MAX ? `${text.slice(0, ERROR_MAX - 1)}…` : text);

/** The change an event makes to a delivery; throws when the event makes no sense in its state. */
export function transition(
  current: Pick<Delivery, 'status' | 'attempts'>,
  event: DeliveryEvent,
): FieldsPatch<DeliveryFields> {
  if (!FROM[event.type].includes(current.status))
    throw new DeliveryTransitionError(current.status, event.type);
  switch (event.type) {
    case 'claim':
      return {
        Status: 'Sending',
        Attempts: current.attempts + 1,
        AttemptedAt: event.at.toISOString(),
        ConversationId: event.conversationId.slice(0, 255),
        // Until Teams gives the activity id, the column names who holds the claim.
        ActivityId: claimMark(event.token),
      };
    case 'sent':
      return {
        Status: 'Sent',
        SentAt: event.at.toISOString(),
        ActivityId: event.activityId.slice(0, 255),
        ConversationId: event.conversationId.slice(0, 255),
        LastError: null,
      };
    case 'release':
      return { Status: 'Pending', LastError: clip(event.error), ActivityId: null };
    case 'fail':
      return { Status: 'Failed', LastError: clip(event.error), ActivityId: null };
    case 'unconfirmed':
      return { Status: 'Unconfirmed', LastError: clip(event.error), ActivityId: null };
    case 'requeue':
      return { Status: 'Pending', Attempts: 0, ActivityId: null };
  }
}

/** Applies a patch to a delivery in memory, as the list will hold it after the write. */
function patched(d: Delivery, patch: FieldsPatch<DeliveryFields>, etag: string): Delivery {
  const next: Delivery = { ...d, etag };
  if (patch.Status) next.status = patch.Status;
  if (typeof patch.Attempts === 'number') next.attempts = patch.Attempts;
  if (patch.AttemptedAt) next.attemptedAt = patch.AttemptedAt;
  if (patch.SentAt) next.sentAt = patch.SentAt;
  if (patch.ActivityId === null) delete next.activityId;
  else if (patch.ActivityId) next.activityId = patch.ActivityId;
  if (patch.ConversationId) next.conversationId = patch.ConversationId;
  if (patch.LastError === null) delete next.lastError;
  else if (typeof patch.LastError === 'string') next.lastError = patch.LastError;
  return next;
}

/** The unique key: campaign and recipient; long conversation ids are hashed to fit 255 characters. */
export function recipientId(r: Recipient): string {
  if (r.kind === 'user') return r.aadObjectId.trim().toLowerCase();
  const hash = createHash('sha256').update(r.conversationId).digest('hex').slice(0, 40);
  return `conversation:${hash}`;
}

export function deliveryKey(campaign: string, r: Recipient): string {
  return `${campaign}|${recipientId(r)}`;
}

export function checkCampaign(campaign: string): void {
  if (!campaign.trim() || campaign.length > CAMPAIGN_MAX || campaign !== campaign.trim()) {
    throw new RangeError(`A campaign name needs 1–${CAMPAIGN_MAX} characters without surrounding spaces`);
  }
  if (campaign === SCHEDULER_CAMPAIGN) throw new RangeError(`'${SCHEDULER_CAMPAIGN}' is reserved`);
}

interface Payload {
  v: 1;
  to: Recipient;
  message: OutgoingMessage;
}

function readPayload(text: string | undefined): Payload | undefined {
  if (!text) return undefined;
  try {
    const p = JSON.parse(text) as Partial<Payload>;
    const to = p.to as Recipient | undefined;
    const valid =
      p.v === 1 &&
      p.message &&
      typeof p.message === 'object' &&
      to &&
      ((to.kind === 'user' && typeof to.aadObjectId === 'string') ||
        (to.kind === 'conversation' && typeof to.conversationId === 'string'));
    return valid ? (p as Payload) : undefined;
  } catch {
    return undefined;
  }
}

export function toDelivery(item: ListItem<DeliveryFields>): Delivery {
  const f = item.fields;
  const payload = readPayload(f.Payload);
  const fallback: Recipient = { kind: 'user', aadObjectId: f.RecipientId ?? '' };
  const d: Delivery = {
    id: item.id,
    etag: item.etag,
    key: f.DeliveryKey,
    campaign: f.Campaign,
    title: f.Title ?? '',
    recipient: payload?.to ?? fallback,
    status: f.Status ?? 'Pending',
    attempts: typeof f.Attempts === 'number' ? f.Attempts : 0,
  };
  if (f.LastError) d.lastError = f.LastError;
  if (f.SentAt) d.sentAt = f.SentAt;
  if (f.AttemptedAt) d.attemptedAt = f.AttemptedAt;
  if (f.ActivityId) d.activityId = f.ActivityId;
  if (f.ConversationId) d.conversationId = f.ConversationId;
  if (payload) d.message = payload.message;
  return d;
}

export interface PlannedMessage {
  recipient: Recipient;
  message: OutgoingMessage;
}

/** A planned message that cannot be stored; nothing of the campaign has been sent. */
export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}

export class DeliveryLog {
  constructor(readonly repo: ListRepository<DeliveryFields>) {}

  /**
   * Records every recipient of a campaign as Pending (those already recorded are returned as they
   * stand, Sent ones included), so the whole campaign is on the list before the first send.
   */
  async plan(campaign: string, title: string, planned: readonly PlannedMessage[]): Promise<Delivery[]> {
    checkCampaign(campaign);
    const existing = new Map((await this.forCampaign(campaign)).map((d) => [d.key, d]));
    const fresh = new Map<string, DeliveryFields>();
    for (const { recipient, message } of planned) {
      const key = deliveryKey(campaign, recipient);
      if (existing.has(key) || fresh.has(key)) continue;
      const payload = JSON.stringify({ v: 1, to: recipient, message } satisfies Payload);
      if (payload.length > PAYLOAD_MAX) {
        throw new PlanError(
          `The message for ${recipientId(recipient)} is ${payload.length} characters, over the ${PAYLOAD_MAX} the delivery log holds`,
        );
      }
      fresh.set(key, {
        Title: title.slice(0, 255),
        DeliveryKey: key,
        Campaign: campaign,
        RecipientId: (recipient.kind === 'user' ? recipient.aadObjectId : recipient.conversationId).slice(
          0,
          255,
        ),
        Status: 'Pending',
        Attempts: 0,
        Payload: payload,
        ...(recipient.kind === 'conversation'
          ? { ConversationId: recipient.conversationId.slice(0, 255) }
          : {}),
      });
    }
    const created = await this.createAll([...fresh.values()]);
    for (const d of created) existing.set(d.key, d);
    return planned
      .map(({ recipient }) => existing.get(deliveryKey(campaign, recipient)))
      .filter((d, i, all): d is Delivery => d !== undefined && all.indexOf(d) === i);
  }

  /** `$batch` creates; rows that failed for good are tried again twice before giving up. */
  private async createAll(rows: DeliveryFields[]): Promise<Delivery[]> {
    const done: Delivery[] = [];
    let todo = rows;
    for (let round = 1; todo.length; round++) {
      try {
        done.push(...(await this.repo.createMany(todo, { keyColumn: 'DeliveryKey' })).map(toDelivery));
        todo = [];
      } catch (e) {
        if (!(e instanceof BatchItemsError) || round >= 3) throw e;
        const batch = e as BatchItemsError<ListItem<DeliveryFields>>;
        done.push(...batch.succeeded.map((s) => toDelivery(s.value)));
        todo = batch.failures.map((f) => todo[f.index]!);
      }
    }
    return done;
  }

  async forCampaign(campaign: string): Promise<Delivery[]> {
    const items = await this.repo.all({ filter: this.repo.filter.eq('Campaign', campaign), top: 5000 });
    return items.map(toDelivery);
  }

  /** Deliveries not settled yet (Pending or Sending), across campaigns or in one. */
  async open(campaign?: string): Promise<Delivery[]> {
    const f = this.repo.filter;
    const unsettled = f.or(f.eq('Status', 'Pending'), f.eq('Status', 'Sending'));
    const items = await this.repo.all({
      filter: campaign ? f.and(f.eq('Campaign', campaign), unsettled) : unsettled,
      top: 5000,
    });
    return items.map(toDelivery).filter((d) => d.campaign !== SCHEDULER_CAMPAIGN);
  }

  async get(id: string): Promise<Delivery> {
    return toDelivery(await this.repo.get(id));
  }

  /**
   * Writes an event with the ETag it was read with: PreconditionFailedError if someone moved first.
   * `unconditional` is for recording what surely happened (a message Teams accepted) even if another
   * process has meanwhile given up on the claim.
   */
  async apply(
    delivery: Delivery,
    event: DeliveryEvent,
    options: { unconditional?: boolean } = {},
  ): Promise<Delivery> {
    const patch = transition(delivery, event);
    const item = await this.repo.update(
      delivery.id,
      patch,
      options.unconditional ? {} : { etag: delivery.etag },
    );
    return patched(delivery, patch, item.etag);
  }
}
