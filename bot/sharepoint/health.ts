import type { Client } from '@microsoft/microsoft-graph-client';
import { toListsError } from './errors.js';
import { relativeGraphPath } from './graph-client.js';
import { LIST_NAMES } from './schema.js';
import { sitePath } from './sites.js';

export interface ListsHealth {
  ok: boolean;
  /** Lists of the schema the site does not have (run `npm run provision`). */
  missing: string[];
  /** Why the lists could not be checked at all: site not found, access denied, timeout. */
  error?: string;
}

/**
 * Are the eight lists reachable? One paged read of the site's lists, bounded in time so that
 * `GET /healthz` answers even while Graph is throttling us.
 */
export async function checkLists(
  client: Client,
  siteId: string,
  options: { timeoutMs?: number } = {},
): Promise<ListsHealth> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Graph within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const names = await Promise.race([listDisplayNames(client, siteId), timeout]);
    const missing = LIST_NAMES.filter((n) => !names.has(n));
    return { ok: missing.length === 0, missing };
  } catch (e) {
    const error = toListsError(e);
    const status = error.status ? ` (${error.status})` : '';
    return { ok: false, missing: [], error: `${error.message}${status}` };
  } finally {
    clearTimeout(timer);
  }
}

async function listDisplayNames(client: Client, siteId: string): Promise<Set<string>> {
  const names = new Set<string>();
  let next: string | undefined = `${sitePath(siteId)}/lists?$select=id,displayName`;
  while (next) {
    const page = (await client.api(next).get()) as {
      value?: Array<{ displayName?: string }>;
      '@odata.nextLink'?: string;
    };
    for (const list of page.value ?? []) if (list.displayName) names.add(list.displayName);
    next = page['@odata.nextLink'] ? relativeGraphPath(page['@odata.nextLink']) : undefined;
  }
  return names;
}
