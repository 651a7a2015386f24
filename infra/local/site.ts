import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { badRequest } from './errors.js';
import { writeFileAtomic } from './journal.js';

/**
 * The one local site. Its id keeps Graph's `<hostname>,<site collection id>,<web id>` shape and
 * survives restarts, so ids stored by the bot stay valid.
 */

export const SITE_HOSTNAME = 'localhost';
export const SITE_PATH = '/sites/partnership-board';

export interface SiteIdentity {
  id: string;
  createdDateTime: string;
}

export async function loadOrCreateSite(root: string): Promise<SiteIdentity> {
  const path = join(root, 'site.json');
  try {
    return JSON.parse(await readFile(path, 'utf8')) as SiteIdentity;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const site: SiteIdentity = {
    id: `${SITE_HOSTNAME},${randomUUID()},${randomUUID()}`,
    createdDateTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  await writeFileAtomic(path, JSON.stringify(site));
  return site;
}

export function siteJson(site: SiteIdentity, webUrl: string): Record<string, unknown> {
  const [, siteCollectionId, webId] = site.id.split(',');
  return {
    createdDateTime: site.createdDateTime,
    description: 'Local stand-in for the SharePoint site that holds the Partnership Board lists.',
    id: site.id,
    lastModifiedDateTime: site.createdDateTime,
    name: SITE_PATH.split('/').pop(),
    webUrl,
    displayName: 'Partnership Board',
    root: {},
    siteCollection: { hostname: SITE_HOSTNAME },
    sharepointIds: { siteId: siteCollectionId, webId, siteUrl: webUrl },
  };
}

/**
 * Split `/sites/{site}/rest` into the site address and the rest. The address may be `root`, the
 * site id, a hostname, or the `hostname:/server/relative/path:` form; all of them mean the local
 * site, since there is only one.
 */
export function splitSitePath(path: string): { site: string; rest: string } | undefined {
  if (!path.startsWith('/sites/')) return undefined;
  const after = path.slice('/sites/'.length);
  const colon = /^([^/:]+):(\/[^:]*)(?::(\/.*)?)?$/.exec(after);
  if (colon) return { site: `${colon[1]}:${colon[2]}:`, rest: colon[3] ?? '' };
  const slash = after.indexOf('/');
  const site = slash === -1 ? after : after.slice(0, slash);
  if (!site) throw badRequest('The site address is missing after /sites/.');
  return { site, rest: slash === -1 ? '' : after.slice(slash) };
}
