import { describe, expect, it } from 'vitest';
import {
  checkCampaign,
  claimMark,
  deliveryKey,
  DeliveryTransitionError,
  heldBy,
  recipientId,
  toDelivery,
  transition,
  type DeliveryEvent,
  type DeliveryStatus,
} from '../../bot/messaging/deliveries.js';
import type { DeliveryFields, ListItem } from '../../bot/sharepoint/index.js';

const AT = new Date('2018-03-05T09:00:00Z');
const EVENTS: Record<DeliveryEvent['type'], DeliveryEvent> = {
  claim: { type: 'claim', at: AT, conversationId: 'a:chat', token: 'tok' },
  sent: { type: 'sent', at: AT, activityId: 'activity-9', conversationId: 'a:chat' },
  release: { type: 'release', error: '429' },
  fail: { type: 'fail', error: 'blocked' },
  unconfirmed: { type: 'unconfirmed', error: 'lost' },
  requeue: { type: 'requeue' },
};
const STATUSES: DeliveryStatus[] = ['Pending', 'Sending', 'Sent', 'Failed', 'Unconfirmed'];

/** Which events each status accepts: everything else is refused. */
const ALLOWED: Record<DeliveryStatus, DeliveryEvent['type'][]> = {
  Pending: ['claim', 'fail'],
  Sending: ['sent', 'release', 'fail', 'unconfirmed'],
  Sent: [],
  Failed: ['requeue'],
  Unconfirmed: ['requeue'],
};

describe('delivery state transitions', () => {
  for (const status of STATUSES) {
    for (const [type, event] of Object.entries(EVENTS)) {
      const allowed = ALLOWED[status].includes(type as DeliveryEvent['type']);
      it(`${status} ${allowed ? 'takes' : 'refuses'} '${type}'`, () => {
        const run = () => transition({ status, attempts: 1 }, event);
        if (allowed) expect(run()).toBeTypeOf('object');
        else expect(run).toThrow(DeliveryTransitionError);
      });
    }
  }

  it('a claim counts an attempt, notes when and where, and marks who holds it', () => {
    expect(transition({ status: 'Pending', attempts: 2 }, EVENTS.claim)).toEqual({
      Status: 'Sending',
      Attempts: 3,
      AttemptedAt: '2018-03-05T09:00:00.000Z',
      ConversationId: 'a:chat',
      ActivityId: 'claim:tok',
    });
    expect(heldBy({ status: 'Sending', activityId: claimMark('tok') }, 'tok')).toBe(true);
    expect(heldBy({ status: 'Sending', activityId: claimMark('other') }, 'tok')).toBe(false);
    expect(heldBy({ status: 'Sent', activityId: claimMark('tok') }, 'tok')).toBe(false);
  });

  it('Sent keeps the activity id and clears the last error; a release clears the claim', () => {
    expect(transition({ status: 'Sending', attempts: 1 }, EVENTS.sent)).toEqual({
      Status: 'Sent',
      SentAt: '2018-03-05T09:00:00.000Z',
      ActivityId: 'activity-9',
      ConversationId: 'a:chat',
      LastError: null,
    });
    expect(transition({ status: 'Sending', attempts: 1 }, EVENTS.release)).toEqual({
      Status: 'Pending',
      LastError: '429',
      ActivityId: null,
    });
  });

  it('a requeue (an officer asks to send again) starts the attempts afresh', () => {
    expect(transition({ status: 'Unconfirmed', attempts: 4 }, EVENTS.requeue)).toMatchObject({
      Status: 'Pending',
      Attempts: 0,
    });
  });

  it('keeps long errors within the column', () => {
    const patch = transition({ status: 'Pending', attempts: 0 }, { type: 'fail', error: 'x'.repeat(5000) });
    expect(String(patch.LastError).length).toBe(2000);
  });
});

describe('delivery keys', () => {
  it('is campaign|recipient, with Entra ids compared without case', () => {
    expect(deliveryKey('consultation:C-0003:invitation', { kind: 'user', aadObjectId: 'AAD-Sonia' })).toBe(
      'consultation:C-0003:invitation|aad-sonia',
    );
  });

  it('hashes conversation ids, which can be long, to a fixed length', () => {
    const long = `a:${'x'.repeat(400)}`;
    const id = recipientId({ kind: 'conversation', conversationId: long });
    expect(id).toMatch(/^conversation:[0-9a-f]{40}$/);
    expect(
      deliveryKey('c'.repeat(150), { kind: 'conversation', conversationId: long }).length,
    ).toBeLessThanOrEqual(255);
    expect(id).not.toBe(recipientId({ kind: 'conversation', conversationId: `${long}y` }));
  });

  it('refuses campaign names that are empty, too long, padded or reserved', () => {
    expect(() => checkCampaign('')).toThrow(RangeError);
    expect(() => checkCampaign(' pack')).toThrow(RangeError);
    expect(() => checkCampaign('x'.repeat(151))).toThrow(RangeError);
    expect(() => checkCampaign('scheduler')).toThrow(RangeError);
    expect(() => checkCampaign('agenda:M-0007:pack')).not.toThrow();
  });
});

describe('reading a delivery back', () => {
  const item = (fields: Partial<DeliveryFields>): ListItem<DeliveryFields> => ({
    id: '7',
    etag: '"1"',
    createdDateTime: '',
    lastModifiedDateTime: '',
    fields: { Title: 'T', DeliveryKey: 'c|aad-x', Campaign: 'c', Status: 'Pending', ...fields },
  });

  it('takes the recipient and message from the stored payload', () => {
    const d = toDelivery(
      item({
        Attempts: 2,
        Payload: JSON.stringify({
          v: 1,
          to: { kind: 'user', aadObjectId: 'aad-x' },
          message: { text: 'Hello' },
        }),
      }),
    );
    expect(d).toMatchObject({
      recipient: { kind: 'user', aadObjectId: 'aad-x' },
      message: { text: 'Hello' },
      attempts: 2,
    });
  });

  it('has no message when the payload cannot be read, so it is never sent half-formed', () => {
    expect(toDelivery(item({ Payload: '{not json' })).message).toBeUndefined();
    expect(
      toDelivery(item({ Payload: JSON.stringify({ v: 1, to: { kind: 'fax' }, message: {} }) })).message,
    ).toBeUndefined();
  });
});
