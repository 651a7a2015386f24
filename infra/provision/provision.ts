import type { Client } from '@microsoft/microsoft-graph-client';
import type { Logger } from '../../bot/logger.js';
import {
  ConflictError,
  isCredentialFailure,
  NotFoundError,
  toListsError,
} from '../../bot/sharepoint/errors.js';
import type { ListsError } from '../../bot/sharepoint/errors.js';
import { relativeGraphPath } from '../../bot/sharepoint/graph-client.js';
import {
  columnFix,
  graphColumnType,
  LISTS,
  toGraphColumn,
  toGraphList,
} from '../../bot/sharepoint/schema.js';
import type { ColumnType, ListDef } from '../../bot/sharepoint/schema.js';
import { sitePath } from '../../bot/sharepoint/sites.js';

/**
 * Brings a SharePoint site up to the schema: creates missing lists and missing columns, then reads
 * every column back and gives back what SharePoint dropped (the index, unique values, choices:
 * Graph has been reported to ignore column settings sent with a new list, microsoft-graph-docs#11966
 * and microsoft-graph-docs-contrib#3480). Columns of another type are reported, never changed. It
 * never deletes or rewrites data, so running it again is always safe, and on a good site it changes
 * nothing and says so.
 */

export const PROVISION_PERMISSION_HINT =
  'provisioning creates lists and columns, which needs the Microsoft Graph application permission ' +
  'Sites.Manage.All (with admin consent), or Sites.Selected with the "manage" (or "fullcontrol") role ' +
  'granted to the app on this site';

export type ProvisionFailure = 'site-not-found' | 'unauthorized' | 'forbidden' | 'graph';

export class ProvisionError extends Error {
  constructor(
    message: string,
    readonly reason: ProvisionFailure,
    readonly status: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProvisionError';
  }
}

export interface ColumnMismatch {
  column: string;
  expected: ColumnType;
  actual: ColumnType | 'unknown';
}

export interface ListReport {
  list: string;
  status: 'created' | 'updated' | 'up to date';
  /** Columns created on this run (all of them when the list was created). */
  addedColumns: string[];
  typeMismatches: ColumnMismatch[];
  /** Columns the schema indexes that the site does not, and that could not be fixed. */
  notIndexed: string[];
  /** Columns whose index, uniqueness or choices were given back on this run. */
  fixedColumns: string[];
}

export interface ProvisionReport {
  siteId: string;
  siteName?: string;
  dryRun: boolean;
  lists: ListReport[];
  /** One line per thing done or found, for people. */
  lines: string[];
  changed: boolean;
}

export interface ProvisionOptions {
  /** Report what would change without changing anything. */
  dryRun?: boolean;
  /** The lists to provision; the whole schema by default. */
  lists?: readonly ListDef[];
}

interface GraphColumn extends Record<string, unknown> {
  id?: string;
  name?: string;
  displayName?: string;
  indexed?: boolean;
  enforceUniqueValues?: boolean;
  choice?: { choices?: string[] };
}

interface GraphList {
  id: string;
  displayName?: string;
  name?: string;
}

async function getAll<T>(client: Client, path: string): Promise<T[]> {
  const all: T[] = [];
  let next: string | undefined = path;
  while (next) {
    const page = (await client.api(next).get()) as { value?: T[]; '@odata.nextLink'?: string };
    all.push(...(page.value ?? []));
    next = page['@odata.nextLink'] ? relativeGraphPath(page['@odata.nextLink']) : undefined;
  }
  return all;
}

function explain(error: ListsError, what: string, siteRef: string): ProvisionError {
  if (error.status === 401) {
    return new ProvisionError(
      `${what}: Graph refused the app's token (401). Check AZURE_TENANT_ID, AZURE_CLIENT_ID and ` +
        `AZURE_CLIENT_SECRET (or the managed identity), and that ${PROVISION_PERMISSION_HINT}.`,
      'unauthorized',
      401,
      { cause: error },
    );
  }
  if (isCredentialFailure(error)) {
    return new ProvisionError(
      `${what}: could not get an access token for Graph (${error.code}: ${error.message}). Check ` +
        'AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or the managed identity), and that this ' +
        'machine can reach Microsoft Entra ID.',
      'unauthorized',
      error.status,
      { cause: error },
    );
  }
  if (error.status === 403) {
    return new ProvisionError(
      `${what}: access denied (403) — ${PROVISION_PERMISSION_HINT}.`,
      'forbidden',
      403,
      {
        cause: error,
      },
    );
  }
  if (error instanceof NotFoundError && what === 'site') {
    return new ProvisionError(
      `SharePoint site "${siteRef}" was not found (404). Pass --site with the site URL ` +
        '(https://<tenant>.sharepoint.com/sites/<name>) or its Graph id, or set SHAREPOINT_SITE_URL / SHAREPOINT_SITE_ID.',
      'site-not-found',
      404,
      { cause: error },
    );
  }
  return new ProvisionError(`${what}: ${error.message}`, 'graph', error.status, { cause: error });
}

export async function provision(
  client: Client,
  siteRef: string,
  logger: Logger,
  options: ProvisionOptions = {},
): Promise<ProvisionReport> {
  const dryRun = options.dryRun ?? false;
  const defs = options.lists ?? LISTS;
  const guard = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      throw explain(toListsError(e), what, siteRef);
    }
  };

  const site = await guard(
    'site',
    () =>
      client.api(sitePath(siteRef)).select('id,displayName').get() as Promise<{
        id: string;
        displayName?: string;
      }>,
  );
  const base = `/sites/${site.id}`;
  const existing = await guard('reading lists', () =>
    getAll<GraphList>(client, `${base}/lists?$select=id,displayName,name`),
  );
  const byName = new Map(existing.map((l) => [l.displayName ?? l.name ?? '', l]));

  const lists: ListReport[] = [];
  const lines: string[] = [];
  const would = dryRun ? 'would ' : '';

  for (const def of defs) {
    const report: ListReport = {
      list: def.name,
      status: 'up to date',
      addedColumns: [],
      typeMismatches: [],
      notIndexed: [],
      fixedColumns: [],
    };
    lists.push(report);
    let list = byName.get(def.name);

    if (!list) {
      report.status = 'created';
      // The built-in Title column is part of every list, so it is counted with the others.
      lines.push(`${would}create${dryRun ? '' : 'd'} list ${def.name} (${def.columns.length + 1} columns)`);
      logger.info({ list: def.name, dryRun }, 'list created');
      if (dryRun) {
        report.addedColumns = def.columns.map((c) => c.name);
        continue;
      }
      list = await guard(`creating list ${def.name}`, () => createList(client, base, def));
    }

    const listId = list.id;
    const created = report.status === 'created';
    // Read back even a list just created: its columns may have lost their settings on the way.
    const columns = await guard(`reading columns of ${def.name}`, () =>
      getAll<GraphColumn>(client, `${base}/lists/${listId}/columns`),
    );
    const columnByName = new Map<string, GraphColumn>();
    for (const c of columns) {
      if (c.displayName) columnByName.set(c.displayName, c);
      if (c.name) columnByName.set(c.name, c);
    }
    if (created) report.addedColumns = def.columns.filter((c) => columnByName.has(c.name)).map((c) => c.name);

    const fixColumn = async (name: string, found: GraphColumn, fix: Record<string, unknown>) => {
      const what = Object.keys(fix)
        .map((k) => (k === 'indexed' ? 'index' : k === 'enforceUniqueValues' ? 'unique values' : 'choices'))
        .join(', ');
      if (!dryRun) {
        try {
          await client.api(`${base}/lists/${listId}/columns/${found.id ?? name}`).patch(fix);
        } catch (e) {
          const error = toListsError(e);
          if (error.status === 401 || error.status === 403)
            throw explain(error, `fixing ${def.name}/${name}`, siteRef);
          if (fix.indexed) report.notIndexed.push(name);
          lines.push(
            `${def.name}/${name}: could not restore ${what} (${error.message}); set it in list settings`,
          );
          return;
        }
      }
      report.fixedColumns.push(name);
      lines.push(`${would}restore${dryRun ? '' : 'd'} ${what} of ${def.name}/${name}`);
    };

    for (const col of def.columns) {
      const found = columnByName.get(col.name);
      if (!found) {
        if (!dryRun) {
          await guard(`adding column ${def.name}/${col.name}`, () =>
            client.api(`${base}/lists/${listId}/columns`).post(toGraphColumn(col)),
          );
        }
        report.addedColumns.push(col.name);
        lines.push(`${would}add${dryRun ? '' : 'ed'} column ${def.name}/${col.name}`);
        continue;
      }
      const actual = graphColumnType(found) ?? 'unknown';
      if (actual !== col.type) {
        report.typeMismatches.push({ column: col.name, expected: col.type, actual });
        lines.push(
          `${def.name}/${col.name}: type is ${actual}, the schema says ${col.type} (left unchanged)`,
        );
        continue;
      }
      const fix = columnFix(col, found);
      if (fix) await fixColumn(col.name, found, fix);
    }
    for (const name of def.indexedBuiltIns ?? []) {
      const found = columnByName.get(name);
      if (found && found.indexed !== true) await fixColumn(name, found, { indexed: true });
    }

    if (created) continue;
    if (report.addedColumns.length || report.fixedColumns.length) report.status = 'updated';
    else if (!report.typeMismatches.length && !report.notIndexed.length)
      lines.push(`${def.name}: up to date`);
  }

  const changed = lists.some((l) => l.status !== 'up to date');
  if (!changed) lines.push('Nothing to change: every list and column matches the schema.');
  return {
    siteId: site.id,
    ...(site.displayName ? { siteName: site.displayName } : {}),
    dryRun,
    lists,
    lines,
    changed,
  };
}

/** Creates a list with all its columns; if it appeared meanwhile (409), uses that one. */
async function createList(client: Client, base: string, def: ListDef): Promise<GraphList> {
  try {
    return (await client.api(`${base}/lists`).post(toGraphList(def))) as GraphList;
  } catch (e) {
    if (!(toListsError(e) instanceof ConflictError)) throw e;
    return (await client
      .api(`${base}/lists/${encodeURIComponent(def.name)}`)
      .select('id,displayName')
      .get()) as GraphList;
  }
}
