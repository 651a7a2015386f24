import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { describe, expect, it } from 'vitest';
import { readDateOnly } from '../../bot/sharepoint/dates.js';
import {
  ConflictError,
  DuplicateValueError,
  errorFromResponse,
  ListViewThresholdError,
  ThrottledError,
  toListsError,
} from '../../bot/sharepoint/errors.js';
import { createGraphClient, USER_AGENT } from '../../bot/sharepoint/graph-client.js';
import { highestClaimed } from '../../bot/sharepoint/references.js';

/** The SharePoint layer against the answers a real site gives (issue 14). */

function scripted(answers: Response[]) {
  const seen: Headers[] = [];
  const transport: Middleware = {
    async execute(context: Context) {
      seen.push(new Headers(context.options?.headers as HeadersInit));
      const next = answers.shift();
      if (!next) throw new Error('no scripted answer left');
      context.response = next;
    },
  };
  const sleeps: number[] = [];
  const graph = createGraphClient({
    baseUrl: 'http://127.0.0.1:3979/v1.0',
    credential: { kind: 'none' },
    transport,
    retry: { random: () => 0.5, sleep: async (ms) => void sleeps.push(ms) },
  });
  return { graph, seen, sleeps };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const DUPLICATE =
  'The list item could not be added or updated because duplicate values were found in one or more fields in the list.';
const THRESHOLD = 'The attempted operation is prohibited because it exceeds the list view threshold.';

describe('duplicates, however SharePoint reports them', () => {
  it.each([409, 500, 400])(
    '%i with the duplicate message is a DuplicateValueError (a ConflictError)',
    (status) => {
      const e = errorFromResponse({
        status,
        body: { error: { code: 'generalException', message: DUPLICATE } },
      });
      expect(e).toBeInstanceOf(DuplicateValueError);
      expect(e).toBeInstanceOf(ConflictError);
    },
  );

  it('through the SDK too, and a 500 without the message stays a plain failure', async () => {
    const { graph } = scripted([
      json(500, { error: { code: 'generalException', message: DUPLICATE } }),
      json(500, { error: { code: 'generalException', message: 'Something else broke.' } }),
    ]);
    const dup = await graph
      .api('/sites/root/lists/Actions/items')
      .post({})
      .catch((e: unknown) => toListsError(e));
    expect(dup).toBeInstanceOf(DuplicateValueError);
    const other = await graph
      .api('/sites/root/lists/Actions/items')
      .post({})
      .catch((e: unknown) => toListsError(e));
    expect(other).not.toBeInstanceOf(ConflictError);
  });
});

describe('the list view threshold is told apart from throttling', () => {
  it('a 429 that says "list view threshold" is not retried and is a ListViewThresholdError', async () => {
    const { graph, sleeps } = scripted([
      json(429, { error: { code: 'activityLimitReached', message: THRESHOLD } }),
    ]);
    const e = await graph
      .api('/sites/root/lists/Actions/items')
      .get()
      .catch((x: unknown) => toListsError(x));
    expect(e).toBeInstanceOf(ListViewThresholdError);
    expect(e).not.toBeInstanceOf(ThrottledError);
    expect((e as ListViewThresholdError).userMessage).toContain('narrower');
    expect((e as ListViewThresholdError).reason).toBe('listViewThreshold');
    expect(sleeps).toEqual([]);
  });

  it('so are 500 SPQueryThrottledException and 400 answers', () => {
    for (const status of [500, 400]) {
      const e = errorFromResponse({
        status,
        body: {
          error: { code: '-2147024860, Microsoft.SharePoint.SPQueryThrottledException', message: THRESHOLD },
        },
      });
      expect(e).toBeInstanceOf(ListViewThresholdError);
    }
  });
});

describe('throttling', () => {
  it('without Retry-After backs off a bounded number of times, then gives up', async () => {
    const busy = () => json(429, { error: { code: 'TooManyRequests', message: 'Too many requests.' } });
    const { graph, sleeps } = scripted(Array.from({ length: 6 }, busy));
    const e = await graph
      .api('/sites/root/lists')
      .get()
      .catch((x: unknown) => toListsError(x));
    expect(e).toBeInstanceOf(ThrottledError);
    expect(sleeps).toEqual([500, 1000, 2000, 4000, 8000].map((ms) => ms * 0.75));
  });

  it('a Retry-After of minutes is not waited out: the request fails as throttled at once', async () => {
    const { graph, sleeps } = scripted([
      json(503, { error: { code: 'serviceNotAvailable', message: 'Busy' } }, { 'Retry-After': '300' }),
    ]);
    const e = await graph
      .api('/sites/root/lists')
      .get()
      .catch((x: unknown) => toListsError(x));
    expect(e).toBeInstanceOf(ThrottledError);
    expect((e as ThrottledError).retryAfterSeconds).toBe(300);
    expect(sleeps).toEqual([]);
  });

  it('a whole $batch refused with 429 is sent again after Retry-After', async () => {
    const { graph, sleeps } = scripted([
      json(
        429,
        { error: { code: 'TooManyRequests', message: 'Too many requests.' } },
        { 'Retry-After': '2' },
      ),
      json(200, { responses: [] }),
    ]);
    await graph.api('/$batch').post({ requests: [] });
    expect(sleeps).toEqual([2000]);
  });
});

describe('the User-Agent SharePoint asks for', () => {
  it('is ISV|Company|App/Version, on every request', async () => {
    expect(USER_AGENT).toMatch(/^(NON)?ISV\|[^|]+\|[^|/]+\/\d+\.\d+\.\d+$/);
    const { graph, seen } = scripted([json(200, { value: [] })]);
    await graph.api('/sites/root/lists').get();
    expect(seen[0]?.get('user-agent')).toBe(USER_AGENT);
  });
});

describe('date-only values read in any site zone', () => {
  it.each([
    ['2018-09-03', '2018-09-03'],
    ['2018-09-02T23:00:00Z', '2018-09-03'], // London, summer
    ['2018-12-03T00:00:00Z', '2018-12-03'], // London, winter (and UTC)
    ['2018-09-03T07:00:00Z', '2018-09-03'], // Los Angeles, summer
    ['2018-12-03T08:00:00Z', '2018-12-03'], // Los Angeles, winter
    ['2018-09-03T10:00:00Z', '2018-09-03'], // Honolulu
    ['2018-06-02T12:00:00Z', '2018-06-03'], // Auckland, winter
    ['2018-12-02T11:00:00Z', '2018-12-03'], // Auckland, summer
    ['2018-02-30T00:00:00Z', undefined],
    ['soon', undefined],
  ])('%s is %s', (stored, day) => {
    expect(readDateOnly(stored)).toBe(day);
  });
});

describe('references found without $orderby', () => {
  const probe = async (taken: number, from = 0) => {
    const asked: number[] = [];
    const highest = await highestClaimed(async (n) => {
      asked.push(n);
      return n <= taken;
    }, from);
    return { highest, asked };
  };

  it.each([0, 1, 2, 41, 700, 4097])('finds %i in about 2·log2 n probes', async (taken) => {
    const { highest, asked } = await probe(taken);
    expect(highest).toBe(taken);
    expect(asked.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(taken + 2)) + 1);
  });

  it('resumes from a number known to be taken', async () => {
    const { highest, asked } = await probe(705, 700);
    expect(highest).toBe(705);
    expect(Math.min(...asked)).toBeGreaterThan(700);
  });
});
