import { beforeEach, describe, expect, it, vi } from 'vitest';
import { PEOPLE, botAdded, cardAction, installed, invoke, message } from '../support/activities.js';
import { useTestBot } from '../support/use-test-bot.js';
import { cardText } from '../support/cards.js';

type Sent = { attachments?: { contentType: string; content: unknown }[]; text?: string };
const cardOf = (activity: unknown) => (activity as Sent).attachments?.[0]?.content;

describe('the bot over HTTP', () => {
  const t = useTestBot();
  beforeEach(() => t.connector.reset());
  const where = () => ({ serviceUrl: t.connector.serviceUrl });

  it('answers "help" in a personal chat with the help card', async () => {
    const res = await t.post(message('help', PEOPLE.partner, where()));
    expect(res.status).toBe(200);
    const [reply] = t.connector.sent();
    expect(cardText(cardOf(reply))).toContain('Partnership Board');
  });

  it('answers an @mention in a channel, with the mention stripped', async () => {
    await t.post(message('HELP', PEOPLE.partner, { ...where(), type: 'channel' }));
    const [reply] = t.connector.sent();
    expect(cardText(cardOf(reply))).not.toContain("didn't recognise");
    expect(cardText(cardOf(reply))).toContain('Partnership Board');
  });

  it('answers an unknown command with the help card, saying so', async () => {
    await t.post(message('please reticulate the splines', PEOPLE.partner, where()));
    const text = cardText(cardOf(t.connector.sent()[0]));
    expect(text).toContain("I didn't recognise this");
    expect(text).toContain('please reticulate the splines');
  });

  it('acts once on a message Teams delivers twice', async () => {
    const activity = message('help', PEOPLE.partner, where());
    await t.post(activity);
    await t.post(activity);
    expect(t.connector.sent()).toHaveLength(1);
  });

  it('replaces the card in place when a help button is clicked (Universal Actions)', async () => {
    const res = await t.post(cardAction('help.topic', { topic: 'consult' }, PEOPLE.partner, where()));
    expect(res.status).toBe(200);
    const body = res.body as { statusCode: number; type: string; value: unknown };
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(body.value)).toContain('Consultations');
  });

  it('answers "My role" with the role from configuration', async () => {
    const officer = (await t.post(cardAction('help.role', {}, PEOPLE.officer, where()))).body as {
      value: unknown;
    };
    expect(cardText(officer.value)).toContain('you are an officer');
    const chair = (await t.post(cardAction('help.role', {}, PEOPLE.chair, where()))).body as {
      value: unknown;
    };
    expect(cardText(chair.value)).toContain('you are a chair');
    const partner = (await t.post(cardAction('help.role', {}, PEOPLE.obrien, where()))).body as {
      value: unknown;
    };
    expect(cardText(partner.value)).toContain('you are a partner');
  });

  it('answers an unknown or forged verb with a message, not an error', async () => {
    const res = await t.post(cardAction('actions.deleteAll', { all: true }, PEOPLE.partner, where()));
    expect(res.status).toBe(200);
    expect((res.body as { type: string }).type).toBe('application/vnd.microsoft.activity.message');
  });

  it('accepts the Action.Submit fallback (card data in the message value)', async () => {
    await t.post(message('', PEOPLE.partner, where(), { value: { verb: 'help.topic', topic: 'agenda' } }));
    expect(cardText(cardOf(t.connector.sent()[0]))).toContain('Agenda packs');
  });

  it('refuses a malformed card action with 400', async () => {
    const res = await t.post(
      invoke('adaptiveCard/action', { action: { type: 'Action.Submit' } }, PEOPLE.partner, where()),
    );
    expect(res.status).toBe(400);
    const none = await t.post(invoke('adaptiveCard/action', null, PEOPLE.partner, where()));
    expect(none.status).toBe(400);
  });

  it('answers an unknown dialog and message action with a message', async () => {
    const dialog = await t.post(
      invoke('task/fetch', { data: { dialog: 'no-such-dialog' } }, PEOPLE.partner, where()),
    );
    expect(dialog.status).toBe(200);
    expect((dialog.body as { task: { type: string } }).task.type).toBe('message');
    const me = await t.post(
      invoke(
        'composeExtension/fetchTask',
        { commandId: 'nope', messagePayload: {} },
        PEOPLE.partner,
        where(),
      ),
    );
    expect(me.status).toBe(200);
    expect((me.body as { task: { type: string } }).task.type).toBe('message');
  });

  it('on installation, stores the conversation reference in the Conversations list and welcomes', async () => {
    const conversationId = '19:installed@thread.tacv2';
    await t.post(installed(PEOPLE.officer, { ...where(), type: 'channel', conversationId }));
    expect(cardText(cardOf(t.connector.sent()[0]))).toContain('Hello!');
    const stored = await t.bot.lists.repos.Conversations.all({});
    const item = stored.find((i) => i.fields.ConversationId === conversationId);
    expect(item?.fields.ConversationType).toBe('channel');
    expect(JSON.parse(item?.fields.Reference ?? '{}').serviceUrl).toBe(t.connector.serviceUrl);
  });

  it('keeps the channel, not the thread, when an @mention comes from a reply in a thread', async () => {
    const channel = '19:threads@thread.tacv2';
    await t.post(
      message('help', PEOPLE.officer, {
        ...where(),
        type: 'channel',
        conversationId: `${channel};messageid=1700000000000`,
      }),
    );
    // The reference is stored alongside the turn, so wait for it (bounded by vi.waitFor).
    const stored = await vi.waitFor(async () => {
      const found = (await t.bot.lists.repos.Conversations.all({})).filter((i) =>
        i.fields.ConversationId?.startsWith(channel),
      );
      if (!found.length) throw new Error('not stored yet');
      return found;
    });
    expect(stored.map((i) => i.fields.ConversationId)).toEqual([channel]);
    expect(JSON.parse(stored[0]?.fields.Reference ?? '{}').conversation.id).toBe(channel);
  });

  it('does not rewrite a stored conversation on later messages (no activity id in the reference)', async () => {
    const conversationId = 'a:personal-steady';
    await t.post(installed(PEOPLE.partner, { ...where(), conversationId }));
    const [before] = (await t.bot.lists.repos.Conversations.all({})).filter(
      (i) => i.fields.ConversationId === conversationId,
    );
    expect(JSON.parse(before?.fields.Reference ?? '{}').activityId).toBeUndefined();
    t.lists.resetStats();
    for (let i = 0; i < 5; i++) await t.post(message('help', PEOPLE.partner, { ...where(), conversationId }));
    const [after] = (await t.bot.lists.repos.Conversations.all({})).filter(
      (i) => i.fields.ConversationId === conversationId,
    );
    expect(after?.etag).toBe(before?.etag);
  });

  it('welcomes once when Teams announces the installation twice', async () => {
    const conversationId = 'a:personal-twice';
    await t.post(installed(PEOPLE.partner, { ...where(), conversationId }));
    await t.post(botAdded(PEOPLE.partner, { ...where(), conversationId }));
    expect(t.connector.sent()).toHaveLength(1);
  });

  it('stores a personal chat once, however many times the bot is added', async () => {
    const conversationId = 'a:personal-added';
    await t.post(botAdded(PEOPLE.chair, { ...where(), conversationId }));
    await t.post(botAdded(PEOPLE.chair, { ...where(), conversationId }));
    const stored = (await t.bot.lists.repos.Conversations.all({})).filter(
      (i) => i.fields.ConversationId === conversationId,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]?.fields.UserId).toBe(PEOPLE.chair.aadObjectId);
  });

  it('refuses bad JSON, an empty activity and a typeless one with 4xx, and keeps serving', async () => {
    expect((await t.postRaw('{"type": "message", ')).status).toBe(400);
    expect((await t.postRaw('')).status).toBeGreaterThanOrEqual(400);
    expect((await t.postRaw('{}')).status).toBe(400);
    expect((await t.postRaw('[]')).status).toBe(400);
    expect((await t.postRaw('{"type": 42}')).status).toBe(400);
    expect((await t.postRaw('{"type": "message", "conversation": "not an object"}')).status).toBeLessThan(
      500,
    );
    const ok = await t.post(message('help', PEOPLE.partner, where()));
    expect(ok.status).toBe(200);
  });

  it('reports the lists on /healthz', async () => {
    const res = await fetch(`${t.bot.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, lists: { ok: true, missing: [] }, auth: 'off' });
  });
});

describe('authentication', () => {
  const t = useTestBot({
    env: {
      MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
      MicrosoftAppPassword: 'not-a-real-secret',
    },
  });

  it('with an app id set, refuses a request without a Bot Framework token (401) and runs nothing', async () => {
    const res = await t.post(message('help', PEOPLE.partner, { serviceUrl: t.connector.serviceUrl }));
    expect(res.status).toBe(401);
    expect(t.connector.calls).toHaveLength(0);
  });

  it('refuses a forged bearer token (401)', async () => {
    const forged =
      Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url') +
      '.' +
      Buffer.from(
        JSON.stringify({ aud: '00000000-0000-0000-0000-000000000001', iss: 'https://api.botframework.com' }),
      ).toString('base64url') +
      '.';
    const res = await t.post(message('help', PEOPLE.partner, { serviceUrl: t.connector.serviceUrl }), {
      authorization: `Bearer ${forged}`,
    });
    expect(res.status).toBe(401);
    expect(t.connector.calls).toHaveLength(0);
  });
});
