import { columnJson } from './columns.js';
import type { Expansion } from './query.js';
import { SITE_PATH, type SiteIdentity } from './site.js';
import { itemETag, listETag, type ListData, type StoredItem } from './store.js';

/** Graph's JSON shapes for lists, list items and their fields. */

const APP_IDENTITY = { user: { displayName: 'SharePoint App' } };
const ITEM_CONTENT_TYPE = { id: '0x0100', name: 'Item' };

export const siteWebUrl = (origin: string): string => `${origin}${SITE_PATH}`;

function pick(
  obj: Record<string, unknown>,
  select: string[] | undefined,
  keep: string[],
): Record<string, unknown> {
  if (!select) return obj;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (select.includes(k) || keep.includes(k)) out[k] = v;
  return out;
}

export function listJson(
  list: ListData,
  site: SiteIdentity,
  origin: string,
  opts: { select?: string[] | undefined; expand?: Expansion[] } = {},
): Record<string, unknown> {
  const m = list.meta;
  const etag = listETag(m);
  const full: Record<string, unknown> = {
    '@odata.etag': etag,
    createdDateTime: m.createdDateTime,
    description: m.description,
    eTag: etag,
    id: m.id,
    lastModifiedDateTime: m.lastModifiedDateTime,
    name: m.name,
    webUrl: `${siteWebUrl(origin)}/Lists/${m.name}`,
    displayName: m.displayName,
    createdBy: APP_IDENTITY,
    parentReference: { siteId: site.id },
    list: { contentTypesEnabled: false, hidden: false, template: m.template },
  };
  const out = pick(full, opts.select, ['@odata.etag']);
  const columns = opts.expand?.find((e) => e.name === 'columns');
  if (columns) {
    out.columns = m.columns.map((c) => pick(columnJson(c), columns.select, []));
  }
  return out;
}

export function fieldsJson(list: ListData, item: StoredItem, select?: string[]): Record<string, unknown> {
  const full: Record<string, unknown> = { '@odata.etag': itemETag(item) };
  for (const col of list.meta.columns) {
    const v = item.fields[col.name];
    if (v !== undefined) full[col.name] = v; // Graph leaves out fields without a value
  }
  Object.assign(full, {
    id: String(item.id),
    ContentType: 'Item',
    Modified: item.modified,
    Created: item.created,
    _UIVersionString: `${item.version}.0`,
    Attachments: false,
  });
  if (!select) return full;
  const wanted = new Set(select.map((s) => (s === 'ID' ? 'id' : s)));
  return pick(full, [...wanted], ['@odata.etag']);
}

export function itemJson(
  list: ListData,
  item: StoredItem,
  site: SiteIdentity,
  origin: string,
  opts: { select?: string[] | undefined; fields?: Expansion | boolean } = {},
): Record<string, unknown> {
  const etag = itemETag(item);
  const full: Record<string, unknown> = {
    '@odata.etag': etag,
    createdDateTime: item.created,
    eTag: etag,
    id: String(item.id),
    lastModifiedDateTime: item.modified,
    webUrl: `${siteWebUrl(origin)}/Lists/${list.meta.name}/DispForm.aspx?ID=${item.id}`,
    createdBy: APP_IDENTITY,
    lastModifiedBy: APP_IDENTITY,
    parentReference: { id: list.meta.id, siteId: site.id },
    contentType: ITEM_CONTENT_TYPE,
  };
  const out = pick(full, opts.select, ['@odata.etag']);
  if (opts.fields) {
    out.fields = fieldsJson(list, item, opts.fields === true ? undefined : opts.fields.select);
  }
  return out;
}
