import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { MANIFEST_VERSION, type AppPackage } from './build.js';
import { decodePng, isPng } from './png.js';

/**
 * Offline validation of the app package: Microsoft's JSON schema for the manifest (bundled in
 * `@microsoft/app-manifest`, draft-04, checked with ajv), then the rules Teams enforces on upload
 * or at run time that the schema does not say: icon sizes and transparency, id formats, command
 * limits, tab URLs inside `validDomains`, a flat zip.
 */

const require = createRequire(import.meta.url);

/** Teams shows at most ten commands a scope; titles and descriptions are cut beyond these. */
export const COMMAND_LIMITS = { commands: 10, title: 32, description: 128 } as const;
export const BOT_SCOPES = ['personal', 'team', 'groupChat'] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
/** Static-tab entity ids Teams reserves for its own tabs; they carry no URL. */
const RESERVED_TABS = new Set(['conversations', 'about']);

export function schemaPath(version: string = MANIFEST_VERSION): string {
  return require.resolve(
    `@microsoft/app-manifest/build/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`,
  );
}

type Validate = ((data: unknown) => boolean) & {
  errors?: { instancePath: string; message?: string; params?: unknown }[] | null;
};
const compiled = new Map<string, Validate>();

function schemaValidator(version: string): Validate {
  const cached = compiled.get(version);
  if (cached) return cached;
  const schema = JSON.parse(readFileSync(schemaPath(version), 'utf8')) as Record<string, unknown>;
  // The manifest schemas are draft-04, which ajv 8 reads only through ajv-draft-04.
  const Draft04 = AjvDraft04 as unknown as typeof Ajv;
  const ajv = new Draft04({ allErrors: true, strict: false });
  const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
  addFormats(ajv);
  const validate = ajv.compile(schema) as Validate;
  compiled.set(version, validate);
  return validate;
}

/** What Microsoft's schema says about the manifest, one line a problem. */
export function schemaProblems(manifest: Record<string, unknown>): string[] {
  const version = typeof manifest.manifestVersion === 'string' ? manifest.manifestVersion : '';
  if (version !== MANIFEST_VERSION)
    return [`manifestVersion is "${version}"; this package is validated against ${MANIFEST_VERSION}`];
  const validate = schemaValidator(version);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e) =>
    `schema: ${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params ?? {})}`.trim(),
  );
}

interface Command {
  title?: string;
  description?: string;
}
interface CommandList {
  scopes?: string[];
  commands?: Command[];
}
interface Bot {
  botId?: string;
  scopes?: string[];
  commandLists?: CommandList[];
}
interface MessageCommand {
  id?: string;
  type?: string;
  title?: string;
  description?: string;
  context?: string[];
  fetchTask?: boolean;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

function domainCovers(domains: string[], host: string): boolean {
  return domains.some((d) =>
    d.startsWith('*.') ? host.endsWith(d.slice(1)) && host.length > d.length - 1 : d === host,
  );
}

export function iconProblems(name: string, bytes: Buffer | undefined, kind: 'color' | 'outline'): string[] {
  if (!bytes) return [`icon ${name} is not in the package`];
  if (!isPng(bytes)) return [`icon ${name} is not a PNG`];
  let png;
  try {
    png = decodePng(bytes);
  } catch (err) {
    return [`icon ${name}: ${(err as Error).message}`];
  }
  const size = kind === 'color' ? 192 : 32;
  const problems: string[] = [];
  if (png.width !== size || png.height !== size)
    problems.push(`icon ${name} is ${png.width}×${png.height}; Teams needs ${size}×${size}`);
  if (kind === 'outline') {
    if (!png.hasAlpha) return [...problems, `outline icon ${name} has no transparency`];
    let transparent = 0;
    let coloured = 0;
    for (let i = 0; i < png.rgba.length; i += 4) {
      const [r, g, b, a] = [png.rgba[i]!, png.rgba[i + 1]!, png.rgba[i + 2]!, png.rgba[i + 3]!];
      if (a === 0) transparent++;
      // Anti-aliased edges are faint white; anything visibly tinted is not "white on transparent".
      else if (a > 16 && (r < 240 || g < 240 || b < 240)) coloured++;
    }
    if (coloured) problems.push(`outline icon ${name} has ${coloured} pixels that are not white`);
    if (transparent < (size * size) / 4)
      problems.push(`outline icon ${name} must be white on a transparent background`);
  }
  return problems;
}

function commandListProblems(bot: Bot): string[] {
  const problems: string[] = [];
  const lists = bot.commandLists ?? [];
  for (const scope of bot.scopes ?? []) {
    const forScope = lists.filter((l) => l.scopes?.includes(scope));
    if (forScope.length !== 1)
      problems.push(`bot scope ${scope} has ${forScope.length} command lists; it needs exactly one`);
  }
  lists.forEach((list, i) => {
    const where = `command list ${i + 1} (${(list.scopes ?? []).join(', ')})`;
    const commands = list.commands ?? [];
    if (commands.length > COMMAND_LIMITS.commands)
      problems.push(
        `${where} has ${commands.length} commands; Teams shows at most ${COMMAND_LIMITS.commands}`,
      );
    const seen = new Set<string>();
    for (const c of commands) {
      const title = c.title ?? '';
      if (!title) problems.push(`${where} has a command without a title`);
      if (title.length > COMMAND_LIMITS.title)
        problems.push(`${where}: title "${title}" is over ${COMMAND_LIMITS.title} characters`);
      if ((c.description ?? '').length > COMMAND_LIMITS.description)
        problems.push(`${where}: description of "${title}" is over ${COMMAND_LIMITS.description} characters`);
      if (!c.description) problems.push(`${where}: "${title}" has no description`);
      if (seen.has(title.toLowerCase())) problems.push(`${where}: "${title}" is listed twice`);
      seen.add(title.toLowerCase());
    }
    for (const scope of list.scopes ?? [])
      if (!(bot.scopes ?? []).includes(scope))
        problems.push(`${where} is for scope ${scope}, which the bot does not have`);
  });
  return problems;
}

/** The rules the schema does not check. */
export function ruleProblems(pkg: AppPackage): string[] {
  const m = pkg.manifest as Record<string, unknown> & {
    id?: string;
    version?: string;
    bots?: Bot[];
    composeExtensions?: { botId?: string; commands?: MessageCommand[] }[];
    staticTabs?: { entityId?: string; contentUrl?: string; websiteUrl?: string; name?: string }[];
    configurableTabs?: { configurationUrl?: string }[];
    validDomains?: string[];
    webApplicationInfo?: { id?: string; resource?: string };
    icons?: { color?: string; outline?: string };
  };
  const problems: string[] = [];
  const guid = (what: string, value: string | undefined) => {
    if (!value || !GUID.test(value)) problems.push(`${what} must be a GUID, not "${value ?? ''}"`);
  };

  guid('id', m.id);
  if (!SEMVER.test(m.version ?? '')) problems.push(`version must be major.minor.patch, not "${m.version}"`);

  const bots = m.bots ?? [];
  if (bots.length !== 1) problems.push(`the app needs exactly one bot, not ${bots.length}`);
  const bot = bots[0] ?? {};
  guid('bots[0].botId', bot.botId);
  for (const scope of BOT_SCOPES)
    if (!(bot.scopes ?? []).includes(scope)) problems.push(`the bot is not installable in ${scope}`);
  problems.push(...commandListProblems(bot));

  for (const ext of m.composeExtensions ?? []) {
    if (ext.botId !== bot.botId) problems.push('the message extension must be served by the same bot');
    for (const c of ext.commands ?? []) {
      if ((c.title ?? '').length > COMMAND_LIMITS.title)
        problems.push(`message action "${c.title}" has a title over ${COMMAND_LIMITS.title} characters`);
      if ((c.description ?? '').length > COMMAND_LIMITS.description)
        problems.push(`message action "${c.title}" has a description over ${COMMAND_LIMITS.description}`);
      if (c.type === 'action' && !c.fetchTask)
        problems.push(`message action "${c.id}" must fetch its dialog from the bot (fetchTask)`);
    }
  }

  const domains = m.validDomains ?? [];
  for (const d of domains)
    if (/^[a-z]+:\/\//i.test(d) || d.includes('/'))
      problems.push(`validDomains entry "${d}" must be a host, without scheme or path`);
  const urls: [string, string | undefined][] = [
    ...(m.staticTabs ?? []).flatMap((t): [string, string | undefined][] =>
      RESERVED_TABS.has(t.entityId ?? '')
        ? []
        : [
            [`static tab ${t.entityId} contentUrl`, t.contentUrl],
            [`static tab ${t.entityId} websiteUrl`, t.websiteUrl],
          ],
    ),
    ...(m.configurableTabs ?? []).map((t): [string, string | undefined] => [
      'configurable tab configurationUrl',
      t.configurationUrl,
    ]),
  ];
  for (const [what, url] of urls) {
    if (url === undefined) continue;
    const host = hostOf(url);
    if (!host || !url.startsWith('https://')) problems.push(`${what} must be an https URL, not "${url}"`);
    else if (!domainCovers(domains, host))
      problems.push(`${what} is on ${host}, which is not in validDomains`);
  }
  const entityIds = (m.staticTabs ?? []).map((t) => t.entityId ?? '');
  if (new Set(entityIds).size !== entityIds.length) problems.push('static tab entityIds must be unique');
  for (const t of m.staticTabs ?? [])
    if (!RESERVED_TABS.has(t.entityId ?? '') && (!t.name || !t.contentUrl))
      problems.push(`static tab ${t.entityId} needs a name and a contentUrl`);

  const sso = m.webApplicationInfo;
  if (sso) {
    guid('webApplicationInfo.id', sso.id);
    const resourceHost = sso.resource?.startsWith('api://') ? sso.resource.slice(6).split('/')[0] : undefined;
    if (!resourceHost || !domainCovers(domains, resourceHost))
      problems.push(
        `webApplicationInfo.resource must be api://<a valid domain>/<app id>, not "${sso.resource ?? ''}"`,
      );
  }

  problems.push(...iconProblems(m.icons?.color ?? '', pkg.files.get(m.icons?.color ?? ''), 'color'));
  problems.push(...iconProblems(m.icons?.outline ?? '', pkg.files.get(m.icons?.outline ?? ''), 'outline'));

  for (const name of pkg.files.keys())
    if (name.includes('/')) problems.push(`the package must be flat; ${name} is in a folder`);
  if (!pkg.files.has('manifest.json')) problems.push('the package has no manifest.json');
  return problems;
}

/** Everything wrong with an app package; empty when Teams should accept it. */
export function packageProblems(pkg: AppPackage): string[] {
  return [...schemaProblems(pkg.manifest), ...ruleProblems(pkg)];
}

/** The bot's command titles per scope, as the manifest lists them. */
export function manifestCommands(manifest: Record<string, unknown>): Map<string, string[]> {
  const bot = ((manifest.bots as Bot[] | undefined) ?? [])[0] ?? {};
  const byScope = new Map<string, string[]>();
  for (const list of bot.commandLists ?? [])
    for (const scope of list.scopes ?? [])
      byScope.set(scope, [...(byScope.get(scope) ?? []), ...(list.commands ?? []).map((c) => c.title ?? '')]);
  return byScope;
}
