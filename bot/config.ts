import { z } from 'zod';

/**
 * Configuration, read once from the environment and validated. A missing or malformed value stops
 * the process at start with the variable's name, never later in a user's turn.
 */

const LOCAL_GRAPH_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const csv = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );

const csvKeepCase = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() ? v.trim() : undefined));

const EnvSchema = z.object({
  PORT: port(3978),
  HOST: z.string().default('0.0.0.0'),
  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  MicrosoftAppTenantId: optionalText,
  GRAPH_BASE_URL: z.url().optional(),
  SHAREPOINT_SITE_ID: optionalText,
  SHAREPOINT_SITE_URL: z.url().optional(),
  AZURE_TENANT_ID: optionalText,
  AZURE_CLIENT_ID: optionalText,
  AZURE_CLIENT_SECRET: optionalText,
  GRAPH_USE_MANAGED_IDENTITY: z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((v) => v === 'true' || v === '1'),
  LOCAL_LISTS_PORT: port(3979),
  DATA_DIR: z.string().default('.data'),
  BOARD_NAME: z.string().default('Community Strategy Partnership Board'),
  BOARD_OFFICERS: csv,
  BOARD_CHAIRS: csv,
  SCHEDULER_ENABLED: z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? undefined : v === 'true' || v === '1')),
  SCHEDULER_SECRET: optionalText.refine((v) => v === undefined || v.length >= 16, {
    message: 'must be at least 16 characters (it guards POST /api/scheduler/run)',
  }),
  REMINDERS_AT: z
    .string()
    .regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'must be a London time as HH:MM')
    .default('08:30'),
  DIGEST_AT: z
    .string()
    .regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'must be a London time as HH:MM')
    .default('09:00'),
  /** The bot's address as people's browsers reach it (export download links); the bot's own when unset. */
  PUBLIC_BASE_URL: z.url().optional(),
  CONSULTATION_SECRET: optionalText.refine((v) => v === undefined || v.length >= 32, {
    message: 'must be at least 32 characters (it keeps anonymous answers anonymous and signs export links)',
  }),
  APPLICATIONINSIGHTS_CONNECTION_STRING: optionalText,
  /** The role name Application Insights shows. */
  OTEL_SERVICE_NAME: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
  TAB_SSO_CLIENT_ID: optionalText,
  TAB_SSO_TENANT_ID: optionalText,
  TAB_SSO_AUDIENCE: csvKeepCase,
  TAB_SSO_AUTHORITY: z.url().optional(),
  TAB_DEV_IDENTITY: z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? undefined : v === 'true' || v === '1')),
  /** Set by App Service to the app's default host name. */
  WEBSITE_HOSTNAME: optionalText,
});

export type GraphCredential =
  | { kind: 'none' }
  | { kind: 'clientSecret'; tenantId: string; clientId: string; clientSecret: string }
  | { kind: 'managedIdentity'; clientId?: string | undefined };

export interface BotAuthConfig {
  /** Inbound JWT validation and outbound tokens are on exactly when an app id is set. */
  enabled: boolean;
  appId?: string | undefined;
  appPassword?: string | undefined;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId?: string | undefined;
  /** botbuilder's own settings for other clouds (and the tests' stand-in identity provider), as set. */
  overrides?: Partial<Record<BotAuthOverrideKey, string>>;
}

/** botbuilder's configuration keys, including the documented overrides for other clouds and tests. */
const BOT_AUTH_OVERRIDE_KEYS = [
  'ToBotFromChannelOpenIdMetadataUrl',
  'ToBotFromChannelTokenIssuer',
  'ToBotFromEmulatorOpenIdMetadataUrl',
  'ToChannelFromBotLoginUrl',
  'ToChannelFromBotOAuthScope',
  'OAuthUrl',
  'CallerId',
  'ValidateAuthority',
] as const;
type BotAuthOverrideKey = (typeof BOT_AUTH_OVERRIDE_KEYS)[number];

export interface TelemetryConfig {
  /** Telemetry is on exactly when this is set. */
  connectionString?: string | undefined;
  /** The role name Application Insights shows (`OTEL_SERVICE_NAME`, else `partnership-board`). */
  serviceName: string;
}

export interface Config {
  port: number;
  host: string;
  botAuth: BotAuthConfig;
  graph: {
    baseUrl: string;
    /** `root` locally; the site id (or `host:/sites/path:` form) in production. */
    siteId: string;
    credential: GraphCredential;
    /** True when the lists live in the local Graph-compatible service. */
    local: boolean;
  };
  localListsPort: number;
  dataDir: string;
  boardName: string;
  roles: { officers: string[]; chairs: string[] };
  scheduler: {
    /** The in-process timer; on by default in production only, so test runs never send reminders. */
    enabled: boolean;
    /** Shared secret for POST /api/scheduler/run; the route exists only when it is set. */
    secret?: string | undefined;
    /** London times: owners' reminders every day, then the chairs' digest on Mondays. */
    remindersAt: string;
    digestAt: string;
  };
  tab: TabConfig;
  consultations: {
    /** Keys the one-way respondent hashes and signs export links; a development key when unset. */
    secret: string;
    /** Where export links point; undefined: the bot's own listening address. */
    publicBaseUrl?: string;
  };
  telemetry: TelemetryConfig;
  logLevel: string;
  production: boolean;
}

interface TabConfig {
  /** Entra SSO for the tab's API calls; absent when no app id is configured (local dev). */
  sso?:
    { tenantId: string; clientId: string; audiences: string[]; authority?: string | undefined } | undefined;
  /** `?as=<person>` identities from the dev fixture; never in production. */
  devIdentity: boolean;
}

/** Used only outside production, where anonymity is not real anyway (local lists, test tenants). */
const DEVELOPMENT_CONSULTATION_SECRET = 'development-only-consultation-secret-not-for-production';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** `https://contoso.sharepoint.com/sites/board` → the Graph site address `contoso.sharepoint.com:/sites/board:`. */
export function siteIdFromUrl(url: string): string {
  const u = new URL(url);
  const path = u.pathname.replace(/\/+$/, '');
  return path ? `${u.hostname}:${path}:` : u.hostname;
}

function isLocalGraph(baseUrl: string): boolean {
  return LOCAL_GRAPH_HOSTS.has(new URL(baseUrl).hostname);
}

/**
 * App Service passes a Key Vault reference through unresolved (the literal `@Microsoft.KeyVault(…)`)
 * when the identity cannot read the secret; taken as a value, it would be a wrong secret that works.
 */
function unresolvedKeyVaultReferences(env: Record<string, string | undefined>): string[] {
  return Object.entries(env)
    .filter(([, v]) => typeof v === 'string' && v.trim().startsWith('@Microsoft.KeyVault('))
    .map(([k]) => `${k}: the Key Vault reference was not resolved (check the app's access to the vault)`);
}

export function loadConfig(env: NodeJS.ProcessEnv | Record<string, string | undefined>): Config {
  const unresolved = unresolvedKeyVaultReferences(env);
  if (unresolved.length) throw new ConfigError(unresolved);
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];

  const siteConfigured = Boolean(e.SHAREPOINT_SITE_ID || e.SHAREPOINT_SITE_URL);
  const baseUrl = (
    e.GRAPH_BASE_URL ??
    (siteConfigured ? 'https://graph.microsoft.com/v1.0' : `http://127.0.0.1:${e.LOCAL_LISTS_PORT}/v1.0`)
  ).replace(/\/+$/, '');
  const local = isLocalGraph(baseUrl);
  const siteId =
    e.SHAREPOINT_SITE_ID ?? (e.SHAREPOINT_SITE_URL ? siteIdFromUrl(e.SHAREPOINT_SITE_URL) : 'root');

  let credential: GraphCredential = { kind: 'none' };
  if (e.AZURE_CLIENT_SECRET || e.AZURE_TENANT_ID) {
    const missing = (['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET'] as const).filter(
      (k) => !e[k],
    );
    if (missing.length)
      problems.push(`${missing.join(', ')}: required with the other Graph client-secret variables`);
    else
      credential = {
        kind: 'clientSecret',
        tenantId: e.AZURE_TENANT_ID!,
        clientId: e.AZURE_CLIENT_ID!,
        clientSecret: e.AZURE_CLIENT_SECRET!,
      };
  } else if (e.GRAPH_USE_MANAGED_IDENTITY) {
    credential = { kind: 'managedIdentity', clientId: e.AZURE_CLIENT_ID };
  }
  if (!local && credential.kind === 'none') {
    problems.push(
      'AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET (or GRAPH_USE_MANAGED_IDENTITY=true): ' +
        `required to reach ${baseUrl}`,
    );
  }
  if (!local && !siteConfigured)
    problems.push('SHAREPOINT_SITE_ID or SHAREPOINT_SITE_URL: required with a remote GRAPH_BASE_URL');

  const authEnabled = Boolean(e.MicrosoftAppId);
  if (authEnabled && e.MicrosoftAppType !== 'UserAssignedMSI' && !e.MicrosoftAppPassword) {
    problems.push(
      'MicrosoftAppPassword: required when MicrosoftAppId is set (or set MicrosoftAppType=UserAssignedMSI)',
    );
  }
  if (authEnabled && e.MicrosoftAppType !== 'MultiTenant' && !e.MicrosoftAppTenantId) {
    problems.push(`MicrosoftAppTenantId: required when MicrosoftAppType is ${e.MicrosoftAppType}`);
  }
  const tab = tabConfig(e, problems);
  if (!e.CONSULTATION_SECRET && e.NODE_ENV === 'production')
    problems.push(
      'CONSULTATION_SECRET: required in production (32+ characters; it keeps anonymous consultation answers anonymous and signs export links)',
    );
  if (problems.length) throw new ConfigError(problems);

  return {
    port: e.PORT,
    host: e.HOST,
    botAuth: {
      enabled: authEnabled,
      appType: e.MicrosoftAppType,
      appId: e.MicrosoftAppId,
      appPassword: e.MicrosoftAppPassword,
      tenantId: e.MicrosoftAppTenantId,
      overrides: botAuthOverrides(env),
    },
    graph: { baseUrl, siteId, credential, local },
    localListsPort: e.LOCAL_LISTS_PORT,
    dataDir: e.DATA_DIR,
    boardName: e.BOARD_NAME,
    roles: { officers: e.BOARD_OFFICERS, chairs: e.BOARD_CHAIRS },
    scheduler: {
      enabled: e.SCHEDULER_ENABLED ?? e.NODE_ENV === 'production',
      secret: e.SCHEDULER_SECRET,
      remindersAt: e.REMINDERS_AT,
      digestAt: e.DIGEST_AT,
    },
    tab,
    consultations: {
      secret: e.CONSULTATION_SECRET ?? DEVELOPMENT_CONSULTATION_SECRET,
      ...(e.PUBLIC_BASE_URL
        ? { publicBaseUrl: e.PUBLIC_BASE_URL.replace(/\/+$/, '') }
        : e.WEBSITE_HOSTNAME
          ? { publicBaseUrl: `https://${e.WEBSITE_HOSTNAME}` }
          : {}),
    },
    telemetry: {
      connectionString: e.APPLICATIONINSIGHTS_CONNECTION_STRING,
      serviceName: e.OTEL_SERVICE_NAME ?? 'partnership-board',
    },
    logLevel: e.LOG_LEVEL,
    production: e.NODE_ENV === 'production',
  };
}

/** The botbuilder settings that are set (non-empty), passed through as they are. */
function botAuthOverrides(
  env: Record<string, string | undefined>,
): Partial<Record<BotAuthOverrideKey, string>> {
  const overrides: Partial<Record<BotAuthOverrideKey, string>> = {};
  for (const key of BOT_AUTH_OVERRIDE_KEYS) {
    const value = env[key];
    if (value) overrides[key] = value;
  }
  return overrides;
}

/**
 * The tab signs people in with Entra SSO when an app id and tenant are known (the bot's, unless the
 * tab has its own). Its audience is `api://<host>/<app id>` (PUBLIC_BASE_URL's host or App Service's
 * host name, unless TAB_SSO_AUDIENCE says otherwise) or the bare app id, as v2 tokens carry it.
 */
function tabConfig(e: z.infer<typeof EnvSchema>, problems: string[]): TabConfig {
  const production = e.NODE_ENV === 'production';
  const clientId = e.TAB_SSO_CLIENT_ID ?? e.MicrosoftAppId;
  const tenantId = e.TAB_SSO_TENANT_ID ?? e.MicrosoftAppTenantId ?? e.AZURE_TENANT_ID;
  if (e.TAB_DEV_IDENTITY && production)
    problems.push('TAB_DEV_IDENTITY: must not be on when NODE_ENV=production (anyone could act as anyone)');
  let sso: TabConfig['sso'];
  // Without a tenant (a multi-tenant bot) there is no issuer to trust: the tab refuses sign-ins.
  if (clientId && tenantId) {
    // The Application ID URI names the host people reach: a custom domain, or App Service's own.
    const hosts = [e.PUBLIC_BASE_URL ? new URL(e.PUBLIC_BASE_URL).host : undefined, e.WEBSITE_HOSTNAME];
    const audiences = e.TAB_SSO_AUDIENCE.length
      ? e.TAB_SSO_AUDIENCE
      : [...new Set(hosts.filter(Boolean).map((h) => `api://${h}/${clientId}`)), clientId];
    sso = {
      tenantId,
      clientId,
      audiences,
      authority: e.TAB_SSO_AUTHORITY,
    };
  }
  // On by default only where nothing is authenticated anyway: no app id, and not production.
  const devIdentity = e.TAB_DEV_IDENTITY ?? (!production && !clientId);
  return { sso, devIdentity: devIdentity && !production };
}
