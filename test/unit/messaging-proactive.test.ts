import { describe, expect, it } from 'vitest';
import { toActivity, toSendError } from '../../bot/proactive.js';
import { failureKind, ProactiveSendError, ProactiveThrottledError } from '../../bot/messaging/sender.js';
import { card, text } from '../../cards/adaptive.js';

/** The shape of botbuilder's RestError: a status code and the response's headers. */
const restError = (statusCode: number, headers: Record<string, string> = {}) =>
  Object.assign(new Error(`HTTP ${statusCode}`), {
    name: 'RestError',
    statusCode,
    response: { status: statusCode, headers: { get: (name: string) => headers[name.toLowerCase()] } },
  });

const networkError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

describe('connector errors as the messaging layer sees them', () => {
  it('a 429 becomes ProactiveThrottledError with Retry-After in milliseconds', () => {
    const e = toSendError(restError(429, { 'retry-after': '3' }), 'Sending');
    expect(e).toBeInstanceOf(ProactiveThrottledError);
    expect((e as ProactiveThrottledError).retryAfterMs).toBe(3000);
    expect(e.retryable).toBe(true);
  });

  it('a 429 without Retry-After still says throttled, leaving the wait to the caller', () => {
    const e = toSendError(restError(429), 'Sending') as ProactiveThrottledError;
    expect(e.kind).toBe('throttled');
    expect(e.retryAfterMs).toBeUndefined();
  });

  it('classifies the rest as Teams documents them', () => {
    const kind = (e: unknown) => toSendError(e, 'Sending').kind;
    expect(kind(restError(502))).toBe('transient');
    expect(kind(restError(412))).toBe('transient');
    expect(kind(restError(403))).toBe('unreachable');
    expect(kind(restError(404))).toBe('unreachable');
    expect(kind(restError(400))).toBe('rejected');
    expect(kind(restError(413))).toBe('rejected');
    // Refused before anything was sent: safe to try again. Broken mid-way: it may have arrived.
    expect(kind(networkError('ECONNREFUSED'))).toBe('transient');
    expect(kind(networkError('ECONNRESET'))).toBe('unknown');
    expect(kind(new Error('socket hang up'))).toBe('unknown');
  });

  it('passes our own errors through untouched', () => {
    const ours = new ProactiveSendError('no chat', 'unreachable', undefined);
    expect(toSendError(ours, 'Sending')).toBe(ours);
  });

  it('failureKind treats every 5xx as worth another try', () => {
    expect([500, 503, 504].map((s) => failureKind(s))).toEqual(['transient', 'transient', 'transient']);
  });
});

describe('outgoing messages as activities', () => {
  it('a card goes as an Adaptive Card attachment, with its text alongside', () => {
    const activity = toActivity({ text: 'Reminder', card: card([text('Hello')]) });
    expect(activity.text).toBe('Reminder');
    expect(activity.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
  });

  it('plain text goes as a message', () => {
    expect(toActivity({ text: 'Hello' })).toMatchObject({ type: 'message', text: 'Hello' });
  });
});
