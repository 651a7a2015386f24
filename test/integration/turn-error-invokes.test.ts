import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../bot/logger.js';
import { startServer, type RunningServer } from '../../bot/server.js';
import { botAdded, invoke, message, PEOPLE } from '../support/activities.js';
import { startConnector, type ConnectorStandIn } from '../support/connector.js';
import { useStarted, useTestBot } from '../support/use-test-bot.js';

/**
 * A turn that fails answers over HTTP in the shape its caller waits for (issue 13, item 8): a card
 * action gets an Adaptive Card invoke response, a dialog a task module message, a message extension
 * its own response, a message a chat reply, and anything else a plain status. Each with the
 * reference the log carries, never a stack.
 */

interface Bed {
  server: RunningServer;
  connector: ConnectorStandIn;
  close(): Promise<void>;
}

/** The HTTP edge with a bot whose every turn throws: what onTurnError answers, and nothing else. */
async function startFailingEdge(): Promise<Bed> {
  const connector = await startConnector();
  const server = await startServer(
    {
      auth: { enabled: false, appType: 'SingleTenant' },
      logger: silentLogger,
      bot: {
        run: () => Promise.reject(new Error('the lists exploded')),
      },
      health: () => Promise.resolve({ ok: true }),
    },
    { port: 0, host: '127.0.0.1' },
  );
  return {
    server,
    connector,
    async close() {
      await server.close();
      await connector.close();
    },
  };
}

const bed = useStarted(startFailingEdge, (b) => b.close());

async function post(activity: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${bed.server.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

const where = () => ({ serviceUrl: bed.connector.serviceUrl });
const REFERENCE = /something went wrong on my side \(reference [0-9a-f]{8}\)/;

describe('a failed turn, answered in its own shape', () => {
  it('adaptiveCard/action: an Adaptive Card invoke response with the message', async () => {
    const res = await post(
      invoke(
        'adaptiveCard/action',
        { action: { type: 'Action.Execute', verb: 'x' } },
        PEOPLE.partner,
        where(),
      ),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect((res.body as { value: string }).value).toMatch(REFERENCE);
  });

  for (const name of ['task/fetch', 'task/submit']) {
    it(`${name}: a task module message`, async () => {
      const res = await post(invoke(name, { data: { dialog: 'log' } }, PEOPLE.partner, where()));
      expect(res.status).toBe(200);
      const body = res.body as { task: { type: string; value: string } };
      expect(body.task.type).toBe('message');
      expect(body.task.value).toMatch(REFERENCE);
      expect(Object.keys(body)).toEqual(['task']);
    });
  }

  for (const name of ['composeExtension/fetchTask', 'composeExtension/submitAction']) {
    it(`${name}: a message-extension action response with a task message`, async () => {
      const res = await post(invoke(name, { commandId: 'logAsAction' }, PEOPLE.partner, where()));
      expect(res.status).toBe(200);
      const body = res.body as { task: { type: string; value: string } };
      expect(body.task.type).toBe('message');
      expect(body.task.value).toMatch(REFERENCE);
    });
  }

  for (const name of ['composeExtension/query', 'composeExtension/queryLink']) {
    it(`${name}: a composeExtension message`, async () => {
      const res = await post(invoke(name, { commandId: 'search', parameters: [] }, PEOPLE.partner, where()));
      expect(res.status).toBe(200);
      const body = res.body as { composeExtension: { type: string; text: string } };
      expect(body.composeExtension.type).toBe('message');
      expect(body.composeExtension.text).toMatch(REFERENCE);
    });
  }

  it('any other invoke: 200 with no body (no client shows one, and a bad payload is no server fault)', async () => {
    const res = await post(invoke('config/fetch', {}, PEOPLE.partner, where()));
    expect(res.status).toBe(200);
    expect(res.body).toBeUndefined();
  });

  it('a message: 200, and the person is told in the chat', async () => {
    bed.connector.reset();
    const res = await post(message('actions', PEOPLE.partner, where()));
    expect(res.status).toBe(200);
    const [reply] = await bed.connector.waitForSent(1);
    expect(String(reply?.text)).toMatch(REFERENCE);
  });

  it('an event nobody asked about: 200, nothing posted', async () => {
    bed.connector.reset();
    const res = await post(botAdded(PEOPLE.partner, { ...where(), type: 'channel' }));
    expect(res.status).toBe(200);
    expect(bed.connector.sent()).toHaveLength(0);
  });
});

describe('the whole bot: a dialog whose handling throws', () => {
  const t = useTestBot();

  it('answers task/submit with a task message, not a card-action body', async () => {
    const spy = vi
      .spyOn(t.bot.router, 'handleDialog')
      .mockRejectedValueOnce(Object.assign(new Error('boom'), { userMessage: 'The lists are down.' }));
    try {
      const res = await t.post(
        invoke('task/submit', { data: { dialog: 'log' } }, PEOPLE.partner, {
          serviceUrl: t.connector.serviceUrl,
        }),
      );
      expect(res.status).toBe(200);
      const body = res.body as { task: { type: string; value: string } };
      expect(body.task.type).toBe('message');
      expect(body.task.value).toMatch(/^The lists are down\. \(reference [0-9a-f]{8}\)$/);
    } finally {
      spy.mockRestore();
    }
  });
});
