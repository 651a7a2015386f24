import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningBot } from '../../bot/index.js';
import { PEOPLE } from '../support/activities.js';
import { cardOf, messageAt } from '../support/actions-activities.js';
import { startPeerBot } from '../support/bot-harness.js';
import { useTestBot } from '../support/use-test-bot.js';
import { cardText } from '../support/cards.js';

/**
 * Logging is not queued: many actions logged at the same moment, from different conversations and
 * through two bot instances on one list, are written concurrently. Each must still be one item with
 * its own reference, the one its sender was told; a message delivered twice is still one item.
 */

// Monday 26 February 2018, 10:00 in London.
const AT = new Date('2018-02-26T10:00:00Z');

describe('logging many actions at once', () => {
  const t = useTestBot();
  let second: RunningBot;

  beforeAll(async () => {
    second = await startPeerBot(t);
  });
  afterAll(async () => {
    await second?.close();
  });
  beforeEach(() => {
    t.connector.reset();
    // A little Graph latency, so that the creates really are in flight together.
    t.lists.setFaults({ rate: 0, latencyMs: 10 });
  });

  const post = async (url: string, activity: unknown) => {
    const res = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    await res.text();
    return res.status;
  };
  const where = (conversationId: string) => ({ serviceUrl: t.connector.serviceUrl, conversationId });
  const items = async () => (await t.bot.lists.repos.Actions.all({})).map((i) => i.fields);
  /** The titles of the cards each conversation was sent. */
  const repliesIn = (conversationId: string) =>
    t.connector.calls
      .filter((c) => c.method === 'POST' && c.conversationId === conversationId)
      .map((c) => cardText(cardOf(c.body)));
  const refIn = (text: string | undefined) => /\bA-\d{4,7}\b/.exec(text ?? '')?.[0];

  it('30 from 30 conversations, over two instances: 30 items, 30 references, each sender told its own', async () => {
    const title = (i: number) => `Sonia Khan to file return ${i + 1} of 30`;
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        post(
          i % 3 === 2 ? second.url : t.bot.url,
          messageAt(`action ${title(i)}`, PEOPLE.officer, where(`a:burst-${i}`), { at: AT }),
        ),
      ),
    );
    expect(statuses).toEqual(statuses.map(() => 200));

    const all = await items();
    expect(all).toHaveLength(30);
    expect(new Set(all.map((f) => f.ActionRef)).size).toBe(30);
    expect(new Set(all.map((f) => f.SourceKey)).size).toBe(30);
    for (let i = 0; i < 30; i++) {
      const mine = all.filter((f) => f.Title === title(i));
      expect(mine, title(i)).toHaveLength(1);
      const replies = repliesIn(`a:burst-${i}`);
      expect(replies, title(i)).toHaveLength(1);
      expect(replies[0]).toContain(`Action logged: ${mine[0]!.ActionRef}`);
    }
  });

  it('the same messages delivered to both instances at once, among new ones: each logged once', async () => {
    const before = await items();
    const title = (i: number) => `Rachel Duke to check venue ${i + 1}`;
    const activities = Array.from({ length: 20 }, (_, i) =>
      messageAt(`action ${title(i)}`, PEOPLE.officer, where(`a:twice-${i}`), { at: AT }),
    );
    // The first ten reach both instances (a retry that landed on the other one); the rest one each.
    const deliveries = activities.flatMap((a, i) =>
      i < 10 ? [post(t.bot.url, a), post(second.url, a)] : [post(i % 2 ? second.url : t.bot.url, a)],
    );
    const statuses = await Promise.all(deliveries);
    expect(statuses).toEqual(statuses.map(() => 200));

    const all = await items();
    expect(all).toHaveLength(before.length + 20);
    expect(new Set(all.map((f) => f.ActionRef)).size).toBe(all.length);
    for (let i = 0; i < 20; i++) {
      const mine = all.filter((f) => f.Title === title(i));
      expect(mine, title(i)).toHaveLength(1);
      const replies = repliesIn(`a:twice-${i}`);
      expect(replies, title(i)).toHaveLength(i < 10 ? 2 : 1);
      // Every answer names the one item: "Action logged: A-…" once, "Already logged as A-…" for the other.
      expect(replies.map(refIn)).toEqual(replies.map(() => mine[0]!.ActionRef));
      expect(replies.filter((r) => r.includes('Action logged'))).toHaveLength(1);
    }
  });

  it('left the references unique and never above one per number handed out', async () => {
    const refs = (await items()).map((f) => Number(f.ActionRef.slice(2)));
    expect(new Set(refs).size).toBe(refs.length);
    // 50 actions; the ten repeated deliveries may each have left one number unused.
    expect(Math.max(...refs)).toBeLessThanOrEqual(60);
  });
});
