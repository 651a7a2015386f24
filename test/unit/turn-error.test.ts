import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { TurnContext, type Activity, type BotAdapter } from 'botbuilder';
import { createAdapter, invokeErrorResponse } from '../../bot/server.js';

/** The one error sink: a failed turn is logged with a correlation id, and the person is told plainly. */

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, stream) };
}

function contextFor(activity: Partial<Activity>) {
  const sent: Partial<Activity>[] = [];
  const stub = {
    sendActivities: async (_ctx: TurnContext, activities: Partial<Activity>[]) => {
      sent.push(...activities);
      return activities.map((_, i) => ({ id: String(i) }));
    },
  } as unknown as BotAdapter;
  return { ctx: new TurnContext(stub, activity), sent };
}

const base = {
  id: 'activity-1',
  channelId: 'msteams',
  conversation: { id: 'a:1', isGroup: false, conversationType: 'personal', name: '' },
  from: { id: '29:1', name: 'Jake Ferguson' },
  recipient: { id: '28:bot', name: 'Partnership Board' },
  serviceUrl: 'http://127.0.0.1:1/',
};

describe('onTurnError', () => {
  it('logs the error with a reference and tells the person in the chat', async () => {
    const { lines, logger } = capture();
    const { adapter } = createAdapter({ enabled: false, appType: 'SingleTenant' }, logger);
    const { ctx, sent } = contextFor({ ...base, type: 'message', text: 'actions' });
    await adapter.onTurnError(ctx, new Error('lists exploded'));
    const logged = lines.find((l) => l.msg === 'turn failed');
    expect(logged?.ref).toMatch(/^[0-9a-f]{8}$/);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toContain(`reference ${String(logged?.ref)}`);
    expect(sent[0]?.text).toContain('Nothing has been lost');
  });

  it('answers a failed card action with an invoke response, not a chat message', async () => {
    const { logger } = capture();
    const { adapter } = createAdapter({ enabled: false, appType: 'SingleTenant' }, logger);
    const { ctx, sent } = contextFor({ ...base, type: 'invoke', name: 'adaptiveCard/action' });
    await adapter.onTurnError(ctx, new Error('boom'));
    expect(sent[0]?.type).toBe('invokeResponse');
    const value = sent[0]?.value as { status: number; body: { type: string; value: string } };
    expect(value.status).toBe(200);
    expect(value.body.type).toBe('application/vnd.microsoft.activity.message');
    expect(value.body.value).toContain('something went wrong');
  });

  it('does not post into a conversation for events nobody asked about', async () => {
    const { logger } = capture();
    const { adapter } = createAdapter({ enabled: false, appType: 'SingleTenant' }, logger);
    const { ctx, sent } = contextFor({ ...base, type: 'conversationUpdate' });
    await adapter.onTurnError(ctx, new Error('boom'));
    expect(sent).toHaveLength(0);
  });

  it('shapes each invoke kind as its caller expects', () => {
    const shape = (name: string | undefined) => invokeErrorResponse(name, 'sorry');
    expect(shape('adaptiveCard/action').body).toMatchObject({
      type: 'application/vnd.microsoft.activity.message',
      value: 'sorry',
    });
    expect(shape('task/fetch').body).toEqual({ task: { type: 'message', value: 'sorry' } });
    expect(shape('task/submit').body).toEqual({ task: { type: 'message', value: 'sorry' } });
    expect(shape('composeExtension/submitAction').body).toEqual({
      task: { type: 'message', value: 'sorry' },
    });
    expect(shape('composeExtension/query').body).toEqual({
      composeExtension: { type: 'message', text: 'sorry' },
    });
    expect(shape('signin/verifyState')).toEqual({ status: 200 });
    expect(shape(undefined)).toEqual({ status: 200 });
  });
});
