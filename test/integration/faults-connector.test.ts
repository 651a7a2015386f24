import { beforeEach, describe, expect, it } from 'vitest';
import { ActionStore } from '../../bot/features/actions/index.js';
import { keyFor } from '../../bot/keys.js';
import { installed, message, PEOPLE } from '../support/activities.js';
import { cardOf, logAsActionFetch, logAsActionSubmit, textOf } from '../support/actions-activities.js';
import { useTestBot } from '../support/use-test-bot.js';
import { cardText } from '../support/cards.js';

/**
 * The Teams connector answering 429 to the bot's replies within a turn (the fan-out's own 429
 * handling is covered in messaging-fanout.test.ts): the reply is retried after the asked wait and
 * arrives once; the change behind it is written once whatever happens to the reply.
 */

describe('the Teams connector throttling replies (429 with Retry-After)', () => {
  const t = useTestBot();
  beforeEach(() => t.connector.reset());
  const where = () => ({ serviceUrl: t.connector.serviceUrl });
  const throttled = () => t.connector.calls.filter((c) => c.path.endsWith('(429)'));
  const delivered = (activityId: string) =>
    t.connector.calls.filter(
      (c) => c.method === 'POST' && c.activityId === activityId && !c.path.endsWith('(429)'),
    );
  const store = () => new ActionStore(t.bot.lists.repos.Actions);

  it('retries a reply refused twice, honouring Retry-After, and delivers it once', async () => {
    t.connector.throttleNext(2, 1);
    const activity = message('help', PEOPLE.partner, where());
    const res = await t.post(activity);
    expect(res.status).toBe(200);
    expect(throttled()).toHaveLength(2);
    const replies = delivered(activity.id);
    expect(replies).toHaveLength(1);
    expect(cardText(cardOf(replies[0]?.body))).toContain('Partnership Board');
  });

  it('logs an action once and confirms it once while the connector refuses the confirmation three times', async () => {
    t.connector.throttleNext(3, 0);
    const activity = message(
      'action write to the VCS partners about throttled replies',
      PEOPLE.partner,
      where(),
    );
    expect((await t.post(activity)).status).toBe(200);
    expect(throttled()).toHaveLength(3);
    const replies = delivered(activity.id);
    expect(replies).toHaveLength(1);
    const ref = /A-\d{4}/.exec(cardText(cardOf(replies[0]?.body)))?.[0];
    const stored = await store().bySourceKey(keyFor('msg', activity.conversation.id, activity.id));
    expect(stored?.ref).toBe(ref);
    const all = (await t.bot.lists.repos.Actions.all({})).filter((i) =>
      String(i.fields.Title).includes('throttled replies'),
    );
    expect(all).toHaveLength(1);
  });

  it('welcomes once on installation through a refusal, and stores the conversation once', async () => {
    t.connector.throttleNext(1, 0);
    const conversationId = '19:throttled-install@thread.tacv2';
    await t.post(installed(PEOPLE.officer, { ...where(), type: 'channel', conversationId }));
    const welcomes = t.connector.calls.filter(
      (c) => c.method === 'POST' && c.conversationId === conversationId && !c.path.endsWith('(429)'),
    );
    expect(welcomes).toHaveLength(1);
    const stored = (await t.bot.lists.repos.Conversations.all({})).filter(
      (i) => i.fields.ConversationId === conversationId,
    );
    expect(stored).toHaveLength(1);
  });

  it('posts the logged card of "Log as action" once through a refusal', async () => {
    const channel = { ...where(), type: 'channel' as const };
    const fetched = await t.post(
      logAsActionFetch(PEOPLE.partner, channel, {
        id: '1700000000777',
        html: '<p>Jake to send the throttling paper to the partners</p>',
      }),
    );
    const dialogCard = (fetched.body as { task: { value: { card: { content: { body: unknown[] } } } } }).task
      .value.card.content;
    const values = inputValues(dialogCard);
    t.connector.throttleNext(2, 0);
    const res = await t.post(logAsActionSubmit(PEOPLE.partner, channel, values));
    expect(res.status).toBe(200);
    expect(throttled()).toHaveLength(2);
    const posted = t.connector.calls
      .filter((c) => c.method === 'POST' && c.conversationId && !c.path.endsWith('(429)'))
      .filter((c) => cardText(cardOf(c.body)).includes('throttling paper'));
    expect(posted).toHaveLength(1);
    const items = (await t.bot.lists.repos.Actions.all({})).filter((i) =>
      String(i.fields.Title).includes('throttling paper'),
    );
    expect(items).toHaveLength(1);
  });

  it('when the connector never stops refusing, the action is still written exactly once', async () => {
    // botbuilder retries a 429 three times itself; past that the confirmation cannot be delivered.
    t.connector.throttleNext(50, 0);
    const activity = message(
      'action write to the VCS partners about a refused reply',
      PEOPLE.partner,
      where(),
    );
    const res = await t.post(activity);
    t.connector.throttleNext(0);
    expect(res.status).toBeLessThan(500);
    const items = (await t.bot.lists.repos.Actions.all({})).filter((i) =>
      String(i.fields.Title).includes('a refused reply'),
    );
    expect(items).toHaveLength(1);
    // Teams delivering the same message again writes nothing more.
    await t.post(activity);
    const again = (await t.bot.lists.repos.Actions.all({})).filter((i) =>
      String(i.fields.Title).includes('a refused reply'),
    );
    expect(again).toHaveLength(1);
    const said = t.connector.calls.filter((c) => c.method === 'POST' && !c.path.endsWith('(429)'));
    expect(said.map((c) => textOf(c.body)).join('\n')).not.toMatch(/NOT saved/);
  });
});

/** The values a dialog's inputs would submit as they are (ids and prefilled values). */
function inputValues(card: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string')
      values[o.id] = typeof o.value === 'string' ? o.value : '';
    if (o.type === 'Action.Submit' && o.data && typeof o.data === 'object')
      for (const [k, v] of Object.entries(o.data as Record<string, unknown>))
        if (typeof v === 'string') values[k] = v;
    Object.values(o).forEach(walk);
  };
  walk(card);
  return values;
}
