import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../bot/logger.js';
import { ProactiveSendError } from '../../bot/messaging/sender.js';
import { BotProactiveSender } from '../../bot/proactive.js';
import { createAdapter } from '../../bot/server.js';

/** A Teams connector that takes the request and never answers: the send gives up, as "unknown". */

let server: Server;
let serviceUrl: string;
let received = 0;

beforeAll(async () => {
  server = createServer(() => void received++); // never answers
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('a proactive send that Teams never answers', () => {
  it('fails after the timeout as "unknown" (it may have arrived), not never', async () => {
    const { adapter } = createAdapter({ enabled: false } as never, silentLogger);
    const sender = new BotProactiveSender({ adapter: () => adapter, appId: '', timeoutMs: 300 });
    const reference = {
      channelId: 'msteams',
      serviceUrl,
      conversation: { id: 'a:1' },
      bot: { id: '28:bot' },
      user: { id: '29:1' },
    };
    const failure = await sender.sendToConversation(reference, { text: 'hello' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ProactiveSendError);
    expect((failure as ProactiveSendError).kind).toBe('unknown');
    expect((failure as ProactiveSendError).retryable).toBe(false);
    expect(received).toBe(1);
  });
});
