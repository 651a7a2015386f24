import type { Logger } from 'pino';
import { columnFix, LISTS, toGraphColumn, toGraphList } from '../../bot/sharepoint/schema.js';
import { columnJson } from './columns.js';
import type { GraphRouter, GraphResponse } from './router.js';
import type { ListCatalog } from './store.js';

/**
 * Create the schema's lists (and any columns added to the schema since) through the same routes a
 * client takes, so provisioning cannot drift from what Graph requests produce. Like the admins'
 * provisioning, it reads the columns back and gives back what list creation dropped (index,
 * uniqueness, choices: microsoft-graph-docs#11966), so a lossy create still ends in the schema.
 */
export async function provisionLists(
  router: GraphRouter,
  catalog: ListCatalog,
  logger: Logger,
): Promise<{ createdLists: string[]; addedColumns: string[]; fixedColumns: string[] }> {
  const createdLists: string[] = [];
  const addedColumns: string[] = [];
  const fixedColumns: string[] = [];
  const send = async (method: 'POST' | 'PATCH', path: string, body: unknown): Promise<GraphResponse> => {
    const res = await router.dispatch(
      {
        method,
        path,
        query: new URLSearchParams(),
        headers: { 'content-type': 'application/json' },
        body,
        origin: 'http://127.0.0.1',
      },
      { faults: false },
    );
    if (res.status !== 201 && res.status !== 200) {
      const message = (res.body as { error?: { message?: string } } | undefined)?.error?.message;
      throw new Error(`Provisioning ${method} ${path} failed with ${res.status}: ${message ?? 'no message'}`);
    }
    return res;
  };

  for (const def of LISTS) {
    if (!catalog.find(def.name)) {
      await send('POST', '/sites/root/lists', toGraphList(def));
      createdLists.push(def.name);
    }
    const list = catalog.get(def.name);
    const columnsPath = `/sites/root/lists/${encodeURIComponent(list.meta.id)}/columns`;
    for (const col of def.columns) {
      const found = list.column(col.name);
      if (!found) {
        await send('POST', columnsPath, toGraphColumn(col));
        addedColumns.push(`${def.name}.${col.name}`);
        continue;
      }
      const fix = columnFix(col, columnJson(found));
      if (fix) {
        await send('PATCH', `${columnsPath}/${encodeURIComponent(found.id)}`, fix);
        fixedColumns.push(`${def.name}.${col.name}`);
      }
    }
    for (const name of def.indexedBuiltIns ?? []) {
      const found = list.column(name);
      if (found && !found.indexed) {
        await send('PATCH', `${columnsPath}/${encodeURIComponent(found.id)}`, { indexed: true });
        fixedColumns.push(`${def.name}.${name}`);
      }
    }
  }
  if (createdLists.length || addedColumns.length || fixedColumns.length)
    logger.info({ createdLists, addedColumns, fixedColumns }, 'lists provisioned');
  else logger.debug('lists already provisioned');
  return { createdLists, addedColumns, fixedColumns };
}
