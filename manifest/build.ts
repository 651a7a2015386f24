import { readFileSync } from 'node:fs';
import JSZip from 'jszip';

/**
 * The Teams app package: the manifest template with this deployment's ids and host filled in, the
 * two icons, zipped flat (Teams refuses folders in the package). Pure apart from reading the
 * template and icons, so tests build exactly what `npm run package` uploads.
 */

/** Newest released schema that `@microsoft/app-manifest` bundles; the template says the same. */
export const MANIFEST_VERSION = '1.30';

export const ICONS = {
  color: { file: 'color.png', source: 'color.svg', size: 192 },
  outline: { file: 'outline.png', source: 'outline.svg', size: 32 },
} as const;

export const PACKAGE_FILE = 'partnership-board.zip';

/** Fixed, obviously-fake ids for a package built without a deployment's settings. */
export const DEV_BOT_ID = '00000000-0000-4000-8000-0000000000b0';
export const DEV_BASE_URL = 'https://localhost:3978';

const MANIFEST_DIR = new URL('./', import.meta.url);
// Zip entries carry this date, so the same inputs give the same bytes.
const ZIP_DATE = new Date('2018-02-26T00:00:00Z');

export interface PackageSettings {
  /** The Teams app id (manifest `id`). */
  teamsAppId: string;
  /** The bot's Microsoft App Id: the app registration or the user-assigned managed identity. */
  botId: string;
  /** The Entra app the tab asks for SSO tokens for (`webApplicationInfo`). */
  ssoAppId: string;
  ssoResource: string;
  /** `https://host[:port]`, where the bot serves `/api/messages` and the tab under `/tab`. */
  baseUrl: string;
  /** The host (with a port when not 443) for `validDomains`. */
  domain: string;
  version: string;
  developerName: string;
  websiteUrl: string;
  privacyUrl: string;
  termsUrl: string;
}

export interface SettingsResult {
  settings: PackageSettings;
  /** Defaults that only make sense on a developer's machine. */
  warnings: string[];
  /** Values that cannot make a valid package. */
  errors: string[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

function text(env: Record<string, string | undefined>, key: string): string | undefined {
  const v = env[key]?.trim();
  return v ? v : undefined;
}

/**
 * Settings from the environment: `MicrosoftAppId` (the bot), `TEAMS_APP_ID` (else the bot's id),
 * `TAB_SSO_CLIENT_ID` (else the bot's id), `PUBLIC_BASE_URL` or `BOT_DOMAIN` (the host), and
 * `TEAMS_APP_VERSION`, `TEAMS_APP_DEVELOPER_NAME`, `TEAMS_APP_WEBSITE_URL`, `TEAMS_APP_PRIVACY_URL`,
 * `TEAMS_APP_TERMS_URL`. Anything missing falls back to a developer default, with a warning.
 */
export function settingsFromEnv(
  env: Record<string, string | undefined>,
  packageVersion: string,
): SettingsResult {
  const warnings: string[] = [];
  const errors: string[] = [];

  const botId = text(env, 'MicrosoftAppId') ?? DEV_BOT_ID;
  if (botId === DEV_BOT_ID)
    warnings.push(`MicrosoftAppId is not set: the package uses the placeholder bot id ${DEV_BOT_ID}`);
  const teamsAppId = text(env, 'TEAMS_APP_ID') ?? botId;
  const ssoAppId = text(env, 'TAB_SSO_CLIENT_ID') ?? botId;
  if (!text(env, 'TAB_SSO_CLIENT_ID') && env.MicrosoftAppType === 'UserAssignedMSI')
    warnings.push(
      'TAB_SSO_CLIENT_ID is not set: a managed identity cannot issue SSO tokens for the tab; name an app registration',
    );
  for (const [name, id] of [
    ['MicrosoftAppId', botId],
    ['TEAMS_APP_ID', teamsAppId],
    ['TAB_SSO_CLIENT_ID', ssoAppId],
  ] as const) {
    if (!GUID.test(id)) errors.push(`${name} must be a GUID, not "${id}"`);
  }

  let base: URL;
  const publicBase = text(env, 'PUBLIC_BASE_URL');
  const domainOnly = text(env, 'BOT_DOMAIN');
  try {
    base = new URL(publicBase ?? (domainOnly ? `https://${domainOnly}` : DEV_BASE_URL));
  } catch {
    errors.push(`PUBLIC_BASE_URL / BOT_DOMAIN is not a URL or host: "${publicBase ?? domainOnly}"`);
    base = new URL(DEV_BASE_URL);
  }
  if (!publicBase && !domainOnly)
    warnings.push(
      `Neither PUBLIC_BASE_URL nor BOT_DOMAIN is set: the tab points at ${DEV_BASE_URL}, which only your machine can reach`,
    );
  if (base.protocol !== 'https:') errors.push(`Teams loads tabs only over https, not ${base.origin}`);
  const baseUrl = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;

  const version = text(env, 'TEAMS_APP_VERSION') ?? packageVersion;
  if (!SEMVER.test(version))
    errors.push(`TEAMS_APP_VERSION must be major.minor.patch (Teams compares it), not "${version}"`);

  const websiteUrl = text(env, 'TEAMS_APP_WEBSITE_URL') ?? baseUrl;
  return {
    settings: {
      teamsAppId,
      botId,
      ssoAppId,
      ssoResource: `api://${base.host}/${ssoAppId}`,
      baseUrl,
      domain: base.host,
      version,
      developerName: text(env, 'TEAMS_APP_DEVELOPER_NAME') ?? 'Partnership Board',
      websiteUrl,
      privacyUrl: text(env, 'TEAMS_APP_PRIVACY_URL') ?? websiteUrl,
      termsUrl: text(env, 'TEAMS_APP_TERMS_URL') ?? websiteUrl,
    },
    warnings,
    errors,
  };
}

/** The `{{NAME}}` placeholders of the template and the setting each one takes. */
export function placeholderValues(s: PackageSettings): Record<string, string> {
  return {
    APP_VERSION: s.version,
    TEAMS_APP_ID: s.teamsAppId,
    BOT_ID: s.botId,
    SSO_APP_ID: s.ssoAppId,
    SSO_RESOURCE: s.ssoResource,
    BASE_URL: s.baseUrl,
    DOMAIN: s.domain,
    DEVELOPER_NAME: s.developerName,
    WEBSITE_URL: s.websiteUrl,
    PRIVACY_URL: s.privacyUrl,
    TERMS_URL: s.termsUrl,
  };
}

export function readTemplate(): string {
  return readFileSync(new URL('manifest.template.json', MANIFEST_DIR), 'utf8');
}

export function readIcon(file: string): Buffer {
  return readFileSync(new URL(file, MANIFEST_DIR));
}

/** Fills the placeholders inside the template's string values (never in its structure). */
export function renderManifest(template: string, settings: PackageSettings): Record<string, unknown> {
  const values = placeholderValues(settings);
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string')
      return node.replace(/\{\{([A-Z_]+)\}\}/g, (token, name: string) => {
        const value = values[name];
        if (value === undefined) throw new Error(`The manifest template has an unknown placeholder ${token}`);
        return value;
      });
    if (Array.isArray(node)) return node.map(fill);
    if (node && typeof node === 'object')
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v)]));
    return node;
  };
  return fill(JSON.parse(template)) as Record<string, unknown>;
}

export interface AppPackage {
  manifest: Record<string, unknown>;
  /** Every file in the zip by name, manifest.json included. */
  files: Map<string, Buffer>;
}

export function buildPackage(settings: PackageSettings): AppPackage {
  const manifest = renderManifest(readTemplate(), settings);
  const files = new Map<string, Buffer>([['manifest.json', Buffer.from(JSON.stringify(manifest, null, 2))]]);
  for (const icon of Object.values(ICONS)) files.set(icon.file, readIcon(icon.file));
  return { manifest, files };
}

export async function zipPackage(pkg: AppPackage): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, bytes] of pkg.files) zip.file(name, bytes, { date: ZIP_DATE });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX' });
}

/** The files inside a zip, for checking what was written. */
export async function unzipPackage(zipBytes: Buffer): Promise<Map<string, Buffer>> {
  const zip = await JSZip.loadAsync(zipBytes);
  const files = new Map<string, Buffer>();
  for (const entry of Object.values(zip.files)) {
    files.set(entry.name, entry.dir ? Buffer.alloc(0) : await entry.async('nodebuffer'));
  }
  return files;
}
