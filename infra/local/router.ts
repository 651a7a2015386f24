import type { Logger } from 'pino';
import type { FieldValue } from './columns.js';
import { columnJson } from './columns.js';
import { badRequest, errorBody, GraphError } from './errors.js';
import type { FaultInjector } from './faults.js';
import {
  type IndexCount,
  compileFilter,
  decodeSkipToken,
  encodeSkipToken,
  parseExpand,
  parseOrderBy,
  parseSelect,
  seek,
  sortRows,
  type Binder,
  type Bound,
  type Sorted,
} from './query.js';
import { fieldsJson, itemJson, listJson, siteWebUrl } from './render.js';
import { siteJson, splitSitePath, type SiteIdentity } from './site.js';
import type { ListCatalog, ListData, ListMeta, StoredItem } from './store.js';
import { DEFAULT_STRICT, thresholdError, type StrictSettings } from './strict.js';

/**
 * Graph v1.0 routes of the lists subset, independent of the transport: the HTTP server and the
 * `$batch` handler both call `dispatch` with a parsed request.
 */

export interface GraphRequest {
  method: string;
  /** Path below `/v1.0`, still percent-encoded, e.g. `/sites/root/lists/Actions/items`. */
  path: string;
  query: URLSearchParams;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body: unknown;
  /** `http://host:port` as the client addressed us, for absolute links. */
  origin: string;
}

export interface GraphResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export const JSON_CONTENT_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;charset=utf-8';
export const DEFAULT_PAGE_SIZE = 200;
export const MAX_PAGE_SIZE = 5000;
const PREFER_NON_INDEXED = 'honornonindexedquerieswarningmayfailrandomly';

export class RequestStats {
  requests = 0;
  byRoute: Record<string, number> = {};

  count(route: string): void {
    this.requests++;
    this.byRoute[route] = (this.byRoute[route] ?? 0) + 1;
  }

  reset(): void {
    this.requests = 0;
    this.byRoute = {};
  }
}

type Handler = (req: GraphRequest, params: Record<string, string>) => Promise<GraphResponse> | GraphResponse;

interface Route {
  template: string;
  /** Segments after the site address; `{x}` captures one segment. */
  segments: string[];
  methods: Record<string, Handler>;
  /** Throttling applies to list and item requests only. */
  faultable: boolean;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): GraphResponse => ({
  status,
  headers: { 'Content-Type': JSON_CONTENT_TYPE, ...headers },
  body,
});

export class GraphRouter {
  private readonly routes: Route[];
  private readonly queryCache = new Map<string, Sorted<StoredItem>[]>();

  constructor(
    private readonly catalog: ListCatalog,
    private readonly site: SiteIdentity,
    private readonly faults: FaultInjector,
    readonly stats: RequestStats,
    private readonly logger: Logger,
    private readonly strict: StrictSettings = DEFAULT_STRICT,
  ) {
    const route = (template: string, methods: Record<string, Handler>, faultable = true): Route => ({
      template: `/sites/{site}${template}`,
      segments: template.split('/').filter(Boolean),
      methods,
      faultable,
    });
    this.routes = [
      route('', { GET: (r) => json(200, siteJson(this.site, siteWebUrl(r.origin))) }, false),
      route('/lists', { GET: (r) => this.getLists(r), POST: (r) => this.postList(r) }),
      route('/lists/{list}', {
        GET: (r, p) => this.getList(r, p.list!),
        DELETE: async (_r, p) => {
          await this.catalog.deleteList(p.list!);
          return { status: 204, headers: {} };
        },
      }),
      route('/lists/{list}/columns', {
        GET: (_r, p) => json(200, { value: this.catalog.get(p.list!).meta.columns.map(columnJson) }),
        POST: (r, p) => this.postColumn(r, p.list!),
      }),
      route('/lists/{list}/columns/{column}', {
        GET: (_r, p) => this.getColumn(p.list!, p.column!),
        PATCH: async (r, p) =>
          json(200, columnJson(await this.catalog.get(p.list!).updateColumn(p.column!, r.body))),
      }),
      route('/lists/{list}/items', {
        GET: (r, p) => this.getItems(r, p.list!),
        POST: (r, p) => this.postItem(r, p.list!),
      }),
      route('/lists/{list}/items/{item}', {
        GET: (r, p) => this.getItem(r, p.list!, p.item!),
        PATCH: (r, p) => this.patchItem(r, p.list!, p.item!),
        DELETE: (r, p) => this.deleteItem(r, p.list!, p.item!),
      }),
      route('/lists/{list}/items/{item}/fields', {
        GET: (r, p) => this.getFields(r, p.list!, p.item!),
        PATCH: (r, p) => this.patchFields(r, p.list!, p.item!),
      }),
    ];
  }

  /** Route, count, maybe throttle, run; every failure becomes Graph's error response. */
  async dispatch(req: GraphRequest, opts: { faults?: boolean } = {}): Promise<GraphResponse> {
    const clientRequestId = req.headers['client-request-id'];
    try {
      const match = this.match(req.path);
      const method = req.method.toUpperCase();
      this.stats.count(`${method} ${match?.route.template ?? '(unknown)'}`);
      if (!match) {
        throw new GraphError(
          404,
          'itemNotFound',
          `Resource not found for the segment '${firstUnknownSegment(req.path)}'.`,
        );
      }
      if (opts.faults !== false && match.route.faultable) {
        const fault = this.faults.next();
        if (fault)
          return json(fault.status, errorBody(fault.code, fault.message, clientRequestId), fault.headers);
      }
      const handler = match.route.methods[method];
      if (!handler) {
        throw new GraphError(
          405,
          'methodNotAllowed',
          `The HTTP method '${method}' is not allowed on this resource.`,
        );
      }
      return await handler(req, match.params);
    } catch (e) {
      if (e instanceof GraphError)
        return json(e.status, errorBody(e.code, e.message, clientRequestId), e.headers);
      this.logger.error(
        { err: e, method: req.method, path: req.path },
        'unexpected error in the lists service',
      );
      return json(
        500,
        errorBody(
          'generalException',
          'An unexpected error occurred in the local lists service.',
          clientRequestId,
        ),
      );
    }
  }

  private match(path: string): { route: Route; params: Record<string, string> } | undefined {
    const split = splitSitePath(path.replace(/\/+$/, '') || '/');
    if (!split) return undefined;
    let segments: string[];
    try {
      segments = split.rest.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      throw badRequest('The request path is not valid percent-encoding.');
    }
    for (const route of this.routes) {
      if (route.segments.length !== segments.length) continue;
      const params: Record<string, string> = { site: split.site };
      const ok = route.segments.every((s, i) => {
        if (s.startsWith('{')) {
          params[s.slice(1, -1)] = segments[i]!;
          return true;
        }
        return s === segments[i];
      });
      if (ok) return { route, params };
    }
    return undefined;
  }

  // ── lists ──

  private getLists(r: GraphRequest): GraphResponse {
    let lists = [...this.catalog.all()];
    const filter = option(r.query, 'filter');
    if (filter) {
      const compiled = compileFilter(filter, listBinder);
      lists = lists.filter((l) => compiled.test(l.meta));
    }
    const select = parseSelect(option(r.query, 'select'));
    const expand = parseExpand(option(r.query, 'expand'), ['columns'], 'microsoft.graph.list');
    return json(200, { value: lists.map((l) => listJson(l, this.site, r.origin, { select, expand })) });
  }

  private async postList(r: GraphRequest): Promise<GraphResponse> {
    const list = await this.catalog.createList(r.body);
    this.logger.info({ list: list.meta.displayName, columns: list.meta.columns.length }, 'list created');
    return json(201, listJson(list, this.site, r.origin));
  }

  private getList(r: GraphRequest, name: string): GraphResponse {
    const list = this.catalog.get(name);
    const select = parseSelect(option(r.query, 'select'));
    const expand = parseExpand(option(r.query, 'expand'), ['columns', 'items'], 'microsoft.graph.list');
    if (expand.some((e) => e.name === 'items')) {
      throw badRequest(
        "Expanding 'items' on a list is not supported by the local lists service; GET .../items instead.",
      );
    }
    return json(200, listJson(list, this.site, r.origin, { select, expand }));
  }

  private async postColumn(r: GraphRequest, name: string): Promise<GraphResponse> {
    const col = await this.catalog.get(name).addColumn(r.body);
    return json(201, columnJson(col));
  }

  private getColumn(listName: string, name: string): GraphResponse {
    const list = this.catalog.get(listName);
    const col = list.meta.columns.find((c) => c.id === name || c.name === name);
    if (!col)
      throw new GraphError(
        404,
        'itemNotFound',
        `The column '${name}' was not found in the list '${list.meta.displayName}'.`,
      );
    return json(200, columnJson(col));
  }

  // ── items ──

  private getItems(r: GraphRequest, name: string): GraphResponse {
    const list = this.catalog.get(name);
    const bind = itemBinder(list);
    const filter = option(r.query, 'filter');
    const orderby = option(r.query, 'orderby');
    const compiled = filter ? compileFilter(filter, bind) : undefined;
    const order = orderby ? parseOrderBy(orderby, bind) : [];
    const preferNonIndexed = prefers(r, PREFER_NON_INDEXED);
    if (!preferNonIndexed) {
      for (const b of [...(compiled?.properties ?? []), ...order.map((o) => o.bound)]) {
        if (!b.column || !list.isIndexed(b.column)) throw notIndexed(b);
      }
    } else if (order.length) {
      // `$orderby` on list items is undocumented (microsoft-graph-docs#14191); it is only known to work
      // on indexed columns of a query that needs no Prefer header, so nothing wider is accepted here.
      throw badRequest(
        "$orderby cannot be combined with 'Prefer: HonorNonIndexedQueriesWarningMayFailRandomly'; sort on an indexed column of a query that filters on indexed columns only.",
      );
    }
    if (compiled || order.length) this.checkThreshold(list, compiled);
    const top = parseTop(option(r.query, 'top'));
    const select = parseSelect(option(r.query, 'select'));
    const fields = parseExpand(option(r.query, 'expand'), ['fields'], 'microsoft.graph.listItem')[0];

    const cacheKey = `${list.meta.id}\n${list.revision}\n${filter ?? ''}\n${orderby ?? ''}`;
    let sorted = this.queryCache.get(cacheKey);
    if (!sorted) {
      let rows: StoredItem[];
      const candidates = compiled?.candidates((col, key) => list.lookup(col, key));
      if (candidates) {
        rows = [...candidates].sort((a, b) => a - b).map((id) => list.items.get(id)!);
        rows = rows.filter(compiled!.test);
      } else {
        rows = [...list.items.values()];
        if (compiled) rows = rows.filter(compiled.test);
      }
      sorted = sortRows(rows, order, (row) => row.id);
      this.remember(cacheKey, sorted);
    }

    const token = option(r.query, 'skiptoken');
    let start = 0;
    if (token) {
      const cursor = decodeSkipToken(token);
      if (cursor.keys.length !== order.length)
        throw badRequest('The $skiptoken does not belong to this query.');
      start = seek(sorted, cursor, order);
    }
    const page = sorted.slice(start, start + top);
    const body: Record<string, unknown> = {
      value: page.map((s) => itemJson(list, s.row, this.site, r.origin, { select, fields: fields ?? false })),
    };
    const last = page[page.length - 1];
    if (last && start + top < sorted.length) {
      body['@odata.nextLink'] = nextLink(r, encodeSkipToken({ keys: last.keys, id: last.id }));
    }
    return json(200, body);
  }

  /**
   * The list view threshold: on a list holding more items than the threshold, a filtered or sorted
   * query must have an indexed clause matching at most that many; the Prefer header does not lift it
   * (msgraph-sdk-dotnet#827). Paging through a list without a filter is allowed.
   */
  private checkThreshold(
    list: ListData,
    compiled: { selectivity: (c: IndexCount) => number | undefined } | undefined,
  ): void {
    const limit = this.strict.threshold;
    if (list.items.size <= limit) return;
    const matches =
      compiled?.selectivity((column, op, key) => list.countIndexed(column, op, key)) ?? list.items.size;
    if (matches > limit) throw thresholdError(matches, limit);
  }

  private remember(key: string, sorted: Sorted<StoredItem>[]): void {
    this.queryCache.set(key, sorted);
    while (this.queryCache.size > 16) this.queryCache.delete(this.queryCache.keys().next().value!);
  }

  private async postItem(r: GraphRequest, name: string): Promise<GraphResponse> {
    const list = this.catalog.get(name);
    const body = requireObject(r.body);
    const item = await list.createItem(body.fields ?? {});
    return json(201, itemJson(list, item, this.site, r.origin, { fields: true }));
  }

  private getItem(r: GraphRequest, name: string, id: string): GraphResponse {
    const list = this.catalog.get(name);
    const item = list.getItem(id);
    const select = parseSelect(option(r.query, 'select'));
    const fields = parseExpand(option(r.query, 'expand'), ['fields'], 'microsoft.graph.listItem')[0];
    return json(200, itemJson(list, item, this.site, r.origin, { select, fields: fields ?? false }));
  }

  private async patchItem(r: GraphRequest, name: string, id: string): Promise<GraphResponse> {
    const list = this.catalog.get(name);
    const body = requireObject(r.body);
    const item = await list.updateItem(id, body.fields ?? {}, r.headers['if-match']);
    return json(200, itemJson(list, item, this.site, r.origin, { fields: true }));
  }

  private async deleteItem(r: GraphRequest, name: string, id: string): Promise<GraphResponse> {
    await this.catalog.get(name).deleteItem(id, r.headers['if-match']);
    return { status: 204, headers: {} };
  }

  private getFields(r: GraphRequest, name: string, id: string): GraphResponse {
    const list = this.catalog.get(name);
    return json(200, fieldsJson(list, list.getItem(id), parseSelect(option(r.query, 'select'))));
  }

  private async patchFields(r: GraphRequest, name: string, id: string): Promise<GraphResponse> {
    const list = this.catalog.get(name);
    const item = await list.updateItem(id, requireObject(r.body), r.headers['if-match']);
    return json(200, fieldsJson(list, item));
  }
}

/** OData system query options, with or without the `$` (Graph accepts both). */
function option(query: URLSearchParams, name: string): string | undefined {
  return query.get(`$${name}`) ?? query.get(name) ?? undefined;
}

function prefers(r: GraphRequest, preference: string): boolean {
  return (r.headers.prefer ?? '').split(/[,;]/).some((p) => p.trim().toLowerCase() === preference);
}

function parseTop(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PAGE_SIZE;
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) {
    throw badRequest(`Invalid $top value '${text}': expected a whole number of at least 1.`);
  }
  return Math.min(Number(text), MAX_PAGE_SIZE);
}

function requireObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function notIndexed(b: Bound<unknown>): GraphError {
  const name = b.path.replace(/^fields\//, '');
  return badRequest(
    `Field '${name}' cannot be referenced in filter or orderby as it is not indexed. Provide the ` +
      `'Prefer: HonorNonIndexedQueriesWarningMayFailRandomly' header to allow this, but be warned that such ` +
      'queries may fail on lists with more than 5,000 items.',
  );
}

function nextLink(r: GraphRequest, token: string): string {
  const parts: string[] = [];
  for (const [k, v] of r.query) {
    if (k === '$skiptoken' || k === 'skiptoken') continue;
    parts.push(`${k}=${encodeURIComponent(v)}`);
  }
  parts.push(`$skiptoken=${token}`);
  return `${r.origin}/v1.0${r.path}?${parts.join('&')}`;
}

function firstUnknownSegment(path: string): string {
  const segs = path.split('/').filter(Boolean);
  return segs[segs[0] === 'sites' ? Math.min(segs.length - 1, 2) : 0] ?? '';
}

/** `fields/X` of a list item; `id`, `Created` and `Modified` are fields too. */
function itemBinder(list: ListData): Binder<StoredItem> {
  return (path) => {
    if (path[0] !== 'fields' || path.length !== 2) {
      throw badRequest(
        `Invalid filter clause: '${path.join('/')}' is not supported; refer to a list item's columns as fields/<name>.`,
      );
    }
    const name = path[1]!;
    const column = list.column(name);
    if (!column) throw badRequest(`Field '${name}' is not recognized`);
    const text = `fields/${name}`;
    const get =
      column.name === 'ID'
        ? (item: StoredItem) => item.id
        : column.name === 'Created'
          ? (item: StoredItem) => item.created
          : column.name === 'Modified'
            ? (item: StoredItem) => item.modified
            : (item: StoredItem): FieldValue | undefined => item.fields[column.name];
    return { path: text, type: column.type, column, get };
  };
}

const LIST_PROPERTIES: Record<string, (m: ListMeta) => string> = {
  displayName: (m) => m.displayName,
  name: (m) => m.name,
  id: (m) => m.id,
  description: (m) => m.description,
};

const listBinder: Binder<ListMeta> = (path) => {
  const key = path.join('/');
  const get = LIST_PROPERTIES[key];
  if (!get)
    throw badRequest(
      `Invalid filter clause: lists can be filtered on ${Object.keys(LIST_PROPERTIES).join(', ')}; not '${key}'.`,
    );
  return { path: key, type: 'text', get };
};
