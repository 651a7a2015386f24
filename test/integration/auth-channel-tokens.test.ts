import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  vi,
  type MockInstance,
} from 'vitest';
import { ActionStore } from '../../bot/features/actions/index.js';
import { logAction } from '../../bot/features/actions/service.js';
import { keyFor } from '../../bot/keys.js';
import { cardOf } from '../support/actions-activities.js';
import { cardAction, installed, message, PEOPLE, TENANT } from '../support/activities.js';
import { startTestBot, type TestBot } from '../support/bot-harness.js';
import { cardText } from '../support/cards.js';
import { listsSettled } from '../support/hostile.js';
import { nowSeconds, placeOutboundToken, startTestOpenId, type TestOpenId } from '../support/openid.js';

/**
 * Inbound authentication, for real. A test OpenID configuration and JWKS on loopback stand in for
 * the Bot Framework's; botbuilder's documented settings point the bot at them, and every token
 * here is RS256-signed with keys made in this file. A good token gets 200 and a turn; each kind of
 * bad one gets 401 and nothing else: no handler runs, nothing reaches the connector, and the lists
 * are not touched at all (not even read).
 *
 * The same suite runs twice: with a multi-tenant app, and in the production shape
 * (`MicrosoftAppType=SingleTenant` with the council's tenant id).
 */

const SHAPES = [
  {
    name: 'a multi-tenant app',
    appId: '6a3c9b0e-0000-4000-8000-00000000b071',
    env: { MicrosoftAppType: 'MultiTenant' },
  },
  {
    name: 'the production shape (SingleTenant, with the tenant id)',
    appId: '6a3c9b0e-0000-4000-8000-00000000b072',
    env: { MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: TENANT },
  },
] as const;

/** An Entra v1 issuer as the Emulator's tokens carry it (botbuilder routes those to the Emulator check). */
const EMULATOR_ISSUER = 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/';
const ANOTHER_APP = '0f0f0f0f-0000-4000-8000-0000000000ff';

for (const shape of SHAPES) {
  describe(`inbound authentication: ${shape.name}`, () => {
    let idp: TestOpenId;
    let t: TestBot;
    let seededRef: string;
    let strangerKey: CryptoKey;
    const serviceUrl = () => t.connector.serviceUrl;

    let quiet: MockInstance | undefined;
    beforeAll(async () => {
      // botbuilder prints each refused token's error (and the key) to the console; keep the run readable.
      const print = console.error.bind(console);
      quiet = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
        const first = String(args[0] instanceof Error ? args[0].name : args[0]);
        if (!/TokenExpiredError|JsonWebTokenError|NotBeforeError|Error finding key/.test(first))
          print(...args);
      });
      idp = await startTestOpenId();
      strangerKey = await idp.strangerKey();
      // loadConfig passes these botbuilder settings through from the environment to createAdapter.
      const settings = idp.settings(
        shape.env.MicrosoftAppType === 'SingleTenant' ? { loginTenant: TENANT } : {},
      );
      t = await startTestBot({
        MicrosoftAppId: shape.appId,
        MicrosoftAppPassword: 'test-only-not-a-secret',
        ...shape.env,
        ...settings,
      });
      placeOutboundToken(shape.appId);
      const created = await logAction(new ActionStore(t.bot.lists.repos.Actions), {
        draft: {
          title: 'Circulate the draft strategy',
          text: 'Circulate the draft strategy',
          owners: [{ name: PEOPLE.officer.name, kind: 'person', id: PEOPLE.officer.aadObjectId }],
        },
        who: { name: PEOPLE.officer.name, aadObjectId: PEOPLE.officer.aadObjectId, role: 'officer' },
        at: new Date(),
        sourceKey: `auth-seed-${shape.appId}`,
        how: 'from chat',
        source: 'chat',
      });
      seededRef = created.record.ref;
    });

    afterAll(async () => {
      quiet?.mockRestore();
      await t?.close();
      await idp?.close();
    });

    const spies: MockInstance[] = [];
    beforeEach(async () => {
      await listsSettled(t.lists);
      t.connector.reset();
    });
    afterEach(() => {
      for (const spy of spies.splice(0)) spy.mockRestore();
    });

    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const good = (claims = {}) => idp.sign(shape.appId, serviceUrl(), claims);

    /** Activities that would each write if they were let in: log an action, close one, install. */
    const writingActivities = () => [
      message(`action ${PEOPLE.officer.name} to publish the minutes by 30 June`, PEOPLE.officer, {
        serviceUrl: serviceUrl(),
      }),
      cardAction('actions.done', { ref: seededRef }, PEOPLE.officer, { serviceUrl: serviceUrl() }),
      installed(PEOPLE.officer, {
        serviceUrl: serviceUrl(),
        type: 'channel',
        conversationId: `19:auth-${shape.appId}@thread.tacv2`,
      }),
    ];

    function spyOnHandlers() {
      const router = t.bot.router;
      const handlers = [
        vi.spyOn(router, 'handleText'),
        vi.spyOn(router, 'handleVerb'),
        vi.spyOn(router, 'handleDialog'),
        vi.spyOn(router, 'handleMessageAction'),
      ];
      spies.push(...handlers);
      return handlers;
    }

    describe('a valid channel token', () => {
      it('lets a message in: 200, the handler runs, the reply reaches the connector, the action is written', async () => {
        const handlers = spyOnHandlers();
        const activity = message('action Sonia Khan to book the venue by 30 June', PEOPLE.officer, {
          serviceUrl: serviceUrl(),
        });
        const res = await t.post(activity, bearer(await good()));
        expect(res.status).toBe(200);
        expect(handlers[0]).toHaveBeenCalledTimes(1);
        const [reply] = t.connector.sent();
        expect(cardText(cardOf(reply))).toContain('book the venue');
        const stored = await new ActionStore(t.bot.lists.repos.Actions).bySourceKey(
          keyFor('msg', activity.conversation.id, activity.id),
        );
        expect(stored?.title).toContain('book the venue');
      });

      it('lets a card click in: 200 with the card in the invoke response', async () => {
        const res = await t.post(
          cardAction('help.role', {}, PEOPLE.officer, { serviceUrl: serviceUrl() }),
          bearer(await good()),
        );
        expect(res.status).toBe(200);
        expect(cardText((res.body as { value: unknown }).value)).toContain('you are an officer');
      });

      it('lets an installation in: the conversation is stored and welcomed', async () => {
        const conversationId = `19:auth-ok-${shape.appId}@thread.tacv2`;
        const res = await t.post(
          installed(PEOPLE.officer, { serviceUrl: serviceUrl(), type: 'channel', conversationId }),
          bearer(await good()),
        );
        expect(res.status).toBe(200);
        expect(cardText(cardOf(t.connector.sent()[0]))).toContain('Hello!');
        const stored = (await t.bot.lists.repos.Conversations.all({})).filter(
          (i) => i.fields.ConversationId === conversationId,
        );
        expect(stored).toHaveLength(1);
        expect(JSON.parse(stored[0]?.fields.Reference ?? '{}').serviceUrl).toBe(serviceUrl());
      });

      it('is checked against keys fetched once, not on every request', async () => {
        const before = idp.jwksRequests;
        expect(before).toBeGreaterThanOrEqual(1);
        for (let i = 0; i < 5; i++) {
          const res = await t.post(
            cardAction('help.show', {}, PEOPLE.partner, { serviceUrl: serviceUrl() }),
            bearer(await good()),
          );
          expect(res.status).toBe(200);
        }
        expect(idp.jwksRequests).toBe(before);
      });
    });

    type Case = [what: string, headers: () => Promise<Record<string, string>>];
    const cases: Case[] = [
      ['no Authorization header', async () => ({})],
      ['an empty bearer token', async () => ({ authorization: 'Bearer ' })],
      ['something that is not a token', async () => bearer('not-a-token')],
      ['another scheme (Basic)', async () => ({ authorization: `Basic ${await good()}` })],
      [
        'an expired token (past botbuilder’s five minutes of clock skew)',
        async () =>
          bearer(
            await idp.sign(
              shape.appId,
              serviceUrl(),
              {},
              { issuedAt: nowSeconds() - 7200, notBefore: nowSeconds() - 7200, expires: nowSeconds() - 600 },
            ),
          ),
      ],
      [
        'a token not valid yet',
        async () => bearer(await idp.sign(shape.appId, serviceUrl(), {}, { notBefore: nowSeconds() + 600 })),
      ],
      ['a token for another app (audience)', async () => bearer(await good({ aud: ANOTHER_APP }))],
      [
        'a token for two audiences, ours among them',
        async () => bearer(await good({ aud: [shape.appId, ANOTHER_APP] })),
      ],
      [
        'a token from the real Bot Framework issuer, which this bot is not set to trust',
        async () => bearer(await good({ iss: 'https://api.botframework.com' })),
      ],
      ['a token from an unknown issuer', async () => bearer(await good({ iss: 'https://issuer.invalid/' }))],
      [
        'a token signed by an unknown key',
        async () =>
          bearer(await idp.sign(shape.appId, serviceUrl(), {}, { key: strangerKey, kid: 'not-ours' })),
      ],
      [
        'a token signed by an unknown key under our key id',
        async () => bearer(await idp.sign(shape.appId, serviceUrl(), {}, { key: strangerKey })),
      ],
      [
        'an unsigned token (alg: none) under our key id',
        async () =>
          bearer(
            idp.unsigned(
              { iss: idp.issuer, aud: shape.appId, serviceurl: serviceUrl(), exp: nowSeconds() + 3600 },
              { alg: 'none', typ: 'JWT', kid: 'board-test-channel-key' },
            ),
          ),
      ],
      [
        'an unsigned token (alg: none) with no key id',
        async () =>
          bearer(
            idp.unsigned({
              iss: idp.issuer,
              aud: shape.appId,
              serviceurl: serviceUrl(),
              exp: nowSeconds() + 3600,
            }),
          ),
      ],
      [
        'HS256 signed with our public key as the secret',
        async () =>
          bearer(
            await idp.hmacWithPublicKey({
              iss: idp.issuer,
              aud: shape.appId,
              serviceurl: serviceUrl(),
              nbf: nowSeconds() - 60,
              exp: nowSeconds() + 3600,
            }),
          ),
      ],
      [
        'a valid token whose claims were edited after signing',
        async () => {
          const [head, , sig] = (await good()).split('.');
          const body = Buffer.from(
            JSON.stringify({
              iss: idp.issuer,
              aud: shape.appId,
              serviceurl: serviceUrl(),
              exp: nowSeconds() + 7200,
            }),
          ).toString('base64url');
          return bearer(`${head}.${body}.${sig}`);
        },
      ],
      [
        'a token whose serviceurl claim is another service',
        async () => bearer(await idp.sign(shape.appId, 'https://smba.trafficmanager.net/emea/')),
      ],
      ['a token with no serviceurl claim', async () => bearer(await good({ serviceurl: undefined }))],
      [
        'a token in the Emulator’s shape',
        async () => bearer(await good({ iss: EMULATOR_ISSUER, ver: '1.0', appid: shape.appId })),
      ],
      [
        'a token from another bot (a skill call)',
        async () => bearer(await good({ ver: '2.0', azp: ANOTHER_APP, appid: ANOTHER_APP })),
      ],
    ];

    it.each(cases)('refuses %s with 401, and runs nothing', async (_what, headers) => {
      const handlers = spyOnHandlers();
      const before = t.lists.stats().requests;
      for (const activity of writingActivities()) {
        const res = await t.post(activity, await headers());
        expect(res.status).toBe(401);
      }
      for (const handler of handlers) expect(handler).not.toHaveBeenCalled();
      expect(t.connector.calls).toHaveLength(0);
      expect(t.lists.stats().requests).toBe(before);
    });

    it('refuses an activity that leaves out its serviceUrl, though the token names one', async () => {
      const handlers = spyOnHandlers();
      const before = t.lists.stats().requests;
      for (const activity of writingActivities()) {
        const { serviceUrl: _dropped, ...withoutServiceUrl } = activity;
        const res = await t.post(withoutServiceUrl, bearer(await good()));
        expect(res.status).toBe(401);
      }
      for (const handler of handlers) expect(handler).not.toHaveBeenCalled();
      expect(t.lists.stats().requests).toBe(before);
    });

    it('refuses a Teams-only key presented for another channel (endorsements)', async () => {
      const handlers = spyOnHandlers();
      const before = t.lists.stats().requests;
      for (const activity of writingActivities()) {
        const res = await t.post({ ...activity, channelId: 'webchat' }, bearer(await good()));
        expect(res.status).toBe(401);
      }
      for (const handler of handlers) expect(handler).not.toHaveBeenCalled();
      expect(t.lists.stats().requests).toBe(before);
    });

    it('left the seeded action untouched through all of the refusals', async () => {
      const item = await new ActionStore(t.bot.lists.repos.Actions).getByRef(seededRef);
      expect(item?.status).toBe('Open');
      const published = await t.bot.lists.repos.Actions.all({});
      expect(published.filter((i) => String(i.fields.Title).includes('publish the minutes'))).toHaveLength(0);
    });
  });
}
