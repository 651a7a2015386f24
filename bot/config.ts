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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
});

export type GraphCredential =
  | { kind: 'none' }
  | { kind: 'clientSecret'; tenantId: string; clientId: string; clientSecret: string }
  | { kind: 'managedIdentity'; clientId?: string };

export interface BotAuthConfig {
  /** Inbound JWT validation and outbound tokens are on exactly when an app id is set. */
  enabled: boolean;
  appId?: string;
  appPassword?: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId?: string;
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
    secret?: string;
    /** London times: owners' reminders every day, then the chairs' digest on Mondays. */
    remindersAt: string;
    digestAt: string;
  };
  logLevel: string;
  production: boolean;
}

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

export function isLocalGraph(baseUrl: string): boolean {
  return LOCAL_GRAPH_HOSTS.has(new URL(baseUrl).hostname);
}

export function loadConfig(env: NodeJS.ProcessEnv | Record<string, string | undefined>): Config {
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
    credential = { kind: 'managedIdentity', ...(e.AZURE_CLIENT_ID ? { clientId: e.AZURE_CLIENT_ID } : {}) };
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
  if (problems.length) throw new ConfigError(problems);

  return {
    port: e.PORT,
    host: e.HOST,
    botAuth: {
      enabled: authEnabled,
      appType: e.MicrosoftAppType,
      ...(e.MicrosoftAppId ? { appId: e.MicrosoftAppId } : {}),
      ...(e.MicrosoftAppPassword ? { appPassword: e.MicrosoftAppPassword } : {}),
      ...(e.MicrosoftAppTenantId ? { tenantId: e.MicrosoftAppTenantId } : {}),
    },
    graph: { baseUrl, siteId, credential, local },
    localListsPort: e.LOCAL_LISTS_PORT,
    dataDir: e.DATA_DIR,
    boardName: e.BOARD_NAME,
    roles: { officers: e.BOARD_OFFICERS, chairs: e.BOARD_CHAIRS },
    scheduler: {
      enabled: e.SCHEDULER_ENABLED ?? e.NODE_ENV === 'production',
      ...(e.SCHEDULER_SECRET ? { secret: e.SCHEDULER_SECRET } : {}),
      remindersAt: e.REMINDERS_AT,
      digestAt: e.DIGEST_AT,
    },
    logLevel: e.LOG_LEVEL,
    production: e.NODE_ENV === 'production',
  };
}
