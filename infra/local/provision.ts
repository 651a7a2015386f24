import type { Logger } from 'pino';
import { LISTS, toGraphColumn, toGraphList } from '../../bot/sharepoint/schema.js';
import type { GraphRouter, GraphResponse } from './router.js';
import type { ListCatalog } from './store.js';

/**
 * Create the schema's lists (and any columns added to the schema since) through the same route a
 * client's `POST /lists` takes, so provisioning cannot drift from what Graph requests produce.
 */
export async function provisionLists(
  router: GraphRouter,
  catalog: ListCatalog,
  logger: Logger,
): Promise<{ createdLists: string[]; addedColumns: string[] }> {
  const createdLists: string[] = [];
  const addedColumns: string[] = [];
  const post = async (path: string, body: unknown): Promise<GraphResponse> => {
    const res = await router.dispatch(
      {
        method: 'POST',
        path,
        query: new URLSearchParams(),
        headers: { 'content-type': 'application/json' },
        body,
        origin: 'http://127.0.0.1',
      },
      { faults: false },
    );
    if (res.status !== 201) {
      const message = (res.body as { error?: { message?: string } } | undefined)?.error?.message;
      throw new Error(`Provisioning POST ${path} failed with ${res.status}: ${message ?? 'no message'}`);
    }
    return res;
  };

  for (const def of LISTS) {
    const existing = catalog.find(def.name);
    if (!existing) {
      await post('/sites/root/lists', toGraphList(def));
      createdLists.push(def.name);
      continue;
    }
    for (const col of def.columns) {
      if (existing.column(col.name)) continue;
      await post(`/sites/root/lists/${encodeURIComponent(existing.meta.id)}/columns`, toGraphColumn(col));
      addedColumns.push(`${def.name}.${col.name}`);
    }
  }
  if (createdLists.length || addedColumns.length)
    logger.info({ createdLists, addedColumns }, 'lists provisioned');
  else logger.debug('lists already provisioned');
  return { createdLists, addedColumns };
}
