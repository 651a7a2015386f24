import { randomUUID } from 'node:crypto';
import { ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import { readDateOnly } from '../../bot/sharepoint/dates.js';
import { relativeGraphPath } from '../../bot/sharepoint/graph-client.js';
import { sitePath } from '../../bot/sharepoint/sites.js';
import { validatorFor, type SchemaName } from './schemas.js';

/**
 * One conformance suite, two targets: the documented Graph behaviour the bot relies on, checked
 * against the local lists service (in `npm test`) or a real SharePoint site (`npm run conformance --
 * --site <url>`). It writes only to a scratch list it creates and deletes. Every answer is kept as an
 * exchange, so a run against a real site can be saved as a fixture that the local service's tests
 * replay.
 */

export type Target = 'local' | 'site';

export interface Exchange {
  check: string;
  step: string;
  method: string;
  /** With the scratch list and item ids replaced by {list} and {item}. */
  path: string;
  status: number;
  /** The error code and message, or a few facts about the body, never the whole of it. */
  body?: Record<string, unknown>;
  retryAfter?: string;
}

export interface CheckResult {
  name: string;
  /** Where the rule comes from. */
  source: string;
  ok: boolean;
  skipped?: string;
  problems: string[];
}

/** What a site showed of itself, for setting the local service's knobs to match it. */
export interface Observations {
  duplicateStatus?: number;
  /** The instant a date-only 2018-09-03 came back as. */
  dateOnlyStored?: string;
  /** Minutes east of UTC the site's zone was on 3 September 2018. */
  dateOnlyOffsetMinutes?: number;
  /** Whether list creation kept `indexed` and `enforceUniqueValues` on the columns sent with it. */
  createKeptColumnFlags?: boolean;
}

export interface ConformanceReport {
  /** Says plainly where the answers came from. */
  note: string;
  target: Target;
  site: string;
  recordedAt: string;
  results: CheckResult[];
  observations: Observations;
  exchanges: Exchange[];
}

export interface SuiteOptions {
  target: Target;
  /** `root`, a Graph site id or a site URL. */
  site: string;
  /** Local only: the list view threshold the service was started with (the check makes threshold+2 items). */
  localThreshold?: number;
  /** Local only: change fault injection (429/503, Retry-After) for the throttling check. */
  setFaults?: (f: Record<string, unknown>) => void;
  /** Validate answers against the vendored Graph schemas (on for the local service). */
  validate?: boolean;
  log?: (line: string) => void;
}

interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- Graph JSON, checked field by field
  headers: Headers;
}

const PREFER = { Prefer: 'HonorNonIndexedQueriesWarningMayFailRandomly' };
const SCRATCH_COLUMNS = [
  { name: 'Key', text: {}, indexed: true, enforceUniqueValues: true },
  { name: 'Status', choice: { choices: ['Open', 'Done'] }, indexed: true },
  { name: 'Plain', text: {} },
  { name: 'Notes', text: { allowMultipleLines: true } },
  { name: 'Due', dateTime: { format: 'dateOnly' }, indexed: true },
];

export async function runConformance(client: Client, opts: SuiteOptions): Promise<ConformanceReport> {
  const log = opts.log ?? (() => undefined);
  const exchanges: Exchange[] = [];
  const results: CheckResult[] = [];
  const observations: Observations = {};
  const site = (await raw(client, 'GET', `${sitePath(opts.site)}?$select=id`)).body as { id?: string };
  if (!site?.id) throw new Error(`The site ${opts.site} could not be read.`);
  const base = `/sites/${site.id}`;
  let listId = '';
  const ids: string[] = [];

  const template = (path: string) => {
    let out = path.replace(base, '/sites/{site}');
    if (listId) out = out.split(listId).join('{list}');
    for (const id of ids) out = out.replace(new RegExp(`/items/${id}(?=$|[/?])`), '/items/{item}');
    return out.replace(/\$skiptoken=[^&]+/, '$skiptoken={token}');
  };

  let current = '';
  const call = async (
    step: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    schema?: SchemaName,
  ): Promise<Answer> => {
    const answer = await raw(client, method, path, body, headers);
    const exchange: Exchange = {
      check: current,
      step,
      method,
      path: template(path),
      status: answer.status,
    };
    const summary = summarise(answer.body);
    if (summary) exchange.body = summary;
    const retryAfter = answer.headers.get('retry-after');
    if (retryAfter) exchange.retryAfter = retryAfter;
    exchanges.push(exchange);
    if (opts.validate && answer.body !== undefined) {
      const which: SchemaName | undefined = answer.status >= 400 ? 'odataError' : schema;
      if (which) {
        const problems = validatorFor(which)(answer.body);
        if (problems.length)
          throw new Failure(`${step}: the answer is not a Graph ${which}: ${problems.join('; ')}`);
      }
    }
    return answer;
  };

  const check = async (
    name: string,
    source: string,
    run: (expect: Expect) => Promise<void | string>,
  ): Promise<void> => {
    current = name;
    const problems: string[] = [];
    const expect: Expect = (ok, what) => {
      if (!ok) problems.push(what);
    };
    let skipped: string | undefined;
    try {
      const s = await run(expect);
      if (typeof s === 'string') skipped = s;
    } catch (e) {
      problems.push(e instanceof Failure ? e.message : `stopped: ${(e as Error).message}`);
    }
    const result: CheckResult = { name, source, ok: problems.length === 0, problems };
    if (skipped) result.skipped = skipped;
    results.push(result);
    log(`${skipped ? 'skip' : result.ok ? ' ok ' : 'FAIL'}  ${name}${skipped ? ` (${skipped})` : ''}`);
    for (const p of problems) log(`        ${p}`);
  };

  const items = (query = '') => `${base}/lists/${listId}/items${query ? `?${query}` : ''}`;
  const filtered = (filter: string, extra = '') =>
    items(`$expand=fields&$filter=${encodeURIComponent(filter)}${extra ? `&${extra}` : ''}`);
  const post = async (step: string, fields: Record<string, unknown>) => {
    const res = await call(step, 'POST', items(), { fields }, {}, 'listItem');
    if (res.status === 201 && typeof res.body?.id === 'string') ids.push(res.body.id);
    return res;
  };

  try {
    await check(
      'list creation, read back',
      'Graph "Create list"; microsoft-graph-docs#11966',
      async (expect) => {
        const name = `PB-Conformance-${randomUUID().slice(0, 8)}`;
        const created = await call(
          'create list',
          'POST',
          `${base}/lists`,
          { displayName: name, list: { template: 'genericList' }, columns: SCRATCH_COLUMNS },
          {},
          'list',
        );
        expect(created.status === 201, `create list: expected 201, got ${created.status}`);
        if (created.status !== 201) throw new Failure('the scratch list could not be created');
        listId = created.body.id as string;
        const cols = await call(
          'read columns',
          'GET',
          `${base}/lists/${listId}/columns`,
          undefined,
          {},
          'collection',
        );
        const validate = validatorFor('columnDefinition');
        if (opts.validate)
          for (const c of cols.body.value)
            expect(validate(c).length === 0, `column: ${validate(c).join('; ')}`);
        const key = (
          cols.body.value as { id: string; name: string; indexed?: boolean; enforceUniqueValues?: boolean }[]
        ).find((c) => c.name === 'Key');
        observations.createKeptColumnFlags = Boolean(key?.indexed && key.enforceUniqueValues);
        for (const col of cols.body.value as { id: string; name: string; indexed?: boolean }[]) {
          const wanted = SCRATCH_COLUMNS.find((c) => c.name === col.name);
          if (!wanted || (!wanted.indexed && !wanted.enforceUniqueValues) || col.indexed) continue;
          const fix = await call(
            `restore ${col.name}`,
            'PATCH',
            `${base}/lists/${listId}/columns/${col.id}`,
            {
              indexed: true,
              ...(wanted.enforceUniqueValues ? { enforceUniqueValues: true } : {}),
            },
          );
          expect(fix.status === 200, `restore ${col.name}: expected 200, got ${fix.status}`);
        }
      },
    );
    if (!listId) return report();

    await check(
      'items: create, read, error body',
      'Graph "Create listItem", "Get listItem", "Error responses"',
      async (expect) => {
        const a = await post('create item', {
          Title: 'a',
          Key: 'k-a',
          Status: 'Open',
          Plain: 'x',
          Notes: 'long text',
        });
        expect(a.status === 201, `create: expected 201, got ${a.status}`);
        const read = await call(
          'get item',
          'GET',
          `${items()}/${a.body.id}?$expand=fields`,
          undefined,
          {},
          'listItem',
        );
        expect(
          read.status === 200 && read.body.fields?.Key === 'k-a',
          `get: expected 200 with the fields, got ${read.status}`,
        );
        const missing = await call('get missing item', 'GET', `${items()}/999999`);
        expect(missing.status === 404, `missing item: expected 404, got ${missing.status}`);
        const e = missing.body?.error;
        expect(
          typeof e?.code === 'string' && typeof e?.message === 'string',
          'error body: error.code and error.message',
        );
        expect(typeof e?.innerError === 'object' && e.innerError !== null, 'error body: error.innerError');
      },
    );

    await check(
      'filter grammar',
      'Graph "List items" ($filter on fields); "Use query parameters"',
      async (expect) => {
        for (const filter of [
          "fields/Key eq 'k-a'",
          "startswith(fields/Key,'k-')",
          "fields/Status eq 'Open' and fields/Key ne 'zz'",
        ]) {
          const res = await call(
            `documented: ${filter}`,
            'GET',
            filtered(filter),
            undefined,
            {},
            'collection',
          );
          expect(res.status === 200, `${filter}: expected 200, got ${res.status}`);
        }
        // Wider than the documents: the local service refuses these; a real site's answers are recorded.
        for (const filter of [
          "not (fields/Key eq 'k-a')",
          'fields/Plain eq null',
          '1 eq 1',
          "fields/Notes eq 'x'",
          'fields/Due ge 2018-09-01',
        ]) {
          const res = await call(`undocumented: ${filter}`, 'GET', filtered(filter), undefined, PREFER);
          if (opts.target === 'local')
            expect(res.status === 400, `${filter}: expected 400, got ${res.status}`);
        }
      },
    );

    await check(
      'indexing and Prefer',
      'Graph "List items": HonorNonIndexedQueriesWarningMayFailRandomly',
      async (expect) => {
        const bare = await call('non-indexed without Prefer', 'GET', filtered("fields/Plain eq 'x'"));
        expect(
          bare.status === 400,
          `filter on a column that is not indexed: expected 400, got ${bare.status}`,
        );
        const preferred = await call(
          'non-indexed with Prefer',
          'GET',
          filtered("fields/Plain eq 'x'"),
          undefined,
          PREFER,
        );
        expect(preferred.status === 200, `the same with Prefer: expected 200, got ${preferred.status}`);
        // $orderby on list items is undocumented (microsoft-graph-docs#14191): recorded, asserted locally.
        const sorted = await call('orderby indexed', 'GET', items('$expand=fields&$orderby=fields/Key desc'));
        const sortedPrefer = await call(
          'orderby with Prefer',
          'GET',
          items('$expand=fields&$orderby=fields/Plain'),
          undefined,
          PREFER,
        );
        if (opts.target === 'local') {
          expect(sorted.status === 200, `orderby an indexed column: expected 200, got ${sorted.status}`);
          expect(
            sortedPrefer.status === 400,
            `orderby with Prefer: expected 400, got ${sortedPrefer.status}`,
          );
        }
      },
    );

    await check(
      'duplicates in a unique column',
      'SPDuplicateValuesFoundException: pnp/pnpcore#1280',
      async (expect) => {
        await post('first', { Title: 'dup', Key: 'k-dup' });
        const again = await post('duplicate', { Title: 'dup', Key: 'k-dup' });
        observations.duplicateStatus = again.status;
        expect(
          [409, 500, 400].includes(again.status),
          `duplicate: expected 409, 500 or 400, got ${again.status}`,
        );
        expect(
          /duplicate values/i.test(String(again.body?.error?.message)),
          'duplicate: SharePoint says "duplicate values"',
        );
      },
    );

    await check(
      'ETag, If-Match and 412',
      'Graph "Update listItem" (If-Match); "Error responses" (412)',
      async (expect) => {
        const created = await post('create', { Title: 'etag', Key: 'k-etag' });
        const id = created.body.id as string;
        const etag = created.body['@odata.etag'] as string;
        const first = await call(
          'patch with current eTag',
          'PATCH',
          `${items()}/${id}/fields`,
          { Plain: 'one' },
          { 'If-Match': etag },
        );
        expect(first.status === 200, `patch with the current eTag: expected 200, got ${first.status}`);
        const stale = await call(
          'patch with stale eTag',
          'PATCH',
          `${items()}/${id}/fields`,
          { Plain: 'two' },
          { 'If-Match': etag },
        );
        expect(stale.status === 412, `patch with a stale eTag: expected 412, got ${stale.status}`);
      },
    );

    await check('a null PATCH clears a field', 'Graph "Update listItem"', async (expect) => {
      const created = await post('create', { Title: 'null', Key: 'k-null', Plain: 'here' });
      const id = created.body.id as string;
      const cleared = await call('patch null', 'PATCH', `${items()}/${id}/fields`, { Plain: null });
      expect(cleared.status === 200, `patch null: expected 200, got ${cleared.status}`);
      const read = await call(
        'read back',
        'GET',
        `${items()}/${id}?$expand=fields`,
        undefined,
        {},
        'listItem',
      );
      expect(
        read.body?.fields?.Plain === undefined || read.body?.fields?.Plain === null,
        'the field has no value after a null PATCH',
      );
    });

    await check(
      'a date-only round trip',
      "pnp/pnpjs#1890 (the site zone's midnight, in UTC)",
      async (expect) => {
        const created = await post('create', { Title: 'date', Key: 'k-date', Due: '2018-09-03' });
        const read = await call(
          'read back',
          'GET',
          `${items()}/${created.body.id}?$expand=fields`,
          undefined,
          {},
          'listItem',
        );
        const stored = read.body?.fields?.Due as string | undefined;
        if (stored) {
          observations.dateOnlyStored = stored;
          observations.dateOnlyOffsetMinutes = Math.round(
            (Date.parse('2018-09-03T00:00:00Z') - Date.parse(stored)) / 60_000,
          );
        }
        expect(
          readDateOnly(stored) === '2018-09-03',
          `date-only 2018-09-03 came back as ${stored}, read as ${readDateOnly(stored)}`,
        );
      },
    );

    await check(
      'paging and @odata.nextLink',
      'Graph "Paging Microsoft Graph data in your app"',
      async (expect) => {
        const seen = new Set<string>();
        let next: string | undefined = items('$expand=fields&$top=2');
        let pages = 0;
        while (next && pages < 20) {
          const page: Answer = await call(
            pages ? 'next page' : 'first page',
            'GET',
            next,
            undefined,
            {},
            'collection',
          );
          expect(page.status === 200, `page ${pages + 1}: expected 200, got ${page.status}`);
          for (const i of page.body.value ?? []) seen.add(i.id as string);
          const link = page.body['@odata.nextLink'] as string | undefined;
          next = link ? relativeGraphPath(link) : undefined;
          pages++;
        }
        expect(pages > 1, 'a $top smaller than the list gives an @odata.nextLink');
        expect(seen.size === ids.length, `paging saw ${seen.size} items of ${ids.length}`);
      },
    );

    await check('$batch: at most 20 requests', 'Graph "JSON batching"', async (expect) => {
      const get = (n: number) => ({ id: String(n), method: 'GET', url: items('$top=1') });
      const twenty = await call(
        '20 requests',
        'POST',
        '/$batch',
        { requests: Array.from({ length: 20 }, (_, i) => get(i + 1)) },
        {},
        'batchResponse',
      );
      expect(
        twenty.status === 200 && twenty.body.responses?.length === 20,
        `20 requests: expected 200 with 20 answers, got ${twenty.status}`,
      );
      const more = await call('21 requests', 'POST', '/$batch', {
        requests: Array.from({ length: 21 }, (_, i) => get(i + 1)),
      });
      expect(more.status === 400, `21 requests: expected 400, got ${more.status}`);
    });

    await check(
      '$batch: dependsOn and 424',
      'Graph "JSON batching" (sequencing with dependsOn)',
      async (expect) => {
        const res = await call(
          'a failed dependency',
          'POST',
          '/$batch',
          {
            requests: [
              {
                id: '1',
                method: 'POST',
                url: items(),
                headers: { 'Content-Type': 'application/json' },
                body: { fields: { Key: 'k-dup' } },
              },
              { id: '2', method: 'GET', url: items('$top=1'), dependsOn: ['1'] },
            ],
          },
          {},
          'batchResponse',
        );
        const byId = new Map(
          (res.body.responses ?? []).map((r: { id: string; status: number }) => [r.id, r.status]),
        );
        expect(res.status === 200, `batch: expected 200, got ${res.status}`);
        expect(
          [409, 500, 400].includes(byId.get('1') as number),
          `the duplicate inside: got ${byId.get('1')}`,
        );
        expect(byId.get('2') === 424, `its dependant: expected 424, got ${byId.get('2')}`);
      },
    );

    await check(
      'the list view threshold',
      '"Manage large lists and libraries"; msgraph-sdk-dotnet#827',
      async (expect) => {
        if (opts.target !== 'local' || !opts.localThreshold)
          return 'needs more items than the threshold (5,000 on a real site); not written to one';
        const many = Array.from({ length: opts.localThreshold + 2 }, (_, i) => ({
          Title: 'bulk',
          Key: `k-bulk-${i}`,
          Status: 'Done',
        }));
        for (let i = 0; i < many.length; i += 20) {
          await call('fill', 'POST', '/$batch', {
            requests: many.slice(i, i + 20).map((fields, j) => ({
              id: String(j + 1),
              method: 'POST',
              url: items(),
              headers: { 'Content-Type': 'application/json' },
              body: { fields },
            })),
          });
        }
        const wide = await call('unselective', 'GET', filtered("fields/Status eq 'Done'"));
        expect(
          wide.status === 429 && /list view threshold/.test(String(wide.body?.error?.message)),
          `a clause matching more than the threshold: expected 429 "list view threshold", got ${wide.status}`,
        );
        expect(!wide.headers.get('retry-after'), 'the threshold answer carries no Retry-After');
        const narrow = await call(
          'selective',
          'GET',
          filtered("fields/Status eq 'Done' and fields/Key eq 'k-bulk-1'"),
        );
        expect(narrow.status === 200, `a selective indexed clause: expected 200, got ${narrow.status}`);
      },
    );

    await check(
      'throttling: 429 and 503, with and without Retry-After',
      '"Avoid getting throttled or blocked in SharePoint Online"',
      async (expect) => {
        if (opts.target !== 'local' || !opts.setFaults) return 'a real site is not asked to throttle';
        // The client retries 429/503 itself, so the fault is made permanent and its last answer read.
        opts.setFaults({ rate: 1, status: 503, retryAfterSeconds: 300, seed: 7 });
        const long = await call('503, Retry-After 300', 'GET', items('$top=1'));
        opts.setFaults({ rate: 0, retryAfterSeconds: 1 });
        expect(
          long.status === 503 && long.headers.get('retry-after') === '300',
          `expected 503 with Retry-After 300, got ${long.status}`,
        );
      },
    );
  } finally {
    if (listId) {
      current = 'clean up';
      const gone = await call('delete scratch list', 'DELETE', `${base}/lists/${listId}`);
      if (gone.status !== 204) log(`Could not delete the scratch list (${gone.status}); delete it by hand.`);
    }
  }
  return report();

  function report(): ConformanceReport {
    const note =
      opts.target === 'local'
        ? 'Recorded from the local lists service itself, not from SharePoint: replaying it only checks the service still answers as it did.'
        : 'Recorded from a real SharePoint site by npm run conformance -- --site: the local service is checked against these answers.';
    return {
      note,
      target: opts.target,
      site: opts.site,
      recordedAt: new Date().toISOString(),
      results,
      observations,
      exchanges,
    };
  }
}

type Expect = (ok: boolean, what: string) => void;

class Failure extends Error {}

/** A request through the bot's own Graph client (retry, User-Agent, token), answered raw. */
async function raw(
  client: Client,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const request = client.api(path).responseType(ResponseType.RAW).headers(headers);
  const res = (await (method === 'GET'
    ? request.get()
    : method === 'POST'
      ? request.post(body)
      : method === 'PATCH'
        ? request.patch(body)
        : request.delete())) as Response;
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** Enough of a body to compare answers, without names, ids or dates. */
function summarise(body: unknown): Record<string, unknown> | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const error = b.error as { code?: unknown; message?: unknown } | undefined;
  if (error) return { code: error.code, message: String(error.message ?? '').slice(0, 300) };
  if (Array.isArray(b.value)) return { count: b.value.length, nextLink: '@odata.nextLink' in b };
  if (Array.isArray(b.responses)) {
    return {
      responses: (b.responses as { id: string; status: number }[]).map((r) => ({
        id: r.id,
        status: r.status,
      })),
    };
  }
  return undefined;
}
