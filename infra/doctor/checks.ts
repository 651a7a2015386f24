import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Client } from '@microsoft/microsoft-graph-client';
import type { BotAuthConfig, Config, GraphCredential } from '../../bot/config.js';
import type { Logger } from '../../bot/logger.js';
import { readDateOnly } from '../../bot/sharepoint/dates.js';
import { toListsError } from '../../bot/sharepoint/errors.js';
import { listDef, type ColumnDef, type ListDef } from '../../bot/sharepoint/schema.js';
import { sitePath } from '../../bot/sharepoint/sites.js';
import { provision, ProvisionError } from '../provision/provision.js';
import { readZipEntry } from './zip.js';

/**
 * The doctor's checks, each a plain function of the configuration and what it needs to reach,
 * answering one line: passed, failed (with the fix), or skipped where the configuration says the
 * thing is off. Nothing here changes the site, apart from the scratch item it writes and deletes.
 */

export interface CheckResult {
  check: string;
  status: 'pass' | 'fail' | 'skip';
  detail: string;
  /** What to do, for a failure. */
  fix?: string | undefined;
}

const pass = (check: string, detail: string): CheckResult => ({ check, status: 'pass', detail });
const skip = (check: string, detail: string): CheckResult => ({ check, status: 'skip', detail });
const fail = (check: string, detail: string, fix: string): CheckResult => ({
  check,
  status: 'fail',
  detail,
  fix,
});

/** Where tokens come from: Microsoft Entra ID in production, a stand-in in tests. */
export interface TokenSource {
  /** A Bot Framework token for the bot's own identity (its replies and proactive messages). */
  bot(auth: BotAuthConfig): Promise<void>;
  /** A Graph token with the lists' credential. */
  graph(credential: Exclude<GraphCredential, { kind: 'none' }>, scope: string): Promise<void>;
}

const BOT_FRAMEWORK_LOGIN = 'https://login.microsoftonline.com/';
const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com';

/** Tokens from Microsoft Entra ID through @azure/identity, as botbuilder and the Graph client get them. */
export const entraTokens: TokenSource = {
  async bot(auth) {
    const { ClientSecretCredential, ManagedIdentityCredential } = await import('@azure/identity');
    // botbuilder's own defaults: a single-tenant bot signs in at its tenant, a legacy multi-tenant
    // one at botframework.com; another cloud names both in its documented override settings.
    const login = new URL(
      auth.overrides?.ToChannelFromBotLoginUrl ??
        `${BOT_FRAMEWORK_LOGIN}${auth.appType === 'MultiTenant' ? 'botframework.com' : (auth.tenantId ?? '')}`,
    );
    const scope = `${(auth.overrides?.ToChannelFromBotOAuthScope ?? BOT_FRAMEWORK_SCOPE).replace(/\/+$/, '')}/.default`;
    const credential =
      auth.appType === 'UserAssignedMSI'
        ? new ManagedIdentityCredential({ clientId: auth.appId ?? '' })
        : new ClientSecretCredential(
            login.pathname.replace(/^\/+|\/+$/g, ''),
            auth.appId ?? '',
            auth.appPassword ?? '',
            { authorityHost: login.origin },
          );
    if (!(await credential.getToken(scope))) throw new Error('no token came back');
  },
  async graph(credential, scope) {
    const { ClientSecretCredential, ManagedIdentityCredential } = await import('@azure/identity');
    const made =
      credential.kind === 'clientSecret'
        ? new ClientSecretCredential(credential.tenantId, credential.clientId, credential.clientSecret)
        : credential.clientId
          ? new ManagedIdentityCredential({ clientId: credential.clientId })
          : new ManagedIdentityCredential();
    if (!(await made.getToken(scope))) throw new Error('no token came back');
  },
};

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

export async function checkBotToken(config: Config, tokens: TokenSource): Promise<CheckResult> {
  const name = 'bot credentials';
  if (!config.botAuth.enabled)
    return skip(
      name,
      'not configured: MicrosoftAppId is unset, so Bot Framework authentication is off (as in the Agents Playground)',
    );
  const who = `${config.botAuth.appId} (${config.botAuth.appType})`;
  try {
    await tokens.bot(config.botAuth);
    return pass(name, `${who} obtained a Bot Framework token`);
  } catch (e) {
    return fail(
      name,
      `${who} could not obtain a Bot Framework token: ${message(e)}`,
      config.botAuth.appType === 'UserAssignedMSI'
        ? 'run this inside the App Service, where the managed identity is, and check MicrosoftAppId is its client id'
        : 'check MicrosoftAppId, MicrosoftAppTenantId and MicrosoftAppPassword (a client secret expires: admin guide, step 10)',
    );
  }
}

export async function checkGraphToken(config: Config, tokens: TokenSource): Promise<CheckResult> {
  const name = 'Graph credentials';
  const { credential, baseUrl } = config.graph;
  if (credential.kind === 'none')
    return skip(name, `not configured: the local lists service (${baseUrl}) takes no token`);
  const scope = `${new URL(baseUrl).origin}/.default`;
  const who = credential.kind === 'clientSecret' ? `app ${credential.clientId}` : 'the managed identity';
  try {
    await tokens.graph(credential, scope);
    return pass(name, `${who} obtained a token for ${scope}`);
  } catch (e) {
    return fail(
      name,
      `${who} could not obtain a token for ${scope}: ${message(e)}`,
      credential.kind === 'clientSecret'
        ? 'check AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, and that Sites.Selected has admin consent (admin guide, step 2a)'
        : 'run this inside the App Service and check GRAPH_USE_MANAGED_IDENTITY and AZURE_CLIENT_ID (admin guide, step 2a)',
    );
  }
}

/** `npm run provision` with this site, as the admin would type it. */
export function provisionCommand(config: Config): string {
  return config.graph.siteId === 'root'
    ? 'npm run provision'
    : `npm run provision -- --site '${config.graph.siteId}'`;
}

export async function checkSite(
  config: Config,
  client: Client,
): Promise<{ result: CheckResult; siteId?: string }> {
  const name = 'site';
  try {
    const site = (await client.api(sitePath(config.graph.siteId)).select('id,displayName,webUrl').get()) as {
      id: string;
      displayName?: string;
      webUrl?: string;
    };
    return {
      result: pass(name, `${site.displayName ?? site.id} (${site.webUrl ?? site.id}) resolves`),
      siteId: site.id,
    };
  } catch (e) {
    const error = toListsError(e);
    const fix =
      error.status === 404
        ? 'set SHAREPOINT_SITE_URL to the board site (the team\'s Files tab → "Open in SharePoint")'
        : error.status === 403 || error.status === 401
          ? 'grant the app on this site with Sites.Selected (admin guide, step 2b)'
          : `check GRAPH_BASE_URL (${config.graph.baseUrl}) is reachable from here`;
    return { result: fail(name, `${config.graph.siteId} did not resolve: ${error.message}`, fix) };
  }
}

/** A value for each column the list insists on, unique to this run. */
function scratchFields(def: ListDef, token: string): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    Title: 'Partnership Board doctor: scratch item, safe to delete',
  };
  const valueFor = (col: ColumnDef): unknown => {
    switch (col.type) {
      case 'choice':
        return col.choices?.[0];
      case 'dateOnly':
        return SCRATCH_DAY;
      case 'dateTime':
        return new Date().toISOString();
      case 'boolean':
        return false;
      case 'number':
        return 0;
      default:
        return `doctor-${token}`;
    }
  };
  for (const col of def.columns)
    if (col.required || col.unique || col.name === SCRATCH_DATE_COLUMN) fields[col.name] = valueFor(col);
  return fields;
}

/** The day the conformance suite writes too: a summer day, when London is UTC+01:00. */
const SCRATCH_DAY = '2018-09-03';
const SCRATCH_LIST = 'Actions';
const SCRATCH_DATE_COLUMN = 'DueDate';

function utcOffset(minutes: number): string {
  const sign = minutes < 0 ? '−' : '+';
  const m = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/**
 * Writes a scratch item to Actions and deletes it: Sites.Selected allows a write. Its date-only
 * column tells the site's time zone on the way: Graph v1.0 does not expose a site's regional
 * settings (`siteSettings.timeZone` is in the beta API only,
 * learn.microsoft.com/graph/api/resources/sitesettings), and SharePoint stores a date-only value as
 * the site zone's midnight, which the lists layer's date reading assumes (bot/sharepoint/dates.ts).
 */
export async function checkWriteAndTimeZone(
  config: Config,
  client: Client,
  siteId: string,
): Promise<CheckResult[]> {
  const write = 'write access';
  const zone = 'site time zone';
  const items = `/sites/${siteId}/lists/${SCRATCH_LIST}/items`;
  let id: string;
  try {
    const created = (await client
      .api(items)
      .post({ fields: scratchFields(listDef(SCRATCH_LIST), randomUUID()) })) as { id: string };
    id = created.id;
  } catch (e) {
    const error = toListsError(e);
    const fix =
      error.status === 403 || error.status === 401
        ? 'the app may only read this site: grant it "write" with Sites.Selected (admin guide, step 2b)'
        : error.status === 404
          ? `the ${SCRATCH_LIST} list is missing: ${provisionCommand(config)}`
          : 'see the error; run the doctor again once the site answers';
    return [
      fail(
        write,
        `could not write a scratch item to ${SCRATCH_LIST} (${error.status}): ${error.message}`,
        fix,
      ),
      skip(zone, 'needs the scratch item'),
    ];
  }

  const results: CheckResult[] = [];
  let stored: string | undefined;
  try {
    const item = (await client
      .api(`${items}/${id}`)
      .expand(`fields($select=${SCRATCH_DATE_COLUMN})`)
      .get()) as { fields?: Record<string, unknown> };
    const value = item.fields?.[SCRATCH_DATE_COLUMN];
    stored = typeof value === 'string' ? value : undefined;
  } catch (e) {
    stored = undefined;
    results.push(
      fail(zone, `could not read the scratch item back: ${toListsError(e).message}`, 'run the doctor again'),
    );
  }
  try {
    await client.api(`${items}/${id}`).delete();
    results.unshift(pass(write, `a scratch item was written to ${SCRATCH_LIST} and deleted`));
  } catch (e) {
    results.unshift(
      fail(
        write,
        `wrote scratch item ${id} to ${SCRATCH_LIST} but could not delete it: ${toListsError(e).message}`,
        `delete item ${id} from the ${SCRATCH_LIST} list by hand; the bot needs the "write" role (step 2b)`,
      ),
    );
  }
  if (results.some((r) => r.check === zone)) return results;

  const day = readDateOnly(stored);
  if (stored && day === SCRATCH_DAY) {
    const at = Date.parse(stored);
    const detail = Number.isNaN(at)
      ? `date-only values come back as the day itself (${stored})`
      : `midnight of ${SCRATCH_DAY} is stored as ${stored}: the site's zone was ${utcOffset(
          Math.round((Date.parse(`${SCRATCH_DAY}T00:00:00Z`) - at) / 60_000),
        )} that day, and the bot reads the day right`;
    results.push(pass(zone, detail));
  } else {
    results.push(
      fail(
        zone,
        `date-only ${SCRATCH_DAY} came back as ${stored ?? 'nothing'}, which the bot reads as ${day ?? 'no date'}`,
        'set the site\'s time zone (Site settings → Regional settings) to one from UTC−10 to UTC+13, e.g. "(UTC+00:00) Dublin, Edinburgh, Lisbon, London"',
      ),
    );
  }
  return results;
}

/**
 * Every list and column as the schema says (type, index, unique values, choices): provisioning's
 * own read-back, run as a dry run, so the doctor and `npm run provision` can never disagree.
 */
export async function checkLists(config: Config, client: Client, logger: Logger): Promise<CheckResult[]> {
  let report;
  try {
    report = await provision(client, config.graph.siteId, logger, { dryRun: true });
  } catch (e) {
    const detail = e instanceof ProvisionError ? e.message : message(e);
    return [fail('lists', `could not read the lists: ${detail}`, 'fix the site check above first')];
  }
  const fix = provisionCommand(config);
  return report.lists.map((list) => {
    const name = `list ${list.list}`;
    if (list.status === 'created') return fail(name, 'missing', fix);
    const said = report.lines.filter(
      (l) =>
        l.includes(` ${list.list}/`) || l.startsWith(`${list.list}/`) || l.includes(`list ${list.list} `),
    );
    if (list.typeMismatches.length)
      return fail(
        name,
        said.join('; '),
        "provisioning never changes a column's type: rename or delete that column in the list settings, then " +
          fix,
      );
    if (said.length && !said.every((l) => l.endsWith(': up to date')))
      return fail(name, said.join('; '), fix);
    return pass(name, `${listDef(list.list as never).columns.length + 1} columns as the schema says`);
  });
}

/** The app package's bot id (every bot and message extension in it) is `MicrosoftAppId`. */
export async function checkManifest(config: Config, packagePath: string): Promise<CheckResult> {
  const name = 'app package';
  const appId = config.botAuth.appId;
  if (!appId) return skip(name, 'not configured: MicrosoftAppId is unset, so there is no bot id to compare');
  let manifest: { bots?: { botId?: string }[]; composeExtensions?: { botId?: string }[] };
  try {
    const entry = readZipEntry(await readFile(packagePath), 'manifest.json');
    if (!entry) throw new Error('it has no manifest.json');
    manifest = JSON.parse(entry.toString('utf8')) as typeof manifest;
  } catch (e) {
    return fail(
      name,
      `could not read ${packagePath}: ${message(e)}`,
      'build the package with `npm run package` (admin guide, step 6), or pass --package <the zip you uploaded>',
    );
  }
  const ids = [...(manifest.bots ?? []), ...(manifest.composeExtensions ?? [])].map((b) => b.botId);
  const wrong = [...new Set(ids.filter((id) => id !== appId))];
  if (!ids.length)
    return fail(name, `${packagePath} declares no bot`, 'rebuild it with `npm run package` (step 6)');
  if (wrong.length)
    return fail(
      name,
      `the package's bot id ${wrong.join(', ')} is not MicrosoftAppId ${appId}`,
      `rebuild it with MicrosoftAppId=${appId} npm run package, and upload it again (admin guide, steps 6 and 7)`,
    );
  return pass(name, `its bot id is MicrosoftAppId (${appId})`);
}

/** PUBLIC_BASE_URL (or the bot's own address) answers /healthz with ok. */
export async function checkPublicUrl(config: Config, timeoutMs = 5_000): Promise<CheckResult> {
  const name = 'public address';
  const configured = config.consultations.publicBaseUrl;
  const base = configured ?? `http://127.0.0.1:${config.port}`;
  const what = configured ? base : `${base} (PUBLIC_BASE_URL is unset: the bot's own address)`;
  let res: Response;
  try {
    res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    return fail(
      name,
      `${what}/healthz did not answer: ${cause ?? message(e)}`,
      'check PUBLIC_BASE_URL is the address people reach the bot at, that its DNS and certificate are in place, and that the App Service is running (`az webapp log tail`)',
    );
  }
  const body = (await res.json().catch(() => undefined)) as { ok?: unknown } | undefined;
  if (res.ok && body?.ok === true) return pass(name, `${what}/healthz answers ok`);
  return fail(
    name,
    `${what}/healthz answered ${res.status}: ${JSON.stringify(body ?? null).slice(0, 200)}`,
    'read what /healthz names (a missing list: npm run provision); the log stream says more',
  );
}
