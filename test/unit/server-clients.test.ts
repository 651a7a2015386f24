import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Activity, TurnContext } from 'botbuilder';
import { ClaimsIdentity, type ConnectorClient } from 'botframework-connector';
import { ClientCache, createAdapter } from '../../bot/server.js';

/** Outbound clients are made once per service URL and credentials, not once per turn. */

describe('ClientCache', () => {
  it('makes a client once per key and hands the same one back', async () => {
    const cache = new ClientCache<{ n: number }>();
    let made = 0;
    const make = async () => ({ n: ++made });
    const a = await cache.get('x', make);
    const b = await cache.get('x', make);
    const c = await cache.get('y', make);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(made).toBe(2);
  });

  it('keeps at most its bound, dropping the oldest first', async () => {
    const cache = new ClientCache<string>(2);
    for (const key of ['a', 'b', 'c']) await cache.get(key, async () => key);
    expect(cache.size).toBe(2);
    let remade = false;
    await cache.get('a', async () => ((remade = true), 'a again'));
    expect(remade).toBe(true);
  });

  it('does not keep a client whose creation failed', async () => {
    const cache = new ClientCache<string>();
    await expect(cache.get('k', () => Promise.reject(new Error('no token')))).rejects.toThrow('no token');
    expect(await cache.get('k', async () => 'second try')).toBe('second try');
  });
});

describe('BoardAdapter', () => {
  const activity = (id: string, serviceUrl: string): Activity =>
    ({
      type: 'message',
      id,
      text: 'help',
      channelId: 'msteams',
      serviceUrl,
      conversation: { id: 'a:1' },
      from: { id: '29:1' },
      recipient: { id: '28:bot' },
    }) as Activity;

  it('reuses one connector client per service URL across turns', async () => {
    const { adapter } = createAdapter({ enabled: false } as never, pino({ level: 'silent' }));
    const created: string[] = [];
    const clients: unknown[] = [];
    const identity = {
      audience: 'https://api.botframework.com',
      callerId: undefined,
      claimsIdentity: new ClaimsIdentity([], true),
      connectorFactory: {
        create: async (serviceUrl: string) => {
          created.push(serviceUrl);
          return { serviceUrl } as unknown as ConnectorClient;
        },
      },
    };
    const logic = async (ctx: TurnContext) => {
      clients.push(ctx.turnState.get(adapter.ConnectorClientKey));
    };
    await adapter.runAuthenticated(identity as never, activity('1', 'https://smba.example/emea/'), logic);
    await adapter.runAuthenticated(identity as never, activity('2', 'https://smba.example/emea/'), logic);
    await adapter.runAuthenticated(identity as never, activity('3', 'https://smba.example/amer/'), logic);
    expect(created).toEqual(['https://smba.example/emea/', 'https://smba.example/amer/']);
    expect(clients[0]).toBe(clients[1]);
    expect(clients[2]).not.toBe(clients[0]);
  });
});
